"""General domain knowledge loaded from the data files beside this module."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml
from unidecode import unidecode

from ..values.scripts import latin

DATA = resources.files(__package__).joinpath("data")


@dataclass(frozen=True)
class State:
    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    name: str
    aliases: tuple[str, ...]
    subtype: str
    country: str | None = None


@dataclass
class Lexicon:
    states: dict[str, State]
    organisations: list[Organisation]
    titles: list[str]
    designation: list[re.Pattern[str]]
    not_designation: set[str]
    families: list[str]
    categories: list[str]
    regions: list[str] = field(default_factory=list)  # places named after a state, not the state
    state_names: dict[str, str] = field(default_factory=dict)  # folded name/alias/demonym -> iso3
    family_first: frozenset[str] = frozenset()  # family names written first ("Wang Yi")

    def state_for(self, text: str) -> str | None:
        """The ISO code of a state named, aliased or referred to by demonym in `text`."""
        return self.state_names.get(fold(text))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A comparison key: ASCII, lower case, single spaces, no leading article or possessive;
    Cyrillic is transliterated by its language's standard first (Вучић, Vučić: "vucic")."""
    text = unidecode(latin(text)).lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^a-z0-9/]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _yaml(name: str) -> Any:
    """A data file read by libyaml's loader (SPEED: the same data as `yaml.safe_load`, 15x faster)."""
    return yaml.load(DATA.joinpath(name).read_text("utf-8"), Loader=yaml.CSafeLoader)


def _lines(name: str) -> list[str]:
    """A list file's entries: one per line, without blank lines and # comments."""
    lines = DATA.joinpath(name).read_text("utf-8").splitlines()
    return [t.strip() for t in lines if t.strip() and not t.startswith("#")]


@cache
def load() -> Lexicon:
    rows = [
        line
        for line in DATA.joinpath("states.tsv").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    states = {}
    for row in csv.DictReader(rows, delimiter="\t"):
        states[row["iso3"]] = State(
            row["iso3"],
            row["iso2"],
            row["name"],
            _split(row["aliases"]),
            _split(row["demonyms"]),
            _split(row["capital"]),
        )
    orgs = [
        Organisation(
            o["name"], tuple(o.get("aliases", [])), o.get("subtype", "organisation"), o.get("country")
        )
        for o in _yaml("organisations.yml")
    ]
    titles = _lines("titles.txt")
    weapons: dict[str, Any] = _yaml("weapons.yml")
    lex = Lexicon(
        states,
        orgs,
        titles,
        [re.compile(p) for p in weapons["designation"]],
        set(weapons["not_designation"]),
        weapons["families"],
        weapons["categories"],
        _yaml("regions.yml"),
        family_first=frozenset(_lines("family_first.txt")),
    )
    for s in states.values():
        for name in (s.name, *s.aliases, *s.demonyms):
            lex.state_names.setdefault(fold(name), s.iso3)
    return lex
