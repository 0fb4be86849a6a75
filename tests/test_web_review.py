"""Review mode in the web app: off by default; with it, judgements from the event page, each write
a POST with the page's token from this server's own pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import bilateral
from bilateral.web.app import create_app

SAME = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture()
def kb_copy(conflict_db: Path, tmp_path: Path) -> Path:
    shutil.copy(conflict_db, tmp_path / "kb.db")
    return tmp_path / "kb.db"


def _drones(db: Path) -> str:
    with bilateral.open(db, readonly=True) as kb:
        return next(e.id for e in kb.events("arms_transfer") if e.args["system"] == "CH-92A")


def test_without_review_nothing_can_be_written(kb_copy: Path) -> None:
    event = _drones(kb_copy)
    with TestClient(create_app(kb_copy)) as client:
        assert 'method="post"' not in client.get(f"/event/{event}").text
        answer = client.post(f"/review/event/{event}", data={"kind": "reject"}, headers=SAME)
        assert answer.status_code in (404, 405)
    with bilateral.open(kb_copy, readonly=True) as kb:
        assert kb.judgements() == []


def test_review_accept_correct_and_the_guards(kb_copy: Path) -> None:
    event = _drones(kb_copy)
    with TestClient(create_app(kb_copy, review=True, hosts=["testserver"])) as client:
        page = client.get(f"/event/{event}").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token and 'action="/review/event/' in page
        form = {"csrf": token.group(1), "kind": "set", "role": "quantity", "value": "nine"}
        url = f"/review/event/{event}"
        # No token, a wrong token, another site: refused, nothing written.
        assert client.post(url, data={**form, "csrf": ""}, headers=SAME).status_code == 403
        assert client.post(url, data={**form, "csrf": "x" * 43}, headers=SAME).status_code == 403
        assert client.post(url, data=form, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
        assert client.post(url, data=form, headers={"Origin": "http://evil.example"}).status_code == 403
        assert client.post(url, data=form).status_code == 403  # neither header: not from a page of ours
        # A page of another site whose name points here (DNS rebinding): the app does not answer it.
        rebound = {"Host": "attacker.example:8000"}
        assert client.get(f"/event/{event}", headers=rebound).status_code == 400
        assert client.post(url, data=form, headers={**SAME, **rebound}).status_code == 400
        assert client.post(url, data={**form, "csrf": "é"}, headers=SAME).status_code == 403
        assert client.post(url, data={**form, "note": "x" * 70_000}, headers=SAME).status_code == 413
        bad = client.post(url, data={**form, "value": "many"}, headers=SAME)
        assert bad.status_code == 400 and "is not a quantity" in bad.text
        # From the page itself: a correction, then an acceptance.
        done = client.post(url, data={**form, "note": "the ministry"}, headers=SAME, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"].startswith("/event/")
        shown = client.get(done.headers["location"]).text
        assert "corrected; extracted: 6" in shown
        accepted = {"csrf": token.group(1), "kind": "accept"}
        own = {"Origin": "http://testserver"}
        assert client.post(url, data=accepted, headers=own, follow_redirects=False).status_code == 303
        assert "accepted by an analyst" in client.get(f"/event/{event}").text
        # The same judgement made again later counts again: accept, reject, accept is accepted.
        for kind in ("reject", "accept"):
            client.post(url, data={**accepted, "kind": kind}, headers=own)
        assert "accepted by an analyst" in client.get(f"/event/{event}").text
    with bilateral.open(kb_copy, readonly=True) as kb:
        kinds = [(j.kind, j.author) for j in kb.judgements()]
        assert kinds == [("set", "web"), ("accept", "web"), ("reject", "web"), ("accept", "web")]
        assert (
            next(e for e in kb.events("arms_transfer") if e.args["system"] == "CH-92A").args["quantity"] == 9
        )


def test_merge_from_a_search_and_split_events_and_entities(kb_copy: Path) -> None:
    with bilateral.open(kb_copy, readonly=True) as kb:
        arms = {e.args["system"]: e for e in kb.events("arms_transfer")}
        drones, fk3 = arms["CH-92A"], arms["FK-3"]
        china = next(e for e in kb.entity_summaries("organisation") if len(e.aliases) >= 1)
    assert sorted(drones.docs) == ["01_drones", "04_nine"]
    with TestClient(create_app(kb_copy, review=True, hosts=["testserver"])) as client:
        page = client.get(f"/event/{drones.id}").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token and 'name="span" value="04_nine:' in page  # two reports: they can be split
        found = client.get(f"/review/merge/event/{drones.id}", params={"q": "FK-3"}).text
        assert fk3.id in found and 'name="other"' in found
        assert drones.id not in re.findall(r'name="other" value="([^"]+)"', found)  # not itself
        assert "No other" in client.get(f"/review/merge/event/{drones.id}", params={"q": "zzz"}).text
        assert client.get("/review/merge/event/evt_nope", params={"q": "x"}).status_code == 404
        span = re.search(r'name="span" value="(04_nine:[^"]+)"', page)
        assert span
        split = {"csrf": token.group(1), "kind": "split", "span": span.group(1)}
        done = client.post(f"/review/event/{drones.id}", data=split, headers=SAME, follow_redirects=False)
        assert done.status_code == 303
        with bilateral.open(kb_copy, readonly=True) as kb:
            parts = sorted(
                (e.docs, e.args.get("quantity"))
                for e in kb.events("arms_transfer")
                if e.args["system"] == "CH-92A"
            )
        assert parts == [(["01_drones"], 6), (["04_nine"], 9)]  # each side's own number, no conflict
        merge = {"csrf": token.group(1), "kind": "merge", "other": fk3.id}
        kept = next(
            e for e in _events(kb_copy) if e.docs == ["01_drones"] and e.args.get("system") == "CH-92A"
        )
        assert client.post(f"/review/event/{kept.id}", data=merge, headers=SAME).status_code == 200
        # An entity: merge from a search lists others of its type; a bad split is a 400 saying why.
        listed = client.get(f"/review/merge/entity/{china.id}", params={"q": china.name[:3]}).text
        assert china.name in listed
        bad = {"csrf": token.group(1), "kind": "split", "part": "no such name"}
        refused = client.post(f"/review/entity/{china.id}", data=bad, headers=SAME)
        assert refused.status_code == 400 and "neither named" in refused.text
        assert (
            client.post(f"/review/entity/{china.id}", data={**bad, "csrf": ""}, headers=SAME).status_code
            == 403
        )
    with bilateral.open(kb_copy, readonly=True) as kb:
        assert [j.kind for j in kb.judgements()] == ["split", "merge"]
        assert not kb.judgements(orphans=True)


def _events(db: Path) -> list[bilateral.models.Event]:
    with bilateral.open(db, readonly=True) as kb:
        return kb.events("arms_transfer")
