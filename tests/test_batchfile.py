"""Provider batch files: requests built as a live call builds them, answers taken as a live call takes them."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import batchfile
from extractor._fanout import extract_one
from extractor.batch import iter_inputs
from extractor.cli import cli
from extractor.config import Settings
from extractor.pipeline import Extractor
from tests.conftest import Reply, completion, posting_json

DATA = Path(__file__).parent / "data" / "batchfile"
INPUTS = str(DATA / "inputs.jsonl")


@pytest.fixture
def provider_settings(tmp_path):
    """Settings for a hosted model that is never called: its answers come back in a results file."""
    return Settings().updated(
        endpoint={"base_url": "https://llm.example/v1", "api_key": "sk-batch", "model": "gpt-4o-mini"},
        cache={"dir": tmp_path / "cache"}, question={"strategy": "core"}, prices={"prompt": 0.15, "completion": 0.6},
    )  # fmt: skip


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_request_line_holds_the_body_a_live_call_posts(endpoint, settings, tmp_path):
    endpoint.default = Reply(body=completion(posting_json()))
    text = "Acme Robotics is hiring a Backend Engineer in Berlin, Germany. You will write Go services."
    Extractor(settings.updated(cache={"enabled": False})).extract(text)
    requests = tmp_path / "requests.jsonl"
    with requests.open("w") as out:
        summary = batchfile.build(iter_inputs([str(_write(tmp_path, text))]), out, settings)

    (line,) = _lines(requests)
    assert summary.requests == 1
    assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
    assert line["custom_id"].endswith("posting.txt")
    assert line["body"] == endpoint.requests[0]


def _write(folder, text):
    path = folder / "posting.txt"
    path.write_text(text)
    return path


def test_build_writes_a_request_per_input_that_needs_a_call(provider_settings, tmp_path):
    requests = tmp_path / "requests.jsonl"
    with requests.open("w") as out:
        summary = batchfile.build(iter_inputs([INPUTS]), out, provider_settings)

    ids = [line["custom_id"] for line in _lines(requests)]
    assert ids == ["answered", "invalid-answer", "refused-request", "expired", "never-sent-back"]
    assert summary.rejected == {"EmptyInputError": 1}
    body = _lines(requests)[0]["body"]
    assert body["model"] == "gpt-4o-mini" and body["response_format"]["type"] == "json_schema"
    assert "Acme Robotics" in body["messages"][-1]["content"]


def test_collect_ends_every_input_as_one_record_or_one_typed_error(provider_settings):
    results = batchfile.ProviderResults(DATA / "results.jsonl")
    collected = list(batchfile.collect(iter_inputs([INPUTS]), results, provider_settings))

    outcome = {result.source: result.error_type or "record" for result in collected}
    assert outcome == {
        "answered": "record",
        "invalid-answer": "OutputValidationError",  # no re-ask after the fact
        "refused-request": "ProviderError",  # the provider's 400, as a live call gets it
        "expired": "ProviderUnavailableError",  # retryable: build it into a new batch
        "never-sent-back": "ProviderUnavailableError",
        "empty": "EmptyInputError",  # ended before any call; build wrote no request for it
    }
    by_id = {result.source: result for result in collected}
    record = by_id["answered"].record
    assert (record.title, record.company, record.locations[0].city) == ("Backend Engineer", "Acme Robotics", "Berlin")
    assert (record.employment_type, record.required_skills) == ("full_time", ["Python"])  # read by rule, as live
    assert "completion window expired" in by_id["expired"].error_message
    assert "no line for it" in by_id["never-sent-back"].error_message
    # Every answer sent back was paid for, the invalid one too; the batch bills half the live price.
    assert by_id["answered"].usage.prompt_tokens == 812 and by_id["invalid-answer"].usage.completion_tokens == 41
    assert by_id["answered"].cost == pytest.approx((812 * 0.15 + 41 * 0.6) / 1e6 * 0.5)


def test_collect_gives_the_record_a_live_call_gives_for_the_same_answer(endpoint, settings, tmp_path):
    answer = posting_json(title="Backend Engineer", company="Acme Robotics", locations=[{"city": "Berlin"}])
    endpoint.default = Reply(body=completion(answer))
    text = "Acme Robotics is hiring a Backend Engineer in Berlin, Germany. You will write Go on PostgreSQL. €70,000."
    (item,) = iter_inputs([str(_write(tmp_path, text))])
    live = asyncio_run(extract_one(Extractor(settings.updated(cache={"enabled": False})), item))
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps({"custom_id": item.key, "response": {"status_code": 200, "body": completion(answer)}}))

    (collected,) = batchfile.collect([item], batchfile.ProviderResults(results), settings)

    assert collected.record == live.record and collected.record is not None
    assert collected.record.salary is not None


def asyncio_run(coroutine):
    import asyncio

    return asyncio.run(coroutine)


def test_the_cli_builds_and_collects_one_line_per_input_and_a_rerun_tries_only_the_retryable(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EXTRACTOR_STRATEGY", "core")  # the results file answers the few-fields question
    options = ["--jsonl", "--base-url", "https://llm.example/v1", "--model", "gpt-4o-mini"]
    runner = CliRunner()
    requests, records = tmp_path / "requests.jsonl", tmp_path / "records.jsonl"

    built = runner.invoke(cli, ["batchfile", "build", INPUTS, "-o", str(requests), *options])
    assert built.exit_code == 0, built.output
    assert len(_lines(requests)) == 5
    collect = ["batchfile", "collect", str(DATA / "results.jsonl"), INPUTS, "-o", str(records), *options]
    first = runner.invoke(cli, collect)
    assert first.exit_code == 1  # some inputs failed
    assert sorted(line["source"] for line in _lines(records)) == sorted(
        ["answered", "invalid-answer", "refused-request", "expired", "never-sent-back", "empty"]
    )
    assert [line["record"]["title"] for line in _lines(records) if "record" in line] == ["Backend Engineer"]

    runner.invoke(cli, collect)
    again = [line["source"] for line in _lines(records)[6:]]
    assert sorted(again) == ["expired", "never-sent-back"]


def test_a_batch_file_needs_an_endpoint(tmp_path):
    with pytest.raises(ValueError, match="EXTRACTOR_BASE_URL"):
        batchfile.build([], (tmp_path / "r.jsonl").open("w"), Settings().updated(endpoint={"base_url": None}))
