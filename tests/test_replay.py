"""The embedded model's real answers, recorded once (pytest --record-mode=once) and replayed.

These pin what extraction makes of real postings end to end (cleanup, the model's JSON,
validation, grounding) without a model at test time.
"""

import pytest

from extractor import NotAJobPostingError
from extractor.record import Period
from tests.conftest import case_text

pytestmark = pytest.mark.vcr


def test_descript_seed(recorded_extractor):
    record = recorded_extractor.extract(case_text("seed_000_descript"))
    assert record.title == "Software Engineer - Platform"
    assert record.company == "Descript"
    assert (record.salary.min, record.salary.max, record.salary.currency, record.salary.period) == (
        160000, 230000, "USD", Period.year
    )
    assert record.apply_url == "https://www.remotewlb.com/apply/software-engineer-platform-59838"


def test_discord_seed(recorded_extractor):
    record = recorded_extractor.extract(case_text("seed_003_discord"))
    assert record.title == "Senior Software Engineer - Platform Infrastructure"
    assert record.company == "Discord"
    assert (record.salary.min, record.salary.max, record.salary.period) == (196000, 220500, Period.year)
    assert str(record.posted_date) == "2026-02-03"


def test_hn_html_posting_in_euros(recorded_extractor):
    record = recorded_extractor.extract(case_text("001_testgorilla-gtm-engineer-eur"))
    assert record.company == "TestGorilla"
    assert (record.salary.min, record.salary.max, record.salary.currency) == (54840, 68550, "EUR")
    assert record.apply_url.endswith("7143357-go-to-market-engineer?promotion=1929786-trackable-share-link-ycombinator")


def test_a_job_seekers_post_is_not_a_posting(recorded_extractor):
    with pytest.raises(NotAJobPostingError):
        recorded_extractor.extract(
            "SEEKING WORK | Remote (EU) | Backend engineer\n\nI'm looking for my next full-time role: "
            "8 years of Python, Go and PostgreSQL.\nRésumé: https://example.com/cv.pdf"
        )
