"""Shared fixtures: the real sample corpus from ../shared and real files made per test."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

    from bilateral.models import Event

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


def _fingerprint(*roots: Path) -> str:
    """A hash of every file under `roots`: the code and data a built knowledge base depends on."""
    digest = hashlib.sha1()
    for root in roots:
        for f in sorted(root.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def sample_db(corpus: Path) -> Path:
    """The sample corpus extracted once into a knowledge base, for read-only tests of the views.

    Built once for this code and corpus, and kept in the temporary folder under their hash, so
    that `make test`'s second pytest process (the Ray tests) and later runs reuse it.
    """
    import bilateral

    key = hashlib.sha1(f"{corpus.resolve()}|{_fingerprint(ROOT / 'bilateral', corpus)}".encode()).hexdigest()
    folder = Path(tempfile.gettempdir()) / f"bilateral-sample-{key[:16]}"
    if not (folder / "done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        building = folder.with_name(f"{folder.name}.{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        with bilateral.open(building / "kb.db") as kb:
            kb.extract([corpus], building / "out")
        (building / "done").touch()
        try:
            building.rename(folder)
        except OSError:  # another process finished first: use its copy
            shutil.rmtree(building, ignore_errors=True)
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


_BEFORE = pytest.StashKey[set[str]]()
# Caches and the environment, which tools keep in the repository by design.
OWN_FILES = (".venv/", ".mypy_cache/", ".ruff_cache/", ".pytest_cache/", ".hypothesis/", "build/")


def _untracked() -> set[str]:
    """What is in the repository but not in git (ignored files included), but for caches."""
    found = subprocess.run(
        ["git", "ls-files", "--others", "--directory", "--no-empty-directory"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    paths = set(found.stdout.splitlines()) if found.returncode == 0 else set()
    return {
        p for p in paths if not p.startswith(OWN_FILES) and "__pycache__" not in p and ".egg-info" not in p
    }


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _untracked()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A test run that leaves files in the repository fails (a test once left two SQLite databases
    in a folder named 'postgresql:'): tests write under their temporary folders only."""
    left = sorted(_untracked() - session.config.stash.get(_BEFORE, set()))
    if left:
        print(f"\nthe tests left files in the repository: {', '.join(left)}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def conflict_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our example articles and one more that gives the drones' number differently: a knowledge
    base where sources disagree, whatever the extractor makes of the sample corpus."""
    import bilateral

    folder = tmp_path_factory.mktemp("conflict")
    shutil.copytree(EXAMPLES, folder / "articles")
    (folder / "articles" / "04_nine.txt").write_text(
        "Nine drones, says the ministry\n\nSerbia received nine CH-92A combat drones from China last "
        "week, the defence ministry said.\n",
        encoding="utf-8",
    )
    with bilateral.open(folder / "kb.db") as kb:
        kb.extract([folder / "articles"], folder / "out")
    return folder / "kb.db"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full pipeline, built once for the tests that parse sentences we composed."""
    from bilateral.nlp.pipeline import build

    return build()


def composed_events(nlp: Language, text: str, published: str | None = "2024-05-10") -> list[Event]:
    """The event candidates of one text we wrote, through the per-document stages alone."""
    from bilateral.events.extract import extract
    from bilateral.nlp.markup import mask
    from bilateral.nlp.mentions import mentions, propagate_names
    from bilateral.nlp.resolve import vote_types

    doc = nlp(mask(text))
    found = propagate_names(doc, mentions(doc, "t"))
    vote_types(found)
    return extract(doc, "t", found, published)


def check_roles(nlp: Language, type_: str, text: str, expected: dict[str, Any] | None) -> None:
    """A sentence-table row: some `type_` event of `text` has the `expected` roles, or none has
    that type when `expected` is None."""
    got = [e.args for e in composed_events(nlp, text) if e.type == type_]
    if expected is None:
        assert not got, f"{text!r}: expected no {type_}, got {got}"
        return
    assert any(all(args.get(k) == v for k, v in expected.items()) for args in got), (
        f"{text!r}: expected {expected} among {got}"
    )
