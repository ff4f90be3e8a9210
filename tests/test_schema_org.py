"""Records written as schema.org JobPostings: valid against the vocabulary, and read back to the same values."""

import json
from pathlib import Path

import pytest

from extractor.cleanup.intake import recognise
from extractor.record import JobPosting

# Types and their properties (inherited ones included) from schema.org release 30.0,
# built by scripts/build_schemaorg_vocabulary.py.
VOCABULARY = json.loads((Path(__file__).parent / "data" / "schemaorg-vocabulary.json").read_text())["types"]

RECORDS = [
    {"title": "Koch", "company": "Gasthaus Post", "locations": [{"city": "München", "region": "Bayern", "country": "DE"}],
     "employment_type": "part_time", "salary": {"min": 16.5, "max": 18, "currency": "EUR", "period": "hour"},
     "posted_date": "2026-01-02", "apply_url": "https://gasthaus.example/jobs/koch"},
    {"title": "Staff Engineer", "company": "Acme", "locations": [{"country": "US"}, {"country": "CA"}],
     "workplace_type": "remote", "employment_type": "full_time", "seniority": "staff",
     "salary": {"min": 200000, "max": 240000, "currency": "USD", "period": "year"}, "experience_years_min": 8,
     "required_skills": ["Go", "Kubernetes"], "preferred_skills": ["Rust"]},
    {"title": "Intern"},
]  # fmt: skip


def _objects(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _objects(item)


@pytest.mark.parametrize("data", RECORDS)
def test_every_type_and_property_written_is_schema_org_vocabulary(data):
    posting = JobPosting.model_validate(data).to_schema_org()
    assert posting["@context"] == "https://schema.org" and posting["@type"] == "JobPosting"
    for node in _objects(posting):
        assert node["@type"] in VOCABULARY, node
        unknown = [key for key in node if not key.startswith("@") and key not in VOCABULARY[node["@type"]]]
        assert unknown == [], (node["@type"], unknown)


@pytest.mark.parametrize("data", RECORDS)
def test_a_record_written_as_json_ld_reads_back_to_its_values(data):
    record = JobPosting.model_validate(data)
    page = f'<html><head><script type="application/ld+json">{json.dumps(record.to_schema_org())}</script></head></html>'
    fields = recognise(page).fields
    stated = {name: getattr(record, name) for name in fields}
    assert fields == stated
    assert set(fields) >= {
        name for name in ("title", "company", "locations", "employment_type", "salary", "posted_date", "apply_url",
                          "experience_years_min") if getattr(record, name) not in (None, [])
    }  # fmt: skip
