"""Judgements on entities, applied after resolution and before fusion (so that events name the
entities as the analysts left them): two entities that are one person or body are merged; a name
that resolution joined to the wrong entity is split off into an entity of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models import Entity, stable_id
from ..nlp.lexicon import fold
from .judgement import Judgement, ReviewError

if TYPE_CHECKING:
    from ..store import Store


def merge(store: Store, keep: str, other: str, author: str = "", note: str = "") -> Judgement:
    """A judgement that two entities are one person or body (`other` becomes part of `keep`)."""
    found = {e.id: e for e in store.entities(with_mentions=False)}
    for entity_id in (keep, other):
        if entity_id not in found:
            raise ReviewError(f"no entity {entity_id!r}")
    a, b = found[keep], found[other]
    if a.id == b.id or a.type != b.type:
        raise ReviewError("merge two different entities of one type")
    return Judgement("merge_entities", key_of(a), other=key_of(b), author=author, note=note)


def split(store: Store, entity_id: str, parts: list[str], author: str = "", note: str = "") -> Judgement:
    """A judgement that some mentions of `entity_id` are someone else: those reading one of the
    names in `parts` (a spelling resolution joined wrongly) or in one of its documents (a namesake)."""
    found = {e.id: e for e in store.entities(with_mentions=False)}
    entity = found.get(entity_id)
    if entity is None:
        raise ReviewError(f"no entity {entity_id!r}")
    mentions = store.entity_mention_spans(entity.id)
    names, docs = {m[3] for m in mentions}, {m[0] for m in mentions}
    value: dict[str, list[str]] = {"names": [], "docs": []}
    for part in parts:
        if part in docs:
            value["docs"].append(part)
        elif fold(part) in {fold(n) for n in names}:
            value["names"].append(part)
        else:
            raise ReviewError(
                f"{entity.name} is neither named {part!r} nor mentioned in a document of that id;"
                f" its names: {', '.join(sorted(names))}"
            )
    moved = _moved(mentions, value)
    if not moved:
        raise ReviewError("choose the names or documents that are someone else")
    if len(moved) == len(mentions):
        raise ReviewError(f"that is every mention of {entity.name}; split off some of them")
    return Judgement("split_entity", key_of(entity), value=value, author=author, note=note)


def key_of(entity: Entity) -> dict[str, Any]:
    return {"entity": entity.id, "type": entity.type, "name": entity.name}


def check(judgement: Judgement) -> None:
    """An imported entity judgement checked as one made here is."""
    if not {"entity", "type", "name"} <= set(judgement.target):
        raise ReviewError(f"{judgement.kind}: its entity has no id, type and name")
    if judgement.kind == "merge_entities" and not isinstance(judgement.other, dict):
        raise ReviewError("an entity merge names its two entities")
    value = judgement.value
    if judgement.kind == "split_entity" and not (
        isinstance(value, dict) and all(isinstance(value.get(k), list) for k in ("names", "docs"))
    ):
        raise ReviewError("an entity split names the names and documents that are someone else")


def find(found: dict[str, Entity], key: dict[str, Any]) -> Entity | None:
    """An entity by its id (stable: from its type and name key), else by type and folded name."""
    if key["entity"] in found:
        return found[key["entity"]]
    name = fold(key["name"])
    return next((e for e in found.values() if e.type == key["type"] and fold(e.name) == name), None)


def apply(store: Store) -> list[Judgement]:
    """Apply the entity judgements, oldest first, after resolution; returns the orphans."""
    orphans = []
    for judgement in map(Judgement.from_row, store.judgements()):
        if judgement.kind not in ("merge_entities", "split_entity"):
            continue
        found = {e.id: e for e in store.entities(with_mentions=False)}
        a = find(found, judgement.target)
        if judgement.kind == "split_entity":
            if a is None or not _split(store, a, judgement.value, judgement.target["entity"]):
                orphans.append(judgement)
            continue
        b = find(found, judgement.other) if judgement.other else None
        if a is None or b is None:
            orphans.append(judgement)
        elif a.id != b.id:
            store.merge_entities(a.id, b.id, sorted({*a.aliases, *b.aliases, b.name}))
    return orphans


def _moved(
    mentions: list[tuple[str, int, int, str]], value: dict[str, list[str]]
) -> list[tuple[str, int, int, str]]:
    """The mentions (doc, start, end, text) a split moves."""
    names = {fold(n) for n in value["names"]}
    return [m for m in mentions if m[0] in value["docs"] or fold(m[3]) in names]


def _split(store: Store, entity: Entity, value: dict[str, list[str]], seed: str) -> bool:
    """Move the mentions a split names to an entity of their own (its id from the judged entity's,
    `seed`); False if none is left to move."""
    mentions = store.entity_mention_spans(entity.id)
    moved = _moved(mentions, value)
    if not moved or len(moved) == len(mentions):
        return False
    name = value["names"][0] if value["names"] else entity.name
    new = Entity(
        id=split_id(entity.type, value, seed),
        type=entity.type,
        name=name,
        subtype=entity.subtype,
        iso3=entity.iso3,
        aliases=sorted({m[3] for m in moved}),
    )
    kept = sorted({m[3] for m in mentions if m not in moved})
    store.split_entity(entity.id, new, [m[:3] for m in moved], kept)
    return True


def split_id(type_: str, value: dict[str, list[str]], seed: str) -> str:
    return stable_id("ent", type_, "split", value, seed)


def gone(entities: dict[str, Entity], judgement: Judgement, key: dict[str, Any]) -> bool:
    """Is the entity a judgement names gone? A merged one is gone when its name is not even another's
    alias any more; a split one when no entity bears the name it split off."""
    if judgement.kind == "split_entity":
        return split_id(key["type"], judgement.value, key["entity"]) not in entities
    return find(entities, key) is None and not any(key["name"] in e.aliases for e in entities.values())
