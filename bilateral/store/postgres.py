"""The PostgreSQL backend: a shared knowledge base for several people and processes.

`--db postgresql://user@host/dbname` anywhere `--db FILE` works. The schema and its migrations
match SQLite's version for version; full-text search is PostgreSQL's own (a tsvector per
sentence, over its diacritic-folded text, with a GIN index; `websearch_to_tsquery` for queries,
`ts_headline` for snippets). Readers see committed data only, so `serve` processes read while
an ingest writes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from ..models import Document
from ..nlp.lexicon import fold
from .base import MARK_END, MARK_START, RANKED, SearchHit, Store, StoreError
from .sql import Row

CONFIG = "bilateral"  # English stems, no stop words (migration 007): "drones" finds "drone"


class PostgresStore(Store):
    dialect = "postgres"

    def __init__(self, url: str, readonly: bool = False) -> None:
        self.path = re.sub(r"//([^:@/]+):[^@/]*@", r"//\1:***@", url)  # no password in messages
        self._lock = threading.RLock()  # one connection, shared by a web server's threads
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect ({str(exc).strip()})") from exc
        try:
            if readonly:
                self.conn.execute("SET default_transaction_read_only = on")
                self._check_version()
            else:
                self._migrate()
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: {str(exc).strip()}") from exc

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """A server error (connection lost, database dropped) as a StoreError: one line, no traceback."""
        try:
            yield
        except psycopg.Error as exc:
            raise StoreError(
                f"{self.path}: {(str(exc).strip() or type(exc).__name__).splitlines()[0]}"
            ) from exc

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock, self._errors():
            cur = self.conn.execute(_pg(sql), tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self._lock, self._errors(), self.conn.cursor() as cur:
                cur.executemany(_pg(sql), rows)

    def _iter(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        # A server-side cursor: the server keeps the result and sends it 1000 rows at a time.
        with (
            self._lock,
            self._errors(),
            self.conn.transaction(),
            self.conn.cursor(name="bilateral_iter") as cur,
        ):
            cur.itersize = 1000
            cur.execute(_pg(sql), tuple(params))
            yield from cur

    def _tx(self) -> AbstractContextManager[Any]:
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock, self._errors(), self.conn.transaction():
            yield

    def _script(self, sql: str) -> None:
        with self._lock:
            self.conn.execute(sql.encode("utf-8"))

    def _tables(self) -> set[str]:
        rows = self._run("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return {r["tablename"] for r in rows}

    def _put_search(self, doc: Document, sentences: list[tuple[int, int]]) -> None:
        self._many(
            f"INSERT INTO sentences VALUES (?,?,?,?, to_tsvector('{CONFIG}', ?))",
            [(doc.id, i, s, e, fold(doc.text[s:e])) for i, (s, e) in enumerate(sentences)],
        )

    def _delete_search(self, doc_id: str) -> None:
        """Sentences go with their document (ON DELETE CASCADE)."""

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        folded = fold(query.replace("\x00", " "))  # PostgreSQL text cannot hold a NUL
        if not folded:
            return []
        rows = self._run(
            "WITH q AS (SELECT websearch_to_tsquery(?, ?) AS q),"
            ' newest AS (SELECT s.doc, s.start, s."end", s.tsv FROM sentences s, q WHERE s.tsv @@ q.q'
            " ORDER BY s.seq DESC LIMIT ?),"
            ' hits AS (SELECT n.doc, n.start, n."end", ts_rank(n.tsv, q.q) AS r FROM newest n, q'
            " ORDER BY r DESC, n.doc, n.start LIMIT ?)"
            ' SELECT h.doc, h.start, h."end", d.title, substr(d.text, h.start + 1, h."end" - h.start) AS text'
            " FROM hits h JOIN documents d ON d.id = h.doc ORDER BY h.r DESC, h.doc, h.start",
            (CONFIG, folded, RANKED, limit),
        )
        terms = set(folded.split()) - {"or", "and", "not"}
        return [
            SearchHit(r["doc"], int(r["start"]), int(r["end"]), _snippet(r["text"], terms), r["title"])
            for r in rows
        ]

    def close(self) -> None:
        self.conn.close()


def _pg(sql: str) -> str:
    """Our `?` placeholders as psycopg's `%s` (no `?` or `%` occurs in our SQL otherwise)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _snippet(text: str, terms: set[str], width: int = 16) -> str:
    """The sentence around its first match, matched words marked (compared folded, so "Vucic"
    marks "Vučić"), at most `width` words as SQLite's snippet() gives."""
    words = list(re.finditer(r"\S+", text))
    hits = [i for i, w in enumerate(words) if set(fold(w.group()).split()) & terms]
    first = max(0, (hits[0] if hits else 0) - width // 2)
    shown = words[first : first + width]
    out = []
    for i, w in enumerate(shown, start=first):
        token = w.group()
        out.append(f"{MARK_START}{token}{MARK_END}" if i in hits else token)
    return ("…" if first else "") + " ".join(out) + ("…" if first + width < len(words) else "")
