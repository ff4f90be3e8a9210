"""The date a posting was published, where a line says so."""

from __future__ import annotations

import datetime as dt
import re

from extractor.reading.matching import Caseless, Found, Span, lines

_POSTED = Caseless(r"posted|published|posting date|listed on")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def posted_date(text: str) -> Found[dt.date] | None:
    """An ISO date on a line that says it is the posting's date ("Posted: 2026-02-03")."""
    for start, line in lines(text):
        if _POSTED.search(line) and (match := _ISO_DATE.search(line)):
            try:
                date = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
            return Found(date, (Span.of(text, start + match.start(), start + match.end()),))
    return None
