import datetime as dt

import pytest

from extractor.reading import (
    apply_url,
    employment_type,
    equity,
    experience_years_min,
    header_fields,
    posted_date,
    read_fields,
    workplace_type,
)
from extractor.record import EmploymentType, Period, Salary, WorkplaceType


def test_the_first_work_type_the_text_states_wins():
    text = "Acme | Engineer | Remote (US) | Full-time\nOur office is on-site in Austin for those who want it."
    assert workplace_type(text) == WorkplaceType.remote
    assert employment_type(text) == EmploymentType.full_time
    assert employment_type("Summer Intern (2026), 12 weeks") == EmploymentType.internship
    assert employment_type("Relief chef, 1 week assignment") == EmploymentType.temporary


def test_boilerplate_and_other_senses_of_a_type_word_do_not_count():
    assert employment_type("Discrimination prohibited by law or by contract. A Federal Contractor.") is None
    assert employment_type("Recruitment in Sales, Search and Supply Chain") is None
    assert employment_type("Supply teachers wanted in and around Sheffield") == EmploymentType.temporary


def test_a_work_type_the_text_never_states_is_null():
    text = "Recruitment Consultant wanted. Strong ownership of your desk; internal promotions."
    assert (workplace_type(text), employment_type(text), equity(text)) == (None, None, None)


def test_equity_in_any_form_is_true():
    assert equity("Competitive salary + equity") is True
    assert equity("RSUs and a 401k") is True
    assert equity("Travel options and shared ownership of outcomes") is None


def test_experience_is_the_fewest_years_asked_for_on_an_experience_line():
    assert experience_years_min("- 5+ years of professional experience\n- 3-5 yrs of Go experience") == 3
    assert experience_years_min("We're hiring early-career engineers (0-2 yrs experience)") == 0
    assert experience_years_min("Requirements\n2+ YOE as a legal assistant") == 2
    assert experience_years_min("We were founded 10 years ago. We have 5 offices.") is None


def test_a_date_counts_only_on_a_line_that_says_it_is_the_posting_date():
    assert posted_date("**Posted:** 2026-02-03\nApply by 2026-03-01") == dt.date(2026, 2, 3)
    assert posted_date("Founded 2019-01-01. Start date flexible.") is None  # "date", but not a full date on it
    assert posted_date("Start: 2026-09-15") is None


def test_the_apply_link_is_the_one_about_applying():
    text = "About us: https://acme.example\nCareers: https://acme.example/careers\nApply: https://jobs.lever.co/acme/42"
    assert apply_url(text) == "https://jobs.lever.co/acme/42"
    assert apply_url("Read our blog at https://acme.example/blog.") is None


def test_the_header_is_split_into_its_fields():
    assert header_fields("Acme | Backend Engineer | Berlin | €70k\nWe build robots.") == [
        "Acme", "Backend Engineer", "Berlin", "€70k",
    ]  # fmt: skip
    assert header_fields("CLOSED\nEvercred – Remote (US) – Co-Founder") == ["Evercred", "Remote (US)", "Co-Founder"]
    assert header_fields("Acme is hiring | apply today") == []  # two fields are a sentence, not a header


@pytest.mark.parametrize(
    ("text", "salary"),
    [
        ("**Salary:** $196K-$221K\nUS base salary range: **$196,000 - $220,500** + equity",
         Salary(min=196000, max=220500, currency="USD", period=Period.year)),
        ("Great pay and benefits!", None),
    ],
)  # fmt: skip
def test_read_fields_reads_every_rule_field(text, salary):
    fields = read_fields(text)
    assert set(fields) == {
        "workplace_type", "employment_type", "salary", "equity", "experience_years_min",
        "required_skills", "preferred_skills", "posted_date", "apply_url",
    }  # fmt: skip
    assert fields["salary"] == salary
