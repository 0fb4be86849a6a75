"""How role values read in summaries, tables and reports (the ontology's templates use these)."""

from __future__ import annotations

from typing import Any

from ..nlp.lexicon import load
from .money import format_money


def name(value: Any) -> str:
    """How an actor is shown: a state by its name, anything else as it is; lists joined."""
    if isinstance(value, list):
        return ", ".join(name(v) for v in value)
    if isinstance(value, str) and value in load().states:
        return load().states[value].name
    return "" if value is None else str(value)


def money(value: Any) -> str:
    return format_money(value) if isinstance(value, dict) else ""


def humanize(value: Any) -> str:
    """An enumeration value as words: "free_trade" -> "free trade"."""
    return str(value).replace("_", " ")


def blank(value: Any) -> Any:
    """A missing value as an empty cell, anything else unchanged."""
    return "" if value is None else value


def year(value: Any) -> str:
    return str(value)[:4] if value else ""


def number(value: Any) -> Any:
    """A number as people write it: 63.0 is 63."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def shorten(value: Any, width: int) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 3].rstrip() + "…"


FILTERS = {
    "name": name,
    "money": money,
    "humanize": humanize,
    "blank": blank,
    "year": year,
    "shorten": shorten,
    "number": number,
}
