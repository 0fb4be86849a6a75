"""What a consolidation keeps for the next one (schema 9), and the targeted reads and writes an
incremental consolidation makes: by document, entity, block key or candidate, never the corpus."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..models import Entity, Event, Mention, event_from_record
from .sql import Row, SQLStore

CHUNK = 500  # values per IN list
Count = tuple[str, str | None, str | None, str, int]  # type, subtype, iso3, key, mentions


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(set(values))
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class StateStore(SQLStore):
    """The consolidation state tables and the queries over them."""

    def _where_in(self, sql: str, column: str, values: Iterable[Any], tail: str = "") -> list[Row]:
        """Rows of `sql ... WHERE column IN (values)`, a bounded list at a time."""
        rows: list[Row] = []
        for chunk in _chunks(values):
            marks = ",".join("?" * len(chunk))
            rows += self._run(f"{sql} WHERE {column} IN ({marks}){tail}", chunk)
        return rows

    # ------------------------------------------------------------ documents the last run read

    def consolidation_ready(self) -> bool:
        """Whether a consolidation has written the state an incremental one starts from."""
        return bool(self._run("SELECT 1 AS one FROM meta WHERE key = 'consolidated' AND value = '1'"))

    def set_consolidation_meta(self, key: str, value: str) -> None:
        self._run(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def consolidation_meta(self, key: str) -> str | None:
        rows = self._run("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def same_analysis(
        self, doc_id: str, mentions: list[tuple[Any, ...]], candidates: list[tuple[Any, ...]]
    ) -> bool:
        """Whether a document's stored results are these: its mentions as (start, end, text, type,
        subtype, iso3, key) in that order, its candidates as (seq, type, data) in order."""
        stored = self._run(
            'SELECT start, "end", text, type, subtype, iso3, key FROM mentions WHERE doc = ?', (doc_id,)
        )
        if sorted(tuple(r.values()) for r in stored) != mentions:  # sorted here: SQL collations differ
            return False
        stored = self._run("SELECT seq, type, data FROM candidates WHERE doc = ? ORDER BY seq", (doc_id,))
        return [tuple(r.values()) for r in stored] == candidates

    def keep_consolidated(self, doc_id: str, analysed: str) -> None:
        """A document analysed again with the same results: if the last consolidation read it as it
        was analysed, it has read it as it is now analysed (`analysed`: the analyser's suffix)."""
        self._run(
            "UPDATE consolidated SET analysed = (SELECT sha256 || ? FROM documents WHERE id = ?)"
            " WHERE doc = ? AND analysed = (SELECT COALESCE(analysed_sha, '') FROM documents WHERE id = ?)",
            (analysed, doc_id, doc_id, doc_id),
        )

    def document_count(self) -> int:
        return int(self._run("SELECT count(*) AS n FROM documents")[0]["n"])

    def document_order(self) -> dict[str, int]:
        """Each document's place in the database's order of ids (its collation: what a full run follows)."""
        return {r["id"]: i for i, r in enumerate(self._run("SELECT id FROM documents ORDER BY id"))}

    def touched_documents(self) -> tuple[list[str], list[str]]:
        """(documents added or analysed again since the last run, documents removed since)."""
        changed = self._run(
            "SELECT d.id FROM documents d LEFT JOIN consolidated c ON c.doc = d.id"
            " WHERE c.doc IS NULL OR COALESCE(d.analysed_sha, '') <> c.analysed ORDER BY d.id"
        )
        removed = self._run(
            "SELECT c.doc FROM consolidated c WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = c.doc)"
            " ORDER BY c.doc"
        )
        return [r["id"] for r in changed], [r["doc"] for r in removed]

    def consolidated_keys(self, docs: Iterable[str]) -> dict[str, list[Count]]:
        """The mention counts each document gave the last run."""
        rows = self._where_in("SELECT doc, keys FROM consolidated", "doc", docs)
        return {r["doc"]: [tuple(k) for k in json.loads(r["keys"])] for r in rows}

    def put_consolidated(self, docs: Iterable[str], keys: dict[str, list[Count]]) -> None:
        """Record that this run read `docs` as they are analysed now, with their mention counts."""
        docs = list(docs)
        self.drop_consolidated(docs)
        rows = self._where_in("SELECT id, analysed_sha FROM documents", "id", docs)
        self._many(
            "INSERT INTO consolidated VALUES (?,?,?)",
            [
                (r["id"], r["analysed_sha"] or "", json.dumps(keys.get(r["id"], []), ensure_ascii=False))
                for r in rows
            ],
        )

    def drop_consolidated(self, docs: Iterable[str]) -> None:
        self._many("DELETE FROM consolidated WHERE doc = ?", [(d,) for d in docs])

    def key_counts(self, docs: Iterable[str]) -> dict[str, list[Count]]:
        """Per document: (type, subtype, iso3, key, number of mentions), as stored (before votes)."""
        out: dict[str, list[Count]] = {}
        for r in self._where_in(
            "SELECT doc, type, subtype, iso3, key, count(*) AS n FROM mentions",
            "doc",
            docs,
            " GROUP BY doc, type, subtype, iso3, key ORDER BY doc, type, key",
        ):
            out.setdefault(r["doc"], []).append((r["type"], r["subtype"], r["iso3"], r["key"], int(r["n"])))
        return out

    def resolution_counts(self) -> dict[tuple[str, str | None, str | None, str], int]:
        """The corpus-wide mention counts the last run resolved with."""
        rows = self._run("SELECT k, n FROM resolution_counts")
        return {tuple(json.loads(r["k"])): int(r["n"]) for r in rows}

    def put_resolution_counts(self, counts: dict[tuple[str, str | None, str | None, str], int]) -> None:
        """Set these counts (0: none left)."""
        rows = [(json.dumps(k, ensure_ascii=False),) for k in counts]
        self._many("DELETE FROM resolution_counts WHERE k = ?", rows)
        self._many(
            "INSERT INTO resolution_counts VALUES (?,?)",
            [(json.dumps(k, ensure_ascii=False), n) for k, n in counts.items() if n > 0],
        )

    def clear_consolidation_state(self) -> None:
        """Before a full consolidation, which writes all of it again."""
        for table in ("consolidated", "resolution_counts", "entity_parts", "candidate_blocks", "suffixed"):
            self._run(f"DELETE FROM {table}")

    # ------------------------------------------------------------ mentions and entities

    def docs_with_keys(self, keys: Iterable[str]) -> set[str]:
        return {r["doc"] for r in self._where_in("SELECT DISTINCT doc FROM mentions", "key", keys)}

    def mentions_of(self, docs: Iterable[str]) -> list[Mention]:
        """The mentions of `docs` in document and text order."""
        from .base import _mention

        rows = self._where_in("SELECT * FROM mentions", "doc", docs)
        mentions = [_mention(r) for r in rows]
        return sorted(mentions, key=lambda m: (m.doc, m.start, m.end, m.type))

    def texts_of(self, docs: Iterable[str]) -> dict[str, str]:
        return {r["id"]: r["text"] for r in self._where_in("SELECT id, text FROM documents", "id", docs)}

    def parts_in(self, docs: Iterable[str]) -> set[str]:
        """The entities the last run's parts of `docs` belong to."""
        return {r["entity_id"] for r in self._where_in("SELECT entity_id FROM entity_parts", "doc", docs)}

    def docs_of_entities(self, ids: Iterable[str]) -> set[str]:
        return {r["doc"] for r in self._where_in("SELECT doc FROM entity_parts", "entity_id", ids)}

    def put_parts(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """(entity id, doc, part as JSON)."""
        self._many("INSERT INTO entity_parts VALUES (?,?,?)", rows)

    def drop_parts(self, docs: Iterable[str]) -> None:
        self._many("DELETE FROM entity_parts WHERE doc = ?", [(d,) for d in docs])
        self._many("DELETE FROM entity_documents WHERE doc = ?", [(d,) for d in docs])

    def parts(self, ids: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
        """(entity id, its parts in document order) for each of `ids` that has any."""
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._iter(
                f"SELECT entity_id, data FROM entity_parts WHERE entity_id IN ({marks})"
                " ORDER BY entity_id, doc",
                chunk,
            )
            current, found = "", list[str]()
            for r in rows:
                if r["entity_id"] != current and found:
                    yield current, found
                    found = []
                current = r["entity_id"]
                found.append(r["data"])
            if found:
                yield current, found

    def entities_by_id(self, ids: Iterable[str]) -> list[Entity]:
        rows = self._where_in("SELECT * FROM entities", "id", ids)
        aliases = [json.loads(r["aliases"]) for r in rows]
        return [
            Entity(r["id"], r["type"], r["name"], a, r["iso3"], r["subtype"], country=r["country"])
            for r, a in zip(rows, aliases, strict=True)
        ]

    def replace_entities(self, remove: Iterable[str], entities: list[Entity]) -> None:
        """Delete entities by id and insert others."""
        self._many("DELETE FROM entities WHERE id = ?", [(i,) for i in remove])
        self._many(
            "INSERT INTO entities (id, type, name, subtype, iso3, aliases, country) VALUES (?,?,?,?,?,?,?)",
            [(e.id, e.type, e.name, e.subtype, e.iso3, _json(e.aliases), e.country) for e in entities],
        )

    # ------------------------------------------------------------ candidates and their blocks

    def candidate_rows(self, docs: Iterable[str]) -> list[tuple[str, int, Event]]:
        """(doc, seq, candidate) of `docs`, in document order."""
        rows = self._where_in("SELECT doc, seq, data FROM candidates", "doc", docs)
        found = [(r["doc"], int(r["seq"]), event_from_record(json.loads(r["data"]))) for r in rows]
        return sorted(found, key=lambda r: (r[0], r[1]))

    def candidate_range(self, first: str, last: str) -> list[tuple[str, int, Event]]:
        """(doc, seq, candidate) of documents `first` to `last`, in document order."""
        rows = self._run(
            "SELECT doc, seq, data FROM candidates WHERE doc BETWEEN ? AND ? ORDER BY doc, seq", (first, last)
        )
        return [(r["doc"], int(r["seq"]), event_from_record(json.loads(r["data"]))) for r in rows]

    def actor_links_of(self, docs: Iterable[str]) -> list[tuple[str, str, str, str]]:
        """(doc, text, entity id, entity name) of the mentions of people and organisations in
        `docs`, in text order."""
        rows = self._where_in(
            'SELECT m.doc, m.start, m."end", m.type, m.text, m.entity_id, e.name FROM mentions m'
            " JOIN entities e ON e.id = m.entity_id AND e.type IN ('person', 'organisation')",
            "m.doc",
            docs,
        )
        rows.sort(key=lambda r: (r["doc"], r["start"], r["end"], r["type"]))
        return [(r["doc"], r["text"], r["entity_id"], r["name"]) for r in rows]

    def block_rows(self, column: str, values: Iterable[str]) -> list[tuple[str, int, str, str]]:
        """(doc, seq, block, event id) rows of candidate_blocks by doc or by block."""
        rows = self._where_in("SELECT doc, seq, block, event_id FROM candidate_blocks", column, values)
        return [(r["doc"], int(r["seq"]), r["block"], r["event_id"]) for r in rows]

    def put_blocks(self, rows: Sequence[tuple[str, int, str, str]]) -> None:
        self._many("INSERT INTO candidate_blocks VALUES (?,?,?,?)", rows)

    def drop_blocks(self, docs: Iterable[str]) -> None:
        self._many("DELETE FROM candidate_blocks WHERE doc = ?", [(d,) for d in docs])

    def set_block_events(self, rows: Sequence[tuple[str, str, int]]) -> None:
        """(event id, doc, seq): the event a candidate now belongs to."""
        self._many("UPDATE candidate_blocks SET event_id = ? WHERE doc = ? AND seq = ?", rows)

    def put_suffixed(self, rows: Sequence[tuple[str, str]]) -> None:
        self._many("INSERT INTO suffixed VALUES (?,?)", rows)

    def suffixed_among(self, ids: Iterable[str]) -> bool:
        """Does any of `ids` carry a suffix, or have another event taken a suffix after it?"""
        ids = list(ids)
        return bool(
            self._where_in("SELECT event_id FROM suffixed", "event_id", ids)
            or self._where_in("SELECT event_id FROM suffixed", "base", ids)
        )

    def existing_events(self, ids: Iterable[str]) -> set[str]:
        return {r["id"] for r in self._where_in("SELECT id FROM events", "id", ids)}

    def events_by_id(self, ids: Iterable[str]) -> list[Event]:
        rows = self._where_in("SELECT data FROM events", "id", ids)
        return [event_from_record(json.loads(r["data"])) for r in rows]

    def events_naming(self, keys: Iterable[str]) -> set[str]:
        """Events whose actor index holds any of `keys`."""
        rows = self._where_in("SELECT DISTINCT event_id FROM event_actors", "value", keys)
        return {r["event_id"] for r in rows}

    def replace_actors(self, actors: dict[str, list[tuple[str, str]]], events: dict[str, Event]) -> None:
        """New actor index rows of events (by id)."""
        self._many("DELETE FROM event_actors WHERE event_id = ?", [(i,) for i in actors])
        self._many(
            "INSERT INTO event_actors (event_id, role, value, type, date) VALUES (?,?,?,?,?)",
            [(i, role, v, events[i].type, events[i].date) for i, rows in actors.items() for role, v in rows],
        )

    def delete_events(self, ids: Iterable[str]) -> None:
        for table, column in (("event_actors", "event_id"), ("evidence", "event_id"), ("events", "id")):
            self._many(f"DELETE FROM {table} WHERE {column} = ?", [(i,) for i in ids])

    # ------------------------------------------------------------ judgements' effects, undone

    def judged_state(self) -> tuple[list[str], list[Event]]:
        """(events judgements made, the fused events they replaced): what undoing them takes."""
        made = [r["event_id"] for r in self._run("SELECT event_id FROM judged ORDER BY event_id")]
        replaced = self._run("SELECT data FROM unjudged ORDER BY event_id")
        return made, [event_from_record(json.loads(r["data"])) for r in replaced]

    def clear_judged(self) -> None:
        self._run("DELETE FROM judged")
        self._run("DELETE FROM unjudged")

    def _note_judged(self, remove: list[str], made: list[str]) -> None:
        """A judgement replaced events `remove` with `made`: a fused event it replaces is kept
        aside (once) to be restored; an event an earlier judgement made is simply gone."""
        for event_id in remove:
            if self._run("SELECT 1 AS one FROM judged WHERE event_id = ?", (event_id,)):
                self._run("DELETE FROM judged WHERE event_id = ?", (event_id,))
            else:
                self._run(
                    "INSERT INTO unjudged (event_id, data) SELECT id, data FROM events WHERE id = ?"
                    " ON CONFLICT (event_id) DO NOTHING",
                    (event_id,),
                )
        self._many("INSERT INTO judged VALUES (?) ON CONFLICT (event_id) DO NOTHING", [(i,) for i in made])
