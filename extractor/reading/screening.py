"""Tell a job seeker's post from a job posting by rule, before any model call.

Small models answer "is this a job posting?" by position, not by reading: measured on
the embedded model, they called a job seeker's post a posting and a posting a seeker's
post. A job seeker writes in a recognisable register ("SEEKING WORK", "I'm looking for
my next role", "Résumé: ..."), and a posting in another ("we're hiring", "you will",
"apply"); weighing the two catches the common case and costs nothing. The model's own
verdict (``is_job_posting``) still applies after the call, for what rules cannot see.
"""

from __future__ import annotations

import re

from extractor.reading.matching import Caseless

_SEEKER = [
    Caseless(p, re.MULTILINE)
    for p in (
        r"\bseeking\s+(?:work|employment|freelance|contract|a\s+(?:new\s+)?(?:job|role|position))\b",
        r"\b(?:i\s*(?:'m|am)|i've\s+been)\s+(?:currently\s+|actively\s+)?(?:looking|searching|seeking)\s+for\b",
        r"\b(?:i\s*(?:'m|am))\s+(?:currently\s+|actively\s+)?(?:available|open)\s+(?:for|to)\s+"
        r"(?:hire|work|new\s+(?:roles|opportunities)|(?:full[- ]time|part[- ]time|contract|freelance))",
        r"\bhire\s+me\b",
        r"\bmy\s+(?:r[ée]sum[ée]|cv|portfolio)\b",
        r"^\s*(?:r[ée]sum[ée]|cv)\s*[:/]",
        r"\bwilling\s+to\s+relocate\s*:",
        r"\bfreelancer\s+like\s+me\b|\bbook\s+a\s+call\s+with\s+me\b|\bopen\s+to\s+work\b",
        r"\bbusco\s+(?:trabajo|empleo)\b|\bprocuro\s+(?:emprego|trabalho)\b|\bszukam\s+pracy\b|"
        r"\bà\s+la\s+recherche\s+d'un\s+(?:emploi|poste)\b|\bsuche\s+(?:eine\s+)?(?:neue\s+)?(?:stelle|arbeit|job)\b",
        # The first person seeking, in the readers' other languages ("je recherche une alternance", "ich suche").
        r"\bje\s+(?:suis\s+(?:à\s+la\s+recherche|disponible)|recherche|cherche)\b|\bich\s+(?:suche|bin\s+auf\s+der\s+suche)\b|"
        r"\b(?:busco|estoy\s+buscando|procuro|estou\s+(?:procurando|buscando)|cerco|sto\s+cercando|szukam)\b|"
        r"\bik\s+(?:zoek|ben\s+op\s+zoek)\b|\bjag\s+söker\b|我在找|找工作|求职",
        r"\b(?:mon|mein(?:en)?|mi|meu|il\s+mio|mijn|moje|mitt)\s+(?:cv|lebenslauf|curr[íi]cul[oou]m?|portfolio|portafolio|"
        r"portfólio)\b|我的简历",
    )
]
_HIRING = [
    Caseless(p, re.MULTILINE)
    for p in (
        r"\bwe(?:'re|\s+are)\s+(?:actively\s+)?(?:hiring|looking\s+for|seeking|growing)\b",
        r"\bis\s+hiring\b|\bhiring\s*[:|]|\bnow\s+hiring\b",
        r"\bjoin\s+(?:us|our\s+team|the\s+team)\b",
        r"\byou(?:'ll|\s+will)\b",
        r"\b(?:responsibilities|requirements|qualifications|what\s+you(?:'ll)?\s+(?:do|bring|have))\b",
        r"\bto\s+apply\b|\bapply\s+(?:here|now|at|via|through|online)\b|^\s*apply\s*[:/]",
        r"\b(?:the|this)\s+(?:role|position)\b",
        r"\bcandidates?\b",
    )
]


def _signals(patterns: list[Caseless], text: str) -> int:
    return sum(1 for pattern in patterns if pattern.search(text))


def is_job_seeker_post(text: str) -> bool:
    """True when the text reads as a person asking to be hired rather than someone hiring."""
    seeker = _signals(_SEEKER, text)
    # The hiring side in every language the evidence below knows: a recruiter writes "ich suche für meinen Kunden".
    return seeker > 0 and seeker >= max(_signals(_HIRING, text), _signals(list(_EVIDENCE.values()), text))


# What a job posting shows, in the languages of ``extractor.reading.words``: each kind of evidence once.
_EVIDENCE = {
    "hiring": Caseless(
        r"\bwe(?:'re|\s+are)\s+(?:actively\s+)?(?:hiring|looking|seeking|recruiting)|\bis\s+hiring\b|\bnow\s+hiring\b|"
        r"\bhiring\s*[:|]|\bhiring\b.{0,40}\b(?:engineers?|developers?|roles?|positions?)\b|\blooking\s+for\b|"
        r"\bjoin\s+(?:us|our|the)\b|\bopen\s+(?:roles|positions)\b|\bvacanc(?:y|ies)\b|\bjob\s+(?:openings?|title|code)\b|"
        r"\b(?:is|are)\s+seeking\b|\bseeks\b|\bsucht\b|\brecruitment\s+consultant\b|\bwanted\b|\bgesucht\b|"
        r"\bwir\s+suchen\b|\bsuchen\s+wir\b|\bstellenangebot|\bverstärkung\b|\bnous\s+recherchons\b|\brecrute\b|"
        r"\brecherche\s+(?:un|une|des|pour)\b|\bposte\s+à\s+pourvoir|\brejoignez\b|\bbuscamos\b|\bse\s+busca\b|"
        r"\bse\s+solicita\b|\brequiere\b|\bvacante\b|\búnete\b|\bprocuramos\b|\bcontratando\b|\bvaga\b|"
        r"\bwij\s+zoeken\b|\bzoeken\s+wij\b|\bvacature\b|\bcerchiamo\b|\bricerca\b|\bsi\s+ricerca\b|"
        r"\bposzukujemy\b|\bszukamy\b|\boferta\s+pracy\b|\bpracowników\b|\bvi\s+söker\b|\bsöker\s+vi\b|"
        r"\brekryterar\b|\bledig\s+tjänst|招聘|诚聘|招人|岗位|職位|职位|募集|求人|"
        # A recruiter, for a client ("ich suche für meinen Kunden", "je recherche pour un client").
        r"\bfür\s+(?:meinen|unseren|einen)\s+kunden\b|\bpour\s+(?:un|mon|notre)\s+client\b|"
        r"\bpara\s+(?:un|mi|nuestro|um|o)\s+cliente\b|\bper\s+(?:un|il)\s+(?:nostro\s+)?cliente\b|\bvoor\s+(?:een|onze)\s+klant\b",
    ),
    "duties": Caseless(
        r"\b(?:responsibilities|requirements|qualifications|what\s+you(?:'ll)?\s+(?:do|bring|have|need)|you\s+will|"
        r"your\s+role|the\s+role|about\s+you|we\s+offer|aufgaben|anforderungen|ihr\s+profil|dein\s+profil|"
        r"qualifikation|wir\s+bieten|missions?|profil\s+recherché|nous\s+(?:offrons|proposons)|requisitos|funciones|"
        r"responsabilidades|ofrecemos|atribuições|oferecemos|taken|functie-eisen|wij\s+bieden|requisiti|mansioni|"
        r"offriamo|wymagania|obowiązki|zadania|oferujemy|oczekujemy|będziesz|arbetsuppgifter|kvalifikationer|"
        r"vi\s+erbjuder|du\s+kommer\s+att|ansvarsområden?)\b|岗位职责|任职要求|职责|要求|待遇|"
        r"仕事内容|応募資格",
    ),
    "apply": Caseless(
        r"\bapply\b|\bapplication\b|\bsend\s+(?:us\s+|your\s+)?(?:an?\s+)?(?:cv|resume|résumé)\b|\bbewerb|\bpostuler\b|\bcandidature\b|\bpostula|\benvía\s+(?:tu\s+)?(?:cv|hoja)|"
        r"\bcandidat(?:ar|e-se|ati)\b|\benvie\s+(?:seu\s+)?currículo|\bsollicit|\binvia\s+(?:il\s+)?cv|\baplikuj\b|"
        r"\bansök|"
        r"投递|简历|応募",
    ),
}


# Pay words a freelancer or a news story uses as often as a posting ("my rates", "earn").
_LOOSE_PAY_WORDS = {"rate", "earn", "pay", "net", "gross"}


def offers_a_job(text: str) -> bool:
    """True when the text shows any evidence of a job on offer: pay, the job's work or employment
    type, hiring words, duties or requirements, or how to apply.

    A news story about hiring or a comment in a hiring thread shows none; a posting,
    however short, names at least one (measured on the tune cases: a threshold of two
    turned away real postings that were short, none of the near-misses needed it).
    """
    # Imported here: the readers are heavier than the seeker screen.
    from extractor.reading import kinds
    from extractor.reading.matching import any_mentioned
    from extractor.reading.money import PAY_WORDS, pay_mentions

    # Pay first: the readers read it after the model call anyway (once per text), so it costs nothing here.
    # Stated, or at least talked about (a masked "****K basic salary" is still an offer).
    if pay_mentions(text) or any_mentioned(text, tuple(word for word in PAY_WORDS if word not in _LOOSE_PAY_WORDS)):
        return True
    return bool(kinds.workplace_type(text) or kinds.employment_type(text)) or any(
        pattern.search(text) for pattern in _EVIDENCE.values()
    )
