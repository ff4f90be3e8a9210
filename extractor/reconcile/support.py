"""Does the text support a value? One pure check per field, in the languages postings come in.

The model's answer is the record; these checks are the evidence it is held to. A value
is supported when the text states it: the same words (case, accents and punctuation
aside), a figure the text writes (in any of the usual notations: "4.212.275,00",
"CHF 120'000", "55k", "6–10 LPA", "300万"), a place the text names in any language
GeoNames and CLDR know, a keyword of the value's kind. Checks are deliberately
generous: they exist to catch what a model invents, not to second-guess what it read.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from extractor import _canonical as canonical
from extractor.reading import words
from extractor.reading.geography import city_spellings, mentions_country
from extractor.reading.kinds import NOT_EQUITY
from extractor.reading.matching import (
    NUMBER_WORDS,
    PER_TEXT_CACHE,
    Span,
    any_mentioned,
    blanked,
    fold,
    folded_text,
    mentions,
)
from extractor.reading.money import PERIOD_WORDS
from extractor.record import EmploymentType, Location, Period, WorkplaceType

# Every language's words count as support: postings mix them ("Remote" in a German text).
WORKPLACE_WORDS = words.in_every_language(words.WORKPLACE)
EMPLOYMENT_WORDS = words.in_every_language(words.EMPLOYMENT)
SENIORITY_WORDS = words.in_every_language(words.SENIORITY)
EQUITY_WORDS = words.phrases(words.EQUITY)


# A stated duration ("3 Months", "für 4 Monate", "1 mois") supports a temporary job.
_DURATION = re.compile(
    r"\b\d+\s*(?:-\s*\d+\s*)?(?:weeks?|months?|wochen|monate?n?|semaines?|mois|semanas?|meses|settimane|mesi|"
    r"weken|maanden|tygodni|miesi[aeę]c\w*)\b",
    re.IGNORECASE,
)


def supports_keyword(table: dict[object, tuple[str, ...]], value: object, text: str) -> bool:
    """The text writes one of the value's keywords.

    Words for remote work support hybrid too (working from home part of the week is
    hybrid), and a stated duration supports a temporary job.
    """
    if any_mentioned(text, table.get(value, ())):
        return True
    if value is WorkplaceType.hybrid and table is WORKPLACE_WORDS:
        return any_mentioned(text, WORKPLACE_WORDS[WorkplaceType.remote])
    if value is EmploymentType.temporary and table is EMPLOYMENT_WORDS:
        return _DURATION.search(text) is not None
    return False


def supports_equity(value: bool, text: str) -> bool:
    """True is supported by a word for equity that is not about diversity or research; False never is."""
    return value is True and any_mentioned(blanked(text, NOT_EQUITY), EQUITY_WORDS)


def supports_name(value: str, text: str) -> bool:
    """A company or title: the text writes it."""
    return mentions(text, value)


def supported_prefix(value: str, text: str) -> str | None:
    """The longest leading run of the value's words the text writes ("Obie Insurance" -> "Obie")."""
    parts = value.split()
    for end in range(len(parts), 0, -1):
        candidate = " ".join(parts[:end]).strip(" ,.;:-")
        if candidate and mentions(text, candidate):
            return candidate
    return None


# --- places -----------------------------------------------------------------------------------


def _inflected(name: str, text: str) -> bool:
    """The name with another ending, as languages with cases write it ("w Warszawie", "w Suchedniowie")."""
    stem = fold(name)[:-2]
    return len(stem) >= 5 and " " not in stem and re.search(rf"(?<![^\W_]){re.escape(stem)}\w{{0,4}}(?![^\W_])",
                                                             folded_text(text)) is not None


def supports_location(location: Location, text: str) -> bool:
    """A city the text names (in any spelling of it); without a city, its region or country named."""
    if location.city:
        spellings = (location.city, *canonical.city_spellings(location.city))
        spellings += city_spellings(location.city, location.country)
        return any(mentions(text, spelling) for spelling in spellings if len(spelling) > 1) or _inflected(
            location.city, text
        )
    if location.region and mentions(text, location.region):
        return True
    return mentions_country(location.country, text)


# --- money ------------------------------------------------------------------------------------

_FIGURE = re.compile(r"\d+(?:[.,'’ \u00a0\u202f]\d+)*")
# Words that scale the figures of a text; each found scales every figure as a candidate.
_SCALES = {
    1_000: re.compile(r"\d\s?[kK]\b|\bk€|\bkeur\b|\bmil\b|\btys|千|\bthousand|\btausend", re.IGNORECASE),
    10_000: re.compile(r"万|萬"),
    100_000: re.compile(r"\d\s?(?:L|LPA)\b|\blakhs?\b|\blacs?\b", re.IGNORECASE),
    1_000_000: re.compile(r"\d\s?(?:M|Mio|mn)\b|\bmillion|\bmillones|\bmilhões|\bmilioni|\bmillions", re.IGNORECASE),
    10_000_000: re.compile(r"\bcrores?\b|\bcr\b", re.IGNORECASE),
}


def _readings(figure: str) -> set[float]:
    """Every value a written figure can mean: "1.500" is 1500 or 1.5; "4.212.275,00" is 4212275."""
    compact = re.sub(r"[\s\u00a0\u202f'’]", "", figure)
    values = {compact.replace(",", "").replace(".", "")}
    for decimal in (",", "."):
        head, _, tail = compact.rpartition(decimal)
        if head and len(tail) in (1, 2):  # "36,00", "21.50": a decimal separator
            values.add(head.replace(",", "").replace(".", "") + "." + tail)
        elif head and len(tail) == 3:  # "54,840" or "1.500": thousands, or a decimal
            values.add(head.replace(",", "").replace(".", "") + "." + tail)
    readings = set()
    for value in values:
        try:
            readings.add(float(value))
        except ValueError:
            continue
    return readings


@functools.lru_cache(maxsize=PER_TEXT_CACHE)
def amounts(text: str) -> frozenset[float]:
    """Every amount the text's figures can stand for, at every scale the text uses."""
    figures = {reading for match in _FIGURE.finditer(text) for reading in _readings(match.group())}
    figures |= {float(part) for match in _FIGURE.finditer(text) for part in re.split(r"\D+", match.group()) if part}
    return frozenset(round(figure * scale, 2) for figure in figures for scale in _scales(text))


@functools.lru_cache(maxsize=PER_TEXT_CACHE)
def _scales(text: str) -> tuple[int, ...]:
    return (1, *(scale for scale, pattern in _SCALES.items() if pattern.search(text)))


def supports_amount(value: float, text: str) -> bool:
    return round(value, 2) in amounts(text)


# Symbols and words by the currencies they may stand for.
_CURRENCY_MARKS: dict[str, tuple[str, ...]] = {
    "$": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "ARS", "CLP", "COP", "UYU", "TWD", "BRL"),
    "€": ("EUR",), "£": ("GBP",), "₹": ("INR",), "¥": ("JPY", "CNY"), "￥": ("JPY", "CNY"), "円": ("JPY",),
    "元": ("CNY",), "rmb": ("CNY",), "zł": ("PLN",), "zl": ("PLN",), "r$": ("BRL",), "fr.": ("CHF",),
    "kr": ("SEK", "NOK", "DKK", "ISK"), "s/": ("PEN",), "₩": ("KRW",), "₽": ("RUB",), "₺": ("TRY",), "rm": ("MYR",),
    "rp": ("IDR",), "₱": ("PHP",), "₫": ("VND",), "lpa": ("INR",), "lakh": ("INR",), "rs": ("INR",), "euro": ("EUR",),
    "dollar": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD"), "pound": ("GBP",), "rupee": ("INR",), "peso": (
        "MXN", "ARS", "CLP", "COP", "UYU", "PHP"), "real": ("BRL",), "reais": ("BRL",), "franc": ("CHF",),
    "yuan": ("CNY",), "yen": ("JPY",), "zloty": ("PLN",), "złotych": ("PLN",), "万": ("JPY", "CNY"), "万円": ("JPY",),
}  # fmt: skip
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


def stated_currencies(text: str) -> set[str]:
    """Every currency the text's codes, symbols and words may stand for."""
    import pycountry

    found = {code for code in _CODE.findall(text) if pycountry.currencies.get(alpha_3=code)}
    lowered = text.casefold()
    for mark, codes in _CURRENCY_MARKS.items():
        # A word ("rs", "real") counts as a word of its own; a symbol wherever it stands.
        if (re.search(rf"(?<![^\W\d_]){re.escape(mark)}(?![^\W\d_])", lowered) if mark[:1].isalpha() else mark in lowered):
            found.update(codes)
    return found


def supports_currency(code: str, text: str) -> bool:
    """Stated by the text, or inferred where the text states none (pay in "6-10 LPA" is rupees)."""
    stated = stated_currencies(text)
    return not stated or code in stated


def amount_spans(amount: float, text: str) -> list[Span]:
    """Each figure of the text that reads as the amount, in any notation and at any scale the text uses."""
    return [
        Span.of(text, match.start(), match.end())
        for match in _FIGURE.finditer(text)
        if any(round(value * scale, 2) == round(amount, 2) for value in _readings(match.group()) for scale in _scales(text))
    ]


def _near(text: str, amount: float, reach: int = 30) -> str:
    """The words beside each place the text writes the amount, on its line; the whole text when it is written nowhere."""
    windows = []
    for span in amount_spans(amount, text):
        line_start = text.rfind("\n", 0, span.start) + 1
        line_end = text.find("\n", span.end) % (len(text) + 1)
        windows.append(text[max(line_start, span.start - reach) : min(line_end, span.end + reach)])
    return "\n".join(windows) or text


def supports_period(period: Period, text: str, amount: float | None = None) -> bool:
    """A word for the period beside the figure, or no word there for another period (the figure's size decides)."""
    around = _near(text, amount) if amount is not None else text
    if supports_keyword(PERIOD_WORDS, period, around):
        return True
    return not any(supports_keyword(PERIOD_WORDS, other, around) for other in Period)


# --- dates, numbers, links, skills ------------------------------------------------------------


@functools.cache
def _month_names() -> dict[int, set[str]]:
    from babel import Locale

    names: dict[int, set[str]] = {month: set() for month in range(1, 13)}
    for language in canonical.LOCALIZED_LANGUAGES:
        months = Locale.parse(language).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for month, name in months[context][width].items():
                    names[month].add(name.strip("."))
    return names


def supports_date(value: dt.date, text: str) -> bool:
    """The text writes the date: in ISO form, or its year, day and month (number or name) all present."""
    if value.isoformat() in text:
        return True
    numbers = set(re.findall(r"\d+", text))
    if str(value.year) not in numbers and f"{value.year % 100:02d}" not in numbers:
        return False
    if str(value.day) not in numbers and f"{value.day:02d}" not in numbers:
        return False
    month_numbers = {str(value.month), f"{value.month:02d}"}
    return bool(month_numbers & numbers) or any_mentioned(text, _month_names()[value.month])


def supports_years(value: int, text: str) -> bool:
    """The number of years is written as a number, or (one to ten) as a word."""
    return str(value) in re.findall(r"\d+", text) or any_mentioned(text, NUMBER_WORDS.get(value, ()))


def supports_url(value: str, text: str) -> bool:
    return value.rstrip("/") in text


_VENDOR = re.compile(r"^(?:microsoft|ms|google|amazon|aws|apache|adobe|oracle|ibm|sap)\s+", re.IGNORECASE)
_JS_SUFFIX = re.compile(r"\.?js$", re.IGNORECASE)


def skill_variants(name: str) -> list[str]:
    """The known spellings, the name without its vendor ("Office" for "Microsoft Office"), with or without ".js"."""
    spellings = canonical.skill_spellings(name)
    variants = list(spellings)
    for spelling in spellings:
        if (bare := _VENDOR.sub("", spelling)) != spelling and len(bare) > 2:
            variants.append(bare)
        if _JS_SUFFIX.search(spelling) and len(core := _JS_SUFFIX.sub("", spelling)) > 2:
            variants.append(core)
        elif not _JS_SUFFIX.search(spelling):
            variants += [f"{spelling}.js", f"{spelling}js"]
    return variants


def supports_skill(name: str, text: str, company: str | None = None) -> bool:
    """The text names the technology (in one of its known spellings), and it is not the employer itself."""
    if company and fold(name) == fold(company):
        return False
    return any(mentions(text, spelling) for spelling in skill_variants(name))
