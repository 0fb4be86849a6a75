"""The database: schema versions, foreign files, and crash safety with a real killed process."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bilateral
from bilateral.store import SCHEMA_VERSION, Store, StoreError


def test_new_database_is_versioned(tmp_path: Path) -> None:
    Store(tmp_path / "kb.db").close()
    meta = dict(sqlite3.connect(tmp_path / "kb.db").execute("SELECT key, value FROM meta").fetchall())
    assert meta == {"app": "bilateral", "schema_version": str(SCHEMA_VERSION)}


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "other.db")
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a bilateral database"):
        Store(tmp_path / "other.db")


def test_non_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="not a bilateral database"):
        Store(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store(tmp_path / "kb.db").close()
    conn = sqlite3.connect(tmp_path / "kb.db")
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(tmp_path / "kb.db")


def _dump(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    rows = [
        ("doc", *tuple(r))
        for r in conn.execute("SELECT id, path, sha256, title, text FROM documents ORDER BY id")
    ]
    rows += [("sent", *tuple(r)) for r in conn.execute("SELECT * FROM sentences ORDER BY doc, idx")]
    rows += [
        ("fts", *tuple(r))
        for r in conn.execute('SELECT doc, start, "end", text FROM sentences_fts ORDER BY doc, start')
    ]
    conn.close()
    return rows


def test_killed_ingest_rerun_equals_clean_run(tmp_path: Path) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(400):
        (src / f"doc{i:04d}.txt").write_text(
            f"Report {i}. Serbia and China held talks in Belgrade on day {i}.\n" * 40, encoding="utf-8"
        )
    cmd = [sys.executable, "-m", "bilateral", "ingest", str(src), "--db"]
    killed_db = tmp_path / "killed.db"
    proc = subprocess.Popen([*cmd, str(killed_db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    count = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(killed_db, timeout=1) as conn:
                count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if count >= 20:
            proc.kill()
            break
    proc.wait()
    assert 20 <= count < 400, "the ingest should have been killed part-way"
    subprocess.run([*cmd, str(killed_db)], check=True, capture_output=True)
    clean_db = tmp_path / "clean.db"
    subprocess.run([*cmd, str(clean_db)], check=True, capture_output=True)
    assert _dump(killed_db) == _dump(clean_db)
    with bilateral.open(killed_db) as kb:
        assert len(kb.documents()) == 400
