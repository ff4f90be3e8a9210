"""Prompts are files: ``prompts/<name>.md``, a small front matter, then the text.

A prompt's version is the ``version`` its front matter declares plus a hash of the whole
file, so any edit (even one not followed by a version bump) changes the cache key and
every eval report names the exact prompt it measured.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import ExtractionError

# Installed wheels carry the prompts inside the package; a source checkout keeps them
# at the repository root, where the project layout puts them.
_PACKAGED = Path(__file__).parent.parent / "prompts"
_CHECKOUT = Path(__file__).parent.parent.parent / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    text: str


def prompt_path(name: str) -> Path:
    for folder in (_PACKAGED, _CHECKOUT):
        path = folder / f"{name}.md"
        if path.is_file():
            return path
    raise ExtractionError(f"prompt {name!r} not found in {_PACKAGED} or {_CHECKOUT}")


def parse_prompt(name: str, content: str) -> Prompt:
    """Split front matter (``key: value`` lines between ``---``) from the prompt text."""
    meta: dict[str, str] = {}
    text = content
    if content.startswith("---\n"):
        header, _, text = content[4:].partition("\n---\n")
        for line in header.splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    digest = hashlib.sha256(content.encode()).hexdigest()[:10]
    return Prompt(name=name, version=f"{name}@{meta.get('version', '0')}+{digest}", text=text.strip())


def load_prompt(name: str = "extract", path: Path | None = None) -> Prompt:
    """The named prompt from ``prompts/``, or the file at ``path`` when one is given."""
    source = path or prompt_path(name)
    try:
        content = source.read_text(encoding="utf-8")
    except OSError as error:
        raise ExtractionError(f"cannot read prompt file {source}: {error}") from error
    return parse_prompt(source.stem if path else name, content)
