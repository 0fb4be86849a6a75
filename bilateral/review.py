"""Analysts' judgements on events: kept apart from what extraction rebuilds, re-applied after every
consolidation, so that re-runs, new articles and a new extractor never lose a correction.

A judgement names its event by a stable key, not by the event's id (which changes when a new
report becomes its first evidence): the type, the identifying values and the evidence spans. After
a consolidation it finds its event again by an evidence span the event still cites, else by the
type and identifying values; one that finds none is an orphan, reported and kept, never dropped.

Kinds: `accept` and `reject` an event; `set` a role to a value (checked against the role's value
type; the extracted value is kept beside it); `merge` two events that are one; `note`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .fusion import _merge
from .models import Entity, Event, stable_id
from .nlp.lexicon import fold
from .ontology import Role, UnknownType, ontology
from .values import parse_value

if TYPE_CHECKING:
    from .store import Store

EVENT_KINDS = ("accept", "reject", "set", "merge", "note")
KINDS = (*EVENT_KINDS, "merge_entities")


class ReviewError(ValueError):
    """A judgement that cannot be made: unknown event, role or kind, or a value of the wrong type."""


def target_of(event: Event) -> dict[str, Any]:
    """An event's stable key: type, identifying values and evidence spans."""
    type_ = ontology()[event.type]
    return {
        "type": event.type,
        "identity": {r: event.args.get(r) for r in type_.identity},
        "evidence": [f"{s.doc}:{s.start}-{s.end}" for s in event.evidence],
    }


@dataclass
class Judgement:
    kind: str
    target: dict[str, Any]
    role: str | None = None
    value: Any = None
    other: dict[str, Any] | None = None  # merge: the second event
    author: str = ""
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="microseconds"))
    note: str = ""

    @property
    def id(self) -> str:
        """One judgement, made at one time: imported twice it is one row; made again later (accept,
        reject, accept) it is another, applied after the first."""
        return stable_id("jdg", self.kind, self.target, self.role, self.value, self.other, self.note, self.at)

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "target": _dump(self.target),
            "role": self.role,
            "value": _dump(self.value),
            "other": _dump(self.other),
            "author": self.author,
            "at": self.at,
            "note": self.note,
        }

    def as_dict(self) -> dict[str, Any]:
        """The exchange format (`bilateral judgements export`, one JSON object a line)."""
        return {"id": self.id, **self.__dict__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Judgement:
        if data.get("kind") not in KINDS or not isinstance(data.get("target"), dict):
            raise ReviewError(f"not a judgement: {json.dumps(data, ensure_ascii=False)[:80]}")
        fields = ("kind", "target", "role", "value", "other", "author", "at", "note")
        return cls(**{k: data[k] for k in fields if k in data})

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Judgement:
        return cls(
            kind=row["kind"],
            target=json.loads(row["target"]),
            role=row.get("role"),
            value=_load(row.get("value")),
            other=_load(row.get("other")),
            author=row.get("author") or "",
            at=row.get("at") or "",
            note=row.get("note") or "",
        )


def check(judgement: Judgement) -> Judgement:
    """A judgement from elsewhere (`judgements import`), checked as one made here is: its type and
    role exist, and a corrected value is of the role's value type."""
    target = judgement.target
    type_ = ontology()[str(target["type"])]
    if judgement.kind == "merge_entities":
        if not isinstance(judgement.other, dict) or not {"entity", "type", "name"} <= set(target):
            raise ReviewError("an entity merge names its two entities")
        return judgement
    if not isinstance(target.get("identity"), dict) or not isinstance(target.get("evidence"), list):
        raise ReviewError(f"{judgement.kind}: its event has no identity and evidence")
    if judgement.kind == "merge" and not isinstance(judgement.other, dict):
        raise ReviewError("a merge names its second event")
    if judgement.kind == "set":
        role = type_.roles.get(str(judgement.role))
        if role is None:
            raise ReviewError(f"{type_.name} has no role {judgement.role!r}")
        if not _valid(role, judgement.value):
            raise ReviewError(f"{role.name}: {judgement.value!r} is not a {role.type.name}")
    return judgement


def _valid(role: Role, value: Any) -> bool:
    """Is `value` what correcting `role` would store (as `make` parses an analyst's text)?"""
    kind = role.type
    if kind.name == "money":
        return (
            isinstance(value, dict)
            and isinstance(value.get("amount"), int | float)
            and str(value.get("currency", "")).isupper()
        )
    if kind.name in ("quantity", "percent"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind.many:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    try:
        return isinstance(value, str) and parse_value(kind, value, role.values) == value
    except ValueError:
        return False


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def make(
    store: Store,
    kind: str,
    event_id: str,
    role: str | None = None,
    value: str | None = None,
    other_id: str | None = None,
    author: str = "",
    note: str = "",
) -> Judgement:
    """A judgement on stored events, checked: the event exists, the role is its type's, the value
    is of the role's value type. Nothing is written here."""
    if kind not in EVENT_KINDS:
        raise ReviewError(f"unknown judgement {kind!r}; choose from {', '.join(EVENT_KINDS)}")
    event = _stored(store, event_id)
    parsed: Any = None
    if kind == "set":
        type_ = ontology()[event.type]
        if role not in type_.roles:
            raise ReviewError(f"{event.type} has no role {role!r}; its roles are {', '.join(type_.roles)}")
        try:
            parsed = parse_value(type_.roles[role].type, value or "", type_.roles[role].values)
        except ValueError as exc:
            raise ReviewError(f"{role}: {exc}") from None
    other = None
    if kind == "merge":
        second = _stored(store, other_id or "")
        if second.type != event.type or second.id == event.id:
            raise ReviewError("merge two different events of one type")
        other = target_of(second)
    if kind == "note" and not note:
        raise ReviewError("a note needs its text")
    return Judgement(kind, target_of(event), role, parsed, other, author, note=note)


def merge_entities(store: Store, keep: str, other: str, author: str = "", note: str = "") -> Judgement:
    """A judgement that two entities are one person or body (`other` becomes part of `keep`)."""
    found = {e.id: e for e in store.entities(with_mentions=False)}
    for entity_id in (keep, other):
        if entity_id not in found:
            raise ReviewError(f"no entity {entity_id!r}")
    a, b = found[keep], found[other]
    if a.id == b.id or a.type != b.type:
        raise ReviewError("merge two different entities of one type")
    return Judgement("merge_entities", _entity_key(a), other=_entity_key(b), author=author, note=note)


def _entity_key(entity: Entity) -> dict[str, Any]:
    return {"entity": entity.id, "type": entity.type, "name": entity.name}


def _find_entity(found: dict[str, Entity], key: dict[str, Any]) -> Entity | None:
    """An entity by its id (stable: from its type and name key), else by type and folded name."""
    if key["entity"] in found:
        return found[key["entity"]]
    name = fold(key["name"])
    return next((e for e in found.values() if e.type == key["type"] and fold(e.name) == name), None)


def apply_entities(store: Store) -> list[Judgement]:
    """Apply the entity judgements, oldest first, after resolution; returns the orphans."""
    orphans = []
    for judgement in map(Judgement.from_row, store.judgements()):
        if judgement.kind != "merge_entities" or judgement.other is None:
            continue
        found = {e.id: e for e in store.entities(with_mentions=False)}
        a, b = _find_entity(found, judgement.target), _find_entity(found, judgement.other)
        if a is None or b is None:
            orphans.append(judgement)
        elif a.id != b.id:
            store.merge_entities(a.id, b.id, sorted({*a.aliases, *b.aliases, b.name}))
    return orphans


def _stored(store: Store, event_id: str) -> Event:
    event = store.event(event_id)
    if event is None:
        raise ReviewError(f"no event {event_id!r}")
    return event


def find(store: Store, target: dict[str, Any]) -> Event | None:
    """The stored event a key names: of its type, citing one of its spans with the same
    identifying values; else the one event with those values; else the one citing its spans
    (an extractor that now reads a value differently). None when that is not one event."""
    identity = target.get("identity", {})
    cited: dict[str, Event] = {}
    for span in target.get("evidence", []):
        doc, _, offsets = span.rpartition(":")
        start, _, end = offsets.partition("-")
        for event_id in store.events_citing(doc, int(start), int(end)):
            event = store.event(event_id)
            if event is not None and event.type == target["type"]:
                cited[event.id] = event

    def same(e: Event) -> bool:
        return all(e.args.get(r) == v for r, v in identity.items())

    if found := [e for e in cited.values() if same(e)]:
        return found[0]
    try:
        alike = [e for e in store.events(target["type"]) if same(e)]
    except UnknownType:
        return None
    if len(alike) == 1:
        return alike[0]
    return next(iter(cited.values())) if len(cited) == 1 else None


def apply(store: Store, countries: dict[str, str]) -> list[Judgement]:
    """Apply every stored judgement, oldest first, to the stored events; returns the orphans."""
    from .consolidate import actor_index

    orphans = []
    for judgement in map(Judgement.from_row, store.judgements()):
        if judgement.kind not in EVENT_KINDS:
            continue
        event = find(store, judgement.target)
        other = find(store, judgement.other) if judgement.other else None
        if event is None or (judgement.kind == "merge" and other is None):
            orphans.append(judgement)
            continue
        changed = _judge(event, other, judgement)
        if changed is not None:
            removed = [event.id] + ([other.id] if other is not None and other.id != event.id else [])
            store.replace_events(removed, [changed], {changed.id: actor_index(changed, countries)})
    return orphans


def _judge(event: Event, other: Event | None, judgement: Judgement) -> Event | None:
    """The event as the judgement makes it; None if it is that already."""
    kind = judgement.kind
    if kind in ("accept", "reject"):
        verdict = "accepted" if kind == "accept" else "rejected"
        if event.review == verdict:
            return None
        event.review = verdict
    elif kind == "set" and judgement.role:
        if event.args.get(judgement.role) == judgement.value:
            return None
        event.corrections.setdefault(judgement.role, event.args.get(judgement.role))
        event.args[judgement.role] = judgement.value
        event.date = ontology()[event.type].date(event.args)
        if judgement.note and judgement.note not in event.notes:
            event.notes.append(judgement.note)
    elif kind == "merge" and other is not None:
        if other.id == event.id:
            return None
        merged = _merge([event, other])
        merged.review = event.review or other.review
        merged.corrections = {**other.corrections, **event.corrections}
        merged.notes = event.notes + [n for n in other.notes if n not in event.notes]
        return merged
    elif kind == "note":
        if judgement.note in event.notes:
            return None
        event.notes.append(judgement.note)
    return event


def orphans(store: Store) -> list[Judgement]:
    """Judgements whose event or entity no longer exists in the knowledge base."""
    entities = {e.id: e for e in store.entities(with_mentions=False)}

    def gone(j: Judgement, key: dict[str, Any] | None) -> bool:
        if key is None:
            return False
        if j.kind == "merge_entities":
            # merged away: the entity it names is gone, its name now an alias of the other
            return _find_entity(entities, key) is None and not any(
                key["name"] in e.aliases for e in entities.values()
            )
        return find(store, key) is None

    return [j for j in map(Judgement.from_row, store.judgements()) if gone(j, j.target) or gone(j, j.other)]


def rows(judgements: Iterable[Judgement]) -> list[dict[str, Any]]:
    """Judgements as table rows (the CLI's list, JSON-lines export)."""
    return [j.row() for j in judgements]
