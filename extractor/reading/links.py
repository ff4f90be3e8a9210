"""The link to apply through."""

from __future__ import annotations

import re

from extractor.reading.matching import Found, Span, lines

_URL = re.compile(r"https?://[^\s<>()\[\]\"'*]+")
_APPLY = re.compile(r"appl(?:y|ication)", re.IGNORECASE)
_JOB_PATH = re.compile(r"/(?:jobs?|apply|careers?|positions?|vacanc(?:y|ies)|openings?)\b", re.IGNORECASE)
_ATS_HOST = re.compile(
    r"greenhouse\.io|lever\.co|ashbyhq\.com|workable\.com|rippling\.com|teamtailor\.com|smartrecruiters\.com|"
    r"myworkdayjobs\.com|bamboohr\.com|recruitee\.com|personio\.|jobvite\.com|icims\.com",
    re.IGNORECASE,
)


def apply_url(text: str) -> Found[str] | None:
    """The link most like an application page: on a line about applying, a job's path, an applicant-tracking host."""
    best: tuple[int, Found[str]] | None = None
    for start, line in lines(text):
        for match in _URL.finditer(line):
            url = match.group().rstrip(".,;:")
            score = 4 * bool(_APPLY.search(line)) + 2 * bool(_JOB_PATH.search(url)) + bool(_ATS_HOST.search(url))
            if score and (best is None or score > best[0]):
                at = start + match.start()
                best = (score, Found(url, (Span.of(text, at, at + len(url)),)))
    return best[1] if best else None
