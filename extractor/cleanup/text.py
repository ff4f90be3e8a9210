"""Raw posting text -> clean text for the model, or a typed error before any model call.

Each step uses the maintained tool for its job: ``charset_normalizer`` guesses the
encoding of bytes that are not UTF-8, BeautifulSoup turns HTML into text (keeping link
targets, so an apply link inside ``<a href>`` survives), ``ftfy`` repairs mojibake such
as UTF-8 read as cp1252.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata

from extractor.errors import BinaryInputError, EmptyInputError, InputTooLargeError, InvalidInputError

DEFAULT_MAX_INPUT_CHARS = 20_000

_HTML_TAG = re.compile(r"<(?:p|br|a|div|li|ul|ol|span|strong|b|i|em|h[1-6]|table|tr|td|pre|code)\b[^>]*>", re.I)
_BLOCK_TAGS = ("p", "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table")
# Control characters other than tab, newline and carriage return mark binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_LATIN_CODE_PAGES = ("cp125", "latin", "iso8859", "mac_")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# How much of the input the binary check reads before the size check.
_SNIFF = 8192


def _wide_codec(data: bytes) -> str | None:
    """The codec of UTF-16 or UTF-32 text: by its BOM, or for UTF-16 without one by where its NULs fall.

    Text in those encodings is full of NUL bytes, binary data's tell-tale; in UTF-16 text
    mostly in Latin script every other byte is NUL, at odd offsets (little-endian) or even
    ones (big-endian), and almost none fall at the other parity.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    sample = data[:_SNIFF]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _refuse_binary(data: bytes) -> None:
    """BinaryInputError for bytes with NULs that are not UTF-16 or UTF-32 text."""
    if b"\x00" in data and _wide_codec(data) is None:
        raise BinaryInputError("input holds NUL bytes: it looks like binary data, not text")


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8, UTF-16 or UTF-32 (with a BOM, or UTF-16 without), else the encoding
    charset_normalizer finds; BinaryInputError for none of them.

    Where detection lands on a single-byte Latin code page, Windows-1252 is used: legacy
    postings are mostly in it, and detection cannot tell its neighbours apart on a short text.
    """
    wide = _wide_codec(data)
    if wide is not None:
        try:
            return data.decode(wide)
        except UnicodeDecodeError:
            raise BinaryInputError(f"input looks like {wide.upper()} but does not decode as it") from None
    _refuse_binary(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # imported on first use, like BeautifulSoup and ftfy: `import extractor` stays quick

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise BinaryInputError("input is neither UTF-8 nor any text encoding that could be recognised")
    if best.encoding.startswith(_LATIN_CODE_PAGES):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def html_to_text(text: str) -> str:
    """Strip tags, decode entities; a link becomes its target, or "text (target)" when the text says more."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for link in soup.find_all("a"):
        href = str(link.get("href") or "").strip()
        label = link.get_text(" ", strip=True)
        if not href or href.startswith("#"):
            continue
        # Boards shorten long link texts ("https://x.com/jobs/12...") and keep the whole URL in href.
        if not label or href.startswith(label.rstrip(".…")) or label == href:
            link.replace_with(href)
        else:
            link.replace_with(f"{label} ({href})")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        if tag.name != "br":
            tag.insert_after("\n")
    return soup.get_text()


def normalize_whitespace(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def as_input(raw: object) -> str | bytes:
    """``raw`` as text or bytes (a bytearray or memoryview becomes bytes); InvalidInputError for anything else."""
    if isinstance(raw, str | bytes):
        return raw
    if isinstance(raw, bytearray | memoryview):
        return bytes(raw)
    raise InvalidInputError(f"the input must be str or bytes (a posting's text), not {type(raw).__name__}")


# A careers page carries its posting among hundreds of kilobytes of markup and scripts: the raw
# input may be this many times the longest text, and is refused beyond it before any parsing.
RAW_FACTOR = 25


def decode_input(raw: str | bytes, max_chars: int = DEFAULT_MAX_INPUT_CHARS) -> str:
    """The input as text, or an ``InvalidInputError`` subclass: not text, binary, or far too large."""
    raw = as_input(raw)
    if isinstance(raw, bytes):  # binary data is refused as binary, however large
        _refuse_binary(raw[:_SNIFF])
    if len(raw) > RAW_FACTOR * max_chars:
        raise InputTooLargeError(f"input is {len(raw):,} characters; the limit is {max_chars:,}")
    text = decode(raw) if isinstance(raw, bytes) else raw
    if _CONTROL.search(text):
        raise BinaryInputError("input holds control characters: it looks like binary data, not text")
    return text


def tidy(text: str, max_chars: int = DEFAULT_MAX_INPUT_CHARS) -> str:
    """Decoded text -> the text a model should read: HTML to text, mojibake repaired, whitespace normalized."""
    text = html_to_text(text) if _HTML_TAG.search(text) else html.unescape(text)
    import ftfy

    text = ftfy.fix_text(text, unescape_html=False, normalization="NFC")
    text = normalize_whitespace(unicodedata.normalize("NFC", text))
    if not text:
        raise EmptyInputError("input is empty or holds only whitespace")
    if len(text) > max_chars:
        raise InputTooLargeError(f"input is {len(text):,} characters after cleanup; the limit is {max_chars:,}")
    return text


def clean_text(raw: str | bytes, max_chars: int = DEFAULT_MAX_INPUT_CHARS) -> str:
    """Return the text a model should read, or raise an ``InvalidInputError`` subclass."""
    return tidy(decode_input(raw, max_chars), max_chars)
