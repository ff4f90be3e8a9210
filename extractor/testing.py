"""A fake OpenAI-compatible endpoint on loopback, for tests, load tests and benchmarks.

    from extractor.testing import FakeEndpoint, Reply, completion

    endpoint = FakeEndpoint()
    endpoint.default = Reply(body=completion(
        '{"title": "Chef", "company": null, "locations": [], "seniority": null, "is_job_posting": true}'
    ))
    Extractor(Settings(base_url=endpoint.url)).extract("Chef wanted, Croydon")
    endpoint.close()

It serves from an asyncio loop in a thread of its own: a delayed answer costs a timer, not
a thread, so a load test measures its client. ``python -m extractor.testing --delay 0.05``
serves one fixed answer from its own process (the URL goes to stdout), so a benchmark's
client does not share a GIL with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, cast


def completion(content: str, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


@dataclass
class Reply:
    """One scripted answer of the fake endpoint."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    close: bool = False  # drop the connection without answering
    delay: float = 0.0  # seconds before answering

    def encode(self) -> bytes:
        """The whole HTTP/1.1 response; connections stay open (keep-alive), as real endpoints keep them."""
        payload = self.raw if self.raw is not None else json.dumps(self.body).encode()
        headers = {"content-type": "application/json", "content-length": str(len(payload)), **self.headers}
        lines = [f"HTTP/1.1 {self.status} {HTTPStatus(self.status).phrase}", *(f"{k}: {v}" for k, v in headers.items())]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


_NOT_FOUND = Reply(status=404, body={"error": {"message": "the fake endpoint only answers POST"}})


class FakeEndpoint:
    """A local OpenAI-compatible server that answers from a script and records requests."""

    def __init__(self, *, record_requests: bool = True) -> None:
        self.record_requests = record_requests
        self.script: list[Reply] = []
        self.default: Reply | None = None
        self.router: Callable[[dict[str, Any]], Reply] | None = None  # picks a reply per request
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0  # requests read and not yet answered
        self.peak_in_flight = 0
        self._connections: set[asyncio.Transport] = set()
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(
            self._loop.create_server(lambda: _Connection(self), "127.0.0.1", 0, backlog=256)
        )
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/v1"
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-endpoint", daemon=True)
        self._thread.start()

    def reply(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def answer(self, content: str, finish_reason: str = "stop") -> Reply:
        return Reply(body=completion(content, finish_reason))

    def _next_reply(self, request: dict[str, Any]) -> Reply:
        if self.record_requests:
            self.requests.append(request)
        if self.router is not None:
            return self.router(request)
        reply = self.script.pop(0) if self.script else self.default
        assert reply is not None, "the fake endpoint ran out of scripted replies"
        return reply

    def _answer(self, transport: asyncio.Transport, request_line: str, body: bytes) -> None:
        if not request_line.startswith("POST "):
            reply = _NOT_FOUND
        else:
            wanted = self.record_requests or self.router is not None
            reply = self._next_reply(json.loads(body) if wanted else {})
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

        def send() -> None:
            self.in_flight -= 1
            if transport.is_closing():
                return
            if reply.close:
                transport.abort()
            else:
                transport.write(reply.encode())

        self._loop.call_later(reply.delay, send)

    def close(self) -> None:
        """Stop serving and drop open connections; closing twice is harmless."""
        if self._loop.is_closed():
            return

        async def shut() -> None:
            self._server.close()
            for transport in list(self._connections):
                transport.abort()

        asyncio.run_coroutine_threadsafe(shut(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


class _Connection(asyncio.Protocol):
    """One client connection: reads requests (a head, then content-length bytes) and has them answered.

    A protocol rather than streams: a request costs a tenth of a millisecond of the
    server's CPU, which a benchmark on the same cores would otherwise count as the client's.
    """

    def __init__(self, endpoint: FakeEndpoint) -> None:
        self.endpoint = endpoint
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.endpoint._connections.add(self.transport)

    def connection_lost(self, error: Exception | None) -> None:
        self.endpoint._connections.discard(self.transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            request_line, *header_lines = self.buffer[:end].decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in header_lines if ": " in line)
            size = int(headers.get("content-length", 0))
            if len(self.buffer) < end + 4 + size:
                return  # the body is still on its way
            body, self.buffer = self.buffer[end + 4 : end + 4 + size], self.buffer[end + 4 + size :]
            self.endpoint._answer(self.transport, request_line, body)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a fixed chat completion on loopback.")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds before each answer")
    parser.add_argument("--content", default=json.dumps(
        {"title": "Backend Engineer", "company": None, "locations": [], "seniority": None, "is_job_posting": True}
    ))
    args = parser.parse_args()
    endpoint = FakeEndpoint(record_requests=False)
    endpoint.default = Reply(body=completion(args.content), delay=args.delay)
    print(endpoint.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        endpoint.close()


if __name__ == "__main__":
    sys.exit(main())
