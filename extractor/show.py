"""One self-contained HTML page that shows where a record came from.

The posting's cleaned text with each field's spans highlighted in the field's own colour,
the record beside it, and every value the text does not state in so many words marked.
No script and no outside resource: the page opens anywhere, offline, and can be attached
to a review.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence

from extractor.evidence import FIELDS, Evidence

# One colour per field, light enough to read black text on.
COLOURS = dict(zip(FIELDS, (
    "#ffd166", "#a0e7e5", "#b4f8c8", "#ffe5a0", "#ffaebc", "#cdb4db", "#90dbf4", "#f1c0e8", "#d9d2ff", "#c7f464",
    "#fcbf85", "#98f5e1", "#ffcfd2",
), strict=True))  # fmt: skip

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d1d1f; }
header { padding: 12px 20px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 18px; margin: 0; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; padding: 20px; }
pre { white-space: pre-wrap; word-wrap: break-word; font: 14px/1.55 ui-monospace, monospace; margin: 0; }
mark { border-radius: 3px; padding: 0 1px; color: inherit; }
table { border-collapse: collapse; width: 100%; font-size: 14px; table-layout: fixed; }
th:first-child { width: 11em; } td { overflow-wrap: anywhere; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #eee; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; }
.unsupported { color: #b00020; font-weight: 600; }
.note { color: #666; font-size: 13px; }
"""


def _segments(text: str, evidence: Sequence[Evidence]) -> list[tuple[str, list[str]]]:
    """The text cut at every span edge, each piece with the fields whose spans cover it."""
    edges = {0, len(text)}
    for item in evidence:
        for span in item.spans:
            edges |= {span.start, span.end}
    cuts = sorted(edges)
    pieces = []
    for start, end in itertools.pairwise(cuts):
        fields = list(dict.fromkeys(
            item.field for item in evidence for span in item.spans if span.start <= start and end <= span.end
        ))  # fmt: skip
        pieces.append((text[start:end], fields))
    return pieces


def _highlighted(text: str, evidence: Sequence[Evidence]) -> str:
    out = []
    for piece, fields in _segments(text, evidence):
        if not fields:
            out.append(html.escape(piece))
            continue
        names = " ".join(fields)
        out.append(f'<mark data-fields="{names}" title="{names}" style="background:{COLOURS[fields[0]]}">'
                   f"{html.escape(piece)}</mark>")  # fmt: skip
    return "".join(out)


def _record_rows(evidence: Sequence[Evidence]) -> str:
    rows = []
    for item in evidence:
        quotes = "; ".join(f"“{span.quote}”" for span in item.spans)
        where = (f'<span class="note">{html.escape(quotes)}</span>' if item.supported
                 else '<span class="unsupported" data-unsupported="true">not stated in the text</span>')  # fmt: skip
        rows.append(
            f'<tr data-field="{item.field}"><th><span class="swatch" style="background:{COLOURS[item.field]}"></span>'
            f"{item.field}</th><td>{html.escape(item.value)}</td><td>{where}</td></tr>"
        )
    return "\n".join(rows)


def render_page(text: str, evidence: Sequence[Evidence], *, source: str) -> str:
    """The page: ``text`` (the cleaned text the spans point into) highlighted, the record's values beside it."""
    unsupported = sum(not item.supported for item in evidence)
    summary = f"{len(evidence)} values, {unsupported} not stated in the text" if unsupported else f"{len(evidence)} values, each quoted"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>extractor: {html.escape(source)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header><h1>{html.escape(source)}</h1><div class="note">{summary}</div></header>
<main>
<section><pre id="text">{_highlighted(text, evidence)}</pre></section>
<section><table id="record"><thead><tr><th>field</th><th>value</th><th>where the text says so</th></tr></thead>
<tbody>
{_record_rows(evidence)}
</tbody></table></section>
</main>
</body>
</html>
"""
