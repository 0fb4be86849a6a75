"""The Python API: a knowledge base that ingests documents and answers questions about them.

The CLI, the exports and the views are thin layers over this class.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import analyse_documents, analyser
from .consolidate import consolidate
from .events.actors import actor_key
from .export import EXPORTS, write_jsonl
from .ingest import DEFAULT_MAX_BYTES, IngestError, Source, discover, load
from .ingest.collections import is_collection, read_collection
from .models import Document, Entity, Event
from .nlp.pipeline import build
from .nlp.sentences import segment
from .store import SearchHit, open_store

PARALLEL_FROM = 64  # documents; below this, starting a second process costs more than it saves
READ_BATCH = 200  # documents read from the store at a time for analysis

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

    def __init__(self, db: str | Path = "bilateral.db", readonly: bool = False) -> None:
        self.store = open_store(db, readonly=readonly)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ ingest

    def ingest(
        self,
        paths: Iterable[str | Path],
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Read files and directories into the store, one transaction per document.

        Unchanged files (same content hash) are skipped; a bad file is reported and the
        others go on.
        """
        report = IngestReport()
        given = [Path(p) for p in paths]
        collections = [p for p in given if p.is_file() and is_collection(p)]
        for collection in collections:
            self._ingest_collection(collection, report, progress)
        for found in discover(p for p in given if p not in collections):
            if isinstance(found, tuple):
                bad, error = found
                report.failed.append((str(bad), str(error)))
            else:
                self._ingest_one(found, max_bytes, report)
            if progress:
                progress(str(found.path if isinstance(found, Source) else found[0]))
        return report

    def _ingest_collection(self, path: Path, report: IngestReport, progress: Progress | None) -> None:
        """The documents of a .jsonl or .parquet collection, each in its own transaction."""
        for found in read_collection(path):
            if isinstance(found, IngestError):
                report.failed.append((str(path), str(found)))
                continue
            self.put(found, report)
            if progress:
                progress(found.path)

    def put(self, doc: Document, report: IngestReport) -> None:
        """Store one read document unless the same text is already there under its path."""
        known = self.store.document_for_path(doc.path)
        if known and known[1] == doc.sha256:
            report.unchanged.append(known[0])
            return
        self.store.put_document(doc, segment(doc.text))
        report.ingested.append(doc.id)

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

    # ------------------------------------------------------------ analysis

    def analyse(self, progress: Progress | None = None, n_process: int | None = None) -> int:
        """Run the nlp and event stages on new or changed documents, then resolve and fuse the corpus.

        Returns the number of documents analysed. Each document's results are stored in its own
        transaction; resolution and fusion are recomputed over the whole corpus (cheap next to parsing).
        """
        ids = self.store.unanalysed(analyser())
        if ids:
            procs = n_process or (2 if len(ids) >= PARALLEL_FROM else 1)
            # Read a batch of documents at a time, so that a large corpus streams through.
            docs = (
                d
                for i in range(0, len(ids), READ_BATCH)
                for d in self.store.documents(ids[i : i + READ_BATCH])
            )
            for doc, found, candidates in analyse_documents(build(), docs, procs):
                self.store.put_analysis(doc, found, candidates, analyser())
                if progress:
                    progress(doc.id)
        self.consolidate()
        return len(ids)

    def consolidate(self) -> None:
        """The corpus-level stages: resolve entities across documents, then fuse events."""
        consolidate(self.store)

    def export(self, out: str | Path) -> dict[str, int]:
        """Write documents.jsonl, entities.jsonl and events.jsonl into the folder `out`."""
        folder = Path(out)
        return {
            name: write_jsonl(folder / f"{name}.jsonl", rows(self.store)) for name, rows in EXPORTS.items()
        }

    def extract(
        self,
        paths: Iterable[str | Path],
        out: str | Path,
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest, analyse and export: the whole job in one call."""
        report = self.ingest(paths, max_bytes=max_bytes, progress=progress)
        self.analyse(progress=progress)
        self.export(out)
        return report

    # ------------------------------------------------------------ reading

    def documents(self) -> list[Document]:
        return self.store.documents()

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit)

    def entities(self, type: str | None = None) -> list[Entity]:
        """Entities with every mention: what entities.jsonl holds."""
        return self.store.entities(type)

    def entity_summaries(self, type: str | None = None) -> list[Entity]:
        """Entities with their mention and document counts instead of the mentions: what lists,
        tables and graphs need, at a cost that does not grow with the corpus's mentions."""
        return self.store.entity_summaries(type)

    def events(self, type: str | None = None, actor: str | None = None) -> list[Event]:
        """Events by type and date; `actor` (an ISO code, state, demonym or name) narrows them to
        those it takes part in, itself or through a person or body acting for it."""
        return self.store.events(type, actor_key(actor) if actor else None)

    def timeline(self, actor: str | None = None, limit: int = 100, offset: int = 0) -> list[Event]:
        """A page of events in date order, undated last; `actor` as in `events`."""
        return self.store.timeline(actor_key(actor) if actor else None, limit, offset)

    def countries(self) -> dict[str, str]:
        """Person and organisation names (and aliases) -> the state they act for."""
        return self.store.countries()


def open(db: str | Path = "bilateral.db") -> KnowledgeBase:
    """Open (creating if needed) the knowledge base in `db`."""
    return KnowledgeBase(db)
