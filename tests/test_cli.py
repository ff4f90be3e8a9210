import json

from click.testing import CliRunner

from extractor.cli import cli
from tests.conftest import CASES, Reply, posting_json


def run(settings, *args, input=None):
    env = {
        "EXTRACTOR_BASE_URL": settings.base_url,
        "EXTRACTOR_API_KEY": "sk-test",
        "EXTRACTOR_CACHE_DIR": str(settings.cache_dir),
        "EXTRACTOR_MAX_RETRIES": "0",
    }
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def lines(output):
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_extract_writes_one_json_line_per_input(endpoint, settings, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Why we froze hiring for a year: notes on onboarding and pay bands.")
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    endpoint.reply(endpoint.answer(posting_json()), endpoint.answer(posting_json(is_job_posting=False)))
    descript = str(CASES / "seed_000_descript.txt")
    missing = str(tmp_path / "missing.txt")
    result = run(settings, "extract", "-c", "1", descript, str(article), str(empty), missing)
    assert result.exit_code == 1
    written = lines(result.stdout)
    out = {line["source"]: line for line in written}
    assert len(written) == 4
    assert set(out) == {descript, str(article), str(empty), missing}
    assert out[descript]["record"]["company"] == "Descript"
    assert out[descript]["record"]["salary"] == {"min": 160000, "max": 230000, "currency": "USD", "period": "year"}
    assert {source: line["error"]["type"] for source, line in out.items() if "error" in line} == {
        str(article): "NotAJobPostingError", str(empty): "EmptyInputError", missing: "InvalidInputError"
    }
    assert "4 done (0 from cache), errors: " in result.stderr


def test_extract_reads_stdin_and_writes_to_a_file(endpoint, settings, tmp_path):
    endpoint.reply(endpoint.answer(posting_json()))
    output = tmp_path / "out.jsonl"
    result = run(settings, "extract", "-", "-o", str(output), input="Platform engineer at Descript, $160,000-$230,000/year")
    assert result.exit_code == 0, result.output
    [line] = lines(output.read_text())
    assert line["source"] == "-" and line["record"]["title"] == "Software Engineer - Platform"


def test_a_provider_failure_is_a_recorded_error_not_a_crash(endpoint, settings):
    endpoint.default = Reply(status=500, body={"error": {"message": "boom"}})
    result = run(settings, "extract", str(CASES / "seed_003_discord.txt"))
    assert result.exit_code == 1
    [line] = lines(result.stdout)
    assert line["error"]["type"] == "ProviderUnavailableError"


def test_no_cache_and_cache_commands(endpoint, settings):
    endpoint.default = endpoint.answer(posting_json())
    path = str(CASES / "seed_000_descript.txt")
    run(settings, "extract", path)
    run(settings, "extract", path)
    assert len(endpoint.requests) == 1
    run(settings, "extract", "--no-cache", path)
    assert len(endpoint.requests) == 2
    assert "2 entries" in run(settings, "cache", "info").output  # under the raw and the cleaned text
    assert "removed 2 entries" in run(settings, "cache", "clear").output
    assert "0 entries" in run(settings, "cache", "info").output


def test_help_explains_the_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "extract" in result.output and "EXTRACTOR_BASE_URL" in result.output
