"""The local web app: browse, search and check every fact against its source.

Routes only: each view is one data function (`pages`) served as an HTML page, a JSON route under
/api and, for tables, a CSV download, by one renderer (`render`). Read-only, offline (styles and
script served from /static, no CDN), and every path parameter is an id looked up in the knowledge
base, never a file path. Bad requests get a 4xx answer saying what is wrong, never a 500.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations, which name
# each route's data function, a local variable.
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from ..checks import KnowledgeBaseError
from ..store import StoreError
from . import pages
from .data import Data
from .pages import Page
from .render import CACHE_ENTRIES, HERE, Renderer, Responses

# Each view and where it is served: html (a page), json (the API), csv (a download). A .csv route
# comes before its page's, whose last parameter would otherwise take "arms.csv" for a kind.
ROUTES: list[tuple[Callable[..., Page], dict[str, str]]] = [
    (pages.overview, {"html": "/", "json": "/api/overview"}),
    (pages.search, {"html": "/search", "json": "/api/search"}),
    (pages.entities, {"json": "/api/entities"}),
    (pages.entity, {"html": "/entity/{entity_id:path}", "json": "/api/entities/{entity_id:path}"}),
    (pages.events, {"json": "/api/events"}),
    (pages.event, {"html": "/event/{event_id:path}", "json": "/api/events/{event_id:path}"}),
    (pages.documents, {"json": "/api/documents"}),
    (pages.document, {"html": "/document/{doc_id:path}", "json": "/api/documents/{doc_id:path}"}),
    (pages.timeline, {"csv": "/timeline.csv", "html": "/timeline", "json": "/api/timeline"}),
    (
        pages.register,
        {"csv": "/register/{kind}.csv", "html": "/register/{kind}", "json": "/api/registers/{kind}"},
    ),
    (pages.conflicts, {"csv": "/conflicts.csv", "html": "/conflicts", "json": "/api/conflicts"}),
    (pages.quotes, {"csv": "/quotes.csv", "html": "/quotes", "json": "/api/quotes"}),
]


def create_app(
    db: str | Path, cache_entries: int = CACHE_ENTRIES, review: bool = False, hosts: Sequence[str] = ()
) -> FastAPI:
    """The app over the knowledge base in `db` (opened read-only); `cache_entries` answers are kept
    (0: none, to measure what the cache saves); `review` adds the review forms and their one
    write route (see `web.review`), the app then answering to loopback names and `hosts` only."""
    data = Data(db)
    app = FastAPI(
        title="bilateral",
        description="A cited, cross-checked record of relations between states.",
        docs_url=None,  # Swagger UI would load from a CDN; /api lists the routes instead
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.data = data
    render = Renderer()
    app.add_middleware(Responses, data=data, entries=cache_entries)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for view, paths in ROUTES:
        for fmt, path in paths.items():
            app.add_api_route(
                path,
                _endpoint(render, view, fmt),
                methods=["GET"],
                include_in_schema=fmt == "json",
                tags=[view.__name__],
                description=view.__doc__,
                response_class=HTMLResponse if fmt == "html" else Response,
            )

    if review:
        from .review import add_review

        add_review(app, db, data, render, hosts)

    @app.get("/report", include_in_schema=False)
    def report(
        actor: Annotated[list[str] | None, Query()] = None,
        format: Annotated[str, Query(pattern="^(html|md)$")] = "html",
    ) -> Response:
        text = data.report(actor or [], format)
        media = "text/html" if format == "html" else "text/markdown"
        disposition = f'attachment; filename="briefing.{format}"'
        return Response(
            text, media_type=f"{media}; charset=utf-8", headers={"Content-Disposition": disposition}
        )

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_index(request: Request) -> HTMLResponse:
        return render.page(request, "api.html.j2", spec=app.openapi())

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return render.error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(KnowledgeBaseError)
    async def refused(request: Request, exc: KnowledgeBaseError) -> Response:
        return render.error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        )
        return render.error(request, 400, f"bad request: {problems}")

    @app.exception_handler(StoreError)
    async def unreadable(request: Request, exc: StoreError) -> Response:
        return render.error(request, 503, f"the knowledge base cannot be read: {exc}")

    return app


def _endpoint(render: Renderer, view: Callable[..., Page], fmt: str) -> Callable[..., Response]:
    def endpoint(request: Request, page: Annotated[Page, Depends(view)]) -> Response:
        return render(request, page, fmt)

    endpoint.__name__ = f"{view.__name__}_{fmt}"
    return endpoint
