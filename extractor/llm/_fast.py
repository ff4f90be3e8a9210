"""The opt-in fast client (``EXTRACTOR_FAST_CLIENT=true``): instructor and openai past their public APIs.

Against a fast endpoint the client's own CPU bounds a batch. Through the public APIs alone,
instructor re-derives the response model's wrapper class and JSON schema on every call and
walks the model's class tree for async validators five times per call, and openai walks every
message through the typed shapes a message may take and builds the answer field by field. The
fast client also sends over aiohttp (openai's aiohttp extra: a third of httpx's CPU per call),
which vcrpy's cassettes do not see. Measured in ``benchmarks/bench_batch.py`` (1,000 short texts, one process): about
16 ms of CPU per text through the public APIs, 3.3 ms with this module. The requests sent and the
answers read are the same either way (``tests/test_llm.py`` compares them).

Everything that reaches past the public APIs lives here and is imported only when the setting
is on. What to propose upstream: instructor could cache a response model's wrapper and schema
per class and ``reject_async_validators`` per class; openai could take a prepared request body.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import aiohttp
import httpx2
import instructor
import openai
import pydantic
from instructor.v2.core import patch as instructor_patch
from instructor.v2.core.function_calls import response_schema
from instructor.v2.validation import async_validators
from openai.types.chat import ChatCompletion

from extractor.usage import Usage

Model = TypeVar("Model", bound=pydantic.BaseModel)

# A class's async validators never change; most of instructor imports the function when it calls
# it, one module (patch) at import: both get the cached one. Process-wide, once this module loads.
async_validators.reject_async_validators = functools.cache(async_validators.reject_async_validators)
instructor_patch.reject_async_validators = async_validators.reject_async_validators


@functools.cache
def prepared(response_model: type[Model]) -> type[Model]:
    """``response_model`` wrapped the way instructor wraps it, once, with its JSON schema cached.

    Each call gets its own copy of the schema, since a mode's request handler may edit it.
    """
    wrapped = response_schema(response_model)
    schema = json.dumps(wrapped.model_json_schema())
    derive = wrapped.model_json_schema

    def model_json_schema(cls: type[Model], *args: Any, **kwargs: Any) -> dict[str, Any]:
        return json.loads(schema) if not args and not kwargs else derive(*args, **kwargs)

    wrapped.model_json_schema = classmethod(model_json_schema)  # type: ignore[assignment,method-assign]
    return wrapped


def _chat_completion(response: httpx2.Response) -> ChatCompletion:
    """The answer, validated by pydantic-core in 5 µs where openai's lenient build takes 125 µs.

    An endpoint whose answer is not quite a chat completion (a field missing) still gets
    the lenient build; a body that is not JSON raises ``JSONDecodeError``.
    """
    try:
        return ChatCompletion.model_validate_json(response.content)
    except pydantic.ValidationError:
        return ChatCompletion.construct(**response.json())


def instructed(connection: openai.AsyncOpenAI, mode: instructor.Mode) -> instructor.AsyncInstructor:
    """An instructor client that POSTs /chat/completions with the request instructor built, as built."""

    async def post_chat(**request: Any) -> ChatCompletion:
        response = await connection.post("/chat/completions", body=request, cast_to=httpx2.Response)
        return _chat_completion(response)

    return instructor.AsyncInstructor(
        client=connection, create=instructor.patch(create=post_chat, mode=mode), mode=mode
    )


class Direct:
    """The happy path in one POST: the body instructor builds, sent over aiohttp and read by pydantic.

    In ``json_schema`` mode a call that answers 200 with a complete, valid answer needs nothing
    else; openai's client and instructor's retry machinery cost about 7 ms of CPU per call around
    a 0.7 ms POST. Any other outcome (an HTTP error, a dropped connection, an answer cut off or
    invalid) gives None, and the call goes the public way, which retries, re-asks and raises as
    always: at the price of asking once more.
    """

    def __init__(
        self, base_url: str, api_key: str, timeout: float, body: Callable[[type[pydantic.BaseModel]], dict[str, Any]]
    ) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._body = body
        self._encoded_body = functools.cache(self._encode_body)  # per response model: all but the messages
        self._session: aiohttp.ClientSession | None = None  # made on the loop it serves, at its first call

    async def answer(self, messages: list[dict[str, str]], response_model: type[Model], usage: Usage) -> Model | None:
        """The validated answer, or None; what the endpoint said it spent is added to ``usage``."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            # The body's fixed part (the response model's schema, a few kB) was encoded once: the messages are spliced in.
            body = self._encoded_body(response_model) + json.dumps(messages).encode() + b"}"
            async with self._session.post(self._url, data=body, headers=self._headers) as response:
                if response.status != 200:
                    return None
                data = await response.json(content_type=None)
            spent = data.get("usage") or {}
            usage.add(Usage(spent.get("prompt_tokens") or 0, spent.get("completion_tokens") or 0))
            choice = data["choices"][0]
            if choice.get("finish_reason") != "stop":
                return None
            return response_model.model_validate_json(choice["message"]["content"])
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            return None  # pydantic's ValidationError is a ValueError

    def _encode_body(self, response_model: type[pydantic.BaseModel]) -> bytes:
        """The request body's JSON up to its messages, which go last: ``{...,"messages":``."""
        without_messages = json.dumps(self._body(response_model)).encode()
        return without_messages[:-1] + (b',"messages":' if without_messages != b"{}" else b'"messages":')

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
