"""Ingest under bad or unusual input: each case is one clear line, the rest is ingested, nothing
is replaced silently (issue 17)."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import bilateral

from .conftest import ROOT, make_pdf

TEXT = "Serbia and China signed a free trade agreement.\nIt took effect on 1 July 2024.\n"


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bilateral", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def _parquet(path: Path, ids: list[str], group: int = 5) -> Path:
    rows = [{"doc": i, "text": f"{i}: Serbia and China signed a loan agreement. " * 30} for i in ids]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=group, compression="NONE")
    return path


def test_a_damaged_parquet_collection_is_one_line_and_the_rest_is_ingested(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(TEXT, encoding="utf-8")
    _parquet(src / "fine.parquet", ["f1", "f2"])
    bad = _parquet(src / "bad.parquet", [f"b{i}" for i in range(20)])
    data = bytearray(bad.read_bytes())
    middle = len(data) // 2  # a page of the second or third row group
    data[middle : middle + 300] = b"\xff" * 300
    bad.write_bytes(bytes(data))
    (src / "garbage.parquet").write_bytes(b"PAR1 not really parquet PAR1")
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([src])
        ids = {d.id for d in kb.documents()}
    assert {"good", "f1", "f2"} <= ids
    assert "b0" in ids and "b19" in ids  # the row groups before and after the damaged one
    failed = dict(report.failed)
    assert set(failed) == {str(bad), str(src / "garbage.parquet")}
    assert "damaged" in failed[str(bad)] and "\n" not in failed[str(bad)]
    assert "not a Parquet file" in failed[str(src / "garbage.parquet")]


def test_collections_inside_a_folder_are_ingested(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    rows = [{"doc": "row1", "text": TEXT}, {"doc": "row2", "text": "Egypt bought fighters from France."}]
    (tmp_path / "in" / "sub" / "docs.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([tmp_path / "in"])
    assert sorted(report.ingested) == ["a", "row1", "row2"] and report.ok


def test_a_row_whose_id_exists_is_refused_never_replaces(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text(TEXT, encoding="utf-8")
    rows = [
        {"doc": "report", "text": "Another text under a taken id."},
        {"doc": "fresh", "text": "Turkey and Qatar held a naval exercise."},
        {"doc": "fresh", "text": "The same id twice in one collection."},
    ]
    collection = tmp_path / "docs.jsonl"
    collection.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with bilateral.open(tmp_path / "kb.db") as kb:
        assert kb.ingest([tmp_path / "report.txt"]).ingested == ["report"]
        report = kb.ingest([collection])
        texts = {d.id: d.text for d in kb.documents()}
        again = kb.ingest([str(collection.resolve())])  # the same collection: unchanged, no clash
    assert report.ingested == ["fresh"]
    problems = [p for _, p in report.failed]
    assert len(problems) == 2
    assert "'report' already belongs to" in problems[0] and "report.txt" in problems[0]
    assert "appears twice" in problems[1]
    assert texts["report"] == TEXT and texts["fresh"].startswith("Turkey")
    assert again.unchanged == ["fresh"] and len(again.failed) == 2


def test_ids_of_same_named_files_do_not_depend_on_order_or_location(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for folder in ("x", "y"):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "report.txt").write_text(f"{folder}: {TEXT}", encoding="utf-8")
    moved = tmp_path / "elsewhere" / "corpus"
    shutil.copytree(corpus, moved)
    results = []
    for n, order in enumerate(
        [[corpus / "x", corpus / "y"], [corpus / "y", corpus / "x"], [moved / "y", moved / "x"]]
    ):
        with bilateral.open(tmp_path / f"kb{n}.db") as kb:
            kb.ingest(order)
            results.append({d.id: d.text for d in kb.documents()})
    assert results[0] == results[1] == results[2]
    assert results[0]["report"].startswith("x:") and len(results[0]) == 2


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    (src / "good.txt").write_text(TEXT, encoding="utf-8")
    done = _cli("ingest", str(src), "--db", str(tmp_path / "kb.db"), timeout=60)
    assert done.returncode == 1
    assert "pipe.txt: not a regular file" in done.stderr
    assert "ingested 1, unchanged 0, failed 1" in done.stderr


def test_an_unreadable_manifest_is_named_once_and_its_files_are_ingested(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text('{"doc": "a", "title": "fine"}\nnot json\n')
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([tmp_path])
    assert sorted(report.ingested) == ["a", "b"]
    ((where, problem),) = report.failed
    assert where == str(tmp_path / "manifest.jsonl") and problem.startswith("unreadable manifest")


def test_utf16_with_a_bom_is_text_and_a_utf8_bom_is_kept(tmp_path: Path) -> None:
    text = "Vučić met Xi in Београд.\r\nSerbia and China signed a loan.\n"
    (tmp_path / "le.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "be.md").write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    (tmp_path / "bom8.txt").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([tmp_path])
        docs = {d.id: d for d in kb.documents()}
        sentences = kb.store.sentences("bom8")
    assert report.ok and set(docs) == {"le", "be", "bom8"}
    for doc in docs.values():
        assert doc.text == "\ufeff" + text  # offsets count the BOM, as the file's text has it
    assert docs["le"].encoding == "utf-16-le"
    # Offsets match the file's text: its bytes decoded, BOM and CRLF as they are.
    on_disk = (tmp_path / "bom8.txt").read_bytes().decode("utf-8")
    assert [on_disk[s:e] for s, e in sentences] == [
        "Vučić met Xi in Београд.",
        "Serbia and China signed a loan.",
    ]


def test_a_pdf_with_an_empty_user_password_is_read(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "open.pdf", "Belgrade bought drones from Beijing.", password="")
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([path])
        (doc,) = kb.documents()
    assert report.ok and "drones from Beijing" in doc.text


def test_a_broken_pdf_is_one_line_without_pypdfs_own_warnings(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "cut.pdf", "Belgrade bought drones from Beijing.")
    pdf.write_bytes(pdf.read_bytes()[:-60])
    (tmp_path / "noxref.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF"
    )
    done = _cli("ingest", str(tmp_path), "--db", str(tmp_path / "kb.db"))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 3, done.stderr
    assert all("corrupt PDF" in line for line in lines[:2]) and "0x" not in done.stderr
