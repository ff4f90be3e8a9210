"""The language a posting is written in, among those the readers have words for."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from extractor.reading.matching import PER_TEXT_CACHE
from extractor.reading.words import LANGUAGES

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Enough text to tell the language; more only costs time.
_SAMPLE = 3000


@functools.cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model (about 1 s to load) scoring only ``LANGUAGES``: the same choice among them as
    scoring all 97, in half the time (the languages are scored independently)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(LANGUAGES)
    return identifier


@functools.lru_cache(maxsize=PER_TEXT_CACHE)
def language_of(text: str) -> str:
    """The most likely of ``words.LANGUAGES``; English for a text with no letters."""
    if not any(character.isalpha() for character in text):
        return "en"
    language: str = _identifier().classify(text[:_SAMPLE])[0]
    return language
