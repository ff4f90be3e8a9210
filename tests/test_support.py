"""What counts as the text supporting a value: general facts about how postings write things."""

import datetime as dt

import pytest

from extractor.reconcile import support
from extractor.record import EmploymentType, Location, Period, WorkplaceType


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("36,00 EUR/Stunde", 36),
        ("Salario: 4.212.275,00 (Mensual)", 4212275),
        ("CHF 120'000 per year", 120000),
        ("55 - 85k EUR", 55000),
        ("55 - 85k EUR", 85000),
        ("₹6–10 LPA", 600000),
        ("₹6–10 LPA", 1000000),
        ("年収300万円", 3000000),
        ("月薪1.5万", 15000),
        ("$21.50 / hour", 21.5),
        ("od 4 500 - 5 500 zł brutto", 4500),
        ("£54,840–£68,550", 54840),
    ],
)
def test_a_figure_is_supported_in_the_notation_the_text_writes_it(text, amount):
    assert support.supports_amount(amount, text)


def test_a_figure_the_text_does_not_write_is_not_supported():
    assert not support.supports_amount(66000, "Pay: 55k-60k")
    assert not support.supports_amount(120000, "a salary of 100,000 a year")


def test_currency_stated_by_code_symbol_or_word():
    assert support.supports_currency("EUR", "3.000 € brutto")
    assert support.supports_currency("CAD", "$130k-$180k in Vancouver")  # "$" is more than one currency
    assert not support.supports_currency("USD", "3.000 € brutto")
    assert support.supports_currency("INR", "6-10 LPA")  # nothing to contradict an inferred currency
    assert support.supports_currency("CLP", "una persona con 1.800.000 líquido")  # "rs" in "persona" is no rupee


def test_period_stated_beside_the_figure_wins_over_other_period_words():
    text = "Gehalt: 3.000 € brutto/Monat\n30 Tage Urlaub pro Jahr"
    assert support.supports_period(Period.month, text, 3000)
    assert not support.supports_period(Period.year, text, 3000)
    # No word beside the figure: its size decides, whatever periods other lines name.
    assert support.supports_period(Period.month, "Pay: up to $4000\n4-days work week", 4000)


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location(city="Munich", country="DE"), "Standort: München"),
        (Location(city="Warszawa", country="PL"), "wizyty w biurze w Warszawie"),
        (Location(country="DE"), "Remote (Deutschland)"),
        (Location(country="US"), "Remote (US)"),
        (Location(region="South Yorkshire", country="GB"), "supply work in and around South Yorkshire"),
    ],
)
def test_a_place_named_in_any_language_or_case_is_supported(location, text):
    assert support.supports_location(location, text)


def test_a_place_the_text_does_not_name_is_not_supported():
    assert not support.supports_location(Location(city="Berlin", country="DE"), "Standort: München")
    assert not support.supports_location(Location(country="FR"), "Remote (Deutschland)")


@pytest.mark.parametrize(
    ("table", "value", "text"),
    [
        (support.EMPLOYMENT_WORDS, EmploymentType.full_time, "Contrat CDI, 35 heures"),
        (support.EMPLOYMENT_WORDS, EmploymentType.part_time, "in Teilzeit (20 Std.)"),
        (support.EMPLOYMENT_WORDS, EmploymentType.contract, "Kontrakt B2B lub UoP"),
        (support.EMPLOYMENT_WORDS, EmploymentType.temporary, "Contract: 3 Months"),
        (support.WORKPLACE_WORDS, WorkplaceType.remote, "Praca w 100% zdalnie"),
        (support.WORKPLACE_WORDS, WorkplaceType.hybrid, "2 jours de télétravail par semaine"),
        (support.WORKPLACE_WORDS, WorkplaceType.onsite, "Trabajo presencial"),
    ],
)
def test_types_are_supported_by_their_words_in_several_languages(table, value, text):
    assert support.supports_keyword(table, value, text)


def test_a_type_the_text_never_states_is_not_supported():
    assert not support.supports_keyword(support.WORKPLACE_WORDS, WorkplaceType.remote, "Standort: Berlin, Vollzeit")
    assert not support.supports_keyword(support.EMPLOYMENT_WORDS, EmploymentType.part_time, "Vollzeit, unbefristet")


def test_equity_is_ownership_not_fairness():
    assert support.supports_equity(True, "competitive salary and stock options")
    assert not support.supports_equity(True, "we value diversity, equity and inclusion")
    assert not support.supports_equity(False, "no equity")


def test_a_skill_is_supported_by_any_of_its_spellings_but_never_by_the_employer():
    assert support.supports_skill("Kubernetes", "we deploy on k8s")
    assert support.supports_skill("Microsoft Office", "Manejo de los programas de Office")
    assert support.supports_skill("Express", "Node with Express.js")
    assert not support.supports_skill("Rust", "Python and Go")
    assert not support.supports_skill("Acme", "Acme builds things", company="Acme")


def test_dates_and_years_as_postings_write_them():
    assert support.supports_date(dt.date(2026, 3, 3), "Veröffentlicht am 3. März 2026")
    assert support.supports_date(dt.date(2026, 3, 14), "Publié le 14 mars 2026")  # the month by name only
    assert support.supports_date(dt.date(2026, 2, 3), "Posted: 2026-02-03")
    assert not support.supports_date(dt.date(2026, 2, 4), "Posted: 2026-02-03")
    assert support.supports_years(5, "al menos cinco años de experiencia")
    assert support.supports_years(3, "3+ years")
    assert not support.supports_years(4, "3+ years")
