"""The years of experience a posting asks for, in the languages of ``words``."""

from __future__ import annotations

import re

from extractor.reading.matching import NUMBER_WORDS, Caseless, Found, Span, lines
from extractor.record import MAX_EXPERIENCE_YEARS

# Numbers of years written as words.
_NUMBER = {word.casefold(): number for number, spelled in NUMBER_WORDS.items() for word in spelled}
_YEAR_WORDS = r"(?:years?|yrs?|yoe|jahre?n?|ans?|años?|anos?|jaar|anni|anno|lat|lata|års?)(?![^\W\d_])|年"
_COUNT = rf"\d{{1,2}}|(?<![^\W\d_])(?:{'|'.join(sorted(_NUMBER, key=len, reverse=True))})"
_YEARS = re.compile(
    rf"({_COUNT})\s*\+?\s*(?:(?:-|–|to|bis|à|a|y|e|tot|do|~)\s*(?:{_COUNT})\s*)?\+?\s*(?:{_YEAR_WORDS})"
    rf"|(?:{_YEAR_WORDS})\s*(?:of|di|de|d'|der)?\s*(?:\w+\s+)?(?:experience|esperienza|experiencia|expérience|"
    rf"erfahrung|ervaring|erfarenhet)\s*[:：]?\s*(\d{{1,2}})",
    re.IGNORECASE,
)
_EXPERIENCE = Caseless(
    r"experience|\bexp\b|\byoe\b|background|track record|erfahrung|expérience|experiencia|experiência|ervaring|"
    r"esperienza|doświadczeni|erfarenhet|经验|經驗|経験",
)


def experience_years_min(text: str) -> Found[int] | None:
    """The smallest number of years asked for on a line about experience ("5+ years", "mind. 3 Jahre", "3 年以上").

    The line after such a line counts too ("Esperienza minima" / "1 anno").
    """
    written = [(start, line) for start, line in lines(text) if line.strip()]
    counts: list[tuple[int, Span]] = []
    for index, (start, line) in enumerate(written):
        if not _EXPERIENCE.search(line):
            continue
        next_start, next_line = written[index + 1] if index + 1 < len(written) else (len(text), "")
        window = f"{line} {next_line}"
        for match in _YEARS.finditer(window):
            group = 1 if match[1] else 2
            if not match[group]:
                continue
            count = match[group]
            number = int(count) if count.isdigit() else _NUMBER[count.casefold()]
            if number > MAX_EXPERIENCE_YEARS:  # "since 1851", not years asked
                continue
            at, end = match.span()
            origin = start + at if at <= len(line) else next_start + at - len(line) - 1
            origin_end = start + end if end <= len(line) else next_start + end - len(line) - 1
            counts.append((number, Span.of(text, origin, max(origin_end, origin))))
    if not counts:
        return None
    number, span = min(counts, key=lambda item: item[0])
    return Found(number, (span,))
