"""The trigger lexicons, read from the data file beside this module."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

DATA = resources.files(__package__).joinpath("data")


@cache
def triggers() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA.joinpath("triggers.yml").read_text("utf-8"))
    return loaded


@cache
def kinds(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """`triggers()[name]`, a list of (kind, words), with a kind's words one pattern of whole-word
    alternatives, compiled once (SPEED: not on every question, nor one search per word). It finds
    a match exactly where one of the words would; a kind without words matches nothing."""
    return [
        (
            str(kind),
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b" if words else r"(?!)"),
        )
        for kind, words in triggers()[name]
    ]
