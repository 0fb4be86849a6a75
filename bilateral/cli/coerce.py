"""Command-line values read without pydantic, so that a command starts in a fraction of a second.

typer (0.29) converts every option and argument but a boolean flag with a pydantic TypeAdapter,
built on first use: whatever the annotation (str included, and --help's own flag), the first value
a command reads imports pydantic, about 0.1 s, a quarter of a read command's start-up. Our commands
declare only plain types (str, int, float, Path, bool, lists and optionals of them), whose
well-formed values are converted here exactly as typer's adapter converts them. Anything else (a
malformed number, another type, a value that is not text) is handed to typer's own adapter, so the
values accepted and the error messages stay typer's. With a typer that does not coerce this way,
nothing is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from typer._click import Context, Parameter

# What int() and float() read exactly as pydantic does (checked against it in tests/test_cli.py).
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
PLAIN = (str, int, float, Path, bool)


class Plain:
    """A parameter's conversion for a plain type, with typer's own (pydantic) as the fallback."""

    def __init__(self, param: Parameter) -> None:
        annotation = param.type_descriptor.annotation  # type: ignore[attr-defined]
        self.many = get_origin(annotation) is list
        self.type = get_args(annotation)[0] if self.many else annotation
        self.param = param
        self.typer: Any = None  # typer's RuntimeParam, built only when a value needs it

    def coerce(self, value: Any, param: Parameter, ctx: Context) -> Any:
        """What typer's RuntimeParam.coerce returns for `value` (None, one value or a list)."""
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        if self.many and isinstance(value, list | tuple):
            items = [self._one(v, ctx) for v in value]
            if all(i is not _TYPER for i in items):
                return items
        elif not multi:
            item = self._one(value, ctx)
            if item is not _TYPER:
                return item
        return self._typer().coerce(value, param=param, ctx=ctx)

    def _one(self, value: Any, ctx: Context) -> Any:
        if isinstance(value, self.type) and (self.type is bool or not isinstance(value, bool)):
            return value
        if not isinstance(value, str) or self.type is bool:
            return _TYPER
        if self.type is str:
            return value
        if self.type is int:
            return int(value) if _INT.fullmatch(value) else _TYPER
        if self.type is float:
            return float(value) if _FLOAT.fullmatch(value) else _TYPER
        # A Path: typer's own checks (exists, readable, ...) on the value pydantic would make.
        from typer._param_types import coerce_cli_path

        info = self.param.type_descriptor.parameter_info  # type: ignore[attr-defined]
        return coerce_cli_path(Path(value), info, path_type=Path, param=self.param, ctx=ctx)  # type: ignore[arg-type]

    def _typer(self) -> Any:
        if self.typer is None:
            from typer._coercion import build_runtime_param

            self.typer = build_runtime_param(self.param.type_descriptor)  # type: ignore[attr-defined]
        return self.typer


_TYPER = object()  # a value left to typer's own conversion


def install(params: Iterable[Parameter]) -> None:
    """Give each parameter of a plain type our conversion, unless typer has already built its own."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        annotation, info = descriptor.annotation, descriptor.parameter_info
        element = get_args(annotation)[0] if get_origin(annotation) is list else annotation
        plain_path = element is not Path or (info.path_type is None and not info.allow_dash)
        ranged = info.min is not None or info.max is not None
        if element in PLAIN and not ranged and info.parser is None and plain_path and not descriptor.is_file:
            param._runtime_param = Plain(param)  # type: ignore[attr-defined]


class _Plain:
    """Converts its plain options and arguments, --help included, without pydantic."""

    params: list[Parameter]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        install(self.params)

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        install([option] if option is not None else [])
        return option


class Command(_Plain, TyperCommand):
    """A typer command whose plain options and arguments are converted without pydantic."""


class Group(_Plain, TyperGroup):
    """A typer group whose callback's plain options are converted without pydantic."""
