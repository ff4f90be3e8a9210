"""Load the HTTP service with a bounded number of requests, against a fake endpoint.

    python benchmarks/load_service.py                      # concurrency 1, 8 and 64
    python benchmarks/load_service.py --requests 400 --delay 0.2

Starts a fake OpenAI-compatible endpoint (its own process, answering in --delay seconds)
and `extractor serve` on loopback, then for each concurrency prints throughput, p50/p99
latency and the count of each status. Past capacity the service answers 429 at once
instead of queueing without bound; every request must get a well-formed answer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _servers import fake_model, running_service  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="requests per concurrency level")
    parser.add_argument("--delay", type=float, default=0.1, help="the fake model's answer time, seconds")
    parser.add_argument("--levels", default="1,8,64")
    args = parser.parse_args()

    with fake_model(args.delay) as (model_url, _), running_service(
        model_url, service_max_concurrent="8", service_max_queue="16"
    ) as url:
        print(f"service limits: 8 model calls at once, 16 queued; fake model answers in {args.delay}s")
        with httpx2.Client(base_url=url, timeout=60, limits=httpx2.Limits(max_connections=128)) as client:

            def one(number: int) -> tuple[int, float, bool]:
                started = time.perf_counter()
                response = client.post("/v1/extract", json={"text": f"Acme Robotics hiring, posting {number}"})
                body = response.json()
                well_formed = "record" in body or ("error" in body and "type" in body["error"])
                return response.status_code, time.perf_counter() - started, well_formed

            for level in (int(level) for level in args.levels.split(",")):
                started = time.perf_counter()
                with ThreadPoolExecutor(level) as pool:
                    outcomes = list(pool.map(one, range(args.requests)))
                wall = time.perf_counter() - started
                latencies = sorted(seconds for _, seconds, _ in outcomes)
                print(json.dumps({
                    "concurrency": level,
                    "requests": len(outcomes),
                    "throughput_per_s": round(len(outcomes) / wall, 1),
                    "p50_ms": round(1000 * statistics.median(latencies), 1),
                    "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
                    "statuses": dict(Counter(status for status, _, _ in outcomes)),
                    "all_well_formed": all(ok for _, _, ok in outcomes),
                }))


if __name__ == "__main__":
    main()
