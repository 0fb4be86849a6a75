"""The SQLite backend: one file, WAL journal, FTS5 for full-text search. The default on a laptop."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ..models import Document
from .base import MARK_END, MARK_START, RANKED, Row, SearchHit, Store, StoreError


class SQLiteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        """Open (creating and migrating) the database; `readonly` opens an existing one for reading.

        A read-only store may be shared by a web server's threads: SQLite serialises access.
        """
        self.path = str(path)
        try:
            if readonly:
                if not Path(path).is_file():
                    raise StoreError(f"{self.path}: no such knowledge base")
                uri = f"{Path(path).resolve().as_uri()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
                self.conn.row_factory = sqlite3.Row
                self._check_version()
                return
            if self.path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            # Transactions are ours (BEGIN ... COMMIT in _tx), not the sqlite3 module's.
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a bilateral database ({exc})") from exc

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return [dict(r) for r in self.conn.execute(sql, tuple(params)).fetchall()]

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def _iter(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        cursor = self.conn.execute(sql, tuple(params))
        while batch := cursor.fetchmany(1000):
            yield from (dict(r) for r in batch)

    def _tx(self) -> AbstractContextManager[Any]:
        return _Transaction(self.conn)

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
        try:
            rows = self._search(query, limit)
        except sqlite3.OperationalError:
            # Not valid FTS5 syntax: search for the words as plain terms instead.
            terms = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
            rows = self._search(terms, limit) if terms else []
        return [SearchHit(r["doc"], int(r["start"]), int(r["end"]), r["snip"], r["title"]) for r in rows]

    def _search(self, match: str, limit: int) -> list[Row]:
        # The newest RANKED matches, found in rowid order without ranking any, bound the ranking.
        newest = self._run(
            "SELECT min(rowid) AS low FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT ?)",
            (match, RANKED),
        )
        return self._run(
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

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.outer = False

    def __enter__(self) -> None:
        self.outer = not self.conn.in_transaction
        if self.outer:
            self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *exc: object) -> None:
        if self.outer:
            self.conn.execute("ROLLBACK" if kind else "COMMIT")


def _statements(script: str) -> list[str]:
    """The statements of a migration script (no semicolons inside our statements)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
