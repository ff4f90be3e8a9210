import pytest

from extractor import Extractor, NotAJobPostingError, Settings, extract
from extractor.errors import EmptyInputError, InputTooLargeError
from extractor.record import Period
from tests.conftest import case_text, fast_client, posting_json


def test_extract_joins_the_grounded_answer_and_the_fields_read_by_rule(endpoint, extractor):
    endpoint.reply(endpoint.answer(posting_json(company="Sequoia", seniority="junior")))
    record = extractor.extract(case_text("seed_000_descript"))
    assert record.title == "Software Engineer - Platform"
    assert record.company is None  # the model's company is nowhere in the text
    assert record.seniority == "senior"  # "we are actively seeking senior and above"
    assert [place.country for place in record.locations] == ["CA", "US"]  # the board's 🌎 line
    assert (record.salary.min, record.salary.max, record.salary.currency, record.salary.period) == (
        160000, 230000, "USD", Period.year
    )
    assert record.preferred_skills == ["Temporal", "Terraform", "Kubernetes"]
    assert record.workplace_type == "remote" and record.experience_years_min == 5


def test_the_model_reads_the_cleaned_text_after_fixed_instructions(endpoint, extractor):
    endpoint.reply(endpoint.answer(posting_json()))
    extractor.extract(case_text("001_testgorilla-gtm-engineer-eur"))
    system, user = endpoint.requests[0]["messages"]
    assert system["content"] == extractor.prompt.text
    assert "&#x2F;" not in user["content"] and "Build & maintain GTM workflows" in user["content"]


def test_a_text_the_model_calls_no_posting_raises_and_is_cached_as_such(endpoint, extractor):
    endpoint.reply(endpoint.answer(posting_json(is_job_posting=False)))
    for _ in range(2):
        with pytest.raises(NotAJobPostingError):
            extractor.extract("Why we froze hiring for a year: notes on onboarding and pay bands.")
    assert len(endpoint.requests) == 1


def test_a_repeated_text_is_served_from_the_cache_without_a_call(endpoint, extractor):
    endpoint.reply(endpoint.answer(posting_json()))
    first = extractor.run(case_text("seed_000_descript"))
    second = extractor.run(case_text("seed_000_descript"))
    assert (first.cached, second.cached) == (False, True)
    assert second.record == first.record
    assert len(endpoint.requests) == 1


def test_texts_that_clean_to_the_same_text_share_a_cache_entry(endpoint, extractor):
    endpoint.reply(endpoint.answer(posting_json()))
    extractor.extract("<p>Chef&nbsp;wanted</p>\r\n<p>Croydon</p>")
    assert extractor.run("Chef wanted\n\nCroydon").cached is True


def test_the_cache_key_changes_with_prompt_model_and_endpoint(settings, tmp_path):
    base = Extractor(settings)
    prompt = tmp_path / "extract.md"
    prompt.write_text(base.prompt.text + "\nOne more rule.")
    others = [
        Extractor(settings.model_copy(update={"prompt_file": prompt})),
        Extractor(settings.model_copy(update={"model": "other"})),
        Extractor(settings.model_copy(update={"base_url": "http://127.0.0.1:1/v1"})),
        Extractor(settings.model_copy(update={"max_tokens": 10})),
    ]
    keys = {base.cache_key("text")} | {other.cache_key("text") for other in others}
    assert len(keys) == 5


def test_no_cache_means_every_call_goes_to_the_model(endpoint, settings):
    settings = settings.model_copy(update={"cache": False})
    extractor = Extractor(settings, llm=fast_client(settings))
    endpoint.default = endpoint.answer(posting_json())
    extractor.extract("Chef wanted in Croydon, £9 per hour.")
    extractor.extract("Chef wanted in Croydon, £9 per hour.")
    assert len(endpoint.requests) == 2 and extractor.cache is None


def test_a_corrupt_cache_entry_is_a_miss(endpoint, extractor):
    endpoint.default = endpoint.answer(posting_json())
    text = "Chef wanted in Croydon, £9 per hour."
    extractor.extract(text)
    for key in list(extractor.cache._store):
        extractor.cache._store.set(key, "{broken json")
    assert extractor.run(text).cached is False
    assert len(endpoint.requests) == 2


def test_a_corrupt_cache_file_does_not_crash_a_run(endpoint, settings):
    results = settings.cache_dir / "results"
    results.mkdir(parents=True)
    (results / "cache.db").write_bytes(b"this is not a sqlite database" * 100)
    extractor = Extractor(settings, llm=fast_client(settings))
    endpoint.default = endpoint.answer(posting_json())
    extractor.extract("Chef wanted in Croydon, £9 per hour.")
    assert extractor.run("Chef wanted in Croydon, £9 per hour.").cached is True


def test_bad_input_fails_before_any_model_call(endpoint, extractor):
    with pytest.raises(EmptyInputError):
        extractor.extract("  \n ")
    with pytest.raises(InputTooLargeError):
        extractor.extract("x" * 200_000)
    assert endpoint.requests == []


def test_the_module_level_extract_takes_settings(endpoint, settings):
    endpoint.reply(endpoint.answer(posting_json()))
    record = extract(case_text("seed_000_descript"), settings=settings.model_copy(update={"max_retries": 0}))
    assert record.title == "Software Engineer - Platform"


def test_settings_read_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EXTRACTOR_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("EXTRACTOR_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert (settings.base_url, settings.model, settings.embedded) == ("http://localhost:11434/v1", "qwen2.5:7b", False)
    assert settings.api_key.get_secret_value() == "sk-from-env"
    assert "sk-from-env" not in repr(settings)


def test_a_job_seekers_post_is_refused_without_a_model_call(endpoint, extractor):
    seeker = (
        "SEEKING WORK | Remote | Backend engineer\n\nI'm looking for my next full-time role. "
        "8 years of Python and PostgreSQL.\nRésumé: https://example.com/cv.pdf"
    )
    with pytest.raises(NotAJobPostingError, match="job seeker"):
        extractor.extract(seeker)
    assert endpoint.requests == []
