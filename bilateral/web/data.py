"""What the web app reads: a snapshot of the knowledge base, reloaded when the database changes.

Everything goes through a read-only `KnowledgeBase`. Events, entities (with their counts) and
documents' metadata are loaded once and indexed (by id, by document, by actor), so that most pages
are a few dictionary look-ups; what grows with the corpus (document texts, mentions) is read for
the page that shows it. When another process commits (an ingest beside `serve`), the store's data
version changes and the next request after a check (at most one a second) loads a fresh snapshot.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar, cast

from .. import views
from ..checks import check_actor, check_filters
from ..kb import KnowledgeBase, Selection
from ..models import Document, Entity, Event, Mention
from ..nlp.lexicon import fold
from ..store import SearchHit

T = TypeVar("T")
CHECK_EVERY = 1.0  # seconds between two looks at the store's data version
SEARCHABLE = ("state", "person", "organisation", "place", "weapon", "exercise", "agreement")


@dataclass
class Snapshot:
    documents: dict[str, Document]
    entities: dict[str, Entity]
    events: dict[str, Event]
    countries: dict[str, str]
    version: int = 0
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
    def load(cls, kb: KnowledgeBase, version: int) -> Snapshot:
        entities = {e.id: e for e in kb.entity_summaries()}
        events = {e.id: e for e in kb.events()}
        countries = {a: e.country for e in entities.values() if e.country for a in (e.name, *e.aliases)}
        snap = cls(kb.document_index(), entities, events, countries, version)
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

    def select(self, filters: views.Filters) -> Selection:
        """The snapshot's events that `filters` choose, with the views over them (as `kb.select`)."""
        chosen = replace(check_filters(filters), countries=self.countries)
        selected = chosen.apply(self.events.values())
        if not selected and chosen.actor:
            check_actor(chosen.actor, self.events.values(), self.countries)
        return Selection(selected, self.countries, lambda: self.documents)

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

    @cached_property
    def _entity_names(self) -> list[tuple[Entity, list[str]]]:
        return [
            (e, [fold(a) for a in (e.name, *e.aliases)])
            for e in self.entities.values()
            if e.type in SEARCHABLE
        ]

    @cached_property
    def _event_words(self) -> list[tuple[Event, str]]:
        return [
            (e, fold(views.summary(e) + " " + views.name(views.actors_of(e)))) for e in self.events.values()
        ]

    def find_entities(self, query: str, limit: int = 20) -> list[Entity]:
        key = fold(query)
        if not key:
            return []
        hits = [e for e, names in self._entity_names if any(key in n for n in names)]
        return sorted(hits, key=lambda e: (-e.n_mentions, e.name))[:limit]

    def find_events(self, query: str, limit: int = 20) -> list[Event]:
        words = fold(query).split()
        if not words:
            return []
        hits = [e for e, text in self._event_words if all(w in text for w in words)]
        return views.timeline_order(hits)[:limit]


class Data:
    """A read-only knowledge base and its current snapshot, shared by the server's threads."""

    def __init__(self, db: str | Path) -> None:
        self.kb = KnowledgeBase(db, readonly=True)
        self._lock = threading.Lock()  # one connection: the store is used by one thread at a time
        self._checked = 0.0
        self._snapshot: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        """The current snapshot; the data version is looked at most once a second, so that a busy
        server does not queue every request behind a query."""
        snap, now = self._snapshot, time.monotonic()
        if snap is not None and now - self._checked < CHECK_EVERY:
            return snap
        with self._lock:
            version = self.kb.data_version()
            if self._snapshot is None or version != self._snapshot.version:
                self._snapshot = Snapshot.load(self.kb, version)
            self._checked = time.monotonic()
            return self._snapshot

    def changed(self) -> None:
        """This process wrote: look at the data version on the next request."""
        self._checked = 0.0

    def fresh_version(self) -> int | None:
        """The data version if it was looked at within the last second (no I/O), else None."""
        snap = self._snapshot
        return snap.version if snap and time.monotonic() - self._checked < CHECK_EVERY else None

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        with self._lock:
            return self.kb.search(query, limit)

    def document(self, doc_id: str) -> Document | None:
        """A document with its text."""
        with self._lock:
            return self.kb.document(doc_id)

    def mentions(self, doc_id: str) -> list[Mention]:
        """A document's mentions, outer ones first where they nest."""
        with self._lock:
            return self.kb.mentions(doc_id)

    def entity_mentions(self, entity_id: str) -> list[Mention]:
        with self._lock:
            return list(self.kb.entity_mentions(entity_id))

    def entity_documents(self, entity_id: str) -> list[tuple[str, int]]:
        with self._lock:
            return self.kb.entity_documents(entity_id)

    def changes(self) -> list[dict[str, Any]]:
        """What the last run changed."""
        with self._lock:
            return self.kb.changes()

    def report(self, actors: list[str], format: str) -> str:
        with self._lock:
            return self.kb.report(actors, format)

    def close(self) -> None:
        self.kb.close()
