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

from ..events.actors import ACTOR_ROLES as ACTOR_ROLES
from ..events.actors import actor_key as actor_key
from ..events.actors import actors_of as actors_of
from ..events.actors import involves as involves
from ..models import Document, Entity, Event
from ..nlp.lexicon import fold, load
from ..values.money import format_money

Row = dict[str, Any]

PRECISION = {4: "year", 7: "month", 10: "day"}

# Columns of each view, in order (SIPRI's trade register, CGIT, AidData, and our own).
COLUMNS: dict[str, list[str]] = {
    "timeline": ["date", "precision", "type", "summary", "sources", "conflict", "modality", "id"],
    "arms": [
        "supplier",
        "recipient",
        "designation",
        "description",
        "number_ordered",
        "year_of_order",
        "year_of_delivery",
        "number_delivered",
        "comments",
        "sources",
        "id",
    ],
    "investments": ["investor", "target", "country", "stake", "value", "year", "sector", "sources", "id"],
    "loans": ["lender", "borrower", "purpose", "amount", "currency", "year", "sources", "id"],
    "agreements": ["parties", "kind", "title", "signed", "effective", "sources", "id"],
    "conflicts": ["event", "type", "summary", "role", "value", "documents"],
    "quotes": ["date", "speaker", "quote", "reported_in", "id"],
    "actors": ["actor", "kind", "events", "by_type", "first", "last"],
    "entities": ["id", "type", "subtype", "iso3", "country", "name", "mentions", "documents", "aliases"],
    "relationship": ["year", "type", "events"],
}
# --- fronts branch: placeholders; the lead replaces these two with values derived from the ontology.
EVENT_TYPES: list[str] = [
    "arms_transfer",
    "exercise",
    "agreement",
    "investment",
    "loan",
    "trade",
    "meeting",
    "statement",
]
REGISTER_TITLES: dict[str, str] = {
    "arms": "Arms transfers",
    "investments": "Investments",
    "loans": "Loans",
    "agreements": "Agreements",
}
# --- end of placeholders
REGISTERS = {
    "arms": "arms_transfer",
    "investments": "investment",
    "loans": "loan",
    "agreements": "agreement",
}
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


def name(value: Any) -> str:
    """How an actor is shown: a state by its name, anything else as it is."""
    if isinstance(value, list):
        return ", ".join(name(v) for v in value)
    if isinstance(value, str) and value in load().states:
        return load().states[value].name
    return "" if value is None else str(value)


def money(value: Any) -> str:
    return format_money(value) if isinstance(value, dict) else ""


def summary(event: Event) -> str:
    """One line that says what happened."""
    a = event.args
    match event.type:
        case "arms_transfer":
            qty = f"{a['quantity']} × " if a.get("quantity") else ""
            what = f"{qty}{a.get('system', '')}" + (f" ({a['category']})" if a.get("category") else "")
            return f"{name(a.get('supplier')) or '?'} → {name(a.get('recipient')) or '?'}: {what}"
        case "exercise":
            where = f" in {a['location']}" if a.get("location") else ""
            return f"{a.get('name') or 'Joint exercise'}: {name(a.get('participants'))}{where}"
        case "agreement":
            title = a.get("title") or str(a.get("kind", "agreement")).replace("_", " ")
            return f"{title} ({str(a.get('kind', 'other')).replace('_', ' ')}): {name(a.get('parties'))}"
        case "investment":
            extra = [f"{a['stake']}%" if a.get("stake") is not None else "", money(a.get("value"))]
            detail = ", ".join(x for x in extra if x)
            return f"{name(a.get('investor'))} invests in {a.get('target', '?')}" + (
                f" ({detail})" if detail else ""
            )
        case "loan":
            amount = money(a.get("value"))
            purpose = f" for {a['purpose']}" if a.get("purpose") else ""
            return f"{name(a.get('lender'))} lends {amount or 'a loan'} to {name(a.get('borrower'))}{purpose}"
        case "trade":
            note = f" ({a['note']})" if a.get("note") else ""
            return f"{name(a.get('exporter'))} → {name(a.get('importer'))}: {money(a.get('value'))}{note}"
        case "meeting":
            where = f" in {name(a['location'])}" if a.get("location") else ""
            why = f" ({a['occasion']})" if a.get("occasion") else ""
            return f"Meeting: {name(a.get('participants'))}{where}{why}"
        case "statement":
            quote = str(a.get("quote", ""))
            quote = quote if len(quote) <= 140 else quote[:137].rstrip() + "…"
            return f"{name(a.get('speaker'))}: “{quote}”"
    return event.type


def _sources(event: Event) -> str:
    return "; ".join(event.docs)


def _year(date: Any) -> str:
    return str(date)[:4] if date else ""


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


def register(kind: str, events: Iterable[Event]) -> list[Row]:
    """One row per deal, in the columns of the register `kind` (arms, investments, loans, agreements)."""
    type_ = REGISTERS[kind]
    chosen = sorted(
        (e for e in events if e.type == type_), key=lambda e: (e.date is None, e.date or "", e.id)
    )
    rows = []
    for e in chosen:
        a = e.args
        if kind == "arms":
            comments = [c for c in (_conflict_note(e), "" if e.modality == "reported" else e.modality) if c]
            row: Row = {
                "supplier": name(a.get("supplier")),
                "recipient": name(a.get("recipient")),
                "designation": a.get("system", ""),
                "description": a.get("category", ""),
                "number_ordered": a.get("quantity", "") if a.get("ordered") or not a.get("delivered") else "",
                "year_of_order": _year(a.get("ordered")),
                "year_of_delivery": _year(a.get("delivered")),
                "number_delivered": a.get("quantity", "") if a.get("delivered") else "",
                "comments": "; ".join(comments),
            }
        elif kind == "investments":
            row = {
                "investor": name(a.get("investor")),
                "target": a.get("target", ""),
                "country": name(a.get("country")),
                "stake": a.get("stake", ""),
                "value": money(a.get("value")),
                "year": _year(a.get("date")),
                "sector": sector(str(a.get("target", ""))) or sector(" ".join(s.text for s in e.evidence)),
            }
        elif kind == "loans":
            value = a.get("value") or {}
            row = {
                "lender": name(a.get("lender")),
                "borrower": name(a.get("borrower")),
                "purpose": a.get("purpose", ""),
                "amount": value.get("amount", ""),
                "currency": value.get("currency", ""),
                "year": _year(a.get("date")),
            }
        else:
            row = {
                "parties": name(a.get("parties")),
                "kind": a.get("kind", ""),
                "title": a.get("title", ""),
                "signed": a.get("signed", ""),
                "effective": a.get("effective", ""),
            }
        row["sources"] = _sources(e)
        row["id"] = e.id
        rows.append(row)
    return rows


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
    """Who said what, when, and where it was reported."""
    key = fold(speaker) if speaker else None
    rows = []
    for e in timeline_order(e for e in events if e.type == "statement"):
        who = str(e.args.get("speaker", ""))
        if key and key not in fold(who) and key != actor_key(who):
            continue
        rows.append(
            {
                "date": e.date or "",
                "speaker": name(who),
                "quote": e.args.get("quote", ""),
                "reported_in": "; ".join(cite_document(docs.get(d), d) for d in e.docs),
                "id": e.id,
            }
        )
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
            counts[(_year(e.date) or "undated", e.type)] += 1
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
