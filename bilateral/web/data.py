"""What the web app reads: a snapshot of the knowledge base, reloaded when the database changes.

The store is opened read-only. Events, entities (with their counts) and documents' metadata are
loaded once and indexed (by id, by document, by actor), so that most pages are a few dictionary
look-ups; what grows with the corpus (document texts, mentions) is read from the store for the
page that shows it. When another process commits (an ingest beside `serve`), the store's data
version changes and the next request loads a fresh snapshot.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from .. import views
from ..models import Document, Entity, Event, Mention
from ..nlp.lexicon import fold
from ..store import SearchHit, Store, open_store

T = TypeVar("T")


@dataclass
class Snapshot:
    documents: dict[str, Document]
    entities: dict[str, Entity]
    events: dict[str, Event]
    countries: dict[str, str]
    # indexes
    events_by_doc: dict[str, list[Event]] = field(default_factory=dict)
    entity_by_actor: dict[str, str] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """A value computed once per snapshot (charts, which take matplotlib a while)."""
        if key not in self._memo:
            self._memo[key] = make()
        return cast(T, self._memo[key])

    @classmethod
    def load(cls, store: Store) -> Snapshot:
        entities = {e.id: e for e in store.entity_summaries()}
        events = {e.id: e for e in store.events()}
        countries = {a: e.country for e in entities.values() if e.country for a in (e.name, *e.aliases)}
        snap = cls({d.id: d for d in store.document_summaries()}, entities, events, countries)
        ev_by_doc: dict[str, list[Event]] = defaultdict(list)
        for ev in events.values():
            for d in ev.docs:
                ev_by_doc[d].append(ev)
        snap.events_by_doc = dict(ev_by_doc)
        for e in entities.values():
            if e.type == "state" and e.iso3:
                snap.entity_by_actor[e.iso3] = e.id
                snap.entity_by_actor.setdefault(views.name(e.iso3), e.id)
            elif e.type in ("person", "organisation"):
                for alias in (e.name, *e.aliases):
                    snap.entity_by_actor.setdefault(alias, e.id)
        return snap

    def entity_for(self, actor: str) -> Entity | None:
        """The entity page an actor value (ISO code or name) links to."""
        found = self.entity_by_actor.get(actor)
        return self.entities.get(found) if found else None

    def events_of(self, entity: Entity) -> list[Event]:
        """The events an entity takes part in (a state also through people acting for it)."""
        names = {entity.name, *entity.aliases}
        if entity.type == "state" and entity.iso3:
            key = entity.iso3
            return [e for e in self.events.values() if views.involves(e, key, self.countries)]
        return [e for e in self.events.values() if names & set(views.actors_of(e))]

    def find_entities(self, query: str, limit: int = 20) -> list[Entity]:
        key = fold(query)
        if not key:
            return []
        hits = [
            e
            for e in self.entities.values()
            if e.type in ("state", "person", "organisation", "place", "weapon", "exercise", "agreement")
            and any(key in fold(a) for a in (e.name, *e.aliases))
        ]
        return sorted(hits, key=lambda e: (-e.n_mentions, e.name))[:limit]

    def find_events(self, query: str, limit: int = 20) -> list[Event]:
        key = fold(query)
        if not key:
            return []
        hits = [
            e
            for e in self.events.values()
            if all(w in fold(views.summary(e) + " " + views.name(views.actors_of(e))) for w in key.split())
        ]
        return views.timeline_order(hits)[:limit]


class Data:
    """The read-only store and its current snapshot, shared by the server's threads."""

    def __init__(self, db: str | Path) -> None:
        self.store = open_store(db, readonly=True)
        self._lock = threading.Lock()
        self._version = -1
        self._snapshot: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        with self._lock:
            version = self.store.data_version()
            if self._snapshot is None or version != self._version:
                self._snapshot = Snapshot.load(self.store)
                self._version = version
            return self._snapshot

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        with self._lock:
            return self.store.search(query, limit)

    def document(self, doc_id: str) -> Document | None:
        """A document with its text."""
        with self._lock:
            return self.store.document(doc_id)

    def mentions(self, doc_id: str) -> list[Mention]:
        """A document's mentions, outer ones first where they nest."""
        with self._lock:
            found = self.store.mentions(doc_id, doc_id)
        return sorted(found, key=lambda m: (m.start, -m.end))

    def entity_mentions(self, entity_id: str) -> list[Mention]:
        with self._lock:
            return self.store.entity_mentions(entity_id)

    def entity_documents(self, entity_id: str) -> list[tuple[str, int]]:
        with self._lock:
            return self.store.entity_documents(entity_id)

    def close(self) -> None:
        self.store.close()
