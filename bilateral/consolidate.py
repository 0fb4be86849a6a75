"""The corpus-level stages, resolution then fusion, run over the store in bounded memory.

Both go through the corpus a batch of documents at a time: resolution after one aggregate
query (a row per distinct name), fusion after staging every candidate with a block key and
grouping blocks that share candidates, so that it fuses one group of possibly-same events at
a time. Nothing holds every mention or candidate; the largest thing held is the largest group.
The whole consolidation is one transaction, so readers never see half of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import groupby

from . import changes, review
from .events.actors import actor_key, actor_roles
from .fusion import Components, blocks, fuse, unique
from .models import Entity, Event
from .nlp.resolve import Resolver
from .ontology import ontology
from .review import Judgement
from .store import Store

BATCH = 500  # documents per pass step


def consolidate(store: Store, batch: int = BATCH, analysed: int = 0, analyser: str = "") -> list[Judgement]:
    """Resolve entities across documents, fuse event candidates into events, apply the analysts'
    judgements and record what the run changed; returns the judgements whose event is gone."""
    with store.transaction():
        _resolve(store, batch)
        orphans = review.apply_entities(store)
        _fuse(store, batch, store.entities(with_mentions=False))
        orphans += review.apply(store, store.countries())
        changes.record(store, analysed, analyser)
        return orphans


def _resolve(store: Store, batch: int) -> list[Entity]:
    """Link every mention to its entity; returns the entities."""
    resolver = Resolver(store.mention_counts())
    store.clear_entity_documents()
    for first, last in store.document_ranges(batch):
        texts = store.texts(first, last)
        mentions = store.mentions(first, last)
        stored = [(m.type, m.entity_id) for m in mentions]
        for doc, of_doc in groupby(mentions, key=lambda m: m.doc):  # in document order
            resolver.link(list(of_doc), texts.get(doc, ""))
        store.link_mentions(
            [
                (m.entity_id, m.doc, m.start, m.end, type_)
                for m, (type_, old) in zip(mentions, stored, strict=True)
                if m.entity_id != old
            ]
        )
        store.count_entity_documents(Counter((m.entity_id, m.doc) for m in mentions if m.entity_id))
    entities = resolver.entities()
    store.put_entities(entities)
    return entities


def _fuse(store: Store, batch: int, entities: list[Entity]) -> None:
    entity_names = {e.id: e.name for e in entities if e.type in ("person", "organisation")}
    countries = {a: e.country for e in entities if e.country for a in (e.name, *e.aliases)}
    components = Components()
    seen: set[str] = set()  # event ids given so far: unique across groups
    with store.scratch():
        order = 0
        for first, last in store.document_ranges(batch):
            names = names_by_doc(store.mention_links(first, last), entity_names)
            staged = []
            for event in store.candidates(first, last):
                canonical(event, names.get(event.evidence[0].doc if event.evidence else "", {}))
                staged.append((order, components.add(blocks(event), order), event))
                order += 1
            store.stage(staged)
        store.clear_events()
        group: list[Event] = []
        current = -1
        for root, event in store.staged(components.roots()):
            if root != current and group:
                _add(store, unique(fuse(group), seen), countries)
                group = []
            current = root
            group.append(event)
        _add(store, unique(fuse(group), seen), countries)


def _add(store: Store, events: list[Event], countries: dict[str, str]) -> None:
    store.add_events(events, {e.id: actor_index(e, countries) for e in events})


def names_by_doc(
    links: Iterable[tuple[str, str, str | None]], entity_names: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Per document: the text of each mention of a named entity -> the entity's name (the last
    mention of a text wins); `links` are (doc, text, entity id) in text order."""
    out: dict[str, dict[str, str]] = {}
    for doc, text, entity_id in links:
        if entity_id in entity_names:
            out.setdefault(doc, {})[text] = entity_names[entity_id]
    return out


def canonical(event: Event, names: dict[str, str]) -> None:
    """Actor names replaced by their entity's name ("Vucic" -> "Aleksandar Vučić"); `names` maps
    the mention texts of the candidate's document."""
    for role in ontology()[event.type].roles_where(lambda t: t.names):
        value = event.args.get(role)
        if isinstance(value, list):
            event.args[role] = [names.get(v, v) if isinstance(v, str) else v for v in value]
        elif isinstance(value, str):
            event.args[role] = names.get(value, value)


def actor_index(event: Event, countries: dict[str, str]) -> list[tuple[str, str]]:
    """The event's rows in the actor index, one per actor: (first role, key) for each actor (the
    views' actor_key), and ("acts_for", state) for a state that takes part only through a person
    or body acting for it, so that the index finds what `views.involves` does."""
    pairs = actor_roles(event)
    roles: dict[str, str] = {}
    for role, v in pairs:
        roles.setdefault(actor_key(v), role)
    for _, v in pairs:
        if v in countries:
            roles.setdefault(countries[v], "acts_for")
    return [(role, key) for key, role in roles.items()]
