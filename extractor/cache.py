"""A disk cache of extraction results, so a repeated text costs no model call.

Keys hash everything that could change an answer (the cleaned text, model, endpoint,
prompt version, record schema, package version, generation settings), so a changed
prompt or schema never serves a stale record. Values are JSON, never pickles. A broken
entry or a broken cache file is a miss with a warning, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

import diskcache

log = logging.getLogger(__name__)


def cache_key(**parts: Any) -> str:
    """SHA-256 over the parts, serialized canonically (sorted keys)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class ResultCache:
    """JSON values under hashed keys in a ``diskcache`` directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._store = self._open()

    def _open(self) -> diskcache.Cache | None:
        try:
            return diskcache.Cache(str(self.directory))
        except (sqlite3.DatabaseError, OSError) as error:
            log.warning("cache at %s is unreadable (%s); moving it aside", self.directory, error)
        database = self.directory / diskcache.core.DBNAME
        try:
            database.rename(database.with_name(f"{database.name}.corrupt-{int(time.time())}"))
            return diskcache.Cache(str(self.directory))
        except (sqlite3.DatabaseError, OSError) as error:
            log.warning("cache at %s stays off for this run: %s", self.directory, error)
            return None

    def get(self, key: str) -> dict[str, Any] | None:
        if self._store is None:
            return None
        try:
            raw = self._store.get(key)
            return json.loads(raw) if raw is not None else None
        except Exception as error:  # a corrupt entry is a miss, whatever broke in it
            log.warning("cache entry %s is unreadable (%s); treating it as a miss", key[:12], error)
            self.delete(key)
            return None

    def set(self, key: str, value: dict[str, Any]) -> None:
        if self._store is None:
            return
        try:
            self._store.set(key, json.dumps(value, ensure_ascii=False))
        except Exception as error:  # a cache that cannot write must not fail the extraction
            log.warning("could not write cache entry %s: %s", key[:12], error)

    def delete(self, key: str) -> None:
        if self._store is None:
            return
        try:
            self._store.delete(key)
        except Exception as error:
            log.warning("could not delete cache entry %s: %s", key[:12], error)

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        return self._store.clear() if self._store is not None else 0

    def __len__(self) -> int:
        return len(self._store) if self._store is not None else 0

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
