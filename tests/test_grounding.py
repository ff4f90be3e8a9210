import datetime as dt

from extractor.grounding import (
    ground,
    ground_company,
    ground_experience,
    ground_locations,
    ground_seniority,
    ground_skills,
    ground_title,
)
from extractor.record import JobPosting, Location, Seniority

TEXT = """Acme Robotics | Senior Backend Engineer | Berlin, Germany | Hybrid | Full-time | €70,000 - €85,000
We build warehouse robots. You bring 3+ years with Go or Python, Postgres and AWS; K8s is a plus.
Stock options for everyone. Apply: https://jobs.ashbyhq.com/acme/backend"""


def posting(**fields):
    return JobPosting(title=fields.pop("title", "Senior Backend Engineer"), **fields)


def test_values_the_text_supports_are_kept():
    record = ground(
        posting(
            company="Acme Robotics",
            locations=[{"city": "Berlin", "country": "DE"}],
            workplace_type="hybrid",
            employment_type="full_time",
            seniority="senior",
            equity=True,
            experience_years_min=3,
            required_skills=["Go", "Python", "PostgreSQL", "AWS"],
            preferred_skills=["Kubernetes"],
            apply_url="https://jobs.ashbyhq.com/acme/backend",
        ),
        TEXT,
    )
    assert record.company == "Acme Robotics" and record.workplace_type == "hybrid"
    assert record.employment_type == "full_time" and record.equity is True and record.experience_years_min == 3
    assert record.required_skills == ["Go", "Python", "PostgreSQL", "AWS"]  # "Postgres" is an alias in the text
    assert record.preferred_skills == ["Kubernetes"]  # as "K8s"
    assert record.salary.min == 70000 and record.salary.currency == "EUR"


def test_values_the_text_does_not_support_are_dropped():
    record = ground(
        posting(
            company="Sequoia",
            locations=[{"city": "Paris", "country": "FR"}],
            workplace_type="remote",
            employment_type="contract",
            equity=None,
            experience_years_min=5,
            posted_date="2024-05-01",
            apply_url="https://acme.example/apply",
            salary={"min": 1, "max": 2, "currency": "USD"},
        ),
        "Acme Robotics is hiring a Backend Engineer in Berlin. Great team!",
    )
    assert record.company is None and record.locations == [] and record.posted_date is None
    assert (record.workplace_type, record.employment_type, record.experience_years_min) == (None, None, None)
    assert record.apply_url is None and record.salary is None


def test_the_title_names_the_level():
    assert ground_seniority(Seniority.junior, "Senior Backend Engineer", TEXT) == Seniority.senior
    assert ground_seniority(Seniority.junior, "Backend Engineer", TEXT) is None  # "junior" is nowhere
    assert ground_seniority(None, "Summer Intern - Mortgage", "") == Seniority.intern


def test_skills_must_be_names_written_in_the_text():
    text = "Experience with Go, Rust and distributed systems. Let's go!"
    assert ground_skills(["Go", "Rust", "Distributed Systems", "5+ years of professional software"], text) == [
        "Go", "Rust"
    ]
    assert ground_skills(["Go"], "Let's go to the office.") == []  # the English word is not the language


def test_the_job_board_in_a_url_is_not_the_company():
    text = "coreflow | Engineers\nApply here: https://jobs.ashbyhq.com/coreflow"
    assert ground_company("AshbyHQ", text) is None
    assert ground_company("Obie Insurance", "Obie | Product Manager | Chicago") == "Obie"


def test_the_title_loses_company_and_header_decoration():
    assert ground_title("Rootly - Senior AI Engineer", "Rootly") == "Senior AI Engineer"
    assert ground_title("Senior Engineers at WorkWhile", "WorkWhile") == "Senior Engineers"
    assert ground_title("AI Agent Infrastructure - $20K/mo + equity", None) == "AI Agent Infrastructure"
    assert ground_title("Summer Intern (Remote)", None) == "Summer Intern"


def test_a_country_written_as_region_becomes_its_own_place():
    places = ground_locations([Location(region="United States", country="CA")], "🌎 Canada,United States")
    assert [(p.country, p.region) for p in places] == [("CA", None), ("US", None)]


def test_country_codes_match_only_as_written():
    assert ground_locations([Location(country="US")], "Come and join us!") == []
    assert ground_locations([Location(country="US")], "Remote (US)") == [Location(country="US")]


def test_experience_must_be_asked_for_in_years():
    assert ground_experience(5, "5+ years of professional experience") == 5
    assert ground_experience(3, "3-5 yrs in backend") == 3
    assert ground_experience(5, "We have 5 offices") is None


def test_a_date_whose_year_the_text_never_mentions_is_dropped():
    record = ground(posting(posted_date=dt.date(2026, 2, 3)), "Posted: 2026-02-03")
    assert record.posted_date == dt.date(2026, 2, 3)


def test_a_phrase_in_sentence_case_is_a_concept_not_a_name():
    text = "* Cloud infra platforms e.g. GCP, AWS\n* Container runtimes e.g. Docker\n* Google Cloud experience"
    assert ground_skills(["Cloud infra platforms", "Container runtimes", "Docker", "Google Cloud"], text) == [
        "Docker", "Google Cloud"
    ]
