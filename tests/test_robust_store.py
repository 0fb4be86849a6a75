"""The SQLite store under faults: a busy writer, a damaged file, a read-only file or folder. Each is
a StoreError with a message that says what to do, never an sqlite3 traceback (issue 17)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bilateral.models import Document
from bilateral.store import StoreError
from bilateral.store.sqlite import SQLiteStore

from .conftest import ROOT

TEXT = "Serbia and China signed a free trade agreement.\nIt took effect on 1 July 2024.\n"


def _doc(n: int) -> Document:
    return Document(id=f"d{n}", text=f"{n}: {TEXT}", path=f"/x/d{n}.txt", sha256=str(n))


def _kb(path: Path, n: int = 40) -> Path:
    store = SQLiteStore(path)
    for i in range(n):
        store.put_document(_doc(i), [(0, 20)])
    store.close()
    return path


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    db = _kb(tmp_path / "kb.db", 1)
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, lambda: holder.execute("COMMIT")).start()
    store = SQLiteStore(db, timeout=30)
    store.put_document(_doc(7), [(0, 5)])  # waited for the commit, then wrote
    assert store.id_taken("d7")
    store.close()
    holder.close()


def test_a_writer_that_waits_too_long_gets_a_clear_message(tmp_path: Path) -> None:
    db = _kb(tmp_path / "kb.db", 1)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store = SQLiteStore(db, timeout=0.5)
        with pytest.raises(StoreError, match=r"another process has been writing .* try again"):
            store.put_document(_doc(8), [(0, 5)])
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _damage(db: Path) -> None:
    data = bytearray(db.read_bytes())
    assert len(data) > 40_000
    for start in range(len(data) // 4, 3 * len(data) // 4, 4096):  # pages in the middle
        data[start + 8 : start + 2000] = bytes((i * 37) % 251 for i in range(1992))
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("readonly", [False, True])
def test_a_damaged_database_is_a_store_error(tmp_path: Path, readonly: bool) -> None:
    db = _kb(tmp_path / "kb.db", 60)
    _damage(db)
    errors = []
    try:
        store = SQLiteStore(db, readonly=readonly)
    except StoreError as exc:
        errors.append(str(exc))
    else:
        for read in (store.documents, store.iter_documents, lambda: store.search("Serbia"), store.counts):
            try:
                list(read())
            except StoreError as exc:
                errors.append(str(exc))
        store.close()
    assert errors and all("damaged" in e and "\n" not in e for e in errors), errors


@pytest.fixture()
def readonly_folder() -> Iterator[Path]:
    """A knowledge base in a folder that the unprivileged user `nobody` can read, not write."""
    folder = Path(tempfile.mkdtemp(prefix="bilateral-ro-"))
    try:
        _kb(folder / "kb.db", 3)
        (folder / "new.txt").write_text(TEXT, encoding="utf-8")
        folder.chmod(0o555)
        (folder / "kb.db").chmod(0o444)
        yield folder
    finally:
        folder.chmod(0o755)
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()


def _as_nobody(code: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code]
    if os.geteuid() == 0:  # root writes anywhere: run as an ordinary user
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd="/")


def test_a_read_only_knowledge_base_says_so_and_reads(readonly_folder: Path) -> None:
    db = readonly_folder / "kb.db"
    write = _as_nobody(
        "import bilateral\n"
        "from bilateral.store import StoreError\n"
        "try:\n"
        f"    with bilateral.open({str(db)!r}) as kb:\n"
        f"        kb.ingest([{str(readonly_folder / 'new.txt')!r}])\n"
        "except StoreError as exc:\n"
        "    print('StoreError:', exc)\n"
    )
    assert write.returncode == 0, write.stderr
    assert "StoreError:" in write.stdout and "read-only" in write.stdout
    cli = _as_nobody(
        "import sys\n"
        "from bilateral.cli import app\n"
        f"sys.argv = ['bilateral', 'ingest', {str(readonly_folder / 'new.txt')!r}, '--db', {str(db)!r}]\n"
        "app()\n"
    )
    assert cli.returncode == 2 and "Traceback" not in cli.stderr, cli.stderr
    assert cli.stderr.strip().startswith("error:") and "read-only" in cli.stderr
    read = _as_nobody(
        "from bilateral.store.sqlite import SQLiteStore\n"
        f"print(len(SQLiteStore({str(db)!r}, readonly=True).documents()))\n"
    )
    assert read.returncode == 0 and read.stdout.strip() == "3", read.stderr


def test_search_takes_any_text(tmp_path: Path) -> None:
    store = SQLiteStore(_kb(tmp_path / "kb.db", 2))
    for query in ("\x00Serbia", 'AND OR "', "NEAR(", "*", "", "\x00"):
        store.search(query)
    assert store.search("\x00Serbia")[0].doc in {"d0", "d1"}
    store.close()


def test_waiting_is_not_a_timed_failure(tmp_path: Path) -> None:
    # The busy timeout is long by default: a consolidation holds its write lock for minutes.
    from bilateral.store.sqlite import BUSY_TIMEOUT

    assert BUSY_TIMEOUT >= 300
    start = time.perf_counter()
    SQLiteStore(_kb(tmp_path / "kb.db", 1)).close()
    assert time.perf_counter() - start < BUSY_TIMEOUT


def test_a_lost_postgresql_connection_is_a_store_error(postgres: str) -> None:
    import psycopg

    from bilateral.store import open_store

    from .conftest import new_postgres_db

    url = new_postgres_db(postgres)
    store = open_store(url)
    assert store.search("\x00Serbia") == []  # PostgreSQL text cannot hold a NUL: no error
    pid = store._run("SELECT pg_backend_pid() AS pid")[0]["pid"]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StoreError) as caught:
        store.documents()
    assert "\n" not in str(caught.value) and str(caught.value).startswith("postgresql://")
    store.close()
