"""Find the technologies a posting names, and whether it requires or prefers each.

A small model fills skill lists with sentence fragments, placeholder words and the
headings of the posting; the vocabulary (``technologies.txt``) read against the text does
better. A technology counts as preferred when the posting says so where it names it: in a
"Nice to have" / "Bonus" section, or in a clause that calls it a plus; a mention in a
requirements section makes it required, and so does any other mention unless the posting
also calls it a plus (a header's tag list names everything). Pure functions.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from extractor import _canonical as canonical
from extractor._canonical import Spelling
from extractor.reading.matching import Caseless, Found, Span, blanked, lines

# How postings say a skill is a plus, and where they list what they require, in the languages of ``words``.
_PREFERRED = Caseless(
    r"nice[- ]to[- ]haves?|bonus|preferred|preferable|\ba (?:big |huge |strong )?plus\b|\bpluses\b|desirable|"
    r"\bdesired\b|ideally|would be (?:great|nice|helpful|an advantage)|advantage(?:ous)?|extra credit|not required|"
    r"optional|von vorteil|wünschenswert|idealerweise|\bein plus\b|pluspunkt|\bun (?:gros )?plus\b|\batouts?\b|"
    r"souhaité|apprécié|deseable|valorable|se valorar[áa]|desejável|diferencia(?:l|is)|\bpr[ée]\b|pluspunt|gewenst|"
    r"\bè un plus\b|gradit[aoie]|preferibil[ei]|titolo preferenziale|mile widzian[ea]|dodatkowym atutem|"
    r"meriterande|meriterar|\bär ett plus\b|\bgärna\b|"
    r"加分|优先|優先|歓迎|尚可",
)
_REQUIRED = Caseless(
    r"requir|must|minimum|qualifications|what you(?:'ll)? (?:bring|have|need)|you (?:have|bring)|about you|"
    r"who you are|looking for|skills|experience|expertise|anforderungen|dein profil|ihr profil|qualifikation|"
    r"voraussetzung|requisitos|requisiti|exigences|profil recherch|compétences|wymagania|oczekujemy|vereisten|"
    r"functie-eisen|krav|kvalifikationer|vi söker dig som|din profil|要求|任职|必須",
)
# Lines that name companies or application material, not skills.
_NOT_SKILLS = Caseless(
    r"investors?|backed by|backing of|used by|trusted by|customers include|clients include|\bprofile\b|portfolio|"
    r"r[ée]sum[ée]|\bcv\b|cover letter",
)
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+\S.*|\*\*[^*]{2,80}\*\*:?|__[^_]{2,80}__:?|[^\s*\-•][^:]{1,60}:)\s*$")
_CLAUSE = re.compile(r"[;()]|\.\s|\s[-–—]\s")
_URL = re.compile(r"https?://\S+|\bwww\.\S+|\S+@\S+\.\w+")
# How an everyday word such as "Rust" or "Excel" shows it names a tool: a cue before it,
# or a list it shares with another technology ("Python or Rust", "Word, Excel").
_TOOL_CUE = re.compile(
    r"(?:\blike|\be\.g\.?|\bsuch as|\bincluding|\bwith|\busing|\bin|\bwie|z\.\s?b\.|\bmit|\bim|\bcomo|\bcon|"
    r"\bavec|\bcomme|\btipo|\bem|\bde|\bdi|\bmet|\bzoals|\bnp\.|\bjak|\bw|kenntnisse|conhecimento|manejo|"
    r"conocimientos?|connaissances?|maîtrise|conoscenza|znajomość)[\s*_`:]+$",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(r"[\s*_`]*(?:,|/|&|\band\b|\bor\b)[\s*_`]*(?:(?:and|or)[\s*_`]+)?", re.IGNORECASE)


@dataclass(frozen=True)
class _Matcher:
    automaton: Any  # ahocorasick.Automaton over every case-folded spelling -> (spelling, ...)


@functools.cache
def _matcher() -> _Matcher:
    """An Aho-Corasick automaton over every spelling of the vocabulary (pyahocorasick): one pass per line."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    by_key: dict[str, list[Spelling]] = {}
    for spelling in canonical.vocabulary().spellings:
        by_key.setdefault(spelling.written.casefold(), []).append(spelling)
    for key, spellings in by_key.items():
        automaton.add_word(key, (key, tuple(spellings)))
    automaton.make_automaton()
    return _Matcher(automaton)


_BEFORE = re.compile(r"[\w+#.@&-]")
_AFTER = re.compile(r"[\w+#&-]|\.\w")


def _found(prose: str) -> list[tuple[Spelling, int, int]]:
    """Each spelling the line writes as words of its own, longest first where two overlap, in order.

    An everyday word ("Go", "Rust", "Word") counts only as written; any other name in any case.
    """
    # Case-folding may lengthen a character ("ß" is "ss"): keep where each folded character came from.
    # A text whose length folding keeps (nearly every one) has each character where it was.
    folded = prose.casefold()
    if len(folded) == len(prose):
        origin: Sequence[int] = range(len(prose) + 1)
    else:
        folded_chars = [(folded, index) for index, char in enumerate(prose) for folded in char.casefold()]
        folded = "".join(char for char, _ in folded_chars)
        origin = [index for _, index in folded_chars] + [len(prose)]
    candidates = []
    for last, (key, spellings) in _matcher().automaton.iter(folded):
        start, end = origin[last - len(key) + 1], origin[last] + 1
        if (start and _BEFORE.match(prose[start - 1])) or _AFTER.match(prose[end : end + 2]):
            continue
        written = prose[start:end]
        spelling = next((s for s in spellings if not s.ordinary_word or s.written == written), None)
        if spelling is not None:
            candidates.append((spelling, start, end))
    candidates.sort(key=lambda item: (item[1], -(item[2] - item[1])))
    kept: list[tuple[Spelling, int, int]] = []
    for candidate in candidates:
        if not kept or candidate[1] >= kept[-1][2]:
            kept.append(candidate)
    return kept


def _technologies(line: str) -> list[tuple[str, int, int]]:
    """The canonical name of each technology the line names, where it first writes it, in order."""
    prose = blanked(line, _URL)
    matches = _found(prose)
    found: dict[str, tuple[str, int, int]] = {}
    for index, (spelling, start, end) in enumerate(matches):
        if spelling.ordinary_word and not _names_a_tool(prose, matches, index):
            continue
        found.setdefault(spelling.name, (spelling.name, start, end))
    return list(found.values())


def technologies_in_line(line: str) -> list[str]:
    """Canonical names of the technologies one line names, in order, each once."""
    return [name for name, _, _ in _technologies(line)]


def _names_a_tool(prose: str, matches: list[tuple[Spelling, int, int]], index: int) -> bool:
    _, start, end = matches[index]
    if _TOOL_CUE.search(prose[:start]):
        return True
    before = matches[index - 1] if index > 0 else None
    after = matches[index + 1] if index + 1 < len(matches) else None
    return bool(
        (before and _LIST_GAP.fullmatch(prose[before[2] : start]))
        or (after and _LIST_GAP.fullmatch(prose[end : after[1]]))
    )


def _heading_kind(line: str) -> str | None:
    """The kind of a heading line ("preferred", "required" or "other"); None for any other line."""
    if not (_HEADING.match(line) and len(line) <= 100):
        return None
    if _PREFERRED.search(line):
        return "preferred"
    return "required" if _REQUIRED.search(line) else "other"


@dataclass(frozen=True)
class Skills:
    required: list[Found[str]]
    preferred: list[Found[str]]


# How firmly one mention places a technology; the firmest mention decides.
_NEUTRAL, _PREFERRED_MENTION, _REQUIRED_MENTION = 1, 2, 3


def _clauses(line: str) -> list[tuple[int, str]]:
    """The clauses of a line with the index each starts at."""
    starts = [0, *(match.end() for match in _CLAUSE.finditer(line))]
    ends = [*(match.start() for match in _CLAUSE.finditer(line)), len(line)]
    return [(start, line[start:end]) for start, end in zip(starts, ends, strict=True)]


def match_starts(pattern: Caseless, text: str) -> list[int]:
    """Where each match of ``pattern`` in the text starts, in order."""
    return [match.start() for match in pattern.finditer(text)]


def starts_within(starts: list[int], start: int, end: int) -> bool:
    """Whether one of the sorted ``starts`` lies in ``[start, end)``."""
    index = bisect.bisect_left(starts, start)
    return index < len(starts) and starts[index] < end


def find_skills(text: str) -> Skills:
    """The technologies a posting names, split into required and preferred, each where the text first names it.

    A mention in a requirements section counts most, then one the posting calls a plus
    (by its section or its own clause), then any other mention, which reads as required.
    """
    strength: dict[str, int] = {}
    first: dict[str, Span] = {}
    section = "other"
    # One pass of each pattern over the text, not one per line or clause: no match of either holds a
    # line or clause break, so a line or clause holds a match exactly when one starts in it.
    not_skills, preferred = match_starts(_NOT_SKILLS, text), match_starts(_PREFERRED, text)
    for line_start, line in lines(text):
        section = _heading_kind(line) or section
        if starts_within(not_skills, line_start, line_start + len(line)):
            continue
        for clause_start, clause in _clauses(line):
            at = line_start + clause_start
            if section == "preferred" or starts_within(preferred, at, at + len(clause)):
                level = _PREFERRED_MENTION
            else:
                level = _REQUIRED_MENTION if section == "required" else _NEUTRAL
            for name, start, end in _technologies(clause):
                strength[name] = max(strength.get(name, 0), level)
                first.setdefault(name, Span.of(text, at + start, at + end))
    return Skills(
        required=[Found(name, (first[name],)) for name, level in strength.items() if level != _PREFERRED_MENTION],
        preferred=[Found(name, (first[name],)) for name, level in strength.items() if level == _PREFERRED_MENTION],
    )
