"""The typed records that pass between stages: ingest → nlp → events → fusion → store → views.

Every record that cites text carries (doc, start, end) character offsets into the
document text exactly as stored, so any fact can be checked against its source.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


def stable_id(prefix: str, *parts: object) -> str:
    """A short id from content, so that re-runs give the same ids."""
    raw = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return f"{prefix}_{hashlib.sha1(raw.encode('utf-8')).hexdigest()[:16]}"


@dataclass
class Document:
    """One source text with its metadata; `text` is what every offset points into."""

    id: str
    text: str
    path: str = ""
    format: str = "txt"
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    kind: str | None = None
    encoding: str = "utf-8"
    sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def export(self) -> dict[str, Any]:
        """The `documents.jsonl` row (ONTOLOGY.md): doc, text, then metadata."""
        row: dict[str, Any] = {"doc": self.id, "text": self.text}
        for key in ("title", "source", "published", "url", "kind", "format"):
            value = getattr(self, key)
            if value:
                row[key] = value
        return row


@dataclass(frozen=True)
class Span:
    """A cited stretch of a document."""

    doc: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Mention:
    """A typed entity mention in a document, linked to its entity after resolution."""

    doc: str
    start: int
    end: int
    text: str
    type: str
    subtype: str | None = None
    iso3: str | None = None
    key: str = ""
    entity_id: str | None = None


@dataclass
class Entity:
    """A real-world referent resolved across documents and spellings."""

    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    iso3: str | None = None
    subtype: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    country: str | None = None  # for people and organisations: the state they act for (ISO code)
    counts: tuple[int, int] | None = None  # (mentions, documents) when `mentions` is not loaded

    @property
    def n_mentions(self) -> int:
        return self.counts[0] if self.counts else len(self.mentions)

    @property
    def n_documents(self) -> int:
        return self.counts[1] if self.counts else len({m.doc for m in self.mentions})

    def export(self) -> dict[str, Any]:
        row: dict[str, Any] = {"id": self.id, "type": self.type, "name": self.name, "aliases": self.aliases}
        if self.iso3:
            row["iso3"] = self.iso3
        if self.subtype:
            row["subtype"] = self.subtype
        if self.country:
            row["country"] = self.country
        row["mentions"] = [
            {"doc": m.doc, "start": m.start, "end": m.end, "text": m.text} for m in self.mentions
        ]
        return row


@dataclass
class Event:
    """An event of an ONTOLOGY.md type with its roles and the spans that report it.

    Before fusion an Event is one document's report; after fusion it is the
    corpus-level event with every report's evidence and the roles' conflicts.
    """

    type: str
    args: dict[str, Any]
    evidence: list[Span]
    modality: str = "reported"
    date: str | None = None
    role_spans: dict[str, Span] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    id: str = ""
    # How much to trust it, in [0, 1]: for a candidate, what its rule gives (a pattern matched on
    # the parse or a fallback); for a fused event, its candidates' and independent sources'.
    confidence: float | None = None
    # What analysts said of it (bilateral.review): "accepted" or "rejected", the values they
    # corrected (role -> the extracted value), their notes.
    review: str | None = None
    corrections: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def docs(self) -> list[str]:
        return sorted({s.doc for s in self.evidence})

    def export(self) -> dict[str, Any]:
        """The `events.jsonl` row (ONTOLOGY.md)."""
        row: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "args": {k: v for k, v in self.args.items() if v not in (None, "", [])},
            "date": self.date,
            "evidence": [s.as_dict() for s in self.evidence],
            "conflicts": self.conflicts,
            "modality": self.modality,
            "sources": len(self.docs),
        }
        if self.confidence is not None:
            row["confidence"] = self.confidence
        if self.review or self.corrections or self.notes:
            row["review"] = {"verdict": self.review, "extracted": self.corrections, "notes": self.notes}
        return row


def event_to_record(event: Event) -> dict[str, Any]:
    """Everything about an event, for storage (richer than the export)."""
    return {
        "id": event.id,
        "type": event.type,
        "args": event.args,
        "modality": event.modality,
        "date": event.date,
        "conflicts": event.conflicts,
        "evidence": [s.as_dict() for s in event.evidence],
        "role_spans": {k: s.as_dict() for k, s in event.role_spans.items()},
        "confidence": event.confidence,
        "review": event.review,
        "corrections": event.corrections,
        "notes": event.notes,
    }


def event_from_record(row: dict[str, Any]) -> Event:
    return Event(
        id=row.get("id", ""),
        type=row["type"],
        args=row["args"],
        modality=row.get("modality", "reported"),
        date=row.get("date"),
        conflicts=row.get("conflicts", []),
        evidence=[Span(**s) for s in row.get("evidence", [])],
        role_spans={k: Span(**s) for k, s in row.get("role_spans", {}).items()},
        confidence=row.get("confidence"),
        review=row.get("review"),
        corrections=row.get("corrections") or {},
        notes=row.get("notes") or [],
    )
