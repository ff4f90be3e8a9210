"""Eval reports for people: a terminal table, a diff against a baseline, an HTML page."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from extractor.evals.scoring import ROLE_FIELDS, SALARY_PARTS


def write_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _part_score(report: dict[str, Any], part: str, name: str | None = None) -> float | None:
    summary = report.get("parts", {}).get(part)
    if summary is None:
        return None
    if name is None:
        return summary["overall"]
    entry = summary["fields"].get(name)
    return entry["score"] if entry else None


def _number(value: float | None, width: int = 7) -> str:
    return f"{value:>{width}.3f}" if value is not None else f"{'-':>{width}}"


def render_table(report: dict[str, Any]) -> str:
    lines = [
        f"model {report['model']} ({report['endpoint_kind']}), prompt {report['prompt_version']}, "
        f"extractor {report['package_version']}, mode {report['mode']}",
        "",
        f"{'field':<22} {'all':>7} {'tune':>7} {'heldout':>7} {'floor':>7} {'count':>6}",
    ]
    for name, entry in report["fields"].items():
        floor = report["floor_fields"].get(name, {}).get("score", 0.0)
        lines.append(
            f"{name:<22} {entry['score']:>7.3f} {_number(_part_score(report, 'tune', name))} "
            f"{_number(_part_score(report, 'heldout', name))} {floor:>7.3f} {entry['count']:>6}"
        )
    lines += ["", f"{'language':<10} {'tune':>7} {'cases':>6} {'heldout':>8} {'cases':>6}"]
    for language, parts in report.get("languages", {}).items():
        tune, heldout = parts.get("tune"), parts.get("heldout")
        lines.append(
            f"{language:<10} {_number(tune and tune['overall'])} {tune['count'] if tune else 0:>6} "
            f"{_number(heldout and heldout['overall'], 8)} {heldout['count'] if heldout else 0:>6}"
        )
    if roles := report.get("roles"):
        lines += ["", f"{'roles (texts with several)':<28} {'tune':>7} {'heldout':>8}"]
        rows = [("role count right", "count_right"), ("missing roles", "missing"), ("extra roles", "extra"),
                ("one-role texts split", "single_role_split")]  # fmt: skip
        for label, key in rows:
            values = [roles.get(part, {}).get(key) for part in ("tune", "heldout")]
            lines.append(f"{label:<28} " + " ".join(_number(value) if isinstance(value, float) else f"{value!s:>7}"
                                                     for value in values))  # fmt: skip
        for name in ROLE_FIELDS:
            values = [roles.get(part, {}).get("fields", {}).get(name) for part in ("tune", "heldout")]
            lines.append(f"{'per role: ' + name:<28} " + " ".join(_number(value) for value in values))
    lines += ["", f"{'case':<52} {'part':<8} {'score':>6} {'floor':>6}  outcome"]
    for case in report["cases"]:
        outcome = case["error"]["type"] if case["error"] else ("cached" if case["cached"] else f"{case['seconds']:.1f}s")
        lines.append(
            f"{case['id']:<52} {case.get('split', ''):<8} {case['score']:>6.3f} {case['floor_score']:>6.3f}  {outcome}"
        )
    gap = report.get("gap")
    lines += [
        "",
        f"overall {report['overall']:.3f}   tune {_number(_part_score(report, 'tune'), 0)}   "
        f"heldout {_number(_part_score(report, 'heldout'), 0)}   gap {_number(gap, 0)}   "
        f"all-null floor {report['floor']:.3f}",
        f"cases {len(report['cases'])}   errors {report['errors']}   "
        f"seconds per posting {report['seconds_per_posting']:.1f}   "
        f"tokens {report['tokens']['prompt']} prompt + {report['tokens']['completion']} completion",
    ]
    return "\n".join(lines)


def _delta_rows(current: dict[str, float], baseline: dict[str, float]) -> list[tuple[str, float, float, float]]:
    rows = [(name, baseline.get(name, 0.0), score, score - baseline.get(name, 0.0)) for name, score in current.items()]
    return sorted(rows, key=lambda row: (row[3], row[0]))  # regressions first


def render_diff(report: dict[str, Any], baseline: dict[str, Any]) -> str:
    fields = _delta_rows(
        {name: entry["score"] for name, entry in report["fields"].items()},
        {name: entry["score"] for name, entry in baseline["fields"].items()},
    )
    cases = _delta_rows(
        {case["id"]: case["score"] for case in report["cases"]},
        {case["id"]: case["score"] for case in baseline["cases"]},
    )
    lines = [f"against baseline: prompt {baseline['prompt_version']}, model {baseline['model']}", ""]
    lines.append(f"{'field':<22} {'before':>7} {'after':>7} {'change':>7}")
    lines += [f"{name:<22} {before:>7.3f} {after:>7.3f} {delta:>+7.3f}" for name, before, after, delta in fields]
    lines += ["", f"{'case':<46} {'before':>7} {'after':>7} {'change':>7}"]
    lines += [f"{name:<46} {before:>7.3f} {after:>7.3f} {delta:>+7.3f}" for name, before, after, delta in cases]
    lines.append("")
    for label, before, after in (
        ("overall", baseline["overall"], report["overall"]),
        *((part, _part_score(baseline, part), _part_score(report, part)) for part in ("tune", "heldout")),
    ):
        if before is not None and after is not None:
            lines.append(f"{label} {before:.3f} -> {after:.3f} ({after - before:+.3f})")
    return "\n".join(lines)


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
.case { display: grid; grid-template-columns: 1fr 1.4fr; gap: 1rem; margin-bottom: 3rem; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 1rem; max-height: 40rem; overflow: auto; font-size: 12px; }
.right { background: #e6f4e6; } .wrong { background: #fbe3e3; } .partial { background: #fff4d6; }
code { font-size: 12px; }
"""


def _value(record: dict[str, Any] | None, field: str) -> Any:
    if record is None:
        return None
    if field.startswith("salary."):
        salary = record.get("salary")
        if isinstance(salary, dict) and set(salary) == {"any_of"}:
            return salary
        part = field.split(".", 1)[1]
        return (salary or {}).get(part) if part in SALARY_PARTS else None
    return record.get(field)


def _cell(value: Any) -> str:
    return f"<code>{html.escape(json.dumps(value, ensure_ascii=False))}</code>"


def render_html(
    report: dict[str, Any], texts: dict[str, str], golds: dict[str, dict[str, Any]], pages: str | None = None
) -> str:
    """One page: the summary, then per case the text beside gold and prediction, field by field.

    ``pages``: a folder (relative to the report) of per-case pages (``extractor show``'s view of the
    prediction against gold), linked from each case.
    """
    parts = [
        "<!doctype html><meta charset='utf-8'><title>extractor eval</title>",
        f"<style>{_STYLE}</style>",
        f"<h1>Eval: overall {report['overall']:.3f}, tune {_number(_part_score(report, 'tune'), 0)}, "
        f"heldout {_number(_part_score(report, 'heldout'), 0)} (all-null floor {report['floor']:.3f})</h1>",
        f"<p>model {html.escape(report['model'])} ({report['endpoint_kind']}), prompt "
        f"{html.escape(report['prompt_version'])}, extractor {report['package_version']}, "
        f"commit {html.escape(str(report['git_commit']))}, {report['seconds_per_posting']:.1f} s per posting</p>",
        "<table><tr><th>field</th><th>all</th><th>tune</th><th>heldout</th><th>floor</th><th>count</th></tr>",
    ]
    for name, entry in report["fields"].items():
        floor = report["floor_fields"].get(name, {}).get("score", 0.0)
        parts.append(
            f"<tr><td>{name}</td><td>{entry['score']:.3f}</td><td>{_number(_part_score(report, 'tune', name), 0)}</td>"
            f"<td>{_number(_part_score(report, 'heldout', name), 0)}</td><td>{floor:.3f}</td><td>{entry['count']}</td></tr>"
        )
    parts.append("</table>")
    for case in report["cases"]:
        gold = golds.get(case["id"], {})
        outcome = f"error {case['error']['type']}: {case['error']['message']}" if case["error"] else "record"
        rows = []
        for field, score in case["scores"].items():
            css = "right" if score == 1 else "wrong" if score == 0 else "partial"
            rows.append(
                f"<tr class='{css}'><td>{field}</td><td>{score:.2f}</td>"
                f"<td>{_cell(_value(gold, field))}</td><td>{_cell(_value(case['prediction'], field))}</td></tr>"
            )
        parts += [
            f"<h2 id='{html.escape(case['id'])}'>{html.escape(case['id'])}: {case['score']:.3f}"
            f" <small>({case.get('split', '')}, {case.get('language', '')})</small>"
            + (f" <a href='{html.escape(pages)}/{html.escape(case['id'])}.html'>spans</a>" if pages and case["prediction"] else "")
            + "</h2>",
            f"<p>{html.escape(outcome)}</p><div class='case'>",
            f"<pre>{html.escape(texts.get(case['id'], ''))}</pre>",
            "<table><tr><th>field</th><th>score</th><th>gold</th><th>prediction</th></tr>",
            *rows,
            "</table></div>",
        ]
    return "\n".join(parts)
