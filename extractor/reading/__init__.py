"""Readers, the evidence of step 4: what a posting states, read by rule, each value with the spans it was read from.

Each module reads one group of fields and every reader is a pure ``text -> Found | None``
function (``Found``: the value and the ``Span``s of the text that state it):

- ``kinds``: workplace type, employment type, equity
- ``money``: pay, in the notations and currencies of many countries
- ``experience``: the years of experience asked for
- ``dates``: the posting's date
- ``links``: the link to apply through
- ``skills``: the technologies named, required or preferred
- ``places``: the places the job is in, from the lines that state them
- ``titles``: titles as postings state them, and whether a phrase names a job
- ``roles``: the roles a text lists, when it offers several, each with its part of the text
- ``screening``: whether the text reads as a job seeker's post, or offers a job at all

They share ``words`` (the keyword tables, by language), ``language`` (which language a
text is in), ``geography`` (countries and cities by every name) and ``matching`` (matching
whatever the case, accents or punctuation). The pipeline reconciles this evidence with the
model's answer (``extractor.reconcile.policy`` and ``extractor.reconcile.grounding``); nothing here knows
about the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from extractor.reading.dates import posted_date
from extractor.reading.experience import experience_years_min
from extractor.reading.kinds import employment_type, equity, workplace_type
from extractor.reading.links import apply_url
from extractor.reading.matching import Found, Span
from extractor.reading.money import salary
from extractor.reading.skills import find_skills

__all__ = ["Evidence", "Found", "Span", "read_evidence", "read_fields", "values"]

Evidence = dict[str, Found[Any] | list[Found[Any]] | None]


def read_evidence(text: str, countries: Sequence[str] = ()) -> Evidence:
    """Every field the readers read, by name; ``countries`` are where the job is, when known."""
    skills = find_skills(text)
    return {
        "workplace_type": workplace_type(text),
        "employment_type": employment_type(text),
        "salary": salary(text, countries),
        "equity": equity(text),
        "experience_years_min": experience_years_min(text),
        "required_skills": skills.required,
        "preferred_skills": skills.preferred,
        "posted_date": posted_date(text),
        "apply_url": apply_url(text),
    }


def values(evidence: Evidence) -> dict[str, Any]:
    """The values of the evidence, by field: null where nothing was found, lists for list fields."""
    return {
        name: [item.value for item in found] if isinstance(found, list) else found.value if found else None
        for name, found in evidence.items()
    }


def read_fields(text: str, countries: Sequence[str] = ()) -> dict[str, Any]:
    """Every rule-read field's value, by name."""
    return values(read_evidence(text, countries))
