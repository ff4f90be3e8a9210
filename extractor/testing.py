"""A fake OpenAI-compatible endpoint on loopback, for tests, load tests and benchmarks.

    from extractor.testing import FakeEndpoint, Reply, completion

    endpoint = FakeEndpoint()
    endpoint.default = Reply(body=completion(
        '{"title": "Chef", "company": null, "locations": [], "seniority": null, "is_job_posting": true}'
    ))
    Extractor(Settings().updated(endpoint={"base_url": endpoint.url})).extract("Chef wanted, Croydon")
    endpoint.close()

``Oracle`` makes it a perfect model: it answers each request with the gold record of the
eval case whose text the request carries (``extractor eval --oracle``), so a run measures
how much of a right answer the pipeline keeps.

It serves from an asyncio loop in a thread of its own: a delayed answer costs a timer, not
a thread, so a load test measures its client. ``python -m extractor.testing --delay 0.05``
serves one fixed answer from its own process (the URL goes to stdout), so a benchmark's
client does not share a GIL with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
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


_WORD = re.compile(r"\w+")


def _grams(text: str) -> set[str]:
    """Character 8-grams of the text's letters and digits: blind to language, markup and spacing."""
    letters = "".join(_WORD.findall(text.casefold()))
    return {letters[i : i + 8] for i in range(max(0, len(letters) - 7))}


def first_alternative(value: Any) -> Any:
    """A gold value with every ``{"any_of": [...]}`` replaced by its first alternative."""
    if isinstance(value, dict) and set(value) == {"any_of"}:
        return first_alternative(value["any_of"][0]) if value["any_of"] else None
    if isinstance(value, dict):
        return {key: first_alternative(item) for key, item in value.items()}
    if isinstance(value, list):
        return [first_alternative(item) for item in value]
    return value


def _requested_schema(request: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON schema (structured output or a tool's parameters)."""
    response_format = request.get("response_format") or {}
    schema = (response_format.get("json_schema") or {}).get("schema") or {}
    for tool in request.get("tools") or []:
        schema = schema or tool.get("function", {}).get("parameters") or {}
    return schema


def _answer(value: Any, spec: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """A gold value shaped as the schema asks: each object of a list holding exactly the keys its schema names."""
    reference = (spec.get("items") or {}).get("$ref", "")
    properties = definitions.get(reference.rsplit("/", 1)[-1], {}).get("properties")
    if properties and isinstance(value, list):
        return [{key: item.get(key, _empty(inner)) for key, inner in properties.items()} for item in value]
    return value


def _empty(spec: dict[str, Any]) -> Any:
    """What a model says for a key the text gives nothing for: [] for a list, else null."""
    kinds = [spec.get("type"), *(option.get("type") for option in spec.get("anyOf", []) if isinstance(option, dict))]
    return [] if "array" in kinds else None


class Oracle:
    """A perfect model for ``FakeEndpoint.router``: each request gets its case's gold record.

    The case is the one whose text shares the most character 8-grams with the request's
    user messages; the answer holds exactly the keys the request's schema names, each
    gold value with ``any_of`` resolved to its first alternative, and ``is_job_posting``
    false for a case whose gold says it is no posting.
    """

    def __init__(self, cases: list[tuple[str, dict[str, Any]]]) -> None:
        self._cases = []
        for text, gold in cases:
            answer = {"is_job_posting": False} if gold.get("not_a_job_posting") else {
                **first_alternative(gold), "is_job_posting": True
            }
            self._cases.append((_grams(text), answer))

    def answer_for(self, request: dict[str, Any]) -> dict[str, Any]:
        users = [m.get("content") for m in request.get("messages", []) if m.get("role") == "user"]
        grams = _grams(" ".join(u if isinstance(u, str) else json.dumps(u) for u in users))
        record = max(self._cases, key=lambda case: len(case[0] & grams))[1] if self._cases else {}
        schema = _requested_schema(request)
        properties, definitions = schema.get("properties") or {}, schema.get("$defs") or {}
        if not properties:
            return record
        return {
            key: _answer(record[key], spec, definitions) if key in record else _empty(spec)
            for key, spec in properties.items()
        }

    def __call__(self, request: dict[str, Any]) -> Reply:
        return Reply(body=completion(json.dumps(self.answer_for(request), ensure_ascii=False)))


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
    main()
