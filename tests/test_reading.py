import datetime as dt
from pathlib import Path

import pytest

from extractor.reading import Found, companies, dates, experience, kinds, links, read_evidence, read_fields
from extractor.reading.language import language_of
from extractor.reading.places import header_fields
from extractor.record import EmploymentType, Period, Salary, WorkplaceType


def _value(found: Found | None):
    return found.value if found else None


def workplace_type(text):
    return _value(kinds.workplace_type(text))


def employment_type(text):
    return _value(kinds.employment_type(text))


def equity(text):
    return _value(kinds.equity(text))


def experience_years_min(text):
    return _value(experience.experience_years_min(text))


def posted_date(text):
    return _value(dates.posted_date(text))


def apply_url(text):
    return _value(links.apply_url(text))


def test_the_first_work_type_the_text_states_wins():
    text = "Acme | Engineer | Remote (US) | Full-time\nOur office is on-site in Austin for those who want it."
    assert workplace_type(text) == WorkplaceType.remote
    assert employment_type(text) == EmploymentType.full_time
    assert employment_type("Summer Intern (2026), 12 weeks") == EmploymentType.internship
    assert employment_type("Relief chef, 1 week assignment") == EmploymentType.temporary


def test_boilerplate_and_other_senses_of_a_type_word_do_not_count():
    assert employment_type("Discrimination prohibited by law or by contract. A Federal Contractor.") is None
    assert employment_type("Recruitment in Sales, Search and Supply Chain") is None
    assert employment_type("Supply teachers wanted in and around Sheffield") == EmploymentType.temporary


def test_a_work_type_the_text_never_states_is_null():
    text = "Recruitment Consultant wanted. Strong ownership of your desk; internal promotions."
    assert (workplace_type(text), employment_type(text), equity(text)) == (None, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "Backend Engineer, remote, full-time. Equity on offer.",
        "Entwickler (m/w/d) in Vollzeit, Homeoffice möglich. Remote-first team.",
        "Développeur en CDI, télétravail partiel. Full remote possible, stock-options.",
        "Wir suchen eine Entwicklerin für unser Team in Berlin: Remote, Full-time, Equity.",  # English words only
    ],
)
def test_a_text_reads_alike_whether_or_not_its_language_is_told(text, monkeypatch):
    """Only a text that writes another language's phrase needs its language told (the slowest step)."""
    read = lambda: (workplace_type(text), employment_type(text), equity(text))  # noqa: E731
    shortcut = read()
    monkeypatch.setattr(kinds, "_languages", lambda text: (language_of(text), "en"))
    assert read() == shortcut


def test_an_english_text_is_read_without_telling_its_language(monkeypatch):
    monkeypatch.setattr(kinds, "language_of", lambda text: pytest.fail("the language was told"))
    text = "Backend Engineer, remote, full-time contract, equity"
    assert (workplace_type(text), employment_type(text), equity(text)) == (WorkplaceType.remote, EmploymentType.full_time, True)


def test_equity_in_any_form_is_true():
    assert equity("Competitive salary + equity") is True
    assert equity("RSUs and a 401k") is True
    assert equity("Travel options and shared ownership of outcomes") is None


def test_experience_is_the_fewest_years_asked_for_on_an_experience_line():
    assert experience_years_min("- 5+ years of professional experience\n- 3-5 yrs of Go experience") == 3
    assert experience_years_min("We're hiring early-career engineers (0-2 yrs experience)") == 0
    assert experience_years_min("Requirements\n2+ YOE as a legal assistant") == 2
    assert experience_years_min("We were founded 10 years ago. We have 5 offices.") is None


def test_a_date_counts_only_on_a_line_that_says_it_is_the_posting_date():
    assert posted_date("**Posted:** 2026-02-03\nApply by 2026-03-01") == dt.date(2026, 2, 3)
    assert posted_date("Founded 2019-01-01. Start date flexible.") is None  # "date", but not a full date on it
    assert posted_date("Start: 2026-09-15") is None


def test_the_apply_link_is_the_one_about_applying():
    text = "About us: https://acme.example\nCareers: https://acme.example/careers\nApply: https://jobs.lever.co/acme/42"
    assert apply_url(text) == "https://jobs.lever.co/acme/42"
    assert apply_url("Read our blog at https://acme.example/blog.") is None


def test_the_header_is_split_into_its_fields():
    assert header_fields("Acme | Backend Engineer | Berlin | €70k\nWe build robots.") == [
        "Acme", "Backend Engineer", "Berlin", "€70k",
    ]  # fmt: skip
    assert header_fields("CLOSED\nEvercred – Remote (US) – Co-Founder") == ["Evercred", "Remote (US)", "Co-Founder"]
    assert header_fields("Acme is hiring | apply today") == []  # two fields are a sentence, not a header


@pytest.mark.parametrize(
    ("text", "salary"),
    [
        ("**Salary:** $196K-$221K\nUS base salary range: **$196,000 - $220,500** + equity",
         Salary(min=196000, max=220500, currency="USD", period=Period.year)),
        ("Great pay and benefits!", None),
    ],
)  # fmt: skip
def test_read_fields_reads_every_rule_field(text, salary):
    fields = read_fields(text)
    assert set(fields) == {
        "workplace_type", "employment_type", "salary", "equity", "experience_years_min",
        "required_skills", "preferred_skills", "posted_date", "apply_url",
    }  # fmt: skip
    assert fields["salary"] == salary


def test_each_value_read_quotes_the_words_that_state_it():
    text = (
        "Acme | Backend Engineer | Berlin\n\nVollzeit, Homeoffice möglich.\nGehalt: 60.000 – 70.000 € brutto im Jahr\n"
        "Mindestens 3 Jahre Erfahrung mit Python; Kubernetes ist ein Plus.\n"
        "Posted: 2026-02-03\nApply: https://jobs.lever.co/acme/42"
    )
    evidence = read_evidence(text)
    quotes = {
        name: [span.quote for item in (found if isinstance(found, list) else [found]) for span in item.spans]
        for name, found in evidence.items()
        if found
    }
    assert quotes == {
        "workplace_type": ["Homeoffice"],
        "employment_type": ["Vollzeit"],
        "salary": ["60.000 – 70.000 €"],
        "experience_years_min": ["3 Jahre"],
        "required_skills": ["Python"],
        "preferred_skills": ["Kubernetes"],
        "posted_date": ["2026-02-03"],
        "apply_url": ["https://jobs.lever.co/acme/42"],
    }
    for found in evidence.values():
        for item in found if isinstance(found, list) else [found] if found else []:
            assert all(text[span.start : span.end] == span.quote for span in item.spans)


def test_a_span_quotes_the_text_as_written_when_folding_changes_lengths():
    # "ß" folds to "ss" and "ﬁ" to "fi": the span still points into the text as written.
    text = "Straße 1, Großstadt. Arbeitszeit: Teilzeit. Beneﬁts: Aktienoptionen"
    found = kinds.employment_type(text)
    assert found.value is EmploymentType.part_time
    assert [text[span.start : span.end] for span in found.spans] == ["Teilzeit"]


def test_every_span_on_every_eval_case_quotes_the_cleaned_text():
    # Cleanup rewrites HTML, mojibake and CRLF; spans point into what it returns.
    from extractor.cleanup.intake import recognise
    from extractor.cleanup.text import decode_input, tidy

    checked = 0
    for path in sorted((Path(__file__).parents[1] / "evals" / "cases").glob("*.txt")):
        text = tidy(recognise(decode_input(path.read_bytes())).text, 10**6)
        for found in read_evidence(text).values():
            for item in found if isinstance(found, list) else [found] if found else []:
                for span in item.spans:
                    assert text[span.start : span.end] == span.quote and span.quote, (path.name, item)
                    checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Senior Welder\nCompany: Nordwerk Metall GmbH\nLocation: Kassel", "Nordwerk Metall GmbH"),
        ("We build boats.\n\nAbout Harbour Labs\nHarbour Labs makes sails.", "Harbour Labs"),
        ("Apply today. Fenwick Foods is an equal opportunity employer.", "Fenwick Foods"),
        ("At Brightline, we believe in small teams.", "Brightline"),
        ("Rejoignez Atelier Moreau et construisez avec nous.", "Atelier Moreau"),
        ("Über Kupfer & Söhne\nSeit 1890 ...", "Kupfer & Söhne"),
        ("Mosaic Health is hiring a nurse in Leeds.", "Mosaic Health"),
    ],
)
def test_the_company_is_read_where_postings_name_their_employer(text, company):
    assert _value(companies.stated_company(text)) == company


@pytest.mark.parametrize(
    "text",
    [
        "About us\nWe are a small team.",  # not a name
        "About The Role\nYou will lead ...",
        "Je recherche un poste de cuisinier.",  # a pronoun, not a company
        "Berlin sucht Lehrer.",  # a place as the subject
        "Join our team of engineers.",
    ],
)
def test_no_company_is_read_from_words_that_name_no_employer(text):
    assert companies.stated_company(text) is None


def test_a_company_named_as_one_outranks_a_hiring_verbs_subject():
    text = "Grünwerk Koch sucht Verstärkung!\nÜber Lindner Bau GmbH\nWir bauen seit 1950."
    assert _value(companies.stated_company(text)) == "Lindner Bau GmbH"
    assert companies.stated_company("Grünwerk Koch sucht Verstärkung!", by_hiring_verb=False) is None
    assert _value(companies.stated_company(text, by_naming=False)) == "Grünwerk Koch"


def test_a_work_type_given_a_false_value_is_not_stated():
    assert workplace_type("title: Welder\nremote: False\nlocation: Essen") is None
    assert workplace_type("Hybrid: \"no\"") is None
    assert workplace_type("remote: true") == WorkplaceType.remote
    assert workplace_type("Remote - no visa sponsorship") == WorkplaceType.remote


def test_a_swedish_posting_is_read_in_its_own_words():
    assert language_of("Vi söker en erfaren utvecklare till vårt team i Göteborg. Tjänsten är på heltid.") == "sv"
    assert employment_type("Omfattning: Heltid, tillsvidareanställning med provanställning") == EmploymentType.full_time
    assert employment_type("Vikariat under sommaren, deltid 50 %") == EmploymentType.temporary
    assert workplace_type("Du kan arbeta på distans två dagar i veckan") == WorkplaceType.remote
    assert experience_years_min("Du har minst tre års erfarenhet av Java\nB-körkort är ett krav") == 3
    assert experience_years_min("Erfarenhet av lagerarbete under minst 2 år") == 2
    fields = read_fields("Kvalifikationer:\n* Python\nMeriterande:\n* Kubernetes\n\nLön: 42 000 kr per månad")
    assert (fields["required_skills"], fields["preferred_skills"]) == (["Python"], ["Kubernetes"])
    assert fields["salary"].period == Period.month
