"""Run extraction over the eval cases and score every field against gold.

A case is ``<id>.txt`` (the posting, byte for byte as published) beside ``<id>.json``
(its gold record, or ``{"not_a_job_posting": true}``), whose ``meta`` says its language,
kind and part (``tune`` or ``heldout``), and whose ``roles`` list every role of a text
that offers several. One failing case never stops a run: its error is recorded and scored.

The parts: rules, prompts and vocabularies are written and checked against ``tune``
only; ``heldout`` measures whether they generalize. ``assign_splits`` is the one rule
that put each case in its part (see ``evals/cases/SOURCES.md``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import subprocess
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extractor._fanout import BatchInput, Work, fan_out
from extractor._sync import run_sync
from extractor._version import __version__
from extractor.errors import ExtractionError
from extractor.evals.scoring import FIELDS, NOT_A_POSTING_FIELD, ROLE_FIELDS, floor_case, mean, score_case, score_roles
from extractor.pipeline import RULES_VERSION, Extraction, Extractor

REPORT_VERSION = 2
PARTS = ("tune", "heldout")
# Keys of a gold file that describe the case rather than the record.
_CASE_KEYS = ("notes", "meta", "roles")


@dataclass(frozen=True)
class Case:
    id: str
    text_path: Path
    gold: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)
    roles: list[dict[str, Any]] | None = None

    @property
    def split(self) -> str:
        return str(self.meta.get("split", "tune"))

    @property
    def language(self) -> str:
        return str(self.meta.get("language", "und"))

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", "not-a-posting" if self.gold.get(NOT_A_POSTING_FIELD) else "posting"))


@dataclass
class CaseResult:
    """A case's extraction scored against its gold."""

    case: Case
    extraction: Extraction
    prediction: dict[str, Any] | None  # the record as JSON data, as scored
    scores: dict[str, float]
    floor: dict[str, float]
    role_scores: dict[str, Any] | None = None  # ``scoring.score_roles`` (posting cases only)

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def split(self) -> str:
        return self.case.split

    @property
    def language(self) -> str:
        return self.case.language

    @property
    def score(self) -> float:
        return mean(list(self.scores.values()))


def load_cases(directory: Path, only: set[str] | None = None) -> list[Case]:
    """Every ``<id>.json`` with its ``<id>.txt`` in ``directory``, sorted by id."""
    cases = []
    for gold_path in sorted(directory.glob("*.json")):
        if only and gold_path.stem not in only:
            continue
        text_path = gold_path.with_suffix(".txt")
        if not text_path.is_file():
            raise ExtractionError(f"gold file {gold_path} has no text beside it ({text_path.name})")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        meta, roles = gold.get("meta", {}), gold.get("roles")
        for key in _CASE_KEYS:
            gold.pop(key, None)
        cases.append(Case(id=gold_path.stem, text_path=text_path, gold=gold, meta=meta, roles=roles))
    if only and len(cases) != len(only):
        missing = only - {case.id for case in cases}
        raise ExtractionError(f"no such case(s) in {directory}: {', '.join(sorted(missing))}")
    return cases


def _hash_order(case_id: str) -> str:
    return hashlib.sha256(case_id.encode()).hexdigest()


def assign_splits(cases: list[Case]) -> dict[str, str]:
    """Each case's part, by the rule written down once; a case that has a part keeps it.

    - A case labeled before the split (``meta.before_split``) is ``tune``: the rules
      were written against it.
    - Every other case falls in a stratum of (language, kind). Taken in the order of the
      SHA-256 of their ids, each goes to the part of its stratum that holds fewer cases,
      ``heldout`` on a tie: so each stratum splits in halves, the odd case held out.
    """
    parts = {case.id: case.meta["split"] for case in cases if case.meta.get("split") in PARTS}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for case in cases:
        stratum = counts.setdefault((case.language, case.kind), dict.fromkeys(PARTS, 0))
        if case.id in parts and not case.meta.get("before_split"):
            stratum[parts[case.id]] += 1
    for case in sorted(cases, key=lambda case: _hash_order(case.id)):
        if case.id in parts:
            continue
        if case.meta.get("before_split"):
            parts[case.id] = "tune"
            continue
        stratum = counts[(case.language, case.kind)]
        part = "heldout" if stratum["heldout"] <= stratum["tune"] else "tune"
        stratum[part] += 1
        parts[case.id] = part
    return parts


def score(case: Case, extraction: Extraction) -> CaseResult:
    """A case's extraction scored field by field, and role by role on a posting."""
    prediction = None if extraction.record is None else extraction.record.model_dump(mode="json")
    roles = [record.model_dump(mode="json") for record in extraction.roles]
    is_posting = not case.gold.get(NOT_A_POSTING_FIELD)
    return CaseResult(
        case=case,
        extraction=extraction,
        prediction=prediction,
        scores=score_case(case.gold, prediction, extraction.error_type),
        floor=floor_case(case.gold),
        role_scores=score_roles({**case.gold, "roles": case.roles}, roles) if is_posting else None,
    )


def run_eval(
    extractor: Extractor,
    cases: list[Case],
    *,
    concurrency: int = 1,
    around_case: Callable[[str], AbstractContextManager[None]] | None = None,
    on_result: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Each case extracted (every role) and scored, in case order; ``around_case`` wraps each case's
    extraction (a cassette, say), ``on_result`` sees each result as it arrives."""
    by_id = {case.id: case for case in cases}
    inputs = (BatchInput(case.id, case.text_path.read_bytes()) for case in cases)

    async def wrapped(item: BatchInput, work: Work) -> Extraction:
        with around_case(item.source) if around_case else contextlib.nullcontext():
            return await work()

    async def scored() -> dict[str, CaseResult]:
        results: dict[str, CaseResult] = {}
        # One input per call in flight: a cassette is on for its case's whole extraction, reading included.
        every = fan_out(extractor, inputs, concurrency=concurrency, all_roles=True, around=wrapped, max_inputs=concurrency)
        async for extraction in every:
            result = results[extraction.source] = score(by_id[extraction.source], extraction)
            if on_result:
                on_result(result)
        return results

    results = run_sync(scored())
    return [results[case.id] for case in cases]


def _git_commit() -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=True)
        return done.stdout.strip()
    return None


def _field_table(results: list[CaseResult], which: str) -> dict[str, dict[str, float]]:
    table = {}
    for name in (*FIELDS, NOT_A_POSTING_FIELD):
        values = [getattr(result, which)[name] for result in results if name in getattr(result, which)]
        if values:
            table[name] = {"score": mean(values), "count": len(values)}
    return table


def _summary(results: list[CaseResult]) -> dict[str, Any]:
    """The scores of a group of cases: overall, the all-null floor, and per field."""
    return {
        "count": len(results),
        "overall": mean([r.score for r in results]),
        "floor": mean([mean(list(r.floor.values())) for r in results]),
        "fields": _field_table(results, "scores"),
        "floor_fields": _field_table(results, "floor"),
    }


def _by(results: list[CaseResult], key: Callable[[CaseResult], str]) -> dict[str, list[CaseResult]]:
    groups: dict[str, list[CaseResult]] = {}
    for result in results:
        groups.setdefault(key(result), []).append(result)
    return dict(sorted(groups.items()))


def build_report(extractor: Extractor, results: list[CaseResult], *, mode: str) -> dict[str, Any]:
    """Everything needed to reproduce and compare a run, as JSON-ready data.

    Beside the whole set: each part (tune, heldout) and each language, split by part,
    and the gap between the parts (tune minus heldout: how much of the score is fitted).
    """
    s = extractor.settings
    extracted = [r.extraction for r in results if not r.extraction.cached]
    parts = {part: _summary(group) for part, group in _by(results, lambda r: r.split).items()}
    languages = {
        language: {part: _summary(group) for part, group in _by(members, lambda r: r.split).items()}
        for language, members in _by(results, lambda r: r.language).items()
    }
    gap = parts["tune"]["overall"] - parts["heldout"]["overall"] if set(PARTS) <= set(parts) else None
    return {
        "report_version": REPORT_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "model": s.endpoint.model,
        "endpoint_kind": "embedded" if s.embedded else "hosted",
        "endpoint": extractor.endpoint,
        "prompt_version": extractor.prompt.version,
        "rules_version": RULES_VERSION,
        "package_version": __version__,
        "git_commit": _git_commit(),
        "settings": {
            "max_tokens": s.question.max_tokens,
            "temperature": s.question.temperature,
            "max_reasks": s.question.max_reasks,
            "mode": s.endpoint.mode.value,
        },
        **_summary(results),
        "parts": parts,
        "gap": gap,
        "languages": languages,
        "seconds_per_posting": mean([e.seconds for e in extracted]),
        "tokens": {
            "prompt": sum(r.extraction.usage.prompt_tokens for r in results),
            "completion": sum(r.extraction.usage.completion_tokens for r in results),
        },
        "errors": sum(1 for r in results if not r.extraction.ok),
        "roles": {part: _roles_summary(group) for part, group in _by(results, lambda r: r.split).items()},
        "cases": [_case_entry(r) for r in results],
    }


def _roles_summary(results: list[CaseResult]) -> dict[str, Any]:
    """Roles on the cases that offer several (their gold ``roles``), and texts of one role split in error."""
    several = [r.role_scores for r in results if r.role_scores and r.role_scores["gold"] > 1]
    single = [r.role_scores for r in results if r.role_scores and r.role_scores["gold"] == 1]
    return {
        "cases": len(several),
        "count_right": mean([float(scores["count_right"]) for scores in several]),
        "missing": sum(scores["missing"] for scores in several),
        "extra": sum(scores["extra"] for scores in several),
        "fields": {name: mean([scores["fields"][name] for scores in several]) for name in ROLE_FIELDS},
        "single_role_cases": len(single),
        "single_role_split": sum(scores["predicted"] > 1 for scores in single),
    }


def _case_entry(result: CaseResult) -> dict[str, Any]:
    extraction = result.extraction
    error = None if extraction.ok else {"type": extraction.error_type, "message": extraction.error_message}
    return {
        "id": result.id,
        "split": result.split,
        "language": result.language,
        "kind": result.case.kind,
        "scores": result.scores,
        "floor": result.floor,
        "prediction": result.prediction,
        "error": error,
        "seconds": extraction.seconds,
        "cached": extraction.cached,
        "usage": asdict(extraction.usage),
        "roles": [record.model_dump(mode="json") for record in extraction.roles],
        "role_scores": result.role_scores,
        "score": result.score,
        "floor_score": mean(list(result.floor.values())),
    }
