"""Incremental consolidation: redo only what the documents added, changed or removed since the
last run touch, with the result a full consolidation would give.

Resolution. The corpus-wide votes (a name's type, surnames, the full names a word may stand
for, the organisations an acronym may abbreviate) come from counts per distinct (type, subtype,
state, key), kept between runs and updated by what the touched documents gave before and give
now. A key whose vote or table entry changed is linked again in every document that has it,
wherever that is; those documents and the touched ones are linked again, and every entity
either version of them has a part in is remade from its parts (kept per entity and document).

Fusion. A candidate whose document was linked again, or that names an entity whose name
changed, is canonicalised and blocked again; every block key it has, had or now shares pulls
in its whole connected group (`fusion.Components`), which is fused again; the events the old
groups made are replaced. Judgements: their effects are undone (the fused events they replaced
are kept aside) and all of them applied again, oldest first, as after a full run.

A full consolidation is run instead, and `consolidation_mode` in the meta table says why, when:
no earlier run kept this state; the entity merges judged changed, or one names an entity this
run remakes; an event id that a group had to suffix (two events one sentence reports with the
same identifying values, in two groups) is involved; or more documents are touched than
FULL_FROM of the corpus (new rules that change many documents' results), where a full run is cheaper.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from . import review
from .consolidate import NAMED, Member, actor_index, canonical, fuse_group, names_by_doc
from .events.actors import actor_key
from .fusion import Components, blocks
from .models import Entity, Event
from .nlp.lexicon import fold
from .nlp.resolve import Resolver, changed_keys, entity, merge

if TYPE_CHECKING:
    from .review import Judgement
    from .store import Store

FULL_FROM = 0.25  # of the documents: linked again beyond this, a full consolidation is cheaper
FULL_MIN = 200  # documents: never fall back below this for their number alone
CountKey = tuple[str, str | None, str | None, str]


# What consolidation reads besides the stored results: its code, the code and data it calls
# (resolution, fusion, review, the ontology, value comparison, actor keys) and, of the lexicons,
# the states (resolve.py, events/actors.py and values/display.py read no other part of them). Not
# the per-document stages: new rules re-analyse documents, and those whose results change are
# consolidated again like any changed document; new rules that change nothing redo nothing here.
READS = (
    "models.py",
    "consolidate.py",
    "changes.py",
    "incremental.py",
    "nlp/resolve.py",
    "nlp/lexicon.py",
    "nlp/data/states.tsv",
    "events/actors.py",
    "fusion",
    "review",
    "ontology",
    "values",
)


@cache
def fingerprint() -> str:
    """What the kept state depends on besides the documents' stored results: READS and the
    ontology folders BILATERAL_ONTOLOGY adds."""
    from .ontology import _folders

    package = Path(__file__).parent
    files: list[Path] = []
    for name in READS:
        path = package / name
        files += (
            sorted(f for f in path.rglob("*") if f.suffix in (".py", ".yml")) if path.is_dir() else [path]
        )
    digest = hashlib.sha1()
    for f in files + [p for folder in _folders()[1:] for p in sorted(folder.glob("*.yml"))]:
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


class Fallback(Exception):
    """This change is consolidated in full (the message says why)."""


def update(store: Store) -> tuple[list[Judgement], set[str]] | None:
    """Consolidate what changed since the last run; returns the orphan judgements and the ids of
    the events removed or added, or None when a full consolidation is needed (nothing written
    then that it does not write again)."""
    if not store.consolidation_ready():
        store.set_consolidation_meta("consolidation_mode", "full: no earlier run's state")
        return None
    try:
        done = _update(store)
    except Fallback as reason:
        store.set_consolidation_meta("consolidation_mode", f"full: {reason}")
        return None
    store.set_consolidation_meta("consolidation_mode", "incremental")
    store.set_consolidation_meta("consolidator", fingerprint())
    return done


def _update(store: Store) -> tuple[list[Judgement], set[str]]:
    if store.consolidation_meta("consolidator") != fingerprint():
        raise Fallback("another version of consolidation or of the ontology")
    changed, removed = store.touched_documents()
    judgements = store.judgements()
    merges = [r for r in judgements if r["kind"] in review.ENTITY_KINDS]  # merges and splits
    if " ".join(sorted(r["id"] for r in merges)) != (store.consolidation_meta("entity_judgements") or ""):
        raise Fallback("the entity merges or splits judged changed")
    limit = max(FULL_MIN, FULL_FROM * store.document_count())
    if len(changed) + len(removed) > limit:
        raise Fallback("many documents changed")
    relinked, renamed, countries = _resolve(store, changed, removed, merges, limit)
    touched = _fuse(store, relinked | set(removed), renamed, countries)
    entity_orphans = set((store.consolidation_meta("entity_orphans") or "").split())
    orphans = [review.Judgement.from_row(r) for r in merges if r["id"] in entity_orphans]
    orphans += review.apply(store, store.countries())
    made, replaced = store.judged_state()
    return orphans, touched | set(made) | {e.id for e in replaced}


def _resolve(
    store: Store, changed: list[str], removed: list[str], merges: list[dict[str, str]], limit: float
) -> tuple[set[str], set[str], tuple[dict[str, str], dict[str, str]]]:
    """Link again the documents the change touches; returns them, the entities whose name (as
    fusion reads it) changed, and the alias -> state maps before and after."""
    old_counts = store.resolution_counts()
    new_counts = Counter(old_counts)
    before = store.consolidated_keys([*changed, *removed])
    now = store.key_counts(changed)
    for by_doc, sign in ((before, -1), (now, 1)):
        for found in by_doc.values():
            for t, s, i, k, n in found:
                new_counts[(t, s, i, k)] += sign * n
    deltas = {k: n for k, n in new_counts.items() if old_counts.get(k, 0) != n}
    new_counts = Counter({k: n for k, n in new_counts.items() if n > 0})
    old_res, new_res = Resolver(_rows(old_counts)), Resolver(_rows(new_counts))
    keys = changed_keys(old_res, new_res, {k[3] for k in old_counts} | {k[3] for k in new_counts})
    docs = set(changed) | set(removed) | store.docs_with_keys(keys)
    if len(docs) > limit:
        raise Fallback("a change of votes touches many documents")
    present = sorted(docs - set(removed))
    old_ids = store.parts_in(docs)
    mentions = store.mentions_of(present)
    texts = store.texts_of(present)
    stored = [(m.type, m.entity_id) for m in mentions]
    rows: list[tuple[str, str, str]] = []
    counted = Counter[tuple[str, str]]()
    for doc, of_doc in groupby(mentions, key=lambda m: m.doc):
        for entity_id, part in new_res.link(list(of_doc), texts.get(doc, "")).items():
            rows.append((entity_id, doc, part.dump()))
            counted[(entity_id, doc)] = part.mentions
    remade = old_ids | {r[0] for r in rows}
    store.drop_parts(docs)
    store.put_parts(rows)
    old = {e.id: e for e in store.entities_by_id(remade)}
    new = {}
    for entity_id, parts in store.parts(remade):
        whole = merge(parts)
        if whole is not None:
            new[entity_id] = entity(whole)
    _check_merges(merges, remade, [*old.values(), *new.values()])
    store.link_mentions(
        [
            (m.entity_id, m.doc, m.start, m.end, type_)
            for m, (type_, was) in zip(mentions, stored, strict=True)
            if m.entity_id != was
        ]
    )
    store.count_entity_documents(counted)
    countries_before = store.countries()
    store.replace_entities(remade, sorted(new.values(), key=lambda e: e.id))
    store.put_consolidated(changed, now)
    store.drop_consolidated(removed)
    store.put_resolution_counts(deltas)
    renamed = {i for i in remade if _fused_name(old.get(i)) != _fused_name(new.get(i))}
    return docs, renamed, (countries_before, store.countries())


def _rows(counts: dict[CountKey, int]) -> list[tuple[str, str | None, str | None, str, int]]:
    return [(*k, n) for k, n in counts.items()]


def _fused_name(e: Entity | None) -> str | None:
    """What fusion writes for a mention of the entity: the name of a person or organisation."""
    return e.name if e is not None and e.type in NAMED else None


def _check_merges(merges: list[dict[str, str]], remade: set[str], entities: list[Entity]) -> None:
    """An entity merge an analyst judged that names an entity this run remakes, by id or by name
    (which finds it when its id is gone), is applied again with all of them: in full."""
    names = {(e.type, fold(e.name)) for e in entities}
    for row in merges:
        for key in (json.loads(row["target"]), json.loads(row["other"] or "{}")):
            if key.get("entity") in remade or (key.get("type"), fold(str(key.get("name", "")))) in names:
                raise Fallback("an entity merge or split judged names an entity the change touches")


def _fuse(
    store: Store, relinked: set[str], renamed: set[str], countries: tuple[dict[str, str], dict[str, str]]
) -> set[str]:
    """Fuse again every group a touched candidate is, was or now shares a block with; returns the
    ids of the events removed and added (judgements' effects undone first)."""
    before, after = countries
    touched: set[str] = set()
    made, replaced = store.judged_state()
    store.delete_events(made)
    store.add_events(replaced, {e.id: actor_index(e, after) for e in replaced})
    store.clear_judged()
    touched |= set(made) | {e.id for e in replaced}
    # A person or body now acting for another state: the actor index of the events naming them.
    moved = {a for a in before.keys() | after.keys() if before.get(a) != after.get(a)}
    if moved:
        naming = store.events_by_id(store.events_naming({actor_key(a) for a in moved}))
        store.replace_actors({e.id: actor_index(e, after) for e in naming}, {e.id: e for e in naming})
    docs = relinked | store.docs_of_entities(renamed)
    old_rows = store.block_rows("doc", docs)
    store.drop_blocks(docs)
    fresh = _canonical(store, store.candidate_rows(docs))
    store.put_blocks([(d, s, k, "") for d, s, e in fresh for k in _keys(d, s, e)])
    keys = {r[2] for r in old_rows} | {k for d, s, e in fresh for k in _keys(d, s, e)}
    members, gone = _closure(store, keys)
    gone |= {r[3] for r in old_rows}
    gone.discard("")
    if store.suffixed_among(gone):
        raise Fallback("an event id a group had to suffix is involved")
    store.delete_events(gone)
    candidates = _canonical(store, _candidates(store, members))
    components = Components()
    roots = [components.add(blocks(e), order) for order, (_, _, e) in enumerate(candidates)]
    number = components.roots()
    groups: dict[int, list[Member]] = {}
    for root, member in zip(roots, candidates, strict=True):
        groups.setdefault(number[root], []).append(member)
    seen: set[str] = set()
    suffixed: list[tuple[str, str]] = []
    events: list[Event] = []
    links: list[tuple[str, str, int]] = []
    for group_number in sorted(groups):
        fused, rows = fuse_group(groups[group_number], seen, suffixed)
        events += fused
        links += sorted({(event_id, d, s) for d, s, _, event_id in rows})
    if store.existing_events({e.id for e in events} | {base for _, base in suffixed}):
        raise Fallback("an event id a group had to suffix is involved")
    store.add_events(events, {e.id: actor_index(e, after) for e in events})
    store.set_block_events(links)
    store.put_suffixed(suffixed)
    return touched | gone | {e.id for e in events}


def _keys(doc: str, seq: int, event: Event) -> list[str]:
    from .consolidate import block_keys

    return block_keys(doc, seq, event)


def _canonical(store: Store, candidates: list[Member]) -> list[Member]:
    """Candidates with actor names as their entities' names (as a full run writes them)."""
    links = store.actor_links_of({d for d, _, _ in candidates})
    names = names_by_doc([(d, t, i) for d, t, i, _ in links], {i: n for _, _, i, n in links})
    for _, _, event in candidates:
        canonical(event, names.get(event.evidence[0].doc if event.evidence else "", {}))
    return candidates


def _closure(store: Store, keys: set[str]) -> tuple[set[tuple[str, int]], set[str]]:
    """The candidates connected to `keys` through shared block keys, and the events the last run
    made of them."""
    members: set[tuple[str, int]] = set()
    events: set[str] = set()
    seen, frontier = set(keys), set(keys)
    while frontier:
        found = {(d, s) for d, s, _, _ in store.block_rows("block", frontier)} - members
        members |= found
        frontier = set()
        for d, s, key, event_id in store.block_rows("doc", {d for d, _ in found}):
            if (d, s) in found:
                events.add(event_id)
                if key not in seen:
                    seen.add(key)
                    frontier.add(key)
    return members, events


def _candidates(store: Store, members: set[tuple[str, int]]) -> list[Member]:
    """The candidates `members` names, in corpus order (the database's order of document ids)."""
    order = store.document_order() if members else {}
    found = [c for c in store.candidate_rows({d for d, _ in members}) if (c[0], c[1]) in members]
    return sorted(found, key=lambda c: (order[c[0]], c[1]))
