"""Judgements on events: made (checked against the stored event and the ontology), found again
after a consolidation by their stable key, and applied.

A judgement names its event by a stable key, not by the event's id (which changes when a new
report becomes its first evidence): the type, the identifying values and the evidence spans. After
a consolidation it finds its event again by an evidence span the event still cites, else by the
type and identifying values; one that finds none is an orphan, reported and kept, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..fusion import _merge
from ..models import Event
from ..ontology import Role, UnknownType, ontology
from ..values import parse_value
from .judgement import EVENT_KINDS, Judgement, ReviewError
from .split import sources, split

if TYPE_CHECKING:
    from ..store import Store


def target_of(event: Event) -> dict[str, Any]:
    """An event's stable key: type, identifying values and evidence spans."""
    type_ = ontology()[event.type]
    return {
        "type": event.type,
        "identity": {r: event.args.get(r) for r in type_.identity},
        "evidence": [f"{s.doc}:{s.start}-{s.end}" for s in event.evidence],
    }


def check_event(judgement: Judgement) -> None:
    """A judgement from elsewhere (`judgements import`) checked as one made here is."""
    target = judgement.target
    type_ = ontology()[str(target["type"])]
    if not isinstance(target.get("identity"), dict) or not isinstance(target.get("evidence"), list):
        raise ReviewError(f"{judgement.kind}: its event has no identity and evidence")
    if judgement.kind == "merge" and not isinstance(judgement.other, dict):
        raise ReviewError("a merge names its second event")
    if judgement.kind == "split" and not (
        isinstance(judgement.value, list)
        and set(judgement.value) < set(target["evidence"])
        and judgement.value
    ):
        raise ReviewError("a split names some of its event's evidence spans, not all")
    if judgement.kind == "set":
        role = type_.roles.get(str(judgement.role))
        if role is None:
            raise ReviewError(f"{type_.name} has no role {judgement.role!r}")
        if not _valid(role, judgement.value):
            raise ReviewError(f"{role.name}: {judgement.value!r} is not a {role.type.name}")


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


def make(
    store: Store,
    kind: str,
    event_id: str,
    role: str | None = None,
    value: str | Sequence[str] | None = None,
    other_id: str | None = None,
    author: str = "",
    note: str = "",
) -> Judgement:
    """A judgement on stored events, checked: the event exists, the role is its type's, the value
    is of the role's value type, a split leaves reports on both sides. Nothing is written here."""
    if kind not in EVENT_KINDS:
        raise ReviewError(f"unknown judgement {kind!r}; choose from {', '.join(EVENT_KINDS)}")
    event = _stored(store, event_id)
    parsed: Any = None
    if kind == "set":
        type_ = ontology()[event.type]
        if role not in type_.roles:
            raise ReviewError(f"{event.type} has no role {role!r}; its roles are {', '.join(type_.roles)}")
        try:
            parsed = parse_value(type_.roles[role].type, str(value or ""), type_.roles[role].values)
        except ValueError as exc:
            raise ReviewError(f"{role}: {exc}") from None
    if kind == "split":
        parsed = sources(event, [value] if isinstance(value, str) else list(value or []))
        if split(store, event, parsed) is None:
            raise ReviewError("the reports citing those spans are all the event has: nothing would be left")
    other = None
    if kind == "merge":
        second = _stored(store, other_id or "")
        if second.type != event.type or second.id == event.id:
            raise ReviewError("merge two different events of one type")
        other = target_of(second)
    if kind == "note" and not note:
        raise ReviewError("a note needs its text")
    return Judgement(kind, target_of(event), role, parsed, other, author, note=note)


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
    from ..consolidate import actor_index

    orphans = []
    for judgement in map(Judgement.from_row, store.judgements()):
        if judgement.kind not in EVENT_KINDS:
            continue
        event = find(store, judgement.target)
        other = find(store, judgement.other) if judgement.other else None
        if event is None or (judgement.kind == "merge" and other is None):
            orphans.append(judgement)
            continue
        if judgement.kind == "split":
            parts = split(store, event, judgement.value)
            if parts is None:  # the reports it moved out are no longer this event's
                orphans.append(judgement)
                continue
            store.replace_events([event.id], parts, {e.id: actor_index(e, countries) for e in parts})
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
