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

from collections.abc import Sequence

from extractor import support, words
from extractor.language import language_of
from extractor.money import currency_of, likely_period, pay_mentions
from extractor.record import MAX_EXPERIENCE_YEARS, EmploymentType, Salary, WorkplaceType
from extractor.skills import find_skills


def whole_words(pattern: str) -> re.Pattern[str]:
    """``pattern`` as whole words, any case ("intern" is not in "internal")."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


_HEADER_SEPARATOR = re.compile(r"\s+\|\s+|\s+[–—]\s+")
_BY_CONTRACT = re.compile(r"\bby contract\b", re.IGNORECASE)
# Numbers of years written as words, in the languages of ``words``.
_NUMBER = {word.casefold(): number for number, spelled in support.NUMBER_WORDS.items() for word in spelled}
_YEAR_WORDS = r"(?:years?|yrs?|yoe|jahre?n?|ans?|años?|anos?|jaar|anni|anno|lat|lata)(?![^\W\d_])|年"
_COUNT = rf"\d{{1,2}}|(?<![^\W\d_])(?:{'|'.join(sorted(_NUMBER, key=len, reverse=True))})"
_YEARS = re.compile(
    rf"({_COUNT})\s*\+?\s*(?:(?:-|–|to|bis|à|a|y|e|tot|do|~)\s*(?:{_COUNT})\s*)?\+?\s*(?:{_YEAR_WORDS})"
    rf"|(?:{_YEAR_WORDS})\s*(?:of|di|de|d'|der)?\s*(?:\w+\s+)?(?:experience|esperienza|experiencia|expérience|"
    rf"erfahrung|ervaring)\s*[:：]?\s*(\d{{1,2}})",
    re.IGNORECASE,
)
_EXPERIENCE = re.compile(
    r"experience|\bexp\b|\byoe\b|background|track record|erfahrung|expérience|experiencia|experiência|ervaring|"
    r"esperienza|doświadczeni|经验|經驗|経験",
    re.IGNORECASE,
)
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


def _languages(text: str) -> tuple[str, str]:
    """The text's own language and English, whose words postings everywhere borrow ("Remote", "Full-time")."""
    return (language_of(text), "en")


def first_value(table: words.Table, text: str) -> Any:
    """The value whose words (in the text's language or English) the text writes first."""
    languages = _languages(text)
    found = [
        (position, value)
        for value, by_language in table.items()
        if (position := support.first_mention(text, words.phrases(by_language, languages))) is not None
    ]
    return min(found, key=lambda item: item[0])[1] if found else None


def workplace_type(text: str) -> WorkplaceType | None:
    return first_value(words.WORKPLACE, text)


def employment_type(text: str) -> EmploymentType | None:
    # "prohibited by law or by contract" is equal-opportunity boilerplate, not the job's type.
    return first_value(words.EMPLOYMENT, _BY_CONTRACT.sub(" ", text))


def equity(text: str) -> bool | None:
    """True when the text offers equity in any form; it never says "no equity" in practice."""
    offered = words.phrases(words.EQUITY, _languages(text))
    return True if support.first_mention(support.NOT_EQUITY.sub(" ", text), offered) is not None else None


def experience_years_min(text: str) -> int | None:
    """The smallest number of years asked for on a line about experience ("5+ years", "mind. 3 Jahre", "3 年以上")."""
    lines = [line for line in text.splitlines() if line.strip()]
    # A line about experience, and the line after it ("Esperienza minima" / "1 anno").
    about = [f"{line} {lines[index + 1] if index + 1 < len(lines) else ''}" for index, line in enumerate(lines)
             if _EXPERIENCE.search(line)]  # fmt: skip
    years = [
        int(count) if count.isdigit() else _NUMBER[count.casefold()]
        for line in about
        for match in _YEARS.finditer(line)
        if (count := match[1] or match[2])
    ]
    years = [number for number in years if number <= MAX_EXPERIENCE_YEARS]  # "since 1851", not years asked
    return min(years) if years else None


def salary(text: str, countries: Sequence[str] = ()) -> Salary | None:
    """The pay statement that reads most like the employer's own ("base salary range ..."), first on a tie.

    A job board's header figure loses to the employer's sentence; a text with no pay
    statement has no salary. ``countries`` are where the job is: a symbol several
    currencies share ("$") is the one of those countries, and a figure with no currency
    at all is in theirs.
    """
    mentions = pay_mentions(text)
    if not mentions:
        return None
    chosen = max(mentions, key=lambda m: (m.score, -m.start))
    local = [code for country in countries if (code := currency_of(country))]
    currency = chosen.currency
    shared = [code for code in local if code in chosen.currencies]
    if len(chosen.currencies) > 1 and shared and currency not in local:
        currency = shared[0]
    elif currency is None and local:
        currency = local[0]
    # An unstated period follows from the amount when it can ("$196,000" is not hourly pay).
    period = chosen.period or (likely_period(chosen.max, currency) if currency else None)
    return Salary(min=chosen.min, max=chosen.max, currency=currency, period=period)


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


def read_fields(text: str, countries: Sequence[str] = ()) -> dict[str, Any]:
    """Every rule-read field of the record, by name; ``countries`` are where the job is, when known."""
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
