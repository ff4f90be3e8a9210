"""Pay statements found in posting text by rule: "$160,000-$230,000/year", "55 - 85k EUR", "6–10 LPA".

A small model misreads digits and takes a job board's header figure for the employer's
statement; a parser does neither. ``reading.salary`` picks the employer's statement among
what this module finds; the model is not asked for pay at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.canonical import currency_code
from extractor.record import Period

_CODES = r"USD|EUR|GBP|INR|CAD|AUD|NZD|CHF|CNY|RMB|JPY|SGD|HKD|SEK|NOK|DKK|PLN|CZK|BRL|MXN|ZAR|AED|ILS"
_CURRENCY = rf"(?:US\$|USD\$|CA\$|C\$|AU\$|A\$|\$|€|£|₹|¥|\b(?:{_CODES})\b\s?)"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SUFFIX = r"(?:k|K|LPA|L|lakhs?|lacs?)\b"
_PAY = re.compile(
    rf"""
    (?P<cur1>{_CURRENCY})?
    (?P<n1>{_NUMBER})\s?(?P<s1>{_SUFFIX})?
    (?:\s?(?:-|–|—|--|to)\s?
        (?P<cur2>{_CURRENCY})?
        (?P<n2>{_NUMBER})\s?(?P<s2>{_SUFFIX})?
    )?
    (?:\s?(?P<cur3>\b(?:{_CODES})\b))?
    """,
    re.VERBOSE,
)
_PERIOD = re.compile(
    r"""^\s*\**\s*(?:
        (?:/|per\b|an?\b|p\.?)\s*(?P<unit>hour|hr|h|day|week|wk|month|mo|year|yr|annum|a\.)
      | (?P<adverb>hourly|daily|weekly|monthly|annually|yearly)
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_UNITS = {
    "hour": Period.hour, "hr": Period.hour, "h": Period.hour, "hourly": Period.hour,
    "day": Period.day, "daily": Period.day,
    "week": Period.week, "wk": Period.week, "weekly": Period.week,
    "month": Period.month, "mo": Period.month, "monthly": Period.month,
    "year": Period.year, "yr": Period.year, "annum": Period.year, "a.": Period.year,
    "annually": Period.year, "yearly": Period.year,
}  # fmt: skip
_MULTIPLIERS = {"k": 1_000, "l": 100_000, "lpa": 100_000, "lakh": 100_000, "lakhs": 100_000, "lac": 100_000}
# Amounts next to words like these are about the company, not the pay.
_NOT_PAY = re.compile(r"\b(raised|funding|valuation|ARR|revenue|market|investors?|series [a-e]|assets)\b", re.I)
_CLAUSE_END = re.compile(r"[.;|!?\n](?:\s|$)|\n")
_BIG_UNIT = re.compile(r"^\s*(million|billion|trillion|mn|bn|tn|[MBT])\b")
_BASE = re.compile(r"\bbase\b", re.I)
_PAY_WORDS = re.compile(r"salary|compensation|\bpay\b|wage|stipend|\brate\b|\bctc\b|per hour|/hr", re.I)


@dataclass(frozen=True)
class PayMention:
    """One pay figure or range as the text states it, in full units."""

    min: float
    max: float
    currency: str | None
    period: Period | None
    start: int
    score: int  # how much its line reads like the employer's own pay statement


def _amount(number: str, suffix: str | None) -> float:
    return float(number.replace(",", "")) * _MULTIPLIERS.get((suffix or "").lower(), 1)


def _clause_at(text: str, start: int, end: int) -> str:
    """The sentence or clause holding text[start:end]: "We raised $5M. Pay $90k" splits in two."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)]


def _line_at(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


def _mention(text: str, match: re.Match[str]) -> PayMention | None:
    written = [match[g].strip() for g in ("cur3", "cur1", "cur2") if match[g]]
    # A code ("$300-600k AUD") says more than a symbol that several currencies share.
    cur = next((c for c in written if c.isalpha()), written[0] if written else None)
    suffix1, suffix2 = match["s1"], match["s2"]
    suffix = suffix2 or suffix1
    lakh = (suffix or "").lower() in {"l", "lpa", "lakh", "lakhs", "lac", "lacs"}
    line = _line_at(text, match.start())
    clause = _clause_at(text, match.start(), match.end())
    if _BIG_UNIT.match(text[match.end() :]) or _NOT_PAY.search(clause) or match[0].startswith("401k"):
        return None
    # Without a currency only a lakh suffix, or a "k" in a line about pay, marks money.
    if cur is None and not lakh and not (suffix and _PAY_WORDS.search(line)):
        return None
    low = _amount(match["n1"], suffix1)
    high = _amount(match["n2"], suffix2) if match["n2"] else low
    if match["n2"] and not suffix1 and suffix2 and low < float(match["n2"].replace(",", "")):
        low = _amount(match["n1"], suffix2)  # "55 - 85k": the suffix covers both ends
    if high < low:
        return None
    unit = _PERIOD.match(text[match.end() :])
    period = _UNITS[(unit["unit"] or unit["adverb"]).lower()] if unit else None
    if (suffix or "").lower() == "lpa":
        period = Period.year
    currency = currency_code(cur) if cur else ("INR" if lakh else None)
    score = 3 * bool(_BASE.search(line)) + 2 * bool(_PAY_WORDS.search(line))
    return PayMention(low, high, currency, period, match.start(), score)


def pay_mentions(text: str) -> list[PayMention]:
    """Every statement of pay in the text, in text order."""
    found = (_mention(text, match) for match in _PAY.finditer(text))
    return [mention for mention in found if mention is not None and mention.max > 0]


def likely_period(amount: float) -> Period | None:
    """The period a figure with none stated almost surely means; None when unsure."""
    if amount >= 15_000:
        return Period.year
    if amount <= 200:
        return Period.hour
    return None
