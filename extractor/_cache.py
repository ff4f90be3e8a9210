"""A disk cache of extraction results, so a repeated text costs no model call.

Keys hash everything that could change an answer (the cleaned text, model, endpoint,
prompt version, record schema, package version, generation settings), so a changed
prompt or schema never serves a stale record. Values are JSON, never pickles. A broken
entry or a broken cache file is a miss with a warning, never a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import diskcache

log = logging.getLogger(__name__)

# Entries per commit inside ``ResultCache.deferred_writes``: two per text.
DEFERRED_WRITES = 64
# The diskcache tag of an entry stored under another key of the same record (the raw text's key).
ALIAS = "alias"


def cache_key(**parts: Any) -> str:
    """SHA-256 over the parts, serialized canonically (sorted keys)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _opened(directory: Path) -> diskcache.Cache:
    # Culled once per commit (``ResultCache._write``) rather than at every entry, where it costs two
    # queries of its own: a batch commits many entries at once.
    return diskcache.Cache(str(directory), cull_limit=0)


class ResultCache:
    """JSON values under hashed keys in a ``diskcache`` directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._store = self._open()
        # Written on the next commit, inside ``deferred_writes``: key -> (JSON, tag).
        self._pending: dict[str, tuple[str, str | None]] | None = None
        self._pending_lock = threading.Lock()

    def _open(self) -> diskcache.Cache | None:
        try:
            return _opened(self.directory)
        except (sqlite3.DatabaseError, OSError) as error:
            log.warning("cache at %s is unreadable (%s); moving it aside", self.directory, error)
        database = self.directory / diskcache.core.DBNAME
        try:
            database.rename(database.with_name(f"{database.name}.corrupt-{int(time.time())}"))
            return _opened(self.directory)
        except (sqlite3.DatabaseError, OSError) as error:
            log.warning("cache at %s stays off for this run: %s", self.directory, error)
            return None

    def get(self, key: str) -> dict[str, Any] | None:
        if self._store is None:
            return None
        try:
            pending = (self._pending or {}).get(key)
            raw = pending[0] if pending else self._store.get(key)
            return json.loads(raw) if raw is not None else None
        except Exception as error:  # a corrupt entry is a miss, whatever broke in it
            log.warning("cache entry %s is unreadable (%s); treating it as a miss", key[:12], error)
            self.delete(key)
            return None

    def set(self, keys: Iterable[str], value: dict[str, Any]) -> None:
        """Store ``value`` under each key, in one transaction (or the next batch's, inside ``deferred_writes``).

        The last key is the record's own (the cleaned text's); any before it are aliases
        (the raw text's), so that ``records()`` counts each record once.
        """
        if self._store is None:
            return
        blob = json.dumps(value, ensure_ascii=False)
        *aliases, own = keys
        entries: dict[str, tuple[str, str | None]] = {key: (blob, ALIAS) for key in aliases}
        entries[own] = (blob, None)
        with self._pending_lock:
            if self._pending is not None:
                self._pending.update(entries)
                if len(self._pending) < DEFERRED_WRITES:
                    return
                entries, self._pending = self._pending, {}
        self._write(entries)

    @contextlib.contextmanager
    def deferred_writes(self) -> Iterator[None]:
        """Within, entries are committed ``DEFERRED_WRITES`` at a time and the rest on the way out.

        A commit costs more than the writes in it, and a batch writes a record per text. A
        process killed inside loses the entries it had not committed: cache entries, which
        cost a model call to redo, never results.
        """
        with self._pending_lock:
            outermost = self._pending is None
            if outermost:
                self._pending = {}
        try:
            yield
        finally:
            if outermost:
                with self._pending_lock:
                    entries, self._pending = self._pending or {}, None
                self._write(entries)

    def _write(self, entries: dict[str, tuple[str, str | None]]) -> None:
        if not entries or self._store is None:
            return
        try:
            with self._store.transact():
                for key, (blob, tag) in entries.items():
                    self._store.set(key, blob, tag=tag)
            self._store.cull()
        except Exception as error:  # a cache that cannot write must not fail the extraction
            log.warning("could not write %d cache entries: %s", len(entries), error)

    def delete(self, key: str) -> None:
        if self._store is None:
            return
        try:
            self._store.delete(key)
        except Exception as error:
            log.warning("could not delete cache entry %s: %s", key[:12], error)

    def clear(self) -> int:
        """Remove every entry, and cache files once moved aside as corrupt; returns how many records there were."""
        records = self.records()
        if self._store is not None:
            self._store.clear()
        for moved in self.directory.glob("*.corrupt-*"):
            try:
                moved.unlink()
            except OSError as error:
                log.warning("could not remove %s: %s", moved, error)
        return records

    def records(self) -> int:
        """Records stored: each once, however many keys (raw and cleaned text) lead to it."""
        if self._store is None:
            return 0
        query = "SELECT COUNT(*) FROM Cache WHERE tag IS NULL OR tag != ?"
        return int(self._store._sql(query, (ALIAS,)).fetchone()[0])

    def __len__(self) -> int:
        """Entries stored: about two per record."""
        return len(self._store) if self._store is not None else 0

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
