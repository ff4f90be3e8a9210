import pytest
import yaml

from extractor.errors import ProviderUnavailableError
from extractor.llm.cassettes import REPLAY_BASE_URL, CassetteLibrary, CassetteMissError
from extractor.pipeline import Extractor
from tests.conftest import Reply, case_text, posting_json, quick_retry_client


def replaying(settings):
    settings = settings.updated(cache={"enabled": False})
    return Extractor(settings, llm=quick_retry_client(settings, base_url=REPLAY_BASE_URL, max_retries=0))


def recording(settings):
    settings = settings.updated(cache={"enabled": False})
    return Extractor(settings, llm=quick_retry_client(settings))


def test_an_exchange_recorded_once_replays_with_no_server(endpoint, settings, tmp_path):
    endpoint.reply(endpoint.answer(posting_json()))
    library = CassetteLibrary(tmp_path / "cassettes", record=True, rerecord_hint="rerecord")
    with library.use("descript"):
        recorded = recording(settings).extract(case_text("seed_000_descript"))
    endpoint.close()

    library = CassetteLibrary(tmp_path / "cassettes", record=False, rerecord_hint="rerecord")
    with library.use("descript"):
        replayed = replaying(settings).extract(case_text("seed_000_descript"))
    assert replayed == recorded


def test_secrets_are_scrubbed_and_failures_are_not_recorded(endpoint, settings, tmp_path):
    endpoint.reply(Reply(status=500, body={"error": {"message": "boom"}}), endpoint.answer(posting_json()))
    library = CassetteLibrary(tmp_path, record=True, rerecord_hint="rerecord")
    with library.use("case"):
        recording(settings).extract(case_text("seed_000_descript"))
    content = library.path("case").read_text()
    assert "sk-test" not in content and "authorization" not in content.lower()
    [interaction] = yaml.safe_load(content)["interactions"]
    assert interaction["response"]["status"]["code"] == 200
    assert 'Software Engineer - Platform' in interaction["response"]["body"]["string"]  # text, not a gzip blob


def test_a_changed_prompt_fails_loudly_naming_the_case_and_the_fix(endpoint, settings, tmp_path):
    endpoint.reply(endpoint.answer(posting_json()))
    with CassetteLibrary(tmp_path, record=True, rerecord_hint="extractor eval --record").use("descript"):
        recording(settings).extract(case_text("seed_000_descript"))

    prompt = tmp_path / "edited.md"
    prompt.write_text(Extractor(settings).prompt.text.replace("Never guess", "Do not guess"))
    library = CassetteLibrary(tmp_path, record=False, rerecord_hint="extractor eval --record")
    edited = replaying(settings.updated(question={"prompt_file": prompt}))
    with pytest.raises(CassetteMissError, match=r"'descript'.*extractor eval --record"), library.use("descript"):
        edited.extract(case_text("seed_000_descript"))
    assert endpoint.requests and len(endpoint.requests) == 1  # replay never fell through to the server


def test_a_case_with_no_cassette_replays_when_it_makes_no_call_and_is_a_named_miss_when_it_does(settings, tmp_path):
    library = CassetteLibrary(tmp_path, record=False, rerecord_hint="extractor eval --record")
    with library.use("screened"):  # recorded without a model call: nothing to replay, nothing missing
        pass
    with pytest.raises(CassetteMissError, match=r"'nothing'.*extractor eval --record"), library.use("nothing"):
        replaying(settings).extract(case_text("seed_000_descript"))


def test_other_failures_are_not_mistaken_for_a_miss(tmp_path):
    library = CassetteLibrary(tmp_path, record=False, rerecord_hint="x")
    with pytest.raises(ProviderUnavailableError), library.use("case"):
        raise ProviderUnavailableError("down")
