"""Exports: what crosses a boundary to other tools, as JSON lines (ONTOLOGY.md's exchange format)."""

from .jsonl import EXPORTS, write_jsonl

__all__ = ["EXPORTS", "write_jsonl"]
