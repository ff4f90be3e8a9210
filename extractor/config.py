"""Settings, read from the environment (``EXTRACTOR_*``) and an optional ``.env`` file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from extractor.cleanup.text import DEFAULT_MAX_INPUT_CHARS
from extractor.usage import Usage

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
    record = "record"  # the whole record, held to the text field by field (extractor.reconcile.policy)
    core = "core"  # title, company, places and level; pay, types, skills, dates and links read by rule


class _Group(BaseSettings):
    """A group of settings, each read from ``EXTRACTOR_<NAME>`` in the environment or ``.env``."""

    model_config = SettingsConfigDict(
        env_prefix="EXTRACTOR_", env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )


class EndpointSettings(_Group):
    """Where model calls go and how they travel."""

    base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint (https://api.openai.com/v1, http://localhost:11434/v1); "
        "unset runs the embedded local model",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("EXTRACTOR_API_KEY", "OPENAI_API_KEY", "api_key"),
        description="API key for base_url; OPENAI_API_KEY is read too",
    )
    model: str = Field(
        default=DEFAULT_LOCAL_MODEL,
        description="model name at base_url; without base_url: qwen2.5-coder-0.5b, qwen2.5-coder-1.5b or a .gguf path",
    )
    mode: OutputMode = Field(default=OutputMode.auto, description="how structured output is requested")
    timeout: float = Field(default=180.0, gt=0, description="seconds one HTTP request may take")
    max_retries: int = Field(default=4, ge=0, description="transport retries (429, 5xx, timeouts, connection errors)")
    retry_max_seconds: float = Field(default=120.0, gt=0, description="total seconds spent retrying one call")
    fast_client: bool = Field(
        default=False,
        description="opt in to a client that reaches past instructor's and openai's public APIs for less CPU per "
        "call (about 16 ms a text; for batches against a fast endpoint)",
    )

    @property
    def embedded(self) -> bool:
        """True when no endpoint is configured and the local model serves the calls."""
        return not self.base_url


class QuestionSettings(_Group):
    """What the model is asked, of how much text, and how it may answer."""

    strategy: Strategy = Field(
        default=Strategy.auto,
        description="what the model is asked: record (the whole record) or core (a few fields, the rest by rule); "
        "auto: core for the embedded model, record elsewhere",
    )
    prompt_file: Path | None = Field(default=None, description="a prompt file to use instead of prompts/extract.md")
    max_input_chars: int = Field(default=DEFAULT_MAX_INPUT_CHARS, gt=0, description="longest text accepted")
    max_tokens: int = Field(default=1024, gt=0, description="bound on tokens the model may generate per call")
    temperature: float = Field(default=0.0, ge=0, description="sampling temperature")
    max_reasks: int = Field(default=1, ge=0, description="re-asks when the output fails validation")


class CacheSettings(_Group):
    """The result cache."""

    model_config = SettingsConfigDict(env_prefix="EXTRACTOR_CACHE_")

    enabled: bool = Field(
        default=True, validation_alias=AliasChoices("EXTRACTOR_CACHE", "enabled"), description="serve repeated texts from the cache"
    )
    dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_cache_dir("extractor")),
        description="where cached results live (and the joined local model, unless model_dir is set)",
    )


class LocalModelSettings(_Group):
    """The embedded model, used when no endpoint is set."""

    model_config = SettingsConfigDict(env_prefix="EXTRACTOR_LOCAL_")

    model_dir: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("EXTRACTOR_MODEL_DIR", "model_dir"),
        description="where the joined local model lives (cache_dir/models)",
    )
    threads: int | None = Field(default=None, gt=0, description="CPU threads for the local model (all cores)")
    context: int = Field(default=8192, gt=0, description="context window of the local model, in tokens")


class BatchSettings(_Group):
    """Many texts at once (``extract_many``, ``extractor extract`` with several inputs)."""

    concurrency: int = Field(default=4, gt=0, description="model calls in flight at once in a batch")
    workers: int = Field(
        default=1, gt=0, description="processes a batch is shared among (for a fast endpoint and spare cores)"
    )


class PriceSettings(_Group):
    """What tokens cost, for the cost of each result and batch."""

    model_config = SettingsConfigDict(env_prefix="EXTRACTOR_PRICE_")

    prompt: float | None = Field(default=None, ge=0, description="USD per million prompt tokens, for cost reports")
    completion: float | None = Field(default=None, ge=0, description="USD per million completion tokens, for cost reports")

    def cost(self, usage: Usage) -> float | None:
        """What ``usage`` cost in USD; None when no price is set."""
        if self.prompt is None and self.completion is None:
            return None
        return (usage.prompt_tokens * (self.prompt or 0.0) + usage.completion_tokens * (self.completion or 0.0)) / 1e6


class ServiceSettings(_Group):
    """``extractor serve``."""

    model_config = SettingsConfigDict(env_prefix="EXTRACTOR_SERVICE_")

    max_concurrent: int = Field(default=2, gt=0, description="extractor serve: model calls at once")
    max_queue: int = Field(default=16, ge=0, description="extractor serve: calls waiting; more get 429")
    timeout: float = Field(default=120.0, gt=0, description="extractor serve: seconds per request (504)")
    max_body_bytes: int = Field(default=1_000_000, gt=0, description="extractor serve: largest body (413)")
    api_key: SecretStr | None = Field(
        default=None, description="extractor serve: require 'Authorization: Bearer <key>' on /v1/ routes"
    )


class Settings(BaseModel):
    """Every setting, in small groups; each has a default, so ``Settings()`` works on a fresh machine.

    Each group reads its options from the environment (``EXTRACTOR_*``) and ``.env`` when it is
    made; ``updated`` changes some::

        Settings().updated(endpoint={"base_url": "http://localhost:8080/v1"}, cache={"enabled": False})
    """

    endpoint: EndpointSettings = Field(default_factory=EndpointSettings)
    question: QuestionSettings = Field(default_factory=QuestionSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    local: LocalModelSettings = Field(default_factory=LocalModelSettings)
    batch: BatchSettings = Field(default_factory=BatchSettings)
    prices: PriceSettings = Field(default_factory=PriceSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)

    def updated(self, **groups: dict[str, Any]) -> Settings:
        """A copy with the given options of each group changed, validated (a ``ValueError`` says what is wrong)."""
        changed = {}
        for name, values in groups.items():
            group = getattr(self, name)
            changed[name] = type(group)(**{**dict(group), **values})
        return self.model_copy(update=changed)

    @property
    def embedded(self) -> bool:
        """True when no endpoint is configured and the local model serves the calls."""
        return self.endpoint.embedded

    @property
    def local_model_dir(self) -> Path:
        return self.local.model_dir or self.cache.dir / "models"

    @property
    def resolved_strategy(self) -> Strategy:
        if self.question.strategy is Strategy.auto:
            return Strategy.core if self.embedded else Strategy.record
        return self.question.strategy
