"""Analysts' judgements: stored, checked, re-applied after every consolidation and re-run, shared
by export and import, orphans reported; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bilateral
from bilateral import KnowledgeBaseError, review, views
from bilateral.models import Event

from .conftest import EXAMPLES


def _arms(kb: bilateral.KnowledgeBase) -> dict[str, Event]:
    return {e.args["system"]: e for e in kb.events("arms_transfer")}


def test_judgements_survive_re_runs_and_new_articles(db: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    with bilateral.open(db) as kb:
        kb.extract([corpus], tmp_path / "out")
        arms = _arms(kb)
        drones, fk3 = arms["CH-92A"], arms["FK-3"]
        assert drones.args["quantity"] == 6
        kb.judge("set", drones.id, "quantity", "nine", author="a", note="the ministry's release")
        kb.judge("set", fk3.id, "delivered", "May 2022")
        kb.judge("accept", fk3.id)
        kb.judge("note", drones.id, note="check the delivery date")
        statement = kb.events("statement")[0]
        kb.judge("reject", statement.id)

        def check() -> None:
            arms = _arms(kb)
            assert arms["CH-92A"].args["quantity"] == 9 and arms["CH-92A"].corrections == {"quantity": 6}
            assert arms["CH-92A"].notes == [
                "the ministry's release",
                "check the delivery date",
            ]  # why, then a note
            assert arms["FK-3"].args["delivered"] == "2022-05" and arms["FK-3"].review == "accepted"
            assert arms["FK-3"].date == "2022-05"
            shown = kb.select().events
            assert statement.id not in {e.id for e in shown}  # rejected: hidden from the views
            assert any(e.review == "rejected" for e in kb.select(views.Filters(rejected=True)).events)
            row = next(r for r in kb.select().register("arms") if r["designation"] == "CH-92A")
            assert row["number_delivered"] == 9 and "quantity corrected (extracted: 6)" in row["review"]

        check()
        assert kb.consolidate() == []  # a full rebuild of the events: every judgement still applies
        check()
        # A new article about the same deal: the event gains a source, the corrections hold.
        (corpus / "04_more.txt").write_text(
            "Drones for Serbia\n\nSerbia received six CH-92A combat drones from China in 2020, "
            "officials said.\n",
            encoding="utf-8",
        )
        kb.ingest([corpus])
        kb.analyse()
        check()
        assert len(_arms(kb)["CH-92A"].docs) == 2
        assert not kb.judgements(orphans=True)
        exported = [j.as_dict() for j in kb.judgements()]
    with bilateral.open(tmp_path / "other.db") as other:
        other.extract([EXAMPLES], tmp_path / "out2")
        assert other.import_judgements(exported) == len(exported)
        assert other.import_judgements(exported) == 0  # importing twice changes nothing
        assert _arms(other)["CH-92A"].args["quantity"] == 9


def test_bad_judgements_are_refused_and_nothing_is_written(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    shutil.copy(sample_db, db)
    with bilateral.open(db) as kb:
        event = _arms(kb)["FK-3"]
        for args, message in [
            (("accept", "evt_nope"), "no event 'evt_nope'"),
            (("set", event.id, "ship", "x"), "arms_transfer has no role 'ship'"),
            (("set", event.id, "delivered", "soon"), "'soon' is not a date"),
            (("set", event.id, "quantity", "several"), "'several' is not a quantity"),
            (("set", event.id, "supplier", "Narnia"), "'Narnia' is not a state"),
            (("judge", event.id), "unknown judgement 'judge'"),
        ]:
            with pytest.raises(KnowledgeBaseError, match=message):
                kb.judge(*args)
        assert kb.judgements() == []
        with pytest.raises(KnowledgeBaseError, match="not a judgement"):
            kb.import_judgements([{"kind": "reject"}])
        # A judgement on an event this knowledge base does not have is kept and reported.
        gone = {
            "type": "arms_transfer",
            "identity": {"recipient": "ALB", "system": "X-1"},
            "evidence": ["x:0-1"],
        }
        assert kb.import_judgements([{"kind": "reject", "target": gone}]) == 1
        assert [j.target for j in kb.judgements(orphans=True)] == [gone]


def test_the_review_commands(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    shutil.copy(sample_db, db)
    with bilateral.open(db, readonly=True) as kb:
        fk3 = _arms(kb)["FK-3"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bilateral", *args, "--db", str(db)], capture_output=True, text=True
        )

    assert run("review", "set", fk3.id, "quantity", "12", "--author", "ana").returncode == 0
    bad = run("review", "set", fk3.id, "quantity", "many")
    assert bad.returncode == 2 and "'many' is not a quantity" in bad.stderr and "Traceback" not in bad.stderr
    listed = json.loads(run("judgements", "--format", "json").stdout)
    assert [(j["kind"], j["role"], j["value"], j["author"]) for j in listed] == [
        ("set", "quantity", 12, "ana")
    ]
    out = tmp_path / "j.jsonl"
    assert run("judgements", "export", "-o", str(out)).returncode == 0
    again = run("judgements", "import", str(out))
    assert again.returncode == 0 and "0 new judgements of 1" in again.stderr
    register = json.loads(run("register", "arms", "--format", "json").stdout)
    assert next(r for r in register if r["designation"] == "FK-3")["number_ordered"] == 12


def test_removing_a_document_removes_what_it_alone_reported(db: str, tmp_path: Path) -> None:
    with bilateral.open(db) as kb:
        kb.extract([EXAMPLES], tmp_path / "out")
        drones = _arms(kb)["CH-92A"]
        assert drones.docs == ["01_drones"]
        kb.judge("set", drones.id, "quantity", "7")
        with pytest.raises(KnowledgeBaseError, match="no document 'nope'"):
            kb.remove(["01_drones", "nope"])
        assert "01_drones" in {d.id for d in kb.documents()}  # nothing removed
        assert kb.remove(["01_drones"]) == ["01_drones"]
        assert "CH-92A" not in _arms(kb) and "01_drones" not in {d.id for d in kb.documents()}
        assert not any(m.doc == "01_drones" for e in kb.entities() for m in e.mentions)
        # The judgement on the removed event is kept and reported, not dropped.
        assert [j.target["identity"]["system"] for j in kb.judgements(orphans=True)] == ["CH-92A"]


def test_a_merge_of_two_events_holds_after_a_rebuild(tmp_path: Path) -> None:
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.extract([EXAMPLES], tmp_path / "out")
        before = len(kb.events("arms_transfer"))
        arms = _arms(kb)
        kb.judge("merge", arms["CH-92A"].id, other=arms["FK-3"].id, note="one deal reported twice")
        for _ in range(2):  # as made, then after a full rebuild of the events
            merged = kb.events("arms_transfer")
            assert len(merged) == before - 1
            both = next(e for e in merged if e.args["system"] in ("CH-92A", "FK-3"))
            assert {s.text for s in arms["CH-92A"].evidence + arms["FK-3"].evidence} <= {
                s.text for s in both.evidence
            }
            kb.consolidate()
        with pytest.raises(KnowledgeBaseError, match="merge two different events"):
            kb.judge("merge", both.id, other=both.id)


def test_two_entities_that_are_one_person_merge_and_stay_merged(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Drones arrive\n\nSerbian Minister Ivan Petrovic said on Monday that the drones had arrived.\n",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text(
        "More to come\n\nPetrovic Ivan told reporters that more drones would come from China.\n",
        encoding="utf-8",
    )
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.extract([corpus], tmp_path / "out")
        people = {e.name: e for e in kb.entity_summaries("person")}
        keep, other = people["Ivan Petrovic"], people["Petrovic Ivan"]  # name order: two keys
        with pytest.raises(KnowledgeBaseError, match="no entity 'ent_nope'"):
            kb.merge_entities(keep.id, "ent_nope")
        kb.merge_entities(keep.id, other.id, note="one minister")
        for _ in range(2):  # as made, then after a full rebuild
            merged = [e for e in kb.entity_summaries("person") if "Petrovic" in e.name]
            assert [(e.id, e.n_mentions, e.n_documents) for e in merged] == [(keep.id, 2, 2)]
            assert "Petrovic Ivan" in merged[0].aliases
            assert {e.args["speaker"] for e in kb.events("statement")} == {"Ivan Petrovic"}
            kb.consolidate()
        assert not kb.judgements(orphans=True)


def test_an_imported_judgement_is_checked_like_one_made_here(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    shutil.copy(sample_db, db)
    with bilateral.open(db) as kb:
        loan = kb.events("loan")[0]
        made = review.Judgement(
            "set", review.target_of(loan), "value", {"amount": 5, "currency": "EUR"}
        ).as_dict()
        for bad in ({**made, "value": "5 million euros"}, {**made, "role": "colour"}, {**made, "target": {}}):
            with pytest.raises(KnowledgeBaseError):
                kb.import_judgements([bad])
        assert kb.judgements() == []
        assert kb.import_judgements([made]) == 1
        assert kb.events("loan")[0].args["value"] == {"amount": 5, "currency": "EUR"}
