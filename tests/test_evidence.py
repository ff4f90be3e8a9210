"""Every value of a record located in the text it came from: reader values and model values alike."""

import json

from extractor.reconcile.evidence import locate
from extractor.record import JobPosting
from extractor.testing import first_alternative
from tests.conftest import CASES

TEXT = (
    "Acme GmbH | Senior Backend Engineer (m/w/d) | München, Deutschland\n"
    "Vollzeit, Homeoffice möglich. Gehalt 60.000 – 70.000 € im Jahr.\n"
    "5 Jahre Erfahrung mit Python; Kubernetes ist ein Plus. Mitarbeiterbeteiligung (ESOP).\n"
    "Apply: https://jobs.lever.co/acme/42"
)
RECORD = JobPosting.model_validate({
    "title": "Senior Backend Engineer", "company": "Acme GmbH", "locations": [{"city": "Munich", "country": "DE"}],
    "workplace_type": "hybrid", "employment_type": "full_time", "seniority": "senior",
    "salary": {"min": 60000, "max": 70000, "currency": "EUR", "period": "year"}, "equity": True,
    "experience_years_min": 5, "required_skills": ["Python", "Go"], "preferred_skills": ["Kubernetes"],
    "apply_url": "https://jobs.lever.co/acme/42",
})  # fmt: skip


def test_each_value_is_quoted_where_the_text_states_it_and_flagged_where_it_does_not():
    found = {(item.field, item.value): [span.quote for span in item.spans] for item in locate(RECORD, TEXT)}
    assert found == {
        ("title", "Senior Backend Engineer"): ["Senior Backend Engineer"],
        ("company", "Acme GmbH"): ["Acme GmbH"],
        ("locations", "Munich, DE"): ["München"],  # the city as the text spells it
        ("workplace_type", "hybrid"): ["Homeoffice"],
        ("employment_type", "full_time"): ["Vollzeit"],
        ("seniority", "senior"): ["Senior"],
        ("salary", "60000–70000 EUR per year"): ["60.000 – 70.000 €"],
        ("equity", "yes"): ["Mitarbeiterbeteiligung"],
        ("experience_years_min", "5"): ["5 Jahre"],
        ("required_skills", "Python"): ["Python"],
        ("required_skills", "Go"): [],  # a value the text never states: flagged, not hidden
        ("preferred_skills", "Kubernetes"): ["Kubernetes"],
        ("apply_url", "https://jobs.lever.co/acme/42"): ["https://jobs.lever.co/acme/42"],
    }


def test_every_span_of_every_gold_record_quotes_the_cleaned_text_of_its_case(extractor):
    # Each case's gold record located in its cleaned text, every case: HTML, mojibake, CRLF, JSON.
    located = supported = 0
    for path in sorted(CASES.glob("*.txt")):
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if gold.get("not_a_job_posting"):
            continue
        text = extractor.read_input(path.read_bytes()).text
        record = JobPosting.model_validate(
            {key: value for key, value in first_alternative(gold).items() if key in JobPosting.model_fields}
        )
        for item in locate(record, text):
            located += 1
            supported += item.supported
            assert all(text[span.start : span.end] == span.quote and span.quote for span in item.spans), path.stem
    assert located > 800 and supported / located > 0.9
