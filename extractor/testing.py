"""A fake OpenAI-compatible endpoint on loopback, for tests, load tests and benchmarks.

    from extractor.testing import FakeEndpoint, Reply, completion

    endpoint = FakeEndpoint()
    endpoint.default = Reply(body=completion(
        '{"title": "Chef", "company": null, "locations": [], "seniority": null, "is_job_posting": true}'
    ))
    Extractor(Settings(base_url=endpoint.url)).extract("Chef wanted, Croydon")
    endpoint.close()

``python -m extractor.testing --delay 0.05`` serves one fixed answer from its own process
(the URL goes to stdout), so a benchmark's client does not share a GIL with its server.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


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


class FakeEndpoint:
    """A local OpenAI-compatible server that answers from a script and records requests."""

    def __init__(self, *, record_requests: bool = True) -> None:
        self.record_requests = record_requests
        self.script: list[Reply] = []
        self.default: Reply | None = None
        self.router: Callable[[dict[str, Any]], Reply] | None = None  # picks a reply per request
        self.requests: list[dict[str, Any]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as real endpoints do; without Nagle, or each answer waits on a delayed ACK.
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                request = json.loads(self.rfile.read(length))
                if endpoint.record_requests:
                    endpoint.requests.append(request)
                if endpoint.router is not None:
                    reply = endpoint.router(request)
                else:
                    reply = endpoint.script.pop(0) if endpoint.script else endpoint.default
                assert reply is not None, "the fake endpoint ran out of scripted replies"
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.close:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.request_queue_size = 128
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def reply(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def answer(self, content: str, finish_reason: str = "stop") -> Reply:
        return Reply(body=completion(content, finish_reason))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


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
