"""The briefing report: content with footnotes, both formats, hostile text, and Chromium rendering."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bilateral
from bilateral.report import ReportError, write_report

from .conftest import CHROMIUM_FLAGS, CORPUS, blank, chromium


def _report(db: Path, out: Path, *actors: str) -> subprocess.CompletedProcess[str]:
    args = [a for actor in actors for a in ("--actor", actor)]
    return subprocess.run(
        [sys.executable, "-m", "bilateral", "report", "-o", str(out), "--db", str(db), *args],
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def html_report(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "china-serbia.html"
    run = _report(sample_db, out, "China", "Serbia")
    assert run.returncode == 0, run.stderr
    return out


def test_html_report_is_self_contained_with_footnotes(html_report: Path) -> None:
    page = html_report.read_text(encoding="utf-8")
    assert "<title>China–Serbia briefing</title>" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing may load from the network"
    assert page.count("<svg") == 2  # the timeline and the events-per-year charts, inline
    for section in ("summary", "timeline", "register-arms", "register-loans", "conflicts", "quotes", "notes"):
        assert f'id="{section}"' in page
    refs = set(re.findall(r'href="#fn-(\d+)"', page))
    notes = set(re.findall(r'<li id="fn-(\d+)"', page))
    assert refs and refs == notes


def test_footnotes_quote_the_articles_exactly(html_report: Path) -> None:
    page = html_report.read_text(encoding="utf-8")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    cited = re.findall(r"\[(\w+):(\d+)–(\d+)\]: <q>(.*?)</q>", page, flags=re.S)
    assert len(cited) > 20
    for doc, start, end, quote in cited:
        assert texts[doc][int(start) : int(end)] == html.unescape(quote)


def test_markdown_report(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    assert _report(sample_db, out, "CHN", "SRB").returncode == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# China–Serbia briefing")
    assert "| China | Serbia | FK-3 |" in text
    assert text.count("](data:image/png;base64,") == 2
    used = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defined = set(re.findall(r"^\[\^(\d+)\]:", text, flags=re.M))
    assert used == defined


def test_report_errors(sample_db: Path, tmp_path: Path) -> None:
    wrong = _report(sample_db, tmp_path / "brief.pdf")
    assert wrong.returncode == 2 and "brief.pdf" in wrong.stderr and ".html or .md" in wrong.stderr
    nobody = _report(sample_db, tmp_path / "b.html", "Atlantis")
    assert nobody.returncode == 2 and "Atlantis" in nobody.stderr


def test_hostile_article_text_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        "In 2021, Hungary purchased twelve Leopard tanks from Germany <script>alert(1)</script>.\n"
        "“We trust <img src=x onerror=alert(2)> partners,” Hungarian minister Péter Szijjártó "
        "said in 2022.\n",
        encoding="utf-8",
    )
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.extract([folder], tmp_path / "out")
        events, docs = kb.events(), {d.id: d for d in kb.documents()}
    page = write_report(tmp_path / "evil.html", events, docs, []).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    with pytest.raises(ReportError):
        write_report(tmp_path / "evil.txt", events, docs, [])


def test_report_renders_in_chromium(html_report: Path, tmp_path: Path) -> None:
    shot, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    base = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    url = html_report.as_uri()
    subprocess.run([*base, "--window-size=1280,2000", f"--screenshot={shot}", url], check=True, timeout=120)
    subprocess.run([*base, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url], check=True, timeout=120)
    assert shot.stat().st_size > 20_000 and not blank(shot)
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 3
    text = "".join(page.extract_text() for page in reader.pages)
    assert "China–Serbia briefing" in text and "FK-3" in text
    json.dumps(text)  # the text layer is real text, not only images
