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
def kinds(name: str) -> list[tuple[str, list[re.Pattern[str]]]]:
    """`triggers()[name]`, a list of (kind, words), with each word a whole-word pattern compiled once
    (SPEED: not on every question)."""
    return [
        (str(kind), [re.compile(r"\b" + re.escape(w) + r"\b") for w in words])
        for kind, words in triggers()[name]
    ]
