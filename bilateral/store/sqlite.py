"""SQLite storage: documents, sentences, mentions, entities, event candidates and fused events.

Each document is written in one transaction, so a run killed at any point and
run again ends with exactly the database an uninterrupted run gives.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..models import Document, Entity, Event, Mention, event_from_record, event_to_record

APP = "bilateral"
# Each entry upgrades the schema by one version; the first creates it.
MIGRATIONS: list[str] = [
    resources.files(__package__).joinpath("schema.sql").read_text("utf-8"),
    # 2: the state a person or organisation acts for ("Serbian President ...").
    "ALTER TABLE entities ADD COLUMN country TEXT",
]
SCHEMA_VERSION = len(MIGRATIONS)


MARK_START, MARK_END = "\x02", "\x03"


class StoreError(Exception):
    """The database cannot be used: not ours, too new, or unreadable."""


@dataclass
class SearchHit:
    """A matching sentence; `snippet` marks matched terms with MARK_START and MARK_END."""

    doc: str
    start: int
    end: int
    snippet: str
    title: str | None


class Store:
    """A bilateral knowledge base in one SQLite file."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        """Open (creating and migrating) the database; `readonly` opens an existing one for reading.

        A read-only store may be shared by a web server's threads: SQLite serialises access.
        """
        self.path = str(path)
        try:
            if readonly:
                if not Path(path).is_file():
                    raise StoreError(f"{self.path}: no such knowledge base")
                uri = f"{Path(path).resolve().as_uri()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
                self.conn.row_factory = sqlite3.Row
                self._check_version()
                return
            if self.path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a bilateral database ({exc})") from exc

    def _check_version(self) -> None:
        try:
            meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: not a bilateral database") from exc
        if meta.get("app") != APP or int(meta.get("schema_version", "0")) != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: not a bilateral database of this version; open it once with "
                "`bilateral extract` or `bilateral ingest` to migrate it"
            )

    def data_version(self) -> int:
        """Changes when another connection commits: the signal to reload cached views."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------ schema

    def _migrate(self) -> None:
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            version = 0
        elif "meta" not in tables:
            raise StoreError(f"{self.path}: not a bilateral database (it has other tables)")
        else:
            meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("app") != APP:
                raise StoreError(f"{self.path}: not a bilateral database")
            version = int(meta.get("schema_version", "0"))
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: schema version {version} is newer than this bilateral "
                    f"understands ({SCHEMA_VERSION}); upgrade bilateral"
                )
        for number in range(version, SCHEMA_VERSION):
            # One script in one transaction: a migration is applied whole or not at all.
            self.conn.executescript(
                "BEGIN;"
                + MIGRATIONS[number]
                + f";INSERT OR REPLACE INTO meta VALUES ('app', '{APP}');"
                + f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{number + 1}');COMMIT;"
            )

    # ------------------------------------------------------------ documents

    def document_for_path(self, path: str) -> tuple[str, str] | None:
        row = self.conn.execute("SELECT id, sha256 FROM documents WHERE path = ?", (path,)).fetchone()
        return (row["id"], row["sha256"]) if row else None

    def id_taken(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def put_document(self, doc: Document, sentences: list[tuple[int, int]]) -> None:
        """Insert or replace a document and its sentences; derived data for it is dropped."""
        with self.conn:
            self._delete_document(doc.id)
            self.conn.execute(
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
            self.conn.executemany(
                "INSERT INTO sentences VALUES (?,?,?,?)",
                [(doc.id, i, s, e) for i, (s, e) in enumerate(sentences)],
            )
            self.conn.executemany(
                'INSERT INTO sentences_fts (text, doc, start, "end") VALUES (?,?,?,?)',
                [(doc.text[s:e], doc.id, s, e) for s, e in sentences],
            )

    def _delete_document(self, doc_id: str) -> None:
        self.conn.execute("DELETE FROM sentences_fts WHERE doc = ?", (doc_id,))
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def documents(self, ids: Iterable[str] | None = None) -> list[Document]:
        rows = self.conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
        wanted = set(ids) if ids is not None else None
        return [_document(r) for r in rows if wanted is None or r["id"] in wanted]

    def texts(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, text FROM documents").fetchall())

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _document(row) if row else None

    def sentences(self, doc_id: str) -> list[tuple[int, int]]:
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                'SELECT start, "end" FROM sentences WHERE doc = ? ORDER BY idx', (doc_id,)
            )
        ]

    def unanalysed(self) -> list[str]:
        """Documents whose text the nlp and event stages have not yet seen."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM documents WHERE analysed_sha IS NOT sha256 ORDER BY id"
            )
        ]

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        sql = (
            "SELECT f.doc, f.start, f.\"end\", snippet(sentences_fts, 0, char(2), char(3), '…', 16) AS snip,"
            " d.title FROM sentences_fts f JOIN documents d ON d.id = f.doc"
            " WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        try:
            rows = self.conn.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            # Not valid FTS5 syntax: search for the words as plain terms instead.
            terms = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
            rows = self.conn.execute(sql, (terms, limit)).fetchall() if terms else []
        return [SearchHit(r["doc"], int(r["start"]), int(r["end"]), r["snip"], r["title"]) for r in rows]

    # ------------------------------------------------------------ analysis results

    def put_analysis(self, doc: Document, mentions: list[Mention], candidates: list[Event]) -> None:
        """Store one document's mentions and event candidates, and mark it analysed."""
        with self.conn:
            self.conn.execute("DELETE FROM mentions WHERE doc = ?", (doc.id,))
            self.conn.execute("DELETE FROM candidates WHERE doc = ?", (doc.id,))
            self.conn.executemany(
                "INSERT OR IGNORE INTO mentions VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (m.doc, m.start, m.end, m.text, m.type, m.subtype, m.iso3, m.key, m.entity_id)
                    for m in mentions
                ],
            )
            self.conn.executemany(
                "INSERT INTO candidates VALUES (?,?,?,?)",
                [
                    (doc.id, i, e.type, json.dumps(event_to_record(e), ensure_ascii=False))
                    for i, e in enumerate(candidates)
                ],
            )
            self.conn.execute("UPDATE documents SET analysed_sha = sha256 WHERE id = ?", (doc.id,))

    def mentions(self) -> list[Mention]:
        return [
            Mention(
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
            for r in self.conn.execute('SELECT * FROM mentions ORDER BY doc, start, "end"')
        ]

    def candidates(self) -> Iterator[Event]:
        for r in self.conn.execute("SELECT data FROM candidates ORDER BY doc, seq"):
            yield event_from_record(json.loads(r[0]))

    def put_entities(self, entities: list[Entity]) -> None:
        """Replace the resolved entities and relink every mention to them."""
        with self.conn:
            self.conn.execute("DELETE FROM entities")
            self.conn.executemany(
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
            self.conn.executemany(
                'UPDATE mentions SET entity_id = ? WHERE doc = ? AND start = ? AND "end" = ? AND type = ?',
                [(e.id, m.doc, m.start, m.end, m.type) for e in entities for m in e.mentions],
            )

    def entities(self, type: str | None = None) -> list[Entity]:
        by_id: dict[str, Entity] = {}
        sql = "SELECT * FROM entities" + (" WHERE type = ?" if type else "") + " ORDER BY id"
        for r in self.conn.execute(sql, (type,) if type else ()):
            by_id[r["id"]] = Entity(
                r["id"],
                r["type"],
                r["name"],
                json.loads(r["aliases"]),
                r["iso3"],
                r["subtype"],
                country=r["country"],
            )
        for m in self.mentions():
            if m.entity_id in by_id:
                by_id[m.entity_id].mentions.append(m)
        return list(by_id.values())

    def put_events(self, events: list[Event], actors: dict[str, list[tuple[str, str]]]) -> None:
        """Replace the fused events, their evidence and their actor index."""
        with self.conn:
            self.conn.execute("DELETE FROM events")
            for e in events:
                self.conn.execute(
                    "INSERT INTO events VALUES (?,?,?,?,?,?)",
                    (
                        e.id,
                        e.type,
                        e.date,
                        e.modality,
                        len(e.docs),
                        json.dumps(event_to_record(e), ensure_ascii=False),
                    ),
                )
                self.conn.executemany(
                    "INSERT INTO evidence VALUES (?,?,?,?,?)",
                    [(e.id, s.doc, s.start, s.end, s.text) for s in e.evidence],
                )
                self.conn.executemany(
                    "INSERT INTO event_actors VALUES (?,?,?)",
                    [(e.id, role, value) for role, value in actors.get(e.id, [])],
                )

    def events(self, type: str | None = None, actor: str | None = None) -> list[Event]:
        sql = "SELECT DISTINCT e.data FROM events e"
        params: list[Any] = []
        if actor:
            sql += " JOIN event_actors a ON a.event_id = e.id AND a.value = ?"
            params.append(actor)
        if type:
            sql += " WHERE e.type = ?"
            params.append(type)
        sql += " ORDER BY e.type, e.date IS NULL, e.date, e.id"
        return [event_from_record(json.loads(r[0])) for r in self.conn.execute(sql, params)]

    def counts(self) -> dict[str, int]:
        return {
            t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "sentences", "mentions", "entities", "events", "evidence")
        }


def _document(row: sqlite3.Row) -> Document:
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
