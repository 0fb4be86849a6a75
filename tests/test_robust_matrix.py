"""The bad-input matrix (issue 17): one `bilateral ingest` over every kind of bad input beside good
files. The command exits 1; each bad input is exactly one line that names it and its problem; every
good file is ingested; no traceback."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import bilateral

from .conftest import ROOT, make_pdf

TEXT = "Serbia and China signed a free trade agreement.\nIt took effect on 1 July 2024.\n"
HTML = (
    "<html><head><title>Loan</title></head><body><article><h1>Bridge loan signed</h1>"
    "<p>China Exim Bank lent Serbia 170 million euros for a new bridge over the Danube, officials"
    " in Belgrade said on Tuesday after a long negotiation between the two governments.</p>"
    "</article></body></html>"
)


def _matrix(root: Path) -> tuple[list[Path], dict[str, str], set[str]]:
    """(arguments, bad input -> words its line must have, ids of the good documents)."""
    src = root / "in"
    (src / "nested").mkdir(parents=True)
    (src / "manifested").mkdir()
    good = {
        "plain": lambda p: p.write_text(TEXT, encoding="utf-8"),
        "bom8": lambda p: p.write_bytes(codecs.BOM_UTF8 + TEXT.encode()),
        "utf16": lambda p: p.write_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
    }
    for name, write in good.items():
        write(src / f"{name}.txt")
    (src / "page.html").write_text(HTML, encoding="utf-8")
    make_pdf(src / "open.pdf", "Belgrade bought drones from Beijing in 2020.", password="")
    (src / "manifested" / "m.txt").write_text(TEXT, encoding="utf-8")
    (src / "manifested" / "manifest.jsonl").write_text("not json\n")
    rows = [{"doc": "row1", "text": TEXT}, {"doc": "bom8", "text": "A taken id."}, {"doc": "row2"}]
    (src / "nested" / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{bad\n")
    pq.write_table(pa.Table.from_pylist([{"doc": "pq1", "text": TEXT}]), src / "nested" / "ok.parquet")
    bad = {
        "empty.txt": b"",
        "blank.md": b"  \n\n ",
        "binary.txt": bytes(range(256)) * 4,
        "broken.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage",
        "nomain.html": b"<html><body><div></div></body></html>",
        "big.txt": b"word " * 3000,
        "nested/garbage.parquet": b"PAR1 not really parquet PAR1",
    }
    for name, data in bad.items():
        (src / name).write_bytes(data)
    make_pdf(src / "locked.pdf", "A secret loan.", password="pw")
    (src / "loop.txt").symlink_to(src / "loop.txt")
    os.mkfifo(src / "pipe.txt")
    (root / "x.docx").write_bytes(b"PK\x03\x04 a word file")
    expected = {
        "empty.txt": "empty file",
        "blank.md": "empty file",
        "binary.txt": "binary",
        "broken.pdf": "corrupt PDF",
        "locked.pdf": "encrypted PDF",
        "nomain.html": "HTML",
        "big.txt": "limit",
        "loop.txt": "unreadable",
        "pipe.txt": "not a regular file",
        "garbage.parquet": "not a Parquet file",
        "manifest.jsonl": "unreadable manifest",
        "rows.jsonl:2": "already belongs to",
        "rows.jsonl:3": "has no text",
        "rows.jsonl:4": "bad JSON",
        "missing.txt": "no such file",
        "x.docx": "unknown extension",
    }
    ids = {"plain", "bom8", "utf16", "page", "open", "m", "row1", "pq1"}
    return [src, root / "missing.txt", root / "x.docx"], expected, ids


def test_every_bad_input_is_one_line_and_every_good_file_is_ingested(tmp_path: Path) -> None:
    paths, expected, good = _matrix(tmp_path)
    db = tmp_path / "kb.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bilateral",
            "ingest",
            *map(str, paths),
            "--db",
            str(db),
            "--max-bytes",
            "10000",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    errors, summary = lines[:-1], lines[-1]
    assert len(errors) == len(expected), "\n".join(errors)
    for name, words in expected.items():
        mine = [e for e in errors if f"/{name}:" in e or f" {name}:" in e]
        assert len(mine) == 1 and words in mine[0], (name, mine)
        assert mine[0].startswith("error: ")
    assert summary == f"ingested {len(good)}, unchanged 0, failed {len(expected)}"
    with bilateral.open(db) as kb:
        assert {d.id for d in kb.documents()} == good
