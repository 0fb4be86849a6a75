"""Who takes part in an event: its actor roles (from the ontology), and one key per actor.

Shared by the actor index the store keeps (written at consolidation) and the views' filters, so
that both agree on who is involved in what.
"""

from __future__ import annotations

from ..models import Event
from ..nlp.lexicon import fold, load
from ..ontology import ontology


def actor_key(value: str) -> str:
    """One comparison key for an actor given as ISO code, state name, demonym or other name."""
    iso = load().state_for(value)
    if iso:
        return iso
    if len(value) == 3 and value.isupper() and value in load().states:
        return value
    return fold(value)


def actor_roles(event: Event) -> list[tuple[str, str]]:
    """(role, actor value) pairs of an event: the roles its type's values name actors in."""
    pairs = []
    for role in ontology()[event.type].actor_roles:
        value = event.args.get(role)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                pairs.append((role, v))
    return pairs


def actors_of(event: Event) -> list[str]:
    """The actor values of an event, in role order, without repeats."""
    return list(dict.fromkeys(v for _, v in actor_roles(event)))


def involves(event: Event, actor: str, countries: dict[str, str] | None = None) -> bool:
    """Is `actor` a party to the event, itself or through a person or body acting for it?"""
    key = actor_key(actor)
    countries = countries or {}
    return any(actor_key(a) == key or countries.get(a) == key for a in actors_of(event))
