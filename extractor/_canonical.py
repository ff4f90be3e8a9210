"""Canonical forms of the values a record carries: pure functions, no I/O.

The record's validators and the eval scorer both use these, so a value the model
spells one way and a gold label spells another compare as the same thing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import pycountry
from babel import Locale

# Names pycountry does not resolve but postings use all the time.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "u.k.": "GB",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "russia": "RU",
    "turkey": "TR",
    "south korea": "KR",
    "korea": "KR",
    "uae": "AE",
    "deutschland": "DE",
    "holland": "NL",
    "the netherlands": "NL",
}

# City abbreviations common in postings.
_CITY_ALIASES = {
    "sf": "San Francisco",
    "nyc": "New York",
    "ny": "New York",
    "new york city": "New York",
    "la": "Los Angeles",
    "dc": "Washington",
}

# Currency symbols and words; "$" alone is read as USD, as the contract's examples do.
_CURRENCY_ALIASES = {
    "$": "USD",
    "us$": "USD",
    "usd$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "₹": "INR",
    "rs": "INR",
    "rupees": "INR",
    "¥": "CNY",
    "rmb": "CNY",
    "yuan": "CNY",
    "ca$": "CAD",
    "c$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "chf.": "CHF",
}

# Languages whose country names count as the country (CLDR, through babel).
LOCALIZED_LANGUAGES = ("en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "da", "nb", "fi", "cs", "ro", "tr", "ja", "zh",
                       "ko")  # fmt: skip

_PUNCT_RUN = re.compile(r"[\W_]+", re.UNICODE)


def fold(value: str) -> str:
    """Case-fold, NFKC-normalize and collapse every run of punctuation and space.

    This is the contract's "normalized string equality": two strings are the same
    value when their folds are equal.
    """
    text = unicodedata.normalize("NFKC", value).casefold()
    return _PUNCT_RUN.sub(" ", text).strip()


@functools.lru_cache(maxsize=4096)  # a fuzzy search takes tens of milliseconds; the same region names recur
def _fuzzy_country(name: str) -> str | None:
    """The one country pycountry's fuzzy search finds for ``name``; None for none or several."""
    try:
        matches = pycountry.countries.search_fuzzy(name)
    except LookupError:
        return None
    return matches[0].alpha_2 if len(matches) == 1 else None


def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 code for a country name or code; ValueError if unknown."""
    key = value.strip()
    code = country_alias(key) or country_by_name(key) or _fuzzy_country(key)
    if code:
        return code
    raise ValueError(f"{value!r} is not a country; give an ISO 3166-1 alpha-2 code such as 'US', 'GB' or 'DE'")


@functools.cache
def _countries() -> dict[str, str]:
    """Every code and name ``pycountry.countries.lookup`` matches, lower-cased -> ISO code.

    ``lookup`` scans every country on each miss, and most strings asked about are misses.
    """
    fields = ("alpha_2", "alpha_3", "numeric", "name", "official_name", "common_name")
    names = {
        value.lower(): country.alpha_2
        for country in pycountry.countries
        for value in (getattr(country, field, None) for field in fields)
        if value
    }
    # And each country's name in the languages postings come in ("Deutschland", "España", "Niemcy").
    codes = set(names.values())
    for language in LOCALIZED_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in codes:
                names.setdefault(name.lower(), code)
    return names


@functools.cache
def country_names() -> dict[str, str]:
    """Every name of every country (ISO 3166's, and CLDR's in ``LOCALIZED_LANGUAGES``), lower-cased -> code.

    Codes are left out: "de" and "in" are words.
    """
    codes = {
        code.lower()
        for country in pycountry.countries
        for code in (country.alpha_2, country.alpha_3, country.numeric)
    }
    return {name: code for name, code in _countries().items() if name not in codes}


def country_by_name(value: str) -> str | None:
    """The ISO code of a country's exact code or name in any case, as ``pycountry.countries.lookup`` finds it."""
    return _countries().get(value.strip().lower())


def city_name(value: str) -> str:
    """The full name of a city written as an abbreviation ("SF", "NYC"); others as written."""
    return _CITY_ALIASES.get(value.strip().casefold(), value.strip())


def city_spellings(name: str) -> list[str]:
    """The city's name and the abbreviations that stand for it."""
    return [name, *(alias for alias, full in _CITY_ALIASES.items() if full == name)]


def currency_code(value: str) -> str:
    """ISO 4217 code for a currency code, symbol or name; ValueError if unknown."""
    key = value.strip()
    alias = _CURRENCY_ALIASES.get(key.casefold())
    if alias:
        return alias
    try:
        return pycountry.currencies.lookup(key).alpha_3
    except LookupError:
        raise ValueError(
            f"{value!r} is not a currency; give an ISO 4217 code such as 'USD', 'EUR' or 'GBP'"
        ) from None


def skill_key(value: str) -> str:
    """Fold a technology name for comparison; punctuation stays ("C++" is not "C#")."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def skill_name(value: str) -> str:
    """The canonical spelling of a technology name ("K8s" -> "Kubernetes").

    Names the vocabulary does not know are kept as written, trimmed.
    """
    cleaned = " ".join(value.split()).rstrip(" .,;:")
    return vocabulary().names_by_key.get(skill_key(cleaned), cleaned)


def unique_skills(values: list[str]) -> list[str]:
    """Canonical names, first occurrence kept, duplicates (by folded name) dropped."""
    seen: set[str] = set()
    result = []
    for value in values:
        name = skill_name(value)
        key = skill_key(name)
        if key and key not in seen:
            seen.add(key)
            result.append(name)
    return result


def country_mentioned(code: str, text: str) -> bool:
    """True when the text names the country: by name or alias (any case) or by code (as written)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return False
    names = {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}
    names |= {alias for alias, alias_code in _COUNTRY_ALIASES.items() if alias_code == code}
    folded = f" {fold(text)} "
    if any(fold(name) and f" {fold(name)} " in folded for name in names):
        return True
    return re.search(rf"(?<![\w]){code}|{country.alpha_3}(?![\w])", text) is not None


@dataclass(frozen=True)
class Spelling:
    written: str
    name: str  # the canonical name
    ordinary_word: bool  # also an everyday word ("Go", "Word"): matched only as written, in context


@dataclass(frozen=True)
class Vocabulary:
    """The technologies of ``technologies.txt``: every spelling, and each one's canonical name."""

    spellings: tuple[Spelling, ...]
    names_by_key: dict[str, str]  # skill_key(spelling) -> canonical name


def parse_vocabulary(content: str) -> Vocabulary:
    spellings = []
    for line in content.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            parts = [part.strip() for part in line.split("|")]
            name = parts[0].lstrip("~")
            spellings += [Spelling(part.lstrip("~"), name, part.startswith("~")) for part in parts]
    names_by_key: dict[str, str] = {}
    for spelling in spellings:
        names_by_key.setdefault(skill_key(spelling.written), spelling.name)
    return Vocabulary(tuple(spellings), names_by_key)


# The hand-kept list first, so its names and everyday-word marks win; then the generated one
# (scripts/build_vocabulary.py: GitHub Linguist's languages, devicon's tools as Simple Icons names them).
VOCABULARY_FILES = ("technologies.txt", "technologies-generated.txt")


@functools.cache
def vocabulary() -> Vocabulary:
    files = resources.files("extractor")
    return parse_vocabulary("\n".join(files.joinpath(name).read_text(encoding="utf-8") for name in VOCABULARY_FILES))


def country_alias(name: str) -> str | None:
    """The ISO code of a country name pycountry does not know ("UK", "England"), if it is one."""
    return _COUNTRY_ALIASES.get(name.strip().casefold())


def country_aliases() -> dict[str, str]:
    """Country names pycountry does not know, lower-cased -> ISO code."""
    return dict(_COUNTRY_ALIASES)


def skill_spellings(name: str) -> list[str]:
    """The name as given, its canonical name, and every spelling the vocabulary knows for it."""
    canonical_name = skill_name(name)
    spellings = [name, canonical_name]
    spellings += [s.written for s in vocabulary().spellings if s.name == canonical_name and s.written not in spellings]
    return spellings


_MARKER = r"(?:[mwfdhxi]|div|divers|diverse|all genders|gn)"
_GENDER_MARKER = re.compile(rf"\s*[(\[]\s*{_MARKER}\s*\*?(?:\s*[/|,]\s*{_MARKER}\s*\*?)*\s*[)\]]", re.IGNORECASE)


def clean_title(title: str) -> str:
    """The title without gender markers, which are decoration ("Pflegefachkraft (m/w/d)" -> "Pflegefachkraft")."""
    return " ".join(_GENDER_MARKER.sub(" ", title).split()) or title
