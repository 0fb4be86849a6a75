"""CSV files for spreadsheets: a file per register, the quotes, timeline, conflicts, sources and more."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import views
from ..models import Document, Entity, Event
from ..views.registers import CITED, cited
from . import atomic


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> int:
    with atomic(path, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def write_tables(
    folder: Path, events: list[Event], entities: list[Entity], docs: Mapping[str, Document]
) -> dict[str, int]:
    """A CSV per register (arms.csv, ...), quotes.csv, timeline.csv, conflicts.csv, sources.csv (each
    document once), entities.csv and events.csv."""
    counts = {
        kind: write_csv(folder / f"{kind}.csv", views.register(kind, events, docs), views.COLUMNS[kind])
        for kind in views.REGISTERS
    }
    counts["quotes"] = write_csv(folder / "quotes.csv", views.quotes(events, docs), views.COLUMNS["quotes"])
    timeline, conflicts = cited(views.timeline(events), events, docs), views.conflicts(events)
    counts["timeline"] = write_csv(folder / "timeline.csv", timeline, [*views.COLUMNS["timeline"], *CITED])
    conflicts = cited(conflicts, events, docs, key="event")
    counts["conflicts"] = write_csv(
        folder / "conflicts.csv", conflicts, [*views.COLUMNS["conflicts"], *CITED]
    )
    counts["sources"] = write_csv(
        folder / "sources.csv", views.sources(events, docs), views.COLUMNS["sources"]
    )
    entity_rows = [views.entity_row(e) for e in sorted(entities, key=lambda e: (e.type, e.name, e.id))]
    counts["entities"] = write_csv(folder / "entities.csv", entity_rows, views.COLUMNS["entities"])
    event_rows = [
        {
            "id": e.id,
            "type": e.type,
            "date": e.date or "",
            "modality": e.modality,
            "summary": views.summary(e),
            "sources": "; ".join(e.docs),
            "args": json.dumps(e.args, ensure_ascii=False, sort_keys=True),
            "conflicts": json.dumps(e.conflicts, ensure_ascii=False, sort_keys=True) if e.conflicts else "",
        }
        for e in sorted(events, key=lambda e: e.id)
    ]
    columns = ["id", "type", "date", "modality", "summary", "sources", "args", "conflicts", *CITED]
    counts["events"] = write_csv(folder / "events.csv", cited(event_rows, events, docs), columns)
    return counts
