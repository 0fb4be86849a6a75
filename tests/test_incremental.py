"""Incremental consolidation equals a full one: documents added, analysed again and removed in any
order, votes that flip, judgements re-applied; on SQLite and PostgreSQL; and a killed one leaves
the previous state. The analyses come from the session's extracted knowledge bases (no parsing
here): documents are put back with their stored mentions and candidates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import bilateral
from bilateral import review
from bilateral.consolidate import consolidate
from bilateral.models import Document, Event, Mention
from bilateral.store import Store, open_store

from .conftest import ROOT, new_postgres_db


@dataclass
class Analysed:
    doc: Document
    sentences: list[tuple[int, int]]
    mentions: list[Mention]
    candidates: list[Event]


def _read(db: Path) -> list[Analysed]:
    store = open_store(db, readonly=True)
    try:
        out = []
        for doc in store.documents():
            mentions = [replace(m, entity_id=None) for m in store.mentions_of([doc.id])]
            candidates = [e for _, _, e in store.candidate_rows([doc.id])]
            out.append(Analysed(doc, store.sentences(doc.id), mentions, candidates))
        return out
    finally:
        store.close()


@pytest.fixture(scope="session")
def pool(sample_db: Path, conflict_db: Path) -> list[Analysed]:
    """The sample corpus's and the example articles' analyses (nine documents)."""
    return _read(sample_db) + _read(conflict_db)


def _add(store: Store, item: Analysed, keep: float = 1.0) -> None:
    """Put a document and its analysis (the first `keep` of its mentions and candidates)."""
    store.put_document(item.doc, item.sentences)
    mentions = [replace(m) for m in item.mentions[: round(len(item.mentions) * keep)]]
    candidates = item.candidates[: round(len(item.candidates) * keep)]
    store.put_analysis(item.doc, mentions, candidates, f"test{keep}")


def dump(store: Store) -> dict[str, Any]:
    """What consolidation decides, canonically: entities, mention links and counts, events with
    their evidence, judgements' effects (in the events) and actor index."""
    q = store._run
    return {
        "entities": sorted(map(_row, q("SELECT * FROM entities"))),
        "mentions": sorted(map(_row, q("SELECT * FROM mentions"))),
        "entity_documents": sorted(
            json.dumps(r, sort_keys=True) for r in q("SELECT * FROM entity_documents")
        ),
        "events": sorted(q("SELECT id, data FROM events"), key=lambda r: r["id"]),
        "evidence": sorted(map(_row, q("SELECT * FROM evidence"))),
        "actors": sorted(map(_row, q("SELECT * FROM event_actors"))),
    }


def _row(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True)


class _Rollback(Exception):
    pass


def full_dump(store: Store) -> tuple[dict[str, Any], list[str]]:
    """The dump and orphans a full consolidation gives now, rolled back afterwards."""
    found: dict[str, Any] = {}
    try:
        with store.transaction():
            orphans = consolidate(store, full=True)
            found = {"dump": dump(store), "orphans": sorted(j.id for j in orphans)}
            raise _Rollback
    except _Rollback:
        pass
    return found["dump"], found["orphans"]


def check(store: Store) -> None:
    """Consolidate incrementally and compare with a full consolidation."""
    orphans = sorted(j.id for j in consolidate(store))
    assert store.consolidation_meta("consolidation_mode") == "incremental"
    incremental = dump(store)
    full, full_orphans = full_dump(store)
    assert incremental == full
    assert orphans == full_orphans


def _judge(store: Store, kind: str, event: Event, **kw: Any) -> None:
    judgement = review.make(store, kind, event.id, **kw)
    store.put_judgements([judgement.row()])
    review.apply(store, store.countries())


def _location(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> str:
    if backend == "sqlite":
        return str(tmp_path / f"kb{time.monotonic_ns()}.db")
    return new_postgres_db(request.getfixturevalue("postgres"))


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_adding_and_removing_documents_equals_a_full_rebuild(
    pool: list[Analysed], backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    db = _location(request, tmp_path, backend)
    store = open_store(db)
    for item in pool[:3] + pool[5:]:
        _add(store, item)
    consolidate(store)
    assert store.consolidation_meta("consolidation_mode") == "full: no earlier run's state"
    events = store.events()
    arms = [e for e in events if e.type == "arms_transfer"]
    _judge(store, "accept", events[0])
    _judge(store, "set", arms[0], role="quantity", value="12", note="checked")
    _judge(store, "reject", events[-1])
    _judge(store, "note", events[len(events) // 2], note="see the ministry")
    same_type = [e for e in events if e.type == events[1].type]
    if len(same_type) > 1:
        _judge(store, "merge", same_type[0], other_id=same_type[1].id)
    told_twice = next(e for e in store.events() if len(e.docs) > 1)
    _judge(store, "split", told_twice, value=[told_twice.docs[-1]])
    check(store)  # nothing touched: judgements undone and applied again
    for item in pool[3:5]:  # two sample articles, about the same state visits and deals
        _add(store, item)
    check(store)
    _add(store, pool[1], keep=0.5)  # analysed again, differently
    check(store)
    store.remove_document(pool[0].doc.id)
    store.remove_document(pool[6].doc.id)
    check(store)
    assert not any(e.docs == [pool[0].doc.id] for e in store.events())
    store.close()
    # `bilateral remove` goes through the same path.
    with bilateral.open(db) as kb:
        kb.remove([pool[4].doc.id])
        assert kb.store.consolidation_meta("consolidation_mode") == "incremental"
        assert dump(kb.store) == full_dump(kb.store)[0]


def _composed(store: Store, doc_id: str, text: str, names: list[tuple[str, str]]) -> None:
    """A small document we write, with mentions of `names` ((text, type)) as the model might give."""
    doc = Document(doc_id, text, path=f"/{doc_id}.txt", sha256=doc_id)
    store.put_document(doc, [(0, len(text))])
    mentions = []
    for name, kind in names:
        start = text.index(name)
        mentions.append(Mention(doc_id, start, start + len(name), name, kind, key=name.lower()))
    store.put_analysis(doc, mentions, [], "test")


def test_a_vote_that_flips_changes_entities_in_documents_not_touched(db: str) -> None:
    store = open_store(db)
    _composed(store, "a", "Meridian signed it.", [("Meridian", "organisation")])
    _composed(store, "b", "They met in Meridian.", [("Meridian", "place")])
    _composed(
        store, "c", "Ana Petrova spoke. Petrova left.", [("Ana Petrova", "person"), ("Petrova", "person")]
    )
    consolidate(store)
    assert {e.type for e in store.entities() if e.name == "Meridian"} == {"organisation"}
    # Two more place mentions: the vote flips, and document a's mention becomes a place too.
    _composed(
        store, "d", "Meridian, the city; in Meridian.", [("Meridian", "place"), ("in Meridian", "place")]
    )
    _composed(store, "e", "Petrova met Meridian officials.", [("Petrova", "person")])
    check(store)
    assert {e.type for e in store.entities() if e.name == "Meridian"} == {"place"}
    store.remove_document("d")
    check(store)
    assert {e.type for e in store.entities() if e.name == "Meridian"} == {"organisation"}
    store.remove_document("c")  # "Petrova" alone no longer stands for a full name
    check(store)
    store.close()


PHASES = [Phase.explicit, Phase.reuse, Phase.generate]  # no shrinking: each example builds a database
SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
    "phases": PHASES,
}
OPS = st.lists(
    st.tuples(st.sampled_from(["add", "add", "remove", "again"]), st.integers(0, 8)), min_size=1, max_size=8
)


def _property(pool: list[Analysed], db: str, ops: list[tuple[str, int]], judged: int) -> None:
    store = open_store(db)
    try:
        for item in pool[:2]:
            _add(store, item)
        consolidate(store)
        events = store.events()
        if events:
            _judge(store, "note", events[judged % len(events)], note="checked")
            _judge(store, "reject", events[(judged + 1) % len(events)])
        present = {item.doc.id for item in pool[:2]}
        for op, i in ops:
            item = pool[i % len(pool)]
            if op == "add":
                _add(store, item)
                present.add(item.doc.id)
            elif op == "remove" and item.doc.id in present:
                store.remove_document(item.doc.id)
                present.discard(item.doc.id)
            elif op == "again" and item.doc.id in present:
                _add(store, item, keep=0.6)
            check(store)
    finally:
        store.close()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], phases=PHASES
)
@given(ops=OPS, judged=st.integers(0, 50))
def test_property_any_order_of_adds_and_removes_equals_a_rebuild_sqlite(
    pool: list[Analysed], tmp_path: Path, ops: list[tuple[str, int]], judged: int
) -> None:
    _property(pool, str(tmp_path / f"kb{time.monotonic_ns()}.db"), ops, judged)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], phases=PHASES
)
@given(ops=OPS, judged=st.integers(0, 50))
def test_property_any_order_of_adds_and_removes_equals_a_rebuild_postgres(
    pool: list[Analysed], postgres: str, ops: list[tuple[str, int]], judged: int
) -> None:
    _property(pool, new_postgres_db(postgres), ops, judged)


CHILD = """
import sys, time
import bilateral
kb = bilateral.open(sys.argv[1])
print("start", flush=True)
t = time.perf_counter()
kb.remove(sys.argv[2:])
print(time.perf_counter() - t, flush=True)
"""


def _child(db: Path, docs: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", CHILD, str(db), *docs]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def _state(db: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    store = open_store(db)
    try:
        return dump(store), store.judgements()
    finally:
        store.close()


def test_a_killed_consolidation_leaves_the_previous_state_and_judgements(
    pool: list[Analysed], tmp_path: Path
) -> None:
    import shutil

    db, clean = tmp_path / "kb.db", tmp_path / "clean.db"
    store = open_store(db)
    for item in pool:
        _add(store, item)
    consolidate(store)
    events = store.events()
    _judge(store, "accept", events[0])
    _judge(store, "note", events[1], note="checked")
    store.close()
    shutil.copy(db, clean)
    gone = [pool[0].doc.id, pool[5].doc.id]
    child = _child(clean, gone)
    assert child.stdout is not None and child.stdout.readline().strip() == "start"
    took = float(child.stdout.readline())
    assert child.wait() == 0
    before, after = _state(db), _state(clean)
    finished = False
    for fraction in (0.1, 0.4, 0.7, 0.9):
        proc = _child(db, gone)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
        time.sleep(took * fraction)
        proc.kill()
        proc.wait()
        now = _state(db)
        if now != before:  # it finished before the kill: the whole change, then
            assert now == after
            finished = True
            break
    if not finished:
        assert _child(db, gone).wait() == 0
    assert _state(db) == after


def test_entity_merges_are_kept_and_run_in_full_when_touched(db: str) -> None:
    store = open_store(db)
    _composed(store, "a", "Ana Petrova spoke.", [("Ana Petrova", "person")])
    _composed(store, "b", "A. Petrova replied.", [("A. Petrova", "person")])
    _composed(store, "c", "Meridian signed it.", [("Meridian", "organisation")])
    consolidate(store)
    people = {e.name: e.id for e in store.entities() if e.type == "person"}
    judgement = review.entities.merge(store, people["Ana Petrova"], people["A. Petrova"])
    store.put_judgements([judgement.row()])
    consolidate(store)
    assert (
        store.consolidation_meta("consolidation_mode") == "full: the entity merges or splits judged changed"
    )
    assert [e.name for e in store.entities() if e.type == "person"] == ["Ana Petrova"]
    _composed(store, "d", "Meridian officials left.", [("Meridian", "organisation")])
    check(store)  # the merged people untouched: incremental, and the merge holds
    assert [e.name for e in store.entities() if e.type == "person"] == ["Ana Petrova"]
    _composed(store, "e", "A. Petrova again.", [("A. Petrova", "person")])
    consolidate(store)
    mode = store.consolidation_meta("consolidation_mode")
    assert mode == "full: an entity merge or split judged names an entity the change touches"
    assert [e.name for e in store.entities() if e.type == "person"] == ["Ana Petrova"]
    assert dump(store) == full_dump(store)[0]
    store.close()


def test_an_entity_split_is_kept_and_run_in_full_when_touched(db: str) -> None:
    store = open_store(db)
    _composed(store, "a", "Ana Petrova spoke.", [("Ana Petrova", "person")])
    _composed(store, "b", "Ana Petrova sang.", [("Ana Petrova", "person")])  # a namesake
    _composed(store, "c", "Meridian signed it.", [("Meridian", "organisation")])
    consolidate(store)
    (ana,) = [e for e in store.entities() if e.type == "person"]
    store.put_judgements([review.entities.split(store, ana.id, ["b"]).row()])
    consolidate(store)
    assert (
        store.consolidation_meta("consolidation_mode") == "full: the entity merges or splits judged changed"
    )

    def people() -> list[tuple[str, list[str]]]:
        return sorted(
            (e.name, sorted({m.doc for m in e.mentions})) for e in store.entities() if e.type == "person"
        )

    assert people() == [("Ana Petrova", ["a"]), ("Ana Petrova", ["b"])]
    _composed(store, "d", "Meridian officials left.", [("Meridian", "organisation")])
    check(store)  # the split person untouched: incremental, and the split holds
    _composed(store, "e", "Ana Petrova again.", [("Ana Petrova", "person")])
    consolidate(store)
    assert store.consolidation_meta("consolidation_mode").startswith("full: an entity merge or split")
    assert people() == [("Ana Petrova", ["a", "e"]), ("Ana Petrova", ["b"])]
    store.close()
