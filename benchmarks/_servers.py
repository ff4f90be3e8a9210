"""Start a fake model endpoint and `extractor serve` in their own processes, for load and fuzz runs."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
ANSWER = {"title": "Backend Engineer", "company": "Acme Robotics", "locations": [], "seniority": None,
          "is_job_posting": True}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def fake_model(delay: float, answer: dict[str, object] | None = None) -> Iterator[tuple[str, int]]:
    """A fake OpenAI-compatible endpoint answering in ``delay`` seconds; yields its base URL and process id."""
    process = subprocess.Popen(
        [sys.executable, "-m", "extractor.testing", "--delay", str(delay), "--content", json.dumps(answer or ANSWER)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        yield (process.stdout.readline().strip() if process.stdout else ""), process.pid
    finally:
        process.terminate()
        process.wait()


@contextlib.contextmanager
def running_service(model_url: str, **settings: str) -> Iterator[str]:
    """`extractor serve` on a free loopback port against ``model_url``; yields its URL once ready."""
    port = _free_port()
    env = {**os.environ, "EXTRACTOR_BASE_URL": model_url, "EXTRACTOR_CACHE": "false", "EXTRACTOR_STRATEGY": "core",
           **{f"EXTRACTOR_{name.upper()}": value for name, value in settings.items()}}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "extractor", "serve", "--port", str(port)], env=env, cwd=ROOT,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(httpx2.HTTPError):
                if httpx2.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait()
