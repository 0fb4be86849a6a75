"""One data function per view, in the manner of datasette: each returns a `Page` that the renderer
turns into HTML, JSON (the API) or CSV (tables), so that a page and its API route never drift.

Their parameters are the route's path and query parameters, declared once here (the shared
filters in `filters`) and bound by `params.Binding`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any, cast

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request

from .. import views
from ..models import Document, Entity, Event
from ..ontology import ontology
from ..views import Row
from .data import Data, Snapshot
from .markup import in_context, reading_view, snippet, url_id
from .params import Query

OVERVIEW_CONFLICTS = 50  # rows on the overview; /conflicts has them all


@dataclass
class Page:
    """A view's answer: a template and its context (HTML), a body (JSON), rows (CSV). The context
    and body are made on demand, so that the API never renders a chart and a page never reads
    what only the API returns."""

    template: str
    html: Callable[[], dict[str, Any]]
    body: Callable[[], Any]
    table: tuple[list[Row], list[str]] | None = None
    name: str = "table"


def get_data(request: Request) -> Data:
    return cast(Data, request.app.state.data)


def filters(
    type: Annotated[list[str] | None, Query("Event types (repeatable)")] = None,
    actor: Annotated[str | None, Query("ISO code or name of an actor")] = None,
    since: Annotated[str | None, Query("From this date: YYYY[-MM[-DD]]")] = None,
    until: Annotated[str | None, Query("Up to this date: YYYY[-MM[-DD]]")] = None,
) -> views.Filters:
    """The filters every view takes; a form's blank fields mean no filter."""
    return views.Filters([t for t in type or [] if t], actor or None, since or None, until or None)


PROVIDERS: dict[Any, Callable[..., Any]] = {Data: get_data, views.Filters: filters}


def _table(template_kind: str, title: str, rows: list[Row], columns: list[str]) -> Page:
    return Page(
        "table.html.j2",
        lambda: {"title": title, "kind": template_kind, "rows": rows, "columns": columns},
        lambda: rows,
        (rows, columns),
        template_kind,
    )


# ---------------------------------------------------------------- whole-corpus views


def overview(data: Data) -> Page:
    """Counts, the most active actors and the open conflicts."""
    snap = data.snapshot()
    events = list(snap.events.values())
    counts = snap.memo("counts", lambda: _counts(snap))
    actors = snap.memo("actors", lambda: views.actors(events))
    conflicts = snap.memo("conflicts", lambda: views.conflicts(events))

    def html() -> dict[str, Any]:
        recent = snap.memo("recent", lambda: sorted(snap.documents.values(), key=_newest, reverse=True)[:8])
        return {
            "counts": counts,
            "chart": snap.memo("chart", lambda: _chart_svg(events)),
            "actors": actors[:12],
            "recent": recent,
            "conflicts": conflicts,
            "shown_conflicts": OVERVIEW_CONFLICTS,
            "changes": snap.memo("changes", data.changes),
            "reviewed": sum(1 for e in events if e.review or e.corrections),
        }

    return Page(
        "overview.html.j2", html, lambda: {"counts": counts, "actors": actors[:20], "conflicts": conflicts}
    )


def search(
    data: Data,
    q: Annotated[str, Query("Words to find (at most 32 words, 500 characters)")] = "",
) -> Page:
    """Documents (full text), entities (names and aliases) and events matching `q`."""
    q = q.strip()
    hits, entities, events = [], [], []
    if q:
        hits = data.search(q, 30)
        snap = data.snapshot()
        entities, events = snap.find_entities(q), snap.find_events(q)
    found = [(h, snippet(h.snippet)) for h in hits]

    def body() -> dict[str, Any]:
        return {
            "documents": [
                {"doc": h.doc, "start": h.start, "end": h.end, "snippet": str(html), "title": h.title}
                for h, html in found
            ],
            "entities": [entity_json(e) for e in entities],
            "events": [e.export() for e in events],
        }

    return Page(
        "search.html.j2", lambda: {"q": q, "documents": found, "entities": entities, "events": events}, body
    )


def entities(data: Data, type: Annotated[str | None, Query("Entity type")] = None) -> Page:
    """Entities with their mention and document counts."""
    snap = data.snapshot()
    chosen = sorted(
        (e for e in snap.entities.values() if type is None or e.type == type),
        key=lambda e: (-e.n_mentions, e.name),
    )
    rows = [views.entity_row(e) for e in chosen]
    page = _table("entities", "Entities", rows, views.COLUMNS["entities"])
    page.body = lambda: [entity_json(e) for e in chosen]
    return page


def events(data: Data, chosen: views.Filters) -> Page:
    """Events as in events.jsonl (ONTOLOGY.md), in date order."""
    selected = views.timeline_order(data.snapshot().select(chosen).events)
    return Page("table.html.j2", dict, lambda: [e.export() for e in selected])


def documents(data: Data) -> Page:
    """Documents' metadata (without their text)."""
    docs = list(data.snapshot().documents.values())
    return Page("table.html.j2", dict, lambda: [_without_text(d) for d in docs])


def timeline(data: Data, chosen: views.Filters) -> Page:
    """The timeline view: date order, undated last."""
    return _table(
        "timeline", "Timeline", data.snapshot().select(chosen).timeline(), views.COLUMNS["timeline"]
    )


def register(data: Data, kind: str, chosen: views.Filters) -> Page:
    """A register: arms, investments, loans or agreements."""
    if kind not in views.REGISTERS:
        raise HTTPException(404, f"no register {kind!r}; there are {', '.join(views.REGISTERS)}")
    rows = data.snapshot().select(replace(chosen, types=[views.REGISTERS[kind]])).register(kind)
    return _table(kind, views.REGISTER_TITLES[kind], rows, views.COLUMNS[kind])


def conflicts(data: Data, chosen: views.Filters) -> Page:
    """Every disagreement between sources, with the documents behind each value."""
    rows = data.snapshot().select(chosen).conflicts()
    return _table("conflicts", "Conflicts", rows, views.COLUMNS["conflicts"])


def quotes(
    data: Data, chosen: views.Filters, speaker: Annotated[str | None, Query("A speaker")] = None
) -> Page:
    """Who said what, when, and where it was reported."""
    rows = data.snapshot().select(replace(chosen, types=views.QUOTE_TYPES)).quotes(speaker)
    return _table("quotes", "Quotes", rows, views.COLUMNS["quotes"])


# ---------------------------------------------------------------- one thing


def entity(data: Data, entity_id: str) -> Page:
    """One entity with its mentions and the ids of its events."""
    snap = data.snapshot()
    found = snap.entities.get(entity_id)
    if found is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    its_events = views.timeline_order(snap.events_of(found))

    def html() -> dict[str, Any]:
        related: Counter[str] = Counter()
        own = {found.name, *found.aliases, found.iso3 or ""}
        for e in its_events:
            for a in views.actors_of(e):
                other = snap.entity_for(a)
                if a not in own and other is not None and other.id != found.id:
                    related[other.id] += 1
        docs = [(snap.documents[d], n) for d, n in data.entity_documents(found.id) if d in snap.documents]
        return {
            "entity": found,
            "timeline": views.timeline(its_events),
            "related": [(snap.entities[i], n) for i, n in related.most_common(15)],
            "docs": docs,
        }

    def body() -> dict[str, Any]:
        row = replace(found, mentions=data.entity_mentions(entity_id), counts=None).export()
        row["events"] = [e.id for e in its_events]
        return row

    return Page("entity.html.j2", html, body)


def event(data: Data, event_id: str) -> Page:
    """One event as in events.jsonl, with its one-line summary."""
    found = data.snapshot().events.get(event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id!r}")

    def html() -> dict[str, Any]:
        docs = {d: data.document(d) for d in dict.fromkeys(s.doc for s in found.evidence)}
        evidence = [(s, doc, in_context(doc.text, s)) for s in found.evidence if (doc := docs[s.doc])]
        roles = list(ontology()[found.type].roles)  # what review mode's correction form offers
        return {"event": found, "evidence": evidence, "summary": views.summary(found), "roles": roles}

    return Page("event.html.j2", html, lambda: {**found.export(), "summary": views.summary(found)})


def document(data: Data, doc_id: str) -> Page:
    """One document as in documents.jsonl, with the ids of the events it supports."""
    found = data.document(doc_id)
    if found is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    snap = data.snapshot()
    its_events = views.timeline_order(snap.events_by_doc.get(doc_id, []))

    def html() -> dict[str, Any]:
        evidence = [(s, e) for e in its_events for s in e.evidence if s.doc == doc_id]
        mentions = [m for m in data.mentions(doc_id) if m.entity_id in snap.entities]
        body = reading_view(found.text, mentions, evidence, lambda i: f"/entity/{url_id(i)}")
        return {"doc": found, "body": body, "events": views.timeline(its_events)}

    supported = [e.id for e in snap.events_by_doc.get(doc_id, [])]
    return Page("document.html.j2", html, lambda: {**found.export(), "events": supported})


# ---------------------------------------------------------------- helpers


def _newest(d: Document) -> tuple[str, str]:
    return (d.published or "", d.id)


def entity_json(e: Entity) -> dict[str, Any]:
    return {**views.entity_row(e), "aliases": e.aliases}


def _without_text(d: Document) -> dict[str, Any]:
    return {k: v for k, v in d.export().items() if k != "text"}


def _chart_svg(events: list[Event]) -> Markup:
    from ..report import charts  # matplotlib: loaded by the first overview, not at start-up

    svg = charts.render(charts.per_year_chart(events), "svg").decode("utf-8")
    return Markup(svg[svg.index("<svg") :])


def _counts(snap: Snapshot) -> dict[str, Any]:
    events = list(snap.events.values())
    return {
        "documents": len(snap.documents),
        "entities": len(snap.entities),
        "events": len(events),
        "conflicts": sum(len(e.conflicts) for e in events),
        "by_type": sorted(Counter(e.type for e in events).items()),
    }
