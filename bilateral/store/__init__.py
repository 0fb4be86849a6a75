"""The knowledge base on disk: one SQLite file, versioned, with full-text search."""

from .sqlite import MARK_END, MARK_START, SCHEMA_VERSION, SearchHit, Store, StoreError

__all__ = ["MARK_END", "MARK_START", "SCHEMA_VERSION", "SearchHit", "Store", "StoreError"]
