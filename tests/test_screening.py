import pytest

from extractor.reading.screening import is_job_seeker_post


@pytest.mark.parametrize(
    "text",
    [
        "SEEKING WORK | Berlin or remote | Data engineer\nPython, Spark. Email: me@example.com",
        "Hi! I'm currently looking for a senior frontend role. My portfolio: https://me.example",
        "I am available for contract work from March. CV: https://me.example/cv.pdf",
        "Bonjour, je suis Léa, développeuse Java. Je recherche une alternance dès septembre. Mon CV : lea.example",
        "Hallo! Ich suche ab Mai eine Werkstudentenstelle im Bereich Data. Mein Lebenslauf: https://me.example",
        "Olá, procuro estágio em design gráfico. Meu portfólio: https://me.example",
    ],
)
def test_job_seekers_posts_are_recognised(text):
    assert is_job_seeker_post(text)


def test_a_recruiter_writing_in_the_first_person_is_still_hiring():
    text = "Ich suche für meinen Kunden einen Elektriker (m/w/d). Ihre Aufgaben: Wartung. Wir bieten: Firmenwagen."
    assert not is_job_seeker_post(text)


def test_a_posting_that_mentions_candidates_cvs_is_still_a_posting():
    text = "We're hiring a Chef de Partie. You will run the grill. To apply, send your CV: jobs@example.com"
    assert not is_job_seeker_post(text)
