"""The local web app: browse, search and check every fact against its source.

Server-rendered pages (Jinja, autoescaped) and a JSON API under /api, both from the same views.
Read-only, offline (styles and script served from /static, no CDN), and every path parameter is an
id looked up in the knowledge base, never a file path.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from .. import views
from ..models import Entity, Event
from ..report import ReportError, render
from ..report import charts as report_charts
from .data import Data, Snapshot
from .render import in_context, reading_view, snippet

HERE = Path(__file__).parent
DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # or empty: a form sends its blank fields
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


# Query parameters shared by the views (module level, so that FastAPI can resolve them).
TypeQ = Annotated[list[str] | None, Query(description="Event types (repeatable)")]
ActorQ = Annotated[str | None, Query(description="ISO code or name of an actor")]
SinceQ = Annotated[str | None, Query(pattern=DATE, description="YYYY[-MM[-DD]]")]
UntilQ = Annotated[str | None, Query(pattern=DATE, description="YYYY[-MM[-DD]]")]


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response


def create_app(db: str | Path) -> FastAPI:
    """The app over the knowledge base in `db` (opened read-only)."""
    data = Data(db)
    app = FastAPI(
        title="bilateral",
        description="A cited, cross-checked record of relations between states.",
        docs_url=None,  # Swagger UI would load from a CDN; /api lists the routes instead
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    env = templates.env
    env.autoescape = True  # starlette escapes only *.html; ours are *.html.j2, and article text is hostile
    env.globals.update(views=views, name=views.name)
    env.filters["kind"] = lambda t: str(t).replace("_", " ")

    def page(request: Request, template: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, template, {"snap": data.snapshot(), **context})

    def filters(
        snap: Snapshot, type: list[str] | None, actor: str | None, since: str | None, until: str | None
    ) -> views.Filters:
        types = [t for t in type or [] if t]  # the form's "all" sends an empty type
        return views.Filters(types, actor or None, since or None, until or None, snap.countries)

    def event_or_404(snap: Snapshot, event_id: str) -> Event:
        if event_id not in snap.events:
            raise HTTPException(404, f"no event {event_id!r}")
        return snap.events[event_id]

    # ---------------------------------------------------------------- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> HTMLResponse:
        snap = data.snapshot()
        events = list(snap.events.values())
        recent = sorted(snap.documents.values(), key=lambda d: (d.published or "", d.id), reverse=True)[:8]
        chart = snap.memo("chart", lambda: _chart_svg(events))
        return page(
            request,
            "overview.html.j2",
            counts=_counts(snap),
            chart=Markup(chart[chart.index("<svg") :]),
            actors=views.actors(events)[:12],
            recent=recent,
            conflicts=views.conflicts(events),
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "") -> HTMLResponse:
        return page(request, "search.html.j2", q=q, **_search(data, q))

    @app.get("/entity/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str) -> HTMLResponse:
        snap = data.snapshot()
        entity = snap.entities.get(entity_id)
        if entity is None:
            raise HTTPException(404, f"no entity {entity_id!r}")
        events = views.timeline_order(snap.events_of(entity))
        related: Counter[str] = Counter()
        own = {entity.name, *entity.aliases, entity.iso3 or ""}
        for e in events:
            for a in views.actors_of(e):
                other = snap.entity_for(a)
                if a not in own and other is not None and other.id != entity.id:
                    related[other.id] += 1
        return page(
            request,
            "entity.html.j2",
            entity=entity,
            timeline=views.timeline(events),
            related=[(snap.entities[i], n) for i, n in related.most_common(15)],
            docs=[(snap.documents[d], n) for d, n in data.entity_documents(entity.id) if d in snap.documents],
        )

    @app.get("/event/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        snap = data.snapshot()
        event = event_or_404(snap, event_id)
        docs = {d: data.document(d) for d in dict.fromkeys(s.doc for s in event.evidence)}
        evidence = [(s, doc, in_context(doc.text, s)) for s in event.evidence if (doc := docs[s.doc])]
        return page(request, "event.html.j2", event=event, evidence=evidence, summary=views.summary(event))

    @app.get("/document/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        snap = data.snapshot()
        doc = data.document(doc_id)
        if doc is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        events = views.timeline_order(snap.events_by_doc.get(doc_id, []))
        evidence = [(s, e) for e in events for s in e.evidence if s.doc == doc_id]
        body = reading_view(
            doc.text,
            [m for m in data.mentions(doc_id) if m.entity_id in snap.entities],
            evidence,
            lambda i: f"/entity/{quote(i)}",
            lambda i: f"/event/{quote(i)}",
        )
        return page(request, "document.html.j2", doc=doc, body=body, events=views.timeline(events))

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(
        request: Request,
        type: TypeQ = None,
        actor: ActorQ = None,
        since: SinceQ = None,
        until: UntilQ = None,
    ) -> HTMLResponse:
        snap = data.snapshot()
        rows = views.timeline(filters(snap, type, actor, since, until).apply(snap.events.values()))
        return page(
            request, "table.html.j2", title="Timeline", kind="timeline", rows=rows, query=request.url.query
        )

    @app.get("/timeline.csv", include_in_schema=False)
    def timeline_csv(
        type: TypeQ = None, actor: ActorQ = None, since: SinceQ = None, until: UntilQ = None
    ) -> Response:
        snap = data.snapshot()
        rows = views.timeline(filters(snap, type, actor, since, until).apply(snap.events.values()))
        return _csv(rows, views.COLUMNS["timeline"], "timeline.csv")

    @app.get("/register/{kind}.csv", include_in_schema=False)
    def register_csv(kind: str, actor: ActorQ = None, since: SinceQ = None, until: UntilQ = None) -> Response:
        return _csv(_register(data.snapshot(), kind, actor, since, until), views.COLUMNS[kind], f"{kind}.csv")

    @app.get("/register/{kind}", response_class=HTMLResponse, include_in_schema=False)
    def register_page(
        request: Request, kind: str, actor: ActorQ = None, since: SinceQ = None, until: UntilQ = None
    ) -> HTMLResponse:
        rows = _register(data.snapshot(), kind, actor, since, until)
        title = {"arms": "Arms transfers", "investments": "Investments", "loans": "Loans"}.get(
            kind, "Agreements"
        )
        return page(request, "table.html.j2", title=title, kind=kind, rows=rows, query=request.url.query)

    @app.get("/report", include_in_schema=False)
    def report_download(
        actor: Annotated[list[str] | None, Query()] = None,
        format: Annotated[str, Query(pattern="^(html|md)$")] = "html",
    ) -> Response:
        snap = data.snapshot()
        try:
            text = render(list(snap.events.values()), snap.documents, actor or [], format, snap.countries)
        except ReportError as exc:
            raise HTTPException(404, str(exc)) from exc
        media = "text/html" if format == "html" else "text/markdown"
        disposition = f'attachment; filename="briefing.{format}"'
        return Response(
            text, media_type=f"{media}; charset=utf-8", headers={"Content-Disposition": disposition}
        )

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_index(request: Request) -> HTMLResponse:
        return page(request, "api.html.j2", spec=app.openapi())

    # ---------------------------------------------------------------- JSON API

    @app.get("/api/overview", tags=["overview"])
    def api_overview() -> dict[str, Any]:
        """Counts, the most active actors and the open conflicts."""
        snap = data.snapshot()
        events = list(snap.events.values())
        return {
            "counts": _counts(snap),
            "actors": views.actors(events)[:20],
            "conflicts": views.conflicts(events),
        }

    @app.get("/api/search", tags=["search"])
    def api_search(q: Annotated[str, Query(min_length=1)]) -> dict[str, Any]:
        """Documents (full text), entities (names and aliases) and events matching `q`."""
        found = _search(data, q)
        return {
            "documents": [
                {"doc": h.doc, "start": h.start, "end": h.end, "snippet": str(h.html), "title": h.title}
                for h in found["documents"]
            ],
            "entities": [_entity_json(e) for e in found["entities"]],
            "events": [e.export() for e in found["events"]],
        }

    @app.get("/api/entities", tags=["entities"])
    def api_entities(type: str | None = None) -> list[dict[str, Any]]:
        """Entities with their mention and document counts."""
        snap = data.snapshot()
        chosen = [e for e in snap.entities.values() if type is None or e.type == type]
        return [_entity_json(e) for e in sorted(chosen, key=lambda e: (-e.n_mentions, e.name))]

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    def api_entity(entity_id: str) -> dict[str, Any]:
        """One entity with its mentions and the ids of its events."""
        snap = data.snapshot()
        entity = snap.entities.get(entity_id)
        if entity is None:
            raise HTTPException(404, f"no entity {entity_id!r}")
        row = replace(entity, mentions=data.entity_mentions(entity_id), counts=None).export()
        row["events"] = [e.id for e in views.timeline_order(snap.events_of(entity))]
        return row

    @app.get("/api/events", tags=["events"])
    def api_events(
        type: TypeQ = None, actor: ActorQ = None, since: SinceQ = None, until: UntilQ = None
    ) -> list[dict[str, Any]]:
        """Events as in events.jsonl (ONTOLOGY.md), in date order."""
        snap = data.snapshot()
        chosen = filters(snap, type, actor, since, until).apply(snap.events.values())
        return [e.export() for e in views.timeline_order(chosen)]

    @app.get("/api/events/{event_id}", tags=["events"])
    def api_event(event_id: str) -> dict[str, Any]:
        """One event as in events.jsonl, with its one-line summary."""
        event = event_or_404(data.snapshot(), event_id)
        return {**event.export(), "summary": views.summary(event)}

    @app.get("/api/documents", tags=["documents"])
    def api_documents() -> list[dict[str, Any]]:
        """Documents' metadata (without their text)."""
        snap = data.snapshot()
        return [{k: v for k, v in d.export().items() if k != "text"} for d in snap.documents.values()]

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def api_document(doc_id: str) -> dict[str, Any]:
        """One document as in documents.jsonl, with the ids of the events it supports."""
        doc = data.document(doc_id)
        if doc is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return {**doc.export(), "events": [e.id for e in data.snapshot().events_by_doc.get(doc_id, [])]}

    @app.get("/api/timeline", tags=["views"])
    def api_timeline(
        type: TypeQ = None, actor: ActorQ = None, since: SinceQ = None, until: UntilQ = None
    ) -> list[dict[str, Any]]:
        """The timeline view: date order, undated last."""
        snap = data.snapshot()
        return views.timeline(filters(snap, type, actor, since, until).apply(snap.events.values()))

    @app.get("/api/registers/{kind}", tags=["views"])
    def api_register(
        kind: str, actor: ActorQ = None, since: SinceQ = None, until: UntilQ = None
    ) -> list[dict[str, Any]]:
        """A register: arms, investments, loans or agreements."""
        return _register(data.snapshot(), kind, actor, since, until)

    @app.get("/api/conflicts", tags=["views"])
    def api_conflicts() -> list[dict[str, Any]]:
        """Every disagreement between sources, with the documents behind each value."""
        return views.conflicts(data.snapshot().events.values())

    @app.get("/api/quotes", tags=["views"])
    def api_quotes(speaker: str | None = None) -> list[dict[str, Any]]:
        """Who said what, when, and where it was reported."""
        snap = data.snapshot()
        return views.quotes(snap.events.values(), snap.documents, speaker)

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(
            request,
            "error.html.j2",
            {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
        )

    app.state.data = data
    return app


def _chart_svg(events: list[Event]) -> Markup:
    svg = report_charts.render(report_charts.per_year_chart(events), "svg").decode("utf-8")
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


def _entity_json(e: Entity) -> dict[str, Any]:
    return {**views.entity_row(e), "aliases": e.aliases}


class _Hit:
    def __init__(self, doc: str, start: int, end: int, html: Markup, title: str | None) -> None:
        self.doc, self.start, self.end, self.html, self.title = doc, start, end, html, title


def _search(data: Data, q: str) -> dict[str, Any]:
    q = q.strip()
    if not q:
        return {"documents": [], "entities": [], "events": []}
    snap = data.snapshot()
    hits = [_Hit(h.doc, h.start, h.end, snippet(h.snippet), h.title) for h in data.search(q, 30)]
    return {"documents": hits, "entities": snap.find_entities(q), "events": snap.find_events(q)}


def _register(
    snap: Snapshot, kind: str, actor: str | None, since: str | None, until: str | None
) -> list[dict[str, Any]]:
    if kind not in views.REGISTERS:
        raise HTTPException(404, f"no register {kind!r}; there are {', '.join(views.REGISTERS)}")
    chosen = views.Filters(
        [views.REGISTERS[kind]], actor or None, since or None, until or None, snap.countries
    )
    return views.register(kind, chosen.apply(snap.events.values()))


def _csv(rows: list[dict[str, Any]], columns: list[str], filename: str) -> Response:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return PlainTextResponse(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{re.sub(r"[^a-z.]", "", filename)}"'},
    )
