"""The web app under hostile and odd requests, over real HTTP to a real uvicorn server: every answer
is a 4xx saying what is wrong or a page, never a 500; ids with '/', spaces, '%' and '#' are
reachable from the app's own links."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest

import bilateral

# Texts we compose ourselves; ids that need encoding in a URL.
ODD_DOCUMENTS = {
    "reports/2024 #1": "In 2021, Hungary purchased twelve Leopard tanks from Germany.\n",
    "100% sure": "Serbian President Aleksandar Vucic met Chinese President Xi Jinping in May 2024.\n",
    "a b": "China and Serbia signed a free trade agreement in October 2023.\n",
    "plain": "In 2022, Serbia received FK-3 air defence systems from China.\n",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path, *options: str) -> Iterator[str]:
    """`bilateral serve` on a free loopback port until the block ends; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "bilateral", "serve", "--db", str(db), "--port", str(port), *options]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                httpx.get(url + "/api/overview", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "server died"
                time.sleep(0.25)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(sample_db: Path) -> Iterator[str]:
    with serving(sample_db) as url:
        yield url


@pytest.fixture(scope="module")
def odd_ids_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("odd")
    rows = [{"doc": doc, "text": text, "title": f"About {doc}"} for doc, text in ODD_DOCUMENTS.items()]
    (folder / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with bilateral.open(folder / "kb.db") as kb:
        kb.extract([folder / "docs.jsonl"], folder / "out")
    return folder / "kb.db"


def _links(page: str) -> set[str]:
    return {unquote_fragment(h) for h in re.findall(r'href="(/[^"]*)"', page)}


def unquote_fragment(href: str) -> str:
    """A link without its #fragment (which the browser keeps to itself); &amp; as the browser reads it."""
    return href.split("#", 1)[0].replace("&amp;", "&")


def test_every_link_the_app_shows_resolves(odd_ids_db: Path) -> None:
    with serving(odd_ids_db) as url, httpx.Client(base_url=url, timeout=30) as client:
        seen: set[str] = set()
        todo = ["/"]
        while todo and len(seen) < 400:
            path = todo.pop()
            if path in seen or path.startswith(("/static/", "/report")):
                continue
            seen.add(path)
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            if answer.headers["content-type"].startswith("text/html"):
                todo.extend(_links(answer.text) - seen)
        reached = {
            unquote(urlsplit(p).path.removeprefix("/document/")) for p in seen if p.startswith("/document/")
        }
        assert reached == set(ODD_DOCUMENTS), reached
        assert any(p.startswith("/entity/") for p in seen) and any(p.startswith("/event/") for p in seen)
        # An id with '/' is one path segment in the links, and its API route answers too.
        assert "/document/reports%2F2024%20%231" in seen
        assert (
            client.get("/api/documents/reports%2F2024%20%231").json()["text"]
            == ODD_DOCUMENTS["reports/2024 #1"]
        )


HOSTILE = [
    # (path as sent, expected status, words the answer must contain)
    ("/search?q=%00drones", 400, "NUL"),
    ("/api/search?q=%00", 400, "NUL"),
    ("/search?q=" + "+".join(["drone"] * 3000), 400, "at most 32 words"),
    ("/api/search?q=" + "x" * 20000, 400, "500 characters"),
    ("/timeline?since=%00", 400, "is not a date"),
    ("/timeline?actor=%00", 400, "an actor is a name"),
    ("/api/timeline?actor=" + "A" * 5000, 400, "an actor is a name"),
    ("/timeline?type=%3Cscript%3E", 400, "unknown event type"),
    ("/register/arms?since=yesterday", 400, "is not a date"),
    ("/timeline?actor=Serbai", 400, "no actor matches &#39;Serbai&#39;; did you mean &#39;Serbia&#39;?"),
    ("/report?format=exe", 400, "format"),
    ("/report?format=html%0a", 400, "format"),  # a pattern is the whole value, not a line of it
    ("/entity/%00", 404, "no entity"),
    ("/event/%00", 404, "no event"),
    ("/document/%00", 404, "no document"),
    ("/api/documents/%00", 404, "no document"),
    ("/document/..%2F..%2Fetc%2Fpasswd", 404, "no document"),
    ("/document/%2e%2e/%2e%2e/etc/passwd", 404, ""),
    ("/entity/" + "a" * 10000, 404, "no entity"),
    ("/entity/%ZZ", 404, "no entity"),
    ("/api/events/%FF%FE", 404, "no event"),
    ("/register/%00", 404, "no register"),
    ("/register/..%2F..%2Fkb.db", 404, ""),
    ("/static/..%2F..%2Fkb.db", 404, ""),
    ("/static/%2e%2e/app.py", 404, ""),
    ("/nowhere", 404, ""),
]


def test_hostile_requests_get_4xx_never_500(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        for path, status, words in HOSTILE:
            answer = client.get(path)
            assert answer.status_code == status, (path[:80], answer.status_code, answer.text[:300])
            assert words in answer.text, (path[:80], answer.text[:300])
            assert "Traceback" not in answer.text and "root:" not in answer.text
        # What is not an id nor a query: methods, odd bytes in the query, a huge header.
        assert client.post("/api/events", json={}).status_code == 405
        assert (
            client.get("/search", params={"q": "\udcff drones".encode("utf-8", "surrogatepass")}).status_code
            < 500
        )
        assert client.get("/", headers={"X-Big": "x" * 60000}).status_code < 500
        # The server is still answering, and the pages' own links still work.
        assert client.get("/api/overview").status_code == 200


def test_errors_are_pages_for_people_and_json_for_programs(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        page = client.get("/search", params={"q": "\x00"})
        assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
        assert "a search cannot contain a NUL character" in page.text and "Back to the overview" in page.text
        api = client.get("/api/search", params={"q": "\x00"})
        assert api.json() == {"detail": "a search cannot contain a NUL character"}


def test_cached_answers_follow_a_writer(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ingest beside the server shows on the next look at the data version; until then, and
    for every repeated request, the answer comes from the cache unchanged."""
    import shutil

    from starlette.testclient import TestClient

    from bilateral.web import create_app, data

    monkeypatch.setattr(data, "CHECK_EVERY", 0.0)  # look at the version on every request
    db = tmp_path / "kb.db"
    shutil.copy(sample_db, db)
    with TestClient(create_app(db)) as client:
        before = client.get("/api/documents")
        again = client.get("/api/documents")
        assert before.content == again.content and before.headers["x-content-type-options"] == "nosniff"
        (tmp_path / "new.txt").write_text("Hungary and China opened a railway in 2024.\n", encoding="utf-8")
        with bilateral.open(db) as kb:
            assert kb.ingest([tmp_path / "new.txt"]).ingested == ["new"]
        after = client.get("/api/documents").json()
        assert len(after) == len(before.json()) + 1 and "new" in {d["doc"] for d in after}
