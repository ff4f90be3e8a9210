import pytest

from extractor.reading import money
from extractor.reading.money import pay_mentions
from extractor.record import Period, Salary


def salary(text, countries=()):
    found = money.salary(text, countries)
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The base salary range for this role is $160,000-$230,000/year.", (160000, 230000, "USD", "year")),
        ("Cologne | 55 - 85k EUR | ONSITE", (55000, 85000, "EUR", None)),
        ("Remote (India) | Full-Time | 6–10 LPA", (600000, 1000000, "INR", "year")),
        ("₹40–60L + ESOPs", (4000000, 6000000, "INR", None)),
        ("Sydney | $300-600k AUD", (300000, 600000, "AUD", None)),
        ("The salary range for this position is $25-34/hr.", (25, 34, "USD", "hour")),
        ("$19 - $21.50 / hour", (19, 21.5, "USD", "hour")),
        ("US$100-300/hr, part-time", (100, 300, "USD", "hour")),
        ("₹45,000 per month stipend", (45000, 45000, "INR", "month")),
        ("£54,000–£65,000 p.a.", (54000, 65000, "GBP", "year")),
    ],
)
def test_pay_statements_are_read_in_full_units(text, expected):
    [mention] = pay_mentions(text)
    assert (mention.min, mention.max, mention.currency, mention.period and mention.period.value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We have raised more than $140 million from investors.",
        "a client base with a combined $30 trillion in assets",
        "$50B market, healthcare orgs desperate for this",
        "eligible to enroll in our company 401(k) plan",
        "3-4 month runway, 90 days to 14 days",
        "`💰 390000.0` `🌎 Canada,United States`",
        "DO YOU WANT TO EARN UP TO ****K BASIC SALARY",
    ],
)
def test_figures_that_are_not_pay_are_ignored(text):
    assert pay_mentions(text) == ()


def test_the_employers_base_salary_statement_beats_the_boards_header():
    text = "**Salary:** $196K-$221K\n...\nUS base salary range: **$196,000 - $220,500** + equity"
    assert salary(text) == Salary(min=196000, max=220500, currency="USD", period=Period.year)


def test_the_first_of_several_equal_statements_is_the_salary():
    assert salary("- Engineer ($190k-280k)\n- Manager ($235k-280k)").min == 190000


def test_a_text_that_states_no_pay_has_no_salary():
    assert salary("Great pay and benefits!") is None


def test_company_figures_only_disqualify_pay_in_their_own_sentence():
    [mention] = pay_mentions("We raised a seed round from top investors. Pay €90–120k base.")
    assert (mention.min, mention.max, mention.currency) == (90000, 120000, "EUR")
    assert pay_mentions("We raised $12k from friends.") == ()
