"""Value types of the ontology's roles, and what each one means for fusion and display.

A role's type (ontology/*.yml) says how reports of it merge (a list is the union of its
members; dates keep the most precise agreeing one; the rest go by support), whether sources
disagreeing on it is a conflict (numbers and money), whether it names an actor (the actor index,
filters and graph edges read those) and whether its names are rewritten to resolved entities.
Parsing lives in one module per kind of value: dates, money, numbers, names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


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


def parse_value(kind: ValueType, text: str, allowed: tuple[str, ...] = ()) -> Any:
    """A value of type `kind` from what an analyst typed; ValueError says what is wrong."""
    from ..nlp.lexicon import load
    from .dates import resolve_date
    from .money import parse_money
    from .numbers import parse_number, parse_quantity

    text = text.strip()
    if not text:
        raise ValueError("an empty value")
    states = load()
    if kind.many:
        return [parse_value(VALUE_TYPES["actor"], part) for part in re.split(r"\s*[;,]\s*", text) if part]
    if kind.name == "state":
        code = text.upper() if text.upper() in states.states else states.state_for(text)
        if code is None:
            raise ValueError(f"{text!r} is not a state (a name, demonym or ISO code)")
        return code
    if kind.name == "actor":
        return (text.upper() if text.upper() in states.states else states.state_for(text)) or text
    if kind.date:
        found = text if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else resolve_date(text)
        if found is None or resolve_date(found) != found:
            raise ValueError(f"{text!r} is not a date (2024, 2024-05 or 2024-05-07)")
        return found
    parsed: Any
    if kind.name == "money":
        parsed = parse_money(text)
    elif kind.name == "quantity":
        parsed = parse_quantity(text)
    elif kind.name == "percent":
        parsed = parse_number(text.rstrip("%"))
    elif kind.name == "enum":
        parsed = text if text in allowed else None
    else:
        return text
    if parsed is None:
        choices = f" (one of {', '.join(allowed)})" if allowed else ""
        raise ValueError(f"{text!r} is not a {kind.name}{choices}")
    return parsed
