"""The trigger lexicons, read from the data file beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

DATA = resources.files(__package__).joinpath("data")


@cache
def triggers() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA.joinpath("triggers.yml").read_text("utf-8"))
    return loaded
