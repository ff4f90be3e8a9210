"""Titles as postings state them: a "Title:" label, a role before a gender marker, a header
field, a short first line, a list item; and whether a phrase names a role at all, in the
languages of ``words``."""

from __future__ import annotations

import re

from extractor._canonical import clean_title
from extractor.reading import words
from extractor.reading.places import header_fields, stated_places

HIRING = re.compile(r"^\s*(?:we(?:'re| are) hiring|now hiring|hiring|(?:vi\s+)?söker)\s*:?\s+", re.IGNORECASE)

# A noun as a whole word, or a stem with the endings of a person ("develop" -> "developer",
# "pharmac" -> "pharmacist", "administrat" -> "administrator"), never of a field ("Engineering").
_ROLE_NOUN = re.compile(
    rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, words.ROLE_NOUNS))})(?:e?s|ers?|ors?|ists?)?(?![^\W\d_])"
)


def names_a_role(title: str) -> bool:
    """The title holds a job noun in one of ``words``' languages ("Pflegefachkraft", "Plongeur", "后端工程师").

    English nouns count as whole words ("Engineering" is a department, not a role); the others
    also inside a word, as German, Dutch and Polish titles are compounds.
    """
    folded = title.casefold()
    return bool(_ROLE_NOUN.search(folded)) or any(stem in folded for stem in words.ROLE_STEMS)


_TITLE_LABEL = re.compile(
    r"^\W*(?:job\s*title|position(?:\s+title)?|role|title|poste|intitulé(?:\s+du\s+poste)?|stelle|"
    r"stellenbezeichnung|puesto|cargo|vaga|functie|posizione|ruolo|stanowisko|tjänst|befattning|yrkesroll|"
    r"职位(?:名称)?|岗位(?:名称)?|職種)"
    r"\W*[:：]\s*(?P<title>[^\n]{2,90})$",
    re.IGNORECASE | re.MULTILINE,
)
# A role named right before a gender marker ("einen engagierten KFZ-Mechatroniker (m/w/d)").
_MARKER_START = r"[(\[]\s*(?:[mwfdhx]|div)\s*[/|,]"
_MARKED_ROLE = re.compile(rf"(?P<title>[^\W\d_][\w/&.'’-]*(?:[ \t]+[\w/&.'’-]+){{0,5}})\s*{_MARKER_START}", re.IGNORECASE)
# The marker alone: tried at every letter, the whole pattern takes milliseconds on a text that has none.
_HAS_MARKER = re.compile(_MARKER_START, re.IGNORECASE)
# The words before a role in a sentence end at its article ("wir suchen ... einen engagierten KFZ-Mechatroniker").
_ARTICLE = re.compile(r"\b(?:einen|eine|einer|ein|den|die|der|das|un|une|des|deux|a|an|the|el|la|los|las|una|um|uma|"
                      r"een|het|il|lo|gli|le)\s+", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+(?P<item>.+)$", re.MULTILINE)
# Where a list item's or a sentence's role ends: a dash, a colon, brackets, or a clause.
# Where a role ends in a sentence ("a Contador Auditor con al menos cinco años ..."), and in a list item
# ("Senior AI Engineer — LLM engineering", "Engineer ($190k-280k)") also at a dash, a colon or brackets.
CLAUSE_END = re.compile(
    r"\s+(?:with|con|mit|avec|com|met|por|for|para|pour|per|z|in|à|at|bei|chez|till|för|hos)\s+", re.IGNORECASE
)
_ITEM_END = re.compile(rf"\s+[-–—]\s+|:|\s*[(\[]|{CLAUSE_END.pattern}", re.IGNORECASE)
_LEADING_WORDS = re.compile(
    r"^(?:(?:a|an|the|un|une|des|deux|einen|eine|ein|den|die|der|el|la|los|las|un[oa]?|uma?|o|il|lo|een|de|het|"
    r"engagierten?|experienced|erfahrenen?|qualified)\s+)+",
    re.IGNORECASE,
)
_CJK_HIRING = re.compile(r"^(?:招聘|诚聘|急招|招)\s*")
_WANTED = re.compile(r"\s+(?:wanted|gesucht|recherch[ée]e?s?|se busca|sökes)\b.*$", re.IGNORECASE)


def role_part(candidate: str, end: re.Pattern[str] = _ITEM_END) -> str:
    """The role a candidate names, without what follows it, leading articles or decoration."""
    role = end.split(clean_title(_WANTED.sub("", _CJK_HIRING.sub("", HIRING.sub("", candidate)))), maxsplit=1)[0]
    return _LEADING_WORDS.sub("", role).strip(" -|:–*#.,")


def stated_titles(text: str) -> list[str]:
    """Titles a posting states where postings state them, most telling first: a "Title:" label, a
    role before a gender marker, a header field, a short first line or heading, a list item."""
    candidates = [match["title"] for match in _TITLE_LABEL.finditer(text)]
    if _HAS_MARKER.search(text):
        candidates += [_ARTICLE.split(match["title"])[-1] for match in _MARKED_ROLE.finditer(text)]
    candidates += header_fields(text)
    candidates += [line for line in text.splitlines()[:3] if 0 < len(line.strip(" #*")) <= 90]
    candidates += [match["item"] for match in _BULLET.finditer(text)]
    titles = []
    for candidate in candidates:
        title = role_part(candidate)
        if title and len(title) <= 90 and names_a_role(title) and not stated_places(title) and title not in titles:
            titles.append(title)
    return titles
