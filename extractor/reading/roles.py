"""The roles a text offers, when it offers several, each with the part of the text about it.

Texts that offer several roles list them in a few shapes: a list whose items start with a
role ("- Senior AI Engineer: LLMs, $180k", "* Backend Engineer (Go)"), role headings with
their own sections, or one header field naming them all ("Acme | Backend Engineer, Product
Designer | Remote"). A role there is a short phrase that names a job in one of ``words``'
languages, capitalised as titles are. Prose that mentions a job ("you will mentor junior
developers") is no role: it is neither a list item's head nor a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.reading import words
from extractor.reading.matching import Span, has_cjk, lines
from extractor.reading.places import header_fields, stated_places
from extractor.reading.titles import names_a_role, role_part

# A list item, and a heading (Markdown, underlined with "===", bold, or a short line of its own).
_ITEM = re.compile(r"^\s*(?:[-*•·▪◦>]|\d+[.)])\s+(?P<item>\S.*)$")
_HEADING = re.compile(r"^\s*(?:#{1,6}|={2,}|\*\*|__)\s*(?:\d+[.)]\s*)?(?P<heading>[^*_=#].*?)\s*(?:\*\*|__|={2,})?\s*$")
_MARKDOWN = re.compile(r"\[([^\]]*)\]\([^)]*\)|~~|`")  # a link's text, strikethrough, code marks
_PARENTHESES = re.compile(r"\([^)]*\)")
_LIST = re.compile(r"\s*(?:,|;|/|\s\+\s|\s(?:and|&|und|et|y|e)\s)\s*")
_SENTENCE_END = re.compile(r"[.!?。！？]$")
_TRAILING_FIGURES = re.compile(r"(?:\s+\S*\d\S*)+$")
_MAX_WORDS = 7
_SHORT_LINE = 70


@dataclass(frozen=True)
class RoleSection:
    """One role: its title as the text writes it, and the part of the text from it to the next role."""

    title: str
    span: Span
    start: int
    end: int


def _looks_like_a_title(role: str) -> bool:
    """Short, capitalised as titles are (or holding a script without case), naming a job, not a place."""
    first = role[:1]
    return (
        0 < len(role.split()) <= _MAX_WORDS
        and (first.isupper() or first.lower() == first.upper() or has_cjk(role) or not role.split()[0].islower())
        and names_a_role(role)
        and not stated_places(role)
    )


def _ends_with_a_role(role: str) -> bool:
    """The phrase's last word is the job ("Senior Cloud Engineer", "初中计算机教师"; not "sales and customer data")."""
    if has_cjk(role):
        return any(role.endswith(stem) for stem in words.ROLE_STEMS if has_cjk(stem))
    return names_a_role(role.split()[-1].strip("(),.:;"))


def _role(phrase: str) -> str:
    """The role a list item or heading starts with, without the figures after it ("ui设计师 12-20k")."""
    role = role_part(_MARKDOWN.sub(lambda match: match[1] or "", phrase).split(" | ")[0])
    return _TRAILING_FIGURES.sub("", role)


def _struck(phrase: str) -> bool:
    """A role struck through is a role no longer open."""
    return phrase.lstrip("[ ").startswith("~~")


def _headings(text: str) -> list[tuple[str, int]]:
    """Roles that head a section: a heading, or a short line of its own followed by more text."""
    found = []
    written = [(start, line) for start, line in lines(text) if line.strip()]
    for start, line in written[:-1]:
        match = _HEADING.match(line)
        plain = not _ITEM.match(line) and len(line) <= _SHORT_LINE and not _SENTENCE_END.search(line.strip())
        if match or plain:
            phrase = match["heading"] if match else line.strip()
            role = _role(phrase)
            if not _struck(phrase) and _looks_like_a_title(role) and (match or _ends_with_a_role(role)) and (at := line.find(role)) >= 0:
                found.append((role, start + at))
    return found


def _list_items(text: str) -> list[tuple[str, int]]:
    """Roles at the head of list items, from lists whose items are mostly roles (not a list of duties).

    A list of one role counts beside other lists of roles ("Legal" / "- Commercial Counsel").
    """
    blocks: list[list[tuple[str, int, bool] | None]] = [[]]  # (role, where, still open), or None: no role
    for start, line in lines(text):
        if not line.strip():
            continue
        match = _ITEM.match(line)
        if not match:
            blocks.append([])
            continue
        role = _role(match["item"])
        at = line.find(role)
        is_role = _looks_like_a_title(role) and at >= 0
        blocks[-1].append((role, start + at, not _struck(match["item"])) if is_role else None)
    lists = [[item for item in block if item is not None] for block in blocks if block]
    lists = [roles for roles, block in zip(lists, [b for b in blocks if b], strict=True) if 2 * len(roles) >= len(block)]
    if sum(len(roles) for roles in lists) < 2:
        return []
    return [(role, at) for roles in lists for role, at, is_open in roles if is_open]


def _in_header(text: str) -> list[tuple[str, int]]:
    """Roles a header field lists ("Backend Engineer, Product Designer (Remote)")."""
    for field in header_fields(text):
        parts = [part.strip() for part in _LIST.split(_PARENTHESES.sub(" ", field)) if part.strip()]
        roles = [role for part in parts if _looks_like_a_title(role := _role(part))]
        if len(roles) >= 2 and 2 * len(roles) >= len(parts):
            return [(role, at) for role in roles if (at := text.find(role)) >= 0]
    return []


def role_sections(text: str) -> list[RoleSection]:
    """The roles of a text that offers more than one, in text order; [] for a text with one role.

    Roles listed in a header share the whole text; listed roles each own the text up to the next.
    """
    header = _in_header(text)
    found = header or sorted(_list_items(text) + _headings(text), key=lambda item: item[1])
    unique: list[tuple[str, int]] = []
    for role, at in found:
        if role.casefold() not in {seen.casefold() for seen, _ in unique}:
            unique.append((role, at))
    if len(unique) < 2:
        return []
    starts = [0 if header else at for _, at in unique]
    ends = [len(text)] * len(unique) if header else [*starts[1:], len(text)]
    return [
        RoleSection(role, Span.of(text, at, at + len(role)), start, end)
        for (role, at), start, end in zip(unique, starts, ends, strict=True)
    ]
