"""The same batch through the built-in engine and through Ray Data, against a fake endpoint that answers in 50 ms.

    python benchmarks/bench_ray.py                        # 1,000 texts, concurrency 32, 2 actors
    python benchmarks/bench_ray.py --texts 200 --actors 1

Prints each engine's wall time, the ideal (texts x delay / concurrency) and Ray's time over the
built-in batch's. Ray's wall time includes starting the actors (each imports extractor and
builds the rules' tables) but not starting the local cluster. Needs the [ray] extra.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import ray  # noqa: E402
from _servers import fake_model  # noqa: E402
from bench_batch import ANSWER, POSTING  # noqa: E402

from extractor import Settings  # noqa: E402
from extractor.batch import extract_many  # noqa: E402
from extractor.pipeline import Extractor  # noqa: E402
from extractor.ray import extract_dataset  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32, help="calls in flight in all (split among actors)")
    parser.add_argument("--workers", type=int, default=2, help="the built-in batch's worker processes")
    parser.add_argument("--actors", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.05, help="the endpoint's answer time, seconds")
    args = parser.parse_args()
    ideal = args.texts * args.delay / args.concurrency

    with fake_model(args.delay, ANSWER) as (url, _), tempfile.TemporaryDirectory() as scratch:
        settings = Settings().updated(
            endpoint={"base_url": url, "api_key": "bench", "model": "fake"}, question={"strategy": "core"},
            cache={"enabled": False, "dir": Path(scratch)},
        )
        extractor = Extractor(settings)
        extractor.warm_up()
        extract_many([POSTING.format(number=-1)], extractor=extractor)  # the client's first call
        texts = [POSTING.format(number=n) for n in range(args.texts)]
        started = time.perf_counter()
        results = extract_many(texts, extractor=extractor, concurrency=args.concurrency, workers=args.workers)
        builtin = time.perf_counter() - started
        assert all(result.ok for result in results)

        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
        rows = [{"id": str(n), "text": text} for n, text in enumerate(texts)]
        started = time.perf_counter()
        written = extract_dataset(
            ray.data.from_items(rows), settings, actors=args.actors, cpus_per_actor=os.cpu_count() / args.actors / 2,
            concurrency=args.concurrency // args.actors,
        ).materialize()  # fmt: skip
        on_ray = time.perf_counter() - started
        assert written.count() == args.texts
        ray.shutdown()

    print(json.dumps({
        "texts": args.texts,
        "concurrency": args.concurrency,
        "endpoint_delay_s": args.delay,
        "ideal_s": round(ideal, 2),
        "cores": os.cpu_count(),
        "builtin": {"workers": args.workers, "wall_s": round(builtin, 2), "over_ideal": round(builtin / ideal, 2)},
        "ray": {"actors": args.actors, "wall_s": round(on_ray, 2), "over_ideal": round(on_ray / ideal, 2)},
        "ray_over_builtin": round(on_ray / builtin, 2),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
