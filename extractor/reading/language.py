"""The language a posting is written in, among those the readers have words for."""

from __future__ import annotations

import functools

from extractor.reading.words import LANGUAGES

# Enough text to tell the language; more only costs time.
_SAMPLE = 3000


@functools.lru_cache(maxsize=64)
def language_of(text: str) -> str:
    """The most likely of ``words.LANGUAGES`` (py3langid); English for a text with no letters."""
    from py3langid.langid import rank  # loads its model (about 1 s) on first use

    if not any(character.isalpha() for character in text):
        return "en"
    return next((code for code, _ in rank(text[:_SAMPLE]) if code in LANGUAGES), "en")
