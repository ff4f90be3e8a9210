"""Batches on Ray Data: a local cluster on 2 CPUs, started once for the module, against the fake endpoint."""

import json
import os
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

ray = pytest.importorskip("ray")

from extractor.cli import cli  # noqa: E402
from extractor.config import Settings  # noqa: E402
from extractor.ray import extract_dataset, finished_ids, without_finished  # noqa: E402
from tests.conftest import Reply, completion, posting_json  # noqa: E402

POSTING = "Acme Robotics is hiring a Backend Engineer in Berlin, Germany. You will write Python services. #{number}"


@pytest.fixture(scope="module", autouse=True)
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture
def ray_settings(endpoint, tmp_path):
    endpoint.default = Reply(body=completion(posting_json(title="Backend Engineer", company="Acme Robotics")))
    return Settings().updated(
        endpoint={"base_url": endpoint.url, "api_key": "sk-test", "model": "fake"},
        question={"strategy": "core"}, cache={"enabled": False, "dir": tmp_path / "cache"},
    )  # fmt: skip


def _rows(count, start=0):
    return [{"id": f"posting-{n}", "text": POSTING.format(number=n)} for n in range(start, start + count)]


def _written(folder: Path):
    return [json.loads(line) for file in sorted(folder.glob("*.json")) for line in file.read_text().splitlines()]


def _kill_an_actor_once(endpoint, after_requests):
    """SIGKILL one extracting actor's process once the endpoint has answered ``after_requests`` calls."""
    killed = []

    def kill():
        deadline = time.monotonic() + 120
        while len(endpoint.requests) < after_requests and time.monotonic() < deadline:
            time.sleep(0.02)
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"ExtractBatch" in command:
                os.kill(int(pid), 9)
                killed.append(int(pid))
                return

    thread = threading.Thread(target=kill, daemon=True)
    thread.start()
    return thread, killed


class FailsFirst:
    """A faulty endpoint: every tenth posting's first request gets a 503; the rest answer in 20 ms."""

    def __init__(self, answer):
        self.answer = answer
        self.asked = Counter()

    def __call__(self, request):
        number = int(request["messages"][-1]["content"].split("#")[1].split()[0])
        self.asked[number] += 1
        if number % 10 == 0 and self.asked[number] == 1:
            return Reply(status=503, body={"error": {"message": "overloaded"}})
        return Reply(body=self.answer.body, delay=0.02)


def test_1000_inputs_with_an_actor_killed_mid_way_end_as_exactly_one_row_each(endpoint, ray_settings, tmp_path):
    endpoint.router = faults = FailsFirst(endpoint.default)
    rows = _rows(1000)
    rows[7]["text"] = "   "
    rows[8] = {"id": "unreadable", "text": None, "error": "cannot read unreadable.txt: Permission denied"}
    thread, killed = _kill_an_actor_once(endpoint, after_requests=300)

    dataset = extract_dataset(ray.data.from_items(rows), ray_settings, actors=2, cpus_per_actor=0.5, concurrency=16)
    dataset.write_json(str(tmp_path / "out"))
    thread.join()

    written = _written(tmp_path / "out")
    assert killed, "no actor was running to kill"
    assert len(endpoint.requests) > 998  # the killed actor's batch was asked again
    assert len(written) == 1000 and sorted(row["id"] for row in written) == sorted(row["id"] for row in rows)
    by_id = {row["id"]: row for row in written}
    assert by_id["posting-7"]["error_type"] == "EmptyInputError"
    assert by_id["unreadable"]["error_type"] == "InvalidInputError"
    assert "Permission denied" in by_id["unreadable"]["error_message"]
    assert json.loads(by_id["posting-0"]["record"])["title"] == "Backend Engineer"
    assert sum(row["record"] is not None for row in written) == 998  # the 503s were retried
    assert faults.asked[10] >= 2
    assert by_id["posting-0"]["prompt_tokens"] == 100


def test_every_role_in_a_row_and_the_schema_is_the_same_for_every_block(ray_settings, tmp_path):
    dataset = extract_dataset(ray.data.from_items(_rows(6)), ray_settings, all_roles=True, batch_size=2)
    dataset.write_parquet(str(tmp_path / "parquet"))

    table = ray.data.read_parquet(str(tmp_path / "parquet")).to_pandas()
    assert len(table) == 6
    assert [record["title"] for record in json.loads(table["record"][0])] == ["Backend Engineer"]


def test_a_rerun_skips_the_ids_already_written_and_retries_retryable_errors(endpoint, ray_settings, tmp_path):
    out = tmp_path / "out"
    extract_dataset(ray.data.from_items(_rows(30)), ray_settings).write_json(str(out))
    assert finished_ids(str(out)) == {f"posting-{n}" for n in range(30)}
    asked = len(endpoint.requests)

    rerun = without_finished(ray.data.from_items(_rows(40)), finished_ids(str(out)))
    extract_dataset(rerun, ray_settings).write_json(str(out))

    assert len(endpoint.requests) - asked == 10
    assert sorted(row["id"] for row in _written(out)) == sorted(f"posting-{n}" for n in range(40))
    assert finished_ids(str(tmp_path / "nothing-yet")) == set()


def test_a_retryable_error_is_not_finished_unless_errors_are_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "part.json").write_text(
        json.dumps({"id": "a", "record": None, "error_type": "ProviderUnavailableError"}) + "\n"
        + json.dumps({"id": "b", "record": None, "error_type": "NotAJobPostingError"}) + "\n"
    )  # fmt: skip
    assert finished_ids(str(out)) == {"b"}
    assert finished_ids(str(out), keep_errors=True) == {"a", "b"}


def test_the_cli_runs_a_folder_through_ray_and_a_rerun_adds_nothing(ray_settings, tmp_path, monkeypatch):
    inputs = tmp_path / "inputs.jsonl"
    inputs.write_text("".join(json.dumps(row) + "\n" for row in _rows(12)))
    endpoint = ray_settings.endpoint
    environment = {"BASE_URL": endpoint.base_url, "API_KEY": "x", "MODEL": endpoint.model, "STRATEGY": "core", "CACHE": "false"}
    for name, value in environment.items():
        monkeypatch.setenv(f"EXTRACTOR_{name}", value)
    command = ["extract", str(inputs), "-o", str(tmp_path / "out"), "--engine", "ray", "--actors", "2",
               "--cpus-per-actor", "0.5"]  # fmt: skip

    first = CliRunner().invoke(cli, command)
    second = CliRunner().invoke(cli, command)

    assert first.exit_code == 0, first.output
    assert "12 done" in first.output and "0 done, 12 already in" in second.output
    assert len(_written(tmp_path / "out")) == 12


@pytest.mark.parametrize("option", [["--format", "jsonld"], ["--workers", "2"]])
def test_the_cli_refuses_options_ray_does_not_take(tmp_path, option):
    result = CliRunner().invoke(cli, ["extract", "x.txt", "-o", str(tmp_path / "out"), "--engine", "ray", *option])
    assert result.exit_code == 2 and option[0] in result.output
