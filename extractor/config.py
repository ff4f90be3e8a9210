"""Settings, read from the environment (``EXTRACTOR_*``) and an optional ``.env`` file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from extractor.cleanup import DEFAULT_MAX_INPUT_CHARS

DEFAULT_LOCAL_MODEL = "qwen2.5-coder-0.5b"
# What a provider's batch API bills of the live price (OpenAI's Batch API: half), for batch file costs.
BATCH_PRICE_FACTOR = 0.5


class OutputMode(StrEnum):
    """How the model is asked for JSON (instructor's modes that fit chat endpoints)."""

    auto = "auto"  # tools for api.openai.com, json_schema for every other endpoint
    json_schema = "json_schema"  # response_format with the schema: llama.cpp, vLLM, Ollama, OpenAI
    tools = "tools"  # a function call; fails with small local models
    json = "json"  # JSON mode, schema in the prompt, for endpoints without schema support
    md_json = "md_json"  # JSON inside a Markdown block, for endpoints with no JSON mode at all


class Strategy(StrEnum):
    """What the model is asked for."""

    auto = "auto"  # core for the embedded model, record for every other endpoint
    record = "record"  # the whole record, held to the text field by field (extractor.reconcile)
    core = "core"  # title, company, places and level; pay, types, skills, dates and links read by rule


class Settings(BaseSettings):
    """Every setting has a default, so ``Settings()`` works on a fresh machine."""

    model_config = SettingsConfigDict(
        env_prefix="EXTRACTOR_", env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint (https://api.openai.com/v1, http://localhost:11434/v1); "
        "unset runs the embedded local model",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("EXTRACTOR_API_KEY", "OPENAI_API_KEY"),
        description="API key for base_url; OPENAI_API_KEY is read too",
    )
    model: str = Field(
        default=DEFAULT_LOCAL_MODEL,
        description="model name at base_url; without base_url: qwen2.5-coder-0.5b, qwen2.5-coder-1.5b or a .gguf path",
    )
    mode: OutputMode = Field(default=OutputMode.auto, description="how structured output is requested")
    strategy: Strategy = Field(
        default=Strategy.auto,
        description="what the model is asked: record (the whole record) or core (a few fields, the rest by rule); "
        "auto: core for the embedded model, record elsewhere",
    )
    max_tokens: int = Field(default=1024, gt=0, description="bound on tokens the model may generate per call")
    temperature: float = Field(default=0.0, ge=0, description="sampling temperature")
    timeout: float = Field(default=180.0, gt=0, description="seconds one HTTP request may take")
    max_retries: int = Field(default=4, ge=0, description="transport retries (429, 5xx, timeouts, connection errors)")
    retry_max_seconds: float = Field(default=120.0, gt=0, description="total seconds spent retrying one call")
    max_reasks: int = Field(default=1, ge=0, description="re-asks when the output fails validation")
    fast_client: bool = Field(
        default=False,
        description="opt in to a client that reaches past instructor's and openai's public APIs for less CPU per "
        "call (about 9 ms a text; for batches against a fast endpoint)",
    )
    cache_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_cache_dir("extractor")),
        description="where cached results live (and the joined local model, unless model_dir is set)",
    )
    model_dir: Path | None = Field(default=None, description="where the joined local model lives (cache_dir/models)")
    prompt_file: Path | None = Field(default=None, description="a prompt file to use instead of prompts/extract.md")
    cache: bool = Field(default=True, description="serve repeated texts from the cache")
    max_input_chars: int = Field(default=DEFAULT_MAX_INPUT_CHARS, gt=0, description="longest text accepted")
    concurrency: int = Field(default=4, gt=0, description="extractions in flight at once in a batch")
    workers: int = Field(
        default=1, gt=0, description="processes a batch is shared among (for a fast endpoint and spare cores)"
    )
    price_prompt: float | None = Field(default=None, ge=0, description="USD per million prompt tokens, for cost reports")
    price_completion: float | None = Field(
        default=None, ge=0, description="USD per million completion tokens, for cost reports"
    )
    service_max_concurrent: int = Field(default=2, gt=0, description="extractor serve: model calls at once")
    service_max_queue: int = Field(default=16, ge=0, description="extractor serve: calls waiting; more get 429")
    service_timeout: float = Field(default=120.0, gt=0, description="extractor serve: seconds per request (504)")
    service_max_body_bytes: int = Field(default=1_000_000, gt=0, description="extractor serve: largest body (413)")
    service_api_key: SecretStr | None = Field(
        default=None, description="extractor serve: require 'Authorization: Bearer <key>' on /v1/ routes"
    )
    local_threads: int | None = Field(default=None, gt=0, description="CPU threads for the local model (all cores)")
    local_context: int = Field(default=8192, gt=0, description="context window of the local model, in tokens")

    @property
    def local_model_dir(self) -> Path:
        return self.model_dir or self.cache_dir / "models"

    @property
    def resolved_strategy(self) -> Strategy:
        if self.strategy is Strategy.auto:
            return Strategy.core if self.embedded else Strategy.record
        return self.strategy

    @property
    def embedded(self) -> bool:
        """True when no endpoint is configured and the local model serves the calls."""
        return not self.base_url
