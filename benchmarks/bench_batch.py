"""Benchmark batch extraction against a local fake endpoint that answers in 50 ms.

    python benchmarks/bench_batch.py                      # 1,000 texts at concurrency 32
    python benchmarks/bench_batch.py --texts 200 --concurrency 8

Prints the wall time against the ideal (texts x delay / concurrency; target within 1.2x),
then the same batch served entirely from the cache. The endpoint runs in its own process.
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--delay", type=float, default=0.05, help="the endpoint's answer time, seconds")
    args = parser.parse_args()

    with fake_model(args.delay, ANSWER) as url, tempfile.TemporaryDirectory() as cache_dir:
        texts = [POSTING.format(number=number) for number in range(args.texts)]
        settings = Settings(base_url=url, api_key="bench", model="fake", cache_dir=Path(cache_dir))
        extractor = Extractor(settings)
        extract_many(texts[: args.concurrency], extractor=extractor, concurrency=args.concurrency)  # warm-up

        started = time.perf_counter()
        results = extract_many(texts, extractor=extractor, concurrency=args.concurrency)
        wall = time.perf_counter() - started
        assert sum(r.ok for r in results) == args.texts, [r.error_message for r in results if not r.ok][:3]

        started = time.perf_counter()
        cached = extract_many(texts, extractor=extractor, concurrency=args.concurrency)
        cached_wall = time.perf_counter() - started
        assert all(r.cached for r in cached)

    ideal = args.texts * args.delay / args.concurrency
    print(json.dumps({
        "texts": args.texts,
        "concurrency": args.concurrency,
        "endpoint_delay_s": args.delay,
        "wall_s": round(wall, 2),
        "ideal_s": round(ideal, 2),
        "wall_over_ideal": round(wall / ideal, 2),
        "per_text_ms": round(1000 * wall / args.texts, 2),
        "all_cached_wall_s": round(cached_wall, 2),
        "all_cached_per_text_ms": round(1000 * cached_wall / args.texts, 3),
    }, indent=2))


if __name__ == "__main__":
    main()
