"""Analyst views over the fused knowledge base: timeline, registers, conflicts, quotes, actors.

Each view is a function from events (and documents) to rows: plain dicts with a fixed column
order, so that the CLI prints them as a table, CSV or JSON, the report renders them as HTML,
and the web app serves them, all from one definition.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..events.actors import actor_key as actor_key
from ..events.actors import actors_of as actors_of
from ..events.actors import involves as involves
from ..models import Entity, Event
from ..nlp.lexicon import load
from ..ontology import ontology
from ..values.display import money as money
from ..values.display import name as name
from ..values.display import year
from .registers import SOURCE_COLUMNS, columns, review_note
from .registers import cite_document as cite_document
from .registers import quotes as quotes
from .registers import register as register
from .registers import sources as sources

Row = dict[str, Any]

PRECISION = {4: "year", 7: "month", 10: "day"}

# Columns of the views that are not registers; a register's columns are in its type's file.
VIEW_COLUMNS: dict[str, list[str]] = {
    "timeline": [
        "date",
        "precision",
        "type",
        "summary",
        "sources",
        "confidence",
        "conflict",
        "modality",
        "review",
        "id",
    ],
    "conflicts": ["event", "type", "summary", "role", "value", "documents"],
    "actors": ["actor", "kind", "events", "by_type", "first", "last"],
    "entities": ["id", "type", "subtype", "iso3", "country", "name", "mentions", "documents", "aliases"],
    "relationship": ["year", "type", "events"],
    "sources": SOURCE_COLUMNS,
}
ONTOLOGY = ontology()
# Every view's columns, registers included (arms: SIPRI's trade register; investments: CGIT's; ...).
COLUMNS: dict[str, list[str]] = VIEW_COLUMNS | {r: columns(r) for r in ONTOLOGY.registers}
# The registers shown as tables of deals: register name -> event type.
REGISTERS = {r.name: r.type for r in ONTOLOGY.registers.values() if r.layout == "table"}
REGISTER_TITLES = {r.name: r.title for r in ONTOLOGY.registers.values()}
# The types whose registers are quotations (statements).
QUOTE_TYPES = [r.type for r in ONTOLOGY.registers.values() if r.layout == "quotes"]
EVENT_TYPES = list(ONTOLOGY.types)
# Every role that names actors, in any type (the event page links their values).
ACTOR_ROLES = list(dict.fromkeys(r for t in ONTOLOGY for r in t.actor_roles))


@dataclass
class Filters:
    """What every view can be narrowed by: event types, an actor, a date range (ISO prefixes)."""

    types: list[str] = field(default_factory=list)
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    countries: dict[str, str] = field(default_factory=dict)  # person/organisation -> state it acts for
    min_confidence: float | None = None
    rejected: bool = False  # show the events analysts rejected too

    def keep(self, event: Event) -> bool:
        if self.types and event.type not in self.types:
            return False
        if event.review == "rejected" and not self.rejected:
            return False
        if self.min_confidence is not None and (event.confidence or 0) < self.min_confidence:
            return False
        if self.actor and not involves(event, self.actor, self.countries):
            return False
        if self.since or self.until:
            if not event.date:
                return False
            first, last = _bounds(event.date)
            if self.since and last < _bounds(self.since)[0]:
                return False
            if self.until and first > _bounds(self.until)[1]:
                return False
        return True

    def apply(self, events: Iterable[Event]) -> list[Event]:
        return [e for e in events if self.keep(e)]


def _bounds(date: str) -> tuple[str, str]:
    """The first and last day an ISO prefix covers: "2022" -> ("2022-01-01", "2022-12-31")."""
    return (date + "-01-01"[len(date) - 4 :])[:10], (date + "-12-31"[len(date) - 4 :])[:10]


def summary(event: Event) -> str:
    """One line that says what happened (its type's `summary` template)."""
    return ontology()[event.type].summary(event.args)


def timeline(events: Iterable[Event]) -> list[Row]:
    """Events in date order, undated ones last."""
    ordered = sorted(events, key=lambda e: (e.date is None, e.date or "", e.type, e.id))
    return [
        {
            "date": e.date or "",
            "precision": PRECISION.get(len(e.date or ""), ""),
            "type": e.type,
            "summary": summary(e),
            "sources": len(e.docs),
            "confidence": "" if e.confidence is None else e.confidence,
            "conflict": "!" if e.conflicts else "",
            "modality": e.modality,
            "review": review_note(e),
            "id": e.id,
        }
        for e in ordered
    ]


def conflicts(events: Iterable[Event]) -> list[Row]:
    """Every disagreement between sources: one row per value, with the documents that give it."""
    rows = []
    for e in sorted(events, key=lambda e: (e.type, e.date or "", e.id)):
        for c in e.conflicts:
            sources = c.get("sources", {})
            for value in c["values"]:
                shown = money(value) if isinstance(value, dict) else value
                rows.append(
                    {
                        "event": e.id,
                        "type": e.type,
                        "summary": summary(e),
                        "role": c["role"],
                        "value": shown,
                        "documents": "; ".join(sources.get(str(value), [])),
                    }
                )
    return rows


def timeline_order(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.date is None, e.date or "", e.type, e.id))


def actors(events: Iterable[Event]) -> list[Row]:
    """Every actor with its number of events, by type, and the span of dates it appears in."""
    by_actor: dict[str, list[Event]] = defaultdict(list)
    shown: dict[str, str] = {}
    for e in events:
        for a in actors_of(e):
            key = actor_key(a)
            by_actor[key].append(e)
            shown.setdefault(key, a)
    rows = []
    for key, evs in by_actor.items():
        value = shown[key]
        dates = sorted(e.date for e in evs if e.date)
        types = Counter(e.type for e in evs)
        rows.append(
            {
                "actor": name(value),
                "kind": "state" if value in load().states else "other",
                "events": len(evs),
                "by_type": ", ".join(f"{t} {n}" for t, n in sorted(types.items())),
                "first": dates[0] if dates else "",
                "last": dates[-1] if dates else "",
            }
        )
    return sorted(rows, key=lambda r: (-r["events"], r["actor"]))


def relationship(
    events: Iterable[Event], a: str, b: str, countries: dict[str, str] | None = None
) -> list[Row]:
    """For a pair of actors: the number of events involving both, by year and type."""
    counts: Counter[tuple[str, str]] = Counter()
    for e in events:
        if involves(e, a, countries) and involves(e, b, countries):
            counts[(year(e.date) or "undated", e.type)] += 1
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0] == "undated", kv[0]))
    return [{"year": y, "type": t, "events": n} for (y, t), n in ordered]


def entity_row(e: Entity) -> Row:
    """An entity as a table row: counts instead of its mentions."""
    return {
        "id": e.id,
        "type": e.type,
        "subtype": e.subtype or "",
        "iso3": e.iso3 or "",
        "country": e.country or "",
        "name": e.name,
        "mentions": e.n_mentions,
        "documents": e.n_documents,
        "aliases": "; ".join(e.aliases),
    }
