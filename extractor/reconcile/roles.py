"""One record per role, for a text that offers several.

The record extracted for a text describes its first role. ``records_by_role`` turns it into
one record per role the text lists (``extractor.reading.roles``), in text order:

- per role: its title as the text writes it, and the level that title names;
- pay, skills and years of experience per role where the text states them per role (in at
  least two roles' own parts of the text), from each role's own part; otherwise the
  record's, shared by every role;
- everything else (company, places, work and employment type, equity, date, link) shared:
  texts state those once for all their roles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from extractor._canonical import clean_title
from extractor.reading.experience import experience_years_min
from extractor.reading.money import salary
from extractor.reading.roles import RoleSection, role_sections
from extractor.reading.skills import find_skills
from extractor.reconcile.grounding import ground_seniority
from extractor.record import JobPosting


def _per_role(parts: list[str], read: Callable[[str], Any], shared: Any) -> list[Any]:
    """Each part's own value where at least two parts state one; else the shared value for every part."""
    values = [read(part) for part in parts]
    stated = [value for value in values if value not in (None, [], ([], []))]
    return values if len(stated) >= 2 else [shared] * len(parts)


def _skills(part: str) -> tuple[list[str], list[str]]:
    found = find_skills(part)
    return [item.value for item in found.required], [item.value for item in found.preferred]


def records_by_role(record: JobPosting, text: str) -> list[JobPosting]:
    """The record of each role ``text`` offers; ``[record]`` for a text with one role."""
    sections: list[RoleSection] = role_sections(text)
    if not sections:
        return [record]
    countries = [place.country for place in record.locations]
    parts = [text[section.start : section.end] for section in sections]
    pays = _per_role(parts, lambda part: (found.value if (found := salary(part, countries)) else None), record.salary)
    years = _per_role(parts, lambda part: (found.value if (found := experience_years_min(part)) else None),
                      record.experience_years_min)  # fmt: skip
    skills = _per_role(parts, _skills, (record.required_skills, record.preferred_skills))
    records = []
    for section, part, pay, years_asked, (required, preferred) in zip(sections, parts, pays, years, skills, strict=True):
        title = clean_title(section.title)
        update = {
            "title": title,
            "seniority": ground_seniority(None, title, f"{title}\n{part}"),
            "salary": pay,
            "experience_years_min": years_asked,
            "required_skills": required,
            "preferred_skills": preferred,
        }
        records.append(JobPosting.model_validate({**record.model_dump(), **update}))
    return records
