"""The local web app: browse, search and check every fact against its source.

Routes only: each view is one data function (`pages`) served as an HTML page, a JSON route under
/api and, for tables, a CSV download, by one renderer (`render`). Read-only, offline (styles and
script served from /static, no CDN), and every path parameter is an id looked up in the knowledge
base, never a file path. Bad requests get a 4xx answer saying what is wrong, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..checks import KnowledgeBaseError
from ..store import StoreError
from . import pages
from .data import Data
from .pages import PROVIDERS, Page
from .params import BadParameter, Binding, Query
from .render import CACHE_ENTRIES, HERE, Renderer, Responses

TITLE = "bilateral"
DESCRIPTION = "A cited, cross-checked record of relations between states."

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
) -> Starlette:
    """The app over the knowledge base in `db` (opened read-only); `cache_entries` answers are kept
    (0: none, to measure what the cache saves); `review` adds the review forms and their one
    write route (see `web.review`), the app then answering to loopback names and `hosts` only."""
    data = Data(db)
    render = Renderer()
    routes: list[BaseRoute] = [Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    api: list[tuple[str, Binding]] = []
    for view, paths in ROUTES:
        binding = Binding(view, PROVIDERS)
        for fmt, path in paths.items():
            routes.append(Route(path, _endpoint(render, binding, fmt), methods=["GET"]))
            if fmt == "json":
                api.append((path, binding))
    spec = openapi(api)

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

    def api_index(request: Request) -> Response:
        return render.page(request, "api.html.j2", spec=spec)

    def api_spec(request: Request) -> Response:
        return JSONResponse(spec)

    routes += [
        Route("/report", _call(Binding(report, PROVIDERS)), methods=["GET"]),
        Route("/api", api_index, methods=["GET"]),
        Route("/api/openapi.json", api_spec, methods=["GET"]),
    ]
    middleware = [Middleware(Responses, data=data, entries=cache_entries)]
    token = None
    if review:
        from .review import review_routes

        token, extra, guard = review_routes(db, data, render, hosts)
        routes += extra
        middleware.insert(0, guard)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return render.error(request, exc.status_code, str(exc.detail))

    async def refused(request: Request, exc: Exception) -> Response:
        return render.error(request, 400, str(exc))

    async def invalid(request: Request, exc: Exception) -> Response:
        return render.error(request, 400, f"bad request: {exc}")

    async def unreadable(request: Request, exc: Exception) -> Response:
        return render.error(request, 503, f"the knowledge base cannot be read: {exc}")

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            HTTPException: http_error,
            KnowledgeBaseError: refused,
            BadParameter: invalid,
            StoreError: unreadable,
        },
    )
    app.state.data = data
    app.state.review_token = token
    return app


def openapi(api: list[tuple[str, Binding]]) -> dict[str, Any]:
    """The JSON routes as OpenAPI describes them, from the route table (what /api lists)."""
    paths: dict[str, Any] = {}
    for path, binding in api:
        name = binding.fn.__name__
        paths[path.replace(":path}", "}")] = {
            "get": {
                "tags": [name],
                "summary": name.replace("_", " ").capitalize(),
                "description": binding.fn.__doc__ or "",
                "operationId": f"{name}_json",
                "parameters": [p.spec() for p in binding.params()],
                "responses": {"200": {"description": "Successful Response"}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "description": DESCRIPTION, "version": __version__},
        "paths": paths,
    }


def _call(binding: Binding) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        response: Response = binding(request)
        return response

    return endpoint


def _endpoint(render: Renderer, binding: Binding, fmt: str) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        page: Page = binding(request)
        return render(request, page, fmt)

    endpoint.__name__ = f"{binding.fn.__name__}_{fmt}"
    return endpoint
