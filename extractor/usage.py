"""Tokens an extraction spent: a module of its own, so that counting them needs no HTTP client."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Usage:
    """Tokens spent on one extraction, re-asks included."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
