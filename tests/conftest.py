from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.config import Settings
from extractor.llm.cassettes import register_matchers, replay_client
from extractor.llm.cassettes import vcr_config as extractor_vcr_config
from extractor.llm.client import LLMClient
from extractor.pipeline import Extractor
from extractor.testing import FakeEndpoint, Reply, completion

__all__ = ["CASES", "FakeEndpoint", "Reply", "case_text", "completion", "quick_retry_client", "posting_json"]

CASES = Path(__file__).parent.parent / "evals" / "cases"


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    register_matchers(vcr)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return extractor_vcr_config()


@pytest.fixture
def recorded_extractor(request: pytest.FixtureRequest, tmp_path: Path) -> Extractor:
    """An extractor on the embedded model: live while recording, from cassettes otherwise.

    Replay needs no model and no server (requests go to an address that never resolves
    and are answered by the cassette); `pytest --record-mode=once` records what is missing.
    """
    settings = Settings().updated(cache={"enabled": False, "dir": tmp_path}, local={"model_dir": Settings().local_model_dir})
    if request.config.getoption("--record-mode") in (None, "none"):
        return Extractor(settings, llm=replay_client(settings))
    return Extractor(settings)


def case_text(stem: str) -> bytes:
    return (CASES / f"{stem}.txt").read_bytes()


def posting_json(**overrides: Any) -> str:
    """The model's answer for the Descript seed (``ModelAnswer``), as JSON."""
    answer: dict[str, Any] = {
        "title": "Software Engineer - Platform",
        "company": "Descript",
        "locations": [{"country": "Canada"}, {"country": "US"}],
        "seniority": "senior",
        "is_job_posting": True,
    }
    answer.update(overrides)
    return json.dumps(answer)


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer's .env or EXTRACTOR_* variables leak into a test."""
    for name in list(os.environ):
        if name.startswith("EXTRACTOR_") or name == "OPENAI_API_KEY":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def endpoint() -> Iterator[FakeEndpoint]:
    fake = FakeEndpoint()
    yield fake
    fake.close()


@pytest.fixture
def settings(tmp_path: Path, endpoint: FakeEndpoint) -> Settings:
    """Settings aimed at the fake endpoint, with a cache of the test's own."""
    # The fake endpoint answers the core strategy's questions unless a test asks for the whole record.
    return Settings().updated(
        endpoint={"base_url": endpoint.url, "api_key": "sk-test", "model": "fake"}, cache={"dir": tmp_path / "cache"},
        question={"strategy": "core"},
    )


def quick_retry_client(settings: Settings, **overrides: Any) -> LLMClient:
    """A client like the pipeline's, with backoff in milliseconds so retry tests run fast."""
    options: dict[str, Any] = {"timeout": 2.0, "backoff_multiplier": 0.01, **overrides}
    base_url = options.pop("base_url", settings.endpoint.base_url)
    return LLMClient.from_settings(settings, base_url=base_url, api_key="sk-test", **options)


@pytest.fixture
def extractor(settings: Settings) -> Extractor:
    return Extractor(settings, llm=quick_retry_client(settings))
