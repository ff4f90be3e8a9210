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

_SEEKER = [
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        r"\bseeking\s+(?:work|employment|freelance|contract|a\s+(?:new\s+)?(?:job|role|position))\b",
        r"\b(?:i\s*(?:'m|am)|i've\s+been)\s+(?:currently\s+|actively\s+)?(?:looking|searching|seeking)\s+for\b",
        r"\b(?:i\s*(?:'m|am))\s+(?:currently\s+|actively\s+)?(?:available|open)\s+(?:for|to)\s+"
        r"(?:hire|work|new\s+(?:roles|opportunities)|(?:full[- ]time|part[- ]time|contract|freelance))",
        r"\bhire\s+me\b",
        r"\bmy\s+(?:r[ée]sum[ée]|cv|portfolio)\b",
        r"^\s*(?:r[ée]sum[ée]|cv)\s*[:/]",
        r"\bwilling\s+to\s+relocate\s*:",
    )
]
_HIRING = [
    re.compile(p, re.IGNORECASE | re.MULTILINE)
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


def _signals(patterns: list[re.Pattern[str]], text: str) -> int:
    return sum(1 for pattern in patterns if pattern.search(text))


def is_job_seeker_post(text: str) -> bool:
    """True when the text reads as a person asking to be hired rather than someone hiring."""
    seeker = _signals(_SEEKER, text)
    return seeker > 0 and seeker >= _signals(_HIRING, text)
