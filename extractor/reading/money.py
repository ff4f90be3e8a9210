"""Pay statements read from posting text, in the notations of many countries.

"$160,000-$230,000/year", "55 - 85k EUR", "6–10 LPA", "36,00 EUR/Stunde", "4.212.275,00 (Mensual)",
"CHF 120'000", "35-60€ / h", "Tagessatz: 550 €", "entre 1.500 y 1.700 €", "16k~28K", "月薪1.5万": a
figure is read in the notation its text uses (decimal commas, thousands dots, spaces and
apostrophes), scaled by the multiplier written after it (k, Mio., lakh, 万), joined into a range
by the words languages join ranges with, and given the currency marked before or after it and
the period written beside it. A currency symbol several currencies share ("$", "¥", "kr") is
resolved by the countries the text names; a figure with no period is given the one its size
makes almost certain.

Everything here is pure; ``pay_mentions`` returns every statement in text order with a score of
how much its line reads like the employer's own pay statement.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from babel.numbers import get_territory_currencies

from extractor._canonical import currency_code
from extractor.reading import words
from extractor.reading.geography import city_country, countries_in
from extractor.reading.matching import PER_TEXT_CACHE, Caseless, Found, Span, any_mentioned, mentions
from extractor.record import Period, Salary

PERIOD_WORDS = words.in_every_language(words.PERIOD)

# Symbols, before or after the figure, by the currencies they may stand for (most common first).
_SYMBOLS: dict[str, tuple[str, ...]] = {
    "us$": ("USD",), "usd$": ("USD",), "ca$": ("CAD",), "c$": ("CAD",), "au$": ("AUD",), "a$": ("AUD",),
    "nz$": ("NZD",), "s$": ("SGD",), "sg$": ("SGD",), "hk$": ("HKD",), "mx$": ("MXN",), "r$": ("BRL",),
    "$": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "ARS", "CLP", "COP", "UYU", "TWD"),
    "€": ("EUR",), "£": ("GBP",), "₹": ("INR",), "¥": ("CNY", "JPY"), "￥": ("CNY", "JPY"), "円": ("JPY",),
    "元": ("CNY",), "₩": ("KRW",), "₽": ("RUB",), "₺": ("TRY",), "₱": ("PHP",), "₫": ("VND",), "zł": ("PLN",),
    "s/": ("PEN",), "fr.": ("CHF",), "kr": ("SEK", "NOK", "DKK"), "rs": ("INR",), "rs.": ("INR",), "rp": ("IDR",),
    "rm": ("MYR",), "lpa": ("INR",), "euro": ("EUR",), "euros": ("EUR",), "eur": ("EUR",), "keur": ("EUR",),
    "k€": ("EUR",), "dollars": ("USD", "CAD", "AUD"), "dollar": ("USD", "CAD", "AUD"), "pesos": ("MXN", "ARS", "CLP",
    "COP"), "reais": ("BRL",), "zł brutto": ("PLN",), "złotych": ("PLN",), "zl": ("PLN",), "rmb": ("CNY",),
    "yuan": ("CNY",), "yen": ("JPY",), "rupees": ("INR",), "pounds": ("GBP",), "francs": ("CHF",),
}  # fmt: skip
_CODES = (
    "USD|EUR|GBP|INR|CAD|AUD|NZD|CHF|CNY|RMB|JPY|SGD|HKD|SEK|NOK|DKK|PLN|CZK|HUF|RON|BRL|MXN|ARS|CLP|COP|PEN|UYU|"
    "ZAR|AED|SAR|ILS|TRY|KRW|TWD|PHP|IDR|MYR|THB|VND|NGN|KES|EGP|PKR|BDT|LKR"
)
_MARK = (
    rf"(?:US\$|USD\$|CA\$|C\$|AU\$|A\$|NZ\$|SG?\$|HK\$|MX\$|R\$|\$|€|£|₹|¥|￥|₩|₽|₺|₱|₫|S/|Rs\.?|Rp|RM|"
    rf"k€|KEUR|\b(?:{_CODES})\b|\b(?i:euros?|dollars?|pesos|reais|złotych|zł|zl|yuan|rmb|yen|rupees|pounds|francs)\b|"
    rf"元|円|Fr\.|\bkr\b|LPA)"
)
# A figure as postings write it: thousands by comma, dot, apostrophe or space; decimals by comma or dot.
_FIGURE = r"\d{1,3}(?:[,.'’\u00a0\u202f ]\d{3})+(?:[,.]\d{1,2})?(?!\d)|\d+(?:[,.]\d{1,2})?(?!\d)"
_MULTIPLIER = r"(?:[kK](?![a-zA-Z])|tys\.?|mil\b|Mio\.?|[Mm]n\b|M(?![a-zA-Z])|lakhs?\b|lacs?\b|L(?![a-zA-Z])|万|千)"
_JOIN = r"[^\S\n]*(?:-|–|—|--|~|～|〜|to|bis|à|a|y|e|and|und|et|do|tot|至|到)[^\S\n]*"
_PAY = re.compile(
    rf"""
    (?P<cur1>{_MARK})?[^\S\n]?
    (?P<n1>{_FIGURE})[^\S\n]?(?P<m1>{_MULTIPLIER})?
    (?:[^\S\n]?(?P<cur2>{_MARK})?{_JOIN}(?P<cur3>{_MARK})?[^\S\n]?
        (?P<n2>{_FIGURE})[^\S\n]?(?P<m2>{_MULTIPLIER})?
    )?
    [^\S\n]?(?P<cur4>{_MARK})?
    """,
    re.VERBOSE,
)
_SCALES = {"k": 1_000, "tys": 1_000, "tys.": 1_000, "mil": 1_000, "千": 1_000, "万": 10_000, "l": 100_000,
           "lakh": 100_000, "lakhs": 100_000, "lac": 100_000, "lacs": 100_000, "m": 1_000_000, "mio": 1_000_000,
           "mio.": 1_000_000, "mn": 1_000_000}  # fmt: skip
# Words for pay, in the languages postings come in: a figure on their line is pay.
PAY_WORDS = (
    "salary", "salaries", "pay", "wage", "wages", "compensation", "stipend", "rate", "ctc", "remuneration", "earn",
    "gehalt", "vergütung", "lohn", "stundenlohn", "verdienst", "entgelt", "tagessatz", "jahresgehalt", "salaire",
    "rémunération", "paie", "tjm", "salario", "sueldo", "remuneración", "renta", "pago", "salário", "remuneração",
    "salaris", "loon", "vergoeding", "maandsalaris", "stipendio", "retribuzione", "ral", "compenso", "wynagrodzenie",
    "pensja", "stawka", "薪资", "薪酬", "月薪", "年薪", "待遇", "工资", "薪水", "給与", "月給", "年収", "時給", "给料",
    # gross and net: words only pay figures carry
    "gross", "net", "brutto", "netto", "bruto", "brutos", "neto", "netos", "brut", "líquido", "liquido", "lordi",
    "lordo", "netti",
)
_BASE = re.compile(r"\b(?:base|basic|grundgehalt|fixe|básico|basico|base salary)\b", re.IGNORECASE)
# Figures in a clause with these words are about the company, not pay.
_NOT_PAY = Caseless(
    r"\b(?:raised|funding|valuation|arr|revenue|market|investors?|series [a-e]|assets|users|customers|downloads|"
    r"umsatz|chiffre d'affaires|facturación)\b",
)
# Money paid besides the base, named right before its figure ("joining bonus $2,500", "Commission: 5,000").
_NOT_BASE = Caseless(
    r"(?:bonus|commission|ote|on-target|allowance|premi[ao]s?|prämie|prime|indemnit[ée]s?|sign-on|relocation|"
    r"referral|reembolso|vale[- ]\w+|ticket)\W{0,12}(?:of|de|von|di|:)?\W{0,6}$",
)
_BIG_UNIT = re.compile(r"^\s*(?:million|billion|trillion|bn|tn|[BT])\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;|!?](?:\s|$)|\n|•|·")


@dataclass(frozen=True)
class PayMention:
    """One pay figure or range as the text states it, in full units."""

    min: float
    max: float
    currency: str | None
    period: Period | None
    start: int
    end: int
    score: int  # how much its line reads like the employer's own pay statement
    currencies: tuple[str, ...] = ()  # every currency its mark may mean ("$": USD, CAD, AUD, ...)


def read_figure(figure: str) -> float:
    """A figure in the notation its text writes it: "1.800,00" 1800, "54,840" 54840, "21.50" 21.5, "120'000"."""
    compact = re.sub(r"[\s\u00a0\u202f'’]", "", figure)
    last = max(compact.rfind(","), compact.rfind("."))
    if last >= 0 and len(compact) - last - 1 in (1, 2):  # a decimal separator: "36,00", "21.5"
        return float(re.sub(r"[,.]", "", compact[:last]) + "." + compact[last + 1 :])
    return float(re.sub(r"[,.]", "", compact))


def _scale(multiplier: str | None) -> int:
    return _SCALES.get((multiplier or "").lower().rstrip("."), 1) if multiplier else 1


def _line(text: str, start: int, end: int) -> str:
    return text[text.rfind("\n", 0, start) + 1 : (text.find("\n", end) + 1 or len(text) + 1) - 1]


@functools.lru_cache(maxsize=PER_TEXT_CACHE)
def _clause_ends(text: str) -> list[int]:
    return [match.end() for match in _CLAUSE_END.finditer(text)]


def _clause(text: str, start: int, end: int) -> str:
    """The clause holding text[start:end]: "We raised $5M. Pay $90k" splits in two.

    It starts after the last clause end before ``start``; a stop right before a figure ("$.5M")
    ends a clause there too."""
    ends = _clause_ends(text)
    begins = ends[bisect.bisect_right(ends, start) - 1] if ends and ends[0] <= start else 0
    if start and text[start - 1] in ".;|!?":
        begins = start
    after = _CLAUSE_END.search(text, end)
    return text[begins : after.start() if after else len(text)]


def _period_beside(text: str, start: int, end: int) -> Period | None:
    """The period written right after the figure (nearest first), else right before it, on its line."""
    line_end = text.find("\n", end) % (len(text) + 1)
    after = text[end : min(line_end, end + 30)]
    before = text[max(text.rfind("\n", 0, start) + 1, start - 25) : start]
    for window in (after, before):
        if not any_mentioned(window, _ALL_PERIOD_WORDS):  # most figures have no period beside them: one search
            continue
        positions = [(_first_position(window, words), period) for period, words in PERIOD_WORDS.items()]
        found = [(position, period) for position, period in positions if position is not None]
        if found:
            return Period(str(min(found, key=lambda item: item[0])[1]))
    return None


_ALL_PERIOD_WORDS = tuple(word for words in PERIOD_WORDS.values() for word in words)


def _first_position(window: str, words: tuple[str, ...]) -> int | None:
    positions = []
    for word in words:
        if mentions(window, word):
            index = window.casefold().find(word.casefold())
            positions.append(index if index >= 0 else len(window))
    return min(positions) if positions else None


@functools.cache
def _countries_by_currency() -> dict[str, tuple[str, ...]]:
    from babel import Locale

    countries: dict[str, list[str]] = {}
    for territory in Locale("en").territories:
        if isinstance(territory, str) and len(territory) == 2 and territory.isalpha():
            current = get_territory_currencies(territory)
            if current:
                countries.setdefault(current[0], []).append(territory)
    return {code: tuple(territories) for code, territories in countries.items()}


def currency_of(country: str) -> str | None:
    """The currency a country pays in today (CLDR)."""
    current = get_territory_currencies(country)
    return current[0] if current else None


_PROPER_NAME = re.compile(r"[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2}")


def countries_named(text: str, among: tuple[str, ...]) -> list[str]:
    """Of the countries ``among``, those the text names, by country name or by a city in them."""
    stated = countries_in(text)
    named = [country for country in among if country in stated]
    for match in _PROPER_NAME.finditer(text):
        words = match.group().split()
        for end in range(len(words), 0, -1):
            country = city_country(" ".join(words[:end]))
            if country in among and country not in named:
                named.append(country)
                break
    return named


@functools.lru_cache(maxsize=PER_TEXT_CACHE)  # a text's figures mostly share a symbol: its countries are looked up once
def resolve_currency(candidates: tuple[str, ...], text: str) -> str:
    """Of the currencies a shared symbol may mean, the one of the country the text names; else the most common.

    The most common ("$": USD) stays when its own country is named too.
    """
    if len(candidates) == 1:
        return candidates[0]
    by_currency = _countries_by_currency()
    countries = tuple(country for code in candidates for country in by_currency.get(code, ()))
    named = countries_named(text, countries)
    if not named or any(country in by_currency.get(candidates[0], ()) for country in named):
        return candidates[0]
    return next(code for code in candidates if named[0] in by_currency.get(code, ()))


def _currency(marks: list[str], text: str) -> tuple[str | None, tuple[str, ...]]:
    """The currency the marks name, and every currency they could mean."""
    for mark in sorted(marks, key=lambda m: -len(m)):  # "R$" says more than "$"
        key = mark.strip().casefold()
        candidates = _SYMBOLS.get(key)
        if candidates is None:
            try:
                candidates = (currency_code(mark.strip()),)
            except ValueError:
                continue
        return resolve_currency(candidates, text), candidates
    return None, ()


def _mention(text: str, match: re.Match[str]) -> PayMention | None:
    start, end = match.start("n1"), match.end()
    marks = [match[group] for group in ("cur1", "cur2", "cur3", "cur4") if match[group]]
    multipliers = [m for m in (match["m1"], match["m2"]) if m]
    line, clause = _line(text, start, end), _clause(text, start, end)
    if _BIG_UNIT.match(text[end:]) or _NOT_PAY.search(clause) or text[end : end + 1] == "%":
        return None
    if _NOT_BASE.search(text[max(0, match.start() - 30) : match.start()]):
        return None
    if re.fullmatch(r"40[13]|457", match["n1"]) and re.match(r"\s*\(?[kKbB]\b", text[match.end("n1") :]):
        return None  # a 401(k) plan
    if re.match(r":\d\d", text[match.end("n1") :]) or (match["n2"] and re.match(r":\d\d", text[match.end("n2") :])):
        return None  # a time of day, "08:00 – 17:00"
    pay_line = any_mentioned(line, PAY_WORDS)
    lead = text[max(text.rfind("\n", 0, start) + 1, start - 30) : start]
    pay_lead = any_mentioned(lead, PAY_WORDS)
    # Without a currency, a figure is pay on a line about pay, or as a range in thousands ("20-30k", "1.5-2万").
    scaled_range = bool(match["n2"] and multipliers)
    if not marks and not scaled_range and not (pay_line and (multipliers or re.search(r"\d[\d,.'’ ]{3,}", match[0]))):
        return None
    currency, candidates = _currency(marks, text)
    low = read_figure(match["n1"]) * _scale(match["m1"] or match["m2"])
    high = read_figure(match["n2"]) * _scale(match["m2"] or match["m1"]) if match["n2"] else low
    if match["n2"] and match["m1"] and not match["m2"]:
        high = read_figure(match["n2"]) * _scale(match["m1"])
    if high < low or high <= 0:
        return None
    if "LPA" in marks and not multipliers:  # "6–10 LPA": lakhs per annum
        low, high = low * 100_000, high * 100_000
    if any(m.casefold() in ("l", "lakh", "lakhs", "lac", "lacs") for m in multipliers) or "LPA" in marks:
        currency = currency or "INR"
    period = _period_beside(text, match.start(), end)
    if "LPA" in marks and period is None:
        period = Period.year
    # A pay word right before the figure ("Salário: R$ 1.800") marks the employer's own statement.
    score = 3 * bool(_BASE.search(line)) + 2 * pay_lead + pay_line + bool(marks)
    return PayMention(low, high, currency, period, match.start(), end, score, candidates)


_DIGIT = re.compile(r"\d")
# How far before its first figure a statement of pay can start: more than the longest currency
# mark ``_MARK`` matches ("dollars", "złotych") and the space after it.
_MARK_REACH = 12


def _pay_matches(text: str) -> Iterator[re.Match[str]]:
    """``_PAY.finditer(text)``, each search started a mark's reach before the next digit.

    Every match holds a figure, so none starts earlier; the pattern, tried at every position of
    the text in between, took most of the pay reader's time (1.2 ms on a 2,400-character posting).
    """
    position = 0
    while digit := _DIGIT.search(text, position):
        match = _PAY.search(text, max(position, digit.start() - _MARK_REACH))
        if match is None:
            return
        yield match
        position = match.end()  # never empty: a match holds a figure


@functools.lru_cache(maxsize=PER_TEXT_CACHE)
def pay_mentions(text: str) -> tuple[PayMention, ...]:
    """Every statement of pay in the text, in text order (read once per text: screening asks too)."""
    found = (_mention(text, match) for match in _pay_matches(text) if match["n1"])
    return tuple(mention for mention in found if mention is not None)


# Units of each currency to one US dollar, to the nearest order of magnitude: enough to tell
# an hourly wage from a monthly or a yearly salary when the text names no period.
_PER_USD = {
    "USD": 1, "EUR": 1, "GBP": 1, "CHF": 1, "CAD": 1.4, "AUD": 1.5, "NZD": 1.7, "SGD": 1.3, "HKD": 8, "INR": 85,
    "CNY": 7, "JPY": 150, "KRW": 1400, "TWD": 32, "PLN": 4, "CZK": 23, "HUF": 360, "RON": 4.6, "SEK": 10, "NOK": 11,
    "DKK": 7, "BRL": 5.5, "MXN": 18, "ARS": 1000, "CLP": 950, "COP": 4000, "PEN": 3.7, "UYU": 40, "ZAR": 18,
    "AED": 3.7, "SAR": 3.75, "ILS": 3.7, "TRY": 35, "PHP": 57, "IDR": 16000, "MYR": 4.5, "THB": 35, "VND": 25000,
    "NGN": 1500, "KES": 130, "EGP": 50, "PKR": 280, "BDT": 120, "LKR": 300,
}  # fmt: skip


def likely_period(amount: float, currency: str | None = None) -> Period | None:
    """The period a figure with none stated almost surely means; None when unsure.

    In dollar terms: 15,000 or more is a year's pay, 250 to 15,000 a month's, 100 or less an hour's.
    """
    dollars = amount / _PER_USD.get(currency or "USD", 0) if (currency or "USD") in _PER_USD else None
    if dollars is None:
        return None
    if dollars >= 15_000:
        return Period.year
    if dollars >= 250:
        return Period.month
    if dollars <= 100:
        return Period.hour
    return None


def salary(text: str, countries: Sequence[str] = ()) -> Found[Salary] | None:
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
    value = Salary(min=chosen.min, max=chosen.max, currency=currency, period=period)
    return Found(value, (Span.of(text, chosen.start, chosen.end),))
