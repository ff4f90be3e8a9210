"""schema.org ``JobPosting``, both ways: its properties read as record values, a record written as one.

Reading takes what Google's job-posting markup states (``title``, ``hiringOrganization``,
``jobLocation``, ``jobLocationType``, ``applicantLocationRequirements``, ``employmentType``,
``baseSalary``, ``datePosted``, ``experienceRequirements``, ``url``) and keeps each value
only if the record's own validation accepts it: an all-zero salary, an empty currency or an
``employmentType`` that is no type ("OTHER") is no value. Writing gives the same
properties, so a record read back gives the record's values again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from extractor.record import EmploymentType, Location, Salary, WorkplaceType, enum_value

if TYPE_CHECKING:
    from extractor.record import JobPosting

log = logging.getLogger(__name__)

CONTEXT = "https://schema.org"
_EMPLOYMENT_TYPES = {
    EmploymentType.full_time: "FULL_TIME",
    EmploymentType.part_time: "PART_TIME",
    EmploymentType.contract: "CONTRACTOR",
    EmploymentType.temporary: "TEMPORARY",
    EmploymentType.internship: "INTERN",
}
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")  # "2024-1-5" as well as "2024-01-05T09:00:00Z"
_NUMBER = re.compile(r"\d[\d,.\s\u00a0]*")
_PERIOD = re.compile(r"(hour|day|week|month|year|annual)", re.IGNORECASE)


def is_job_posting(node: Any) -> bool:
    kind = node.get("@type") if isinstance(node, dict) else None
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def find_postings(data: Any) -> list[dict[str, Any]]:
    """Every JobPosting object in a JSON(-LD) document, at any depth (``@graph``, a wrapper's field), in order."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if is_job_posting(node):
                found.append(node)
                continue
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _text(value: Any) -> str | None:
    """A property's text: a string, the ``name`` of an object, the first of a list."""
    if isinstance(value, list):
        return next((text for item in value if (text := _text(item))), None)
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _location(address: Any) -> Location | None:
    if not isinstance(address, dict):
        return None
    country = _text(address.get("addressCountry"))
    city, region = _text(address.get("addressLocality")), _text(address.get("addressRegion"))
    if not country and city:
        from extractor.reading.geography import city_country

        country = city_country(city)
    try:
        return Location(city=city, region=region, country=country) if country else None
    except ValidationError:
        return None


def _locations(posting: dict[str, Any]) -> list[Location]:
    places = [_location(place.get("address")) for place in _as_list(posting.get("jobLocation")) if isinstance(place, dict)]
    for requirement in _as_list(posting.get("applicantLocationRequirements")):
        try:
            places.append(Location(country=name) if (name := _text(requirement)) else None)
        except ValidationError:
            continue
    unique: list[Location] = []
    for place in places:
        if place is not None and place not in unique:
            unique.append(place)
    return unique


def _figure(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and (match := _NUMBER.search(value)):
        from extractor.reading.money import read_figure

        try:
            return read_figure(match.group().strip())
        except ValueError:
            return None
    return None


def _salary(amount: Any) -> Salary | None:
    """A MonetaryAmount (or a bare figure) as a salary; figures that are all zero state no pay."""
    if not isinstance(amount, dict):
        amount = {"value": amount}
    value = amount.get("value")
    quantity = value if isinstance(value, dict) else {"value": value}
    low, high = _figure(quantity.get("minValue")), _figure(quantity.get("maxValue"))
    single = quantity.get("value")
    if low is None and high is None and isinstance(single, str) and re.search(r"\d\s*[-–]\s*\d", single):
        low, high = (_figure(part) for part in re.split(r"\s*[-–]\s*", single, maxsplit=1))  # "1,517.86-1,895.93"
    elif low is None and high is None:
        low = high = _figure(single)
    if not (low or high):
        return None
    unit = _text(quantity.get("unitText")) or _text(amount.get("unitText")) or ""
    period = _PERIOD.search(unit)  # "YEAR", "WEEKLY", "Per Year", Lever's "per-year-salary"
    try:
        stated = {"min": low, "max": high, "currency": _text(amount.get("currency")), "period": period and period[1]}
        return Salary.model_validate(stated)
    except ValidationError:
        try:
            return Salary(min=low, max=high, currency=_text(amount.get("currency")))
        except ValidationError:
            return None


def _employment_type(value: Any) -> EmploymentType | None:
    """The first of the stated types that is one ("FULL_TIME", "Full-time"); "OTHER", "PER_DIEM" are none."""
    for kind in _as_list(value):
        spelled = enum_value(EmploymentType, kind)
        if spelled in EmploymentType.__members__.values():
            return EmploymentType(spelled)
    return None


def _date(value: Any) -> dt.date | None:
    match = _DATE.match(value) if isinstance(value, str) else None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        return None


def _years(requirements: Any) -> int | None:
    months = requirements.get("monthsOfExperience") if isinstance(requirements, dict) else None
    figure = _figure(months)
    return int(figure // 12) if figure is not None else None


def read(posting: dict[str, Any]) -> dict[str, Any]:
    """The record values a JobPosting states, by field; only values the record's validation accepts."""
    remote = any(_text(kind) == "TELECOMMUTE" for kind in _as_list(posting.get("jobLocationType")))
    url = _text(posting.get("url"))
    values = {
        "title": _text(posting.get("title")),
        "company": _text(posting.get("hiringOrganization")),
        "locations": _locations(posting),
        "workplace_type": WorkplaceType.remote if remote else None,
        "employment_type": _employment_type(posting.get("employmentType")),
        "salary": _salary(posting.get("baseSalary") or posting.get("estimatedSalary")),
        "posted_date": _date(posting.get("datePosted")),
        "experience_years_min": _years(posting.get("experienceRequirements")),
        "apply_url": url if url and url.startswith(("http://", "https://")) else None,
    }
    return _accepted({name: value for name, value in values.items() if value not in (None, [])})


def _accepted(values: dict[str, Any]) -> dict[str, Any]:
    """Each value as the record's own validation gives it back; a value it refuses is no value."""
    from extractor.record import JobPosting

    accepted = {}
    for name, value in values.items():
        try:
            record = JobPosting.model_validate({"title": value} if name == "title" else {"title": "-", name: value})
        except ValidationError as error:
            log.debug("%s %r is no value: %s", name, value, error.errors()[0]["msg"])
            continue
        accepted[name] = getattr(record, name)
    return accepted


def write(record: JobPosting) -> dict[str, Any]:
    """The record as a schema.org JobPosting (JSON-LD), with only the properties the record fills."""
    posting: dict[str, Any] = {"@context": CONTEXT, "@type": "JobPosting", "title": record.title}
    if record.company:
        posting["hiringOrganization"] = {"@type": "Organization", "name": record.company}
    places = [place for place in record.locations if place.city or place.region]
    if places:
        posting["jobLocation"] = [
            {"@type": "Place", "address": _without_nulls({
                "@type": "PostalAddress", "addressLocality": place.city, "addressRegion": place.region,
                "addressCountry": place.country,
            })}
            for place in places
        ]  # fmt: skip
    countries = [place.country for place in record.locations if not (place.city or place.region)]
    if countries:
        posting["applicantLocationRequirements"] = [{"@type": "Country", "name": code} for code in countries]
    if record.workplace_type is WorkplaceType.remote:
        posting["jobLocationType"] = "TELECOMMUTE"
    if record.employment_type:
        posting["employmentType"] = _EMPLOYMENT_TYPES[record.employment_type]
    if record.salary and record.salary.min is not None:
        value = _without_nulls({
            "@type": "QuantitativeValue", "minValue": _number(record.salary.min), "maxValue": _number(record.salary.max),
            "unitText": record.salary.period.value.upper() if record.salary.period else None,
        })  # fmt: skip
        posting["baseSalary"] = _without_nulls({"@type": "MonetaryAmount", "currency": record.salary.currency, "value": value})
    if record.posted_date:
        posting["datePosted"] = record.posted_date.isoformat()
    if record.experience_years_min is not None:
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements", "monthsOfExperience": record.experience_years_min * 12,
        }  # fmt: skip
    if record.required_skills or record.preferred_skills:
        posting["skills"] = [*record.required_skills, *record.preferred_skills]
    if record.apply_url:
        posting["url"] = record.apply_url
    return posting


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def _without_nulls(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value is not None}
