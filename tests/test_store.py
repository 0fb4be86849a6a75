"""The database on both backends (SQLite and a real PostgreSQL server): schema versions, foreign
databases, search, readers beside a writer, and crash safety with a really killed process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

import bilateral
from bilateral.models import Document
from bilateral.store import SCHEMA_VERSION, StoreError, open_store
from bilateral.store.base import RANKED, migrations

from .conftest import EXAMPLES


def _sql(db: str, sql: str) -> list[tuple[Any, ...]]:
    """Run SQL on the database directly, bypassing bilateral."""
    if db.startswith("postgresql://"):
        with psycopg.connect(db, autocommit=True) as conn:
            cur = conn.execute(sql)
            return [tuple(r) for r in cur.fetchall()] if cur.description else []
    conn = sqlite3.connect(db)
    try:
        rows = [tuple(r) for r in conn.execute(sql).fetchall()]
        conn.commit()
        return rows
    finally:
        conn.close()


def test_new_database_is_versioned(db: str) -> None:
    open_store(db).close()
    meta = dict(_sql(db, "SELECT key, value FROM meta WHERE key <> 'generation'"))
    assert meta == {"app": "bilateral", "schema_version": str(SCHEMA_VERSION)}
    open_store(db).close()  # opening again migrates nothing and keeps the data
    assert dict(_sql(db, "SELECT key, value FROM meta WHERE key = 'schema_version'")) == {
        "schema_version": str(SCHEMA_VERSION)
    }


def test_foreign_database_is_refused(db: str) -> None:
    _sql(db, "CREATE TABLE users (name TEXT)")
    with pytest.raises(StoreError, match="not a bilateral database"):
        open_store(db)


def test_non_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="not a bilateral database"):
        open_store(path)


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    try:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    except StoreError as exc:
        assert "secret" not in str(exc)


def test_newer_schema_is_refused(db: str) -> None:
    open_store(db).close()
    _sql(db, "UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer"):
        open_store(db)
    with pytest.raises(StoreError, match="not a bilateral database of this version"):
        open_store(db, readonly=True)


def test_a_version_3_database_is_migrated_with_its_timeline(db: str) -> None:
    """Made by schema versions 1-3 (as an older bilateral left it), then opened: version 4 fills
    the actor index's type and date, and the timeline reads in date order at once."""
    dialect = "postgres" if db.startswith("postgresql://") else "sqlite"
    for script in migrations(dialect)[:3]:
        if dialect == "sqlite":
            with sqlite3.connect(db) as conn:
                conn.executescript(script)
        else:
            _sql(db, script)
    _sql(db, "INSERT INTO meta VALUES ('app', 'bilateral'), ('schema_version', '3')")
    for i, date in enumerate(["'2020'", "NULL", "'2019-05'"]):
        data = json.dumps({"id": f"e{i}", "type": "meeting", "args": {}})
        _sql(db, f"INSERT INTO events VALUES ('e{i}', 'meeting', {date}, 'asserted', 1, '{data}')")
        _sql(db, f"INSERT INTO event_actors VALUES ('e{i}', 'participants', 'SRB')")
    store = open_store(db)
    assert store._version() == SCHEMA_VERSION
    assert [e.id for e in store.timeline("SRB")] == ["e2", "e0", "e1"]
    store.close()


def test_search_folds_diacritics_and_accepts_any_text(db: str) -> None:
    store = open_store(db)
    text = "President Aleksandar Vučić met Xi Jinping. The FK-3 arrived in Belgrade.\n"
    store.put_document(Document("d1", text, path="/x/d1.txt", sha256="1"), [(0, 42), (43, 72)])
    hits = store.search("Vucic")
    assert [(h.doc, h.start, h.end) for h in hits] == [("d1", 0, 42)]
    assert "\x02Vučić\x03" in hits[0].snippet or "\x02Vucic\x03" in hits[0].snippet
    assert store.search('"unbalanced (quote OR') is not None
    assert store.search("") == []
    store.close()


def test_search_ranks_the_newest_matches(db: str) -> None:
    """With more matching sentences than RANKED, the best of the newest RANKED come first: an old
    sentence, however good a match, is not ranked; a new one that matches as well is."""
    store = open_store(db)

    def put(doc_id: str, text: str) -> None:
        store.put_document(Document(doc_id, text, path=f"/{doc_id}.txt", sha256=doc_id), [(0, len(text))])

    put("old", "Drones drones drones.")
    for i in range(RANKED):
        put(f"d{i:04d}", f"Report {i} mentions drones among many other words of the day.")
    put("new", "Drones drones drones.")
    hits = store.search("drones", 5)
    store.close()
    assert hits[0].doc == "new"
    assert "old" not in {h.doc for h in hits}
    assert len(hits) == 5


def test_a_reader_sees_committed_writes_only(db: str) -> None:
    writer = open_store(db)
    writer.put_document(Document("a", "One.", path="/a.txt", sha256="a"), [(0, 4)])
    reader = open_store(db, readonly=True)
    before = reader.data_version()
    assert [d.id for d in reader.documents()] == ["a"]
    started, release = threading.Event(), threading.Event()

    def slow_write() -> None:  # another connection, in its own thread, holding a write open
        other = open_store(db)
        with other._write():
            other._run("INSERT INTO meta (key, value) VALUES ('note', 'x')")
            started.set()
            release.wait(10)
        other.close()

    thread = threading.Thread(target=slow_write)
    thread.start()
    started.wait(10)
    assert [d.id for d in reader.documents()] == ["a"]  # not blocked, sees the last commit
    release.set()
    thread.join()
    assert reader.data_version() != before
    with pytest.raises(Exception):  # noqa: B017 - each backend raises its own read-only error
        reader._run("DELETE FROM documents")
    reader.close()
    writer.close()


def test_the_knowledge_base_is_the_same_on_both_backends(postgres: str, tmp_path: Path) -> None:
    from .conftest import new_postgres_db

    outputs = {}
    for name, target in (("sqlite", str(tmp_path / "kb.db")), ("postgres", new_postgres_db(postgres))):
        with bilateral.open(target) as kb:
            kb.extract([EXAMPLES], tmp_path / name)
            assert kb.search("drones"), name
            queried = {
                "timeline": [e.id for e in kb.timeline("Serbia", limit=3, offset=1)],
                "events": [e.id for e in kb.events(actor="SRB")],
            }
        outputs[name] = {f: (tmp_path / name / f).read_text() for f in ("events.jsonl", "entities.jsonl")}
        outputs[name].update({q: str(ids) for q, ids in queried.items()})
    assert len(queried["timeline"]) == 3
    assert outputs["sqlite"] == outputs["postgres"]


def _dump(db: str) -> list[tuple[Any, ...]]:
    rows = [("doc", *r) for r in _sql(db, "SELECT id, path, sha256, title, text FROM documents ORDER BY id")]
    rows += [("sent", *r) for r in _sql(db, 'SELECT doc, idx, start, "end" FROM sentences ORDER BY doc, idx')]
    return rows


def test_killed_ingest_rerun_equals_clean_run(tmp_path: Path, db: str) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(120):  # enough to kill part-way: each document is its own transaction
        (src / f"doc{i:04d}.txt").write_text(
            f"Report {i}. Serbia and China held talks in Belgrade on day {i}.\n" * 40, encoding="utf-8"
        )
    cmd = [sys.executable, "-m", "bilateral", "ingest", str(src), "--db"]
    proc = subprocess.Popen([*cmd, db], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    count = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            count = int(_sql(db, "SELECT count(*) FROM documents")[0][0])
        except (sqlite3.OperationalError, psycopg.Error):
            continue
        if count >= 20:
            proc.kill()
            break
    proc.wait()
    assert 20 <= count < 120, "the ingest should have been killed part-way"
    subprocess.run([*cmd, db], check=True, capture_output=True)
    clean = str(tmp_path / "clean.db")
    subprocess.run([*cmd, clean], check=True, capture_output=True)
    assert _dump(db) == _dump(clean)
    with bilateral.open(db) as kb:
        assert len(kb.documents()) == 120


def test_results_of_an_older_analyser_are_redone(db: str) -> None:
    with bilateral.open(db) as kb:
        kb.ingest([EXAMPLES])
        first = kb.analyse()
        assert first > 0 and kb.analyse() == 0  # nothing new, nothing redone
        # Results stored by another version of the per-document stages are stale.
        kb.store._run("UPDATE documents SET analysed_sha = sha256 || ':older-version'")
        assert kb.analyse() == first
        assert kb.events()


def _refuse_mentions_of(db: str, doc_id: str) -> None:
    """Make the database itself refuse one document's mentions (a trigger), as a bad row would."""
    if db.startswith("postgresql://"):
        _sql(
            db,
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.doc = '"
            + doc_id
            + "' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        )
        _sql(db, "CREATE TRIGGER refuse BEFORE INSERT ON mentions FOR EACH ROW EXECUTE FUNCTION refuse()")
    else:
        _sql(
            db,
            f"CREATE TRIGGER refuse BEFORE INSERT ON mentions WHEN NEW.doc = '{doc_id}'"
            " BEGIN SELECT RAISE(ABORT, 'refused'); END",
        )


def test_a_document_that_cannot_be_stored_leaves_the_rest_of_its_batch(
    db: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Analysed documents are stored a batch per transaction; one the database refuses is logged and
    left unanalysed, the others are stored; a batch of which none can be stored is an error."""
    from bilateral.kb import store_analyses
    from bilateral.models import Mention

    store = open_store(db)
    try:
        docs = [Document(f"d{i}", f"Serbia spoke {i}.", path=f"/d{i}.txt", sha256=f"s{i}") for i in range(3)]
        for doc in docs:
            store.put_document(doc, [(0, len(doc.text))])
        _refuse_mentions_of(db, "d1")
        batch = [(d, [Mention(d.id, 0, 6, "Serbia", "state", iso3="SRB", key="srb")], [], None) for d in docs]
        done: list[str] = []
        store_analyses(store, batch, "test", done.append)
        assert done == ["d0", "d2"]
        assert store.unanalysed("test") == ["d1"]
        assert [m.doc for m in store.mentions()] == ["d0", "d2"]
        assert "d1: could not be stored" in caplog.text
        with pytest.raises(StoreError, match="refused"):
            store_analyses(store, batch[1:2], "test", None)
    finally:
        store.close()
