"""Postings that arrive as data: each shape recognised, its typed fields read, nothing discarded."""

import datetime as dt
import json

import pytest

from extractor import NotAJobPostingError
from extractor.cleanup.intake import recognise
from extractor.cleanup.text import clean_text
from extractor.record import EmploymentType, Location, Period, Salary, WorkplaceType
from tests.conftest import posting_json

DESCRIPTION = "<p>Wir suchen eine <strong>Pflegefachkraft</strong> für unser Team.</p><ul><li>Dreischichtbetrieb</li></ul>"
JSON_LD = {
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "Pflegefachkraft (m/w/d)",
    "description": DESCRIPTION,
    "datePosted": "2026-3-7",  # no padding
    "employmentType": ["OTHER", "PART_TIME"],
    "hiringOrganization": {"@type": "Organization", "name": "Klinikum Nord"},
    "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Hamburg",
                                                   "addressCountry": "DE"}},
    "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
                   "value": {"@type": "QuantitativeValue", "minValue": 3400, "maxValue": 4100, "unitText": "MONTH"}},
    "url": "https://karriere.example/jobs/4711",
}  # fmt: skip


def _page(*blocks: dict, body: str = "<div id='app'></div>") -> str:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(block)}</script>' for block in blocks)
    return f"<!doctype html><html><head><title>Jobs</title>{scripts}</head><body>{body}</body></html>"


def test_plain_text_and_plain_html_pass_through_unchanged():
    for text in ("Chef wanted in Croydon. Apply today.", "<p>Chef wanted</p><script>var x = 1;</script>"):
        intake = recognise(text)
        assert (intake.text, intake.fields, intake.shape) == (text, {}, "text")


def test_a_page_whose_posting_is_only_in_its_json_ld_is_read_not_emptied():
    intake = recognise(_page(JSON_LD))
    assert intake.shape == "json-ld"
    text = clean_text(intake.text)
    assert "Pflegefachkraft für unser Team" in text and "Dreischichtbetrieb" in text and "<p>" not in text
    assert intake.fields == {
        "title": "Pflegefachkraft (m/w/d)",
        "company": "Klinikum Nord",
        "locations": [Location(city="Hamburg", country="DE")],
        "employment_type": EmploymentType.part_time,  # "OTHER" is no type; the next one is
        "salary": Salary(min=3400, max=4100, currency="EUR", period=Period.month),
        "posted_date": dt.date(2026, 3, 7),
        "apply_url": "https://karriere.example/jobs/4711",
    }


def test_a_posting_in_a_graph_or_in_microdata_is_found():
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "Careers"}, JSON_LD]}
    assert recognise(_page(graph)).fields["company"] == "Klinikum Nord"
    microdata = (
        '<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">Barista</h1>'
        '<div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">'
        '<span itemprop="name">Kaffeehaus</span></div><p itemprop="description">Espresso all day.</p></div>'
    )
    intake = recognise(f"<html><body>{microdata}</body></html>")
    assert (intake.fields["title"], intake.fields["company"]) == ("Barista", "Kaffeehaus")
    assert "Espresso all day." in clean_text(intake.text)  # a brief description: the page is read too


@pytest.mark.parametrize(
    ("junk", "expected"),
    [
        ({"baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": {"minValue": 0, "maxValue": 0}}}, None),
        ({"baseSalary": {"currency": "", "value": {"value": 55000, "unitText": "YEAR"}}},
         Salary(min=55000, max=55000, currency=None, period=Period.year)),
        ({"baseSalary": {"currency": "CAD", "value": {"value": "1,517.86-1,895.93", "unitText": "WEEKLY"}}},
         Salary(min=1517.86, max=1895.93, currency="CAD", period=Period.week)),
        ({"baseSalary": {"currency": "USD", "value": {"value": 40, "unitText": "PER_SHIFT"}}},
         Salary(min=40, max=40, currency="USD", period=None)),  # a unit that is no period is none
    ],
)  # fmt: skip
def test_junk_in_structured_fields_is_no_value(junk, expected):
    fields = recognise(json.dumps({**JSON_LD, **junk})).fields
    assert fields.get("salary") == expected


def test_remote_and_country_requirements_become_workplace_and_places():
    remote = {**JSON_LD, "jobLocationType": "TELECOMMUTE", "jobLocation": None,
              "applicantLocationRequirements": [{"@type": "Country", "name": "Germany"}, {"@type": "Country", "name": "AT"}]}  # fmt: skip
    fields = recognise(json.dumps(remote)).fields
    assert fields["workplace_type"] is WorkplaceType.remote
    assert fields["locations"] == [Location(country="DE"), Location(country="AT")]


GREENHOUSE = {
    "id": 4012345, "internal_job_id": 99, "title": "Data Engineer", "company_name": "Acme Analytics",
    "updated_at": "2026-01-12T10:00:00-05:00", "location": {"name": "Toronto, Ontario, Canada"},
    "absolute_url": "https://boards.greenhouse.io/acme/jobs/4012345",
    "content": "&lt;p&gt;You will build pipelines in &lt;strong&gt;Python&lt;/strong&gt; and SQL.&lt;/p&gt;",
}  # fmt: skip
LEVER = {
    "id": "5ac21346-8e0c-4494-8e7a-3eb92ff77902", "text": "Account Executive", "createdAt": 1767225600000,
    "categories": {"commitment": "Full-time", "location": "Lisboa", "team": "Sales"},
    "descriptionPlain": "Sell our platform to mid-market companies across Iberia.", "workplaceType": "remote",
    "lists": [{"text": "Requirements", "content": "<li>3 years of SaaS sales</li>"}],
    "hostedUrl": "https://jobs.lever.co/acme/5ac21346", "applyUrl": "https://jobs.lever.co/acme/5ac21346/apply",
    "salaryRange": {"min": 40000, "max": 55000, "currency": "EUR", "interval": "per-year-salary"},
}  # fmt: skip
SMARTRECRUITERS = {
    "id": "744000012345", "name": "Magazijnmedewerker", "company": {"name": "Logistiek BV"},
    "location": {"city": "Tilburg", "region": "Noord-Brabant", "country": "nl", "remote": False},
    "typeOfEmployment": {"id": "permanent", "label": "Full-time"}, "releasedDate": "2026-02-01T08:00:00.000Z",
    "jobAd": {"sections": {"jobDescription": {"title": "Functie", "text": "<p>Je verzamelt orders in ons magazijn.</p>"}}},
}  # fmt: skip
USAJOBS = {
    "MatchedObjectId": "812345600", "MatchedObjectDescriptor": {
        "PositionTitle": "Park Ranger", "OrganizationName": "National Park Service",
        "PositionURI": "https://www.usajobs.gov/job/812345600", "ApplyURI": ["https://www.usajobs.gov/job/812345600/apply"],
        "PositionLocation": [{"CityName": "Moab", "CountrySubDivisionCode": "Utah", "CountryCode": "US"}],
        "PositionRemuneration": [{"MinimumRange": "41966.0", "MaximumRange": "54557.0", "Description": "Per Year"}],
        "PublicationStartDate": "2026-04-02T00:00:00.0000",
        "UserArea": {"Details": {"JobSummary": "Protect park resources and help visitors enjoy them."}},
    },
}  # fmt: skip


@pytest.mark.parametrize(
    ("document", "expected", "words"),
    [
        (GREENHOUSE, {"title": "Data Engineer", "company": "Acme Analytics", "posted_date": dt.date(2026, 1, 12),
                      "apply_url": "https://boards.greenhouse.io/acme/jobs/4012345"},
         ["You will build pipelines in Python and SQL.", "Toronto, Ontario, Canada"]),
        (LEVER, {"title": "Account Executive", "employment_type": EmploymentType.full_time,
                 "workplace_type": WorkplaceType.remote, "posted_date": dt.date(2026, 1, 1),
                 "apply_url": "https://jobs.lever.co/acme/5ac21346/apply",
                 "salary": Salary(min=40000, max=55000, currency="EUR", period=Period.year)},
         ["Sell our platform", "3 years of SaaS sales", "Lisboa"]),
        (SMARTRECRUITERS, {"title": "Magazijnmedewerker", "company": "Logistiek BV",
                           "locations": [Location(city="Tilburg", region="Noord-Brabant", country="NL")],
                           "employment_type": EmploymentType.full_time, "posted_date": dt.date(2026, 2, 1)},
         ["Je verzamelt orders in ons magazijn."]),
        (USAJOBS, {"title": "Park Ranger", "company": "National Park Service",
                   "locations": [Location(city="Moab", region="Utah", country="US")],
                   "salary": Salary(min=41966, max=54557, currency=None, period=Period.year),
                   "posted_date": dt.date(2026, 4, 2), "apply_url": "https://www.usajobs.gov/job/812345600/apply"},
         ["Protect park resources"]),
    ],
    ids=["greenhouse", "lever", "smartrecruiters", "usajobs"],
)  # fmt: skip
def test_an_api_record_gives_its_typed_fields_and_every_word_of_its_description(document, expected, words):
    intake = recognise(json.dumps(document))
    assert intake.shape == "json"
    assert {name: intake.fields.get(name) for name in expected} == expected
    text = clean_text(intake.text)
    assert all(word in text for word in words)
    assert "&lt;" not in text and "<p>" not in text
    assert not [line for line in text.splitlines() if line.split(":")[0].endswith(" id")]  # identifiers are not words


def test_a_document_that_lists_postings_is_read_for_its_first():
    listing = {"meta": {"total": 2}, "jobs": [GREENHOUSE, {**GREENHOUSE, "title": "Second Role"}]}
    assert recognise(json.dumps(listing)).fields["title"] == "Data Engineer"
    assert recognise(json.dumps([LEVER, GREENHOUSE])).fields["title"] == "Account Executive"


def test_json_of_a_shape_not_known_is_read_as_labelled_text_with_no_fields():
    document = {"uuid": "9f1c2d3e4b5a69788796a5b4c3d2e1f0", "position": {"label": "Elektriker"},
                "arbeitgeber": "Stadtwerke Ulm", "beschreibung": "Wir suchen Verstärkung für den Netzbetrieb. " * 4}  # fmt: skip
    intake = recognise(json.dumps(document, ensure_ascii=False))
    assert intake.fields == {}
    text = clean_text(intake.text)
    assert "position: Elektriker" in text and "arbeitgeber: Stadtwerke Ulm" in text and "Netzbetrieb" in text
    assert "9f1c2d3e" not in text


def test_a_json_ld_only_page_is_extracted_with_its_stated_fields(endpoint, extractor):
    endpoint.reply(endpoint.answer(posting_json(title="Pflegefachkraft", company=None, locations=[])))
    record = extractor.extract(_page(JSON_LD))
    assert record.title == "Pflegefachkraft"  # the model's reading of the title stands
    assert record.company == "Klinikum Nord" and record.locations == [Location(city="Hamburg", country="DE")]
    assert record.salary == Salary(min=3400, max=4100, currency="EUR", period=Period.month)
    assert record.posted_date == dt.date(2026, 3, 7) and record.employment_type is EmploymentType.part_time
    assert "Pflegefachkraft für unser Team" in endpoint.requests[0]["messages"][1]["content"]


def test_a_non_posting_answered_as_such_is_not_a_posting_even_as_data(endpoint, extractor):
    endpoint.reply(endpoint.answer(json.dumps({"title": None, "company": None, "locations": [], "seniority": None,
                                               "is_job_posting": False})))  # fmt: skip
    with pytest.raises(NotAJobPostingError):
        extractor.extract(_page({**JSON_LD, "title": "Our company news"}))


def test_a_document_of_several_json_ld_postings_is_read_for_its_first_alone():
    second = {**JSON_LD, "title": "Hebamme", "description": "Kreißsaal im Schichtdienst."}
    intake = recognise(json.dumps({"@graph": [JSON_LD, second]}))
    assert intake.fields["title"] == "Pflegefachkraft (m/w/d)"
    assert "Kreißsaal" not in intake.text


def test_a_stated_value_the_record_refuses_is_no_value_not_a_failed_record():
    fields = recognise(json.dumps({**JSON_LD, "title": "Pflegefachkraft " * 12, "datePosted": "2026-02-30"})).fields
    assert "title" not in fields and "posted_date" not in fields  # 190 characters; no such day
    assert fields["company"] == "Klinikum Nord"
