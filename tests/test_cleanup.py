import pytest

from extractor.cleanup.intake import recognise
from extractor.cleanup.text import clean_text, decode, decode_input, html_to_text, tidy
from extractor.errors import BinaryInputError, EmptyInputError, InputTooLargeError
from tests.conftest import CASES, case_text


def test_mojibake_in_the_descript_seed_is_repaired():
    raw = case_text("seed_000_descript")
    assert "â€" in raw.decode("utf-8")  # UTF-8 read as cp1252 in the published text
    text = clean_text(raw)
    assert "â€" not in text and "ðŸ" not in text
    assert "Descript's entire engineering org" in text
    assert "💰 390000.0" in text


def test_hn_html_is_stripped_and_entities_decoded():
    text = clean_text(case_text("001_testgorilla-gtm-engineer-eur"))
    assert "<p>" not in text and "&#x2F;" not in text and "&amp;" not in text
    assert "Build & maintain GTM workflows" in text
    assert "TYPE: Full-time\nLOCATION:" in text  # <p> became a line break


def test_link_targets_survive_even_when_the_link_text_is_shortened():
    text = clean_text(case_text("001_testgorilla-gtm-engineer-eur"))
    full = "https://testgorilla-1680540968.teamtailor.com/jobs/7143357-go-to-market-engineer?promotion=1929786-trackable-share-link-ycombinator"
    assert f"JD: {full}" in text
    assert "g..." not in text


def test_a_link_with_its_own_words_keeps_both():
    assert html_to_text('<p>Apply <a href="https://x.example/apply">here</a></p>').strip() == (
        "Apply here (https://x.example/apply)"
    )


def test_crlf_and_runs_of_whitespace_are_normalized():
    assert clean_text("Title\r\n\r\n\r\n\r\nBody  with\t\ttabs \r\nend") == "Title\n\nBody with tabs\nend"


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_every_eval_text_cleans_to_readable_text(path):
    # As the pipeline reads it: a page's JSON-LD or a JSON document first becomes text (extractor.cleanup.intake).
    text = tidy(recognise(decode_input(path.read_bytes())).text)
    assert text and "\r" not in text and "<p>" not in text and "&#x27;" not in text and "â€" not in text


def test_all_caps_text_is_left_as_written():
    text = clean_text(case_text("037_recruitment-consultant-all-caps"))
    assert "RECRUITMENT CONSULTANT" in text


@pytest.mark.parametrize("raw", ["", "   \n\t  \r\n", b"", "<p></p>"])
def test_empty_input_is_refused(raw):
    with pytest.raises(EmptyInputError):
        clean_text(raw)


@pytest.mark.parametrize("raw", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text\x00with nul", "ok\x07bell"])
def test_binary_input_is_refused(raw):
    with pytest.raises(BinaryInputError):
        clean_text(raw)


def test_oversized_input_is_refused_before_cleanup():
    with pytest.raises(InputTooLargeError, match="limit is 1,000"):
        clean_text("word " * 5_000, max_chars=1_000)


def test_bytes_in_another_encoding_are_decoded():
    assert decode("Café crème, 40 000 € par an".encode("cp1252")) == "Café crème, 40 000 € par an"
    assert decode("Überstunden werden vergütet".encode()) == "Überstunden werden vergütet"


POSTING_TEXT = "Acme Robotics is hiring a Backend Engineer in Köln. Gehalt 60.000 € pro Jahr. 🚀"


@pytest.mark.parametrize(
    "encoded",
    [
        POSTING_TEXT.encode("utf-16"),  # with a BOM, this machine's byte order
        b"\xff\xfe" + POSTING_TEXT.encode("utf-16-le"),
        b"\xfe\xff" + POSTING_TEXT.encode("utf-16-be"),
        POSTING_TEXT.encode("utf-16-le"),  # no BOM
        POSTING_TEXT.encode("utf-16-be"),
        ("Chef wanted\r\n" * 3).encode("utf-16-le"),
    ],
    ids=["bom", "bom-le", "bom-be", "le", "be", "le-crlf"],
)
def test_utf16_text_is_decoded_not_refused_as_binary(encoded):
    expected = clean_text(POSTING_TEXT if b"C\x00h" not in encoded else "Chef wanted\n" * 3)
    assert clean_text(encoded) == expected


def test_a_large_binary_file_is_refused_as_binary_not_as_too_large():
    executable = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + bytes(range(256)) * 2_000  # like /bin/ls: 500 kB
    with pytest.raises(BinaryInputError):
        clean_text(executable)
    with pytest.raises(InputTooLargeError):  # a text that large is still too large
        clean_text(b"posting " * 70_000)
