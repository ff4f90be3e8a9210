"""Field-level scores of a prediction against a gold record, exactly as the contract defines them.

Pure functions over JSON-shaped values (what ``JobPosting.model_dump(mode="json")``
gives and what gold files hold), so they are tested without a model.

- strings (title, company, apply_url): equal after ``canonical.fold``;
- enums, integers, booleans, dates: exact;
- salary: min, max, currency and period scored as four fields;
- lists: set F1 after canonicalizing (skills by canonical name, locations as (country, city));
- a gold value ``{"any_of": [...]}`` scores its best alternative, as a whole field,
  inside salary, or around a list;
- null in gold and in the prediction is a match; a value where gold has null scores 0.

A not-a-posting case (gold ``{"not_a_job_posting": true}``) scores 1 only when
extraction raised ``NotAJobPostingError``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from extractor import canonical

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
        return float(canonical.fold(str(value)) == canonical.fold(str(predicted)))

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


def _location_key(location: dict[str, Any]) -> tuple[str | None, str]:
    country = location.get("country")
    try:
        country = canonical.country_code(country) if country else None
    except ValueError:
        pass
    return country, canonical.fold(location.get("city") or "")


def _skill_key(name: str) -> str:
    return canonical.skill_key(canonical.skill_name(name))


def score_list(field: str, gold: Any, predicted: list[Any] | None) -> float:
    key: Callable[[Any], Hashable] = _location_key if field == "locations" else _skill_key
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
