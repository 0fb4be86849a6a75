"""The knowledge base's tables and queries, written once for every SQL backend.

A backend (SQLite, PostgreSQL) supplies the connection, transactions, its migration scripts,
its parameter style and its full-text search; everything else is this shared SQL, so that the
two backends hold the same data and answer the same queries the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..models import Document, Entity, Event, Mention, event_from_record, event_to_record
from .events import EventStore
from .parses import ParseStore
from .sql import Row

APP = "bilateral"
MARK_START, MARK_END = "\x02", "\x03"  # around matched terms in search snippets
# Search ranks the newest RANKED matching sentences, not all: a word in every document would
# otherwise be ranked in every sentence that has it, at a cost that grows with the corpus.
RANKED = 500


class StoreError(Exception):
    """The database cannot be used: not a bilateral database, newer schema, unreachable."""


@dataclass
class SearchHit:
    """A matching sentence; `snippet` marks matched terms with MARK_START and MARK_END."""

    doc: str
    start: int
    end: int
    snippet: str
    title: str | None


def migrations(dialect: str) -> list[str]:
    """The migration scripts of a dialect, in version order (one file per schema version)."""
    folder = resources.files(__package__).joinpath("sql", dialect)
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [folder.joinpath(n).read_text("utf-8") for n in names]


SCHEMA_VERSION = len(migrations("sqlite"))


class Store(EventStore, ParseStore):
    """A bilateral knowledge base in one SQL database."""

    # ------------------------------------------------------------ schema

    def _migrate(self) -> None:
        tables = self._tables()
        if not tables:
            version = 0
        elif "meta" not in tables:
            raise StoreError(f"{self.path}: not a bilateral database (it has other tables)")
        else:
            version = self._version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: schema version {version} is newer than this bilateral "
                    f"understands ({SCHEMA_VERSION}); upgrade bilateral"
                )
        scripts = migrations(self.dialect)
        for number in range(version, SCHEMA_VERSION):
            with self._tx():  # a migration is applied whole or not at all
                self._script(scripts[number])
                self._set_meta("app", APP)
                self._set_meta("schema_version", str(number + 1))

    def _version(self) -> int:
        meta = {r["key"]: r["value"] for r in self._run("SELECT key, value FROM meta")}
        if meta.get("app") != APP:
            raise StoreError(f"{self.path}: not a bilateral database")
        return int(meta.get("schema_version", "0"))

    def _check_version(self) -> None:
        """For read-only use: the database must already be at this version."""
        if "meta" not in self._tables() or self._version() != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: not a bilateral database of this version; open it once with "
                "`bilateral extract` or `bilateral ingest` to migrate it"
            )

    def _set_meta(self, key: str, value: str) -> None:
        self._run(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # ------------------------------------------------------------ documents

    def document_for_path(self, path: str) -> tuple[str, str] | None:
        rows = self._run("SELECT id, sha256 FROM documents WHERE path = ?", (path,))
        return (rows[0]["id"], rows[0]["sha256"]) if rows else None

    def id_taken(self, doc_id: str) -> bool:
        return bool(self._run("SELECT 1 AS one FROM documents WHERE id = ?", (doc_id,)))

    def put_document(self, doc: Document, sentences: list[tuple[int, int]]) -> None:
        """Insert or replace a document and its sentences; derived data for it is dropped."""
        with self._write():
            if self.id_taken(doc.id):  # SQLite's full-text index cannot find a document's rows cheaply
                self._delete_search(doc.id)
                self._run("DELETE FROM documents WHERE id = ?", (doc.id,))
            self._run(
                "INSERT INTO documents (id, path, sha256, format, title, source, published, url, kind,"
                " encoding, extra, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.id,
                    doc.path,
                    doc.sha256,
                    doc.format,
                    doc.title,
                    doc.source,
                    doc.published,
                    doc.url,
                    doc.kind,
                    doc.encoding,
                    json.dumps(doc.extra),
                    doc.text,
                ),
            )
            self._put_search(doc, sentences)

    def remove_document(self, doc_id: str) -> bool:
        """Delete a document and what was derived from it alone (its sentences, mentions and
        candidates go with it); whether it was there. Consolidation then rebuilds the rest."""
        with self._write():
            if not self.id_taken(doc_id):
                return False
            self._delete_search(doc_id)
            self._run("DELETE FROM documents WHERE id = ?", (doc_id,))
            return True

    def documents(self, ids: Iterable[str] | None = None) -> list[Document]:
        if ids is None:
            return [_document(r) for r in self._run("SELECT * FROM documents ORDER BY id")]
        wanted = sorted(set(ids))
        found: list[Document] = []
        for i in range(0, len(wanted), 500):  # bounded IN lists
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found += [
                _document(r) for r in self._run(f"SELECT * FROM documents WHERE id IN ({marks})", chunk)
            ]
        return sorted(found, key=lambda d: d.id)

    def document_summaries(self) -> list[Document]:
        """Every document's metadata, by id, without its text (which pages load one at a time)."""
        columns = "id, path, sha256, format, title, source, published, url, kind, encoding, extra"
        return [
            _document({**r, "text": ""}) for r in self._run(f"SELECT {columns} FROM documents ORDER BY id")
        ]

    def document(self, doc_id: str) -> Document | None:
        rows = self._run("SELECT * FROM documents WHERE id = ?", (doc_id,))
        return _document(rows[0]) if rows else None

    def iter_documents(self) -> Iterator[Document]:
        """Every document in id order, read a batch at a time."""
        return (_document(r) for r in self._iter("SELECT * FROM documents ORDER BY id"))

    def document_ranges(self, size: int) -> Iterator[tuple[str, str]]:
        """(first, last) ids of consecutive batches of `size` documents, for passes over the corpus."""
        ids = [r["id"] for r in self._run("SELECT id FROM documents ORDER BY id")]
        for i in range(0, len(ids), size):
            yield ids[i], ids[min(i + size, len(ids)) - 1]

    def texts(self, first: str, last: str) -> dict[str, str]:
        """The texts of the documents with ids from `first` to `last`."""
        rows = self._run("SELECT id, text FROM documents WHERE id BETWEEN ? AND ?", (first, last))
        return {r["id"]: r["text"] for r in rows}

    def sentences(self, doc_id: str) -> list[tuple[int, int]]:
        rows = self._run('SELECT start, "end" FROM sentences WHERE doc = ? ORDER BY idx', (doc_id,))
        return [(r["start"], r["end"]) for r in rows]

    def unanalysed(self, analyser: str) -> list[str]:
        """Documents whose text this version of the per-document stages has not yet seen."""
        rows = self._run(
            "SELECT id FROM documents WHERE analysed_sha IS DISTINCT FROM sha256 || ? ORDER BY id",
            (f":{analyser}",),
        )
        return [r["id"] for r in rows]

    # ------------------------------------------------------------ analysis results

    def put_analysis(
        self, doc: Document, mentions: list[Mention], candidates: list[Event], analyser: str
    ) -> None:
        """Store one document's mentions and event candidates, marked with the analyser that made them.

        Results the same as those stored (new rules that change nothing in this document) are kept
        as they are, with their links to entities, and the document stays consolidated: the next
        consolidation need not read it again (`StateStore.same_analysis`).
        """
        found: dict[tuple[int, int, str], tuple[Any, ...]] = {}  # the first mention of a key is kept
        links: dict[tuple[int, int, str], str | None] = {}
        for m in mentions:
            key = (m.start, m.end, m.type)
            if key not in found:
                found[key] = (m.start, m.end, m.text, m.type, m.subtype, m.iso3, m.key)
                links[key] = m.entity_id
        reports = [
            (i, e.type, json.dumps(event_to_record(e), ensure_ascii=False)) for i, e in enumerate(candidates)
        ]
        with self._write():
            if self.same_analysis(doc.id, sorted(found.values()), reports):
                self.keep_consolidated(doc.id, f":{analyser}")
            else:
                self._run("DELETE FROM mentions WHERE doc = ?", (doc.id,))
                self._run("DELETE FROM candidates WHERE doc = ?", (doc.id,))
                self._run("UPDATE consolidated SET analysed = '!' WHERE doc = ?", (doc.id,))  # read again
                self._many(
                    "INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?)",
                    [(doc.id, *r, links[k]) for k, r in found.items()],
                )
                self._many("INSERT INTO candidates VALUES (?,?,?,?)", [(doc.id, *r) for r in reports])
            self._run(
                "UPDATE documents SET analysed_sha = sha256 || ? WHERE id = ?", (f":{analyser}", doc.id)
            )

    def mentions(self, first: str | None = None, last: str | None = None) -> list[Mention]:
        """Mentions in document and text order: all, or those of documents `first` to `last`."""
        where = " WHERE doc BETWEEN ? AND ?" if first is not None else ""
        rows = self._run(
            f'SELECT * FROM mentions{where} ORDER BY doc, start, "end", type',
            (first, last) if first is not None else (),
        )
        return [_mention(r) for r in rows]

    def mention_links(self, first: str, last: str) -> list[tuple[str, str, str | None]]:
        """(doc, text, entity id) of the mentions of documents `first` to `last`, in text order."""
        rows = self._run(
            "SELECT doc, text, entity_id FROM mentions WHERE doc BETWEEN ? AND ?"
            ' ORDER BY doc, start, "end", type',
            (first, last),
        )
        return [(r["doc"], r["text"], r["entity_id"]) for r in rows]

    def mention_counts(self) -> list[tuple[str, str | None, str | None, str, int]]:
        """(type, subtype, iso3, key, number of mentions): the corpus-wide facts resolution needs."""
        rows = self._run(
            "SELECT type, subtype, iso3, key, count(*) AS n FROM mentions GROUP BY type, subtype, iso3, key"
        )
        return [(r["type"], r["subtype"], r["iso3"], r["key"], int(r["n"])) for r in rows]

    def count_entity_documents(self, counts: dict[tuple[str, str], int]) -> None:
        """Add (entity id, doc) -> number of mentions; `clear_entity_documents` first."""
        self._many("INSERT INTO entity_documents VALUES (?,?,?)", [(*k, n) for k, n in counts.items()])

    def clear_entity_documents(self) -> None:
        self._run("DELETE FROM entity_documents")

    def link_mentions(self, links: list[tuple[str | None, str, int, int, str]]) -> None:
        """Point mentions at their entities: (entity id, doc, start, end, type as stored)."""
        self._many(
            'UPDATE mentions SET entity_id = ? WHERE doc = ? AND start = ? AND "end" = ? AND type = ?', links
        )

    def candidates(self, first: str | None = None, last: str | None = None) -> list[Event]:
        """Event candidates in document order: all, or those of documents `first` to `last`."""
        where = " WHERE doc BETWEEN ? AND ?" if first is not None else ""
        rows = self._run(
            f"SELECT data FROM candidates{where} ORDER BY doc, seq",
            (first, last) if first is not None else (),
        )
        return [event_from_record(json.loads(r["data"])) for r in rows]

    # ------------------------------------------------------------ resolved entities and fused events

    def put_entities(self, entities: list[Entity]) -> None:
        """Replace the resolved entities (mentions point at them through `link_mentions`)."""
        with self._write():
            self._run("DELETE FROM entities")
            self._many(
                "INSERT INTO entities (id, type, name, subtype, iso3, aliases, country)"
                " VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        e.id,
                        e.type,
                        e.name,
                        e.subtype,
                        e.iso3,
                        json.dumps(e.aliases, ensure_ascii=False),
                        e.country,
                    )
                    for e in entities
                ],
            )

    def entities(self, type: str | None = None, with_mentions: bool = True) -> list[Entity]:
        """Entities by id, with their mentions unless not wanted."""
        by_id = {e.id: e for e in self._entities(type)}
        if not with_mentions:
            return list(by_id.values())
        for m in self.mentions():
            if m.entity_id in by_id:
                by_id[m.entity_id].mentions.append(m)
        return list(by_id.values())

    def entity_summaries(self, type: str | None = None) -> list[Entity]:
        """Entities by id with the number of their mentions and documents, not the mentions."""
        rows = self._run(
            "SELECT entity_id, sum(mentions) AS n, count(*) AS d FROM entity_documents GROUP BY entity_id"
        )
        counts = {r["entity_id"]: (int(r["n"]), int(r["d"])) for r in rows}
        entities = self._entities(type)
        for e in entities:
            e.counts = counts.get(e.id, (0, 0))
        return entities

    def entity_mentions(self, entity_id: str) -> list[Mention]:
        return list(self.iter_entity_mentions(entity_id))

    def entity_documents(self, entity_id: str, limit: int = 50) -> list[tuple[str, int]]:
        """The documents that mention an entity most, with how often."""
        rows = self._run(
            "SELECT doc, mentions FROM entity_documents WHERE entity_id = ?"
            " ORDER BY mentions DESC, doc LIMIT ?",
            (entity_id, limit),
        )
        return [(r["doc"], int(r["mentions"])) for r in rows]

    def iter_entity_mentions(self, entity_id: str) -> Iterator[Mention]:
        """An entity's mentions in document and text order, read a batch at a time."""
        sql = 'SELECT * FROM mentions WHERE entity_id = ? ORDER BY doc, start, "end", type'
        return (_mention(r) for r in self._iter(sql, (entity_id,)))

    def _entities(self, type: str | None = None) -> list[Entity]:
        sql = "SELECT * FROM entities" + (" WHERE type = ?" if type else "") + " ORDER BY id"
        return [
            Entity(
                r["id"],
                r["type"],
                r["name"],
                json.loads(r["aliases"]),
                r["iso3"],
                r["subtype"],
                country=r["country"],
            )
            for r in self._run(sql, (type,) if type else ())
        ]

    def countries(self) -> dict[str, str]:
        """Names and aliases of people and organisations -> the state they act for.

        Straight from the entities table: the views filter by it and need no mentions.
        """
        rows = self._run("SELECT name, aliases, country FROM entities WHERE country IS NOT NULL ORDER BY id")
        return {alias: r["country"] for r in rows for alias in (r["name"], *json.loads(r["aliases"]))}

    def counts(self) -> dict[str, int]:
        tables = ("documents", "sentences", "mentions", "entities", "events", "evidence")
        return {t: int(self._run(f"SELECT count(*) AS n FROM {t}")[0]["n"]) for t in tables}


def _mention(r: Row) -> Mention:
    return Mention(
        r["doc"],
        r["start"],
        r["end"],
        r["text"],
        r["type"],
        r["subtype"],
        r["iso3"],
        r["key"],
        r["entity_id"],
    )


def _document(row: Row) -> Document:
    return Document(
        id=row["id"],
        text=row["text"],
        path=row["path"],
        format=row["format"],
        title=row["title"],
        source=row["source"],
        published=row["published"],
        url=row["url"],
        kind=row["kind"],
        encoding=row["encoding"],
        sha256=row["sha256"],
        extra=json.loads(row["extra"]),
    )
