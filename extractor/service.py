"""Extraction over HTTP: FastAPI on uvicorn, with health, Prometheus metrics and back-pressure.

- ``POST /v1/extract`` ``{"text": ...}`` -> the record, or a typed error with a fitting
  status (400/413 bad input, 422 not a posting, 502/503 provider failing, 504 timeout);
- ``POST /v1/extract/batch`` ``{"texts": [...]}`` -> one result per item, in order;
- ``GET /healthz`` (alive), ``GET /readyz`` (model loaded or provider reachable),
  ``GET /metrics`` (Prometheus text).

At most ``max_concurrent`` model calls run at once and ``max_queue`` wait; past that a
request gets 429 with Retry-After at once rather than unbounded latency. One extractor
(one model, one cache) serves every request.
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

from extractor import __version__
from extractor.config import Settings
from extractor.errors import (
    ExtractionError,
    InputTooLargeError,
    InvalidInputError,
    LocalModelError,
    NotAJobPostingError,
    ProviderError,
    ProviderUnavailableError,
)
from extractor.pipeline import Extraction, Extractor
from extractor.record import JobPosting

log = logging.getLogger(__name__)

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


class ServiceTimeoutError(ExtractionError):
    """The extraction did not finish within the request timeout."""


class OverloadedError(ExtractionError):
    """Every model slot is busy and the queue is full."""


def status_for(error: Exception) -> int:
    if isinstance(error, ServiceTimeoutError):
        return 504
    if isinstance(error, OverloadedError):
        return 429
    return next(status for kind, status in _STATUS if isinstance(error, kind))


class ExtractRequest(BaseModel):
    # No maxLength here: size is the body limit's job (413), and cleanup's (InputTooLargeError, 413).
    text: str = Field(description="the raw posting text (HTML, Markdown or plain)")


class BatchRequest(BaseModel):
    texts: list[str] = Field(description="raw posting texts", min_length=1, max_length=MAX_BATCH)


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int


class ErrorBody(BaseModel):
    type: str = Field(description="the error class, e.g. NotAJobPostingError")
    message: str


class ExtractResponse(BaseModel):
    record: JobPosting
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
    error: ErrorBody | None = None
    cached: bool = False
    usage: Usage | None = None


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

    def __init__(self, slots: int, queue: int) -> None:
        self._slots = asyncio.Semaphore(slots)
        self._capacity = slots + queue
        self._admitted = 0

    def admit(self) -> None:
        if self._admitted >= self._capacity:
            raise OverloadedError("every extraction slot is busy and the queue is full; retry shortly")
        self._admitted += 1

    async def run(self, work: Callable[[], Extraction], timeout: float) -> Extraction:
        """Run ``work`` in a thread once a slot is free; the slot stays taken until the thread ends."""
        self.admit()
        try:
            await self._slots.acquire()
        except BaseException:
            self._admitted -= 1
            raise
        task = asyncio.ensure_future(asyncio.to_thread(work))
        task.add_done_callback(lambda _: self._release())
        try:
            return await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            raise ServiceTimeoutError(f"extraction took longer than {timeout:g}s") from None

    def _release(self) -> None:
        self._slots.release()
        self._admitted -= 1


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
        state["limiter"] = Limiter(settings.service_max_concurrent, settings.service_max_queue)
        state["ready"] = True
        log.info("ready: model %s, prompt %s", settings.model, chosen.prompt.version)
        yield
        state["ready"] = False

    app = FastAPI(
        title="extractor",
        version=__version__,
        summary="Raw job-posting text in, a validated JobPosting record out.",
        lifespan=lifespan,
    )

    def meta() -> dict[str, str]:
        chosen: Extractor = state["extractor"]
        return {"model": chosen.settings.model, "prompt_version": chosen.prompt.version}

    def error_response(error: Exception) -> JSONResponse:
        headers = {"Retry-After": "1"} if isinstance(error, OverloadedError) else None
        body = {"error": {"type": type(error).__name__, "message": str(error)}, **meta()}
        return JSONResponse(body, status_code=status_for(error), headers=headers)

    def account(result: Extraction) -> Usage:
        metrics.cache.labels("hit" if result.cached else "miss").inc()
        metrics.tokens.labels("prompt").inc(result.usage.prompt_tokens)
        metrics.tokens.labels("completion").inc(result.usage.completion_tokens)
        return Usage(prompt_tokens=result.usage.prompt_tokens, completion_tokens=result.usage.completion_tokens)

    async def extract_one(text: str) -> Extraction:
        chosen: Extractor = state["extractor"]
        return await state["limiter"].run(lambda: chosen.run(text), settings.service_timeout)

    @app.middleware("http")
    async def observe(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        route = request.url.path
        started = time.perf_counter()
        metrics.in_flight.inc()
        try:
            response = await _guard(request, call_next, settings)
        finally:
            metrics.in_flight.dec()
        elapsed = time.perf_counter() - started
        if route.startswith("/v1/"):
            metrics.latency.labels(route).observe(elapsed)
            metrics.requests.labels(route, str(response.status_code)).inc()
        response.headers["x-request-id"] = request_id
        log.info(
            "%s %s -> %d in %.3fs", request.method, route, response.status_code, elapsed,
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
        body = {"error": {"type": "InternalError", "message": "internal error; the server log has the details"}}
        return JSONResponse(body, status_code=500)

    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorResponse} for code in (400, 401, 413, 422, 429, 502, 503, 504)
    }

    @app.post("/v1/extract", response_model=ExtractResponse, responses=responses)
    async def extract(body: ExtractRequest) -> Any:
        """Extract one record from one posting text."""
        try:
            result = await extract_one(body.text)
        except ExtractionError as error:
            return error_response(error)
        return ExtractResponse(record=result.record, cached=result.cached, usage=account(result), **meta())

    @app.post("/v1/extract/batch", response_model=BatchResponse, responses=responses)
    async def extract_batch(body: BatchRequest) -> Any:
        """Extract a record from each text; one result per text, in order."""
        outcomes = await asyncio.gather(*(extract_one(text) for text in body.texts), return_exceptions=True)
        items = []
        for outcome in outcomes:
            if isinstance(outcome, ExtractionError):
                items.append(BatchItem(error=ErrorBody(type=type(outcome).__name__, message=str(outcome))))
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                items.append(BatchItem(record=outcome.record, cached=outcome.cached, usage=account(outcome)))
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
        reachable = await asyncio.to_thread(state["extractor"].llm().reachable)
        if not reachable:
            return error_response(ProviderUnavailableError(f"{state['extractor'].llm().base_url} does not answer"))
        return {"status": "ready", **meta()}

    @app.get("/metrics", response_class=Response)
    async def prometheus() -> Response:
        """Prometheus metrics in the text exposition format."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app


async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]], settings: Settings) -> Response:
    """Body-size limit and optional API-key auth, before any route runs."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > settings.service_max_body_bytes:
        message = f"request body is {int(length):,} bytes; the limit is {settings.service_max_body_bytes:,}"
        return JSONResponse({"error": {"type": "InputTooLargeError", "message": message}}, status_code=413)
    if settings.service_api_key and request.url.path.startswith("/v1/"):
        expected = settings.service_api_key.get_secret_value().encode()
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip().encode()
        if not hmac.compare_digest(given, expected):
            error = {"type": "AuthenticationError", "message": "missing or wrong API key"}
            return JSONResponse({"error": error}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    return await call_next(request)
