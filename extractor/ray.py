"""Batches past one machine, on Ray Data: one ``Extractor`` per actor, one result row per input.

    import ray
    from extractor import Settings
    from extractor.ray import extract_dataset

    ray.init()                                             # or ray.init(address="ray://head:10001")
    postings = ray.data.read_json("s3://bucket/postings/")  # rows of {"id": ..., "text": ...}
    results = extract_dataset(postings, Settings().updated(endpoint={"base_url": "http://vllm:8000/v1", "model": "..."}), actors=8)
    results.write_parquet("s3://bucket/records/")

Each actor holds one ``Extractor``: its own embedded model (a CPU cluster) or a client of a shared
endpoint, and runs each batch of rows on the async core with ``concurrency`` model calls in flight,
as ``extractor extract`` does in one process. A batch's rows leave the actor only once the whole
batch is done; Ray restarts an actor that dies and runs its batch again, so an input is neither
lost nor written twice. Every row ends as a record or a typed error, as in the one-machine batch.

A result row has one fixed schema (``RESULT_SCHEMA``), so every block and every file agree: the
record is the contract's JSON as text (a JSON array of records with ``all_roles``), beside the
error, the tokens and the cost.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import ray
import ray.data

from extractor._fanout import BatchInput, in_input_order
from extractor.batch import iter_extract
from extractor.config import Settings
from extractor.errors import InvalidInputError, is_retryable
from extractor.pipeline import Extraction, Extractor

if TYPE_CHECKING:
    from ray.data import Dataset

RESULT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("record", pa.string()),  # the record's JSON (contract v1); a JSON array of records with all_roles
        ("error_type", pa.string()),
        ("error_message", pa.string()),
        ("cached", pa.bool_()),
        ("prompt_tokens", pa.int64()),
        ("completion_tokens", pa.int64()),
        ("cost", pa.float64()),
    ]
)


def _row(result: Extraction) -> dict[str, Any]:
    """A result as a row of ``RESULT_SCHEMA``: its output line (``Extraction.to_json``), flattened."""
    line = result.to_json()
    written = line.get("records", line.get("record"))
    error = line.get("error") or {}
    return {
        "id": line["source"],
        "record": None if written is None else json.dumps(written, ensure_ascii=False),
        "error_type": error.get("type"),
        "error_message": error.get("message"),
        "cached": line["cached"],
        "prompt_tokens": line["usage"]["prompt_tokens"],
        "completion_tokens": line["usage"]["completion_tokens"],
        "cost": line.get("cost"),
    }


def _input(index: int, text: Any, error: Any) -> BatchInput:
    """The ``index``-th row of a batch as a batch input: its text, or why it has none."""
    if error is not None:
        return BatchInput(source=str(index), read_error=InvalidInputError(str(error)))
    if not isinstance(text, str | bytes):
        return BatchInput(source=str(index), read_error=InvalidInputError("the row has no text"))
    return BatchInput(source=str(index), text=text)


class ExtractBatch:
    """A Ray Data actor: one extractor, built once, and an event loop its batches run on."""

    def __init__(self, settings: Settings, *, concurrency: int, all_roles: bool) -> None:
        self._extractor = Extractor(settings)
        self._extractor.warm_up()  # the embedded model starts here, once per actor, not on its first batch
        self._loop = asyncio.new_event_loop()
        self._concurrency = concurrency
        self._all_roles = all_roles

    def __call__(self, batch: pa.Table) -> pa.Table:
        ids = [str(value) for value in batch.column("id").to_pylist()]
        texts, errors = (
            batch.column(name).to_pylist() if name in batch.column_names else [None] * len(ids) for name in ("text", "error")
        )
        items = [_input(index, text, error) for index, (text, error) in enumerate(zip(texts, errors, strict=True))]
        results = self._loop.run_until_complete(self._extract(items))
        rows = [_row(replace(result, source=ids[index])) for index, result in enumerate(results)]
        return pa.Table.from_pylist(rows, schema=RESULT_SCHEMA)

    def __del__(self) -> None:
        """Close the client's connections when Ray retires the actor."""
        loop = getattr(self, "_loop", None)
        if loop is not None and not loop.is_closed():
            loop.run_until_complete(self._extractor.aclose())
            loop.close()

    async def _extract(self, items: list[BatchInput]) -> list[Extraction]:
        results = iter_extract(self._extractor, items, concurrency=self._concurrency, all_roles=self._all_roles)
        return await in_input_order(items, results)


def extract_dataset(
    dataset: Dataset,
    settings: Settings | None = None,
    *,
    actors: int = 1,
    cpus_per_actor: float = 1.0,
    concurrency: int | None = None,
    batch_size: int = 64,
    all_roles: bool = False,
) -> Dataset:
    """A row per input row of ``dataset`` (columns ``id`` and ``text``; an optional ``error`` column
    marks inputs that could not be read), with the columns of ``RESULT_SCHEMA``.

    ``actors`` extractors run side by side, each reserving ``cpus_per_actor`` CPUs (the embedded
    model's threads, unless ``EXTRACTOR_LOCAL_THREADS`` says otherwise) and keeping ``concurrency``
    model calls in flight (``EXTRACTOR_CONCURRENCY``). Lazy, as Ray datasets are: nothing runs until
    the result is written or iterated.
    """
    settings = settings or Settings()
    if settings.embedded and settings.local.threads is None:
        settings = settings.updated(local={"threads": max(1, int(cpus_per_actor))})
    return dataset.map_batches(
        ExtractBatch,
        fn_constructor_kwargs={
            "settings": settings,
            "concurrency": concurrency or settings.batch.concurrency,
            "all_roles": all_roles,
        },
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=cpus_per_actor,
        batch_size=batch_size,
        batch_format="pyarrow",
    )


def finished_ids(path: str, *, keep_errors: bool = False) -> set[str]:
    """The ids that result rows under ``path`` already settle: a record, or an error retrying will not
    change (with ``keep_errors``, any error). An input retried after a retryable error gets a new row;
    its row with a final outcome is the one that counts."""
    try:
        written = ray.data.read_json(path, file_extensions=["json"]).select_columns(["id", "error_type"])
        rows = list(written.iter_rows())
    except (FileNotFoundError, ValueError):  # nothing written there yet
        return set()
    return {row["id"] for row in rows if keep_errors or not is_retryable(row["error_type"])}


def without_finished(dataset: Dataset, finished: Iterable[str]) -> Dataset:
    """``dataset`` less the rows whose id is in ``finished`` (a rerun that skips what is written)."""
    done = frozenset(finished)
    if not done:
        return dataset
    return dataset.filter(lambda row: str(row["id"]) not in done)
