"""The employer a posting names, by the ways postings name their own company (in the readers' languages).

A name is a run of up to four capitalised words: after a "Company:" label, as the heading of its
"About ..." section, before "is an equal opportunity employer", after "At ..., we" or "Join ...",
or before "is hiring". The first ways name an organisation by construction; a hiring verb's
subject can be a place ("Berlin sucht"). How each weighs against the model's company is the
reconciliation's (``extractor.reconcile.grounding.ground``).
"""

from __future__ import annotations

import re
from collections import Counter

from extractor import _canonical as canonical
from extractor.reading.geography import is_city_name
from extractor.reading.matching import Found, Span

# A name as postings write one: capitalised words (an initial capital or a digit: "37signals"),
# joined by spaces, "&" or "-".
_NAME = r"(?P<name>[^\W\d_a-z][\w&.'’+-]*(?:[ ](?:&[ ])?[^\W_a-z][\w&.'’+-]*){0,3})"
_CUES = [
    # "Company: Acme", "Arbeitgeber: Acme GmbH", "Entreprise : Acme"
    re.compile(
        r"^\W*(?i:company|employer|organi[sz]ation|hiring organi[sz]ation|unternehmen|firma|arbeitgeber|entreprise|"
        r"société|employeur|empresa|empregador|bedrijf|werkgever|organisatie|azienda|datore di lavoro|pracodawca|"
        r"arbetsgivare|företag|公司|企业|会社)\s*[:：]\s*" + _NAME + r"[\W]*$",
        re.MULTILINE,
    ),
    # An "About Acme" heading: the section that describes the employer.
    re.compile(
        r"^\W*(?i:about|über|à propos de|a propos de|acerca de|sobre|over|informazioni su|o firmie|om)\s+"
        + _NAME
        + r"\W*$",
        re.MULTILINE,
    ),
    # "Acme is an equal opportunity employer", "Acme is proud to be an equal opportunity workplace"
    re.compile(_NAME + r",? (?i:is (?:an?|proud to be an?) equal (?:opportunity|employment))"),
    # "At Acme, we", "Join Acme", "Rejoignez Acme", "Únete a Acme", "Werde Teil von Acme", "Dołącz do Acme"
    re.compile(r"(?<!\w)(?i:at|chez|bei|bij)\s+" + _NAME + r",?\s+(?i:we|our|nous|wir|unser\w*|wij|nosotros)\b"),
    re.compile(r"(?<!\w)(?i:join|rejoignez|rejoindre|únete a|werde teil von|kom werken bij|dołącz do|unisciti a)\s+" + _NAME),
]
# "Acme is hiring", "Acme sucht", "Acme cerca": weaker, as a place can be the subject ("Berlin sucht").
# The verb in lower case: a capitalised one after a name is a menu's or a heading's ("... Busca").
_HIRING_SUBJECT = re.compile(
    _NAME + r" (?:is (?:hiring|looking for|seeking)|sucht|recrute|recherche|busca|procura|zoekt|cerca|szuka|söker)\b"
)
# Capitalised words that open a sentence or name no one: "About Us", "Join Our Team", "At The Core".
_NOT_NAMES = re.compile(
    r"^(?i:us|you|the|this|our|we|i|je|ich|yo|eu|ik|io|ja|uns|nous|nosotros|ons|noi|nas|a|an|die|der|das|le|la|"
    r"les|el|los|il|het|de|vi|oss|job|role|position|company|team)\b"
)


def stated_company(text: str, *, by_naming: bool = True, by_hiring_verb: bool = True) -> Found[str] | None:
    """The name the text gives its employer most often by the ways above; ties go to the longer, then the first.

    ``by_naming``: by the ways that name an organisation by construction (a label, an "About"
    heading, the equal-opportunity line, "At ..., we", "Join ..."); ``by_hiring_verb``: as the
    subject of a hiring verb.
    """
    found: dict[str, Span] = {}
    votes: Counter[str] = Counter()
    for cue in [*(_CUES if by_naming else []), *([_HIRING_SUBJECT] if by_hiring_verb else [])]:
        for match in cue.finditer(text):
            name = match["name"].strip(" .,'’-")
            if not name or _NOT_NAMES.match(name) or is_city_name(name):
                continue
            found.setdefault(name, Span.of(text, match.start("name"), match.start("name") + len(name)))
            votes[name] += 1
    if not votes:
        return None
    # A name inside a longer one is the same employer ("Council", "Sunshine Coast Council"): its votes go to the longer.
    for name in list(votes):
        for longer in votes:
            if longer != name and f" {canonical.fold(name)} " in f" {canonical.fold(longer)} ":
                votes[longer] += votes[name]
    best = max(votes, key=lambda name: (votes[name], len(name), -found[name].start))
    return Found(best, (found[best],))
