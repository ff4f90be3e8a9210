import pytest

from extractor.cleanup import clean_text
from extractor.screening import is_job_seeker_post
from tests.conftest import CASES


@pytest.mark.parametrize(
    "text",
    [
        "SEEKING WORK | Berlin or remote | Data engineer\nPython, Spark. Email: me@example.com",
        "Hi! I'm currently looking for a senior frontend role. My portfolio: https://me.example",
        "I am available for contract work from March. CV: https://me.example/cv.pdf",
    ],
)
def test_job_seekers_posts_are_recognised(text):
    assert is_job_seeker_post(text)


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_no_labeled_posting_is_taken_for_a_seekers_post(path):
    assert not is_job_seeker_post(clean_text(path.read_bytes()))


def test_a_posting_that_mentions_candidates_cvs_is_still_a_posting():
    text = "We're hiring a Chef de Partie. You will run the grill. To apply, send your CV: jobs@example.com"
    assert not is_job_seeker_post(text)
