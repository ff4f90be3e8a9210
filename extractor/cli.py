"""The ``extractor`` command: the library's functions, with errors turned into messages and exit codes."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import IO, Any

import click

from extractor import __version__
from extractor.config import Settings
from extractor.errors import ExtractionError
from extractor.pipeline import Extractor

log = logging.getLogger("extractor")


def _settings(**overrides: Any) -> Settings:
    """Settings from the environment and .env, with the options the user gave on top."""
    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


def _write(out: IO[str], line: dict[str, Any]) -> None:
    out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()


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
      extractor cache clear
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write JSON Lines here.")
@click.option("--model", help="Model name, or for the embedded runtime a local model name or .gguf path.")
@click.option("--base-url", help="OpenAI-compatible endpoint; overrides EXTRACTOR_BASE_URL.")
@click.option("--no-cache", is_flag=True, help="Always call the model; neither read nor write the cache.")
def extract(paths: tuple[str, ...], output: IO[str], model: str | None, base_url: str | None, no_cache: bool) -> None:
    """Extract one record per PATH (a file, or - for stdin), as JSON Lines.

    Each output line is {"source": PATH, "record": {...}} or
    {"source": PATH, "error": {"type": ..., "message": ...}}. The exit code is 0
    when every input gave a record, 1 when any gave an error.
    """
    extractor = Extractor(_settings(model=model, base_url=base_url, cache=False if no_cache else None))
    failures = 0
    for source in paths:
        try:
            result = extractor.run(_read(source))
        except (ExtractionError, OSError) as error:
            failures += 1
            log.info("%s: %s: %s", source, type(error).__name__, error)
            _write(output, {"source": source, "error": {"type": type(error).__name__, "message": str(error)}})
        else:
            log.info("%s: %s in %.1fs", source, "cached" if result.cached else "extracted", result.seconds)
            _write(output, {"source": source, "record": result.record.model_dump(mode="json")})
    sys.exit(1 if failures else 0)


@cli.group()
def cache() -> None:
    """Inspect or clear the result cache."""


@cache.command("info")
def cache_info() -> None:
    """Print where the cache lives and how many entries it holds."""
    extractor = Extractor(_settings())
    assert extractor.cache is not None
    click.echo(f"{extractor.cache.directory}: {len(extractor.cache)} entries")


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached result (the joined local model stays)."""
    extractor = Extractor(_settings())
    assert extractor.cache is not None
    click.echo(f"removed {extractor.cache.clear()} entries from {extractor.cache.directory}")


def main() -> None:
    cli(prog_name="extractor")
