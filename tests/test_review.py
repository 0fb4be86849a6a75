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
            (("accept", event.id, None, None, None, "ana\x00"), "author: at most 200 characters, and no NUL"),
            (("accept", event.id, None, None, None, "", "x" * 4001), "note: at most 4000 characters"),
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
            kb.judge_entity("merge", keep.id, "ent_nope")
        kb.judge_entity("merge", keep.id, other.id, note="one minister")
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


def test_an_event_that_is_two_is_split_and_stays_split(conflict_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    shutil.copy(conflict_db, db)
    with bilateral.open(db) as kb:
        drones = _arms(kb)["CH-92A"]
        assert sorted(drones.docs) == ["01_drones", "04_nine"] and drones.conflicts
        for sources, message in [
            (["nope"], "does not cite 'nope'"),
            (["01_drones", "04_nine"], "keeps the rest"),
        ]:
            with pytest.raises(KnowledgeBaseError, match=message):
                kb.judge("split", drones.id, value=sources)
        kb.judge("split", drones.id, value=["04_nine"], note="a second delivery")

        def check() -> None:
            parts = sorted(
                (e.docs, e.args["quantity"], e.conflicts)
                for e in kb.events("arms_transfer")
                if e.args["system"] == "CH-92A"
            )
            assert parts == [(["01_drones"], 6, []), (["04_nine"], 9, [])]

        check()
        kb.consolidate()  # fused again from the articles, split again by the judgement
        check()
        assert not kb.judgements(orphans=True)
        kb.remove(["04_nine"])  # what it split off is gone: the judgement is an orphan, kept
        assert [j.kind for j in kb.judgements(orphans=True)] == ["split"]


def test_an_entity_that_is_two_people_is_split_and_stays_split(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Drones arrive\n\nSerbian Minister Ana Petrovic said on Monday that the drones had arrived.\n",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text(  # a namesake: resolution cannot tell them apart
        "A song for the drones\n\nSinger Ana Petrovic said on Tuesday that she had seen the drones fly "
        "over Belgrade. Ana Petrovic sang at the ceremony.\n",
        encoding="utf-8",
    )
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.extract([corpus], tmp_path / "out")
        (ana,) = [e for e in kb.entity_summaries("person") if e.name == "Ana Petrovic"]
        assert ana.n_documents == 2
        for parts, message in [
            (["Ivan"], "neither named 'Ivan'"),
            (["a", "b"], "every mention"),
            ([], "choose the names or documents"),
        ]:
            with pytest.raises(KnowledgeBaseError, match=message):
                kb.judge_entity("split", ana.id, parts=parts)
        kb.judge_entity("split", ana.id, parts=["b"], note="the singer")
        for _ in range(2):  # as made, then after a full rebuild
            people = sorted(
                (e.n_documents, e.id == ana.id)
                for e in kb.entity_summaries("person")
                if e.name == "Ana Petrovic"
            )
            assert people == [(1, False), (1, True)]
            assert not kb.judgements(orphans=True)
            kb.consolidate()
        with pytest.raises(KnowledgeBaseError, match="unknown entity judgement"):
            kb.judge_entity("rename", ana.id)


def test_split_commands(conflict_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    shutil.copy(conflict_db, db)
    with bilateral.open(db, readonly=True) as kb:
        drones = _arms(kb)["CH-92A"]
    span = next(f"{s.doc}:{s.start}-{s.end}" for s in drones.evidence if s.doc == "04_nine")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bilateral", *args, "--db", str(db)], capture_output=True, text=True
        )

    bad = run("review", "split", drones.id, "04_nine:0-1")
    assert bad.returncode == 2 and "does not cite" in bad.stderr and "Traceback" not in bad.stderr
    assert run("review", "split", drones.id, span).returncode == 0
    bad = run("review", "split-entity", "ent_nope", "x")
    assert bad.returncode == 2 and "no entity 'ent_nope'" in bad.stderr
    assert [j["kind"] for j in json.loads(run("judgements", "--format", "json").stdout)] == ["split"]
