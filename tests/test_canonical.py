import pycountry
import pytest

from extractor._canonical import country_by_name, country_code, currency_code, fold, skill_name, unique_skills


@pytest.mark.parametrize(
    ("written", "code"),
    [("US", "US"), ("United States", "US"), ("USA", "US"), ("UK", "GB"), ("England", "GB"), ("Canada", "CA"),
     ("germany", "DE"), ("Russia", "RU"), ("Hong Kong", "HK"), ("in", "IN")],
)
def test_country_names_become_iso_codes(written, code):
    assert country_code(written) == code


@pytest.mark.parametrize(
    "written", ["DE", "deu", "276", "Germany", "KOREA, REPUBLIC OF", "Bolivia", "Viet Nam", "Taiwan", "Remote", "Acme"]
)
def test_country_by_name_finds_what_pycountry_lookup_finds(written):
    try:
        expected = pycountry.countries.lookup(written).alpha_2
    except LookupError:
        expected = None
    assert country_by_name(written) == expected


@pytest.mark.parametrize("written", ["Remote", "Europe", "Earth"])
def test_a_place_that_is_no_country_is_refused_with_a_hint(written):
    with pytest.raises(ValueError, match="ISO 3166-1 alpha-2"):
        country_code(written)


@pytest.mark.parametrize(
    ("written", "code"), [("USD", "USD"), ("usd", "USD"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("₹", "INR"),
                          ("Euro", "EUR"), ("CHF", "CHF"), ("US$", "USD")]
)
def test_currencies_become_iso_codes(written, code):
    assert currency_code(written) == code


def test_an_unknown_currency_is_refused():
    with pytest.raises(ValueError, match="ISO 4217"):
        currency_code("bitcoins")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("K8s", "Kubernetes"), ("Postgres", "PostgreSQL"), ("PostGreSQL", "PostgreSQL"), ("GCP", "Google Cloud"),
     ("Typescript", "TypeScript"), ("golang", "Go"), ("WPF", "Windows Presentation Foundation"),
     ("Rust", "Rust"), ("SomeNewTool", "SomeNewTool")],
)
def test_skill_aliases_map_to_one_canonical_name(written, canonical):
    assert skill_name(written) == canonical


def test_unique_skills_keeps_first_spelling_and_drops_alias_duplicates():
    assert unique_skills(["K8s", "Python", "kubernetes", "python ", "C++", "C#", "C"]) == [
        "Kubernetes", "Python", "C++", "C#", "C"
    ]


def test_fold_ignores_case_unicode_form_and_punctuation():
    assert fold("Senior  Software Engineer – Platform") == fold("senior software engineer, platform")
    assert fold("Ｄｉｓｃｏｒｄ") == "discord"
