"""Analysts' judgements: kept apart from what extraction rebuilds, re-applied after every
consolidation, so that re-runs, new articles and a new extractor never lose a correction.

Kinds on events (`events`): `accept` and `reject`; `set` a role to a value (checked against the
role's value type; the extracted value is kept beside it); `merge` two events that are one;
`split` an event that is two (by its evidence); `note`. On entities (`entities`, applied after
resolution, before fusion): `merge_entities` two that are one, `split_entity` a name that is
someone else. Every kind names its target by a stable key; one whose target is gone is an
orphan, kept and reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import entities
from .entities import apply as apply_entities
from .events import apply, check_event, find, make, target_of
from .judgement import ENTITY_KINDS, EVENT_KINDS, KINDS, Judgement, ReviewError

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "ENTITY_KINDS",
    "EVENT_KINDS",
    "KINDS",
    "Judgement",
    "ReviewError",
    "apply",
    "apply_entities",
    "check",
    "entities",
    "find",
    "make",
    "orphans",
    "rows",
    "target_of",
]


def check(judgement: Judgement) -> Judgement:
    """A judgement from elsewhere (`judgements import`), checked as one made here is: its type and
    role exist, a corrected value is of the role's value type, a merge names two."""
    if judgement.kind in ENTITY_KINDS:
        entities.check(judgement)
    else:
        check_event(judgement)
    return judgement


def orphans(store: Store) -> list[Judgement]:
    """Judgements whose event or entity no longer exists in the knowledge base."""
    found = {e.id: e for e in store.entities(with_mentions=False)}

    def gone(j: Judgement, key: dict[str, Any] | None) -> bool:
        if key is None:
            return False
        if j.kind in ENTITY_KINDS:
            return entities.gone(found, j, key)
        if j.kind == "split" and key is j.target:  # in effect: what moved out is another event
            kept = find(store, {**key, "evidence": [s for s in key["evidence"] if s not in j.value]})
            moved = find(store, {**key, "evidence": j.value})
            return kept is None or moved is None or kept.id == moved.id
        return find(store, key) is None

    return [j for j in map(Judgement.from_row, store.judgements()) if gone(j, j.target) or gone(j, j.other)]


def rows(judgements: Iterable[Judgement]) -> list[dict[str, Any]]:
    """Judgements as table rows (the CLI's list, JSON-lines export)."""
    return [j.row() for j in judgements]
