"""Where each value of a record stands in the text it was read from.

``locate(record, text)`` gives every non-null value of a record (each place and each skill
on its own) the spans of the cleaned text that state it: the reader's own spans where a
reader found the same value, otherwise the words, figures or names the support checks
accept (``extractor.reconcile.support``). A value with no span is one the text does not state in so
many words (a title reworded, a period inferred from a figure's size): it is flagged, not
hidden. The spans point into the cleaned text, so ``text[span.start:span.end] == span.quote``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from extractor import _canonical as canonical
from extractor.reading import Found, read_evidence
from extractor.reading.geography import city_spellings, country_span
from extractor.reading.kinds import NOT_EQUITY
from extractor.reading.matching import Span, blanked, find, first_mention
from extractor.reconcile import support
from extractor.record import JobPosting, Location, Salary, WorkplaceType

# Fields in the order a person reads a record.
FIELDS = (
    "title", "company", "locations", "workplace_type", "employment_type", "seniority", "salary", "equity",
    "experience_years_min", "required_skills", "preferred_skills", "posted_date", "apply_url",
)  # fmt: skip


@dataclass(frozen=True)
class Evidence:
    """One value of a record (one place, one skill) as shown, and the spans of the text that state it."""

    field: str
    value: str
    spans: tuple[Span, ...]

    @property
    def supported(self) -> bool:
        return bool(self.spans)


def shown(value: Any) -> str:
    """A value as a person reads it: "München, DE", "60000–70000 EUR per year", "full_time"."""
    if isinstance(value, Salary):
        low, high = (f"{figure:g}" for figure in (value.min or 0, value.max or 0))
        figures = low if low == high else f"{low}–{high}"
        return " ".join(p for p in (figures, value.currency, f"per {value.period.value}" if value.period else "") if p)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is True:
        return "yes"
    return str(getattr(value, "value", value))


def _first(spans: Iterable[Span | None]) -> tuple[Span, ...]:
    """The span the text writes first, of those found."""
    found = [span for span in spans if span is not None]
    return (min(found, key=lambda span: span.start),) if found else ()


def _reader_spans(found: Found[Any] | list[Found[Any]] | None, value: Any) -> tuple[Span, ...] | None:
    """The reader's spans when a reader read this very value."""
    items = found if isinstance(found, list) else [found] if found else []
    return next((item.spans for item in items if item.value == value), None)


def _place(location: Location, text: str) -> tuple[Span, ...]:
    if location.city:
        names = (location.city, *canonical.city_spellings(location.city), *city_spellings(location.city, location.country))
        return _first(find(text, name) for name in names if len(name) > 1)
    return _first([find(text, location.region) if location.region else None, country_span(location.country, text)])


def _salary(salary: Salary, text: str) -> tuple[Span, ...]:
    figures = [support.amount_spans(amount, text) for amount in dict.fromkeys((salary.min, salary.max)) if amount]
    return tuple(spans[0] for spans in figures if spans)


def _keyword(table: dict[Any, tuple[str, ...]], value: Any, text: str) -> tuple[Span, ...]:
    words = table.get(value, ())
    if value is WorkplaceType.hybrid:  # working from home part of the week is hybrid (as ``support`` has it)
        words += table[WorkplaceType.remote]
    return _first([first_mention(text, words)])


def _spans(name: str, value: Any, record: JobPosting, text: str, read: dict[str, Any]) -> tuple[Span, ...]:
    if (spans := _reader_spans(read.get(name), value)) is not None:
        return spans
    if name in ("title", "company"):
        return _first([find(text, value)])
    if name == "locations":
        return _place(value, text)
    if name == "salary":
        return _salary(value, text)
    if name in ("workplace_type", "employment_type", "seniority"):
        tables = {"workplace_type": support.WORKPLACE_WORDS, "employment_type": support.EMPLOYMENT_WORDS,
                  "seniority": support.SENIORITY_WORDS}  # fmt: skip
        return _keyword(tables[name], value, text)
    if name == "equity":
        return _first([first_mention(blanked(text, NOT_EQUITY), support.EQUITY_WORDS)])
    if name in ("required_skills", "preferred_skills"):
        return _first(find(text, spelling) for spelling in support.skill_variants(value))
    if name == "experience_years_min":
        return _first([find(text, str(value))])
    if name == "posted_date":
        return _first([find(text, value.isoformat())])
    if name == "apply_url":
        at = text.find(value.rstrip("/"))
        return (Span.of(text, at, at + len(value.rstrip("/"))),) if at >= 0 else ()
    return ()


def locate(record: JobPosting, text: str) -> list[Evidence]:
    """Every non-null value of the record with its spans in ``text`` (the cleaned text it was read from)."""
    countries = [place.country for place in record.locations]
    read = read_evidence(text, countries)
    found = []
    for name in FIELDS:
        value = getattr(record, name)
        for item in value if isinstance(value, list) else [value]:
            if item is None or item is False:
                continue
            found.append(Evidence(name, shown(item), _spans(name, item, record, text, read)))
    return found
