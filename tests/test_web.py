"""The web app over HTTP: every page and API route, hostile documents, and what must not be served."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import bilateral
from bilateral.web import create_app


@pytest.fixture(scope="module")
def client(sample_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sample_db)) as c:
        yield c


def _ids(sample_db: Path) -> dict[str, str]:
    with bilateral.open(sample_db) as kb:
        serbia = next(e for e in kb.entities("state") if e.iso3 == "SRB")
        fk3 = next(e for e in kb.events("arms_transfer") if e.args["system"] == "FK-3")
        doc = fk3.evidence[0].doc
    return {"entity": serbia.id, "event": fk3.id, "doc": doc}


def test_pages_render(client: TestClient, sample_db: Path) -> None:
    ids = _ids(sample_db)
    for path in (
        "/",
        "/search?q=drones",
        f"/entity/{ids['entity']}",
        f"/event/{ids['event']}",
        f"/document/{ids['doc']}",
        "/timeline?type=arms_transfer&actor=Serbia&since=2019",
        "/register/arms",
        "/register/investments",
        "/register/loans",
        "/register/agreements",
        "/api",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert (
            "Content-Security-Policy" in r.headers
            and "script-src 'self'" in r.headers["content-security-policy"]
        )
        assert not re.search(r"""(src|href)=["'](https?:)?//""", r.text), f"{path} loads from the network"


def test_overview_counts_and_actors(client: TestClient) -> None:
    page = client.get("/").text
    assert "<svg" in page and "Most active actors" in page and "Open conflicts" in page
    assert ">China</a>" in page and ">Serbia</a>" in page


def test_search_groups_documents_entities_and_events(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Vucic"}).text
    assert 'id="entities"' in page and "Aleksandar Vučić" in page
    assert "<mark>" in page  # highlighted snippets from the full-text index
    api = client.get("/api/search", params={"q": "FK-3"}).json()
    assert api["events"] and any(e["args"].get("system") == "FK-3" for e in api["events"])
    assert api["documents"] and "<mark>" in api["documents"][0]["snippet"]
    assert client.get("/search", params={"q": '"unbalanced (quote'}).status_code == 200


def test_event_page_shows_roles_conflicts_and_highlighted_evidence(
    client: TestClient, sample_db: Path
) -> None:
    ids = _ids(sample_db)
    page = client.get(f"/event/{ids['event']}").text
    assert "FK-3" in page and "2019" in page and "2022" in page
    cited = client.get(f"/api/events/{ids['event']}").json()["evidence"]
    assert len({c["doc"] for c in cited}) == 3  # three articles report the FK-3
    assert page.count('<mark class="cited">') == len(cited)  # each cited passage, highlighted
    assert f'href="/document/{ids["doc"]}#c' in page


def test_event_page_shows_where_sources_disagree(conflict_db: Path) -> None:
    with TestClient(create_app(conflict_db)) as client:
        conflicted = next(e for e in client.get("/api/events").json() if e["conflicts"])
        page = client.get(f"/event/{conflicted['id']}").text
        assert "Sources disagree" in page
        for c in conflicted["conflicts"]:
            for docs in c["sources"].values():
                assert all(f'href="/document/{d}"' in page for d in docs)
        assert client.get("/api/conflicts").json()


def test_document_reading_view_links_mentions_and_evidence(client: TestClient, sample_db: Path) -> None:
    ids = _ids(sample_db)
    page = client.get(f"/document/{ids['doc']}").text
    assert f'data-events="{ids["event"]}' in page or ids["event"] in page
    assert 'class="mention person"' in page and 'class="mention state"' in page
    assert re.search(r'<span class="anchor" id="c\d+"></span>', page)


def test_csv_downloads_and_report(client: TestClient) -> None:
    r = client.get("/register/arms.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["designation"] for row in rows} >= {"FK-3", "CH-92A"}
    timeline = client.get("/timeline.csv", params={"type": "exercise"})
    assert {row["type"] for row in csv.DictReader(io.StringIO(timeline.text))} == {"exercise"}
    report = client.get("/report", params={"actor": ["China", "Serbia"]})
    assert report.status_code == 200 and "China–Serbia briefing" in report.text
    assert "attachment" in report.headers["content-disposition"]
    assert client.get("/report", params={"format": "md"}).text.startswith("# Briefing")


def test_api_routes_and_openapi(client: TestClient, sample_db: Path) -> None:
    ids = _ids(sample_db)
    spec = client.get("/api/openapi.json").json()
    assert spec["info"]["title"] == "bilateral"
    routes = set(spec["paths"])
    assert {"/api/events", "/api/events/{event_id}", "/api/entities/{entity_id}", "/api/search"} <= routes
    assert client.get("/api/overview").json()["counts"]["events"] > 40
    assert client.get(f"/api/entities/{ids['entity']}").json()["iso3"] == "SRB"
    assert client.get(f"/api/events/{ids['event']}").json()["args"]["system"] == "FK-3"
    doc = client.get(f"/api/documents/{ids['doc']}").json()
    assert ids["event"] in doc["events"] and doc["text"]
    assert all("text" not in d for d in client.get("/api/documents").json())
    assert client.get("/api/entities", params={"type": "person"}).json()[0]["type"] == "person"
    timeline = client.get("/api/timeline", params={"actor": "SRB", "until": "2010"}).json()
    assert timeline and all(r["date"] <= "2010" for r in timeline)
    assert client.get("/api/registers/loans").json()
    assert client.get("/api/conflicts").status_code == 200
    assert client.get("/api/quotes", params={"speaker": "Vuksanovic"}).json()
    # The routes the pages use give the same data.
    assert len(client.get("/api/events").json()) == len(client.get("/api/timeline").json())


def test_missing_and_bad_requests(client: TestClient) -> None:
    assert client.get("/entity/nope").status_code == 404
    assert client.get("/api/events/nope").json() == {"detail": "no event 'nope'"}
    assert client.get("/register/ships").status_code == 404
    # A bad filter value is a page saying what is wrong (JSON under /api), not a validation dump.
    bad = client.get("/timeline", params={"since": "last year"})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
    assert "&#39;last year&#39; is not a date like 2024" in bad.text
    bad = client.get("/api/timeline", params={"type": "sanction"})
    assert bad.status_code == 400 and bad.json()["detail"].startswith("unknown event type 'sanction'")
    for path in ("/document/..%2F..%2Fetc%2Fpasswd", "/document/../../etc/passwd", "/static/../kb.db"):
        r = client.get(path)
        assert r.status_code == 404 and "root:" not in r.text, path


def test_hostile_document_renders_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        "Hostile <script>alert('x')</script> page\n\n"
        "In 2021, Hungary purchased twelve Leopard tanks from Germany <img src=x onerror=alert(1)>.\n",
        encoding="utf-8",
    )
    (folder / "manifest.csv").write_text(
        'doc,title\nevil,"<script>alert(2)</script> title"\n', encoding="utf-8"
    )
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.extract([folder], tmp_path / "out")
        event = kb.events("arms_transfer")[0]
    with TestClient(create_app(tmp_path / "kb.db")) as c:
        for path in ("/document/evil", f"/event/{event.id}", "/search?q=Leopard", "/", "/timeline"):
            page = c.get(path).text
            assert "<script>alert" not in page and "<img src=x" not in page, path
            assert "onerror=alert(1)>" not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in c.get("/document/evil").text


def test_the_app_is_read_only(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    with TestClient(create_app(sample_db)) as c:
        assert c.post("/api/events", json={}).status_code == 405
        c.get("/")
    assert sample_db.read_bytes() == before


def test_the_app_serves_either_backend(db: str, tmp_path: Path) -> None:
    from .conftest import EXAMPLES

    with bilateral.open(db) as kb:
        kb.extract([EXAMPLES], tmp_path / "out")
        event = kb.events()[0]
    with TestClient(create_app(db)) as c:
        assert c.get("/").status_code == 200
        assert "<mark>" in c.get("/search", params={"q": "drones"}).text
        assert c.get(f"/event/{event.id}").status_code == 200
        assert c.get("/api/events").json()


def test_the_snapshot_holds_no_texts_or_mentions(client: TestClient, sample_db: Path) -> None:
    """What grows with the corpus is read per page: the snapshot has counts, pages have the rest."""
    from bilateral.web.data import Data

    data = Data(sample_db)
    snap = data.snapshot()
    with bilateral.open(sample_db) as kb:
        full = {e.id: e for e in kb.entities()}
        texts = {d.id: d.text for d in kb.documents()}
    assert snap.documents.keys() == texts.keys() and all(d.text == "" for d in snap.documents.values())
    assert all(not e.mentions for e in snap.entities.values())
    assert {i: (e.n_mentions, e.n_documents) for i, e in snap.entities.items()} == {
        i: (len(e.mentions), len({m.doc for m in e.mentions})) for i, e in full.items()
    }
    data.close()
    serbia = next(e for e in full.values() if e.iso3 == "SRB" and e.type == "state")
    row = client.get(f"/api/entities/{serbia.id}").json()
    assert len(row["mentions"]) == len(serbia.mentions) > 100
    doc = row["mentions"][0]["doc"]
    assert client.get(f"/api/documents/{doc}").json()["text"] == texts[doc]
    page = client.get(f"/entity/{serbia.id}").text
    assert f"{len(serbia.mentions)} in {len({m.doc for m in serbia.mentions})} documents" in page
