"""What arrived: plain text, a page that carries its posting as structured data, or JSON.

Many postings do not arrive as prose. A careers page carries a schema.org ``JobPosting`` in
JSON-LD or microdata (read with extruct); job boards, applicant-tracking systems and public
employment services hand out JSON, whose description is HTML inside a string. ``recognise``
runs before cleanup and never discards content:

- the posting becomes text the model reads: its stated fields as labelled lines, then every
  other string the data holds (a description's HTML turned into text), each once;
- its typed fields become evidence (``Intake.fields``, record values by field), read by
  ``extractor._schema_org`` for JSON-LD and by a small table of key paths for the API shapes
  below, and validated like any other value.

A document that lists several postings is read for its first (``extract`` returns one record).
Anything else is plain text, unchanged.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from extractor import _schema_org as schema_org
from extractor.record import Salary, WorkplaceType

log = logging.getLogger(__name__)

_STRUCTURED_HTML = re.compile(r"application/ld\+json|itemtype\s*=\s*[\"']?https?://schema\.org/JobPosting", re.IGNORECASE)
_MARKUP = re.compile(r"<(?:p|br|div|li|ul|ol|span|strong|b|h[1-6]|table)\b[^>]*>|^\s*<[a-z][\w:-]*>.*</[\w:-]+>\s*$",
                     re.IGNORECASE | re.DOTALL)
# Keys that say where the job is, whatever the shape: their values read as a "Location:" line.
_PLACE_KEYS = {"address", "location", "locations", "city", "municipality", "locality", "job location", "work location"}
# Keys of a document that lists postings.
_LIST_KEYS = ("jobs", "postings", "results", "items", "data", "offers", "positions", "vacancies", "hits", "content")
# Keys whose values are identifiers, codes or pictures, not words about the job.
_NOISE_KEY = re.compile(
    r"(?:^|[_\-.])(?:id|ids|uuid|guid|hash\w*|checksum|score|index|type_id|concept_id|legacy\w*|taxonomy\w*|kod|code|"
    r"logo\w*|image\w*|icon\w*|thumbnail\w*|@context|@id|@type|__v|slug|internal\w*)$|^_(?:index|type|id|score)$",
    re.IGNORECASE,
)
# Keys that say nothing of their own: a value under one is labelled by the key above ("employer").
_GENERIC_KEYS = {"name", "label", "text", "value", "term", "content", "formatted", "text_formatted", "#text", "_source"}
# A brief description is no description: the page's own text is read beside it.
_BRIEF = 200


@dataclass(frozen=True)
class Intake:
    """The text for cleanup and the model, and the values the data states in typed fields."""

    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    shape: str = "text"  # "text", "json-ld" (a page's JSON-LD or microdata), "json"


def recognise(text: str) -> Intake:
    """Plain text as it is; a page with a JobPosting, or a JSON document, as text plus typed fields."""
    stripped = text.strip().lstrip("\ufeff")
    if stripped[:1] in ("{", "["):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, dict | list):
            return _from_json(data)
    if _STRUCTURED_HTML.search(text):
        intake = _from_page(text)
        if intake is not None:
            return intake
    return Intake(text)


def _from_page(page: str) -> Intake | None:
    import extruct

    try:
        data = extruct.extract(page, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore")
    except Exception as error:  # noqa: BLE001 - a page extruct cannot parse is read as a page
        log.debug("structured data unreadable (%s); reading the page as text", error)
        return None
    postings = schema_org.find_postings([data.get("json-ld", []), data.get("microdata", [])])
    if not postings:
        return None
    posting = postings[0]
    fields = schema_org.read(posting)
    text = _render(fields, posting)
    if len(_description(posting)) < _BRIEF:
        text = f"{text}\n\n{page}"  # the page's own words, which cleanup reads as HTML
    return Intake(text, fields, "json-ld")


def _description(posting: dict[str, Any]) -> str:
    description = posting.get("description")
    return description if isinstance(description, str) else ""


def _from_json(data: dict[str, Any] | list[Any]) -> Intake:
    postings = schema_org.find_postings(data)
    if postings:
        fields = schema_org.read(postings[0])
        # One posting: the whole document is about it (an importer's wrapper fields too); several: the first.
        return Intake(_render(fields, data if len(postings) == 1 else postings[0]), fields, "json")
    document = _first_posting(data)
    fields = _api_fields(document)
    return Intake(_render(fields, document), fields, "json")


def _first_posting(data: Any) -> Any:
    """The first posting of a document that lists them; the document itself otherwise."""
    while True:
        if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
            data = data[0]
        elif isinstance(data, dict) and (
            lists := [data[key] for key in _LIST_KEYS if isinstance(data.get(key), list) and data[key]]
        ) and all(isinstance(item, dict) for item in lists[0]):
            data = lists[0][0]
        else:
            return data


# --- API shapes -----------------------------------------------------------------------------------

# Each shape: the keys that tell it apart, then each field's key paths, first found wins.
_SHAPES: dict[str, tuple[frozenset[str], dict[str, tuple[str, ...]]]] = {
    "greenhouse": (frozenset({"absolute_url", "content"}), {
        "title": ("title",), "company": ("company_name",), "apply_url": ("absolute_url",), "posted_date": ("first_published", "updated_at"),
    }),
    "lever": (frozenset({"hostedUrl", "categories"}), {
        "title": ("text",), "employment_type": ("categories.commitment",),
        "workplace_type": ("workplaceType",), "apply_url": ("applyUrl", "hostedUrl"), "posted_date": ("createdAt",),
        "salary_min": ("salaryRange.min",), "salary_max": ("salaryRange.max",),
        "salary_currency": ("salaryRange.currency",), "salary_period": ("salaryRange.interval",),
    }),
    "smartrecruiters": (frozenset({"jobAd"}), {
        "title": ("name",), "company": ("company.name",), "city": ("location.city",),
        "region": ("location.region",), "country": ("location.country",), "remote": ("location.remote",),
        "employment_type": ("typeOfEmployment.label", "typeOfEmployment.id"), "posted_date": ("releasedDate",),
        "apply_url": ("applyUrl", "postingUrl"),
    }),
    "workable": (frozenset({"shortcode"}), {
        "title": ("title",), "company": ("account.name", "company"), "city": ("location.city", "city"),
        "region": ("location.region", "state"), "country": ("location.country_code", "country_code", "country"),
        "remote": ("location.telecommuting", "telecommuting"), "employment_type": ("employment_type",),
        "posted_date": ("published_on", "created_at"), "apply_url": ("application_url", "url", "shortlink"),
    }),
    "ashby": (frozenset({"jobUrl", "descriptionHtml"}), {
        "title": ("title",), "remote": ("isRemote",), "employment_type": ("employmentType",),
        "posted_date": ("publishedAt",), "apply_url": ("applyUrl", "jobUrl"),
    }),
    "usajobs": (frozenset({"PositionTitle", "PositionURI"}), {
        "title": ("PositionTitle",), "company": ("OrganizationName",), "city": ("PositionLocation.0.CityName",),
        "region": ("PositionLocation.0.CountrySubDivisionCode",), "country": ("PositionLocation.0.CountryCode",),
        "salary_min": ("PositionRemuneration.0.MinimumRange",), "salary_max": ("PositionRemuneration.0.MaximumRange",),
        "salary_period": ("PositionRemuneration.0.Description",), "posted_date": ("PublicationStartDate",),
        "apply_url": ("ApplyURI.0", "PositionURI"),
    }),
    "jobtech": (frozenset({"headline", "workplace_address"}), {
        "title": ("headline",), "company": ("employer.name",), "city": ("workplace_address.municipality",
        "workplace_address.city"), "region": ("workplace_address.region",),
        "country": ("workplace_address.country", "workplace_address.country_code"),
        "posted_date": ("publication_date",), "apply_url": ("application_details.url", "webpage_url"),
    }),
}  # fmt: skip


def _at(document: Any, path: str) -> Any:
    for key in path.split("."):
        if isinstance(document, list) and key.isdigit():
            document = document[int(key)] if int(key) < len(document) else None
        elif isinstance(document, dict):
            document = document.get(key)
        else:
            return None
    return document


def _shape(document: Any) -> str | None:
    if isinstance(document, dict) and "MatchedObjectDescriptor" in document:
        return _shape(document["MatchedObjectDescriptor"])
    keys = set(document) if isinstance(document, dict) else set()
    return next((name for name, (marks, _) in _SHAPES.items() if marks <= keys), None)


def _api_fields(document: Any) -> dict[str, Any]:
    """The typed fields of a known API shape, as record values; none for a shape not known."""
    shape = _shape(document)
    if shape is None:
        return {}
    if "MatchedObjectDescriptor" in document:
        document = document["MatchedObjectDescriptor"]
    paths = _SHAPES[shape][1]
    raw = {name: next((value for path in options if (value := _at(document, path)) not in (None, "", [])), None)
           for name, options in paths.items()}  # fmt: skip
    posting: dict[str, Any] = {"title": raw.get("title"), "hiringOrganization": raw.get("company"), "url": raw.get("apply_url")}
    if raw.get("city") or raw.get("country"):
        posting["jobLocation"] = {"address": {
            "addressLocality": raw.get("city"), "addressRegion": raw.get("region"), "addressCountry": raw.get("country"),
        }}  # fmt: skip
    if raw.get("employment_type"):
        posting["employmentType"] = raw["employment_type"]
    if raw.get("salary_min") or raw.get("salary_max"):
        posting["baseSalary"] = {"currency": raw.get("salary_currency"), "value": {
            "minValue": raw.get("salary_min"), "maxValue": raw.get("salary_max"), "unitText": raw.get("salary_period"),
        }}  # fmt: skip
    posting["datePosted"] = _iso_date(raw.get("posted_date"))
    fields = schema_org.read(posting)
    if raw.get("remote") is True or str(raw.get("workplace_type") or "").casefold() == "remote":
        fields["workplace_type"] = WorkplaceType.remote
    return fields


def _iso_date(value: Any) -> str | None:
    """A date as ISO text: from ISO text, or from epoch milliseconds (Lever's ``createdAt``)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 10**11:
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC).date().isoformat()
    return value if isinstance(value, str) else None


# --- the text the model reads -----------------------------------------------------------------------


def _stated_lines(fields: dict[str, Any]) -> list[str]:
    """The typed fields as labelled lines, in words the readers recognise."""
    lines = [fields["title"]] if fields.get("title") else []
    if fields.get("company"):
        lines.append(f"Company: {fields['company']}")
    if places := [str(place) for place in fields.get("locations", [])]:
        lines.append(f"Location: {'; '.join(places)}")
    if fields.get("workplace_type"):
        lines.append(f"Workplace: {fields['workplace_type'].value}")
    if fields.get("employment_type"):
        lines.append(f"Employment type: {fields['employment_type'].value.replace('_', '-')}")
    if salary := fields.get("salary"):
        lines.append(f"Salary: {_pay(salary)}")
    if fields.get("experience_years_min") is not None:
        lines.append(f"Experience: {fields['experience_years_min']} years")
    if fields.get("posted_date"):
        lines.append(f"Posted: {fields['posted_date'].isoformat()}")
    if fields.get("apply_url"):
        lines.append(f"Apply: {fields['apply_url']}")
    return lines


def _pay(salary: Salary) -> str:
    figures = f"{salary.min:g}" if salary.min == salary.max else f"{salary.min:g} - {salary.max:g}"
    return " ".join(part for part in (figures, salary.currency, f"per {salary.period.value}" if salary.period else None) if part)


def _render(fields: dict[str, Any], document: Any) -> str:
    """The stated fields, then every other string of the document once: short ones labelled, long ones as paragraphs."""
    lines = _stated_lines(fields)
    seen = {" ".join(str(value).split()).casefold() for value in fields.values() if isinstance(value, str)}
    for label, value in _leaves(document):
        text = _as_text(value)
        key = " ".join(text.split()).casefold()
        if not any(character.isalnum() for character in key) or key in seen:
            continue
        seen.add(key)
        if "\n" in text or len(text) > 120:
            lines.append(f"\n{text}\n")
        else:
            lines.append(f"{'Location' if label in _PLACE_KEYS else label}: {text}")
    return "\n".join(lines)


def _leaves(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Each scalar of the document worth reading, labelled by its last key that says something ("employer")."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not _NOISE_KEY.search(re.sub(r"(?<=[a-z])(?=[A-Z])", "_", str(key))):  # "MatchedObjectId" too
                yield from _leaves(value, (*path, str(key)))
    elif isinstance(node, list):
        for item in node:
            yield from _leaves(item, path)
    elif isinstance(node, str | int | float) and not isinstance(node, bool):
        named = [key for key in path if key.casefold() not in _GENERIC_KEYS and not key.isdigit()] or ["value"]
        yield re.sub(r"(?<=[a-z])(?=[A-Z])|[_@]", " ", named[-1]).strip().lower(), node


def _as_text(value: Any) -> str:
    """A value as text; a string of HTML (escaped or not) as the words it shows."""
    text = str(value).strip()
    if "&lt;" in text:
        text = html.unescape(text)
    if _MARKUP.search(text):
        from extractor.cleanup.text import html_to_text

        text = html_to_text(text)
    return text.strip()
