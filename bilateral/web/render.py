"""The one renderer: a view's `Page` as HTML (Jinja, autoescaped), JSON or CSV; errors likewise.

Also a response cache: pages depend only on the URL and the knowledge base's data version, so
a repeated request is answered from memory until the data changes (bounded in entries and bytes).
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import views
from .data import Data
from .markup import url_id
from .pages import Page, get_data

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
CACHE_ENTRIES = 512
CACHE_BYTES = 64 << 20  # all answers kept, at most
CACHE_LARGEST = 1 << 20  # bytes: a larger answer (a long document) is rendered each time


class Renderer:
    def __init__(self) -> None:
        self.templates = Jinja2Templates(directory=HERE / "templates")
        env = self.templates.env
        env.autoescape = (
            True  # starlette escapes only *.html; ours are *.html.j2, and article text is hostile
        )
        env.globals.update(views=views, name=views.name)
        env.filters["kind"] = lambda t: str(t).replace("_", " ")
        env.filters["id"] = url_id  # every id in a link: /entity/{{ e.id|id }}

    def __call__(self, request: Request, page: Page, fmt: str) -> Response:
        if fmt == "json":
            return JSONResponse(page.body())
        if fmt == "csv":
            assert page.table is not None
            return _csv(*page.table, f"{page.name}.csv")
        context = {"snap": get_data(request).snapshot(), **page.html()}
        return self.templates.TemplateResponse(request, page.template, context)

    def error(self, request: Request, status: int, detail: str) -> Response:
        """JSON under /api, a page elsewhere: what is wrong, in one sentence."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=status)
        return self.templates.TemplateResponse(
            request, "error.html.j2", {"status": status, "detail": detail}, status_code=status
        )

    def page(self, request: Request, template: str, **context: Any) -> HTMLResponse:
        return self.templates.TemplateResponse(
            request, template, {"snap": get_data(request).snapshot(), **context}
        )


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


class Responses:
    """Security headers on every answer, and a cache of successful GET answers by URL that lasts
    while the data version does (an ASGI middleware: a hit costs no routing, no view, no template)."""

    def __init__(self, app: ASGIApp, data: Data, entries: int = CACHE_ENTRIES) -> None:
        self.app, self.data, self.entries = app, data, entries
        self._bytes = 0
        self._cache: OrderedDict[tuple[str, bytes], tuple[int, int, list[tuple[bytes, bytes]], bytes]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]
        cacheable = (
            self.entries > 0
            and scope["method"] == "GET"
            and not scope["path"].startswith(("/static/", "/report"))
        )
        key = (scope["path"], scope.get("query_string", b""))
        version = None
        if cacheable:  # the version without a thread when it was looked at within the second
            version = self.data.fresh_version()
            if version is None:
                version = await anyio.to_thread.run_sync(lambda: self.data.snapshot().version)
        if cacheable:
            with self._lock:
                hit = self._cache.get(key)
                if hit is not None and hit[0] == version:
                    self._cache.move_to_end(key)
            if hit is not None and hit[0] == version:
                await send({"type": "http.response.start", "status": hit[1], "headers": hit[2]})
                await send({"type": "http.response.body", "body": hit[3]})
                return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
                start.update(message)
            elif message["type"] == "http.response.body":
                if cacheable and start.get("status") == 200:
                    chunks.append(message.get("body", b""))
                if cacheable and not message.get("more_body") and start.get("status") == 200:
                    self._keep(key, version, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, sending)

    def _keep(self, key: tuple[str, bytes], version: Any, start: dict[str, Any], body: bytes) -> None:
        if len(body) > CACHE_LARGEST:
            return
        with self._lock:
            old = self._cache.pop(key, None)
            self._bytes += len(body) - (len(old[3]) if old else 0)
            self._cache[key] = (version, start["status"], list(start["headers"]), body)
            while len(self._cache) > self.entries or self._bytes > CACHE_BYTES:
                self._bytes -= len(self._cache.popitem(last=False)[1][3])
