from pathlib import Path

import pytest

from extractor.evals import scoring
from extractor.evals.scoring import (
    EMPTY_PREDICTION,
    FIELDS,
    floor_case,
    score_case,
    score_exact,
    score_list,
    score_record,
    score_salary,
    score_string,
    set_f1,
)

GOLD = {
    "title": "Software Engineer - Platform",
    "company": "Descript",
    "locations": [{"city": None, "region": None, "country": "CA"}, {"city": None, "region": None, "country": "US"}],
    "workplace_type": "remote",
    "employment_type": None,
    "seniority": "senior",
    "salary": {"min": 160000, "max": 230000, "currency": "USD", "period": "year"},
    "equity": None,
    "experience_years_min": 5,
    "required_skills": ["TypeScript", "Python", "Go", "PostgreSQL"],
    "preferred_skills": ["Kubernetes"],
    "posted_date": None,
    "apply_url": "https://www.remotewlb.com/apply/software-engineer-platform-59838",
}


def test_a_perfect_prediction_scores_one_on_every_field():
    scores = score_record(GOLD, GOLD)
    assert list(scores) == list(FIELDS) and set(scores.values()) == {1.0}


def test_strings_compare_after_folding_case_unicode_and_punctuation():
    assert score_string("Software Engineer - Platform", "software engineer – platform") == 1.0
    assert score_string("Descript", "Descript Inc") == 0.0


def test_null_handling():
    assert score_string(None, None) == 1.0
    assert score_string(None, "Acme") == 0.0  # a value where gold has null is a false positive
    assert score_string("Acme", None) == 0.0
    assert score_exact(None, None) == 1.0 and score_exact(None, True) == 0.0


def test_exact_fields_do_not_fold():
    assert score_exact(5, 5) == 1.0 and score_exact(5, 6) == 0.0
    assert score_exact("2026-02-03", "2026-02-04") == 0.0


def test_list_f1():
    assert set_f1({"a", "b"}, {"a", "b"}) == 1.0
    assert set_f1(set(), set()) == 1.0
    assert set_f1({"a", "b"}, {"a"}) == pytest.approx(2 / 3)
    assert set_f1({"a"}, {"a", "b", "c"}) == pytest.approx(0.5)
    assert set_f1(set(), {"a"}) == 0.0 and set_f1({"a"}, set()) == 0.0


def test_skills_compare_through_the_contracts_aliases_and_the_scorers_own():
    assert score_list("required_skills", ["Kubernetes", "PostgreSQL", "Google Cloud"], ["K8s", "postgres", "GCP"]) == 1.0
    assert score_list("required_skills", ["Go", "Excel", "Node.js"], ["Golang", "MS Excel", "nodejs"]) == 1.0
    assert score_list("required_skills", ["C++"], ["C#"]) == 0.0
    assert score_list("required_skills", ["SAP"], ["sap"]) == 1.0  # names it does not know compare as written
    assert score_list("required_skills", ["Kafka"], ["Apache Kafka"]) == 0.0  # no alias, no match


def test_the_scorer_does_not_use_the_extractors_rules_or_vocabulary():
    source = (Path(scoring.__file__)).read_text()
    assert "from extractor" not in source and "import extractor" not in source


def test_locations_compare_as_country_and_city_pairs():
    gold = [{"city": "Seattle", "region": "WA", "country": "US"}]
    assert score_list("locations", gold, [{"city": "seattle", "region": None, "country": "US"}]) == 1.0
    assert score_list("locations", gold, [{"city": None, "region": None, "country": "US"}]) == 0.0
    assert score_list("locations", gold, [{"city": "Seattle", "region": None, "country": "CA"}]) == 0.0


def test_a_city_written_in_another_language_is_the_same_city():
    assert score_list("locations", [{"city": "München", "country": "DE"}], [{"city": "Munich", "country": "DE"}]) == 1.0
    assert score_list("locations", [{"city": "Köln", "country": "DE"}], [{"city": "Cologne", "country": "DE"}]) == 1.0
    assert score_list("locations", [{"city": "北京", "country": "CN"}], [{"city": "Beijing", "country": "CN"}]) == 1.0
    assert score_list("locations", [{"city": "Munich", "country": "DE"}], [{"city": "Berlin", "country": "DE"}]) == 0.0
    # A name GeoNames does not hold still compares as written.
    assert score_list("locations", [{"city": "Smallville", "country": "US"}], [{"city": "smallville", "country": "US"}]) == 1.0


def test_any_of_as_a_whole_field():
    gold = {"any_of": ["hybrid", "onsite"]}
    assert score_exact(gold, "onsite") == 1.0 and score_exact(gold, "remote") == 0.0
    assert score_string({"any_of": ["Norm Ai", "Norm"]}, "norm") == 1.0
    assert score_string({"any_of": ["Robert Half", None]}, None) == 1.0


def test_any_of_inside_salary_and_around_salary():
    predicted = {"min": 130000, "max": 180000, "currency": "CAD", "period": "year"}
    inside = {"min": 130000, "max": 180000, "currency": {"any_of": ["USD", "CAD"]}, "period": "year"}
    assert set(score_salary(inside, predicted).values()) == {1.0}
    around = {"any_of": [None, {"min": 130000, "max": 180000, "currency": "CAD", "period": "year"}]}
    assert set(score_salary(around, predicted).values()) == {1.0}
    assert set(score_salary(around, None).values()) == {1.0}


def test_any_of_around_a_list():
    gold = {"any_of": [["Flutter", "Git"], ["Flutter", "React Native", "Git"]]}
    assert score_list("required_skills", gold, ["Flutter", "React Native", "Git"]) == 1.0
    assert score_list("required_skills", gold, ["Flutter", "Git"]) == 1.0
    assert score_list("required_skills", {"any_of": [[], ["Docker"]]}, []) == 1.0


def test_salary_parts_score_separately():
    predicted = {"min": 160000, "max": 230000, "currency": "CAD", "period": "month"}
    assert score_salary(GOLD["salary"], predicted) == {
        "salary.min": 1.0, "salary.max": 1.0, "salary.currency": 0.0, "salary.period": 0.0
    }
    assert set(score_salary(None, predicted).values()) == {0.0}  # pay where gold has none: four false positives
    assert set(score_salary(None, None).values()) == {1.0}


def test_not_a_posting_case_scores_only_the_verdict():
    gold = {"not_a_job_posting": True}
    assert score_case(gold, None, "NotAJobPostingError") == {"not_a_job_posting": 1.0}
    assert score_case(gold, GOLD, None) == {"not_a_job_posting": 0.0}
    assert score_case(gold, None, "ProviderUnavailableError") == {"not_a_job_posting": 0.0}


def test_a_failed_posting_case_scores_zero_everywhere():
    assert set(score_case(GOLD, None, "OutputValidationError").values()) == {0.0}


def test_the_floor_is_what_an_all_null_record_scores():
    floor = floor_case(GOLD)
    assert floor == score_record(GOLD, EMPTY_PREDICTION)
    assert floor["employment_type"] == 1.0 and floor["equity"] == 1.0 and floor["title"] == 0.0
    assert floor_case({"not_a_job_posting": True}) == {"not_a_job_posting": 0.0}


def test_roles_are_matched_by_title_and_missing_and_extra_roles_are_counted():
    from extractor.evals.scoring import score_roles

    gold = {"title": "Backend Engineer", "roles": [
        {"title": {"any_of": ["Backend Engineers", "Backend Engineer"]}, "seniority": None,
         "salary": {"min": 100, "max": 120, "currency": "USD", "period": "year"}, "required_skills": ["Go"],
         "preferred_skills": []},
        {"title": "Product Designer", "seniority": "senior", "salary": None, "required_skills": [], "preferred_skills": []},
    ]}  # fmt: skip
    predicted = [
        {"title": "Senior Product Designer", "seniority": "senior", "salary": None, "required_skills": [],
         "preferred_skills": []},
        {"title": "Sales Lead", "seniority": None, "salary": None, "required_skills": [], "preferred_skills": []},
    ]  # fmt: skip
    scores = score_roles(gold, predicted)
    assert (scores["gold"], scores["predicted"], scores["count_right"]) == (2, 2, True)
    assert (scores["missing"], scores["extra"]) == (1, 1)  # the engineers were not found; "Sales Lead" is no gold role
    assert scores["fields"]["seniority"] == 0.5  # the designer's level right, the missing role's 0
    assert scores["fields"]["title"] == 0.0  # "Senior Product Designer" matched the designer, but is not its title


def test_a_text_with_one_role_has_its_record_as_its_role():
    from extractor.evals.scoring import score_roles

    gold = {"title": "Chef", "seniority": None, "salary": None, "required_skills": [], "preferred_skills": []}
    assert score_roles(gold, [dict(gold)])["fields"]["title"] == 1.0
    assert score_roles(gold, [dict(gold), {"title": "Chef de partie"}])["count_right"] is False
