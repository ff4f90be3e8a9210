"""Raw posting text -> clean text for the model, or a typed error before any model call.

Each step uses the maintained tool for its job: ``charset_normalizer`` guesses the
encoding of bytes that are not UTF-8, BeautifulSoup turns HTML into text (keeping link
targets, so an apply link inside ``<a href>`` survives), ``ftfy`` repairs mojibake such
as UTF-8 read as cp1252.
"""

from __future__ import annotations

import html
import re
import unicodedata

import charset_normalizer
import ftfy
from bs4 import BeautifulSoup

from extractor.errors import BinaryInputError, EmptyInputError, InputTooLargeError

DEFAULT_MAX_INPUT_CHARS = 20_000

_HTML_TAG = re.compile(r"<(?:p|br|a|div|li|ul|ol|span|strong|b|i|em|h[1-6]|table|tr|td|pre|code)\b[^>]*>", re.I)
_BLOCK_TAGS = ("p", "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table")
# Control characters other than tab, newline and carriage return mark binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_LATIN_CODE_PAGES = ("cp125", "latin", "iso8859", "mac_")


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8, else the encoding charset_normalizer finds; BinaryInputError for neither.

    Where detection lands on a single-byte Latin code page, Windows-1252 is used: legacy
    postings are mostly in it, and detection cannot tell its neighbours apart on a short text.
    """
    if b"\x00" in data:
        raise BinaryInputError("input holds NUL bytes: it looks like binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
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
    soup = BeautifulSoup(text, "html.parser")
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
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


def clean_text(raw: str | bytes, max_chars: int = DEFAULT_MAX_INPUT_CHARS) -> str:
    """Return the text a model should read, or raise an ``InvalidInputError`` subclass."""
    # Refuse a huge input before the costlier steps below touch it.
    if len(raw) > 4 * max_chars:
        raise InputTooLargeError(f"input is {len(raw):,} characters; the limit is {max_chars:,}")
    text = decode(raw) if isinstance(raw, bytes) else raw
    if _CONTROL.search(text):
        raise BinaryInputError("input holds control characters: it looks like binary data, not text")
    text = html_to_text(text) if _HTML_TAG.search(text) else html.unescape(text)
    text = ftfy.fix_text(text, unescape_html=False, normalization="NFC")
    text = normalize_whitespace(unicodedata.normalize("NFC", text))
    if not text:
        raise EmptyInputError("input is empty or holds only whitespace")
    if len(text) > max_chars:
        raise InputTooLargeError(f"input is {len(text):,} characters after cleanup; the limit is {max_chars:,}")
    return text
