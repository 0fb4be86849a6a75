"""The SQLite backend: one file, WAL journal, FTS5 for full-text search. The default on a laptop.

Every SQLite error leaves this module as a StoreError whose message says what to do: a writer
that waited BUSY_TIMEOUT for another's lock, a read-only file or folder, a damaged file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ..models import Document
from .base import MARK_END, MARK_START, RANKED, SearchHit, Store, StoreError
from .sql import Row

# Seconds a writer waits for another process's write transaction (a consolidation of a large
# corpus holds one for minutes) before giving up with a message instead of "database is locked".
BUSY_TIMEOUT = 600.0


class SQLiteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: str | Path, readonly: bool = False, timeout: float = BUSY_TIMEOUT) -> None:
        """Open (creating and migrating) the database; `readonly` opens an existing one for reading.

        A read-only store may be shared by a web server's threads: SQLite serialises access.
        """
        self.path = str(path)
        self.timeout = timeout
        _check_header(Path(path))
        try:
            if readonly:
                if not Path(path).is_file():
                    raise StoreError(f"{self.path}: no such knowledge base")
                self.conn = self._connect_readonly(Path(path))
                self._check_version()
                return
            if self.path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self._check_writable(Path(path))
            # Transactions are ours (BEGIN ... COMMIT in _tx), not the sqlite3 module's.
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            # In WAL mode, NORMAL syncs at checkpoints, not at every commit (a document's ingest
            # is one): the file stays consistent whatever happens, and a killed process loses
            # nothing committed; only a power cut may undo the last commits.
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot create the knowledge base ({exc.strerror or exc})"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise self._error(exc, opening=True) from exc

    def _check_writable(self, path: Path) -> None:
        """Say at once that a knowledge base cannot be written, not at its first write."""
        if path.exists() and not os.access(path, os.W_OK):
            raise StoreError(f"{self.path}: the knowledge base is read-only here (no write permission)")
        if not os.access(path.parent, os.W_OK):
            raise StoreError(
                f"{self.path}: the knowledge base is read-only here (its folder cannot be written, and"
                " SQLite keeps its journal beside it)"
            )

    def _connect_readonly(self, path: Path) -> sqlite3.Connection:
        """Read-only; in a folder we cannot write, SQLite cannot make its shared-memory file, so
        the file is opened as immutable (nobody can be writing it there either)."""
        uri = f"{path.resolve().as_uri()}?mode=ro"
        if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
            uri += "&immutable=1"
        conn = sqlite3.connect(uri, uri=True, timeout=self.timeout, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        return conn

    def _error(self, exc: sqlite3.Error, opening: bool = False) -> StoreError:
        """The StoreError that says what an SQLite error means for the user."""
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreError(
                f"{self.path}: another process has been writing to the knowledge base for over"
                f" {self.timeout:.0f} s; try again when it has finished"
            )
        if "readonly" in text or "read-only" in text:
            return StoreError(f"{self.path}: the knowledge base is read-only here ({text}); use a copy")
        if opening and "not a database" in text:  # no SQLite header: some other file
            return StoreError(f"{self.path}: not a bilateral database ({text})")
        if "malformed" in text or "not a database" in text or "disk image" in text:
            return StoreError(
                f"{self.path}: the database file is damaged ({text}); restore it from a backup or"
                " build it again with `bilateral extract` into a new file"
            )
        if "unable to open" in text:
            return StoreError(f"{self.path}: cannot open the knowledge base ({text})")
        if opening:
            return StoreError(f"{self.path}: not a bilateral database ({text})")
        return StoreError(f"{self.path}: database error ({text})")

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        try:
            return self._raw(sql, params)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def _raw(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return [dict(r) for r in self.conn.execute(sql, tuple(params)).fetchall()]

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def _iter(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        try:
            cursor = self.conn.execute(sql, tuple(params))
            while batch := cursor.fetchmany(1000):
                yield from (dict(r) for r in batch)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def _tx(self) -> AbstractContextManager[Any]:
        return _Transaction(self)

    def _script(self, sql: str) -> None:
        for statement in _statements(sql):
            self.conn.execute(statement)

    def _tables(self) -> set[str]:
        return {r["name"] for r in self._run("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _put_search(self, doc: Document, sentences: list[tuple[int, int]]) -> None:
        self._many(
            "INSERT INTO sentences VALUES (?,?,?,?)",
            [(doc.id, i, s, e) for i, (s, e) in enumerate(sentences)],
        )
        self._many(
            'INSERT INTO sentences_fts (text, doc, start, "end") VALUES (?,?,?,?)',
            [(doc.text[s:e], doc.id, s, e) for s, e in sentences],
        )

    def _delete_search(self, doc_id: str) -> None:
        self._run("DELETE FROM sentences_fts WHERE doc = ?", (doc_id,))

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        query = query.replace("\x00", " ")  # a NUL ends the query string inside SQLite
        try:
            try:
                rows = self._search(query, limit) if query.strip() else []
            except sqlite3.OperationalError:
                # Not valid FTS5 syntax: search for the words as plain terms instead.
                terms = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
                rows = self._search(terms, limit) if terms else []
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc
        return [SearchHit(r["doc"], int(r["start"]), int(r["end"]), r["snip"], r["title"]) for r in rows]

    def _search(self, match: str, limit: int) -> list[Row]:
        # The newest RANKED matches, found in rowid order without ranking any, bound the ranking.
        newest = self._raw(
            "SELECT min(rowid) AS low FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT ?)",
            (match, RANKED),
        )
        return self._raw(
            'SELECT f.doc, f.start, f."end", d.title,'
            f" snippet(sentences_fts, 0, '{MARK_START}', '{MARK_END}', '…', 16) AS snip"
            " FROM sentences_fts f JOIN documents d ON d.id = f.doc"
            " WHERE sentences_fts MATCH ? AND f.rowid >= ? ORDER BY rank LIMIT ?",
            (match, newest[0]["low"] or 0, limit),
        )

    def close(self) -> None:
        self.conn.close()


class _Transaction(AbstractContextManager[None]):
    """BEGIN ... COMMIT, or ROLLBACK on error; nested uses join the outer transaction."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.conn = store.conn
        self.outer = False

    def __enter__(self) -> None:
        self.outer = not self.conn.in_transaction
        if self.outer:
            try:
                self.conn.execute("BEGIN IMMEDIATE")  # waits up to the timeout for another writer
            except sqlite3.DatabaseError as exc:
                raise self.store._error(exc) from exc

    def __exit__(self, kind: object, *exc: object) -> None:
        if not self.outer:
            return
        try:
            self.conn.execute("ROLLBACK" if kind else "COMMIT")
        except sqlite3.DatabaseError as error:
            if not kind:  # the commit failed; a failed rollback would hide the first error
                raise self.store._error(error) from error


def _statements(script: str) -> list[str]:
    """The statements of a migration script (no semicolons inside our statements)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _check_header(path: Path) -> None:
    """A file that is there but is not SQLite at all is some other file, not a damaged database."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return  # missing or unreadable: said when it is opened
    if head and head != b"SQLite format 3\x00":
        raise StoreError(f"{path}: not a bilateral database (not an SQLite file)")
