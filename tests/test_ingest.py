"""Ingest of every format, manifests, metadata inference and every kind of bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import bilateral
from bilateral.ingest.metadata import infer

from .conftest import make_pdf

TEXT = "Serbia and China signed a free trade agreement.\nIt took effect on 1 July 2024.\n"


def test_txt_text_is_kept_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("  Leading space\r\nVučić met Xi.\n\n", encoding="utf-8", newline="")
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([path])
        assert report.ingested == ["note"]
        (doc,) = kb.documents()
    assert doc.text == path.read_bytes().decode("utf-8")
    assert doc.format == "txt"


def test_markdown_and_sentences(tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    path.write_text("# Trade brief\n\nSerbia imports cars. China exports them.\n", encoding="utf-8")
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.ingest([path])
        (doc,) = kb.documents()
        sentences = kb.store.sentences(doc.id)
    assert doc.format == "md" and doc.title == "Trade brief"
    assert [doc.text[s:e] for s, e in sentences] == [
        "# Trade brief",
        "Serbia imports cars.",
        "China exports them.",
    ]


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text(
        "<html><head><title>Bridge loan | Daily</title>"
        '<meta property="og:site_name" content="The Daily">'
        '<meta property="article:published_time" content="2024-03-05"></head>'
        "<body><nav>Home | World | Sport</nav><article><h1>Bridge loan signed</h1>"
        "<p>China Exim Bank lent Serbia 170 million euros for a new bridge over the Danube, "
        "officials in Belgrade said on Tuesday after a long negotiation.</p>"
        "<p>The bridge opened in 2014 and carries road and tram traffic.</p></article>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.ingest([path])
        (doc,) = kb.documents()
    assert "China Exim Bank lent Serbia" in doc.text
    assert "Copyright" not in doc.text and "Sport" not in doc.text
    assert doc.published == "2024-03-05" and doc.source == "The Daily"
    assert doc.title == "Bridge loan signed"


def test_pdf_text(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "paper.pdf", "Belgrade bought an air defence system from Beijing in 2019.")
    with bilateral.open(tmp_path / "kb.db") as kb:
        assert kb.ingest([path]).ok
        (doc,) = kb.documents()
    assert "air defence system from Beijing" in doc.text and doc.format == "pdf"


def test_manifest_csv_gives_metadata(corpus_copy: Path, tmp_path: Path) -> None:
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([corpus_copy])
        docs = {d.id: d for d in kb.documents()}
    assert len(report.ingested) == 5 and report.ok
    doc = docs["002_ec3341b4ebcaddbd"]
    assert doc.source == "bne IntelliNews" and doc.published == "2025-07-15"
    assert docs["001_378f0568493daf87"].published == "2025-07"


def test_manifest_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(
        json.dumps({"doc": "a", "title": "Deal", "source": "example", "published": "2024-07-02"}) + "\n"
    )
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.ingest([tmp_path])
        (doc,) = kb.documents()
    assert (doc.title, doc.source, doc.published) == ("Deal", "example", "2024-07-02")


def test_byline_inference() -> None:
    found = infer("Serbia buys drones\n\nBy bne IntelliNews July 15, 2025\n\nBelgrade said on Monday...")
    assert found == {"source": "bne IntelliNews", "published": "2025-07-15", "title": "Serbia buys drones"}


def test_reingest_is_noop_and_change_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    with bilateral.open(tmp_path / "kb.db") as kb:
        assert kb.ingest([path]).ingested == ["a"]
        assert kb.ingest([path]).unchanged == ["a"]
        path.write_text("Hungary and China opened a railway.\n", encoding="utf-8")
        assert kb.ingest([path]).ingested == ["a"]
        assert [d.text for d in kb.documents()] == ["Hungary and China opened a railway.\n"]
        assert len(kb.store.sentences("a")) == 1
        assert kb.search("railway")[0].doc == "a"
        assert kb.search("agreement") == []


def test_same_stem_in_two_folders_gets_unique_stable_ids(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"{folder}: {TEXT}", encoding="utf-8")
    with bilateral.open(tmp_path / "kb.db") as kb:
        first = kb.ingest([tmp_path]).ingested
    with bilateral.open(tmp_path / "kb2.db") as kb:
        second = kb.ingest([tmp_path]).ingested
    assert first == second and first[0] == "report" and first[1].startswith("report-")


def test_search_highlights_and_offsets(corpus: Path, tmp_path: Path) -> None:
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.ingest([corpus])
        hits = kb.search("Vucic")  # diacritics folded: finds Vučić too
        texts = {d.id: d.text for d in kb.documents()}
    assert len(hits) >= 5
    for hit in hits:
        assert "\x02" in hit.snippet
        assert hit.snippet.split("\x02")[1].split("\x03")[0].lower() in {"vucic", "vučić"}
        assert texts[hit.doc][hit.start : hit.end].strip()


def test_bad_inputs_are_reported_and_others_ingested(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(TEXT, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.md").write_bytes(b"  \n\n ")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    make_pdf(src / "locked.pdf", "Secret text about a loan.", password="pw")
    (src / "empty.html").write_text("<html><body><div></div></body></html>", encoding="utf-8")
    (src / "big.txt").write_text("word " * 3000, encoding="utf-8")
    (src / "loop.txt").symlink_to(src / "loop.txt")  # a link to itself: cannot be read
    latin = src / "latin.txt"
    latin.write_bytes(
        (
            "Ministar odbrane Đorđević je rekao da će Srbija kupiti nove dronove iz Kine. Vučić i "
            "Si Đinping su se sastali u Beogradu, gde su potpisali sporazum o slobodnoj trgovini. "
            "Šabac i Čačak su gradovi u Srbiji.\n"
        ).encode("cp1250")
    )
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04 a word file")
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([src, tmp_path / "missing.txt", tmp_path / "x.docx"], max_bytes=10_000)
        texts = {d.id: d.text for d in kb.documents()}
    problems = {Path(p).name: msg for p, msg in report.failed}
    assert set(texts) == {"good", "latin"}
    assert "Đorđević" in texts["latin"] and "Čačak" in texts["latin"]
    assert problems["empty.txt"] == "empty file"
    assert problems["blank.md"] == "empty file"
    assert "binary" in problems["binary.txt"]
    assert "corrupt PDF" in problems["broken.pdf"]
    assert problems["locked.pdf"] == "encrypted PDF (it needs a password)"
    assert "HTML" in problems["empty.html"]
    assert "limit" in problems["big.txt"]
    assert "unreadable" in problems["loop.txt"]
    assert "no such file" in problems["missing.txt"]
    assert "unknown extension" in problems["x.docx"]


def test_invalid_utf8_that_fits_no_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    # Valid text with a stray byte sequence that is not UTF-8; charset detection may still decode it,
    # but the document is never silently mangled into U+FFFD replacement characters.
    path.write_bytes("Vučić said: ".encode() + b"\xff\xfe\xfa" + b" more text here.")
    with bilateral.open(tmp_path / "kb.db") as kb:
        report = kb.ingest([path])
        texts = [d.text for d in kb.documents()]
    if report.failed:
        assert "UTF-8" in report.failed[0][1] or "encoding" in report.failed[0][1]
    else:
        assert "\ufffd" not in texts[0]


def test_unreadable_file_when_permissions_apply(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        with bilateral.open(tmp_path / "kb.db") as kb:
            report = kb.ingest([path])
    finally:
        path.chmod(0o644)
    if os.geteuid() == 0:  # root reads any file: then it is simply ingested
        assert report.ingested == ["secret"]
    else:
        assert "unreadable" in report.failed[0][1]
