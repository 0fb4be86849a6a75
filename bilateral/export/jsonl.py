"""documents.jsonl, entities.jsonl and events.jsonl, sorted so that re-runs diff cleanly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store import Store


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def documents(store: Store) -> Iterable[dict[str, Any]]:
    return (d.export() for d in store.iter_documents())


def entities(store: Store) -> Iterable[dict[str, Any]]:
    return (e.export() for e in store.iter_entities())


def events(store: Store) -> Iterable[dict[str, Any]]:
    return (e.export() for e in store.events())


EXPORTS = {"documents": documents, "entities": entities, "events": events}
