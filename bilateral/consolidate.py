"""The corpus-level stages, resolution then fusion, run over the store in bounded memory.

Both go through the corpus a batch of documents at a time: resolution after one aggregate
query (a row per distinct name), fusion after staging every candidate with a block key and
grouping blocks that share candidates, so that it fuses one group of possibly-same events at
a time. Nothing holds every mention or candidate; the largest thing held is the largest group.
The whole consolidation is one transaction, so readers never see half of it.

A full consolidation also keeps what the next one needs to redo only what new, changed or
removed documents touch (`bilateral.incremental`), which is the default once it exists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import groupby

from . import changes, review
from .events.actors import actor_key, actor_roles
from .fusion import Components, blocks, fuse_members, unique
from .models import Entity, Event, Mention
from .nlp.resolve import Part, Resolver, entity
from .ontology import ontology
from .review import Judgement
from .store import Store

BATCH = 500  # documents per pass step
NAMED = ("person", "organisation")  # the entity types whose names events carry
Member = tuple[str, int, Event]  # a candidate: its document, its place in it, itself


def consolidate(
    store: Store, batch: int = BATCH, analysed: int = 0, analyser: str = "", full: bool = False
) -> list[Judgement]:
    """Resolve entities across documents, fuse event candidates into events, apply the analysts'
    judgements and record what the run changed; returns the judgements whose target is gone.

    Incremental unless `full` (or no earlier run kept its state): only the entities and fusion
    groups the documents added, changed or removed since the last run touch are redone, with
    the same result as a full consolidation."""
    from . import incremental

    with store.transaction():
        if full:
            store.set_consolidation_meta("consolidation_mode", "full: requested")
        done = None if full else incremental.update(store)
        if done is None:
            orphans, touched = full_consolidation(store, batch), None
        else:
            orphans, touched = done
        changes.record(store, analysed, analyser, touched)
        return orphans


def full_consolidation(store: Store, batch: int = BATCH) -> list[Judgement]:
    """Resolve and fuse the whole corpus, and keep the state the next run starts from."""
    from .incremental import fingerprint

    store.clear_consolidation_state()
    store.clear_events()
    _resolve(store, batch)
    orphans = entity_judgements(store)
    _fuse(store, batch, store.entities(with_mentions=False))
    orphans += review.apply(store, store.countries())
    store.set_consolidation_meta("consolidated", "1")
    store.set_consolidation_meta("consolidator", fingerprint())
    return orphans


def entity_judgements(store: Store) -> list[Judgement]:
    """Apply the entity merges; remember which were applied and which found no entity (an
    incremental run that touches none of their entities reports the same)."""
    orphans = review.apply_entities(store)
    merges = sorted(r["id"] for r in store.judgements() if r["kind"] in review.ENTITY_KINDS)
    store.set_consolidation_meta("entity_judgements", " ".join(merges))
    store.set_consolidation_meta("entity_orphans", " ".join(j.id for j in orphans))
    return orphans


def key_counts(mentions: Iterable[Mention]) -> list[tuple[str, str | None, str | None, str, int]]:
    """(type, subtype, iso3, key, number) of mentions as stored (before resolution changes them)."""
    counted = Counter((m.type, m.subtype, m.iso3, m.key) for m in mentions)
    return [(*k, n) for k, n in sorted(counted.items(), key=lambda kv: (kv[0][0], kv[0][3]))]


def _resolve(store: Store, batch: int) -> None:
    """Link every mention to its entity, keep each document's parts of the entities."""
    counts = store.mention_counts()
    resolver = Resolver(counts)
    store.clear_entity_documents()
    wholes: dict[str, Part] = {}
    for first, last in store.document_ranges(batch):
        texts = store.texts(first, last)
        mentions = store.mentions(first, last)
        stored = [(m.type, m.entity_id) for m in mentions]
        keys, rows = {}, []
        for doc, of_doc in groupby(mentions, key=lambda m: m.doc):  # in document order
            found = list(of_doc)
            keys[doc] = key_counts(found)
            for entity_id, part in resolver.link(found, texts.get(doc, "")).items():
                rows.append((entity_id, doc, part.dump()))
                if entity_id in wholes:
                    wholes[entity_id].add(part)
                else:
                    wholes[entity_id] = Part(part.type, part.key, iso3=part.iso3)
                    wholes[entity_id].add(part)
        store.link_mentions(
            [
                (m.entity_id, m.doc, m.start, m.end, type_)
                for m, (type_, old) in zip(mentions, stored, strict=True)
                if m.entity_id != old
            ]
        )
        store.count_entity_documents(Counter((m.entity_id, m.doc) for m in mentions if m.entity_id))
        store.put_parts(rows)
        store.put_consolidated(texts, keys)
    store.put_entities([entity(w) for w in sorted(wholes.values(), key=lambda w: (w.type, w.key))])
    store.put_resolution_counts({(t, s, i, k): n for t, s, i, k, n in counts})


def fused_names(entities: Iterable[Entity]) -> dict[str, str]:
    """Entity id -> the name fusion writes for its mentions: people's and organisations' names."""
    return {e.id: e.name for e in entities if e.type in NAMED}


def _fuse(store: Store, batch: int, entities: list[Entity]) -> None:
    entity_names = fused_names(entities)
    countries = {a: e.country for e in entities if e.country for a in (e.name, *e.aliases)}
    components = Components()
    seen: set[str] = set()  # event ids given so far: unique across groups
    suffixed: list[tuple[str, str]] = []
    with store.scratch():
        order = 0
        for first, last in store.document_ranges(batch):
            names = names_by_doc(store.mention_links(first, last), entity_names)
            staged = []
            for doc, seq, event in store.candidate_range(first, last):
                canonical(event, names.get(event.evidence[0].doc if event.evidence else "", {}))
                staged.append((order, components.add(blocks(event), order), doc, seq, event))
                order += 1
            store.stage(staged)
        group: list[Member] = []
        current = -1
        for root, doc, seq, event in store.staged(components.roots()):
            if root != current and group:
                add_group(store, group, seen, suffixed, countries)
                group = []
            current = root
            group.append((doc, seq, event))
        add_group(store, group, seen, suffixed, countries)
    store.put_suffixed(suffixed)


def block_keys(doc: str, seq: int, event: Event) -> list[str]:
    """A candidate's block keys as kept between runs; one of its own when it has none."""
    return sorted(blocks(event)) or [f"#{doc}#{seq}"]


def add_group(
    store: Store,
    group: list[Member],
    seen: set[str],
    suffixed: list[tuple[str, str]],
    countries: dict[str, str],
) -> None:
    """Fuse one group of candidates and store its events and which event each candidate went into."""
    events, rows = fuse_group(group, seen, suffixed)
    store.add_events(events, {e.id: actor_index(e, countries) for e in events})
    store.put_blocks(rows)


def fuse_group(
    group: list[Member], seen: set[str], suffixed: list[tuple[str, str]]
) -> tuple[list[Event], list[tuple[str, int, str, str]]]:
    """One group's events, with ids unique across groups (`seen`; an id that took a suffix is
    added to `suffixed` with the one it would have had), and each candidate's (doc, seq, block
    key, event id) rows."""
    fused = fuse_members([event for _, _, event in group])
    events = [event for event, _ in fused]
    bases = [e.id for e in events]
    unique(events, seen)
    suffixed += [(e.id, base) for e, base in zip(events, bases, strict=True) if e.id != base]
    rows = [
        (doc, seq, key, event.id)
        for event, members in fused
        for doc, seq, candidate in (group[i] for i in members)
        for key in block_keys(doc, seq, candidate)
    ]
    return events, rows


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
