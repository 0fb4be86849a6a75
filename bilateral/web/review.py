"""Review mode (`bilateral serve --review`): analysts accept, reject, correct, annotate, merge and
split events, and merge and split entities, from their pages. Off by default; without it no route
writes.

Every write is a POST carrying the form's token (made when the app starts, compared in constant
time) from a page of this server (Sec-Fetch-Site: same-origin, or an Origin of this host): another
site cannot make an analyst's browser write. A judgement goes through `KnowledgeBase.judge` or
`judge_entity`, which check it as the CLI's do; a refused one is a 400 page saying why. Merging
starts from a search (`/review/merge/event/ID?q=…`): the events of the same type, or the
entities of the same type, whose names match, each with a button.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs, quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ..kb import KnowledgeBase
from ..models import Entity, Event
from ..review import find
from .data import Data
from .pages import PROVIDERS
from .params import Binding, Query
from .render import Renderer

KINDS = ("accept", "reject", "set", "note", "merge", "split")
ENTITY_KINDS = ("merge", "split")
LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")
FORM_BYTES = 64 * 1024  # a judgement's form: a note, a value, some ticked spans


def review_routes(
    db: str | Path, data: Data, render: Renderer, hosts: Sequence[str] = ()
) -> tuple[str, list[BaseRoute], Middleware]:
    """The token the pages put in their forms, the review routes, and the guard that makes the app
    answer only to the names it is served under (loopback and `hosts`): a page of another site
    whose name is made to point here (DNS rebinding) would otherwise count as this server's own."""
    token = secrets.token_urlsafe(32)
    guard = Middleware(TrustedHostMiddleware, allowed_hosts=[*LOOPBACK, *hosts])

    async def form_of(request: Request, kinds: Sequence[str]) -> dict[str, list[str]]:
        _same_origin(request)
        body = await request.body()
        if len(body) > FORM_BYTES:
            raise HTTPException(413, f"a review form is at most {FORM_BYTES // 1024} KB")
        form = parse_qs(body.decode("utf-8", "replace"))
        if not hmac.compare_digest((form.get("csrf") or [""])[0].encode(), token.encode()):
            raise HTTPException(403, "the form's token is missing or stale: reload the page")
        if (kind := _one(form, "kind")) not in kinds:
            raise HTTPException(400, f"unknown judgement {kind!r}; choose from {', '.join(kinds)}")
        return form

    async def write(make: Callable[[KnowledgeBase], str | None]) -> Response:
        found = await run_in_threadpool(_in_kb, db, make)  # a writer may wait for another's lock
        data.changed()
        return RedirectResponse(found or "/", status_code=303)

    async def judge(request: Request) -> Response:
        event_id = request.path_params["event_id"]
        form = await form_of(request, KINDS)

        def make(kb: KnowledgeBase) -> str | None:
            kind = _one(form, "kind")
            made = kb.judge(
                kind,
                event_id,
                role=_one(form, "role") or None,
                value=form.get("span", []) if kind == "split" else _one(form, "value"),
                other=_one(form, "other") or None,
                author=_one(form, "author") or "web",
                note=_one(form, "note"),
            )
            event = find(kb.store, made.target)
            return f"/event/{quote(event.id, safe='')}" if event else None

        return await write(make)

    async def judge_entity(request: Request) -> Response:
        entity_id = request.path_params["entity_id"]
        form = await form_of(request, ENTITY_KINDS)

        def make(kb: KnowledgeBase) -> str | None:
            kb.judge_entity(
                _one(form, "kind"),
                entity_id,
                other=_one(form, "other"),
                parts=form.get("part", []),
                author=_one(form, "author") or "web",
                note=_one(form, "note"),
            )
            return f"/entity/{quote(entity_id, safe='')}"

        return await write(make)

    def merge_search(
        request: Request, what: str, item_id: str, q: Annotated[str, Query(max_length=500)] = ""
    ) -> Response:
        snap = data.snapshot()
        item: Event | Entity
        hits: Sequence[Event | Entity]
        if what == "event" and item_id in snap.events:
            item = snap.events[item_id]
            hits = [e for e in snap.find_events(q, 50) if e.type == item.type and e.id != item_id]
        elif what == "entity" and item_id in snap.entities:
            item = snap.entities[item_id]
            hits = [e for e in snap.find_entities(q, 50) if e.type == item.type and e.id != item_id]
        else:
            raise HTTPException(404, f"no {what} {item_id!r}")
        return render.page(request, "merge.html.j2", what=what, item=item, q=q, hits=hits[:20])

    search = Binding(merge_search, PROVIDERS)
    routes: list[BaseRoute] = [
        Route("/review/event/{event_id:path}", judge, methods=["POST"]),
        Route("/review/entity/{entity_id:path}", judge_entity, methods=["POST"]),
        Route("/review/merge/{what}/{item_id:path}", lambda request: search(request), methods=["GET"]),
    ]
    return token, routes, guard


def _one(form: dict[str, list[str]], key: str) -> str:
    return (form.get(key) or [""])[0]


def _in_kb(db: str | Path, make: Callable[[KnowledgeBase], str | None]) -> str | None:
    with KnowledgeBase(db) as kb:
        return make(kb)


def _same_origin(request: Request) -> None:
    """A write from a page of this server, or none."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if site == "same-origin" or (site is None and origin == own):
        return
    raise HTTPException(403, "writes are accepted from this server's own pages only")
