"""Review mode (`bilateral serve --review`): analysts accept, reject, correct and annotate events
from the event page. Off by default; without it no route writes.

Every write is a POST carrying the form's token (made when the app starts, compared in constant
time) from a page of this server (Sec-Fetch-Site: same-origin, or an Origin of this host): another
site cannot make an analyst's browser write. A judgement goes through `KnowledgeBase.judge`, which
checks it as the CLI's does; a refused one is a 400 page saying why.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..kb import KnowledgeBase
from ..models import Event
from ..review import find
from .data import Data

KINDS = ("accept", "reject", "set", "note")


LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")


def add_review(app: FastAPI, db: str | Path, data: Data, hosts: Sequence[str] = ()) -> None:
    """The review routes, and the token the event page puts in its forms. The app then answers
    only to the names it is served under (loopback and `hosts`): a page of another site whose
    name is made to point here (DNS rebinding) would otherwise count as this server's own."""
    token = secrets.token_urlsafe(32)
    app.state.review_token = token
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*LOOPBACK, *hosts])

    @app.post("/review/event/{event_id:path}", include_in_schema=False)
    async def judge(request: Request, event_id: str) -> Response:
        _same_origin(request)
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        if not hmac.compare_digest(form.get("csrf", "").encode(), token.encode()):
            raise HTTPException(403, "the form's token is missing or stale: reload the page")
        kind = form.get("kind", "")
        if kind not in KINDS:
            raise HTTPException(400, f"unknown judgement {kind!r}; choose from {', '.join(KINDS)}")

        def write() -> Event | None:  # in a worker thread: a writer may wait for another's lock
            with KnowledgeBase(db) as kb:
                made = kb.judge(
                    kind,
                    event_id,
                    role=form.get("role") or None,
                    value=form.get("value"),
                    author=form.get("author") or "web",
                    note=form.get("note", ""),
                )
                return find(kb.store, made.target)

        found = await run_in_threadpool(write)
        data.changed()
        where = f"/event/{quote(found.id, safe='')}" if found else "/"
        return RedirectResponse(where, status_code=303)


def _same_origin(request: Request) -> None:
    """A write from a page of this server, or none."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if site == "same-origin" or (site is None and origin == own):
        return
    raise HTTPException(403, "writes are accepted from this server's own pages only")
