"""Record every LLM exchange once, replay it offline: vcrpy, configured for model endpoints.

- a request matches on method, path and JSON body: two postings never share an entry,
  while host and port (the embedded server picks a free port) and headers (the client
  varies them per request) do not matter;
- ``authorization`` and every key-like header or query parameter are scrubbed;
- only 2xx responses are recorded (a recorded 429 would replay as a retry storm), and
  bodies are stored decoded, not as gzip blobs.

``vcr_config()`` is what the pytest-recording ``vcr_config`` fixture should return and
``replay_client()`` the client to replay with (see the README); ``CassetteLibrary`` is the
same for code that is not a test, such as ``extractor eval --record/--replay``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.config import Settings
from extractor.errors import CassetteMissError

if TYPE_CHECKING:  # vcrpy and the client are imported when a cassette is used, not with the CLI
    import vcr

    from extractor.llm.client import LLMClient

SECRET_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
)
SECRET_QUERY_PARAMETERS = ("key", "api_key", "api-key", "access_token", "token")
# Where no model answers: replayed requests go here and never leave the process.
REPLAY_BASE_URL = "http://replay.invalid/v1"


def replay_client(settings: Settings) -> LLMClient:
    """A client for replay: no model, no server, no retries; cassettes answer every request."""
    from extractor.llm.client import LLMClient

    return LLMClient.from_settings(settings, base_url=REPLAY_BASE_URL, api_key="replay", max_retries=0)


def _json_body(first: Any, second: Any) -> None:
    def parsed(request: Any) -> Any:
        body = request.body or b""
        try:
            return json.loads(body)
        except ValueError:
            return body

    if parsed(first) != parsed(second):
        raise AssertionError("JSON bodies differ")


def _only_success(response: dict[str, Any]) -> dict[str, Any] | None:
    return response if 200 <= response["status"]["code"] < 300 else None


def vcr_config() -> dict[str, Any]:
    """Options for ``vcr.VCR`` (and pytest-recording's ``vcr_config`` fixture)."""
    return {
        "match_on": ["method", "path", "json_body"],
        "filter_headers": list(SECRET_HEADERS),
        "filter_query_parameters": list(SECRET_QUERY_PARAMETERS),
        "before_record_response": _only_success,
        "decode_compressed_response": True,
    }


def register_matchers(recorder: vcr.VCR) -> None:
    """Teach a ``vcr.VCR`` the ``json_body`` matcher; pytest-recording users call this from
    their ``pytest_recording_configure(config, vcr)`` hook."""
    recorder.register_matcher("json_body", _json_body)


def recorder(cassette_dir: Path, record_mode: str) -> vcr.VCR:
    import vcr

    recorder = vcr.VCR(cassette_library_dir=str(cassette_dir), record_mode=record_mode, **vcr_config())
    register_matchers(recorder)
    return recorder


def is_cassette_miss(error: BaseException | None) -> bool:
    """True when a failure was, underneath its wrappers, a request the cassette does not hold."""
    from vcr.errors import CannotOverwriteExistingCassetteException

    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, CannotOverwriteExistingCassetteException):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


class CassetteLibrary:
    """One cassette per name in a folder, replayed (``record=False``) or recorded afresh."""

    def __init__(self, directory: Path, *, record: bool, rerecord_hint: str) -> None:
        self.directory = directory
        self.record = record
        self.rerecord_hint = rerecord_hint
        self._vcr = recorder(directory, "all" if record else "none")

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.yaml"

    @contextlib.contextmanager
    def use(self, name: str) -> Iterator[None]:
        """Replay (or record) the cassette of ``name`` around the block.

        A case that made no model call when it was recorded (a text screened out by rule) has no
        cassette; replayed, it needs none. A request with no recorded answer raises ``CassetteMissError``.
        """
        if self.record:
            self.path(name).unlink(missing_ok=True)
        with self._vcr.use_cassette(f"{name}.yaml"):
            try:
                yield
            except Exception as error:
                if not is_cassette_miss(error):
                    raise
                raise CassetteMissError(
                    f"the cassette for {name!r} holds no answer for this request: the prompt, schema, model or "
                    f"settings changed since it was recorded. Re-record with: {self.rerecord_hint}"
                ) from error
