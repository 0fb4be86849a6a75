"""Fused events, their evidence, the actor index and the analysts' judgements, in SQL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..models import Entity, Event, event_from_record, event_to_record
from .state import StateStore

JUDGEMENT_COLUMNS = ("id", "kind", "target", "role", "value", "other", "author", "at", "note")


class EventStore(StateStore):
    """The events tables: what consolidation writes and the views, review and exports read."""

    # ------------------------------------------------------------ fusion's scratch tables

    @contextmanager
    def scratch(self) -> Iterator[None]:
        """Temporary tables for fusing more candidates than memory holds (inside a transaction)."""
        self._run(
            "CREATE TEMP TABLE fusion_input (ord INTEGER, block TEXT, doc TEXT, seq INTEGER, data TEXT)"
        )
        self._run("CREATE TEMP TABLE fusion_root (block TEXT PRIMARY KEY, root INTEGER)")
        yield  # on error the transaction's rollback drops them
        self._run("DROP TABLE fusion_input")
        self._run("DROP TABLE fusion_root")

    def stage(self, rows: list[tuple[int, str, str, int, Event]]) -> None:
        """Candidates to fuse: (order, a block key, doc, seq, candidate)."""
        self._many(
            "INSERT INTO fusion_input VALUES (?,?,?,?,?)",
            [(o, b, d, s, json.dumps(event_to_record(e), ensure_ascii=False)) for o, b, d, s, e in rows],
        )

    def staged(self, roots: dict[str, int]) -> Iterator[tuple[int, str, int, Event]]:
        """The staged candidates (root, doc, seq, candidate) with the group (`roots` of their
        block) that may fuse them, by group."""
        self._many("INSERT INTO fusion_root VALUES (?,?)", list(roots.items()))
        for r in self._iter(
            "SELECT r.root, i.doc, i.seq, i.data FROM fusion_input i JOIN fusion_root r ON r.block = i.block"
            " ORDER BY r.root, i.ord"
        ):
            yield int(r["root"]), r["doc"], int(r["seq"]), event_from_record(json.loads(r["data"]))

    def put_events(self, events: list[Event], actors: dict[str, list[tuple[str, str]]]) -> None:
        """Replace the fused events, their evidence and their actor index."""
        with self._write():
            self.clear_events()
            self.add_events(events, actors)

    def clear_events(self) -> None:
        with self._write():
            self.clear_judged()
            self._run("DELETE FROM event_actors")
            self._run("DELETE FROM evidence")
            self._run("DELETE FROM events")

    def add_events(self, events: list[Event], actors: dict[str, list[tuple[str, str]]]) -> None:
        """Add fused events with their evidence and actor index (`actors` by event id)."""
        with self._write():
            self._many(
                "INSERT INTO events VALUES (?,?,?,?,?,?)",
                [
                    (
                        e.id,
                        e.type,
                        e.date,
                        e.modality,
                        len(e.docs),
                        json.dumps(event_to_record(e), ensure_ascii=False),
                    )
                    for e in events
                ],
            )
            self._many(
                "INSERT INTO evidence VALUES (?,?,?,?,?)",
                [(e.id, s.doc, s.start, s.end, s.text) for e in events for s in e.evidence],
            )
            self._many(
                "INSERT INTO event_actors (event_id, role, value, type, date) VALUES (?,?,?,?,?)",
                [(e.id, role, value, e.type, e.date) for e in events for role, value in actors.get(e.id, [])],
            )

    def timeline(self, actor: str | None = None, limit: int = 100, offset: int = 0) -> list[Event]:
        """A page of events in date order (undated last), of one actor if given (a key as the actor
        index holds it: an ISO code, or a folded name). Only the page's events are read."""
        # The page's ids come in order from an index (the actor index carries type and date).
        page = (
            "SELECT event_id FROM event_actors WHERE value = ? ORDER BY date IS NULL, date, type, event_id"
            if actor
            else "SELECT id FROM events ORDER BY date IS NULL, date, type, id"
        )
        rows = self._run(
            f"SELECT data FROM events WHERE id IN ({page} LIMIT ? OFFSET ?)"
            " ORDER BY date IS NULL, date, type, id",
            ((actor,) if actor else ()) + (limit, offset),
        )
        return [event_from_record(json.loads(r["data"])) for r in rows]

    def events(self, type: str | None = None, actor: str | None = None) -> list[Event]:
        sql = "SELECT e.data FROM events e WHERE 1 = 1"
        params: list[Any] = []
        if actor:
            sql += " AND e.id IN (SELECT a.event_id FROM event_actors a WHERE a.value = ?)"
            params.append(actor)
        if type:
            sql += " AND e.type = ?"
            params.append(type)
        sql += " ORDER BY e.type, e.date IS NULL, e.date, e.id"
        return [event_from_record(json.loads(r["data"])) for r in self._run(sql, params)]

    # ------------------------------------------------------------ judgements

    def put_judgements(self, rows: list[dict[str, Any]]) -> int:
        """Add judgements (dicts of the table's columns); one already stored (same id) is left as it
        is, so that importing a file twice changes nothing. Returns how many were new."""
        with self._write():
            known = {r["id"] for r in self._run("SELECT id FROM judgements")}
            new = [r for r in rows if r["id"] not in known]
            self._many(
                "INSERT INTO judgements (id, kind, target, role, value, other, author, at, note)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                [tuple(r[c] for c in JUDGEMENT_COLUMNS) for r in new],
            )
            return len(new)

    def judgements(self) -> list[dict[str, Any]]:
        """Every judgement, oldest first (they are applied in this order)."""
        return self._run(f"SELECT {', '.join(JUDGEMENT_COLUMNS)} FROM judgements ORDER BY at, id")

    def events_citing(self, doc: str, start: int, end: int) -> list[str]:
        """The ids of the events whose evidence overlaps a span."""
        rows = self._run(
            'SELECT DISTINCT event_id FROM evidence WHERE doc = ? AND start < ? AND "end" > ?',
            (doc, end, start),
        )
        return sorted(r["event_id"] for r in rows)

    def event(self, event_id: str) -> Event | None:
        rows = self._run("SELECT data FROM events WHERE id = ?", (event_id,))
        return event_from_record(json.loads(rows[0]["data"])) if rows else None

    def replace_events(
        self, remove: list[str], events: list[Event], actors: dict[str, list[tuple[str, str]]]
    ) -> None:
        """Remove events by id and add others, in one transaction (a judgement's result)."""
        with self._write():
            self._note_judged(remove, [e.id for e in events])
            for table, column in (("event_actors", "event_id"), ("evidence", "event_id"), ("events", "id")):
                self._many(f"DELETE FROM {table} WHERE {column} = ?", [(i,) for i in remove])
            self.add_events(events, actors)

    # ------------------------------------------------------------ runs and what they changed

    def merge_entities(self, keep: str, into_it: str, aliases: list[str]) -> None:
        """Make entity `into_it` part of `keep` (an analyst's judgement): its mentions, document
        counts and names."""
        with self._write():
            self._run("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (keep, into_it))
            self._run(
                "INSERT INTO entity_documents (entity_id, doc, mentions) SELECT ?, doc, mentions"
                " FROM entity_documents WHERE entity_id = ? ON CONFLICT (entity_id, doc)"
                " DO UPDATE SET mentions = entity_documents.mentions + excluded.mentions",
                (keep, into_it),
            )
            self._run("DELETE FROM entity_documents WHERE entity_id = ?", (into_it,))
            self._run("DELETE FROM entities WHERE id = ?", (into_it,))
            self._run(
                "UPDATE entities SET aliases = ? WHERE id = ?",
                (json.dumps(aliases, ensure_ascii=False), keep),
            )

    def entity_mention_spans(self, entity_id: str) -> list[tuple[str, int, int, str]]:
        """(doc, start, end, text) of an entity's mentions."""
        rows = self._run(
            'SELECT doc, start, "end", text FROM mentions WHERE entity_id = ? ORDER BY doc, start',
            (entity_id,),
        )
        return [(r["doc"], r["start"], r["end"], r["text"]) for r in rows]

    def split_entity(
        self, old: str, new: Entity, moved: list[tuple[str, int, int]], aliases: list[str]
    ) -> None:
        """Move mentions (doc, start, end) of entity `old` to the entity `new` (an analyst's
        judgement), with their document counts; `old` keeps `aliases`."""
        with self._write():
            self._run(
                "INSERT INTO entities (id, type, name, subtype, iso3, aliases, country)"
                " VALUES (?,?,?,?,?,?,?)",
                (new.id, new.type, new.name, new.subtype, new.iso3, json.dumps(new.aliases), new.country),
            )
            self._many(
                "UPDATE mentions SET entity_id = ?"
                ' WHERE entity_id = ? AND doc = ? AND start = ? AND "end" = ?',
                [(new.id, old, *m) for m in moved],
            )
            self._run("DELETE FROM entity_documents WHERE entity_id IN (?, ?)", (old, new.id))
            self._run(
                "INSERT INTO entity_documents (entity_id, doc, mentions) SELECT entity_id, doc, count(*)"
                " FROM mentions WHERE entity_id IN (?, ?) GROUP BY entity_id, doc",
                (old, new.id),
            )
            self._run(
                "UPDATE entities SET aliases = ? WHERE id = ?", (json.dumps(aliases, ensure_ascii=False), old)
            )

    def event_states(self, ids: Iterable[str] | None = None) -> list[Event]:
        """The events as the last run left them (what the next run is compared with); or those of `ids`."""
        if ids is None:
            rows = self._run("SELECT data FROM event_states")
        else:
            rows = self._where_in("SELECT data FROM event_states", "event_id", ids)
        return [event_from_record(json.loads(r["data"])) for r in rows]

    def put_run(
        self,
        at: str,
        documents: int,
        analysed: int,
        analyser: str,
        changes: Sequence[tuple[str, ...]],
        touched: Iterable[str] | None = None,
    ) -> int:
        """Record a consolidation and what it changed; its events become the state to compare with
        (only the `touched` ones, when the run says which it changed)."""
        with self._write():
            last = self._run("SELECT max(id) AS n FROM runs")[0]["n"]
            run = int(last or 0) + 1
            self._run("INSERT INTO runs VALUES (?,?,?,?,?)", (run, at, documents, analysed, analyser))
            self._many("INSERT INTO changes VALUES (?,?,?,?,?,?)", [(run, *c) for c in changes])
            if touched is None:
                self._run("DELETE FROM event_states")
                self._run("INSERT INTO event_states (event_id, type, data) SELECT id, type, data FROM events")
                return run
            ids = [(i,) for i in sorted(set(touched))]
            self._many("DELETE FROM event_states WHERE event_id = ?", ids)
            self._many(
                "INSERT INTO event_states (event_id, type, data)"
                " SELECT id, type, data FROM events WHERE id = ?",
                ids,
            )
            return run

    def keep_states(self) -> None:
        """The events as they are now are what the next run is compared with (after an analyst's
        judgement, so that the next run does not report it as a change the articles brought)."""
        with self._write():
            if self._run("SELECT id FROM runs LIMIT 1"):
                self._run("DELETE FROM event_states")
                self._run("INSERT INTO event_states (event_id, type, data) SELECT id, type, data FROM events")

    def runs(self) -> list[dict[str, Any]]:
        return self._run("SELECT id, at, documents, analysed, analyser FROM runs ORDER BY id")

    def changes(self, since: int) -> list[dict[str, Any]]:
        """What the runs after `since` changed, oldest first."""
        return self._run(
            "SELECT c.run, r.at, c.kind, c.type, c.summary, c.detail, c.event_id FROM changes c"
            " JOIN runs r ON r.id = c.run WHERE c.run > ? ORDER BY c.run, c.type, c.event_id, c.kind",
            (since,),
        )
