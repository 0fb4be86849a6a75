"""The Python API: a knowledge base that ingests documents and answers questions about them.

The CLI, the exports and the views are thin layers over this class.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .analysis import analyse_documents, analyser
from .consolidate import consolidate
from .events.actors import actor_key
from .export import EXPORTS, write_jsonl
from .ingest import DEFAULT_MAX_BYTES
from .ingest.run import IngestReport as IngestReport  # re-exported: the API returns it
from .ingest.run import Progress
from .ingest.run import ingest as ingest_into
from .models import Document, Entity, Event
from .nlp.pipeline import build
from .store import SearchHit, open_store

PARALLEL_FROM = 64  # documents; below this, starting a second process costs more than it saves
READ_BATCH = 200  # documents read from the store at a time for analysis


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
        """Read files, directories and collections into the store, one transaction per document.

        Unchanged files (same content hash) are skipped; a bad file or row is reported and the
        others go on. The rules for ids are `bilateral.ingest.run`'s, shared with the Ray engine.
        """
        return ingest_into(self.store, paths, max_bytes, progress)

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
