"""Benchmark extract(): cache-hit latency, library overhead over a raw call, seconds per posting.

    python benchmarks/bench_extract.py                 # embedded model, two postings
    python benchmarks/bench_extract.py --cases 4       # more postings

Targets: cache hit under 1 ms median; the library's overhead over a raw call to the
same local server with the same request under 5%.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openai

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import Extractor, Settings  # noqa: E402
from extractor.cleanup.text import clean_text  # noqa: E402
from extractor.llm.client import LLMClient  # noqa: E402
from extractor.pipeline import build_rule_tables  # noqa: E402
from extractor.record import ModelAnswer  # noqa: E402

CASES = sorted((ROOT / "evals" / "cases").glob("*.txt"))


def raw_call(client: openai.OpenAI, extractor: Extractor, text: str, max_tokens: int | None = None) -> float:
    """The same request the library sends, made with the bare openai client; seconds."""
    schema = ModelAnswer.model_json_schema()
    started = time.perf_counter()
    client.chat.completions.create(
        model=extractor.settings.endpoint.model,
        messages=extractor.messages(text),  # type: ignore[arg-type]
        max_tokens=max_tokens or extractor.settings.question.max_tokens,
        temperature=extractor.settings.question.temperature,
        response_format={"type": "json_schema", "json_schema": {"name": "ModelAnswer", "schema": schema}},
    )
    return time.perf_counter() - started


def reset_prompt_cache(client: openai.OpenAI, extractor: Extractor) -> None:
    """Leave only the fixed instructions in llama.cpp's prompt cache, as after any other posting.

    Without this the second of two calls on one text would reuse the whole prompt.
    """
    raw_call(client, extractor, "-", max_tokens=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=3, help="postings to time on the model")
    parser.add_argument("--hits", type=int, default=2000, help="cache hits to time")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache_dir:
        settings = Settings().updated(cache={"dir": Path(cache_dir)}, local={"model_dir": Settings().local_model_dir})
        extractor = Extractor(settings)
        # Re-asks are extra calls, not overhead: compare one call with one call.
        single = settings.updated(cache={"enabled": False}, question={"max_reasks": 0})
        uncached = Extractor(single, llm=LLMClient.from_settings(single, base_url=extractor.llm().base_url, api_key="x"))
        client = openai.OpenAI(base_url=extractor.llm().base_url, api_key="embedded", max_retries=0, timeout=600)

        postings = CASES[: args.cases]
        print(f"model {settings.endpoint.model}, {len(postings)} postings, prompt {extractor.prompt.version}")
        # Once per process: the rules' tables (GeoNames' cities, the vocabulary), counted apart.
        started = time.perf_counter()
        build_rule_tables()
        rules_warmup = time.perf_counter() - started

        library_seconds, raw_seconds = [], []
        for path in postings:
            text = path.read_bytes()
            reset_prompt_cache(client, extractor)
            raw_seconds.append(raw_call(client, extractor, clean_text(text)))
            reset_prompt_cache(client, extractor)
            started = time.perf_counter()
            uncached.run(text)
            library_seconds.append(time.perf_counter() - started)
            print(f"  {path.stem:<44} raw {raw_seconds[-1]:6.2f}s  library {library_seconds[-1]:6.2f}s")

        first = postings[0].read_bytes()
        extractor.run(first)  # fills the cache
        hits = []
        for _ in range(args.hits):
            started = time.perf_counter()
            result = extractor.run(first)
            hits.append(time.perf_counter() - started)
            assert result.cached

        overhead = (sum(library_seconds) - sum(raw_seconds)) / sum(raw_seconds)
        print(json.dumps({
            "seconds_per_posting": round(statistics.mean(library_seconds), 2),
            "raw_seconds_per_posting": round(statistics.mean(raw_seconds), 2),
            "library_overhead_percent": round(100 * overhead, 2),
            "rules_first_use_s": round(rules_warmup, 2),
            "cache_hit_median_ms": round(1000 * statistics.median(hits), 3),
            "cache_hit_p99_ms": round(1000 * sorted(hits)[int(0.99 * len(hits))], 3),
        }, indent=2))


if __name__ == "__main__":
    main()
