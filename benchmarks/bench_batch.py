"""Benchmark batch extraction against a local fake endpoint that answers in 50 ms.

    python benchmarks/bench_batch.py                      # 1,000 texts at concurrency 32, 1 and 2 workers
    python benchmarks/bench_batch.py --texts 200 --concurrency 8 --workers 1
    python benchmarks/bench_batch.py --fast-client --workers 2 --repeat 5   # the median of 5 runs

For each number of worker processes, prints the wall time against the ideal (texts x delay /
concurrency; target within 1.5x) and the CPU seconds spent by this process, its workers and
the endpoint (which shares the cores); then the same batch served entirely from the cache.
The endpoint runs in its own process. On a shared 2-core machine one run varies by 15% or
more: ``--repeat`` runs each setting several times and gives the median and the best.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from _servers import fake_model  # noqa: E402

from extractor import Settings  # noqa: E402
from extractor.batch import extract_many  # noqa: E402
from extractor.pipeline import Extractor  # noqa: E402

ANSWER = {
    "title": "Backend Engineer",
    "company": "Acme Robotics",
    "locations": [{"city": "Berlin", "country": "DE"}],
    "seniority": None,
    "is_job_posting": True,
}
POSTING = (
    "Acme Robotics | Backend Engineer | Berlin, Germany | Hybrid | €70,000 - €85,000\n"
    "We build warehouse robots. You will write Go services on PostgreSQL. Posting #{number}."
)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker processes, one run each")
    parser.add_argument("--delay", type=float, default=0.05, help="the endpoint's answer time, seconds")
    parser.add_argument("--fast-client", action="store_true", help="the opt-in fast client (EXTRACTOR_FAST_CLIENT)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each setting (median and best reported)")
    args = parser.parse_args()
    ideal = args.texts * args.delay / args.concurrency
    runs = []

    with fake_model(args.delay, ANSWER) as (url, endpoint_pid), tempfile.TemporaryDirectory() as cache_dir:
        settings = Settings().updated(
            endpoint={"base_url": url, "api_key": "bench", "model": "fake", "fast_client": args.fast_client},
            cache={"dir": Path(cache_dir)}, question={"strategy": "core"},
        )
        extractor = Extractor(settings)
        extractor.warm_up()
        extract_many([POSTING.format(number=-1)], extractor=extractor)  # the client's first call
        rounds = [workers for workers in args.workers for _ in range(args.repeat)]
        for round_number, workers in enumerate(rounds):
            texts = [POSTING.format(number=f"{round_number}-{n}") for n in range(args.texts)]  # no cache hits
            own_cpu, children_cpu = time.process_time(), _children_cpu_seconds()
            endpoint_cpu = _cpu_seconds(endpoint_pid)
            started = time.perf_counter()
            results = extract_many(texts, extractor=extractor, concurrency=args.concurrency, workers=workers)
            wall = time.perf_counter() - started
            assert sum(r.ok for r in results) == args.texts, [r.error_message for r in results if not r.ok][:3]
            runs.append({
                "workers": workers,
                "wall_s": round(wall, 2),
                "wall_over_ideal": round(wall / ideal, 2),
                "per_text_ms": round(1000 * wall / args.texts, 2),
                "cpu_s": {
                    "this_process": round(time.process_time() - own_cpu, 2),
                    "workers": round(_children_cpu_seconds() - children_cpu, 2),
                    "endpoint": round(_cpu_seconds(endpoint_pid) - endpoint_cpu, 2),
                },
            })  # fmt: skip

        started = time.perf_counter()
        cached = extract_many(texts, extractor=extractor, concurrency=args.concurrency)
        cached_wall = time.perf_counter() - started
        assert all(r.cached for r in cached)

    summary = []
    for workers in args.workers:
        over_ideal = sorted(run["wall_over_ideal"] for run in runs if run["workers"] == workers)
        summary.append({"workers": workers, "median_over_ideal": statistics.median(over_ideal), "best_over_ideal": over_ideal[0]})
    print(json.dumps({
        "texts": args.texts,
        "concurrency": args.concurrency,
        "fast_client": args.fast_client,
        "endpoint_delay_s": args.delay,
        "ideal_s": round(ideal, 2),
        "cores": os.cpu_count(),
        "runs": runs,
        "summary": summary,
        "all_cached_wall_s": round(cached_wall, 2),
        "all_cached_per_text_ms": round(1000 * cached_wall / args.texts, 3),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
