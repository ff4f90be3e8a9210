import datetime as dt
import json

import pytest
from pydantic import ValidationError

from extractor.record import MAX_SKILLS, JobPosting, ModelAnswer, Period, Salary


def test_almost_right_values_are_canonicalized():
    record = JobPosting.model_validate(
        {
            "title": "  Backend   Engineer ",
            "locations": [{"city": "Berlin", "country": "Germany"}, {"city": "Berlin", "country": "DE"}],
            "workplace_type": "On-site",
            "employment_type": "Full-time",
            "seniority": "Sr",
            "salary": {"min": 85000, "max": 70000, "currency": "€", "period": "per annum"},
            "required_skills": ["K8s", "Postgres", "kubernetes"],
            "preferred_skills": ["PostgreSQL", "Terraform"],
            "posted_date": "2026-02-03",
        }
    )
    assert record.title == "Backend Engineer"
    assert [(loc.city, loc.country) for loc in record.locations] == [("Berlin", "DE")]
    assert (record.workplace_type, record.employment_type, record.seniority) == ("onsite", "full_time", "senior")
    assert record.salary == Salary(min=70000, max=85000, currency="EUR", period=Period.year)
    assert record.required_skills == ["Kubernetes", "PostgreSQL"]
    assert record.preferred_skills == ["Terraform"]  # a skill belongs to one list only
    assert record.posted_date == dt.date(2026, 2, 3)


def test_a_single_figure_sets_both_ends_and_serializes_as_plain_numbers():
    salary = Salary(max=20000, currency="USD", period="monthly")
    assert (salary.min, salary.max, salary.period) == (20000, 20000, Period.month)
    assert json.loads(salary.model_dump_json()) == {"min": 20000, "max": 20000, "currency": "USD", "period": "month"}
    assert Salary(min=18.76, max=28.14).model_dump()["min"] == 18.76


def test_a_salary_without_figures_is_no_salary():
    assert JobPosting(title="Chef", salary={"currency": "GBP"}).salary is None


def test_a_written_out_date_is_read_but_a_partial_one_is_refused():
    assert JobPosting(title="x", posted_date="February 3, 2026").posted_date == dt.date(2026, 2, 3)
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        JobPosting(title="x", posted_date="March 2026")


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("apply_url", "talent@testgorilla.com", "http"),
        ("salary", {"min": 1, "currency": "doubloons"}, "ISO 4217"),
        ("employment_type", "gig", "full_time"),
    ],
)
def test_what_cannot_be_made_right_fails_with_a_message_the_model_can_act_on(field, value, hint):
    with pytest.raises(ValidationError, match=hint):
        JobPosting.model_validate({"title": "x", field: value})


def test_the_schema_bounds_lists_and_strings_so_a_small_model_cannot_loop():
    schema = ModelAnswer.model_json_schema()
    assert schema["properties"]["locations"]["maxItems"] == 8
    title = next(option for option in schema["properties"]["title"]["anyOf"] if option.get("type") == "string")
    assert title["maxLength"] == 120
    with pytest.raises(ValidationError):
        JobPosting(title="x", required_skills=[f"tool{i}" for i in range(MAX_SKILLS + 1)])


def test_the_model_is_asked_only_what_no_rule_reads_with_every_key_required_in_order():
    schema = ModelAnswer.model_json_schema()
    order = ["title", "company", "locations", "seniority", "is_job_posting"]
    assert list(schema["properties"]) == order and schema["required"] == order
    answer = ModelAnswer(title=" Chef ", company=None, locations=[{"country": "UK"}], seniority="Senior",
                         is_job_posting=True)  # fmt: skip
    assert (answer.title, answer.locations[0].country, answer.seniority) == ("Chef", "GB", "senior")
    with pytest.raises(ValidationError):
        ModelAnswer(title="Chef", is_job_posting=True)  # a key left out is an error the model is re-asked


def test_a_location_whose_country_is_no_country_is_dropped():
    record = JobPosting(title="x", locations=[{"country": "Remote"}, {"city": "Leeds", "country": "UK"}])
    assert [(loc.city, loc.country) for loc in record.locations] == [("Leeds", "GB")]


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        JobPosting.model_validate({"title": "x", "bonus": "lots"})
