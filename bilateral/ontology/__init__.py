"""The event ontology as data: one YAML file per event type, loaded and checked once.

Each file declares a type's roles with their value types, the roles that identify an event, the
role that dates it, when two reports are one event (`same`, `block`), a one-line summary, the
graph edge, the register it feeds and its FollowTheMoney mapping. Fusion, consolidation, the
actor index, the views, the exports, the report and the web app read all of that from here, so a
new type is a new file. Folders named in the BILATERAL_ONTOLOGY environment variable (separated
like PATH) add types, or replace a built-in type by its file name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..values import VALUE_TYPES, ValueType
from .expressions import ROW_HELPERS, TESTS, Args, ExpressionError, expression, template

ENV_VAR = "BILATERAL_ONTOLOGY"
LAYOUTS = ("table", "quotes")


class OntologyError(ValueError):
    """An ontology file that cannot be used: the message names the file and the problem."""


class UnknownType(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Role:
    name: str
    type: ValueType
    description: str = ""
    values: tuple[str, ...] = ()  # an enumeration's values


@dataclass(frozen=True)
class Register:
    """A table of one type's events in a reference dataset's columns (arms: SIPRI's)."""

    name: str
    title: str
    type: str
    columns: dict[str, Callable[..., Any]]
    layout: str = "table"
    speaker: str | None = None  # quotations: the role `quotes --speaker` reads
    quote: str | None = None  # quotations: the role holding the words


@dataclass(frozen=True)
class FtmProperty:
    """A FollowTheMoney property: actors from roles (as entities of `schema`), or an expression."""

    roles: tuple[str, ...] = ()
    schema: str = "LegalEntity"
    value: Callable[..., Any] | None = None


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    description: str
    color: str
    order: int
    roles: dict[str, Role]
    identity: tuple[str, ...]
    date_roles: tuple[str, ...]
    edge: tuple[str, str] | None
    register: Register | None
    ftm_schema: str
    ftm: dict[str, FtmProperty]
    ftm_project: str | None  # a role naming what is built or financed: a FollowTheMoney Project
    path: str
    _same: Callable[..., Any] = field(repr=False)
    _block: Callable[..., Any] = field(repr=False)
    _summary: Callable[..., str] = field(repr=False)

    def roles_where(self, test: Callable[[ValueType], bool]) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles.values() if test(r.type))

    @property
    def actor_roles(self) -> tuple[str, ...]:
        """Roles naming actors: the edge's first, then the others in role order."""
        actors = self.roles_where(lambda t: t.actor)
        first = tuple(dict.fromkeys(self.edge or ()))
        return first + tuple(r for r in actors if r not in first)

    def same(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        """Do two reports' roles describe one real-world event?"""
        return bool(self._same(a=Args(a), b=Args(b)))

    def blocks(self, args: dict[str, Any]) -> set[str]:
        """Keys such that two reports `same` may join share at least one."""
        return {f"{self.name}|{v}" for v in self._block(a=Args(args))}

    def summary(self, args: dict[str, Any]) -> str:
        return self._summary(**self.values(args))

    def values(self, args: dict[str, Any]) -> dict[str, Any]:
        """Every role's value, None where the event gives none."""
        return {r: args.get(r) for r in self.roles}

    def date(self, args: dict[str, Any]) -> Any:
        """The event's date: its first dating role that has a value."""
        return next((args[r] for r in self.date_roles if args.get(r)), None)


@dataclass(frozen=True)
class Ontology:
    types: dict[str, EventType]

    def __iter__(self) -> Iterator[EventType]:
        return iter(self.types.values())

    def __getitem__(self, name: str) -> EventType:
        try:
            return self.types[name]
        except KeyError:
            raise UnknownType(f"unknown event type {name!r}; the types are {', '.join(self.types)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.types

    @property
    def registers(self) -> dict[str, Register]:
        return {t.register.name: t.register for t in self if t.register}


def _folders() -> list[Path]:
    builtin = Path(str(resources.files(__package__)))
    extra = [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    return [builtin, *extra]


@cache
def ontology() -> Ontology:
    """The ontology of the built-in files and those of BILATERAL_ONTOLOGY (loaded once)."""
    return load(_folders())


def load(folders: list[Path]) -> Ontology:
    files: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise OntologyError(f"{folder}: not a folder of ontology files ({ENV_VAR})")
        for path in sorted(folder.glob("*.yml")):
            files[path.stem] = path
    types = [_type(name, path) for name, path in files.items()]
    registers = [t.register.name for t in types if t.register]
    if len(set(registers)) != len(registers):
        raise OntologyError(f"two types feed one register: {sorted(registers)}")
    return Ontology({t.name: t for t in sorted(types, key=lambda t: (t.order, t.name))})


KEYS = {"label", "description", "color", "order", "roles", "identity", "date", "same", "block", "summary"}
KEYS |= {"edge", "register", "ftm"}


def _type(name: str, path: Path) -> EventType:
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)
        if not isinstance(data, dict):
            raise OntologyError("not a mapping")
        return _build(name, path, data)
    except (OntologyError, ExpressionError, yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        raise OntologyError(f"{path}: {exc}") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise OntologyError(f"{path}: missing or malformed {exc}") from None


def _build(name: str, path: Path, data: dict[str, Any]) -> EventType:
    if unknown := set(data) - KEYS:
        raise OntologyError(f"unknown key {', '.join(sorted(unknown))}")
    roles = {r: _role(r, spec) for r, spec in data["roles"].items()}

    def known(given: Any, what: str) -> tuple[str, ...]:
        listed = tuple(given if isinstance(given, list) else [given])
        for r in listed:
            if r not in roles:
                raise OntologyError(f"{what}: no role {r!r} (roles: {', '.join(roles)})")
        return listed

    identity = known(data["identity"], "identity")
    date_roles = known(data.get("date", []), "date")
    if bad := [r for r in date_roles if not roles[r].type.date]:
        raise OntologyError(f"date: {', '.join(bad)} is not a date role")
    edge = data.get("edge")
    if edge is not None:
        edge = known([edge["source"], edge["target"]], "edge")
        if bad := [r for r in edge if not roles[r].type.actor]:
            raise OntologyError(f"edge: {', '.join(bad)} does not name actors")
    if clash := set(roles) & {"event", "a", "b", "summary", *ROW_HELPERS, *TESTS}:
        raise OntologyError(f"role names reserved for expressions: {', '.join(sorted(clash))}")
    ftm = data.get("ftm") or {"schema": "Event", "properties": {}}
    return EventType(
        name=name,
        label=str(data["label"]),
        description=str(data.get("description", "")),
        color=str(data["color"]),
        order=int(data.get("order", 1000)),
        roles=roles,
        identity=identity,
        date_roles=date_roles,
        edge=(edge[0], edge[1]) if edge else None,
        register=_register(name, data["register"], roles, known) if data.get("register") else None,
        ftm_schema=str(ftm["schema"]),
        ftm={p: _ftm_property(spec, roles, known) for p, spec in ftm["properties"].items()},
        ftm_project=known(ftm["project"], "ftm project")[0] if ftm.get("project") else None,
        path=str(path),
        _same=expression(str(data["same"]), roles, ["a", "b"]),
        _block=expression(str(data["block"]), roles, ["a"]),
        _summary=template(str(data["summary"]), [*roles, "event"]),
    )


def _role(name: str, spec: dict[str, Any]) -> Role:
    kind = spec["type"]
    if kind not in VALUE_TYPES:
        raise OntologyError(f"role {name}: unknown value type {kind!r} (types: {', '.join(VALUE_TYPES)})")
    values = tuple(spec.get("values") or ())
    if (kind == "enum") != bool(values):
        raise OntologyError(f"role {name}: an enum lists its values, and only an enum does")
    return Role(name, VALUE_TYPES[kind], str(spec.get("description", "")), values)


def _register(type_: str, spec: dict[str, Any], roles: dict[str, Role], known: Any) -> Register:
    layout = spec.get("layout", "table")
    if layout not in LAYOUTS:
        raise OntologyError(f"register: layout is one of {', '.join(LAYOUTS)}, not {layout!r}")
    variables = [*roles, "event", *ROW_HELPERS]
    return Register(
        name=str(spec["name"]),
        title=str(spec["title"]),
        type=type_,
        columns={str(c): expression(str(e), roles, variables) for c, e in spec["columns"].items()},
        layout=layout,
        speaker=known(spec["speaker"], "register speaker")[0] if spec.get("speaker") else None,
        quote=known(spec["quote"], "register quote")[0] if spec.get("quote") else None,
    )


def _ftm_property(spec: Any, roles: dict[str, Role], known: Any) -> FtmProperty:
    if isinstance(spec, dict):
        return FtmProperty(known(spec["role"], "ftm"), str(spec.get("schema", "LegalEntity")))
    if isinstance(spec, list) or (spec in roles and roles[spec].type.actor):
        return FtmProperty(known(spec, "ftm"))
    return FtmProperty(value=expression(str(spec), roles, [*roles, "event", "summary", *ROW_HELPERS]))
