"""Finding words in a posting whatever their case, accents or punctuation, with where they stand.

Every reader and every support check compares through these functions, so "Télétravail",
"teletravail" and "TELETRAVAIL" are one phrase, and a phrase found is a ``Span`` of the text
itself: folding changes lengths ("ß" is "ss"), so the folded text keeps where each of its
characters came from.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

import ahocorasick

from extractor import _canonical as canonical

_PUNCTUATION = re.compile(r"[\W_]", re.UNICODE)

# How many texts the per-text caches keep. A text is read before its model call (screening) and
# after it (the record) with a batch's other texts in between: more than a batch keeps in flight
# (32 by default; with 32 kept, half the readings were made twice).
PER_TEXT_CACHE = 256


@dataclass(frozen=True)
class Span:
    """Where a value was read: ``text[start:end] == quote`` in the cleaned text."""

    start: int
    end: int
    quote: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]`` without the whitespace at its edges."""
        quote = text[start:end]
        start += len(quote) - len(quote.lstrip())
        quote = quote.strip()
        return cls(start, start + len(quote), quote)


T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """A value a reader found, with where the text states it."""

    value: T
    spans: tuple[Span, ...] = ()

    def quoting(self, text: str) -> Found[T]:
        """The same spans quoted from ``text`` (a reader that read a blanked copy quotes the original)."""
        return replace(self, spans=tuple(Span.of(text, span.start, span.end) for span in self.spans))


def fold(text: str) -> str:
    """Case, accents and punctuation folded; CJK kept as is."""
    if text.isascii():  # nothing to decompose (most names and phrases): a third of the time
        return canonical.fold(text.lower())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return canonical.fold("".join(c for c in decomposed if not unicodedata.combining(c)))


@dataclass(frozen=True)
class Folded:
    """A text folded as ``fold`` folds it, between two spaces, and the text index of each folded character."""

    text: str
    origin: array[int]  # not a tuple: a cache of long texts would hold an int object per character

    def span(self, source: str, start: int, end: int) -> Span:
        """The span of ``source`` that the folded characters ``[start, end)`` came from."""
        return Span.of(source, self.origin[start], self.origin[end - 1] + 1)


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    kept = unicodedata.normalize("NFKC", "".join(c for c in decomposed if not unicodedata.combining(c))).casefold()
    return _PUNCTUATION.sub(" ", kept)


class _Folds(dict[int, str]):
    """Code point -> ``_fold_char`` of it, for ``str.translate``, each worked out the first time it is met;
    ``_NOT_ONE`` for a character that folds to none or several ("ß": "ss")."""

    def __missing__(self, code: int) -> str:
        piece = _fold_char(chr(code))
        piece = piece if len(piece) == 1 else _NOT_ONE
        if len(self) < _FOLDS_KEPT:  # a stream of texts in every script must not grow it without end
            self[code] = piece
        return piece


_FOLDS_KEPT = 65_536
_NOT_ONE = "\x00"  # no character folds to it: a control character folds to a space
_FOLDS = _Folds()
_SPACE_RUN = re.compile(" {2,}")


# 0, 1, 2, ...: where a text's characters came from is a slice of it (for texts up to its length).
_COUNTING = array("L", range(100_000))
# ``_fold_char`` of each ASCII character, which is one character (lower case, or a space).
_ASCII_FOLDS = bytes.maketrans(bytes(range(128)), "".join(_fold_char(chr(code)) for code in range(128)).encode())


@functools.lru_cache(maxsize=PER_TEXT_CACHE)
def folded(text: str) -> Folded:
    """The text folded, between two spaces, with a run of punctuation and space as one space.

    Nearly every text folds character for character (only "ß", ligatures and combining marks
    do not): translated at once and its space runs closed, several times faster than
    ``_folded_by_character``, which folds the others.
    """
    if len(text) > len(_COUNTING):
        return _folded_by_character(text)
    if text.isascii():
        pieces = text.encode("ascii").translate(_ASCII_FOLDS).decode("ascii")
    elif _NOT_ONE in (pieces := text.translate(_FOLDS)):
        return _folded_by_character(text)
    spaced = f" {pieces}"  # spaced[k] came from text[k - 1], the leading space from text[0]
    chars, origin = [" "], array("L", [0])
    kept_from = 1
    for run in _SPACE_RUN.finditer(spaced):  # of each run, its first space is kept (none at the start)
        kept_to = run.start() + 1 if run.start() else 1
        chars.append(spaced[kept_from:kept_to])
        origin.extend(_COUNTING[kept_from - 1 : kept_to - 1])
        kept_from = max(run.end(), 1)
    chars.append(spaced[kept_from:])
    origin.extend(_COUNTING[kept_from - 1 : len(text)])
    if not spaced.endswith(" "):
        chars.append(" ")
        origin.append(len(text))
    return Folded("".join(chars), origin)


def _folded_by_character(text: str) -> Folded:
    chars: list[str] = [" "]
    origin: list[int] = [0]
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            if piece == " " and chars[-1] == " ":
                continue  # a run of punctuation and space is one space
            chars.append(piece)
            origin.append(index)
    if chars[-1] != " ":
        chars.append(" ")
        origin.append(len(text))
    return Folded("".join(chars), array("L", origin))


def folded_text(text: str) -> str:
    return folded(text).text


def has_cjk(value: str) -> bool:
    return any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in value)


@functools.lru_cache(maxsize=4096)
def phrase_pattern(needle: str) -> re.Pattern[str]:
    """A folded phrase as words of their own (a plural "s" allowed); CJK anywhere, having no spaces."""
    if has_cjk(needle):
        return re.compile(re.escape(needle))
    return re.compile(rf"(?<![^\W_]){re.escape(needle)}(?:e?s)?(?![^\W_])")


@functools.lru_cache(maxsize=8192)
def _needle(value: str) -> str:
    """``fold`` of a phrase looked for: the same few thousand words and names, folded once each."""
    return fold(value)


def find(text: str, value: str) -> Span | None:
    """Where the text first writes ``value`` as words of its own."""
    needle = _needle(value)
    if not needle:
        return None
    haystack = folded(text)
    match = phrase_pattern(needle).search(haystack.text)
    return haystack.span(text, match.start(), match.end()) if match else None


class PhraseSet:
    """Phrases found in a folded text as ``phrase_pattern`` finds each one: as words of their own
    (a plural ending allowed), CJK anywhere. An Aho-Corasick automaton (pyahocorasick) finds them
    all in one pass; a regular expression of their alternation would try each at every position
    (a country goes by hundreds of names, the work types by dozens)."""

    def __init__(self, values: Iterable[str]) -> None:
        needles = {needle for needle in map(fold, values) if needle}
        self._longest = max(map(len, needles), default=0)
        self._automaton = ahocorasick.Automaton()
        for needle in needles:
            self._automaton.add_word(needle, (len(needle), has_cjk(needle)))
        if needles:
            self._automaton.make_automaton()

    def search(self, text: str, position: int = 0) -> tuple[int, int] | None:
        """The first phrase at or after ``position`` as ``(start, end)``: where several start together, the
        longest, and a phrase of words before a CJK one."""
        if not self._longest:
            return None
        best: tuple[int, bool, int, int] | None = None  # start, CJK, -length, end: the smallest wins
        for last, (length, cjk) in self._automaton.iter(text, position):
            if best is not None and last + 1 - self._longest > best[0]:
                break  # every phrase that ends later starts after the one found
            start = last + 1 - length
            end = last + 1 if cjk else _word_end(text, start, last + 1)
            if end is not None and (best is None or (start, cjk, -length, end) < best):
                best = (start, cjk, -length, end)
        return (best[0], best[3]) if best else None


def _word_end(text: str, start: int, end: int) -> int | None:
    """Where the words ``text[start:end]`` end with a plural ending if they have one; None when they are
    part of a longer word."""
    if start > 0 and text[start - 1].isalnum():
        return None
    for ending in ("es", "s", ""):
        if text.startswith(ending, end):
            after = end + len(ending)
            if after == len(text) or not text[after].isalnum():
                return after
    return None


def find_phrase(text: str, phrases: PhraseSet) -> Span | None:
    """Where the text first writes one of the phrases."""
    haystack = folded(text)
    found = phrases.search(haystack.text)
    return haystack.span(text, *found) if found else None


def mentions(text: str, value: str) -> bool:
    return find(text, value) is not None


@functools.lru_cache(maxsize=256)
def _phrase_set(phrases: tuple[str, ...]) -> PhraseSet:
    return PhraseSet(phrases)


def any_mentioned(text: str, phrases: Iterable[str]) -> bool:
    return find_phrase(text, _phrase_set(tuple(phrases))) is not None


_NEGATIONS = {"not", "no", "non", "kein", "keine", "keinen", "pas", "sin", "sem", "nie", "niet", "geen", "senza", "ni"}
_ARTICLES = {"a", "an", "the", "ein", "eine", "un", "une", "una", "uma", "een"}


def _affirmed(haystack: str, start: int) -> bool:
    """Not right after a negation ("not a remote company", "kein Homeoffice")."""
    before = haystack[max(0, start - 25) : start].split()[-2:]
    negated = bool(before[-1:]) and before[-1] in _NEGATIONS
    return not (negated or len(before) == 2 and before[0] in _NEGATIONS and before[1] in _ARTICLES)


# A data field's label given a false value: "remote: False", `hybrid: "no"`.
_FALSE_VALUE = re.compile(r"\s*[:=]\s*[\"']?(?:false|no|none|nein|non|nee|nej|não|nao|0)\b", re.IGNORECASE)


def first_mention(text: str, phrases: Iterable[str]) -> Span | None:
    """Where the text first writes one of the phrases, not right after a negation nor as a label given
    a false value (the longest phrase that starts there)."""
    haystack = folded(text)
    every = _phrase_set(tuple(phrases))
    position = 0
    while found := every.search(haystack.text, position):
        start, end = found
        span = haystack.span(text, start, end)
        if _affirmed(haystack.text, start) and not _FALSE_VALUE.match(text, span.end):
            return span
        position = start + 1  # a phrase starting inside the negated one may stand on its own
    return None


class Caseless:
    """A pattern matched in any case: written in lower case, searched in the lower-cased text.

    Python's ``re`` skips ahead to where one of an alternation's words can start only when the
    pattern is case-sensitive; under IGNORECASE it tries every position of the text (the skills
    reader's forty "a plus" phrases: 110 us on a 180-character posting, 36 us this way). Matches are of the
    lower-cased text, at the text's own positions; a text whose lower-casing changes its length
    ("İ") is searched by the IGNORECASE pattern.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._lower = re.compile(pattern, flags)
        self._any_case = re.compile(pattern, flags | re.IGNORECASE)

    def _searched(self, text: str) -> tuple[re.Pattern[str], str]:
        lowered = _lowered(text)
        return (self._lower, lowered) if lowered is not None else (self._any_case, text)

    def search(self, text: str) -> re.Match[str] | None:
        pattern, searched = self._searched(text)
        return pattern.search(searched)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern, searched = self._searched(text)
        return pattern.finditer(searched)


def _lowered(text: str) -> str | None:
    """The text in lower case, if that keeps every character where it was."""
    # A posting is searched by a few dozen such patterns: lowered once. A line is lowered each
    # time: lines kept in the cache would push the postings out.
    lowered = _lowered_posting(text) if len(text) > 400 else text.lower()
    return lowered if len(lowered) == len(text) else None


@functools.lru_cache(maxsize=PER_TEXT_CACHE)
def _lowered_posting(text: str) -> str:
    return text.lower()


def blanked(text: str, pattern: re.Pattern[str] | Caseless) -> str:
    """The text with each match of ``pattern`` blanked out, every other character where it was."""
    pieces, kept_from = [], 0
    for match in pattern.finditer(text):
        pieces += [text[kept_from : match.start()], " " * (match.end() - match.start())]
        kept_from = match.end()
    return "".join([*pieces, text[kept_from:]])


def whole_words(pattern: str) -> re.Pattern[str]:
    """``pattern`` as whole words, any case ("intern" is not in "internal")."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


def lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line of the text with the index it starts at."""
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, line.rstrip("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")
        start += len(line)


# Numbers of years as postings write them in words, one to ten.
NUMBER_WORDS = {
    1: ("one", "ein", "eins", "un", "une", "uno", "una", "um", "uma", "een", "jeden", "jeden rok"),
    2: ("two", "zwei", "deux", "dos", "dois", "duas", "twee", "due", "dwa", "dwie", "två"),
    3: ("three", "drei", "trois", "tres", "três", "drie", "tre", "trzy"),
    4: ("four", "vier", "quatre", "cuatro", "quatro", "quattro", "cztery", "fyra"),
    5: ("five", "fünf", "cinq", "cinco", "vijf", "cinque", "pięć", "fem"),
    6: ("six", "sechs", "seis", "zes", "sei", "sześć"),
    7: ("seven", "sieben", "sept", "siete", "sete", "zeven", "sette", "siedem", "sju"),
    8: ("eight", "acht", "huit", "ocho", "oito", "otto", "osiem", "åtta"),
    9: ("nine", "neun", "neuf", "nueve", "nove", "negen", "dziewięć", "nio"),
    10: ("ten", "zehn", "dix", "diez", "dez", "tien", "dieci", "dziesięć", "tio"),
}
for _number, _numeral in enumerate("一二三四五六七八九十", start=1):  # Chinese and Japanese numerals
    NUMBER_WORDS[_number] += (_numeral,)
NUMBER_WORDS[2] += ("两",)
