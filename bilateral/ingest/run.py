"""Ingest into a store: the one implementation that `KnowledgeBase.ingest` and the Ray engine call.

Each document is stored in its own transaction with its sentences; a bad file or row is one line
in the report and the rest goes on. Nothing is replaced silently:

- a file is one document, found again by its absolute path: an unchanged file is skipped, a
  changed one replaces its own earlier version;
- a new file's id is its name's stem; when that stem is taken (by a stored document or by another
  file of the same run), it is the stem and a hash of the file's path relative to the folder given
  (`report-1a2b3c4d`), so ids depend neither on argument order nor on where the corpus lives;
- a collection row (.jsonl, .parquet) keeps the id it gives; a row whose id already belongs to
  another document (another file, collection or row) is refused with a line naming both.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..models import Document
from . import DEFAULT_MAX_BYTES, Source, discover, load
from .collections import is_collection, read_collection
from .readers import IngestError

if TYPE_CHECKING:
    from ..store import Store

Progress = Callable[[str], None]


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> IngestReport:
    """Read files, folders and collections into `store`; see the module's docstring for ids."""
    report = IngestReport()
    sources: list[tuple[Source, str]] = []  # each file with its label: root name / relative path
    for given in paths:
        root = Path(given)
        for found in discover([root]):
            if isinstance(found, tuple):
                report.failed.append((found[1].where or str(found[0]), str(found[1])))
                if progress:
                    progress(str(found[0]))
            else:
                sources.append((found, _label(root, found.path)))
    stems = Counter(s.path.stem for s, _ in sources if not is_collection(s.path))
    first: dict[
        str, str
    ] = {}  # the stem's first file in label order gets the bare stem, whatever the argument order
    for source, label in sorted(sources, key=lambda s: s[1]):
        first.setdefault(source.path.stem, label)
    seen: set[str] = set()
    for source, label in sources:
        if is_collection(source.path):
            _collection(store, source.path, report, seen, progress)
            continue
        own = stems[source.path.stem] == 1 or first[source.path.stem] == label
        _file(store, source, label, own, max_bytes, report)
        if progress:
            progress(str(source.path))
    return report


def _label(root: Path, path: Path) -> str:
    """A file's name for its id's hash: its path under the folder given, with the folder's name."""
    if path == root:
        return f"{path.parent.name}/{path.name}"
    return f"{root.resolve().name}/{path.relative_to(root).as_posix()}"


def _file(store: Store, source: Source, label: str, own: bool, max_bytes: int, report: IngestReport) -> None:
    try:
        doc = load(source, max_bytes)
    except IngestError as exc:
        report.failed.append((exc.where or str(source.path), str(exc)))
        return
    known = store.document_for_path(doc.path)
    if known and known[1] == doc.sha256:
        report.unchanged.append(known[0])
        return
    doc.id = known[0] if known else new_id(store, source.path.stem, label, doc.path, own)
    put(store, doc)
    report.ingested.append(doc.id)


def new_id(store: Store, stem: str, label: str, resolved: str, own: bool = True) -> str:
    """The stem if it is free and this file owns it in its run, else the stem and a hash of its
    label (of its absolute path in the rare case that is taken too)."""
    if own and not store.id_taken(stem):
        return stem
    for name in (label, resolved):
        candidate = f"{stem}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
        if not store.id_taken(candidate):
            return candidate
    return candidate  # the same file under the same label: its own earlier id


def _collection(
    store: Store, path: Path, report: IngestReport, seen: set[str], progress: Progress | None
) -> None:
    """The rows of a .jsonl or .parquet collection, each in its own transaction."""
    try:
        for found in read_collection(path):
            if isinstance(found, IngestError):
                report.failed.append((found.where or str(path), str(found)))
            else:
                _row(store, *found, report, seen)
                if progress:
                    progress(found[0])
    except OSError as exc:
        report.failed.append((str(path), f"unreadable: {exc.strerror or exc}"))


def _row(store: Store, where: str, doc: Document, report: IngestReport, seen: set[str]) -> None:
    if doc.path in seen:
        report.failed.append((where, f"document {doc.id!r} appears twice in it; the later row is refused"))
        return
    seen.add(doc.path)
    known = store.document_for_path(doc.path)
    if known and known[1] == doc.sha256:
        report.unchanged.append(known[0])
        return
    if not known and store.id_taken(doc.id):
        owner = store.document(doc.id)
        report.failed.append(
            (
                where,
                f"id {doc.id!r} already belongs to {owner.path if owner else 'another document'};"
                " the row is refused (give it another id)",
            )
        )
        return
    put(store, doc)
    report.ingested.append(doc.id)


def put(store: Store, doc: Document) -> None:
    """Store one read document with its sentences for full-text search."""
    from ..nlp.sentences import segment  # spaCy: imported by the commands that ingest only

    store.put_document(doc, segment(doc.text))
