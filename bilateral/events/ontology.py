"""The event ontology and trigger lexicons, read from the data files beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

DATA = resources.files(__package__).joinpath("data")


@cache
def types() -> dict[str, dict[str, list[str]]]:
    """Event type -> {"key": identifying roles, "roles": all roles}."""
    loaded: dict[str, dict[str, list[str]]] = yaml.safe_load(DATA.joinpath("ontology.yml").read_text("utf-8"))
    return loaded


@cache
def triggers() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA.joinpath("triggers.yml").read_text("utf-8"))
    return loaded


LIST_ROLES = {"participants", "parties"}
DATE_ROLES = {"date", "ordered", "delivered", "signed", "effective", "period"}
