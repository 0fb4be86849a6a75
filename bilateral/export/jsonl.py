"""documents.jsonl, entities.jsonl and events.jsonl, sorted so that re-runs diff cleanly.

Each exporter yields finished lines, read from the store as they are written: an entity's
mentions (a state's run to millions in a large corpus) stream into its line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Mention
    from ..store import Store


def write_jsonl(path: Path, lines: Iterable[str]) -> int:
    """Write the lines to `path` atomically; the number of lines."""
    from . import atomic

    count = 0
    with atomic(path) as fh:
        for line in lines:
            fh.write(line + "\n")
            count += 1
    return count


def _line(row: object) -> str:
    return json.dumps(row, ensure_ascii=False)


def documents(store: Store) -> Iterator[str]:
    return (_line(d.export()) for d in store.iter_documents())


def entities(store: Store) -> Iterator[str]:
    """Entities by type, name and id; the same line `Entity.export` gives, its mentions streamed."""
    for e in sorted(store.entities(with_mentions=False), key=lambda e: (e.type, e.name, e.id)):
        row = e.export()
        del row["mentions"]  # the last key: written here from the store, as json.dumps would
        mentions = store.iter_entity_mentions(e.id)
        yield _line(row)[:-1] + ', "mentions": [' + ", ".join(_mention_lists(mentions)) + "]}"


def _mention_lists(mentions: Iterable[Mention]) -> Iterator[str]:
    """The mentions as json.dumps writes them in a list, without the brackets: a thousand at a time,
    one call each (SPEED: a call per mention was most of the export's time)."""
    mentions = iter(mentions)  # read on where the last chunk ended, a list too
    while chunk := [
        {"doc": m.doc, "start": m.start, "end": m.end, "text": m.text} for m in islice(mentions, 1000)
    ]:
        yield _line(chunk)[1:-1]


def events(store: Store) -> Iterator[str]:
    """Every event but those analysts rejected; corrected values with the extracted ones beside."""
    return (_line(e.export()) for e in store.events() if e.review != "rejected")


EXPORTS = {"documents": documents, "entities": entities, "events": events}
