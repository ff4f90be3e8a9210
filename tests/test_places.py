import pytest

from extractor.reading.geography import is_city_name
from extractor.reading.places import places_in_prose, stated_locations, stated_places
from extractor.record import Location


def places(text):
    return [(p.city, p.region, p.country) for p in stated_locations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cologne, Germany | UMH | Product Engineer | Full-time", [("Cologne", None, "DE")]),
        ("Impinj | Hybrid in Seattle, WA | Intern (Summer 2026)", [("Seattle", "WA", "US")]),
        (
            "Sesame | Full-time | SF/NYC/Bellevue | On-site",
            [
                ("San Francisco", None, "US"),
                ("New York", None, "US"),
                ("Bellevue", None, "US"),
            ],
        ),
        ("Rootly | Multiple Roles | Toronto, ON (Hybrid) + Remote | Full-time", [("Toronto", "ON", "CA")]),
        (
            "WorkWhile | Engineers | San Francisco, New York, Seattle, Toronto | Hybrid",
            [
                ("San Francisco", None, "US"),
                ("New York", None, "US"),
                ("Seattle", None, "US"),
                ("Toronto", None, "CA"),
            ],
        ),
        ("Infystrat | Full Stack Engineer | Remote (India) | Full-Time", [(None, None, "IN")]),
        ("Acme | Paralegal | Remote (U.S.) | Contract", [(None, None, "US")]),
        ("Acme | Barista | London, U.K. | Part-time", [("London", None, "GB")]),
    ],
)
def test_a_header_field_of_places_is_read_in_full(text, expected):
    assert places(text) == expected


def test_a_header_field_with_anything_but_places_is_left_alone():
    # "Phoenix" is a city, but this field is a product name, and "Engineer" is no place.
    assert places("Acme | Phoenix Platform Engineer | Full-time") == []
    assert stated_places("Senior Engineer, Berlin Team") is None


def test_a_location_label_is_read_up_to_the_prose_after_it():
    text = "GTM Engineer | TestGorilla\nLOCATION: Remote - Spain, UK via EOR, the rest between UTC +2 to UTC +5:30"
    assert places(text) == [(None, None, "ES"), (None, None, "GB")]
    assert places("#### `💰 390000.0` `🌎 Canada,United States`") == [(None, None, "CA"), (None, None, "US")]


def test_based_in_phrases_name_a_place_in_any_case():
    assert places("A hotel chain. Based in Croydon, Surrey; they need a chef.") == [("Croydon", "Surrey", "GB")]
    assert places("WORKING ENVIRONMENT BASED IN MANCHESTER(ONE OF THE TOP)") == [("Manchester", None, "GB")]
    assert places("These roles are hybrid/in-person in NYC. Apply online.") == [("New York", None, "US")]


def test_a_marker_with_a_label_after_it_is_read_as_a_location_label():
    assert places("🚗 Modalità: ibrido\n📍 Ufficio: Padova\n👾 Stack: React") == [("Padova", None, "IT")]


def test_a_state_alone_is_a_region_and_a_code_alone_is_too_ambiguous():
    assert places("Location: Washington") == [(None, "Washington", "US")]
    assert places("Location: Vancouver, WA") == [("Vancouver", "WA", "US")]
    assert places("Location: Vancouver, Canada") == [("Vancouver", None, "CA")]
    assert stated_places("CA") is None  # California or Canada


def test_each_place_is_listed_once():
    text = "Acme | Engineer | Berlin, Germany | Hybrid\nLocation: Berlin, Germany"
    assert stated_locations(text) == [Location(city="Berlin", country="DE")]


def test_a_text_that_states_no_place_has_none():
    assert stated_locations("We are hiring an engineer. Great team, great pay.") == []


@pytest.mark.parametrize(
    ("text", "city", "country"),
    [
        ("Standort: Hamburg", "Hamburg", "DE"),
        ("Lieu de travail : Lyon", "Lyon", "FR"),
        ("Lugar de trabajo: Valencia, España", "Valencia", "ES"),
        ("Lokalizacja: Kraków", "Kraków", "PL"),
        ("Standort: München", "München", "DE"),  # a city's name in its own language, accents and all
        ("Arbetsort: Göteborg", "Göteborg", "SE"),
        ("Le poste est basé à Nantes, au sein de l'équipe produit.", "Nantes", "FR"),
        ("Azienda con sede a Bologna cerca un tecnico.", "Bologna", "IT"),
        ("Empresa ubicada en Sevilla busca contable.", "Sevilla", "ES"),
        ("Ein Unternehmen mit Sitz in Köln sucht Verstärkung.", "Köln", "DE"),
        ("Vi söker en säljare med placering i Uppsala.", "Uppsala", "SE"),
    ],
)
def test_a_location_label_or_based_in_phrase_is_read_in_the_language_of_the_posting(text, city, country):
    assert [(place.city, place.country) for place in stated_locations(text)] == [(city, country)]


def test_a_bare_code_in_brackets_after_a_name_is_a_province_not_a_country():
    assert stated_places("Ambivere (BG)", strict=False) is None  # Bergamo, not Bulgaria
    assert [place.country for place in stated_places("Remote (US)")] == ["US"]


def test_a_cjk_city_name_of_two_characters_is_a_city_where_a_short_latin_word_is_not():
    assert is_city_name("上海") and is_city_name("广州")
    assert not is_city_name("Pau")  # a city too, but a word first: too short to tell in Latin script


def test_the_prose_names_the_city_most_often_after_in_and_its_like():
    assert places_in_prose("Wij zitten in Groningen. Je werkt in Groningen of in Assen.") == [Location(city="Groningen", country="NL")]
    assert places_in_prose("Our team in London ships every week.") == [Location(city="London", country="GB")]
    assert places_in_prose("We are leaders in Germany and in Python tooling.") == []  # a country in prose is no place


def test_a_city_in_prose_is_one_of_the_countries_the_text_names():
    text = "Clínica del Sur, España. Buscamos enfermera para trabajar en Córdoba, turnos rotativos."
    assert places_in_prose(text) == [Location(city="Córdoba", country="ES")]  # the most populous Córdoba: Argentina's
    assert places_in_prose("Buscamos enfermera para trabajar en Córdoba.") == [Location(city="Córdoba", country="AR")]
