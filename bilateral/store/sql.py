"""The SQL primitives every backend supplies, under the shared tables and queries (`base.Store`).

A backend (SQLite, PostgreSQL) gives the connection, transactions, its migration scripts, its
parameter style and its full-text search; the classes above it are written once for both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import Document
    from .base import SearchHit

Row = dict[str, Any]


class SQLStore(ABC):
    """A connection to one SQL database, as the shared queries use it."""

    path: str
    dialect: str

    # ------------------------------------------------------------ what a backend provides

    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement (with `?` placeholders) and return its rows as dicts."""

    @abstractmethod
    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""

    @abstractmethod
    def _iter(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        """Run one query and yield its rows a batch at a time, for results too large to hold."""

    @abstractmethod
    def _tx(self) -> AbstractContextManager[Any]:
        """A transaction: committed whole on success, rolled back on error."""

    @abstractmethod
    def _script(self, sql: str) -> None:
        """Run a migration script (several statements) inside the current transaction."""

    @abstractmethod
    def _tables(self) -> set[str]: ...

    @abstractmethod
    def _put_search(self, doc: Document, sentences: list[tuple[int, int]]) -> None:
        """Index a document's sentences for full-text search."""

    @abstractmethod
    def _delete_search(self, doc_id: str) -> None: ...

    @abstractmethod
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Sentences matching `query`, best first among the newest RANKED; any text is a valid query."""

    @abstractmethod
    def close(self) -> None: ...

    @contextmanager
    def _write(self) -> Iterator[None]:
        """A writing transaction; it moves the generation on, so readers know to reload."""
        with self._tx():
            yield
            self._run(
                "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT (key)"
                " DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)"
            )

    def transaction(self) -> AbstractContextManager[None]:
        """Several writes as one: readers see all of them or none (a whole consolidation)."""
        return self._write()

    def data_version(self) -> int:
        """Changes when a writer commits: the signal to reload cached views."""
        rows = self._run("SELECT value FROM meta WHERE key = 'generation'")
        return int(rows[0]["value"]) if rows else 0
