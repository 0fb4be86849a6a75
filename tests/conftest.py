"""Shared fixtures: the real sample corpus from ../shared and real files made per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "china-serbia"
GOLD = SHARED / "gold" / "china-serbia.events.jsonl"
SCORER = SHARED / "eval" / "score.py"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"the sample corpus is missing: {CORPUS}"
    return CORPUS


@pytest.fixture()
def corpus_copy(tmp_path: Path, corpus: Path) -> Path:
    """A writable copy of the sample corpus, with its manifest."""
    target = tmp_path / "corpus"
    shutil.copytree(corpus, target)
    return target


def make_pdf(path: Path, text: str, password: str | None = None) -> Path:
    """A real PDF with `text` on it, made with fpdf2 (and encrypted with pypdf if asked)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.set_title("A test PDF")
    pdf.output(str(path))
    if password is not None:  # "" encrypts with an empty user password, as some publishers do
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(str(path)))
        writer.encrypt(user_password=password, owner_password="owner-" + password)
        with path.open("wb") as fh:
            writer.write(fh)
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The sample corpus extracted once into a knowledge base, for read-only tests of the views."""
    import bilateral

    folder = tmp_path_factory.mktemp("sample")
    with bilateral.open(folder / "kb.db") as kb:
        kb.extract([corpus], folder / "out")
    return folder / "kb.db"


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """Debian's chromium, which the project's setup installs (see Makefile: system-deps)."""
    path = shutil.which("chromium")
    assert path, "chromium is not installed: run `make system-deps` (Debian package chromium)"
    return path


def blank(png: Path) -> bool:
    """Is a screenshot one flat colour?"""
    from PIL import Image

    with Image.open(png) as image:
        lo, hi = image.convert("L").getextrema()
    return bool(hi - lo < 10)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A real PostgreSQL server on loopback for this test session; yields its base URL."""
    from bilateral.store import pgserver

    with pgserver.server() as url:
        yield url


def new_postgres_db(server: str) -> str:
    """A fresh, empty database on the test server."""
    from bilateral.store import pgserver

    return pgserver.new_database(server, "t")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty knowledge-base location on each backend: a file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "kb.db")
    server: str = request.getfixturevalue("postgres")
    return new_postgres_db(server)
