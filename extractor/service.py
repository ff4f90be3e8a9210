"""Extraction over HTTP: FastAPI on uvicorn, with health, Prometheus metrics and back-pressure.

- ``POST /v1/extract`` ``{"text": ..., "all_roles": false}`` -> the record (and with ``all_roles``
  a record per role, ``records``), or a typed error with a fitting
  status (400/413 bad input, 422 not a posting, 502/503 provider failing, 504 timeout);
- ``POST /v1/extract/batch`` ``{"texts": [...]}`` -> one result per item, in order;
- ``GET /healthz`` (alive), ``GET /readyz`` (model loaded or provider reachable),
  ``GET /metrics`` (Prometheus text).

At most ``max_concurrent`` extractions run at once and ``max_queue`` wait; past that a
request gets 429 with Retry-After at once rather than unbounded latency. The request
timeout counts from arrival, queue time included; a request past it gets 504 and its
extraction is cancelled, so its slot is free at once. Bodies are counted as they arrive:
one over the limit gets 413 without being read whole, chunked or not. One extractor (one
model, one cache) serves every request, on the server's event loop.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from extractor._fanout import BatchInput, Work, fan_out, in_input_order, indexed
from extractor._version import __version__
from extractor.config import Settings
from extractor.errors import (
    ExtractionError,
    InputTooLargeError,
    InvalidInputError,
    LocalModelError,
    NotAJobPostingError,
    OverloadedError,
    ProviderError,
    ProviderUnavailableError,
    ServiceTimeoutError,
    error_class,
)
from extractor.pipeline import Extraction, Extractor
from extractor.record import JobPosting
from extractor.usage import Usage

log = logging.getLogger(__name__)

_INTERNAL_ERROR = "internal error; the server log has the details"
MAX_BATCH = 32
_STATUS: list[tuple[type[Exception], int]] = [
    (InputTooLargeError, 413),
    (InvalidInputError, 400),
    (NotAJobPostingError, 422),
    (ProviderUnavailableError, 503),
    (LocalModelError, 503),
    (ProviderError, 502),
    (ExtractionError, 502),  # the model's output stayed unusable
]


def status_for(error: Exception) -> int:
    if isinstance(error, ServiceTimeoutError):
        return 504
    if isinstance(error, OverloadedError):
        return 429
    return next(status for kind, status in _STATUS if isinstance(error, kind))


class ExtractRequest(BaseModel):
    # No maxLength here: size is the body limit's job (413), and cleanup's (InputTooLargeError, 413).
    text: str = Field(description="the raw posting text (HTML, Markdown or plain)")
    all_roles: bool = Field(default=False, description="also answer a record per role the text offers (`records`)")


class BatchRequest(BaseModel):
    texts: list[str] = Field(description="raw posting texts", min_length=1, max_length=MAX_BATCH)
    all_roles: bool = Field(default=False, description="also answer a record per role each text offers (`records`)")


class ErrorBody(BaseModel):
    type: str = Field(description="the error class, e.g. NotAJobPostingError")
    message: str


class ExtractResponse(BaseModel):
    record: JobPosting
    records: list[JobPosting] | None = Field(default=None, description="a record per role, when all_roles was asked")
    cached: bool
    model: str
    prompt_version: str
    usage: Usage


class ErrorResponse(BaseModel):
    error: ErrorBody
    model: str
    prompt_version: str


class BatchItem(BaseModel):
    record: JobPosting | None = None
    records: list[JobPosting] | None = None
    error: ErrorBody | None = None
    cached: bool = False
    usage: Usage | None = None


def _batch_item(result: Extraction, usage: Usage) -> BatchItem:
    """A batch's result as the service answers it; what a bug was stays in the log (``extractor._fanout``)."""
    if result.ok:
        return BatchItem(record=result.record, records=result.roles or None, cached=result.cached, usage=usage)
    if error_class(result.error_type) is None:
        return BatchItem(error=ErrorBody(type="InternalError", message=_INTERNAL_ERROR), usage=usage)
    return BatchItem(error=ErrorBody(type=str(result.error_type), message=str(result.error_message)), usage=usage)


class BatchResponse(BaseModel):
    results: list[BatchItem]
    model: str
    prompt_version: str


class Metrics:
    """Prometheus metrics of one app, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("extractor_requests", "HTTP requests", ["route", "outcome"], registry=self.registry)
        self.latency = Histogram(
            "extractor_request_seconds", "HTTP request latency", ["route"], registry=self.registry,
            buckets=(0.005, 0.05, 0.25, 1, 2.5, 5, 10, 20, 40, 80, 160),
        )  # fmt: skip
        self.cache = Counter("extractor_cache_lookups", "result cache lookups", ["result"], registry=self.registry)
        self.tokens = Counter("extractor_llm_tokens", "tokens spent", ["kind"], registry=self.registry)
        self.retries = Counter("extractor_llm_retries", "transport retries", registry=self.registry)
        self.reasks = Counter("extractor_llm_reasks", "validation re-asks", registry=self.registry)
        self.in_flight = Gauge("extractor_in_flight_requests", "requests being served", registry=self.registry)
        self.queued = Gauge("extractor_queued_extractions", "extractions waiting for a slot", registry=self.registry)


class Limiter:
    """At most ``slots`` extractions at once and ``queue`` waiting; more is refused at once."""

    def __init__(self, slots: int, queue: int, on_queue: Callable[[int], None] | None = None) -> None:
        self._slots = asyncio.Semaphore(slots)
        self._capacity = slots + queue
        self._admitted = 0
        self._waiting = 0
        self._on_queue = on_queue  # told how many wait, whenever that changes

    def admit(self) -> None:
        if self._admitted >= self._capacity:
            raise OverloadedError("every extraction slot is busy and the queue is full; retry shortly")
        self._admitted += 1

    async def run(self, work: Callable[[], Awaitable[Extraction]], timeout: float) -> Extraction:
        """Await ``work()`` once a slot is free, all within ``timeout`` seconds of now, queue time included.

        Past the timeout the work is cancelled (its model call too) and its slot is free at once.
        """
        self.admit()
        try:
            async with asyncio.timeout(timeout) as deadline:
                await self._take_slot()
                try:
                    return await work()
                finally:
                    self._slots.release()
        except TimeoutError:
            if deadline.expired():
                raise ServiceTimeoutError(f"extraction took longer than {timeout:g}s, queue time included") from None
            raise
        finally:
            self._admitted -= 1

    async def _take_slot(self) -> None:
        self._queued(+1)
        try:
            await self._slots.acquire()
        finally:
            self._queued(-1)

    def _queued(self, change: int) -> None:
        self._waiting += change
        if self._on_queue is not None:
            self._on_queue(self._waiting)


def create_app(settings: Settings | None = None, *, extractor: Extractor | None = None) -> FastAPI:
    settings = settings or Settings()
    state: dict[str, Any] = {"ready": False}
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        chosen = extractor or Extractor(settings)
        await asyncio.to_thread(chosen.warm_up)
        chosen.llm().on_retry = metrics.retries.inc
        chosen.llm().on_reask = metrics.reasks.inc
        state["extractor"] = chosen
        state["limiter"] = Limiter(settings.service.max_concurrent, settings.service.max_queue, metrics.queued.set)
        state["ready"] = True
        log.info("ready: model %s, prompt %s", settings.endpoint.model, chosen.prompt.version)
        yield
        state["ready"] = False
        await chosen.aclose()

    app = FastAPI(
        title="extractor",
        version=__version__,
        summary="Raw job-posting text in, a validated JobPosting record out.",
        lifespan=lifespan,
    )

    def meta() -> dict[str, str]:
        chosen: Extractor = state["extractor"]
        return {"model": chosen.settings.endpoint.model, "prompt_version": chosen.prompt.version}

    def error_response(error: Exception) -> JSONResponse:
        headers = {"Retry-After": "1"} if isinstance(error, OverloadedError) else None
        body = {"error": {"type": type(error).__name__, "message": str(error)}, **meta()}
        return JSONResponse(body, status_code=status_for(error), headers=headers)

    def spent(usage: Usage | None) -> None:
        if usage is not None:
            metrics.tokens.labels("prompt").inc(usage.prompt_tokens)
            metrics.tokens.labels("completion").inc(usage.completion_tokens)

    def account(result: Extraction) -> Usage:
        """Count a result in the metrics (a failed one's calls cost tokens too); its usage."""
        if result.ok:
            metrics.cache.labels("hit" if result.cached else "miss").inc()
        spent(result.usage)
        return result.usage

    def guarded(item: BatchInput, work: Work) -> Awaitable[Extraction]:
        """An extraction within the service's slots, queue and deadline."""
        return state["limiter"].run(work, settings.service.timeout)

    # Added first, so it runs inside ``observe``: a 413 is counted like every other answer.
    app.add_middleware(BodyLimit, limit=settings.service.max_body_bytes)

    @app.middleware("http")
    async def observe(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        path = request.url.path
        route = route_template(app, request.scope)  # a label per route, not per path a client makes up
        started = time.perf_counter()
        metrics.in_flight.inc()
        try:
            response = await _guard(request, call_next, settings, json_route=route in _JSON_ROUTES)
        finally:
            metrics.in_flight.dec()
        elapsed = time.perf_counter() - started
        if path.startswith("/v1/"):
            metrics.latency.labels(route).observe(elapsed)
            metrics.requests.labels(route, str(response.status_code)).inc()
        response.headers["x-request-id"] = request_id
        log.info(
            "%s %s -> %d in %.3fs", request.method, path, response.status_code, elapsed,
            extra={"request_id": request_id, "status": response.status_code, "seconds": round(elapsed, 4)},
        )  # fmt: skip
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
        message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:5])
        return error_response(InvalidInputError(message))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        # A body that is not JSON, an unknown route: the same error shape as every other failure.
        kind = "InvalidInputError" if error.status_code == 400 else "HTTPError"
        body = {"error": {"type": kind, "message": str(error.detail)}, **meta()}
        return JSONResponse(body, status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        # A bug: logged with its traceback, answered without one.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {"error": {"type": "InternalError", "message": _INTERNAL_ERROR}}
        return JSONResponse(body, status_code=500)

    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorResponse} for code in (400, 401, 413, 415, 422, 429, 502, 503, 504)
    }

    @app.post("/v1/extract", response_model=ExtractResponse, responses=responses)
    async def extract(body: ExtractRequest) -> Any:
        """Extract one record from one posting text."""
        chosen: Extractor = state["extractor"]
        try:
            result = await state["limiter"].run(
                lambda: chosen.arun(body.text, all_roles=body.all_roles), settings.service.timeout
            )
        except ExtractionError as error:
            spent(error.usage)
            return error_response(error)
        records = result.roles if body.all_roles else None
        return ExtractResponse(record=result.record, records=records, cached=result.cached, usage=account(result), **meta())

    @app.post("/v1/extract/batch", response_model=BatchResponse, responses=responses)
    async def extract_batch(body: BatchRequest) -> Any:
        """Extract a record from each text; one result per text, in order."""
        inputs = indexed(BatchInput("", text) for text in body.texts)
        every = fan_out(state["extractor"], inputs, concurrency=len(inputs), all_roles=body.all_roles, around=guarded)
        items = [_batch_item(result, account(result)) for result in await in_input_order(inputs, every)]
        return BatchResponse(results=items, **meta())

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz", responses={503: {"model": ErrorResponse}})
    async def readyz() -> Any:
        """The model is loaded (embedded) or the provider answers (hosted)."""
        if not state["ready"]:
            return error_response(ProviderUnavailableError("starting up"))
        reachable = await state["extractor"].llm().reachable()
        if not reachable:
            return error_response(ProviderUnavailableError(f"{state['extractor'].llm().base_url} does not answer"))
        return {"status": "ready", **meta()}

    @app.get("/metrics", response_class=Response)
    async def prometheus() -> Response:
        """Prometheus metrics in the text exposition format."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app


_JSON_ROUTES = {"/v1/extract", "/v1/extract/batch"}
UNMATCHED = "unmatched"


def route_template(app: FastAPI, scope: Scope) -> str:
    """The path template of the route a request goes to (``UNMATCHED`` for none): a bounded label set."""
    partial = None
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return str(getattr(route, "path", UNMATCHED))
        if match is Match.PARTIAL and partial is None:  # the path, another method (405)
            partial = str(getattr(route, "path", UNMATCHED))
    return partial or UNMATCHED


def _too_large(size: int | None, limit: int) -> JSONResponse:
    said = f"is {size:,} bytes" if size is not None else "goes on"
    message = f"request body {said}; the limit is {limit:,} bytes"
    return JSONResponse({"error": {"type": "InputTooLargeError", "message": message}}, status_code=413)


class BodyLimit:
    """ASGI middleware: a request body is counted as it arrives and refused with 413 once past ``limit``.

    A Content-Length over the limit is refused before any byte is read; a body without one
    (chunked transfer encoding) at the first chunk that takes it over, never read whole.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"").decode("latin-1")
        if length.isdigit() and int(length) > self.limit:
            await _too_large(int(length), self.limit)(scope, receive, send)
            return
        received: list[Message] = []
        size = 0
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await _too_large(None, self.limit)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replay = iter(received)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, replayed, send)


def _bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; the scheme is case-insensitive (RFC 7235)."""
    scheme, _, token = header.strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return not media or media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def _guard(
    request: Request, call_next: Callable[[Request], Awaitable[Response]], settings: Settings, *, json_route: bool
) -> Response:
    """Optional API-key auth and the JSON content type, before any route runs."""
    if settings.service.api_key and request.url.path.startswith("/v1/"):
        expected = settings.service.api_key.get_secret_value().encode()
        given = (_bearer_token(request.headers.get("authorization", "")) or "").encode()
        if not given or not hmac.compare_digest(given, expected):
            error = {"type": "AuthenticationError", "message": "missing or wrong API key"}
            return JSONResponse({"error": error}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    if json_route and request.method == "POST" and not _is_json(request.headers.get("content-type")):
        message = f"the body must be JSON (content-type: application/json), not {request.headers['content-type']}"
        return JSONResponse({"error": {"type": "UnsupportedMediaTypeError", "message": message}}, status_code=415)
    return await call_next(request)
