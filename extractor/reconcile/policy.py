"""The model's answer, held to the text: one policy, field by field.

- A value the text supports is kept as the model gave it (``extractor.reconcile.support`` says
  what support means for each field); no rule replaces it.
- A value the text does not support is dropped: null, or out of its list. A model that
  invents costs a missing value, never a wrong one.
- A salary is kept when the text writes both of its figures; its currency and period
  are kept when the text states them, or states none that could contradict them.
- The title is required and always kept; decoration that is no part of a title (gender
  markers such as "(m/w/d)" or "(H/F)") is taken off.

The strategy that asks a model for a few fields only (``core``) fills the others by
rule; ``reconcile`` is for answers that carry the whole record.

Fields a posting states as data (a schema.org JobPosting, an API's typed fields; see
``extractor.cleanup.intake``) are evidence like a reader's, under one rule measured on the tune
cases that arrive as data: they fill what the answer leaves empty, and where the answer
came from a model asked for a few fields (``core``, whose other fields are read from prose)
they also settle every field but the title, which data often words as a headline ("Acme
söker HR-administratör till ..."). A whole-record answer's supported values stand (a perfect
model lost a place to a data field that said "unspecified place" when data settled them).
"""

from __future__ import annotations

import logging
from typing import Any

from extractor._canonical import clean_title
from extractor.reconcile import support
from extractor.record import Location, RecordAnswer, RoleAnswer, RolesAnswer, Salary

log = logging.getLogger(__name__)

def _salary(salary: Salary | None, text: str) -> Salary | None:
    if salary is None or salary.min is None or salary.max is None:
        return None
    if not (support.supports_amount(salary.min, text) and support.supports_amount(salary.max, text)):
        return None
    currency = salary.currency if salary.currency and support.supports_currency(salary.currency, text) else None
    period = salary.period if salary.period and support.supports_period(salary.period, text, salary.max) else None
    return salary.model_copy(update={"currency": currency, "period": period})


def _company(company: str | None, text: str) -> str | None:
    return support.supported_prefix(company, text) if company else None


def _locations(locations: list[Location], text: str) -> list[Location]:
    return [location for location in locations if support.supports_location(location, text)]


def _role_fields(role: RecordAnswer | RoleAnswer, company: str | None, text: str) -> dict[str, Any]:
    """What a role says of itself (title, level, pay, years, skills), held to the text."""
    title = clean_title(role.title or "")
    return {
        "title": title,
        "seniority": _kept(role.seniority, support.SENIORITY_WORDS, f"{title}\n{text}"),
        "salary": _salary(role.salary, text),
        "experience_years_min": _if(role.experience_years_min, support.supports_years, text),
        "required_skills": [s for s in role.required_skills if support.supports_skill(s, text, company)],
        "preferred_skills": [s for s in role.preferred_skills if support.supports_skill(s, text, company)],
    }


def reconcile(answer: RecordAnswer, text: str) -> dict[str, Any]:
    """The record's fields from a whole-record answer: what the text supports, null where it does not."""
    company = _company(answer.company, text)
    fields: dict[str, Any] = {
        "company": company,
        "locations": _locations(answer.locations, text),
        "workplace_type": _kept(answer.workplace_type, support.WORKPLACE_WORDS, text),
        "employment_type": _kept(answer.employment_type, support.EMPLOYMENT_WORDS, text),
        "equity": answer.equity if answer.equity and support.supports_equity(answer.equity, text) else None,
        "posted_date": _if(answer.posted_date, support.supports_date, text),
        "apply_url": _if(answer.apply_url, support.supports_url, text),
        **_role_fields(answer, company, text),
    }
    if log.isEnabledFor(logging.DEBUG):
        given = answer.model_dump(exclude={"is_job_posting"})
        dropped = {name: given[name] for name, value in fields.items() if value in (None, []) and given[name]}
        log.debug("values the text does not support, dropped: %s", dropped)
    return fields


def reconcile_roles(answer: RolesAnswer, fields: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """Each role's fields: what the roles share (``fields``), with what the text supports of the role's own."""
    return [{**fields, **_role_fields(role, fields.get("company"), text)} for role in answer.roles]


def _kept(value: Any, table: dict[Any, tuple[str, ...]], text: str) -> Any:
    return value if value is not None and support.supports_keyword(table, value, text) else None


def _if(value: Any, check: Any, text: str) -> Any:
    return value if value is not None and check(value, text) else None


# Fields where the model's reading of the posting beats the data's wording; the data fills them when empty.
_MODEL_FIRST = ("title",)


def with_stated(fields: dict[str, Any], stated: dict[str, Any], *, settles: bool) -> dict[str, Any]:
    """The record's fields with what the posting's data states: filling empty fields, and when
    ``settles`` also every field but the model-first ones."""
    merged = dict(fields)
    for name, value in stated.items():
        if merged.get(name) in (None, "", []) or settles and name not in _MODEL_FIRST:
            merged[name] = value
    return merged
