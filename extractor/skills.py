"""Find the technologies a posting names, and whether it requires or prefers each.

A small model fills skill lists with sentence fragments, placeholder words and the
headings of the posting; the vocabulary (``technologies.txt``) read against the text does
better. A technology counts as preferred when the posting says so where it names it: in a
"Nice to have" / "Bonus" section, or in a clause that calls it a plus; a mention in a
requirements section makes it required, and so does any other mention unless the posting
also calls it a plus (a header's tag list names everything). Pure functions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from extractor import canonical
from extractor.canonical import Spelling

_PREFERRED = re.compile(
    r"nice[- ]to[- ]haves?|bonus|preferred|preferable|\ba (?:big |huge |strong )?plus\b|\bpluses\b|desirable|"
    r"\bdesired\b|ideally|would be (?:great|nice|helpful|an advantage)|advantage(?:ous)?|extra credit|not required|"
    r"optional",
    re.IGNORECASE,
)
_REQUIRED = re.compile(
    r"requir|must|minimum|qualifications|what you(?:'ll)? (?:bring|have|need)|you (?:have|bring)|about you|"
    r"who you are|looking for|skills|experience|expertise",
    re.IGNORECASE,
)
# Lines that name companies or application material, not skills.
_NOT_SKILLS = re.compile(
    r"investors?|backed by|backing of|used by|trusted by|customers include|clients include|\bprofile\b|portfolio|"
    r"r[ée]sum[ée]|\bcv\b|cover letter",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+\S.*|\*\*[^*]{2,80}\*\*:?|__[^_]{2,80}__:?|[^\s*\-•][^:]{1,60}:)\s*$")
_CLAUSE = re.compile(r"[;()]|\.\s|\s[-–—]\s")
_URL = re.compile(r"https?://\S+|\bwww\.\S+|\S+@\S+\.\w+")
# How an everyday word such as "Rust" or "Excel" shows it names a tool: a cue before it,
# or a list it shares with another technology ("Python or Rust", "Word, Excel").
_TOOL_CUE = re.compile(r"(?:\blike|\be\.g\.?|\bsuch as|\bincluding|\bwith|\busing|\bin)[\s*_`]+$", re.IGNORECASE)
_LIST_GAP = re.compile(r"[\s*_`]*(?:,|/|&|\band\b|\bor\b)[\s*_`]*(?:(?:and|or)[\s*_`]+)?", re.IGNORECASE)


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]  # every spelling, longest first, any case
    as_written: dict[str, Spelling]  # everyday words, matched only as written ("Go", "Rust")
    any_case: dict[str, Spelling]  # the others, by case-folded spelling


def _trie_alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (any case), longest first, as a trie: "Java(?:Script)?".

    re tries a plain alternation's hundreds of branches at every position; the trie tries
    the few that share the next character, eight times faster, and matches the same.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word is tried first

    return pattern(trie)


@functools.cache
def _matcher() -> _Matcher:
    spellings = canonical.vocabulary().spellings
    alternation = _trie_alternation(s.written for s in spellings)
    pattern = re.compile(rf"(?<![\w+#.@&-])(?:{alternation})(?![\w+#&-]|\.\w)", re.IGNORECASE)
    as_written: dict[str, Spelling] = {}
    any_case: dict[str, Spelling] = {}
    for spelling in spellings:
        if spelling.ordinary_word:
            as_written.setdefault(spelling.written, spelling)
        else:
            any_case.setdefault(spelling.written.casefold(), spelling)
    return _Matcher(pattern, as_written, any_case)


def technologies_in_line(line: str) -> list[str]:
    """Canonical names of the technologies one line names, in order, each once."""
    matcher = _matcher()
    prose = _URL.sub(" ", line)
    matches = []
    for match in matcher.pattern.finditer(prose):
        spelling = matcher.as_written.get(match.group()) or matcher.any_case.get(match.group().casefold())
        if spelling is not None:
            matches.append((spelling, match.start(), match.end()))
    names: list[str] = []
    for index, (spelling, start, end) in enumerate(matches):
        if spelling.ordinary_word and not _names_a_tool(prose, matches, index):
            continue
        if spelling.name not in names:
            names.append(spelling.name)
    return names


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
    required: list[str]
    preferred: list[str]


# How firmly one mention places a technology; the firmest mention decides.
_NEUTRAL, _PREFERRED_MENTION, _REQUIRED_MENTION = 1, 2, 3


def find_skills(text: str) -> Skills:
    """The technologies a posting names, split into required and preferred.

    A mention in a requirements section counts most, then one the posting calls a plus
    (by its section or its own clause), then any other mention, which reads as required.
    """
    strength: dict[str, int] = {}
    section = "other"
    for line in text.splitlines():
        section = _heading_kind(line) or section
        if _NOT_SKILLS.search(line):
            continue
        for clause in _CLAUSE.split(line):
            if section == "preferred" or _PREFERRED.search(clause):
                level = _PREFERRED_MENTION
            else:
                level = _REQUIRED_MENTION if section == "required" else _NEUTRAL
            for name in technologies_in_line(clause):
                strength[name] = max(strength.get(name, 0), level)
    return Skills(
        required=[name for name, level in strength.items() if level != _PREFERRED_MENTION],
        preferred=[name for name, level in strength.items() if level == _PREFERRED_MENTION],
    )
