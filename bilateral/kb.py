"""The Python API: a knowledge base that ingests documents and answers questions about them.

The CLI, the exports and the views are thin layers over this class.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .ingest import DEFAULT_MAX_BYTES, IngestError, Source, discover, load
from .models import Document
from .nlp.sentences import segment
from .store import SearchHit, Store

Progress = Callable[[str], None]


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


class KnowledgeBase:
    """A bilateral knowledge base stored in one database file."""

    def __init__(self, db: str | Path = "bilateral.db") -> None:
        self.store = Store(db)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ ingest

    def ingest(self, paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
               progress: Progress | None = None) -> IngestReport:
        """Read files and directories into the store, one transaction per document.

        Unchanged files (same content hash) are skipped; a bad file is reported and the
        others go on.
        """
        report = IngestReport()
        for found in discover(paths):
            if isinstance(found, tuple):
                path, error = found
                report.failed.append((str(path), str(error)))
            else:
                self._ingest_one(found, max_bytes, report)
            if progress:
                progress(str(found.path if isinstance(found, Source) else found[0]))
        return report

    def _ingest_one(self, source: Source, max_bytes: int, report: IngestReport) -> None:
        try:
            doc = load(source, max_bytes)
        except IngestError as exc:
            report.failed.append((str(source.path), str(exc)))
            return
        known = self.store.document_for_path(doc.path)
        if known and known[1] == doc.sha256:
            report.unchanged.append(known[0])
            return
        doc.id = known[0] if known else self._new_id(source.path, doc.path)
        self.store.put_document(doc, segment(doc.text))
        report.ingested.append(doc.id)

    def _new_id(self, path: Path, resolved: str) -> str:
        """The file stem, made unique (and stable) with a hash of the path when it is taken."""
        stem = path.stem
        if not self.store.id_taken(stem):
            return stem
        return f"{stem}-{hashlib.sha1(resolved.encode('utf-8')).hexdigest()[:8]}"

    # ------------------------------------------------------------ reading

    def documents(self) -> list[Document]:
        return self.store.documents()

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit)


def open(db: str | Path = "bilateral.db") -> KnowledgeBase:  # noqa: A001  (the package's entry point)
    """Open (creating if needed) the knowledge base in `db`."""
    return KnowledgeBase(db)
