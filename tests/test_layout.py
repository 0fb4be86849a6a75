"""The repo's layout: the package stays readable (no module over 400 lines), and holds only what we wrote."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .conftest import ROOT, SHARED

RUN = 8  # words in a row shared with an article that count as a copied sentence


def test_no_module_over_400_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "bilateral").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def _words(text: str) -> list[str]:
    """Lower-cased alphanumeric tokens (any script): the unit in which copied wording is measured."""
    return re.findall(r"[^\W_]+", text.lower())


def _tracked(roots: tuple[str, ...]) -> list[Path]:
    """The files git tracks under `roots` (every file there when the tree is not a git checkout)."""
    try:
        run = subprocess.run(["git", "ls-files", "-z", *roots], cwd=ROOT, capture_output=True, check=True)
        return [ROOT / name for name in run.stdout.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        return [p for r in roots for p in ((ROOT / r).rglob("*") if (ROOT / r).is_dir() else [ROOT / r])]


def test_no_sentence_of_an_article_is_copied_into_the_repo() -> None:
    """Facts from the articles may be used, their sentences may not: no tracked text shares a run of
    RUN words with an article of ../shared/corpus (a shorter run is a common phrase or a name)."""
    articles = [p for p in (SHARED / "corpus").rglob("*") if p.suffix in (".txt", ".md", ".html", ".htm")]
    assert articles, f"no articles under {SHARED / 'corpus'}"
    grams: set[str] = set()
    for article in articles:
        w = _words(article.read_text(encoding="utf-8", errors="ignore"))
        grams.update(" ".join(w[i : i + RUN]) for i in range(len(w) - RUN + 1))
    copied: dict[str, str] = {}  # file:line -> the first run copied there
    for path in _tracked(("bilateral", "tests", "bench", "examples", "docs", "README.md")):
        data = path.read_bytes() if path.is_file() else b""
        if b"\0" in data:
            continue  # not text (screenshots)
        tokens = [
            (w, n)
            for n, line in enumerate(data.decode("utf-8", "ignore").splitlines(), 1)
            for w in _words(line)
        ]
        for i in range(len(tokens) - RUN + 1):
            run = " ".join(w for w, _ in tokens[i : i + RUN])
            if run in grams:
                copied.setdefault(f"{path.relative_to(ROOT)}:{tokens[i][1]}", run)
    assert not copied, "wording copied from an article:\n" + "\n".join(f"{k}: {v}" for k, v in copied.items())
