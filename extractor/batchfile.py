"""Provider batch files: the requests a live call would send, written for a provider's batch API,
and the answers it sends back later, each taken exactly as a live call takes its answer.

    extractor batchfile build postings/ -o requests.jsonl        # OpenAI's Batch API, `vllm run-batch`
    (upload it, wait for the batch, download its output file)
    extractor batchfile collect results.jsonl postings/ -o records.jsonl

A request line is ``{"custom_id", "method", "url", "body"}`` with the body instructor builds for
the configured mode; ``custom_id`` is the input's id. ``collect`` reads the same inputs again:
cleanup, screening and the cache run as in a live call, and the answer comes from the results
file instead of the endpoint, through the same client: instructor's parsing, the salvage of an
answer with invalid values, the usage counted, the typed errors. A re-ask or a retry is not
possible after the fact, so an answer that does not validate ends as ``OutputValidationError``
and an input the provider did not answer as ``ProviderUnavailableError`` (retryable: build the
inputs left into a new batch). Inputs that end before any call (empty, screened out) get no
request; ``collect`` writes their error line, so every input ends as one line.
"""

from __future__ import annotations

import contextvars
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import httpx2

from extractor._fanout import BatchInput, Work, fan_out, in_input_order, indexed
from extractor._sync import run_sync
from extractor.config import BATCH_PRICE_FACTOR, Settings
from extractor.errors import ExtractionError, ProviderError, ProviderUnavailableError
from extractor.pipeline import Extraction, Extractor

REQUEST_URL = "/v1/chat/completions"


def require_endpoint(settings: Settings) -> str:
    """The endpoint the batch is for; a ``ValueError`` that says what to set when there is none."""
    if not settings.endpoint.base_url:
        raise ValueError(
            "a batch file is for a hosted or self-hosted model: set EXTRACTOR_BASE_URL and EXTRACTOR_MODEL "
            "(for `vllm run-batch`, the URL the model would be served at) so the requests are built for it"
        )
    return settings.endpoint.base_url


@dataclass
class BuildSummary:
    """What ``build`` wrote, and why the other inputs need no request."""

    requests: int = 0
    cached: int = 0  # the cache holds their result already; collect serves them from it
    rejected: Counter[str] = field(default_factory=Counter)  # ended before any call; collect writes their error
    repeated: int = 0  # an id seen before: a batch file holds each custom_id once

    def describe(self) -> str:
        rejected = ", ".join(f"{kind} {count}" for kind, count in self.rejected.most_common()) or "none"
        repeated = f", {self.repeated} repeated ids skipped" if self.repeated else ""
        return (
            f"{self.requests} requests written; {self.cached} already in the cache; ended before any call: "
            f"{rejected}{repeated}"
        )


def build(
    items: Iterable[BatchInput], out: IO[str], settings: Settings | None = None, *, all_roles: bool = False
) -> BuildSummary:
    """Write a request line for each input that needs a model call, in the OpenAI Batch API's format."""
    settings = settings or Settings()
    require_endpoint(settings)
    extractor = Extractor(settings)
    summary = BuildSummary()
    seen: set[str] = set()
    for item in items:
        if item.key in seen:
            summary.repeated += 1
            continue
        seen.add(item.key)
        if item.read_error is not None:
            summary.rejected[type(item.read_error).__name__] += 1
            continue
        try:
            body = extractor.request_body(item.text if item.text is not None else b"", all_roles=all_roles)
        except ExtractionError as error:
            summary.rejected[type(error).__name__] += 1
            continue
        if body is None:
            summary.cached += 1
            continue
        line = {"custom_id": item.key, "method": "POST", "url": REQUEST_URL, "body": body}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        summary.requests += 1
    return summary


class ProviderResults:
    """A provider's batch output file, indexed by ``custom_id``; an answer is read when it is asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offsets: dict[str, int] = {}
        with path.open("rb") as lines:
            offset = 0
            for number, raw in enumerate(lines, start=1):
                if raw.strip():
                    try:
                        self._offsets[str(json.loads(raw)["custom_id"])] = offset
                    except (ValueError, KeyError, TypeError) as error:
                        raise ValueError(f"line {number} of {path} is not a batch result with a custom_id") from error
                offset += len(raw)

    def get(self, custom_id: str) -> dict[str, Any] | None:
        offset = self._offsets.get(custom_id)
        if offset is None:
            return None
        with self.path.open("rb") as lines:
            lines.seek(offset)
            line: dict[str, Any] = json.loads(lines.readline())
            return line


_answering: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("batch_result", default=None)


def _missing(line: dict[str, Any] | None) -> str | None:
    """Why a result line holds no answer to hand over, or None when it holds one (an error status included)."""
    if line is None:
        return "the results file has no line for it"
    response = line.get("response")
    if isinstance(response, dict) and isinstance(response.get("status_code"), int) and "body" in response:
        return None
    error: dict[str, Any] = line["error"] if isinstance(line.get("error"), dict) else {}
    return f"the provider did not answer it: {error.get('message') or error.get('code') or 'no response'}"


def _answer(request: httpx2.Request) -> httpx2.Response:
    """The endpoint, as the results file answers it: the provider's response for the input being collected."""
    line = _answering.get()
    if line is None or _missing(line) is not None:
        return httpx2.Response(503, json={"error": {"message": "no answer in the results file"}})
    response = line["response"]
    return httpx2.Response(response["status_code"], json=response["body"])


def collector(settings: Settings) -> Extractor:
    """An extractor configured as for the live calls, whose client the results file answers: no re-ask, no retry."""
    from extractor.llm.client import LLMClient

    client = LLMClient.from_settings(
        settings, base_url=require_endpoint(settings), api_key="batch", max_reasks=0, max_retries=0,
        http_client=lambda: httpx2.AsyncClient(transport=httpx2.MockTransport(_answer)),
    )  # fmt: skip
    return Extractor(settings, llm=client)


def collect(
    items: Iterable[BatchInput],
    results: ProviderResults,
    settings: Settings | None = None,
    *,
    all_roles: bool = False,
    price_factor: float = BATCH_PRICE_FACTOR,
) -> list[Extraction]:
    """One result per input, in input order: a record, or the typed error it ended with.

    Give the inputs and options that ``build`` was given: each input is read and screened again,
    and its answer taken from ``results`` by its id. ``price_factor`` scales the cost the
    ``EXTRACTOR_PRICE_*`` settings give (batch APIs bill less than live calls).
    """
    extractor = collector(settings or Settings())
    listed = list(items)

    async def answered(item: BatchInput, work: Work) -> Extraction:
        line = results.get(listed[int(item.source)].key)  # ``item`` is known by its index here
        _answering.set(line)  # this input's task's own
        try:
            return await work()
        except ProviderError as error:
            reason = _missing(line)
            if reason is None:
                raise
            raise ProviderUnavailableError(f"{results.path.name}: {reason}; build it into a new batch") from error

    answers = fan_out(extractor, indexed(listed), concurrency=extractor.settings.batch.concurrency, all_roles=all_roles,
                      around=answered)  # fmt: skip
    collected = run_sync(in_input_order(listed, answers))
    return [replace(result, cost=None if result.cost is None else result.cost * price_factor) for result in collected]
