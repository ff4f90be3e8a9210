"""The kind of job a posting offers: where the work is done, the employment type, equity."""

from __future__ import annotations

import functools
from typing import Any

from extractor.reading import words
from extractor.reading.language import language_of
from extractor.reading.matching import Caseless, Found, PhraseSet, Span, blanked, find_phrase, first_mention
from extractor.record import EmploymentType, WorkplaceType

_BY_CONTRACT = Caseless(r"\bby contract\b")
# Phrases where "equity" is not ownership.
NOT_EQUITY = Caseless(
    r"diversity,? equity|equity,? (?:diversity|and inclusion)|pay equity|health equity|equity research|private equity",
)


@functools.cache
def _foreign_phrases() -> PhraseSet:
    """Every phrase of the work-type, employment and equity tables in a language but English that the
    same value's English phrases lack."""
    foreign: set[str] = set()
    for by_language in (*words.WORKPLACE.values(), *words.EMPLOYMENT.values(), words.EQUITY):
        english = set(by_language.get("en", ()))
        foreign.update(phrase for phrase in words.phrases(by_language) if phrase not in english)
    return PhraseSet(foreign)


def _languages(text: str) -> tuple[str, ...]:
    """The text's own language and English, whose words postings everywhere borrow ("Remote", "Full-time").

    Telling the language costs more than all of this module's reading; a text that writes no
    phrase of another language (most postings) reads the same by English's phrases alone.
    """
    if find_phrase(text, _foreign_phrases()) is None:
        return ("en",)
    return (language_of(text), "en")


def first_value(table: words.Table, text: str) -> Found[Any] | None:
    """The value whose words (in the text's language or English) the text writes first."""
    languages = _languages(text)
    found: list[tuple[Span, Any]] = [
        (span, value)
        for value, by_language in table.items()
        if (span := first_mention(text, words.phrases(by_language, languages))) is not None
    ]
    if not found:
        return None
    span, value = min(found, key=lambda item: item[0].start)
    return Found(value, (span,))


def workplace_type(text: str) -> Found[WorkplaceType] | None:
    return first_value(words.WORKPLACE, text)


def employment_type(text: str) -> Found[EmploymentType] | None:
    # "prohibited by law or by contract" is equal-opportunity boilerplate, not the job's type.
    found = first_value(words.EMPLOYMENT, blanked(text, _BY_CONTRACT))
    return found and found.quoting(text)


def equity(text: str) -> Found[bool] | None:
    """True when the text offers equity in any form; it never says "no equity" in practice."""
    offered = words.phrases(words.EQUITY, _languages(text))
    span = first_mention(blanked(text, NOT_EQUITY), offered)
    return Found(True, (span,)).quoting(text) if span else None
