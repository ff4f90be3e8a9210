"""Check the model's answer against the text it came from, by rule.

A small model fills fields the text never supports: a posted date of its own, equity
and seniority everywhere, sentence fragments as skills, the job board as the company.
Each rule here keeps a value only when the cleaned text supports it (case- and
punctuation-insensitive, aliases allowed) and otherwise leaves it null, since a missing
value costs less than an invented one. Salary is read from the text by rule and the
model's reading only picks among the stated ranges. Every function is pure.
"""

from __future__ import annotations

import re
from typing import Any

from extractor import canonical
from extractor.money import PayMention, likely_period, pay_mentions
from extractor.record import EmploymentType, JobPosting, Location, Salary, Seniority, WorkplaceType


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


_SENIORITY = {
    Seniority.intern: _words(r"intern|internship|trainee"),
    Seniority.junior: _words(r"junior|jr\.?|entry[- ]level|graduate|early[- ]career"),
    Seniority.mid: _words(r"mid[- ]level|intermediate|mid"),
    Seniority.senior: _words(r"senior|sr\.?"),
    Seniority.staff: _words(r"staff"),
    Seniority.principal: _words(r"principal"),
    Seniority.lead: _words(r"lead|tech lead|team lead"),
    Seniority.manager: _words(r"manager|head of"),
    Seniority.director: _words(r"director"),
    Seniority.executive: _words(r"chief|c[eft]o|vp|vice president|executive|co-?founder"),
}
_WORKPLACE = {
    WorkplaceType.remote: _words(r"remote|remotely|work from home|wfh|distributed team"),
    WorkplaceType.hybrid: _words(r"hybrid|\d days? (?:a|per) week in (?:the )?office"),
    WorkplaceType.onsite: _words(r"on-?site|in[- ]office|in[- ]person|office[- ]based|on site"),
}
_EMPLOYMENT = {
    EmploymentType.full_time: _words(r"full[- ]?time|permanent"),
    EmploymentType.part_time: _words(r"part[- ]?time"),
    EmploymentType.contract: _words(r"contract|contractor|freelance|consultant"),
    EmploymentType.internship: _words(r"intern|internship"),
    EmploymentType.temporary: _words(r"temporary|temp|fixed[- ]term|supply|relief|locum|seasonal"),
}
_EQUITY = _words(r"equity|stock|stock options|options|esops?|shares|sars|rsus?|ownership")
_YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:-|–|to)?\s*(?:\d{1,2}\s*)?\+?\s*(?:years?|yrs?)\b", re.IGNORECASE)
_TECH_SHAPE = re.compile(r"[A-Z0-9+#./]")  # technology names carry a capital, digit or symbol


_URL = re.compile(r"https?://\S+|\bwww\.\S+|\S+@\S+\.\w+")
_TITLE_DECORATION = re.compile(r"\s*(?:\||\s-\s*[$€£₹]|\(remote\)|\(hybrid\)|\(on-?site\)).*$", re.IGNORECASE)


def _folded_in(value: str, text: str) -> bool:
    needle = canonical.fold(value)
    return bool(needle) and f" {needle} " in f" {canonical.fold(text)} "


def ground_company(value: str | None, text: str) -> str | None:
    """The name as the text writes it outside links and addresses, shortened to the part the text has.

    A job board or an applicant-tracking site appears only inside URLs, so it drops out;
    "Obie Insurance" where the text says "Obie" becomes "Obie".
    """
    if not value:
        return None
    prose = _URL.sub(" ", text)
    words = value.split()
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        if _folded_in(candidate, prose):
            return candidate
    return None


def ground_title(title: str, company: str | None) -> str:
    """The title without the company name and the pay or place a header line appends to it."""
    cleaned = title
    if company:
        cleaned = re.sub(rf"^\s*{re.escape(company)}\s*(?:[-|:–]\s*)?", "", cleaned, flags=re.IGNORECASE)
        cleaned = re.sub(rf"\s*(?:\bat\b|[-|@–])\s*{re.escape(company)}\s*$", "", cleaned, flags=re.IGNORECASE)
    cleaned = _TITLE_DECORATION.sub("", cleaned).strip(" -|:–")
    return cleaned or title


def _matches(salary: Salary, mention: PayMention) -> bool:
    return salary.min == mention.min and salary.max == mention.max


def reconcile_salary(salary: Salary | None, text: str) -> Salary | None:
    """The salary the text states, using the model's reading only to choose among several.

    No pay statement in the text means no salary. When the model's range is one the text
    states (a text with several roles), that one is kept; otherwise the statement that
    reads most like the employer's own ("base salary range ...") wins, the first on a tie.
    """
    mentions = pay_mentions(text)
    if not mentions:
        return None
    chosen = next((m for m in mentions if salary and _matches(salary, m)), None)
    if chosen is None:
        chosen = max(mentions, key=lambda m: (m.score, -m.start))
    currency = chosen.currency or (salary.currency if salary else None)
    # An unstated period follows from the amount when it can ("$196,000" is not hourly pay).
    period = chosen.period or likely_period(chosen.max) or (salary.period if salary else None)
    return Salary(min=chosen.min, max=chosen.max, currency=currency, period=period)


def ground_seniority(value: Seniority | None, title: str, text: str) -> Seniority | None:
    """A level the title names wins; else the model's level if the text states it; else null."""
    for level, pattern in _SENIORITY.items():
        if pattern.search(title):
            return level
    if value is not None and _SENIORITY[value].search(text):
        return value
    return None


def ground_keyword(value: Any, patterns: dict[Any, re.Pattern[str]], text: str) -> Any:
    """The model's choice when the text says it in words; else null."""
    return value if value is not None and patterns[value].search(text) else None


def ground_equity(value: bool | None, text: str) -> bool | None:
    if value is None:
        return None
    return value if _EQUITY.search(text) else None


def ground_experience(value: int | None, text: str) -> int | None:
    """Kept when the text asks for that many years ("5+ years", "3-5 years")."""
    if value is None:
        return None
    return value if any(int(match[1]) == value for match in _YEARS.finditer(text)) else None


def _written_as(name: str, text: str, *, exact: bool) -> list[str]:
    flags = 0 if exact else re.IGNORECASE
    return re.findall(rf"(?<![\w]){re.escape(name)}(?![\w#+])", text, flags)


def _skill_in_text(name: str, text: str) -> bool:
    """Whether the text writes this technology: as its name or an alias, shaped like a name.

    Short names ("Go", "AWS", "C#") must match as written ("go" is an English word), and
    each word of the text's own spelling must carry a capital, digit or symbol unless the
    name is a known technology: "distributed systems" in running text is a concept.
    """
    spellings = [(name, len(name) <= 3)]
    spellings += [(alias, False) for alias in canonical.aliases_of(name) if len(alias) >= 3]
    for spelling, exact in spellings:
        for written in _written_as(spelling, text, exact=exact):
            # Every word shaped like a name: "Google Cloud", not "Cloud infra platforms".
            if canonical.is_known_skill(name) or all(_TECH_SHAPE.search(word) for word in written.split()):
                return True
    return False


def ground_skills(values: list[str], text: str) -> list[str]:
    """Technology names the text contains; sentences and concepts drop out."""
    return [name for name in values if len(name.split()) <= 3 and _skill_in_text(name, text)]


def _split_countries(values: list[Location]) -> list[Location]:
    """A country written into ``region`` ("region": "UK", "country": "ES") is a place of its own."""
    places = []
    for location in values:
        other = _as_country(location.region)
        if other and other != location.country:
            places.append(location.model_copy(update={"region": None}))
            if location.city is None:
                places.append(Location(country=other))
        else:
            places.append(location)
    return places


def _as_country(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return canonical.country_code(name)
    except ValueError:
        return None


def ground_locations(values: list[Location], text: str) -> list[Location]:
    """Places the text names: the city, or for a country-only entry the country."""
    kept = []
    for location in _split_countries(values):
        if location.city:
            if any(_folded_in(name, text) for name in canonical.city_spellings(location.city)):
                kept.append(location)
        elif canonical.country_mentioned(location.country, text):
            kept.append(location)
    return kept


def ground(record: JobPosting, text: str) -> JobPosting:
    """The record with every value the text does not support set to null (or removed)."""
    company = ground_company(record.company, text)
    apply_url = record.apply_url if record.apply_url and record.apply_url in text else None
    posted = record.posted_date
    if posted is not None and str(posted.year) not in text:
        posted = None
    grounded = record.model_copy(
        update={
            "title": ground_title(record.title, company),
            "company": company,
            "locations": ground_locations(record.locations, text),
            "workplace_type": ground_keyword(record.workplace_type, _WORKPLACE, text),
            "employment_type": ground_keyword(record.employment_type, _EMPLOYMENT, text),
            "seniority": ground_seniority(record.seniority, record.title, text),
            "salary": reconcile_salary(record.salary, text),
            "equity": ground_equity(record.equity, text),
            "experience_years_min": ground_experience(record.experience_years_min, text),
            "required_skills": ground_skills(record.required_skills, text),
            "preferred_skills": ground_skills(record.preferred_skills, text),
            "posted_date": posted,
            "apply_url": apply_url,
        }
    )
    # Re-validate: grounding may leave duplicates (two entries for one country) to merge.
    return JobPosting.model_validate(grounded.model_dump())
