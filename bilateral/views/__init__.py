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
from ..models import Document, Entity, Event
from ..nlp.lexicon import fold, load
from ..ontology import ontology
from ..values.display import money as money
from ..values.display import name as name
from ..values.display import year

Row = dict[str, Any]

PRECISION = {4: "year", 7: "month", 10: "day"}

# Columns of the views that are not registers; a register's columns are in its type's file.
VIEW_COLUMNS: dict[str, list[str]] = {
    "timeline": ["date", "precision", "type", "summary", "sources", "conflict", "modality", "id"],
    "conflicts": ["event", "type", "summary", "role", "value", "documents"],
    "actors": ["actor", "kind", "events", "by_type", "first", "last"],
    "entities": ["id", "type", "subtype", "iso3", "country", "name", "mentions", "documents", "aliases"],
    "relationship": ["year", "type", "events"],
}
ONTOLOGY = ontology()
# Every view's columns, registers included (arms: SIPRI's trade register; investments: CGIT's; ...).
COLUMNS: dict[str, list[str]] = VIEW_COLUMNS | {r.name: list(r.columns) for r in ONTOLOGY.registers.values()}
# The registers shown as tables of deals: register name -> event type.
REGISTERS = {r.name: r.type for r in ONTOLOGY.registers.values() if r.layout == "table"}
REGISTER_TITLES = {r.name: r.title for r in ONTOLOGY.registers.values()}
EVENT_TYPES = list(ONTOLOGY.types)
# Every role that names actors, in any type (the event page links their values).
ACTOR_ROLES = list(dict.fromkeys(r for t in ONTOLOGY for r in t.actor_roles))
# Sector of an investment from words in its target's name (CGIT's sectors).
SECTORS = {
    "metals": ("steel", "iron", "smelting", "copper", "aluminium", "aluminum", "zinc"),
    "mining": ("mine", "mines", "mining", "gold", "lithium", "coal mine"),
    "energy": ("power", "energy", "coal", "solar", "wind", "oil", "gas", "hydro", "nuclear", "grid"),
    "transport": ("railway", "rail", "road", "highway", "motorway", "bridge", "port", "corridor", "airport"),
    "manufacturing": ("factory", "plant", "tire", "tyre", "automotive", "car", "industrial park"),
    "finance": ("bank", "fund", "insurance"),
    "technology": ("telecom", "technology", "semiconductor", "data", "5g"),
}


@dataclass
class Filters:
    """What every view can be narrowed by: event types, an actor, a date range (ISO prefixes)."""

    types: list[str] = field(default_factory=list)
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    countries: dict[str, str] = field(default_factory=dict)  # person/organisation -> state it acts for

    def keep(self, event: Event) -> bool:
        if self.types and event.type not in self.types:
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


def _sources(event: Event) -> str:
    return "; ".join(event.docs)


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
            "conflict": "!" if e.conflicts else "",
            "modality": e.modality,
            "id": e.id,
        }
        for e in ordered
    ]


def _conflict_note(event: Event) -> str:
    parts = []
    for c in event.conflicts:
        sources = c.get("sources", {})
        values = ", ".join(f"{v} ({len(sources.get(str(v), []))} src)" for v in c["values"])
        parts.append(f"{c['role']} disputed: {values}")
    return "; ".join(parts)


def register(kind: str, events: Iterable[Event], docs: dict[str, Document] | None = None) -> list[Row]:
    """One row per event of the register's type, in the columns its ontology file declares."""
    spec = ontology().registers[kind]
    type_ = ontology()[spec.type]
    chosen = sorted(
        (e for e in events if e.type == spec.type), key=lambda e: (e.date is None, e.date or "", e.id)
    )
    helpers = {
        "sources": _sources,
        "cited": lambda e: "; ".join(cite_document((docs or {}).get(d), d) for d in e.docs),
        "conflict_note": _conflict_note,
        "sector": sector,
        "evidence_text": lambda e: " ".join(s.text for s in e.evidence),
    }
    return [
        {c: column(**type_.values(e.args), event=e, **helpers) for c, column in spec.columns.items()}
        for e in chosen
    ]


def sector(text: str) -> str:
    """The sector that words name ("Smederevo steel plant" -> metals), else "".

    Read from the target's name first, then from the sentences that report the investment.
    """
    words = fold(text)
    for label, keys in SECTORS.items():
        if any(f" {k} " in f" {words} " for k in keys):
            return label
    return ""


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


def quotes(events: Iterable[Event], docs: dict[str, Document], speaker: str | None = None) -> list[Row]:
    """Who said what, when, and where it was reported (the registers laid out as quotations)."""
    key = fold(speaker) if speaker else None
    rows = []
    for spec in ontology().registers.values():
        if spec.layout != "quotes":
            continue
        said = spec.speaker or ""
        for e in timeline_order(e for e in events if e.type == spec.type):
            who = str(e.args.get(said, ""))
            if key and key not in fold(who) and key != actor_key(who):
                continue
            rows.extend(register(spec.name, [e], docs))
    return rows


def timeline_order(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.date is None, e.date or "", e.type, e.id))


def cite_document(doc: Document | None, doc_id: str) -> str:
    """ "Title, Outlet, 2025-07-15" for a footnote or a source column."""
    if doc is None:
        return doc_id
    parts = [doc.title or doc_id, doc.source or "", doc.published or ""]
    return ", ".join(p for p in parts if p)


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
