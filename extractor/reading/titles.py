"""Titles as postings state them: a "Title:" label, a role before a gender marker, a header
field, a short first line, a list item; and whether a phrase names a role at all, in the
languages of ``words``."""

from __future__ import annotations

import re

from extractor._canonical import clean_title
from extractor.reading import words
from extractor.reading.matching import Caseless
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
# The words before a role in a sentence end at its article ("wir suchen ... einen engagierten KFZ-Mechatroniker"),
# written in lower case: a title in capitals keeps its own ("CHARGÉS DES VENTES").
_ARTICLE = re.compile(r"\b(?:einen|eine|einer|ein|den|die|der|das|un|une|des|deux|a|an|the|el|la|los|las|una|um|uma|"
                      r"een|het|il|lo|gli|le)\s+")
_BULLET = re.compile(r"^\s*(?:[-*]\s+|[•·]\s*|\d+[.)]\s+)(?P<item>.+)$", re.MULTILINE)  # "•" is often glued on
# Where a list item's or a sentence's role ends: a dash, a bar, a colon, brackets, or a clause.
# Where a role ends in a sentence ("a Contador Auditor con al menos cinco años ..."), and in a list item
# ("Senior AI Engineer — LLM engineering", "Engineer ($190k-280k)") also at a dash, a colon or brackets.
CLAUSE_END = re.compile(
    r"\s+(?:with|con|mit|avec|com|met|por|for|para|pour|per|z|in|im|à|at|bei|chez|till|för|hos)\s+", re.IGNORECASE
)
_ITEM_END = re.compile(rf"\s+[-–—|]\s+|:|\s*[(\[]|{CLAUSE_END.pattern}", re.IGNORECASE)
_LEADING_WORDS = re.compile(
    r"^(?:(?:a|an|the|un|une|des|deux|einen|eine|ein|den|die|der|el|la|los|las|un[oa]?|uma?|o|il|lo|een|de|het|"
    r"engagierten?|experienced|erfahrenen?|qualified)\s+)+",
    re.IGNORECASE,
)
_CJK_HIRING = re.compile(r"^(?:招聘|诚聘|急招|招)\s*")
_LIST_MARK = re.compile(r"^(?:\W*\d{1,2}[.)]\s+|[\s•·*-]+)")  # "1. Tax Associate", "=== 2) Paralegal", "·Nurse"
_WANTED = re.compile(r"\s+(?:wanted|gesucht|recherch[ée]e?s?|se busca|sökes)\b.*$", re.IGNORECASE)


def role_part(candidate: str, end: re.Pattern[str] = _ITEM_END) -> str:
    """The role a candidate names, without what follows it, leading articles or decoration."""
    role = _LIST_MARK.sub("", HIRING.sub("", candidate))
    role = end.split(clean_title(_WANTED.sub("", _CJK_HIRING.sub("", role))), maxsplit=1)[0]
    return _LEADING_WORDS.sub("", role).strip(" -|:–*#.,")


# A title is a name, not a sentence: no sentence mark at its end ("Esperienza nella saldatura;", "Masz doświadczenie
# w spawaniu?"), and a few words (the longest title of the tune cases, brackets aside: 9).
_SENTENCE_END = re.compile(r"(?:[;?!。；？！]|[^\W\d_]{4}\.)$")  # "Sr." and "Inc." end titles, "tecnico." a sentence
_BRACKETED = re.compile(r"[(（\[][^)）\]]*[)）\]]")
MAX_TITLE_WORDS = 9


def ends_as_sentence(candidate: str) -> bool:
    return bool(_SENTENCE_END.search(candidate.strip()))


def reads_as_title(candidate: str) -> bool:
    """The candidate is short enough for a title and does not end as a sentence does."""
    bare = _BRACKETED.sub(" ", candidate).strip()
    return bool(bare) and not ends_as_sentence(bare) and len(bare.split()) <= MAX_TITLE_WORDS


# A sentence that says whom the employer seeks, in the languages of ``words``: the role follows its verb
# ("InterimPlus recherche pour un client deux CHARGÉS DES VENTES", "cerca un Cuoco Capopartita").
_SEEKS = Caseless(
    r"\b(?:seeking|seeks|looking\s+for|hiring|recruiting|sucht|suchen|recherche|recherchons|recrute|recrutons|busca|"
    r"buscamos|necesita|incorporar|procura|procuramos|contrata|zoekt|zoeken|cerca|cerchiamo|ricerca|ricerchiamo|"
    r"seleziona|poszukuje|poszukujemy|szuka|szukamy|söker|rekryterar)\b"
)
_SOUGHT = re.compile(r"[^.;:!?\n(\[]{1,150}")  # the rest of the sentence, up to a gender marker's brackets
_CONNECTOR = re.compile(r"of|de|des|du|di|del|della|do|da|&|and|und|et|y|e|für")
_WORDS_TO_ROLE = 12  # the role comes soon after its verb; a role noun further on belongs to another clause


def _capitalized(word: str) -> bool:
    return word[:1].isupper()


def _sought_role(sentence: str) -> str | None:
    """The role a seeking sentence names: its first job noun with the words around it written in the same case."""
    tokens = sentence.split()
    noun = next((i for i, token in enumerate(tokens[:_WORDS_TO_ROLE]) if names_a_role(token.strip(",'’\"*"))), None)
    if noun is None:
        return None
    capitalized = _capitalized(tokens[noun])
    start = noun
    while start > 0 and _capitalized(before := tokens[start - 1]) == capitalized and not before.endswith(","):
        if _ARTICLE.fullmatch(f"{before} "):
            break
        start -= 1
    end = noun + 1
    while capitalized and end < len(tokens) and not tokens[end - 1].endswith(","):
        if _capitalized(tokens[end]):
            end += 1
        elif end + 1 < len(tokens) and _CONNECTOR.fullmatch(tokens[end]) and _capitalized(tokens[end + 1]):
            end += 2
        else:
            break
    return " ".join(tokens[start:end])


def sought_roles(text: str) -> list[str]:
    """The roles the text's seeking sentences name ("Trattoria Sole cerca un Cuoco Capopartita motivato")."""
    roles = []
    for verb in _SEEKS.finditer(text):
        sentence = _SOUGHT.match(text, verb.end())
        if sentence and (role := _sought_role(sentence.group())):
            roles.append(role)
    return roles


def stated_titles(text: str) -> list[str]:
    """Titles a posting states where postings state them, most telling first: a "Title:" label, a
    role before a gender marker, a header field, a short first line or heading, a list item."""
    candidates = [match["title"] for match in _TITLE_LABEL.finditer(text)]
    if _HAS_MARKER.search(text):
        candidates += [_ARTICLE.split(match["title"])[-1] for match in _MARKED_ROLE.finditer(text)]
    candidates += header_fields(text)
    candidates += [line for line in text.splitlines()[:3] if 0 < len(line.strip(" #*")) <= 90]
    candidates += sought_roles(text)
    candidates += [match["item"] for match in _BULLET.finditer(text)]
    titles = []
    for candidate in candidates:
        title = role_part(candidate)
        if title and reads_as_title(title) and names_a_role(title) and not stated_places(title) and title not in titles:
            titles.append(title)
    return titles
