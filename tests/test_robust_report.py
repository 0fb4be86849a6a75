"""Briefings from hostile articles and metadata: no `javascript:` links, a Content-Security-Policy
in the HTML file, and Markdown that carries article text and metadata as text (issue 17)."""

from __future__ import annotations

import csv
from pathlib import Path

import bilateral
from bilateral.report import write_report

HOSTILE = "<script>alert(1)</script>"


def test_hostile_urls_text_and_metadata_stay_text(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        f"In 2021, Hungary purchased twelve Leopard tanks from Germany {HOSTILE}.\n"
        f"“We trust [our](javascript:alert(3)) partners {HOSTILE},” Hungarian minister Péter Szijjártó "
        "said in 2022.\n",
        encoding="utf-8",
    )
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["doc", "title", "source", "published", "url"])
        row = ["evil", f"Tanks {HOSTILE}", f"*Outlet* {HOSTILE}", "2022-01-02", "javascript:alert(2)"]
        writer.writerow(row)
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.extract([folder], tmp_path / "out")
        events, docs = kb.events(), {d.id: d for d in kb.documents()}
    assert events and docs["evil"].url == "javascript:alert(2)"
    page = write_report(tmp_path / "b.html", events, docs, []).read_text(encoding="utf-8")
    assert "javascript:" not in page.split("<body", 1)[1].replace("javascript:alert(3)", "")
    assert 'href="javascript' not in page
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in page
    assert "<script" not in page
    markdown = write_report(tmp_path / "b.md", events, docs, []).read_text(encoding="utf-8")
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "[our](javascript" not in markdown and "\\[our\\](javascript" in markdown  # text, not a link
    assert "Leopard" in markdown
