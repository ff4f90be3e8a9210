"""Benchmark start-up: ``import extractor`` and ``extractor --help``, each in a fresh interpreter.

    python benchmarks/bench_startup.py            # 7 runs each, the median and the slowest
    python benchmarks/bench_startup.py --runs 15

Budgets (issue 16): ``import extractor`` within 0.5 s, ``extractor --help`` within 1 s. The
figures include starting Python itself, as a user's shell pays it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "import extractor": [sys.executable, "-c", "import extractor"],
    "extractor --help": [sys.executable, "-m", "extractor", "--help"],
}
BUDGETS = {"import extractor": 0.5, "extractor --help": 1.0}


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    figures = {}
    for name, command in COMMANDS.items():
        _seconds(command)  # the first run warms the file cache
        runs = [_seconds(command) for _ in range(args.runs)]
        figures[name] = {
            "median_s": round(statistics.median(runs), 3),
            "slowest_s": round(max(runs), 3),
            "budget_s": BUDGETS[name],
            "within_budget": max(runs) <= BUDGETS[name],
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
