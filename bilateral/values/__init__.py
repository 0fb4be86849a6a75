"""Value types of the ontology's roles, and what each one means for fusion and display.

A role's type (ontology/*.yml) says how reports of it merge (a list is the union of its
members; dates keep the most precise agreeing one; the rest go by support), whether sources
disagreeing on it is a conflict (numbers and money), whether it names an actor (the actor index,
filters and graph edges read those) and whether its names are rewritten to resolved entities.
Parsing lives in one module per kind of value: dates, money, numbers, names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValueType:
    name: str
    many: bool = False  # a list of values (participants, parties)
    actor: bool = False  # its values are actors: states by ISO code, others by name
    names: bool = False  # names rewritten to their resolved entity's name at consolidation
    date: bool = False  # an ISO 8601 prefix
    conflicts: bool = False  # sources giving different values is a conflict worth showing
    description: str = ""


VALUE_TYPES = {
    t.name: t
    for t in (
        ValueType("state", actor=True, description="a state as its ISO 3166-1 alpha-3 code"),
        ValueType("actor", actor=True, names=True, description="a state's code or a person's or body's name"),
        ValueType("actors", many=True, actor=True, names=True, description="a list of actors"),
        ValueType("designation", description="a weapon system's designation as written"),
        ValueType("date", date=True, description="an ISO 8601 prefix: 2022, 2022-04, 2022-04-07"),
        ValueType("money", conflicts=True, description='{"amount": number, "currency": ISO 4217 code}'),
        ValueType("quantity", conflicts=True, description="an integer"),
        ValueType("percent", conflicts=True, description="a number (63 for 63%)"),
        ValueType("text", description="free text"),
        ValueType("enum", description="one of the values the role lists"),
    )
}
