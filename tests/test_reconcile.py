"""The whole-record strategy: the model's answer is the record, held to the text field by field."""

import json

import pytest

from extractor import Extractor, NotAJobPostingError, Settings
from extractor._canonical import clean_title
from extractor.reconcile.policy import reconcile
from extractor.record import RecordAnswer
from tests.conftest import quick_retry_client

TEXT = (
    "Pflegefachkraft (m/w/d) in Teilzeit\n"
    "Die Sonnenhof Pflege GmbH sucht in München eine Pflegefachkraft.\n"
    "Vergütung: 21,50 € pro Stunde. Mindestens 2 Jahre Berufserfahrung.\n"
    "Bewerbung: https://sonnenhof.example/jobs/42"
)


def answer(**fields: object) -> dict:
    record = {
        "title": "Pflegefachkraft (m/w/d)", "company": "Sonnenhof Pflege GmbH",
        "locations": [{"city": "Munich", "region": None, "country": "DE"}], "workplace_type": None,
        "employment_type": "part_time", "seniority": None,
        "salary": {"min": 21.5, "max": 21.5, "currency": "EUR", "period": "hour"}, "equity": None,
        "experience_years_min": 2, "required_skills": [], "preferred_skills": [], "posted_date": None,
        "apply_url": "https://sonnenhof.example/jobs/42", "is_job_posting": True,
    }  # fmt: skip
    record.update(fields)
    return record


def test_supported_values_are_kept_as_the_model_gave_them():
    fields = reconcile(RecordAnswer.model_validate(answer()), TEXT)
    assert fields["title"] == "Pflegefachkraft"  # the gender marker is decoration
    assert fields["company"] == "Sonnenhof Pflege GmbH"
    assert [(place.city, place.country) for place in fields["locations"]] == [("Munich", "DE")]
    assert fields["employment_type"] == "part_time" and fields["experience_years_min"] == 2
    salary = fields["salary"]
    assert (salary.min, salary.max, salary.currency, salary.period) == (21.5, 21.5, "EUR", "hour")
    assert fields["apply_url"] == "https://sonnenhof.example/jobs/42"


def test_values_the_text_does_not_support_are_dropped_not_replaced():
    invented = answer(
        company="EVIL Corp", workplace_type="remote", seniority="senior", equity=True, experience_years_min=5,
        required_skills=["Kubernetes", "SAP"], posted_date="2026-01-01", apply_url="https://evil.example/apply",
        locations=[{"city": "Berlin", "region": None, "country": "DE"}],
        salary={"min": 30, "max": 35, "currency": "EUR", "period": "hour"},
    )
    fields = reconcile(RecordAnswer.model_validate(invented), TEXT)
    assert fields["company"] is None and fields["locations"] == [] and fields["salary"] is None
    assert fields["workplace_type"] is None and fields["seniority"] is None and fields["equity"] is None
    assert fields["experience_years_min"] is None and fields["required_skills"] == []
    assert fields["posted_date"] is None and fields["apply_url"] is None


def test_a_salary_keeps_its_figures_and_loses_only_a_currency_the_text_contradicts():
    fields = reconcile(RecordAnswer.model_validate(answer(salary={
        "min": 21.5, "max": 21.5, "currency": "USD", "period": "hour"})), TEXT)
    assert (fields["salary"].min, fields["salary"].currency, fields["salary"].period) == (21.5, None, "hour")


@pytest.mark.parametrize(
    ("title", "clean"),
    [("Pflegefachkraft (m/w/d)", "Pflegefachkraft"), ("Chef de Rang (H/F)", "Chef de Rang"),
     ("Developer (f/m/div)", "Developer"), ("Engineer (all genders)", "Engineer"),
     ("Head of Data (Remote)", "Head of Data (Remote)")],
)  # fmt: skip
def test_gender_markers_leave_the_title(title, clean):
    assert clean_title(title) == clean


@pytest.fixture
def whole_record_extractor(settings):
    whole = settings.updated(question={"strategy": "record"})
    return Extractor(whole, llm=quick_retry_client(whole))


def test_a_hosted_model_is_asked_for_the_whole_record(endpoint, whole_record_extractor):
    endpoint.reply(endpoint.answer(json.dumps(answer())))
    record = whole_record_extractor.extract(TEXT)
    schema = endpoint.requests[0]["response_format"]["json_schema"]["schema"]["properties"]
    assert {"salary", "required_skills", "employment_type", "is_job_posting"} <= set(schema)
    assert record.salary.min == 21.5 and record.employment_type == "part_time"


def test_a_model_that_says_no_posting_ends_as_not_a_posting_whatever_else_it_left_null(endpoint, whole_record_extractor):
    empty = {key: ([] if isinstance(value, list) else None) for key, value in answer().items()}
    endpoint.reply(endpoint.answer(json.dumps({**empty, "is_job_posting": False})))
    with pytest.raises(NotAJobPostingError):
        whole_record_extractor.extract("Great thread! Looking forward to next month's edition.")


def test_unknown_keys_in_the_answer_are_ignored_at_any_depth(endpoint, whole_record_extractor):
    extra = answer(salary={"min": 21.5, "max": 21.5, "currency": "EUR", "period": "hour", "bonus": 100},
                   locations=[{"city": "Munich", "region": None, "country": "DE", "postcode": "80331"}])
    endpoint.reply(endpoint.answer(json.dumps({**extra, "benefits": ["bike"], "confidence": 0.9})))
    record = whole_record_extractor.extract(TEXT)
    assert record.company == "Sonnenhof Pflege GmbH" and record.salary.min == 21.5 and record.locations[0].city == "Munich"


def test_by_default_a_hosted_model_answers_the_whole_record_and_the_embedded_one_a_few_fields():
    assert Settings().updated(endpoint={"base_url": "http://localhost:8080/v1"}).resolved_strategy == "record"
    assert Settings().resolved_strategy == "core"
    assert Settings().updated(endpoint={"base_url": "http://localhost:8080/v1"}, question={"strategy": "core"}).resolved_strategy == "core"
