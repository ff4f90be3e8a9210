"""Fields read from the posting text by rule, not asked of the model.

Measured on the eval cases, a keyword, a number or a date the text states is found more
often by a rule than by a small model, which also invents them when the text is silent
(a posted date of its own, "full_time" for an internship). Each function here returns
null when the text does not say; every function is pure.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from extractor.money import likely_period, pay_mentions
from extractor.record import EmploymentType, Salary, WorkplaceType
from extractor.skills import find_skills


def words(pattern: str) -> re.Pattern[str]:
    """``pattern`` as whole words, any case ("intern" is not in "internal")."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


_WORKPLACE = {
    WorkplaceType.remote: words(r"remote|remotely|work from home|wfh|distributed team"),
    WorkplaceType.hybrid: words(r"hybrid|\d days? (?:a|per) week in (?:the )?office"),
    WorkplaceType.onsite: words(r"on-?site|in[- ]office|in[- ]person|office[- ]based|on site"),
}
_EMPLOYMENT = {
    EmploymentType.full_time: words(r"full[- ]?time|permanent"),
    EmploymentType.part_time: words(r"part[- ]?time"),
    # Not "prohibited by law or by contract" (equal-opportunity boilerplate) nor "a Federal Contractor".
    EmploymentType.contract: words(r"(?<!by )contract|freelance|freelancer"),
    EmploymentType.internship: words(r"intern|internship"),
    EmploymentType.temporary: words(r"temporary|temp|fixed[- ]term|supply (?:teach\w*|work|cover)|relief|locum|seasonal"),
}
_HEADER_SEPARATOR = re.compile(r"\s+\|\s+|\s+[–—]\s+")
_EQUITY = words(r"equity|stock|stock options|share options|esops?|shares|rsus?")
_YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:-|–|to)?\s*(?:\d{1,2}\s*)?\+?\s*(?:years?|yrs?|yoe)\b", re.IGNORECASE)
_EXPERIENCE = re.compile(r"experience|\bexp\b|\byoe\b|background|track record", re.IGNORECASE)
_POSTED = re.compile(r"posted|published|posting date|listed on", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_URL = re.compile(r"https?://[^\s<>()\[\]\"'*]+")
_APPLY = re.compile(r"appl(?:y|ication)", re.IGNORECASE)
_JOB_PATH = re.compile(r"/(?:jobs?|apply|careers?|positions?|vacanc(?:y|ies)|openings?)\b", re.IGNORECASE)
_ATS_HOST = re.compile(
    r"greenhouse\.io|lever\.co|ashbyhq\.com|workable\.com|rippling\.com|teamtailor\.com|smartrecruiters\.com|"
    r"myworkdayjobs\.com|bamboohr\.com|recruitee\.com|personio\.|jobvite\.com|icims\.com",
    re.IGNORECASE,
)


def header_fields(text: str) -> list[str]:
    """The fields of a "Company | Title | Place | ..." header in the first lines, if the text has one."""
    for line in text.splitlines()[:3]:
        fields = [field.strip() for field in _HEADER_SEPARATOR.split(line)]
        if len(fields) >= 3:
            return [field for field in fields if field]
    return []


def first_keyword(patterns: dict[Any, re.Pattern[str]], text: str) -> Any:
    """The value whose words the text writes first ("Full-time" in a header beats a later aside)."""
    found = [(match.start(), value) for value, pattern in patterns.items() if (match := pattern.search(text))]
    return min(found, key=lambda item: item[0])[1] if found else None


def workplace_type(text: str) -> WorkplaceType | None:
    return first_keyword(_WORKPLACE, text)


def employment_type(text: str) -> EmploymentType | None:
    return first_keyword(_EMPLOYMENT, text)


def equity(text: str) -> bool | None:
    """True when the text mentions equity in any form; it never says "no equity" in practice."""
    return True if _EQUITY.search(text) else None


def experience_years_min(text: str) -> int | None:
    """The smallest number of years asked for on a line about experience ("5+ years of ...")."""
    years = [int(match[1]) for line in text.splitlines() if _EXPERIENCE.search(line) for match in _YEARS.finditer(line)]
    return min(years) if years else None


def salary(text: str) -> Salary | None:
    """The pay statement that reads most like the employer's own ("base salary range ..."), first on a tie.

    A job board's header figure loses to the employer's sentence; a text with no pay
    statement has no salary.
    """
    mentions = pay_mentions(text)
    if not mentions:
        return None
    chosen = max(mentions, key=lambda m: (m.score, -m.start))
    # An unstated period follows from the amount when it can ("$196,000" is not hourly pay).
    period = chosen.period or likely_period(chosen.max)
    return Salary(min=chosen.min, max=chosen.max, currency=chosen.currency, period=period)


def posted_date(text: str) -> dt.date | None:
    """An ISO date on a line that says it is the posting's date ("Posted: 2026-02-03")."""
    for line in text.splitlines():
        if _POSTED.search(line) and (match := _ISO_DATE.search(line)):
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None


def apply_url(text: str) -> str | None:
    """The link most like an application page: on a line about applying, a job's path, an applicant-tracking host."""
    best: tuple[int, str] | None = None
    for line in text.splitlines():
        for match in _URL.finditer(line):
            url = match.group().rstrip(".,;:")
            score = 4 * bool(_APPLY.search(line)) + 2 * bool(_JOB_PATH.search(url)) + bool(_ATS_HOST.search(url))
            if score and (best is None or score > best[0]):
                best = (score, url)
    return best[1] if best else None


def read_fields(text: str) -> dict[str, Any]:
    """Every rule-read field of the record, by name."""
    skills = find_skills(text)
    return {
        "workplace_type": workplace_type(text),
        "employment_type": employment_type(text),
        "salary": salary(text),
        "equity": equity(text),
        "experience_years_min": experience_years_min(text),
        "required_skills": skills.required,
        "preferred_skills": skills.preferred,
        "posted_date": posted_date(text),
        "apply_url": apply_url(text),
    }
