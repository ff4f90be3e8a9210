"""One self-contained HTML page that shows where a record came from.

The posting's cleaned text with each field's spans highlighted in the field's own colour,
the record beside it, and every value the text does not state in so many words marked.
No script and no outside resource: the page opens anywhere, offline, and can be attached
to a review.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Sequence
from typing import Any

from extractor.reconcile.evidence import FIELDS, Evidence

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
h2 { font-size: 15px; margin: 24px 0 6px; }
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


def _gold_rows(predicted: dict[str, Any], gold: dict[str, Any], scores: dict[str, float]) -> str:
    rows = []
    for name, score in scores.items():
        field, _, part = name.partition(".")
        mine, theirs = predicted.get(field), gold.get(field)
        if part:
            mine, theirs = (mine or {}).get(part), _alternatives_of(theirs, part)
        mark = "" if score >= 1 else ' class="unsupported"'
        rows.append(
            f'<tr data-field="{html.escape(name)}" data-score="{score:.3f}"><th>{html.escape(name)}</th>'
            f"<td>{html.escape(_json(mine))}</td><td>{html.escape(_json(theirs))}</td><td{mark}>{score:.2f}</td></tr>"
        )
    return "\n".join(rows)


def _alternatives_of(gold: Any, part: str) -> Any:
    if isinstance(gold, dict) and set(gold) == {"any_of"}:
        return {"any_of": [(option or {}).get(part) for option in gold["any_of"]]}
    return (gold or {}).get(part)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else "—"


def render_page(
    text: str,
    evidence: Sequence[Evidence],
    *,
    source: str,
    gold: tuple[dict[str, Any], dict[str, Any], dict[str, float]] | None = None,
) -> str:
    """The page: ``text`` (the cleaned text the spans point into) highlighted, the record's values beside it.

    ``gold`` (the prediction as JSON, the gold record, the field scores) adds the prediction
    against gold, field by field, as the eval scores it.
    """
    against = ""
    if gold is not None:
        against = f"""<h2>prediction against gold</h2>
<table id="gold"><thead><tr><th>field</th><th>predicted</th><th>gold</th><th>score</th></tr></thead>
<tbody>
{_gold_rows(*gold)}
</tbody></table>"""
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
</tbody></table>{against}</section>
</main>
</body>
</html>
"""
