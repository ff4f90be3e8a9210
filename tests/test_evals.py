import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.evals.report import render_diff, render_html, render_table
from extractor.evals.run import PARTS, Case, assign_splits, build_report, load_cases, run_eval
from extractor.evals.scoring import FIELDS
from extractor.testing import Oracle
from tests.conftest import CASES, posting_json

ROOT = Path(__file__).parent.parent
COMMITTED_REPORT = ROOT / "evals" / "reports" / "qwen2.5-coder-0.5b.json"
CONTRACT_KEYS = {
    "title", "company", "locations", "workplace_type", "employment_type", "seniority", "salary", "equity",
    "experience_years_min", "required_skills", "preferred_skills", "posted_date", "apply_url",
}  # fmt: skip


def test_every_case_has_its_text_and_a_gold_record_in_the_contracts_shape():
    cases = load_cases(CASES)
    assert len(cases) >= 20
    assert {"seed_000_descript", "seed_003_discord"} <= {case.id for case in cases}
    for case in cases:
        assert set(case.gold) == CONTRACT_KEYS or case.gold == {"not_a_job_posting": True}, case.id
        assert case.split in PARTS and case.kind in {"software", "non-software", "not-a-posting"}, case.id
        assert (case.kind == "not-a-posting") == ("not_a_job_posting" in case.gold), case.id
        assert len(case.language) == 2, case.id
        if "multi-role" in case.meta.get("tags", []):
            assert case.roles and len(case.roles) >= 2, case.id


def test_the_parts_are_the_split_rules_output():
    def unassigned(cases):
        return [replace(case, meta={k: v for k, v in case.meta.items() if k != "split"}) for case in cases]

    cases = load_cases(CASES)
    assert assign_splits(cases) == {case.id: case.split for case in cases}  # nothing left unassigned
    # The rule put each case there: the first split from scratch, each later batch (meta.split_batch)
    # with the parts before it kept.
    batches = sorted({case.meta.get("split_batch", 1) for case in cases})
    for batch in batches:
        earlier = [case for case in cases if case.meta.get("split_batch", 1) < batch]
        this = [case for case in cases if case.meta.get("split_batch", 1) == batch]
        parts = assign_splits(earlier + unassigned(this))
        assert {case.id: parts[case.id] for case in this} == {case.id: case.split for case in this}


def test_the_split_rule_halves_each_stratum_and_keeps_tuned_cases_in_tune():
    def case(name: str, language: str, **meta: object) -> Case:
        return Case(id=name, text_path=Path(f"{name}.txt"), gold={}, meta={"language": language, "kind": "software", **meta})

    cases = [case(f"de-{i}", "de") for i in range(5)] + [case(f"fr-{i}", "fr") for i in range(2)]
    cases += [case("old", "de", before_split=True)]
    parts = assign_splits(cases)
    assert parts["old"] == "tune"
    assert sorted(parts[f"de-{i}"] for i in range(5)) == ["heldout"] * 3 + ["tune"] * 2
    assert sorted(parts[f"fr-{i}"] for i in range(2)) == ["heldout", "tune"]
    # A case added later joins the smaller part of its stratum; no case moves.
    later = [replace(c, meta={**c.meta, "split": parts[c.id]}) for c in cases] + [case("de-new", "de")]
    assert assign_splits(later) == {**parts, "de-new": "tune"}


def test_selecting_an_unknown_case_is_an_error():
    with pytest.raises(Exception, match="no such case"):
        load_cases(CASES, {"nope"})


def test_a_run_scores_every_field_and_reports_the_floor(endpoint, extractor):
    endpoint.default = endpoint.answer(posting_json())
    cases = load_cases(CASES, {"seed_000_descript", "020_coreflow-aud-sydney"})
    results = run_eval(extractor, cases, concurrency=2)
    report = build_report(extractor, results, mode="live")
    assert [case["id"] for case in report["cases"]] == ["020_coreflow-aud-sydney", "seed_000_descript"]
    assert set(report["fields"]) == set(FIELDS)
    assert all(entry["count"] == 2 for entry in report["fields"].values())
    assert report["floor"] < report["overall"] <= 1
    assert report["prompt_version"] == extractor.prompt.version
    assert report["tokens"]["prompt"] == 200
    assert report["parts"]["tune"]["count"] == 2 and report["languages"]["en"]["tune"]["count"] == 2
    json.dumps(report)  # the report is plain JSON


def test_the_table_the_diff_and_the_html(endpoint, extractor):
    endpoint.default = endpoint.answer(posting_json())
    cases = load_cases(CASES, {"seed_000_descript", "020_coreflow-aud-sydney"})
    report = build_report(extractor, run_eval(extractor, cases), mode="live")
    assert "all-null floor" in render_table(report) and "salary.currency" in render_table(report)

    worse = json.loads(json.dumps(report))
    worse["fields"]["title"]["score"] = 0.0
    worse["cases"][1]["score"] = 0.0
    diff = render_diff(worse, report).splitlines()
    assert diff[3].startswith("title") and "-" in diff[3]  # regressions come first
    report["cases"][0]["scores"]["title"] = 0.0
    html = render_html(report, {case.id: "posting text <b>" for case in cases}, {case.id: case.gold for case in cases})
    assert "seed_000_descript" in html and "posting text &lt;b&gt;" in html and "class='wrong'" in html


def test_min_score_gates_the_exit_code(endpoint, settings, tmp_path):
    endpoint.default = endpoint.answer(posting_json(title="Chef"))
    env = {"EXTRACTOR_BASE_URL": settings.endpoint.base_url, "EXTRACTOR_CACHE_DIR": str(tmp_path), "EXTRACTOR_MAX_RETRIES": "0",
           "EXTRACTOR_STRATEGY": "core"}
    args = ["eval", "--cases", str(CASES), "--case", "seed_000_descript", "--report", str(tmp_path / "r.json")]
    assert CliRunner().invoke(cli, [*args, "--min-score", "0.1"], env=env).exit_code == 0
    failing = CliRunner().invoke(cli, [*args, "--min-score", "0.99"], env=env)
    assert failing.exit_code == 1 and "below --min-score" in failing.output
    assert (tmp_path / "r.html").is_file()


def test_replay_gives_the_scores_of_the_committed_live_run(tmp_path):
    committed = json.loads(COMMITTED_REPORT.read_text())
    result = CliRunner().invoke(
        cli,
        ["eval", "--replay", "--cases", str(CASES), "--cassettes", str(ROOT / "tests" / "cassettes" / "evals"),
         "--report", str(tmp_path / "replay.json")],
        env={"EXTRACTOR_CACHE_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    replayed = json.loads((tmp_path / "replay.json").read_text())
    assert committed["mode"] == "live" and replayed["mode"] == "replay"
    assert replayed["prompt_version"] == committed["prompt_version"]
    assert replayed["overall"] == pytest.approx(committed["overall"])
    assert {k: v["score"] for k, v in replayed["fields"].items()} == pytest.approx(
        {k: v["score"] for k, v in committed["fields"].items()}
    )
    assert [c["prediction"] for c in replayed["cases"]] == [c["prediction"] for c in committed["cases"]]


def test_the_oracle_answers_each_request_with_its_cases_gold_in_the_requested_keys():
    gold = {"title": {"any_of": ["Chef", "Chefs"]}, "company": "Acme", "locations": [], "salary": None}
    oracle = Oracle([("Acme is hiring a chef in Croydon, apply today", gold), ("SEEKING WORK as a chef", {
        "not_a_job_posting": True})])
    schema = {"properties": {"title": {"type": "string"}, "skills": {"type": "array"}, "is_job_posting": {}}}
    request = {"messages": [{"role": "user", "content": "Job posting: Acme is hiring a chef in Croydon"}],
               "response_format": {"json_schema": {"schema": schema}}}
    assert oracle.answer_for(request) == {"title": "Chef", "skills": [], "is_job_posting": True}
    request["messages"][0]["content"] = "SEEKING WORK as a chef"
    assert oracle.answer_for(request) == {"title": None, "skills": [], "is_job_posting": False}


def test_eval_oracle_scores_the_pipeline_against_a_perfect_model(tmp_path):
    result = CliRunner().invoke(
        cli, ["eval", "--oracle", "--cases", str(CASES), "--case", "seed_000_descript", "--case",
              "020_coreflow-aud-sydney", "--report", str(tmp_path / "oracle.json")],
        env={"EXTRACTOR_CACHE_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "oracle.json").read_text())
    assert report["mode"] == "oracle" and report["errors"] == 0
    assert report["overall"] > 0.9


@pytest.mark.parametrize("strategy", ["record", "core"])
def test_the_perfect_model_run_reproduces_its_committed_report(tmp_path, strategy):
    committed = json.loads((ROOT / "evals" / "reports" / f"oracle-{strategy}.json").read_text())
    result = CliRunner().invoke(
        cli, ["eval", "--oracle", "--cases", str(CASES), "--report", str(tmp_path / "oracle.json")],
        env={"EXTRACTOR_CACHE_DIR": str(tmp_path), "EXTRACTOR_STRATEGY": strategy},
    )
    assert result.exit_code == 0, result.output
    again = json.loads((tmp_path / "oracle.json").read_text())
    assert again["mode"] == committed["mode"] == "oracle"
    assert {k: v["score"] for k, v in again["fields"].items()} == pytest.approx(
        {k: v["score"] for k, v in committed["fields"].items()}
    )
    assert {part: summary["overall"] for part, summary in again["parts"].items()} == pytest.approx(
        {part: summary["overall"] for part, summary in committed["parts"].items()}
    )


def test_eval_writes_a_page_per_case_with_the_predictions_spans_against_gold(tmp_path):
    result = CliRunner().invoke(
        cli, ["eval", "--oracle", "--cases", str(CASES), "--case", "seed_000_descript", "--report",
              str(tmp_path / "oracle.json"), "--pages", str(tmp_path / "pages")],
        env={"EXTRACTOR_CACHE_DIR": str(tmp_path)},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (tmp_path / "pages" / "seed_000_descript.html").read_text(encoding="utf-8")
    assert '<mark data-fields="title"' in page and 'id="gold"' in page and 'data-field="salary.min"' in page
    assert "pages/seed_000_descript.html" in (tmp_path / "oracle.html").read_text(encoding="utf-8")
