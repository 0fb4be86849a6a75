"""Registers: one row per deal in the columns of the field's reference datasets, with provenance.

A register's columns are declared in its event type's ontology file (arms: SIPRI's trade
register; loans: AidData's; investments: the China Global Investment Tracker's); every row then
carries its sources, as AidData lists them per record: each report's title, outlet, date, URL
and the sentence cited, with its `doc:start-end`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..models import Document, Event
from ..nlp.lexicon import fold
from ..ontology import ontology
from ..values.money import to_usd

Row = dict[str, Any]
# The provenance every register row ends with.
PROVENANCE = [
    "review",
    "sources",
    "source_titles",
    "source_outlets",
    "source_dates",
    "source_urls",
    "evidence",
    "id",
]
SOURCE_COLUMNS = ["doc", "title", "outlet", "published", "url", "kind", "events"]
STATUS = {"reported": "Commitment", "planned": "Pledge"}  # AidData's status from our modality


def columns(kind: str) -> list[str]:
    """A register's columns: its ontology file's, then the provenance."""
    return [*ontology().registers[kind].columns, *PROVENANCE]


def cite_document(doc: Document | None, doc_id: str) -> str:
    """ "Title, Outlet, 2025-07-15" for a footnote or a source column."""
    if doc is None:
        return doc_id
    parts = [doc.title or doc_id, doc.source or "", doc.published or ""]
    return ", ".join(p for p in parts if p)


def provenance(event: Event, docs: Mapping[str, Document]) -> Row:
    """Where a row comes from: each source document's metadata and each cited span."""
    found = [docs.get(d) for d in event.docs]

    def each(attr: str) -> str:
        return " | ".join(str(getattr(d, attr) or "") if d else "" for d in found)

    return {
        "review": review_note(event),
        "sources": "; ".join(event.docs),
        "source_titles": each("title"),
        "source_outlets": each("source"),
        "source_dates": each("published"),
        "source_urls": each("url"),
        "evidence": " | ".join(f"{s.doc}:{s.start}-{s.end} “{s.text}”" for s in event.evidence),
        "id": event.id,
    }


def review_note(event: Event) -> str:
    """What analysts said of an event: "accepted", "rejected", the values they corrected (with the
    extracted one), their notes."""
    parts = [event.review or ""]
    parts += [f"{role} corrected (extracted: {was})" for role, was in event.corrections.items()]
    parts += [f"note: {n}" for n in event.notes]
    return "; ".join(p for p in parts if p)


# What a table export adds to rows that cite one event each (the timeline's rows, the conflicts').
CITED = ["source_titles", "source_outlets", "source_dates", "source_urls", "evidence"]


def cited(
    rows: list[Row], events: Iterable[Event], docs: Mapping[str, Document], key: str = "id"
) -> list[Row]:
    """Rows with their event's sources (titles, outlets, dates, URLs, cited spans) added, for the
    CSV files and the workbook: every row of a table export says where it comes from."""
    by_id = {e.id: e for e in events}
    return [row | {c: provenance(by_id[row[key]], docs)[c] for c in CITED} for row in rows]


def conflict_note(event: Event) -> str:
    parts = []
    for c in event.conflicts:
        sources = c.get("sources", {})
        values = ", ".join(f"{v} ({len(sources.get(str(v), []))} src)" for v in c["values"])
        parts.append(f"{c['role']} disputed: {values}")
    return "; ".join(parts)


def _disputed(event: Event, role: str) -> bool:
    return any(c["role"] == role for c in event.conflicts)


def estimate(event: Event, role: str) -> Any:
    """A number as SIPRI prints it: in brackets where it is uncertain (sources disagree on it, or
    the deal is not reported as done)."""
    value = event.args.get(role)
    if value is None:
        return ""
    return f"({value})" if _disputed(event, role) or event.modality != "reported" else value


def usd(event: Event, role: str) -> Any:
    """The role's amount in US dollars at the rate of the event's date ("" where there is none)."""
    converted = to_usd(event.args.get(role), event.date)
    return converted[0] if converted else ""


def usd_rate_date(event: Event, role: str) -> str:
    converted = to_usd(event.args.get(role), event.date)
    return converted[1] if converted else ""


def status(event: Event) -> str:
    return STATUS.get(event.modality, event.modality)


@cache
def _sectors() -> list[tuple[str, str, list[str]]]:
    data = yaml.safe_load(resources.files(__package__).joinpath("data/sectors.yml").read_text("utf-8"))
    return [(sector, sub, words) for sector, subs in data.items() for sub, words in subs.items()]


def _classify(text: str) -> tuple[str, str]:
    words = f" {fold(text)} "
    for sector, sub, keys in _sectors():
        if any(f" {k} " in words for k in keys):
            return sector, sub
    return "", ""


def sector(event: Event, role: str) -> str:
    """CGIT's sector named by the role's value ("Smederevo steel plant": Metals), else by the
    sentences that report the event; "" when neither names one."""
    return _classify(str(event.args.get(role) or ""))[0] or _classify(_evidence_text(event))[0]


def subsector(event: Event, role: str) -> str:
    found = _classify(str(event.args.get(role) or ""))
    return found[1] if found[0] else _classify(_evidence_text(event))[1]


def _evidence_text(event: Event) -> str:
    return " ".join(s.text for s in event.evidence)


def helpers(docs: Mapping[str, Document]) -> dict[str, Any]:
    """The functions a register column or an FtM property of the ontology files may call."""
    return {
        "cited": lambda e: "; ".join(cite_document(docs.get(d), d) for d in e.docs),
        "conflict_note": conflict_note,
        "estimate": estimate,
        "usd": usd,
        "usd_rate_date": usd_rate_date,
        "status": status,
        "sector": sector,
        "subsector": subsector,
    }


def register(kind: str, events: Iterable[Event], docs: Mapping[str, Document] | None = None) -> list[Row]:
    """One row per event of the register's type, in its columns, then its provenance."""
    spec = ontology().registers[kind]
    type_ = ontology()[spec.type]
    docs = docs or {}
    chosen = sorted(
        (e for e in events if e.type == spec.type), key=lambda e: (e.date is None, e.date or "", e.id)
    )
    return [
        {c: column(**type_.values(e.args), event=e, **helpers(docs)) for c, column in spec.columns.items()}
        | provenance(e, docs)
        for e in chosen
    ]


def quotes(events: Iterable[Event], docs: Mapping[str, Document], speaker: str | None = None) -> list[Row]:
    """Who said what, when, and where it was reported (the registers laid out as quotations)."""
    from . import actor_key, timeline_order

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


def sources(events: Iterable[Event], docs: Mapping[str, Document]) -> list[Row]:
    """Each document that reports an event, once, with its metadata and how many events it reports."""
    counts: dict[str, int] = {}
    for e in events:
        for doc_id in e.docs:
            counts[doc_id] = counts.get(doc_id, 0) + 1
    rows = []
    for doc_id in sorted(counts):
        d = docs.get(doc_id) or Document(id=doc_id, text="")
        rows.append(
            {
                "doc": doc_id,
                "title": d.title or "",
                "outlet": d.source or "",
                "published": d.published or "",
                "url": d.url or "",
                "kind": d.kind or "",
                "events": counts[doc_id],
            }
        )
    return rows
