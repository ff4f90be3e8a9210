import asyncio
import concurrent.futures
import gc
import time
import weakref

import pytest

from extractor.errors import OutputValidationError, ProviderError, ProviderUnavailableError
from extractor.llm.client import resolve_mode, retry_after
from extractor.record import MAX_SKILLS, JobPosting
from tests.conftest import Reply, completion, posting_json, quick_retry_client


class PostingAnswer(JobPosting):
    """A response model with every kind of validator the record has."""

    is_job_posting: bool


def full_answer(**overrides):
    fields = {
        "salary": {"min": 160000, "max": 230000, "currency": "USD", "period": "year"},
        "required_skills": ["Typescript", "Python", "Go", "GCP", "PostGreSQL"],
        "preferred_skills": ["K8s", "Terraform"],
    }
    return posting_json(**{**fields, **overrides})


MESSAGES = [{"role": "system", "content": "extract"}, {"role": "user", "content": "posting"}]


def test_a_valid_answer_comes_back_validated_with_its_usage(endpoint, settings):
    endpoint.reply(endpoint.answer(full_answer()))
    answer, usage = quick_retry_client(settings).complete(MESSAGES, PostingAnswer)
    assert answer.company == "Descript" and answer.required_skills[0] == "TypeScript"
    assert (usage.prompt_tokens, usage.completion_tokens) == (100, 20)


def test_the_request_is_schema_constrained_deterministic_and_bounded(endpoint, settings):
    endpoint.reply(endpoint.answer(full_answer()))
    quick_retry_client(settings, max_tokens=777).complete(MESSAGES, PostingAnswer)
    [request] = endpoint.requests
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["schema"]["properties"]["required_skills"]["maxItems"] == MAX_SKILLS
    assert (request["temperature"], request["max_tokens"]) == (0.0, 777)


def test_an_answer_that_is_not_quite_a_chat_completion_is_still_read(endpoint, settings):
    body = endpoint.answer(full_answer()).body
    endpoint.reply(Reply(body={key: value for key, value in body.items() if key not in ("id", "created", "object")}))
    answer, _ = quick_retry_client(settings).complete(MESSAGES, PostingAnswer)
    assert answer.company == "Descript"


def test_the_fast_client_sends_the_same_request_and_reads_the_same_answer(endpoint, settings):
    endpoint.default = endpoint.answer(full_answer())
    public, _ = quick_retry_client(settings).complete(MESSAGES, PostingAnswer)
    fast, usage = quick_retry_client(settings, fast=True).complete(MESSAGES, PostingAnswer)
    assert endpoint.requests[0] == endpoint.requests[1]
    assert fast.model_dump() == public.model_dump() and usage.prompt_tokens == 100


def test_the_fast_client_asks_the_public_way_when_its_direct_answer_is_invalid(endpoint, settings):
    invalid = endpoint.answer(posting_json(title=None))
    endpoint.reply(invalid, invalid, endpoint.answer(full_answer()))  # direct, then instructor's call and its re-ask
    answer, usage = quick_retry_client(settings, fast=True, max_reasks=1).complete(MESSAGES, PostingAnswer)
    assert answer.company == "Descript" and len(endpoint.requests) == 3
    assert usage.prompt_tokens == 300  # the direct answer's tokens count too
    assert endpoint.requests[0] == endpoint.requests[1]  # the same request, sent twice


@pytest.mark.parametrize("fast", [False, True])
def test_the_async_form_answers_retries_and_counts_alike(endpoint, settings, fast):
    failure = Reply(status=503, body={"error": {"message": "unavailable"}})
    endpoint.reply(failure, endpoint.answer(posting_json(title=None)), endpoint.answer(full_answer()))
    client = quick_retry_client(settings, fast=fast)

    async def call():
        try:
            return await client.acomplete(MESSAGES, PostingAnswer)
        finally:
            await client.aclose()

    answer, usage = asyncio.run(call())
    assert answer.company == "Descript" and answer.required_skills[0] == "TypeScript"
    assert usage.prompt_tokens == 200  # the re-ask's tokens too; the 503 spent none
    assert len(endpoint.requests) == 3


@pytest.mark.parametrize(
    "failure",
    [
        Reply(status=429, body={"error": {"message": "slow down"}}, headers={"retry-after": "0"}),
        Reply(status=429, body={"error": {"message": "slow down"}}),
        Reply(status=500, body={"error": {"message": "boom"}}),
        Reply(status=502, body={"error": {"message": "bad gateway"}}),
        Reply(status=503, body={"error": {"message": "unavailable"}}),
        Reply(close=True),
    ],
    ids=["429-retry-after", "429", "500", "502", "503", "connection-reset"],
)
def test_transient_failures_are_retried_by_tenacity(endpoint, settings, failure):
    endpoint.reply(failure, failure, endpoint.answer(full_answer()))
    answer, usage = quick_retry_client(settings).complete(MESSAGES, PostingAnswer)
    assert answer.title == "Software Engineer - Platform"
    assert len(endpoint.requests) == 3


def test_retry_after_is_honoured(endpoint, settings):
    endpoint.reply(Reply(status=429, body={}, headers={"retry-after": "1"}), endpoint.answer(full_answer()))
    started = time.monotonic()
    quick_retry_client(settings).complete(MESSAGES, PostingAnswer)
    assert time.monotonic() - started >= 1.0


def test_retries_are_bounded_in_attempts_and_end_in_a_typed_error(endpoint, settings):
    endpoint.default = Reply(status=503, body={"error": {"message": "down"}})
    with pytest.raises(ProviderUnavailableError, match="InternalServerError"):
        quick_retry_client(settings, max_retries=2).complete(MESSAGES, PostingAnswer)
    assert len(endpoint.requests) == 3


def test_retries_are_bounded_in_total_time(endpoint, settings):
    endpoint.default = Reply(status=429, body={}, headers={"retry-after": "0.4"})
    started = time.monotonic()
    with pytest.raises(ProviderUnavailableError):
        quick_retry_client(settings, max_retries=50, retry_max_seconds=1.0).complete(MESSAGES, PostingAnswer)
    assert time.monotonic() - started < 3
    assert len(endpoint.requests) < 6


def test_a_server_that_is_down_is_provider_unavailable(settings):
    client = quick_retry_client(settings, base_url="http://127.0.0.1:9/v1", max_retries=1)
    with pytest.raises(ProviderUnavailableError, match="APIConnectionError"):
        client.complete(MESSAGES, PostingAnswer)


def test_a_client_error_is_not_retried(endpoint, settings):
    endpoint.reply(Reply(status=401, body={"error": {"message": "bad key"}}))
    with pytest.raises(ProviderError, match="401") as raised:
        quick_retry_client(settings).complete(MESSAGES, PostingAnswer)
    assert not isinstance(raised.value, ProviderUnavailableError)
    assert len(endpoint.requests) == 1


def test_invalid_output_is_reasked_with_the_validators_message(endpoint, settings):
    endpoint.reply(
        endpoint.answer(full_answer(salary={"min": 1, "currency": "doubloons"})),
        endpoint.answer(full_answer()),
    )
    answer, usage = quick_retry_client(settings, max_reasks=1).complete(MESSAGES, PostingAnswer)
    assert answer.salary.currency == "USD"
    assert usage.prompt_tokens == 200  # both attempts' tokens are counted
    reask = endpoint.requests[1]["messages"]
    assert "ISO 4217" in str(reask[-1]["content"])


def test_output_that_stays_invalid_ends_in_output_validation_error(endpoint, settings):
    endpoint.default = endpoint.answer("{not json")
    with pytest.raises(OutputValidationError, match="failed validation"):
        quick_retry_client(settings, max_reasks=2).complete(MESSAGES, PostingAnswer)
    assert len(endpoint.requests) == 3


def test_truncated_output_is_retried_within_the_transport_bound_then_a_typed_error(endpoint, settings):
    endpoint.default = endpoint.answer('{"is_job_posting": true, "title": "Sen', finish_reason="length")
    with pytest.raises(OutputValidationError, match="cut off") as raised:
        quick_retry_client(settings, max_retries=2).complete(MESSAGES, PostingAnswer)
    assert len(endpoint.requests) == 3
    # 20 tokens is far below max_tokens: the endpoint stopped early, and the message says so.
    assert "after 20 completion tokens" in str(raised.value) and "max_tokens=1024" not in str(raised.value)
    assert raised.value.usage.prompt_tokens == 300


def test_truncated_output_at_max_tokens_says_so(endpoint, settings):
    endpoint.default = endpoint.answer('{"is_job_posting": true, "title": "Sen', finish_reason="length")
    with pytest.raises(OutputValidationError, match="max_tokens=20"):
        quick_retry_client(settings, max_retries=0, max_tokens=20).complete(MESSAGES, PostingAnswer)


def test_a_cut_off_answer_followed_by_a_whole_one_is_used(endpoint, settings):
    cut = endpoint.answer('{"is_job_posting": true, "title": "Sen', finish_reason="length")
    endpoint.reply(cut, endpoint.answer(full_answer()))
    answer, usage = quick_retry_client(settings).complete(MESSAGES, PostingAnswer)
    assert answer.company == "Descript" and usage.prompt_tokens == 200


def test_a_failed_call_reports_the_tokens_every_attempt_spent(endpoint, settings):
    endpoint.default = endpoint.answer("{not json")
    with pytest.raises(OutputValidationError) as raised:
        quick_retry_client(settings, max_reasks=2).complete(MESSAGES, PostingAnswer)
    assert (raised.value.usage.prompt_tokens, raised.value.usage.completion_tokens) == (300, 60)


def test_the_model_answer_ignores_keys_it_was_not_asked_for_and_keeps_its_schema(endpoint, settings):
    from extractor.record import ModelAnswer

    extra = {"notes": "x", "salary": {"min": 5}, "locations": [{"country": "Canada", "postcode": "H2X"}]}
    endpoint.reply(endpoint.answer(posting_json(**extra)))
    answer, _ = quick_retry_client(settings, max_reasks=0).complete(MESSAGES, ModelAnswer)
    assert answer.company == "Descript" and [place.country for place in answer.locations] == ["CA"]
    assert len(endpoint.requests) == 1
    schema = ModelAnswer.model_json_schema()  # the model is still told: these keys and no others
    assert schema["additionalProperties"] is False and schema["$defs"]["Location"]["additionalProperties"] is False


def test_retry_after_reads_seconds_and_http_dates():
    class Response:
        def __init__(self, value):
            self.headers = {"retry-after": value}

    class Error(Exception):
        def __init__(self, value):
            self.response = Response(value)

    assert retry_after(Error("7")) == 7.0
    assert retry_after(Error("Wed, 21 Oct 2015 07:28:00 GMT")) == 0.0  # in the past
    assert retry_after(Error("soon")) is None
    assert retry_after(ValueError()) is None


def test_mode_is_picked_per_endpoint():
    from extractor.config import OutputMode

    assert resolve_mode(OutputMode.auto, "http://127.0.0.1:8080/v1").value == "json_schema_mode"
    assert resolve_mode(OutputMode.auto, "https://api.openai.com/v1").value == "tool_call"
    assert resolve_mode(OutputMode.md_json, "https://api.openai.com/v1").value == "markdown_json_mode"


def test_values_still_invalid_after_every_reask_are_dropped_not_the_record(endpoint, settings):
    endpoint.default = endpoint.answer(
        full_answer(salary={"min": 6, "max": 10, "currency": "LPA"}, posted_date="sometime in spring")
    )
    answer, _ = quick_retry_client(settings, max_reasks=1).complete(MESSAGES, PostingAnswer)
    assert answer.salary.currency is None and answer.posted_date is None
    assert (answer.company, answer.salary.min) == ("Descript", 6)
    assert len(endpoint.requests) == 2


def test_an_answer_without_a_title_cannot_be_salvaged(endpoint, settings):
    endpoint.default = endpoint.answer(full_answer(title=""))
    with pytest.raises(OutputValidationError, match="title"):
        quick_retry_client(settings, max_reasks=0).complete(MESSAGES, PostingAnswer)


def test_a_response_model_with_async_validators_is_still_refused_on_every_call(endpoint, settings):
    # llm.py caches instructor's check per class; a class that fails it must fail every time.
    from instructor.v2.validation.async_validators import async_field_validator
    from pydantic import BaseModel

    class Checked(BaseModel):
        title: str

        @async_field_validator("title")
        async def _title(self, value: str) -> str:
            return value

    endpoint.default = endpoint.answer('{"title": "Chef"}')
    for _ in range(2):
        with pytest.raises(ValueError, match="async validators"):
            quick_retry_client(settings).complete(MESSAGES, Checked)
    assert endpoint.requests == []


def test_a_refused_connection_is_reported_as_a_connection_error_not_a_timeout(settings):
    client = quick_retry_client(settings, base_url="http://127.0.0.1:9/v1", max_retries=0)

    async def call():
        try:
            return await client.acomplete(MESSAGES, PostingAnswer)
        finally:
            await client.aclose()

    for attempt in (lambda: client.complete(MESSAGES, PostingAnswer), lambda: asyncio.run(call())):
        with pytest.raises(ProviderUnavailableError) as raised:
            attempt()
        message = str(raised.value)
        assert "could not connect" in message and "timed out" not in message.lower(), message


class OneSlot:
    """A router that answers like a server with one slot: requests wait for each other, `seconds` each."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.free_at = 0.0

    def __call__(self, request):
        now = time.monotonic()
        self.free_at = max(now, self.free_at) + self.seconds
        return Reply(body=completion(full_answer()), delay=self.free_at - now)


def test_calls_beyond_the_servers_slots_wait_in_the_client_outside_the_timeout(endpoint, settings):
    endpoint.router = OneSlot(0.4)
    client = quick_retry_client(settings, timeout=1.0, max_retries=0, max_in_flight=1)

    async def calls():
        try:
            return await asyncio.gather(*(client.acomplete(MESSAGES, PostingAnswer) for _ in range(4)))
        finally:
            await client.aclose()

    answers = asyncio.run(calls())  # the fourth finishes after 1.6 s: its queue time is no timeout
    assert [answer.company for answer, _ in answers] == ["Descript"] * 4
    assert endpoint.peak_in_flight == 1
    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # the same for the sync form, from threads
        answers = list(pool.map(lambda _: client.complete(MESSAGES, PostingAnswer), range(4)))
    assert len(answers) == 4 and endpoint.peak_in_flight == 1


def test_a_client_used_through_the_sync_api_is_not_kept_alive_by_it(endpoint, settings):
    endpoint.default = endpoint.answer(full_answer())
    client = quick_retry_client(settings)
    client.complete(MESSAGES, PostingAnswer)  # its connections live on the package's loop, closed at exit
    reference = weakref.ref(client)
    del client
    gc.collect()
    assert reference() is None
