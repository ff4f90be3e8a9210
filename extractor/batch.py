"""Many texts -> one result each, from files, globs, directories, stdin and JSON Lines; resumable.

``extract_many`` and ``aextract_many`` return results in input order; ``iter_extract``
yields them as they finish, which is what a resumable writer wants. Within a process the
inputs go through the fan-out the service and evals share (``extractor._fanout``); with
``workers`` they are shared out among forked processes, each running that fan-out.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import glob
import hashlib
import json
import logging
import multiprocessing
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

from extractor._fanout import BatchInput, failed, fan_out, in_input_order, indexed, resume_key
from extractor._sync import run_sync
from extractor.errors import InvalidInputError, WorkerError, is_retryable
from extractor.pipeline import Extraction, Extractor, build_rule_tables, default_extractor
from extractor.usage import Usage

log = logging.getLogger(__name__)

_TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".text"}


@dataclass
class BatchSummary:
    """What a batch did, for the line printed at its end."""

    done: int = 0
    cached: int = 0
    retried: int = 0  # inputs whose earlier line in the output was a retryable error
    skipped: int = 0  # inputs the output already held a final line for
    errors: Counter[str] = field(default_factory=Counter)
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None
    started: float = field(default_factory=time.perf_counter)

    def add(self, result: Extraction) -> None:
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
        retried = f", {self.retried} retried" if self.retried else ""
        skipped = f", {self.skipped} already in the output" if self.skipped else ""
        return (
            f"{self.done} done ({self.cached} from cache{retried}){skipped}, errors: {errors}; "
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
        if not isinstance(text, str):
            reason = f'line {number} of {origin}: "text" is {type(text).__name__}, not a string'
            yield BatchInput(source=source, read_error=InvalidInputError(reason))
            continue
        yield BatchInput(source=source, text=text)


def _files(source: str, *, report_skipped: bool = True) -> list[Path]:
    """The files a path, glob or directory names (a directory: its text files, recursively)."""
    path = Path(source)
    if path.is_dir():
        files: list[Path] = []
        skipped: list[Path] = []
        for candidate in sorted(path.rglob("*")):
            if candidate.is_file():
                (files if candidate.suffix.lower() in _TEXT_SUFFIXES else skipped).append(candidate)
        if skipped and report_skipped:
            shown = ", ".join(str(p.relative_to(path)) for p in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
            log.warning(
                "%s: skipped %d file(s) that are not %s (%s); name them, or a glob of them, to extract them",
                source, len(skipped), "/".join(sorted(_TEXT_SUFFIXES)), shown,
            )  # fmt: skip
        return files
    if glob.has_magic(source):
        return sorted(Path(p) for p in glob.glob(source, recursive=True) if Path(p).is_file())
    return [path]


def iter_inputs(sources: Iterable[str], *, stdin: IO[bytes] | None = None, jsonl: bool = False) -> Iterator[BatchInput]:
    """Inputs from paths, globs, directories (their text files, recursively), ``-`` for stdin,
    and JSON Lines files (``*.jsonl``, or every source with ``jsonl=True``) of ``{"id", "text"}``.

    Lazy: a file is read when its input is pulled. A source that matches nothing becomes
    an input with a read error, so it is reported; files a directory holds that are not
    text files are named in a warning.
    """
    for source in sources:
        if source == "-":
            data = (stdin or sys.stdin.buffer).read()
            if jsonl:
                yield from _jsonl_inputs(data.decode("utf-8", "replace").splitlines(), "stdin")
            else:  # every stdin is "-": its content tells one run's input from another's
                yield BatchInput(source="-", text=data, digest=hashlib.sha256(data).hexdigest())
            continue
        files = _files(source)
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


def count_inputs(sources: Iterable[str], *, jsonl: bool = False) -> int | None:
    """How many inputs ``iter_inputs`` will yield, without reading their texts (None with stdin among them)."""
    total = 0
    for source in sources:
        if source == "-":
            return None
        files = _files(source, report_skipped=False)
        total += not files
        for file in files:
            if jsonl or file.suffix.lower() == ".jsonl":
                try:
                    with file.open("rb") as lines:
                        total += sum(1 for line in lines if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


async def iter_extract(
    extractor: Extractor,
    items: Iterable[BatchInput],
    *,
    concurrency: int | None = None,
    workers: int | None = None,
    all_roles: bool = False,
) -> AsyncIterator[Extraction]:
    """Results as they finish, with at most ``concurrency`` model calls in flight (``fan_out``).

    With ``workers`` > 1 the inputs are shared out among that many forked processes (the
    concurrency split between them): a fast endpoint keeps one process's CPU busy with
    HTTP, JSON and the rules, and more cores can take more. With ``all_roles`` each result
    holds a record per role the input offers (``Extraction.roles``). Unset, both come from the
    extractor's settings (``EXTRACTOR_CONCURRENCY``, ``EXTRACTOR_WORKERS``).
    """
    concurrency = concurrency or extractor.settings.batch.concurrency
    workers = workers or extractor.settings.batch.workers
    if workers > 1 and extractor.settings.embedded:
        log.warning("workers ignored: the embedded model runs in this process and already uses every core")
        workers = 1
    results = (
        _from_workers(extractor, list(items), concurrency, workers, all_roles)
        if workers > 1
        else fan_out(extractor, items, concurrency=concurrency, all_roles=all_roles)
    )
    async for result in results:
        yield result


async def _from_workers(
    extractor: Extractor, items: list[BatchInput], concurrency: int, workers: int, all_roles: bool = False
) -> AsyncIterator[Extraction]:
    """Fork ``workers`` processes that claim inputs by index from a shared counter and send back results.

    Forked, they start at once with this process's rule tables and client. An input whose
    worker died before answering gets a ``WorkerError`` result: none is lost.
    """
    workers = min(workers, concurrency, len(items)) or 1
    build_rule_tables()
    context = multiprocessing.get_context("fork")
    claimed = context.Value("q", 0)
    loop = asyncio.get_running_loop()
    arrived: asyncio.Queue[tuple[int, Extraction] | None] = asyncio.Queue()
    processes: list[Any] = []
    readers: list[Connection] = []

    def receive(reader: Connection) -> None:
        try:
            for message in reader.recv():  # the results a worker had ready at once
                arrived.put_nowait(message)
        except (EOFError, OSError):  # the worker is gone, normally because it is done
            loop.remove_reader(reader.fileno())
            reader.close()
            arrived.put_nowait(None)

    # What is alive now (the rule tables: hundreds of thousands of objects) outlives the batch. Frozen
    # before the fork, as Python's docs advise, it is out of every full collection's way: the workers'
    # do not walk it, nor copy its pages (copy-on-write) by touching it, and this process's, while it
    # gathers the results, skip it too. About 10% of the batch's CPU; unfrozen when the batch ends.
    gc.freeze()
    try:
        for number in range(workers):
            reader, writer = context.Pipe(duplex=False)
            share = concurrency // workers + (number < concurrency % workers)
            process = context.Process(
                target=_work, args=(extractor, items, claimed, share, writer, [*readers, reader], all_roles), daemon=True
            )
            process.start()
            writer.close()
            processes.append(process)
            readers.append(reader)
            loop.add_reader(reader.fileno(), receive, reader)
        answered: set[int] = set()
        running = workers
        while running:
            message = await arrived.get()
            if message is None:
                running -= 1
                continue
            index, result = message
            answered.add(index)
            yield replace(result, source=items[index].source, input_sha256=items[index].digest)
        for process in processes:
            await asyncio.to_thread(process.join)
        for index in sorted(set(range(len(items))) - answered):
            error = WorkerError(f"the worker process died ({_exit_statuses(processes)}) before this input's result")
            yield failed(items[index], error, 0.0, extractor.settings.prices)
    finally:
        for reader in readers:
            if not reader.closed:
                loop.remove_reader(reader.fileno())
                reader.close()
        for process in processes:
            process.kill()
            process.join()
        gc.unfreeze()


def _exit_statuses(processes: list[Any]) -> str:
    return ", ".join(f"pid {p.pid} exit status {p.exitcode}" for p in processes if p.exitcode)


def _work(
    extractor: Extractor, items: list[BatchInput], claimed: Any, concurrency: int, results: Connection,
    inherited: list[Connection], all_roles: bool = False,
) -> None:  # fmt: skip
    """A worker process: extract the inputs it claims, send their ``(index, result)`` pairs home."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the workers
    for reader in inherited:  # so a write fails, and the worker stops, once the parent is gone
        reader.close()

    def claim() -> Iterator[BatchInput]:
        while True:
            with claimed.get_lock():
                index = claimed.value
                claimed.value += 1
            if index >= len(items):
                return
            yield replace(items[index], source=str(index))

    # The results that finish together go home as one message, sent once the event loop has run
    # everything else ready: a message costs both processes more than pickling its results.
    ready: list[tuple[int, Extraction]] = []
    parent_gone = False

    def send_ready() -> None:
        nonlocal parent_gone
        try:
            results.send(ready[:])
        except BrokenPipeError:
            parent_gone = True
        ready.clear()

    async def send_results() -> None:
        loop = asyncio.get_running_loop()
        try:
            async for result in fan_out(extractor, claim(), concurrency=concurrency, all_roles=all_roles):
                if parent_gone:
                    return
                if not ready:
                    loop.call_soon(send_ready)
                ready.append((int(result.source), result))
        finally:
            await extractor.aclose()
        if ready:
            send_ready()

    with contextlib.suppress(BrokenPipeError):
        asyncio.run(send_results())


def _inputs(texts: Iterable[str | bytes | tuple[str, str | bytes]]) -> Iterator[BatchInput]:
    for index, text in enumerate(texts):
        if isinstance(text, tuple):
            yield BatchInput(source=str(text[0]), text=text[1])
        else:
            yield BatchInput(source=str(index), text=text)


async def aextract_many(
    texts: Iterable[str | bytes | tuple[str, str | bytes]],
    *,
    concurrency: int | None = None,
    workers: int | None = None,
    extractor: Extractor | None = None,
    all_roles: bool = False,
) -> list[Extraction]:
    """One result per text, in input order. A text may be a ``(source, text)`` pair; else its source is its index.

    ``workers`` > 1 shares the texts out among that many processes (see ``iter_extract``).
    """
    items = list(_inputs(texts))
    chosen = extractor or default_extractor()
    results = iter_extract(chosen, indexed(items), concurrency=concurrency, workers=workers, all_roles=all_roles)
    return await in_input_order(items, results)


def extract_many(
    texts: Iterable[str | bytes | tuple[str, str | bytes]],
    *,
    concurrency: int | None = None,
    workers: int | None = None,
    extractor: Extractor | None = None,
    all_roles: bool = False,
) -> list[Extraction]:
    """``aextract_many`` for sync code."""
    return run_sync(
        aextract_many(texts, concurrency=concurrency, workers=workers, extractor=extractor, all_roles=all_roles)
    )


@dataclass
class ResumeState:
    """What an output file already holds, by ``resume_key``: inputs that are done, and inputs to try again."""

    final: set[str] = field(default_factory=set)  # a record, or an error retrying will not change
    retry: set[str] = field(default_factory=set)  # a retryable error (``errors.is_retryable``)


def _line_key(line: dict[str, Any]) -> str:
    return resume_key(str(line["source"]), line.get("input_sha256"))


def _is_final(line: dict[str, Any]) -> bool:
    error = line.get("error")
    return "record" in line or "records" in line or not isinstance(error, dict) or not is_retryable(error.get("type"))


class ResultsFile:
    """JSON Lines results appended as they finish, so a killed batch resumes where it stopped.

    Each line is flushed as written: a process killed with SIGKILL loses at most the line it
    was writing, and ``scan()`` cuts such a partial last line off before the run resumes.
    An input retried after a retryable error gets a new line; its last line is the one
    that counts (``latest()``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def _lines(self) -> Iterator[dict[str, Any]]:
        """Each complete line, parsed, read as a stream; a torn last line is removed from the file."""
        if not self.path.exists():
            return
        with self.path.open("r+b") as f:
            complete = 0
            for raw in f:
                if not raw.endswith(b"\n"):
                    f.truncate(complete)
                    break
                complete += len(raw)
                try:
                    line = json.loads(raw)
                    _line_key(line)
                except (ValueError, KeyError, TypeError):
                    continue
                if isinstance(line, dict):
                    yield line

    def scan(self) -> ResumeState:
        """Which inputs the file holds a final line for, and which ended with a retryable error."""
        state = ResumeState()
        for line in self._lines():
            key = _line_key(line)
            final, other = (state.final, state.retry) if _is_final(line) else (state.retry, state.final)
            final.add(key)
            other.discard(key)
        return state

    def done(self) -> set[str]:
        """Keys of the inputs that already have a final line."""
        return self.scan().final

    def latest(self) -> dict[str, dict[str, Any]]:
        """The last line of each input, by ``resume_key``, in the order the inputs first appear."""
        lines: dict[str, dict[str, Any]] = {}
        for line in self._lines():
            lines[_line_key(line)] = line
        return lines

    def open(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.path.open("a", encoding="utf-8")


def write_result(out: IO[str], result: Extraction, record_format: str = "json") -> None:
    out.write(json.dumps(result.to_json(record_format), ensure_ascii=False) + "\n")
    out.flush()
