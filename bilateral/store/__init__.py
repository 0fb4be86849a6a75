"""The knowledge base on disk: SQLite by default, PostgreSQL for shared knowledge bases.

`open_store(db)` picks the backend from `db`: a `postgresql://` URL or a file path.
"""

from __future__ import annotations

from pathlib import Path

from .base import MARK_END, MARK_START, SCHEMA_VERSION, SearchHit, Store, StoreError


def open_store(db: str | Path, readonly: bool = False) -> Store:
    """The store behind `db`, created and migrated unless `readonly`."""
    if isinstance(db, str) and db.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(db, readonly=readonly)
    from .sqlite import SQLiteStore

    return SQLiteStore(db, readonly=readonly)


__all__ = ["MARK_END", "MARK_START", "SCHEMA_VERSION", "SearchHit", "Store", "StoreError", "open_store"]
