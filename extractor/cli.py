"""The ``extractor`` command: the library's functions, with errors turned into messages and exit codes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click
from tqdm import tqdm

from extractor._version import __version__
from extractor.config import BATCH_PRICE_FACTOR, Settings
from extractor.errors import CassetteMissError, ExtractionError
from extractor.evals import DEFAULT_CASES
from extractor.evals.report import read_json, render_diff, render_html, render_table, write_json

# The pipeline, the batch machinery and the eval runner are imported by the commands that use them:
# `extractor --help` does not pay for the readers and the HTTP client.
if TYPE_CHECKING:
    from extractor._cache import ResultCache
    from extractor._fanout import BatchInput
    from extractor.batch import BatchSummary, ResumeState
    from extractor.evals.run import Case, CaseResult
    from extractor.pipeline import Extractor

log = logging.getLogger("extractor")

EVAL_CASSETTES = Path("tests") / "cassettes" / "evals"


def _settings(**groups: dict[str, Any]) -> Settings:
    """Settings from the environment and .env, with the options the user gave on top, by group (None: not given)."""
    given = {group: {name: value for name, value in options.items() if value is not None} for group, options in groups.items()}
    try:
        return Settings().updated(**{group: options for group, options in given.items() if options})
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extractor")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Turn raw job-posting text into structured, validated JSON records.

    With no endpoint configured, extraction runs on an embedded local model
    (Qwen2.5-Coder-0.5B through llama.cpp). Set EXTRACTOR_BASE_URL, EXTRACTOR_MODEL
    and EXTRACTOR_API_KEY (or a .env file) to use OpenAI, vLLM, Ollama or any
    OpenAI-compatible endpoint instead.

    \b
    Examples:
      extractor extract evals/cases/seed_000_descript.txt
      cat posting.txt | extractor extract - -o records.jsonl
      extractor eval --replay
      extractor cache clear
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")
    if verbose < 2:
        # instructor logs every failed attempt as an error; extractor reports the outcome itself.
        logging.getLogger("instructor").setLevel(logging.CRITICAL)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Append JSON Lines here; a rerun skips the inputs this file already holds (with --engine ray: "
              "a folder). [stdout]")
@click.option("--jsonl", is_flag=True, help='Read every source as JSON Lines of {"id": ..., "text": ...}.')
@click.option("-c", "--concurrency", type=click.IntRange(1), help="Model calls in flight at once [EXTRACTOR_CONCURRENCY].")
@click.option("-w", "--workers", type=click.IntRange(1),
              help="Processes sharing the inputs and the concurrency; helps when one core cannot keep up with "
              "a fast endpoint [EXTRACTOR_WORKERS, 1].")
@click.option("--model", help="Model name, or for the embedded runtime a local model name or .gguf path.")
@click.option("--base-url", help="OpenAI-compatible endpoint; overrides EXTRACTOR_BASE_URL.")
@click.option("--no-cache", is_flag=True, help="Always call the model; neither read nor write the cache.")
@click.option("--format", "record_format", type=click.Choice(["json", "jsonld", "table"]), default="json",
              show_default=True, help="json: a JSON line per input, the record as the contract has it; jsonld: the "
              "same lines with the record as a schema.org JobPosting (Google's job-posting markup); table: each "
              "record as a table for people to read.")
@click.option("--all-roles", is_flag=True,
              help='A record per role each input offers: each line holds "records": [...] in text order, instead '
              'of the first role\'s "record".')
@click.option("--keep-errors", is_flag=True,
              help="On a rerun with -o, keep inputs that ended with a retryable error (endpoint down or timing out, "
              "a worker that died) as they are; by default they are tried again.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this machine (see --workers); ray: a Ray cluster through Ray Data (the [ray] extra), "
              "-o naming a folder that Ray writes JSON Lines files into, one row per input.")
@click.option("--address", help="With --engine ray: the cluster to join (ray://head:10001); unset: RAY_ADDRESS, "
              "else a cluster started on this machine.")
@click.option("--actors", type=click.IntRange(1), default=1, show_default=True,
              help="With --engine ray: extractors side by side, one per Ray actor, each with its own embedded model "
              "or client of the endpoint.")
@click.option("--cpus-per-actor", type=click.FloatRange(0, min_open=True), default=1.0, show_default=True,
              help="With --engine ray: CPUs each actor reserves (the embedded model's threads).")
def extract(
    sources: tuple[str, ...],
    output: Path | None,
    jsonl: bool,
    concurrency: int | None,
    workers: int | None,
    model: str | None,
    base_url: str | None,
    no_cache: bool,
    record_format: str,
    all_roles: bool,
    keep_errors: bool,
    engine: str,
    address: str | None,
    actors: int,
    cpus_per_actor: float,
) -> None:
    """Extract a record from each input in SOURCES, as JSON Lines.

    A source is a file, a glob ("postings/*.txt"), a directory (its .txt, .md and
    .html files), - for stdin, or a JSON Lines file (*.jsonl, or any source with
    --jsonl) with one {"id": ..., "text": ...} per line. An input may be a posting's
    text, an HTML page (a schema.org JobPosting in its JSON-LD or microdata is read),
    or a JSON document from a job board's or applicant-tracking system's API.

    Each output line is {"source": ..., "record": {...}} or {"source": ...,
    "error": {"type": ..., "message": ...}}, with "cached" and token "usage".
    Lines are written as inputs finish, so with -o a killed run resumes where it
    stopped, and tries again the inputs that failed for a reason outside them (the
    endpoint down or timing out); the last line of an input is the one that counts.
    Stdin is known by its content, so two runs that pipe in different texts both
    count. A summary goes to stderr; the exit status is 1 when any input failed.
    """
    from extractor.batch import BatchSummary, iter_extract, iter_inputs, write_result
    from extractor.pipeline import Extractor

    settings = _settings(endpoint={"model": model, "base_url": base_url}, cache={"enabled": False if no_cache else None})
    if record_format == "table" and output is not None:
        raise click.BadParameter("a table is for reading, not resuming: use it without -o", param_hint="'--format'")
    if engine == "ray":
        if record_format != "json":
            raise click.BadParameter("--engine ray writes the record's JSON in each row", param_hint="'--format'")
        if workers:
            raise click.BadParameter("--engine ray shares the inputs among --actors", param_hint="'--workers'")
        _extract_on_ray(
            sources, output, jsonl, settings, concurrency, all_roles, keep_errors,
            address=address, actors=actors, cpus_per_actor=cpus_per_actor,
        )  # fmt: skip
    with contextlib.ExitStack() as stack:
        out, state = _results_output(stack, output, keep_errors)
        summary = BatchSummary()
        pending = _pending(iter_inputs(sources, jsonl=jsonl), state, keep_errors, summary)
        extractor = Extractor(settings)

        async def write_as_they_finish(bar: tqdm) -> None:
            try:
                async for result in iter_extract(
                    extractor, pending, concurrency=concurrency, workers=workers, all_roles=all_roles,
                ):  # fmt: skip
                    if record_format == "table":
                        from extractor._table import write_table

                        write_table(out, result)
                    else:
                        write_result(out, result, record_format)
                    summary.add(result)
                    bar.update(summary.done + summary.skipped - bar.n)
            finally:
                await extractor.aclose()

        with _progress(sources, jsonl) as bar:
            asyncio.run(write_as_they_finish(bar))
    click.echo(summary.describe(), err=True)
    sys.exit(1 if summary.errors else 0)


def _extract_on_ray(
    sources: tuple[str, ...], output: Path | None, jsonl: bool, settings: Settings, concurrency: int | None,
    all_roles: bool, keep_errors: bool, *, address: str | None, actors: int, cpus_per_actor: float,
) -> NoReturn:  # fmt: skip
    """``extract --engine ray``: the inputs as a Ray dataset, extracted by actors, written by Ray's JSON writer."""
    from extractor.batch import iter_inputs

    try:
        import ray

        from extractor import ray as on_ray
    except ImportError:
        raise click.ClickException("--engine ray needs its extra: pip install 'extractor[ray]'") from None
    if output is None:
        raise click.BadParameter("--engine ray writes a folder of JSON Lines files: name it", param_hint="'-o'")
    ray.init(address=address, ignore_reinit_error=True)
    done = on_ray.finished_ids(str(output), keep_errors=keep_errors)
    rows, skipped = [], 0
    for item in iter_inputs(sources, jsonl=jsonl):
        if item.key in done:
            skipped += 1
            continue
        text = item.text.encode("utf-8", "surrogatepass") if isinstance(item.text, str) else item.text
        rows.append({"id": item.key, "text": text, "error": None if item.read_error is None else str(item.read_error)})
    errors: Counter[str] = Counter()
    if rows:
        results = on_ray.extract_dataset(
            ray.data.from_items(rows), settings, actors=actors, cpus_per_actor=cpus_per_actor,
            concurrency=concurrency, all_roles=all_roles,
        ).materialize()  # fmt: skip
        results.write_json(str(output))
        errors.update(row["error_type"] for row in results.select_columns(["error_type"]).iter_rows() if row["error_type"])
    described = ", ".join(f"{kind} {count}" for kind, count in errors.most_common()) or "none"
    click.echo(f"{len(rows)} done, {skipped} already in {output}, errors: {described}", err=True)
    sys.exit(1 if errors else 0)


def _progress(sources: tuple[str, ...], jsonl: bool) -> tqdm:
    """A progress bar with rate and ETA on stderr when it is a terminal, sized by the inputs counted first."""
    from extractor.batch import count_inputs

    show = sys.stderr.isatty()
    total = count_inputs(sources, jsonl=jsonl) if show else None
    return tqdm(total=total, unit="posting", file=sys.stderr, disable=not show, dynamic_ncols=True)


def _ticking(items: Iterator[BatchInput], bar: tqdm) -> Iterator[BatchInput]:
    """The inputs, the bar moved on as each is taken."""
    for item in items:
        yield item
        bar.update(1)


def _results_output(stack: contextlib.ExitStack, output: Path | None, keep_errors: bool) -> tuple[IO[str], ResumeState]:
    """Where result lines go (``output`` opened to append, else stdout) and what ``output`` already holds."""
    from extractor.batch import ResultsFile, ResumeState

    if output is None:
        return sys.stdout, ResumeState()
    results = ResultsFile(output)
    try:
        state = results.scan()
        out = stack.enter_context(results.open())
    except OSError as error:
        reason = error.strerror or str(error)
        raise click.BadParameter(f"cannot write {output}: {reason}", param_hint="'-o' / '--output'") from None
    if state.final or state.retry:
        retrying = "kept as they are" if keep_errors else "tried again"
        log.warning("%s already holds %d finished inputs (skipped) and %d with a retryable error (%s)",
                    output, len(state.final), len(state.retry), retrying)  # fmt: skip
    return out, state


def _pending(
    items: Iterator[BatchInput], state: ResumeState, keep_errors: bool, summary: BatchSummary
) -> Iterator[BatchInput]:
    """The inputs the output does not hold yet, read one at a time as the batch pulls them."""
    done = state.final | state.retry if keep_errors else state.final
    for item in items:
        if item.key in done:
            summary.skipped += 1
            continue
        summary.retried += item.key in state.retry
        yield item


@cli.group()
def batchfile() -> None:
    """Run a batch through a provider's batch API (OpenAI's bills half), or `vllm run-batch`.

    \b
    1. extractor batchfile build SOURCES... -o requests.jsonl
    2. submit requests.jsonl (OpenAI: upload it as a file with purpose "batch" and
       create a batch on /v1/chat/completions; vLLM: vllm run-batch -i requests.jsonl
       -o results.jsonl --model MODEL) and download the results file
    3. extractor batchfile collect results.jsonl SOURCES... -o records.jsonl

    Set EXTRACTOR_BASE_URL and EXTRACTOR_MODEL as for live calls: the requests are
    built for that endpoint's mode and model. Give collect the same sources and
    options as build.
    """


_batch_options = [
    click.option("--jsonl", is_flag=True, help='Read every source as JSON Lines of {"id": ..., "text": ...}.'),
    click.option("--all-roles", is_flag=True, help="Ask for every role each input offers (as extract --all-roles)."),
    click.option("--model", help="Model name at the endpoint; overrides EXTRACTOR_MODEL."),
    click.option("--base-url", help="The endpoint the requests are for; overrides EXTRACTOR_BASE_URL."),
]


def _with_batch_options(command: Any) -> Any:
    for option in reversed(_batch_options):
        command = option(command)
    return command


@batchfile.command("build")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The requests file to write (replaced if it exists).")
@_with_batch_options
def batchfile_build(
    sources: tuple[str, ...], output: Path, jsonl: bool, all_roles: bool, model: str | None, base_url: str | None
) -> None:
    """Write the model request of each input in SOURCES as one line of a batch file.

    Sources are read as extract reads them. Inputs that end before any call
    (empty, not a posting by screening) and inputs the cache already holds get no
    request: collect writes their lines from the same inputs.
    """
    from extractor import batchfile as batch_files
    from extractor.batch import iter_inputs

    settings = _settings(endpoint={"model": model, "base_url": base_url})
    try:
        with output.open("w", encoding="utf-8") as out, _progress(sources, jsonl) as bar:
            items = _ticking(iter_inputs(sources, jsonl=jsonl), bar)
            summary = batch_files.build(items, out, settings, all_roles=all_roles)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"{output}: {summary.describe()}", err=True)


@batchfile.command("collect")
@click.argument("results_path", metavar="RESULTS", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Append JSON Lines here, as extract does; a rerun skips the inputs it holds. [stdout]")
@click.option("--format", "record_format", type=click.Choice(["json", "jsonld"]), default="json", show_default=True,
              help="The record as the contract has it, or as a schema.org JobPosting.")
@click.option("--price-factor", type=click.FloatRange(0), default=BATCH_PRICE_FACTOR, show_default=True,
              help="What the batch API bills of the live price (EXTRACTOR_PRICE_*), for the cost reported.")
@_with_batch_options
def batchfile_collect(
    results_path: Path, sources: tuple[str, ...], output: Path | None, record_format: str, price_factor: float,
    jsonl: bool, all_roles: bool, model: str | None, base_url: str | None,
) -> None:  # fmt: skip
    """Turn the provider's RESULTS file into one line per input in SOURCES, as extract writes them.

    Each answer is validated, held to its text and reconciled exactly as a live
    answer is, with no re-ask: an answer that does not validate ends as
    OutputValidationError, an input the batch did not answer as
    ProviderUnavailableError (build the inputs left into a new batch). The summary
    counts the tokens the results report and their cost.
    """
    from extractor import batchfile as batch_files
    from extractor.batch import BatchSummary, iter_inputs, write_result

    settings = _settings(endpoint={"model": model, "base_url": base_url})
    try:
        batch_files.require_endpoint(settings)
        results = batch_files.ProviderResults(results_path)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    with contextlib.ExitStack() as stack:
        out, state = _results_output(stack, output, keep_errors=False)
        summary = BatchSummary()
        bar = stack.enter_context(_progress(sources, jsonl))
        pending = _pending(_ticking(iter_inputs(sources, jsonl=jsonl), bar), state, False, summary)
        for result in batch_files.collect(pending, results, settings, all_roles=all_roles, price_factor=price_factor):
            write_result(out, result, record_format)
            summary.add(result)
    click.echo(summary.describe(), err=True)
    sys.exit(1 if summary.errors else 0)


REPLAY_HINT = "extractor eval --record (needs the model the cassettes were recorded with)"


@cli.command("eval")
@click.option("--cases", "cases_dir", type=click.Path(path_type=Path, file_okay=False), default=str(DEFAULT_CASES),
              show_default=True, help="Folder of <id>.txt postings beside their <id>.json gold records.")
@click.option("--case", "only", multiple=True, help="Run only this case id (repeatable).")
@click.option("--model", help="Model name, or for the embedded runtime a local model name or .gguf path.")
@click.option("--base-url", help="OpenAI-compatible endpoint; overrides EXTRACTOR_BASE_URL.")
@click.option("--prompt", "prompt_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Measure this prompt file instead of prompts/extract.md.")
@click.option("--no-cache", is_flag=True, help="Call the model for every case.")
@click.option("--concurrency", type=click.IntRange(1), help="Cases in flight at once [1 embedded, 4 hosted].")
@click.option("--replay", is_flag=True, help="Answer every call from the recorded cassettes: no model, no network.")
@click.option("--record", is_flag=True, help="Call the model and record each case's exchange as a cassette.")
@click.option("--oracle", is_flag=True,
              help="Answer every call with the case's gold record (a perfect model, offline): the score is the "
              "ceiling the pipeline itself puts on any model.")
@click.option("--part", type=click.Choice(["tune", "heldout"]), help="Run only the cases of this part [both].")
@click.option("--cassettes", "cassette_dir", type=click.Path(path_type=Path, file_okay=False),
              default=str(EVAL_CASSETTES), show_default=True, help="Where --record writes and --replay reads.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              default="evals/reports/last.json", show_default=True, help="Write the JSON report here.")
@click.option("--html", "html_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the HTML report here [the report path with .html].")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A previous JSON report: show the change per field and per case, regressions first.")
@click.option("--pages", "pages_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write a page per case here: the text with the prediction's spans highlighted, and the "
              "prediction against gold (extractor show's view); the HTML report links them.")
@click.option("--min-score", type=click.FloatRange(0, 1), help="Exit with status 1 when the overall score is lower.")
def eval_command(
    cases_dir: Path,
    only: tuple[str, ...],
    model: str | None,
    base_url: str | None,
    prompt_file: Path | None,
    no_cache: bool,
    concurrency: int | None,
    replay: bool,
    record: bool,
    oracle: bool,
    part: str | None,
    cassette_dir: Path,
    report_path: Path,
    html_path: Path | None,
    baseline: Path | None,
    pages_dir: Path | None,
    min_score: float | None,
) -> None:
    """Score extraction against the hand-labeled gold records in evals/cases.

    Prints per-field scores for the whole set and for each part side by side
    (tune: what rules and prompts may be written against; heldout: what measures
    whether they generalize), per language, per case, the gap between the parts and
    the all-null floor (what a record of nothing but nulls would score). Writes a JSON
    report to compare runs with and an HTML report to read them.

    \b
    Examples:
      extractor eval                          live, on the configured model
      extractor eval --replay                 offline, from tests/cassettes/evals
      extractor eval --oracle                 offline, a perfect model: the pipeline's ceiling
      extractor eval --prompt terse.md --baseline evals/reports/qwen2.5-coder-0.5b.json
    """
    from extractor.evals.run import build_report, load_cases, run_eval
    from extractor.llm.cassettes import CassetteLibrary, replay_client
    from extractor.pipeline import Extractor
    from extractor.testing import FakeEndpoint, Oracle

    if replay + record + oracle > 1:
        raise click.UsageError("--replay, --record and --oracle exclude each other")
    try:
        cases = load_cases(cases_dir, set(only) or None)
    except (ExtractionError, OSError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    cases = [case for case in cases if part is None or case.split == part]
    stack = contextlib.ExitStack()
    if oracle:
        endpoint = FakeEndpoint(record_requests=False)
        stack.callback(endpoint.close)
        endpoint.router = Oracle([
            (case.text_path.read_text("utf-8", errors="replace"), {**case.gold, **({"roles": case.roles} if case.roles else {})})
            for case in cases
        ])  # fmt: skip
        base_url, model = endpoint.url, "oracle"
    # A cache hit would skip the call that a cassette records or replays, or that the oracle answers.
    settings = _settings(endpoint={"model": model, "base_url": base_url}, question={"prompt_file": prompt_file},
                         cache={"enabled": False if (no_cache or replay or record or oracle) else None})
    extractor = Extractor(settings, llm=replay_client(settings) if replay else None)
    library = CassetteLibrary(cassette_dir, record=record, rerecord_hint=REPLAY_HINT) if replay or record else None
    workers = 1 if library else concurrency or (1 if settings.embedded else 4)

    with stack, click.progressbar(length=len(cases), label="eval", file=sys.stderr) as bar:
        lock = threading.Lock()

        def on_result(result: CaseResult) -> None:
            if result.extraction.error_type == CassetteMissError.__name__:
                raise CassetteMissError(str(result.extraction.error_message))
            with lock:
                bar.update(1)

        try:
            results = run_eval(extractor, cases, concurrency=workers, on_result=on_result,
                               around_case=library.use if library else None)
        except CassetteMissError as error:
            raise click.ClickException(str(error)) from error

    report = build_report(extractor, results, mode="replay" if replay else "oracle" if oracle else "live")
    write_json(report, report_path)
    texts = {case.id: case.text_path.read_text(encoding="utf-8", errors="replace") for case in cases}
    html_out = html_path or report_path.with_suffix(".html")
    pages = None
    if pages_dir is not None:
        _write_case_pages(extractor, cases, results, pages_dir)
        pages = os.path.relpath(pages_dir, html_out.parent)
    html_out.write_text(render_html(report, texts, {case.id: case.gold for case in cases}, pages), encoding="utf-8")
    click.echo(render_table(report))
    if baseline:
        click.echo("")
        click.echo(render_diff(report, read_json(baseline)))
    click.echo(f"\nreport: {report_path}  html: {html_out}")
    if min_score is not None and report["overall"] < min_score:
        click.echo(f"overall {report['overall']:.3f} is below --min-score {min_score}", err=True)
        sys.exit(1)


def _write_case_pages(extractor: Extractor, cases: list[Case], results: list[CaseResult], folder: Path) -> None:
    """A page per case with a record: the prediction's spans in the cleaned text, and the prediction against gold."""
    from extractor._show import render_page
    from extractor.reconcile.evidence import locate
    from extractor.record import JobPosting

    folder.mkdir(parents=True, exist_ok=True)
    for case, result in zip(cases, results, strict=True):
        if result.prediction is None:
            continue
        text = extractor.read_input(case.text_path.read_bytes()).text
        evidence = locate(JobPosting.model_validate(result.prediction), text)
        page = render_page(text, evidence, source=case.id, gold=(result.prediction, case.gold, result.scores))
        (folder / f"{case.id}.html").write_text(page, encoding="utf-8")


class JsonFormatter(logging.Formatter):
    """One JSON object per log line, with the extra fields a record carries (request_id, status)."""

    _STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in self._STANDARD})
        return json.dumps(entry, default=str)


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the page. [SOURCE's name + .html, in the current folder]")
@click.option("--model", help="Model name, or for the embedded runtime a local model name or .gguf path.")
@click.option("--base-url", help="OpenAI-compatible endpoint; overrides EXTRACTOR_BASE_URL.")
def show(source: str, output: Path | None, model: str | None, base_url: str | None) -> None:
    """Extract SOURCE and write one HTML page that shows where each value came from.

    The posting's text with each field's words highlighted in the field's colour, the
    record beside it, and every value the text does not state marked. The page is
    self-contained (no script, nothing fetched): open it in any browser.

    \b
    Example:
      extractor show evals/cases/seed_000_descript.txt && xdg-open seed_000_descript.html
    """
    from extractor._show import render_page
    from extractor.pipeline import Extractor

    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    target = output or Path(f"{'stdin' if source == '-' else Path(source).stem}.html")
    try:
        trace = Extractor(_settings(endpoint={"model": model, "base_url": base_url})).trace(raw)
    except ExtractionError as error:
        raise click.ClickException(f"{type(error).__name__}: {error}") from error
    target.write_text(render_page(trace.text, trace.evidence, source=source), encoding="utf-8")
    unsupported = sum(not item.supported for item in trace.evidence)
    click.echo(f"{target}: {len(trace.evidence)} values, {unsupported} not stated in the text", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--model", help="Model name, or for the embedded runtime a local model name or .gguf path.")
@click.option("--base-url", help="OpenAI-compatible endpoint; overrides EXTRACTOR_BASE_URL.")
def serve(host: str, port: int, model: str | None, base_url: str | None) -> None:
    """Serve extraction over HTTP: POST /v1/extract, /v1/extract/batch, /healthz, /readyz, /metrics.

    The model loads once and serves every request. Limits come from the
    EXTRACTOR_SERVICE_* settings; set EXTRACTOR_SERVICE_API_KEY to require
    "Authorization: Bearer <key>". The OpenAPI document is at /openapi.json, docs at /docs.
    Logs are JSON lines when stderr is not a terminal.
    """
    try:
        import uvicorn

        from extractor.service import create_app
    except ImportError:
        raise click.ClickException("the HTTP service needs its extra: pip install 'extractor[serve]'") from None
    settings = _settings(endpoint={"model": model, "base_url": base_url})
    if host not in ("127.0.0.1", "localhost", "::1") and settings.service.api_key is None:
        log.warning("listening on %s without EXTRACTOR_SERVICE_API_KEY: anyone who can reach it can use it", host)
    if not sys.stderr.isatty():
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        logging.getLogger().handlers[:] = [handler]
    logging.getLogger("extractor").setLevel(logging.INFO)
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, timeout_graceful_shutdown=30)


@cli.group()
def cache() -> None:
    """Inspect or clear the result cache."""


def _records(count: int) -> str:
    return f"{count} record{'' if count == 1 else 's'}"


def _result_cache() -> ResultCache | None:
    from extractor._cache import ResultCache

    """The result cache's directory, opened; None (with a message) when the cache is off."""
    settings = _settings()
    if not settings.cache.enabled:
        click.echo(f"the result cache is off (EXTRACTOR_CACHE=false); it would live in {settings.cache.dir / 'results'}")
        return None
    return ResultCache(settings.cache.dir / "results")


@cache.command("info")
def cache_info() -> None:
    """Print where the cache lives and how many records it holds."""
    results = _result_cache()
    if results is not None:
        click.echo(f"{results.directory}: {_records(results.records())}")


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached result (the joined local model stays)."""
    results = _result_cache()
    if results is not None:
        click.echo(f"removed {_records(results.clear())} from {results.directory}")


def main() -> None:
    cli(prog_name="extractor")
