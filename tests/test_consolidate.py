"""The corpus-level stages over the store: batch by batch, with the same result as all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import bilateral
from bilateral import views
from bilateral.consolidate import consolidate
from bilateral.fusion import Components
from bilateral.models import Document, Mention
from bilateral.store import open_store


def _exports(db: Path, out: Path) -> dict[str, bytes]:
    with bilateral.open(db) as kb:
        kb.export(out)
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.jsonl"))}


def test_result_does_not_depend_on_the_batch(sample_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kb.db"
    shutil.copy(sample_db, copy)
    before = _exports(copy, tmp_path / "before")
    store = open_store(copy)
    consolidate(store, batch=1, full=True)  # every document its own pass step, every group fused apart
    assert store.consolidation_meta("consolidation_mode") == "full: requested"
    store.close()
    assert _exports(copy, tmp_path / "after") == before
    assert len(before["events.jsonl"].splitlines()) > 50


def test_a_retyped_mention_is_linked_to_its_entity(db: str) -> None:
    """ "Meridian" is an organisation in two documents and a place in one: all three mentions
    belong to one organisation, though the place mention is stored as a place."""
    store = open_store(db)
    texts = {"a": "Meridian signed it.", "b": "Meridian said so.", "c": "They met in Meridian."}
    for doc_id, text in texts.items():
        doc = Document(doc_id, text, path=f"/{doc_id}.txt", sha256=doc_id)
        store.put_document(doc, [(0, len(text))])
        start = text.index("Meridian")
        kind = "place" if doc_id == "c" else "organisation"
        mention = Mention(doc_id, start, start + 8, "Meridian", kind, key="meridian")
        store.put_analysis(doc, [mention], [], "test")
    consolidate(store)
    entities = store.entities()
    top = store.entity_documents(entities[0].id, limit=2)
    store.close()
    assert [(e.type, e.name) for e in entities] == [("organisation", "Meridian")]
    assert top == [("a", 1), ("b", 1)]
    assert sorted(m.doc for m in entities[0].mentions) == ["a", "b", "c"]


def test_components_join_keys_through_shared_candidates() -> None:
    parts = Components()
    assert parts.add({"meeting|a", "meeting|b"}, 0) == "meeting|a"
    parts.add({"meeting|c"}, 1)
    parts.add({"meeting|b", "meeting|c"}, 2)  # joins the first two
    parts.add(set(), 3)  # no block: alone
    parts.add({"meeting|d"}, 4)
    assert parts.roots() == {"meeting|a": 0, "meeting|b": 0, "meeting|c": 0, "#3": 3, "meeting|d": 4}


def test_the_actor_index_finds_what_the_views_filter_finds(sample_db: Path) -> None:
    """`kb.events(actor=...)` and `kb.timeline` read the actor index; the views filter events in
    memory. Both count a person acting for a state as that state taking part."""
    with bilateral.open(sample_db) as kb:
        events, countries = kb.events(), kb.countries()
        for actor in ("SRB", "Serbia", "Chinese", "Aleksandar Vučić", "Xi Jinping", "NATO"):
            expected = views.Filters(actor=actor, countries=countries).apply(events)
            assert {e.id for e in kb.events(actor=actor)} == {e.id for e in expected}, actor
            ordered = [e.id for e in views.timeline_order(expected)]
            assert [e.id for e in kb.timeline(actor, limit=7, offset=2)] == ordered[2:9], actor
        assert [e.id for e in kb.timeline(limit=500)] == [e.id for e in views.timeline_order(events)]
        # Events of Serbian officials count for Serbia though no role names the state.
        through_people = [e for e in kb.events(actor="SRB") if "SRB" not in views.actors_of(e)]
    assert through_people
