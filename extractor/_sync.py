"""The sync API over the one async core: coroutines run on a private event loop in a daemon thread.

Every extraction is async underneath (``Extractor.arun``, ``LLMClient.acomplete``); the sync
forms hand their coroutine to this loop and wait. One loop serves every thread of the process,
so sync callers from many threads share its connections and its bound on calls in flight, and a
caller whose own thread runs an event loop (a notebook) can still call the sync API.

A daemon thread rather than anyio's blocking portal: a portal must be closed before the
interpreter joins its threads, and a process that never closes it would hang at exit.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import threading
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_loop: tuple[int, asyncio.AbstractEventLoop, threading.Thread] | None = None
_closers: list[weakref.WeakMethod[Callable[[], Awaitable[None]]]] = []


def _process_loop() -> tuple[asyncio.AbstractEventLoop, threading.Thread]:
    """The process's loop and its thread, started on first use (again in a forked child, which has no such thread)."""
    global _loop
    with _lock:
        if _loop is None or _loop[0] != os.getpid():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="extractor-sync", daemon=True)
            thread.start()
            _loop = (os.getpid(), loop, thread)
        return _loop[1], _loop[2]


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on the loop and return its result; an interrupted caller cancels it."""
    loop, thread = _process_loop()
    if threading.current_thread() is thread:  # it would wait for itself
        coroutine.close()
        raise RuntimeError("a sync extractor call on the extractor's own event loop: await the async form")
    future = asyncio.run_coroutine_threadsafe(coroutine, loop)
    try:
        return future.result()
    except BaseException:
        future.cancel()  # Ctrl-C in the caller: the call stops too
        raise


def is_process_loop(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether ``loop`` is the one the sync forms run on."""
    return _loop is not None and _loop[0] == os.getpid() and _loop[1] is loop


def close_at_exit(close: Callable[[], Awaitable[None]]) -> None:
    """Await ``close()``, a bound method, on the loop before the interpreter exits, if its object is
    still alive then: connections opened there close cleanly, and nothing is kept alive for it."""
    _closers[:] = [reference for reference in _closers if reference() is not None]
    _closers.append(weakref.WeakMethod(close))


@atexit.register
def _close() -> None:
    if _closers and _loop is not None and _loop[0] == os.getpid() and _loop[2].is_alive():

        async def close_all() -> None:
            alive = [close for reference in _closers if (close := reference()) is not None]
            await asyncio.gather(*(close() for close in alive), return_exceptions=True)

        with contextlib.suppress(Exception):  # a connection that will not close must not hold the exit up
            asyncio.run_coroutine_threadsafe(close_all(), _loop[1]).result(timeout=5)
