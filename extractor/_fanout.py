"""Many inputs -> one ``Extraction`` each: the one fan-out that batches, the service and evals share.

At most ``concurrency`` model calls are in flight, all awaited on one event loop (threads would
spend more CPU passing the GIL around than the calls cost), and twice as many inputs: while
the calls wait, the others are read before their call and after it. Inputs are pulled lazily,
so a million-line input never sits in memory as a million tasks. Every failure becomes its input's
result: one input never takes the others down, and none is lost or given twice. What an
interface adds around each input (the service's admission and deadline, an eval's cassette)
it passes as ``around``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, replace

from extractor.config import PriceSettings
from extractor.errors import ExtractionError
from extractor.pipeline import Extraction, Extractor
from extractor.usage import Usage

log = logging.getLogger(__name__)


def resume_key(source: str, digest: str | None = None) -> str:
    """What a resumed batch knows an input by: its source, and for stdin (always ``-``) its content too."""
    return f"{source}#{digest}" if digest else source


@dataclass
class BatchInput:
    """One input: where it came from (a path, ``-``, a JSON Lines id) and its text, or why it could not be read.

    ``digest`` (the SHA-256 of stdin's bytes) tells apart inputs that share a source.
    """

    source: str
    text: str | bytes | None = None
    read_error: ExtractionError | None = None
    digest: str | None = None

    @property
    def key(self) -> str:
        return resume_key(self.source, self.digest)


Work = Callable[[], Awaitable[Extraction]]
# Runs one input's work (awaits it) with whatever the interface needs around it.
Around = Callable[[BatchInput, Work], Awaitable[Extraction]]


def failed(item: BatchInput, error: Exception, seconds: float, prices: PriceSettings) -> Extraction:
    """The result of an input whose extraction ended in ``error``; the calls it made cost what they cost."""
    usage = getattr(error, "usage", None) or Usage()
    return Extraction(
        source=item.source, input_sha256=item.digest, error_type=type(error).__name__, error_message=str(error),
        seconds=seconds, usage=usage, cost=prices.cost(usage) if usage.prompt_tokens else None,
    )  # fmt: skip


async def extract_one(
    extractor: Extractor,
    item: BatchInput,
    *,
    all_roles: bool = False,
    around: Around | None = None,
    call_slots: asyncio.Semaphore | None = None,
) -> Extraction:
    """Extract one input (every role it offers, with ``all_roles``); every failure becomes part of the result.

    ``call_slots`` bounds the model calls of the inputs that share it (``Extractor.arun``)."""
    started = time.perf_counter()
    if item.read_error is not None:
        return failed(item, item.read_error, 0.0, extractor.settings.prices)

    def work() -> Awaitable[Extraction]:
        text = item.text if item.text is not None else b""
        return extractor.arun(text, all_roles=all_roles, call_slots=call_slots)

    try:
        extraction = await (around(item, work) if around else work())
    except Exception as error:  # typed errors, and bugs too: one input never takes the batch down
        if not isinstance(error, ExtractionError):
            log.exception("a bug ended the extraction of %s", item.source)
        return failed(item, error, time.perf_counter() - started, extractor.settings.prices)
    return replace(extraction, source=item.source, input_sha256=item.digest)


async def fan_out(
    extractor: Extractor,
    items: Iterable[BatchInput],
    *,
    concurrency: int,
    all_roles: bool = False,
    around: Around | None = None,
    max_inputs: int | None = None,
) -> AsyncIterator[Extraction]:
    """Each input's result as it finishes, with at most ``concurrency`` model calls in flight and
    ``max_inputs`` inputs (by default twice as many: the others are read while the calls wait)."""
    max_inputs = max_inputs or 2 * concurrency
    call_slots = asyncio.Semaphore(concurrency)
    pending: set[asyncio.Task[Extraction]] = set()
    with extractor.deferred_cache_writes():
        try:
            for item in items:
                one = extract_one(extractor, item, all_roles=all_roles, around=around, call_slots=call_slots)
                pending.add(asyncio.create_task(one))
                if len(pending) >= max_inputs:
                    finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    for task in finished:
                        yield task.result()
            while pending:
                finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    yield task.result()
        finally:
            for task in pending:
                task.cancel()


def indexed(items: Iterable[BatchInput]) -> list[BatchInput]:
    """The inputs with their positions as sources, for ``in_input_order``."""
    return [replace(item, source=str(index)) for index, item in enumerate(items)]


async def in_input_order(items: list[BatchInput], results: AsyncIterator[Extraction]) -> list[Extraction]:
    """The results of ``indexed(items)``, in the order of ``items`` and with their sources."""
    by_index = {int(result.source): result async for result in results}
    return [replace(by_index[index], source=item.source) for index, item in enumerate(items)]
