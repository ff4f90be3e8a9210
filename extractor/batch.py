"""Many texts -> one outcome each: a record or a recorded error, never lost, never twice.

``extract_many`` and ``aextract_many`` return results in input order; ``iter_extract``
yields them as they finish, which is what a resumable writer wants. Concurrency is a
bound on calls in flight: inputs are pulled lazily, so a million-line input never sits
in memory as a million futures.
"""

from __future__ import annotations

import asyncio
import glob
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from extractor.config import Settings
from extractor.errors import ExtractionError, InvalidInputError
from extractor.llm import Usage
from extractor.pipeline import Extractor, default_extractor
from extractor.record import JobPosting

DEFAULT_CONCURRENCY = 8
_TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".text"}


@dataclass
class BatchInput:
    """One input: where it came from (a path, ``-``, a JSON Lines id) and its text, or why it could not be read."""

    source: str
    text: str | bytes | None = None
    read_error: ExtractionError | None = None


@dataclass
class BatchResult:
    """The outcome of one input."""

    source: str
    record: JobPosting | None = None
    error_type: str | None = None
    error_message: str | None = None
    cached: bool = False
    seconds: float = 0.0
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None

    @property
    def ok(self) -> bool:
        return self.record is not None

    def to_json(self) -> dict[str, Any]:
        line: dict[str, Any] = {"source": self.source}
        if self.record is not None:
            line["record"] = self.record.model_dump(mode="json")
        else:
            line["error"] = {"type": self.error_type, "message": self.error_message}
        line["cached"] = self.cached
        line["usage"] = {"prompt_tokens": self.usage.prompt_tokens, "completion_tokens": self.usage.completion_tokens}
        if self.cost is not None:
            line["cost"] = round(self.cost, 8)
        return line


@dataclass
class BatchSummary:
    """What a batch did, for the line printed at its end."""

    done: int = 0
    cached: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None
    started: float = field(default_factory=time.perf_counter)

    def add(self, result: BatchResult) -> None:
        self.done += 1
        self.cached += result.cached
        if result.error_type:
            self.errors[result.error_type] += 1
        self.usage.add(result.usage)
        if result.cost is not None:
            self.cost = (self.cost or 0.0) + result.cost

    def describe(self) -> str:
        wall = time.perf_counter() - self.started
        errors = ", ".join(f"{kind} {count}" for kind, count in self.errors.most_common()) or "none"
        cost = f", cost ${self.cost:.4f}" if self.cost is not None else ""
        return (
            f"{self.done} done ({self.cached} from cache), errors: {errors}; "
            f"tokens {self.usage.prompt_tokens} prompt + {self.usage.completion_tokens} completion{cost}; "
            f"{wall:.1f}s wall"
        )


def _read(path: Path) -> BatchInput:
    try:
        return BatchInput(source=str(path), text=path.read_bytes())
    except OSError as error:
        reason = f"cannot read {path}: {error.strerror or error}"
        return BatchInput(source=str(path), read_error=InvalidInputError(reason))


def _jsonl_inputs(lines: Iterable[str], origin: str) -> Iterator[BatchInput]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fallback = f"{origin}:{number}"
        try:
            entry = json.loads(line)
            text = entry["text"]
        except (ValueError, KeyError, TypeError) as error:
            reason = f"line {number} of {origin} is not a JSON object with a text: {error}"
            yield BatchInput(source=fallback, read_error=InvalidInputError(reason))
            continue
        source = str(entry.get("id", fallback))
        yield BatchInput(source=source, text=text if isinstance(text, str) else json.dumps(text))


def iter_inputs(sources: Iterable[str], *, stdin: IO[bytes] | None = None, jsonl: bool = False) -> Iterator[BatchInput]:
    """Inputs from paths, globs, directories (their text files, recursively), ``-`` for stdin,
    and JSON Lines files (``*.jsonl``, or every source with ``jsonl=True``) of ``{"id", "text"}``.

    A source that matches nothing becomes an input with a read error, so it is reported.
    """
    for source in sources:
        if source == "-":
            data = (stdin or sys.stdin.buffer).read()
            if jsonl:
                yield from _jsonl_inputs(data.decode("utf-8", "replace").splitlines(), "stdin")
            else:
                yield BatchInput(source="-", text=data)
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _TEXT_SUFFIXES)
        elif glob.has_magic(source):
            files = sorted(Path(p) for p in glob.glob(source, recursive=True) if Path(p).is_file())
        else:
            files = [path]
        if not files:
            yield BatchInput(source=source, read_error=InvalidInputError(f"{source} matches no file"))
        for file in files:
            if jsonl or file.suffix.lower() == ".jsonl":
                try:
                    with file.open(encoding="utf-8", errors="replace") as lines:
                        yield from _jsonl_inputs(lines, str(file))
                except OSError as error:
                    yield BatchInput(source=str(file), read_error=InvalidInputError(f"cannot read {file}: {error}"))
            else:
                yield _read(file)


def _cost(settings: Settings, usage: Usage) -> float | None:
    if settings.price_prompt is None and settings.price_completion is None:
        return None
    return (
        usage.prompt_tokens * (settings.price_prompt or 0.0) + usage.completion_tokens * (settings.price_completion or 0.0)
    ) / 1_000_000


def run_one(extractor: Extractor, item: BatchInput) -> BatchResult:
    """Extract one input; every failure becomes part of the result, never an exception."""
    started = time.perf_counter()
    if item.read_error is not None:
        return BatchResult(item.source, error_type=type(item.read_error).__name__, error_message=str(item.read_error))
    try:
        extraction = extractor.run(item.text if item.text is not None else b"")
    except Exception as error:  # typed errors, and bugs too: one input never takes the batch down
        return BatchResult(
            item.source, error_type=type(error).__name__, error_message=str(error), seconds=time.perf_counter() - started
        )
    return BatchResult(
        item.source,
        record=extraction.record,
        cached=extraction.cached,
        seconds=extraction.seconds,
        usage=extraction.usage,
        cost=None if extraction.cached else _cost(extractor.settings, extraction.usage),
    )


def iter_extract(
    extractor: Extractor, items: Iterable[BatchInput], *, concurrency: int = DEFAULT_CONCURRENCY
) -> Iterator[BatchResult]:
    """Results as they finish, with at most ``concurrency`` extractions in flight."""
    source = iter(items)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="extract") as pool:
        pending: set[Future[BatchResult]] = set()
        for item in source:
            pending.add(pool.submit(run_one, extractor, item))
            if len(pending) >= concurrency:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in finished)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in finished)


def _inputs(texts: Iterable[str | bytes | tuple[str, str | bytes]]) -> Iterator[BatchInput]:
    for index, text in enumerate(texts):
        if isinstance(text, tuple):
            yield BatchInput(source=str(text[0]), text=text[1])
        else:
            yield BatchInput(source=str(index), text=text)


def extract_many(
    texts: Iterable[str | bytes | tuple[str, str | bytes]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    extractor: Extractor | None = None,
) -> list[BatchResult]:
    """One result per text, in input order. A text may be a ``(source, text)`` pair; else its source is its index."""
    items = list(_inputs(texts))
    indexed = [BatchInput(source=str(i), text=item.text) for i, item in enumerate(items)]
    results = {int(r.source): r for r in iter_extract(extractor or default_extractor(), indexed, concurrency=concurrency)}
    return [replace(results[i], source=item.source) for i, item in enumerate(items)]


async def aextract_many(
    texts: Iterable[str | bytes | tuple[str, str | bytes]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    extractor: Extractor | None = None,
) -> list[BatchResult]:
    """``extract_many`` for async code: the calls run in worker threads, the event loop stays free."""
    chosen = extractor or default_extractor()
    limit = asyncio.Semaphore(concurrency)

    async def one(item: BatchInput) -> BatchResult:
        async with limit:
            return await asyncio.to_thread(run_one, chosen, item)

    return list(await asyncio.gather(*(one(item) for item in _inputs(texts))))


class ResultsFile:
    """JSON Lines results appended as they finish, so a killed batch resumes where it stopped.

    Each line is flushed as written: a process killed with SIGKILL loses at most the line it
    was writing, and ``done()`` cuts such a partial last line off before the run resumes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def done(self) -> set[str]:
        """Sources that already have a line; a torn last line is removed from the file."""
        if not self.path.exists():
            return set()
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):
            with self.path.open("r+b") as f:
                f.truncate(len(complete))
        sources = set()
        for line in complete.decode("utf-8", "replace").splitlines():
            try:
                sources.add(json.loads(line)["source"])
            except (ValueError, KeyError, TypeError):
                continue
        return sources

    def open(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.path.open("a", encoding="utf-8")


def write_result(out: IO[str], result: BatchResult) -> None:
    out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    out.flush()
