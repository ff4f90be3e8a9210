"""One schema-constrained chat call: instructor over the openai client, with two retry layers.

- instructor re-asks when the answer fails validation (``max_reasks``), sending the
  validator's message back to the model;
- tenacity retries transport failures (429 honouring Retry-After, 5xx, timeouts,
  connection errors) with exponential backoff and jitter, bounded in attempts and in
  total time.

The openai client's own retries are off, so the policy lives here and nowhere else.
Every failure leaves as an ``ExtractionError`` subclass that says why. The calls are async
(``acomplete``); ``complete`` runs one on the package's event loop for sync code (``extractor._sync``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import email.utils
import importlib
import json
import logging
import time
import urllib.parse
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
import instructor
import openai
import pydantic
from instructor.core import IncompleteOutputException, InstructorRetryException
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, stop_after_delay
from tenacity.wait import wait_random_exponential

from extractor._sync import close_at_exit, is_process_loop, run_sync
from extractor.config import OutputMode, Settings
from extractor.errors import ExtractionError, OutputValidationError, ProviderError, ProviderUnavailableError
from extractor.usage import Usage

log = logging.getLogger(__name__)

Model = TypeVar("Model", bound=pydantic.BaseModel)

_MODES = {
    OutputMode.json_schema: instructor.Mode.JSON_SCHEMA,
    OutputMode.tools: instructor.Mode.TOOLS,
    OutputMode.json: instructor.Mode.JSON,
    OutputMode.md_json: instructor.Mode.MD_JSON,
}
_TRANSIENT = (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)
# Longest Retry-After honoured; a server asking for more is treated as down.
MAX_RETRY_AFTER = 60.0


_FAILURES = (InstructorRetryException, openai.OpenAIError, IncompleteOutputException)


# The usage of the call in progress in this thread or task: every answer the endpoint sends
# back is counted into it as it arrives (instructor's "completion:response" hook), so re-asks,
# cut-off answers, answers that failed validation and attempts a transport retry replaced all
# count, whatever then fails.
_SPENT: contextvars.ContextVar[Usage | None] = contextvars.ContextVar("extractor_call_usage", default=None)


def _count(response: Any) -> None:
    spent = _SPENT.get()
    if spent is not None:
        spent.add(_usage(getattr(response, "usage", None)))


# The output mode each provider's endpoint is asked in when the setting is ``auto``, by host;
# every other endpoint (llama.cpp, vLLM, Ollama) constrains decoding to a JSON schema, and small
# models fail at tool calls.
AUTO_MODES = {"api.openai.com": instructor.Mode.TOOLS}


def resolve_mode(mode: OutputMode, base_url: str) -> instructor.Mode:
    """The instructor mode for the setting; ``auto`` looks the endpoint's host up in ``AUTO_MODES``."""
    if mode is OutputMode.auto:
        return AUTO_MODES.get(urllib.parse.urlsplit(base_url).hostname or "", instructor.Mode.JSON_SCHEMA)
    return _MODES[mode]


def _cut_off(error: BaseException | None) -> bool:
    """Whether the answer stopped short (finish_reason=length) before its JSON was complete."""
    return isinstance(error, IncompleteOutputException)


def _transport_cause(error: BaseException) -> BaseException | None:
    """The transient transport error behind a failure, if that is what it was.

    instructor wraps any exception that is not a validation error in
    ``InstructorRetryException``; the real cause is its ``__cause__``.
    """
    cause = error.__cause__ if isinstance(error, InstructorRetryException) else error
    return cause if isinstance(cause, _TRANSIENT) else None


def retry_after(error: BaseException | None) -> float | None:
    """Seconds a 429/503 response asks us to wait (Retry-After as seconds or HTTP date)."""
    response = getattr(error, "response", None)
    if response is None:
        return None
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(0.0, seconds)


class _WaitRetryAfter:
    """Wait what the server's Retry-After says, else exponential backoff with full jitter."""

    def __init__(self, multiplier: float, maximum: float) -> None:
        self._backoff = wait_random_exponential(multiplier=multiplier, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = retry_after(_transport_cause(error)) if error else None
        if asked is not None:
            return min(asked, MAX_RETRY_AFTER)
        return self._backoff(state)


@dataclass
class _LoopClient:
    """What one event loop's calls go through. The public client is made at its first use: the fast
    client's direct path may never need it, and making one costs tens of milliseconds (an SSL context)."""

    make_instructed: Callable[[], instructor.AsyncInstructor]
    slots: Any  # an asyncio.Semaphore of ``max_in_flight``, or a null context
    direct: Any  # the fast client's direct path (``extractor.llm._fast.Direct``), or None
    made: instructor.AsyncInstructor | None = None

    @property
    def instructed(self) -> instructor.AsyncInstructor:
        if self.made is None:
            self.made = self.make_instructed()
        return self.made

    async def aclose(self) -> None:
        if self.made is not None:
            await self.made.client.close()  # type: ignore[union-attr]  # from_openai's client is always set
        if self.direct is not None:
            await self.direct.aclose()


class LLMClient:
    """Calls one OpenAI-compatible endpoint for one pydantic response model at a time."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        mode: OutputMode,
        max_tokens: int,
        temperature: float,
        timeout: float,
        max_retries: int,
        retry_max_seconds: float,
        max_reasks: int,
        backoff_multiplier: float = 1.0,
        http_client: Callable[[], httpx2.AsyncClient] | None = None,
        max_in_flight: int | None = None,
        fast: bool = False,
    ) -> None:
        """The options ``Settings`` names take their defaults there (``from_settings``), nowhere else.

        ``max_in_flight`` bounds this client's requests in flight (the server's slots, for a server
        that queues the rest): a call waits for its turn here, where the wait is not part of
        ``timeout``, rather than in the server's queue, where it would be. ``http_client`` makes the
        HTTP client of each event loop the calls run on (connections belong to one loop): openai's
        httpx client by default, which vcrpy's cassettes record and replay; aiohttp with ``fast``."""
        self.base_url = base_url
        self.model = model
        self.mode = resolve_mode(mode, base_url)
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.max_reasks = max_reasks
        self._connection: dict[str, Any] = {"base_url": base_url, "api_key": api_key, "timeout": timeout, "max_retries": 0}
        # The opt-in fast client reaches past instructor's and openai's public APIs (extractor.llm._fast).
        self._fast = importlib.import_module("extractor.llm._fast") if fast else None
        self._http_client = http_client or (openai.DefaultAioHttpClient if fast else openai.DefaultAsyncHttpxClient)
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClient] = weakref.WeakKeyDictionary()
        self.max_in_flight = max_in_flight
        # Counters a host (the HTTP service's metrics) may set; called once per event.
        self.on_retry: Callable[[], None] | None = None
        self.on_reask: Callable[[], None] | None = None
        self._retry_policy: dict[str, Any] = {
            # A cut-off answer is retried like a transport failure, within the same bounds.
            "retry": retry_if_exception(lambda error: _transport_cause(error) is not None or _cut_off(error)),
            "stop": stop_after_attempt(max_retries + 1) | stop_after_delay(retry_max_seconds),
            "wait": _WaitRetryAfter(multiplier=backoff_multiplier, maximum=30.0),
            "before_sleep": self._log_retry,
            "reraise": True,
        }

    @classmethod
    def from_settings(cls, settings: Settings, *, base_url: str, api_key: str, **overrides: Any) -> LLMClient:
        """A client with every option taken from ``settings``, endpoint and key given apart."""
        options: dict[str, Any] = dict(
            model=settings.endpoint.model,
            mode=settings.endpoint.mode,
            max_tokens=settings.question.max_tokens,
            temperature=settings.question.temperature,
            timeout=settings.endpoint.timeout,
            max_retries=settings.endpoint.max_retries,
            retry_max_seconds=settings.endpoint.retry_max_seconds,
            max_reasks=settings.question.max_reasks,
            fast=settings.endpoint.fast_client,
        )
        options.update(overrides)
        return cls(base_url=base_url, api_key=api_key, **options)

    def _hooked(self, client: Any) -> Any:
        """An instructor client that counts every answer's tokens and every re-ask."""
        client.on("completion:response", _count)
        client.on("parse:error", self._parse_error)
        return client

    def _loop_client(self) -> _LoopClient:
        """The running event loop's client: connections belong to one loop."""
        loop = asyncio.get_running_loop()
        if loop not in self._clients:
            direct = None
            if self._fast and self.mode is instructor.Mode.JSON_SCHEMA:  # the answer is the message's content
                direct = self._fast.Direct(self.base_url, self._connection["api_key"], self._connection["timeout"],
                                           self._body_without_messages)  # fmt: skip
            self._clients[loop] = _LoopClient(
                self._instructed,
                asyncio.Semaphore(self.max_in_flight) if self.max_in_flight else contextlib.nullcontext(),
                direct,
            )
            if is_process_loop(loop):  # the sync forms' loop lives as long as the process
                close_at_exit(self.aclose)
        return self._clients[loop]

    def _instructed(self) -> instructor.AsyncInstructor:
        """An instructor client over a new openai client: what a call goes through the public way."""
        connection = openai.AsyncOpenAI(**self._connection, http_client=self._http_client())
        instructed = self._fast.instructed if self._fast else instructor.from_openai
        return self._hooked(instructed(connection, mode=self.mode))

    async def aclose(self) -> None:
        """Close the running loop's connections; its next call opens new ones."""
        closing = self._clients.pop(asyncio.get_running_loop(), None)
        if closing is not None:
            await closing.aclose()

    def _parse_error(self, error: Exception, **attempt: Any) -> None:
        if self.on_reask is not None and not attempt.get("is_last_attempt", True):
            self.on_reask()

    async def reachable(self, timeout: float = 5.0) -> bool:
        """Whether the endpoint answers HTTP at all (any status counts)."""
        client = self._loop_client().instructed.client
        try:
            await client.with_options(timeout=timeout).models.list()  # type: ignore[union-attr]
        except openai.APIStatusError:
            return True
        except openai.OpenAIError:
            return False
        return True

    def _log_retry(self, state: RetryCallState) -> None:
        if self.on_retry is not None:
            self.on_retry()
        error = state.outcome.exception() if state.outcome else None
        cause = "the answer was cut off (finish_reason=length)" if _cut_off(error) else error and _transport_cause(error)
        log.warning(
            "transient failure (%s), retry %d in %.1fs",
            cause,
            state.attempt_number,
            state.upcoming_sleep,
        )

    def _request(self, messages: list[dict[str, str]], response_model: type[Model]) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": messages,
            "response_model": self._fast.prepared(response_model) if self._fast else response_model,
            "max_retries": self.max_reasks,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
        }

    def request_body(self, messages: list[dict[str, str]], response_model: type[Model]) -> dict[str, Any]:
        """The body ``complete`` would POST to /chat/completions first, built by instructor and not sent.

        A provider batch file carries these bodies (``extractor.batchfile``): the same request a
        live call makes, for the mode this client resolved.
        """
        captured: dict[str, Any] = {}

        def capture(**request: Any) -> Any:
            captured.update(request)
            raise _Captured

        client = instructor.Instructor(client=None, create=instructor.patch(create=capture, mode=self.mode), mode=self.mode)
        with contextlib.suppress(_Captured):
            client.chat.completions.create(**{**self._request(messages, response_model), "max_retries": 0})
        if not captured:
            raise AssertionError("instructor built no request")  # it always calls create first
        return captured

    async def acomplete(self, messages: list[dict[str, str]], response_model: type[Model]) -> tuple[Model, Usage]:
        """The validated answer and what it cost; raises an ``ExtractionError`` subclass.

        The cost counts every answer the endpoint sent; an error raised carries it as ``error.usage``.
        """
        usage = Usage()
        counting = _SPENT.set(usage)  # this task's own: tasks run in copies of the context
        try:
            client = self._loop_client()
            if client.direct is not None:
                async with client.slots:
                    answer = await client.direct.answer(messages, response_model, usage)
                if answer is not None:
                    return answer, usage
            # A fresh controller per call: tenacity keeps a call's state on it, shared by every task of a thread.
            async for attempt in AsyncRetrying(**self._retry_policy):
                with attempt:
                    async with client.slots:
                        result = await client.instructed.chat.completions.create(**self._request(messages, response_model))
                    return result, usage
        except _FAILURES as error:
            return self._recover(error, response_model, usage), usage
        finally:
            _SPENT.reset(counting)
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _body_without_messages(self, response_model: type[Model]) -> dict[str, Any]:
        """The request body for ``response_model``, all but its messages (the fast client's direct path)."""
        placeholder = [{"role": "user", "content": "a posting"}]
        body = self.request_body(placeholder, response_model)
        if body.pop("messages") != placeholder:
            raise AssertionError(f"instructor's {self.mode} mode rewrites the messages")
        return body

    def complete(self, messages: list[dict[str, str]], response_model: type[Model]) -> tuple[Model, Usage]:
        """``acomplete`` for sync code."""
        return run_sync(self.acomplete(messages, response_model))

    def _recover(self, error: Exception, response_model: type[Model], usage: Usage) -> Model:
        """The answer salvaged from a failed call, else the ``ExtractionError`` that says why there is none."""
        salvaged = _salvage(error, response_model) if isinstance(error, InstructorRetryException) else None
        if salvaged is not None:
            return salvaged
        failure = self._cut_off_error(error) if isinstance(error, IncompleteOutputException) else self._translate(error)
        failure.usage = usage
        raise failure from error

    def _cut_off_error(self, error: IncompleteOutputException) -> ExtractionError:
        """Why the answer was cut off: at ``max_tokens``, or earlier, by the endpoint itself."""
        tokens = getattr(getattr(error.last_completion, "usage", None), "completion_tokens", None)
        if tokens is not None and tokens < self.max_tokens:
            reason = (
                f"the endpoint ended the answer after {tokens} completion tokens (finish_reason=length), "
                f"short of the {self.max_tokens} allowed: its context window is full (prompt and answer), "
                "or it limits generation itself"
            )
        elif tokens is not None:
            reason = f"the answer reached max_tokens={self.max_tokens} (EXTRACTOR_MAX_TOKENS)"
        else:
            reason = "the endpoint stopped the answer early (finish_reason=length)"
        return OutputValidationError(f"the model's output was cut off before the JSON was complete: {reason}")

    def _translate(self, error: Exception) -> ExtractionError:
        cause = error.__cause__ if isinstance(error, InstructorRetryException) else error
        completion = getattr(error, "last_completion", None)
        if isinstance(cause, json.JSONDecodeError) and completion is None:
            # The HTTP body itself was not JSON (a proxy's error page, a broken server): no answer to parse.
            return ProviderError(f"{self.base_url} answered with a body that is not JSON: {cause}")
        refusal = _refusal(completion)
        if refusal:
            return OutputValidationError(f"the model refused to answer: {refusal}")
        if isinstance(cause, _TRANSIENT):
            return ProviderUnavailableError(f"{self.base_url} kept failing, retries exhausted: {_describe(cause)}")
        if isinstance(cause, openai.APIStatusError):
            return ProviderError(f"{self.base_url} refused the request: {_describe(cause)}")
        if isinstance(cause, openai.OpenAIError):
            return ProviderError(f"{self.base_url} failed: {cause}")
        if isinstance(cause, pydantic.ValidationError | json.JSONDecodeError):
            return OutputValidationError(
                f"the model's output failed validation after {self.max_reasks} re-ask(s): {_summary(cause)}"
            )
        return OutputValidationError(f"the model's output could not be used: {cause or error}")


class _Captured(IncompleteOutputException):
    """Raised in place of sending a request that was only wanted built (``LLMClient.request_body``).

    An ``IncompleteOutputException`` from the call is the one error instructor passes up as it
    is, unwrapped and unlogged, and never answers with a re-ask.
    """


def _drop_invalid(data: Any, errors: list[Any]) -> None:
    """Null each invalid value, or remove it when it sits in a list (a skill, a location)."""
    removals: dict[int, tuple[list[Any], set[int]]] = {}
    for error in errors:
        loc = error["loc"]
        node, parent_list, index = data, None, None
        for depth, part in enumerate(loc):
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                parent_list, index = node, part  # the innermost list item on the path
            if depth < len(loc) - 1:
                node = node[part] if isinstance(node, (dict, list)) and _has(node, part) else None
        if parent_list is not None and index is not None:
            removals.setdefault(id(parent_list), (parent_list, set()))[1].add(index)
        elif isinstance(node, dict):
            node[loc[-1]] = None
    for items, indexes in removals.values():
        for index in sorted(indexes, reverse=True):
            del items[index]


def _has(node: Any, part: Any) -> bool:
    return part in node if isinstance(node, dict) else isinstance(part, int) and part < len(node)


def _salvage(error: InstructorRetryException, response_model: type[Model]) -> Model | None:
    """The last answer with its invalid values dropped, when that leaves a valid answer.

    A small model that repeats a mistake through every re-ask ("LPA" for a currency) would
    otherwise lose the whole record; a value dropped is null, never invented.
    """
    cause = error.__cause__
    completion = error.last_completion
    if not isinstance(cause, pydantic.ValidationError) or completion is None:
        return None
    try:
        data = json.loads(completion.choices[0].message.content or "")
        _drop_invalid(data, cause.errors())
        result = response_model.model_validate(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    log.warning("kept the model's answer without its invalid values: %s", _summary(cause))
    return result


def _refusal(completion: Any) -> str | None:
    try:
        return completion.choices[0].message.refusal or None
    except (AttributeError, IndexError, TypeError):
        return None


def _usage(total: Any) -> Usage:
    return Usage(
        prompt_tokens=getattr(total, "prompt_tokens", 0) or 0,
        completion_tokens=getattr(total, "completion_tokens", 0) or 0,
    )


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _describe(error: BaseException) -> str:
    """The failure in words. A refused connection is no timeout, though openai's aiohttp transport calls
    every connection error a ``ConnectTimeout``: what lies under the wrappers decides."""
    status = getattr(error, "status_code", None)
    kind = type(error).__name__
    if status:
        return f"{kind} (HTTP {status})"
    if isinstance(error, openai.APIConnectionError):  # timeouts are connection errors to openai
        causes = list(_chain(error))[1:]
        if any(isinstance(cause, TimeoutError) for cause in causes):
            return "timed out (APITimeoutError)"
        refused = next((cause for cause in reversed(causes) if isinstance(cause, OSError)), None)
        if refused is not None:
            return f"could not connect (APIConnectionError: {refused})"
        if isinstance(error, openai.APITimeoutError):
            return "timed out (APITimeoutError)"
        return f"could not connect (APIConnectionError: {error})"
    return f"{kind}: {error}"


def _summary(error: BaseException) -> str:
    if isinstance(error, pydantic.ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:5])
    return str(error)
