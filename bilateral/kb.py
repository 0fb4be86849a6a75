"""The Python API: a knowledge base that ingests documents and answers questions about them.

The CLI, the web app, the report and the exports are thin layers over this class. Reading a
knowledge base imports no parsing machinery: spaCy, the readers and the corpus stages are imported
by the methods that need them, so that `bilateral timeline` starts at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks import KnowledgeBaseError, check_actor, check_filters, check_query, location
from .events.actors import actor_key
from .models import Document, Entity, Event, Mention
from .review.api import Reviewing
from .store import SearchHit, Store, open_store
from .views import Filters
from .views.selection import Selection as Selection

if TYPE_CHECKING:
    from .ingest.run import IngestReport as IngestReport
    from .ingest.run import Progress
    from .review import Judgement
    from .store.parses import StoredParse

PARALLEL_FROM = 64  # documents; below this, starting a second process costs more than it saves
# Analysed documents are stored in one transaction per batch of at most this many documents or
# seconds of analysis: a commit per document cost 9% of a re-analysis; a kill loses one batch.
COMMIT_DOCUMENTS, COMMIT_SECONDS = 64, 2.0
READ_BATCH = 200  # documents read from the store at a time for analysis
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # the largest file ingest reads (as bilateral.ingest says)
log = logging.getLogger(__name__)
EXPORT_FORMATS = ("documents", "entities", "events", "ftm", "statements", "graphml", "gexf", "csv", "xlsx")


class KnowledgeBase(Reviewing):
    """A bilateral knowledge base stored in one database file or a PostgreSQL database.

    `readonly` opens an existing knowledge base for reading and never creates one: a missing
    file is an error, not a new empty database.
    """

    def __init__(self, db: str | Path = "bilateral.db", readonly: bool = False) -> None:
        where = location(db)
        if readonly and isinstance(where, Path) and not where.is_file():
            raise KnowledgeBaseError(
                f"no knowledge base at {where}: run `bilateral extract` or `bilateral ingest` first"
            )
        self.store: Store = open_store(where, readonly=readonly)

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
        from .ingest.run import ingest

        return ingest(self.store, paths, max_bytes, progress)

    def pending(self) -> int:
        """How many documents the next `analyse` will parse (new, or analysed by other code)."""
        from .analysis import analyser

        return len(self.store.unanalysed(analyser()))

    def analyse(self, progress: Progress | None = None, n_process: int | None = None) -> int:
        """Run the nlp and event stages on new or changed documents, then resolve and fuse the corpus.

        Returns the number of documents analysed. Their results are stored a batch at a time
        (`store_analyses`), each document with its parse; resolution and fusion follow over the
        corpus. The model's weights are read only when a document has no stored parse to reuse.
        """
        from .analysis import Parses, analyse_documents, analyser, frozen_heap
        from .nlp.pipeline import build, load_weights
        from .pool import all_parsed

        ids = self.store.unanalysed(analyser())
        nlp = build(weights=False) if ids else None
        with frozen_heap():  # what is loaded by now, the pipeline too, is left out of collections
            if nlp is not None:
                parses = Parses(nlp, self.store.parse)  # stored parses are reused
                procs = n_process or (2 if len(ids) >= PARALLEL_FROM else 1)
                # Some document will be parsed: the weights now, before workers are forked, rather than
                # in each of them (in this process alone, the first parse reads them).
                if procs > 1 and not all_parsed(self.store, ids, parses.version):
                    load_weights(nlp)
                # Read a batch of documents at a time, so that a large corpus streams through.
                docs = (
                    d
                    for i in range(0, len(ids), READ_BATCH)
                    for d in self.store.documents(ids[i : i + READ_BATCH])
                )
                batch: list[Result] = []
                started = time.monotonic()
                for result in analyse_documents(nlp, docs, procs, parses=parses):
                    batch.append((*result, parses.made.pop(result[0].id, None)))
                    if len(batch) >= COMMIT_DOCUMENTS or time.monotonic() - started >= COMMIT_SECONDS:
                        store_analyses(self.store, batch, analyser(), progress)
                        batch, started = [], time.monotonic()
                store_analyses(self.store, batch, analyser(), progress)
            self.consolidate(len(ids), analyser())
        return len(ids)

    def consolidate(self, analysed: int = 0, analyser: str = "") -> list[Judgement]:
        """The corpus-level stages: resolve entities across documents, fuse events, apply the
        analysts' judgements, record what changed; returns the judgements whose event is gone."""
        from .consolidate import consolidate

        return consolidate(self.store, analysed=analysed, analyser=analyser)

    def changes(self, since: int | str | None = None) -> list[dict[str, Any]]:
        """What the runs after `since` changed: a run number, a date (the runs from that day), or
        by default the last run alone."""
        from .changes import after

        if since is not None and not str(since).isdigit():
            check_filters(Filters(since=str(since)))
        return self.store.changes(after(self.store.runs(), since))

    def remove(self, doc_ids: Iterable[str]) -> list[str]:
        """Remove documents and everything derived from them, then consolidate again (events
        that only they reported are gone; judgements on those become orphans, kept). Returns the
        ids removed; an unknown id is an error and nothing is removed."""
        ids = list(doc_ids)
        if unknown := [i for i in ids if not self.store.id_taken(i)]:
            raise KnowledgeBaseError(f"no document {unknown[0]!r} (bilateral docs lists them)")
        with self.store.transaction():  # the documents go with their events, or neither
            for doc_id in ids:
                self.store.remove_document(doc_id)
            self.consolidate()
        return ids

    def extract(
        self,
        paths: Iterable[str | Path],
        out: str | Path,
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest, analyse and export: the whole job in one call."""
        from .analysis import frozen_heap

        with frozen_heap():
            report = self.ingest(paths, max_bytes=max_bytes, progress=progress)
            self.analyse(progress=progress)
            self.export(out)
        return report

    # ------------------------------------------------------------ exports and the report

    def export(self, out: str | Path, what: str = "jsonl") -> dict[str, int]:
        """Write an export; returns what it wrote, by kind.

        `jsonl` (the default): documents.jsonl, entities.jsonl and events.jsonl in the folder `out`;
        `documents`, `entities` or `events`: that one file; `ftm`: FollowTheMoney entities, one a
        line; `statements`: the same as FtM statements, each value with the span it is cited from;
        `graphml` or `gexf`: the actor graph; `csv`: the registers and tables into a folder;
        `xlsx`: all of those tables as one workbook.
        """
        from .export import EXPORTS, write_jsonl

        path = Path(out)
        if what == "jsonl":
            return {
                name: write_jsonl(path / f"{name}.jsonl", rows(self.store)) for name, rows in EXPORTS.items()
            }
        if what in EXPORTS:
            return {what: write_jsonl(path, EXPORTS[what](self.store))}
        if what in ("ftm", "statements"):
            try:
                from .export.ftm import ftm_entities, ftm_statements, write_ftm, write_statements
            except ImportError as exc:  # the `ftm` extra: followthemoney needs PyICU, compiled
                raise KnowledgeBaseError(
                    f"the {what} export needs FollowTheMoney: pip install 'bilateral[ftm]' ({exc})"
                ) from exc
        if what == "ftm":
            found = ftm_entities(self.store.iter_documents(), self.entity_summaries(), self._kept())
            return {"FollowTheMoney entities": write_ftm(path, found)}
        if what == "statements":
            said = ftm_statements(self.store.iter_documents(), self.entity_summaries(), self._kept())
            return {"FollowTheMoney statements": write_statements(path, said)}
        if what == "csv":
            from .export.tables import write_tables

            return write_tables(path, self._kept(), self.entity_summaries(), self.document_index())
        if what == "xlsx":
            from .export.xlsx import write_xlsx

            return write_xlsx(path, self._kept(), self.entity_summaries(), self.document_index())
        if what in ("graphml", "gexf"):
            from .export.graph import actor_graph, write_graph

            return {"edges": write_graph(path, actor_graph(self._kept(), self.entity_summaries()), what)}
        raise KnowledgeBaseError(f"cannot export {what!r}; choose from jsonl, {', '.join(EXPORT_FORMATS)}")

    def _kept(self) -> list[Event]:
        """The events exports show: all but those analysts rejected."""
        return [e for e in self.events() if e.review != "rejected"]

    def report(
        self, actors: Iterable[str] = (), format: str = "html", changed_since: int | str | None = None
    ) -> str:
        """The briefing on events involving `actors` (all events if none), as `html` or `md`;
        with `changed_since` (a run or a date, as `changes` takes), on what those runs changed."""
        from .report import ReportError, render

        if format not in ("html", "md"):
            raise KnowledgeBaseError(f"a report is html or md, not {format!r}")
        try:
            return render(
                self._briefed(changed_since), self.document_index(), list(actors), format, self.countries()
            )
        except ReportError as exc:
            raise KnowledgeBaseError(str(exc)) from exc

    def write_report(
        self, output: str | Path, actors: Iterable[str] = (), changed_since: int | str | None = None
    ) -> Path:
        """Write the briefing to `output`; its suffix (.html or .md) sets the format."""
        from .report import ReportError, write_report

        try:
            events = self._briefed(changed_since)
            return write_report(Path(output), events, self.document_index(), list(actors), self.countries())
        except ReportError as exc:
            raise KnowledgeBaseError(str(exc)) from exc

    def _briefed(self, changed_since: int | str | None) -> list[Event]:
        if changed_since is None:
            return self._kept()
        changed = {c["event_id"] for c in self.changes(changed_since) if c["kind"] != "gone"}
        return [e for e in self._kept() if e.id in changed]

    # ------------------------------------------------------------ reading

    def documents(self) -> list[Document]:
        return self.store.documents()

    def document(self, doc_id: str) -> Document | None:
        """One document with its text (None for an id no document can have: PostgreSQL refuses NUL)."""
        return None if "\x00" in doc_id else self.store.document(doc_id)

    def document_index(self) -> dict[str, Document]:
        """Every document's metadata (without its text), by id: what citations need."""
        return {d.id: d for d in self.store.document_summaries()}

    def mentions(self, doc_id: str) -> list[Mention]:
        """A document's mentions, outer ones first where they nest."""
        return sorted(self.store.mentions(doc_id, doc_id), key=lambda m: (m.start, -m.end))

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Sentences matching `query` (any text; at most MAX_QUERY_WORDS words), best first."""
        return self.store.search(check_query(query), limit)

    def entities(self, type: str | None = None) -> list[Entity]:
        """Entities with every mention: what entities.jsonl holds."""
        return self.store.entities(type)

    def entity_summaries(self, type: str | None = None) -> list[Entity]:
        """Entities with their mention and document counts instead of the mentions: what lists,
        tables and graphs need, at a cost that does not grow with the corpus's mentions."""
        return self.store.entity_summaries(type)

    def entity_mentions(self, entity_id: str) -> Iterable[Mention]:
        """An entity's mentions in document order (streamed: a state has millions at scale)."""
        return self.store.iter_entity_mentions(entity_id)

    def entity_documents(self, entity_id: str) -> list[tuple[str, int]]:
        """The documents that mention an entity most, with their counts."""
        return self.store.entity_documents(entity_id)

    def find_entities(self, name: str) -> list[Entity]:
        """Entities a name, alias, part of a name, or ISO code designates."""
        from .values.names import key_for

        wanted = key_for("person", name)
        return [
            e
            for e in self.entity_summaries()
            if any(
                wanted == k or wanted in k.split()
                for k in {key_for("person", a) for a in [e.name, *e.aliases]}
            )
            or (e.type == "state" and e.iso3 == name.upper())
        ]

    def events(self, type: str | None = None, actor: str | None = None) -> list[Event]:
        """Events by type and date; `actor` (an ISO code, state, demonym or name) narrows them to
        those it takes part in, itself or through a person or body acting for it."""
        return self.store.events(type, actor_key(actor) if actor else None)

    def timeline(self, actor: str | None = None, limit: int = 100, offset: int = 0) -> list[Event]:
        """A page of events in date order, undated last; `actor` as in `events`."""
        return self.store.timeline(actor_key(actor) if actor else None, limit, offset)

    def select(self, filters: Filters | None = None) -> Selection:
        """The events `filters` choose (types, actor, dates), and every analyst view of them."""
        chosen = check_filters(filters or Filters())
        if not chosen.countries:  # who acts for which state: for the actor filter and relationships
            chosen = replace(chosen, countries=self.countries())
        # The store narrows by one type and by actor through its indexes; the filters do the rest.
        events = self.events(chosen.types[0] if len(chosen.types) == 1 else None, chosen.actor)
        selected = chosen.apply(events)
        if not selected and chosen.actor:
            check_actor(chosen.actor, self.events(), chosen.countries)
        return Selection(selected, chosen.countries, self.document_index)

    def countries(self) -> dict[str, str]:
        """Person and organisation names (and aliases) -> the state they act for."""
        return self.store.countries()

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, sentences, mentions, entities, events, evidence."""
        return self.store.counts()

    def data_version(self) -> int:
        """Changes when a writer commits: the signal to reload what a reader keeps."""
        return self.store.data_version()


# A document's analysis as it is stored: the document, its mentions, its candidates, its new parse.
Result = tuple[Document, list[Mention], list[Event], "StoredParse | None"]


def store_analyses(store: Store, batch: list[Result], analyser: str, progress: Progress | None) -> None:
    """Store a batch of documents' results in one transaction, each with its new parse.

    If the batch fails, each document is stored in its own transaction, so that one that cannot
    be stored is logged and left unanalysed (the next run tries it again) and the others are kept;
    when none can be, the store itself is failing and its error is raised.
    """
    stored = [doc.id for doc, *_ in batch]
    try:
        with store.transaction():
            for doc, found, candidates, parse in batch:
                _store_analysis(store, doc, found, candidates, parse, analyser)
    except Exception:
        stored, failed = [], None
        for doc, found, candidates, parse in batch:
            try:
                with store.transaction():
                    _store_analysis(store, doc, found, candidates, parse, analyser)
                stored.append(doc.id)
            except Exception as exc:  # one document must not stop the others
                log.error("%s: could not be stored (%s)", doc.id, exc)
                failed = exc
        if failed and not stored:
            raise failed from None
    if progress:
        for doc_id in stored:
            progress(doc_id)


def _store_analysis(
    store: Store,
    doc: Document,
    found: list[Mention],
    candidates: list[Event],
    parse: StoredParse | None,
    analyser: str,
) -> None:
    store.put_analysis(doc, found, candidates, analyser)
    if parse:
        store.put_parse(doc.id, parse)


def open(db: str | Path = "bilateral.db", readonly: bool = False) -> KnowledgeBase:
    """Open the knowledge base in `db` (a file, created if needed unless `readonly`, or a URL)."""
    return KnowledgeBase(db, readonly=readonly)


def __getattr__(name: str) -> Any:
    """`IngestReport`, the ingest's answer, imported when asked for: reading never ingests."""
    if name == "IngestReport":
        from .ingest.run import IngestReport

        return IngestReport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
