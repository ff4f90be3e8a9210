import json

from click.testing import CliRunner

from extractor.cli import cli
from tests.conftest import CASES, Reply, posting_json


def run(settings, *args, input=None):
    env = {
        "EXTRACTOR_BASE_URL": settings.endpoint.base_url,
        "EXTRACTOR_API_KEY": "sk-test",
        "EXTRACTOR_CACHE_DIR": str(settings.cache.dir),
        "EXTRACTOR_MAX_RETRIES": "0",
        "EXTRACTOR_STRATEGY": settings.question.strategy.value,
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
    result = run(settings, "extract", "-", "-o", str(output), input="Software Engineer - Platform at Descript, $160,000-$230,000/year")
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
    # One record, though it is stored under both the raw and the cleaned text's keys.
    assert ": 1 record" in run(settings, "cache", "info").output
    run(settings, "extract", str(CASES / "seed_003_discord.txt"))
    assert ": 2 records" in run(settings, "cache", "info").output
    corrupt = settings.cache.dir / "results" / "cache.db.corrupt-1700000000"
    corrupt.write_bytes(b"not a database")
    assert "removed 2 records" in run(settings, "cache", "clear").output
    assert ": 0 records" in run(settings, "cache", "info").output
    assert not corrupt.exists()


def test_help_explains_the_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "extract" in result.output and "EXTRACTOR_BASE_URL" in result.output


def test_two_stdin_runs_into_one_output_both_get_extracted(endpoint, settings, tmp_path):
    endpoint.default = endpoint.answer(posting_json())
    output = tmp_path / "out.jsonl"
    first = run(settings, "extract", "-", "-o", str(output), input="Chef wanted in Croydon, posting A")
    second = run(settings, "extract", "-", "-o", str(output), input="Cook wanted in Leeds, posting B")
    assert (first.exit_code, second.exit_code) == (0, 0), second.output
    sent = [request["messages"][-1]["content"] for request in endpoint.requests]
    assert any("posting A" in text for text in sent) and any("posting B" in text for text in sent)
    written = lines(output.read_text())
    assert len(written) == 2 and all("record" in line for line in written)
    assert written[0]["input_sha256"] != written[1]["input_sha256"]
    again = run(settings, "extract", "-", "-o", str(output), input="Cook wanted in Leeds, posting B")
    assert again.exit_code == 0 and len(endpoint.requests) == 2  # the same text again: already done
    assert len(lines(output.read_text())) == 2


def test_a_resumed_run_retries_inputs_that_failed_while_the_endpoint_was_down(endpoint, settings, tmp_path):
    from extractor.batch import ResultsFile

    postings = []
    for name in ("a", "b"):
        postings.append(tmp_path / f"{name}.txt")
        postings[-1].write_text(f"Chef wanted in Croydon, posting {name}")
    empty = tmp_path / "empty.txt"
    empty.write_text(" ")
    output = tmp_path / "out.jsonl"
    sources = [str(path) for path in (*postings, empty)]
    endpoint.default = Reply(status=503, body={"error": {"message": "down"}})
    down = run(settings, "extract", *sources, "-o", str(output))
    assert down.exit_code == 1
    assert sorted(line["error"]["type"] for line in lines(output.read_text())) == [
        "EmptyInputError", "ProviderUnavailableError", "ProviderUnavailableError"
    ]
    calls = len(endpoint.requests)
    kept = run(settings, "extract", *sources, "-o", str(output), "--keep-errors")
    assert "0 done" in kept.stderr and "3 already in the output" in kept.stderr and len(endpoint.requests) == calls
    endpoint.default = endpoint.answer(posting_json())  # the endpoint is back
    back = run(settings, "extract", *sources, "-o", str(output))
    assert back.exit_code == 0, back.output  # every input this run tried succeeded
    assert "2 retried" in back.stderr and "1 already in the output" in back.stderr
    assert len(endpoint.requests) == calls + 2  # the empty input was not sent again
    latest = ResultsFile(output).latest()
    assert set(latest) == set(sources)
    assert {source: "record" in line for source, line in latest.items()} == {
        sources[0]: True, sources[1]: True, str(empty): False
    }
    final = run(settings, "extract", *sources, "-o", str(output))
    assert "0 done" in final.stderr and len(endpoint.requests) == calls + 2


def test_an_output_that_cannot_be_written_is_a_usage_error_not_a_traceback(endpoint, settings):
    result = run(settings, "extract", str(CASES / "seed_000_descript.txt"), "-o", "/proc/nope/out.jsonl")
    assert result.exit_code == 2, result.output
    assert "cannot write /proc/nope/out.jsonl" in result.output and "Traceback" not in result.output
    assert endpoint.requests == []


def test_cache_commands_say_the_cache_is_off(settings):
    env = {"EXTRACTOR_CACHE": "false", "EXTRACTOR_CACHE_DIR": str(settings.cache.dir)}
    for command in ("info", "clear"):
        result = CliRunner().invoke(cli, ["cache", command], env=env)
        assert result.exit_code == 0, result.output
        assert "the result cache is off (EXTRACTOR_CACHE=false)" in result.output


def test_import_and_help_leave_the_heavy_libraries_for_when_they_are_needed():
    import subprocess
    import sys
    from pathlib import Path

    heavy = ("openai", "instructor", "dateparser", "vcr", "bs4", "ftfy", "charset_normalizer", "aiohttp")
    check = f"import sys, {{}}; print([m for m in {heavy!r} if m in sys.modules])"
    for module in ("extractor", "extractor.cli"):
        loaded = subprocess.run([sys.executable, "-c", check.format(module)], capture_output=True, text=True,
                                cwd=Path(__file__).parent.parent, check=True).stdout.strip()
        assert loaded == "[]", (module, loaded)


def test_extract_writes_schema_org_job_postings_on_request(endpoint, settings):
    endpoint.reply(endpoint.answer(posting_json()))
    result = run(settings, "extract", "--format", "jsonld", str(CASES / "seed_000_descript.txt"))
    assert result.exit_code == 0, result.output
    [line] = lines(result.stdout)
    posting = line["record"]
    assert (posting["@type"], posting["title"], posting["hiringOrganization"]["name"]) == (
        "JobPosting", "Software Engineer - Platform", "Descript"
    )
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue", "minValue": 160000, "maxValue": 230000, "unitText": "YEAR"
    }
