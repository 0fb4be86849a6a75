"""Our parameter binding: a view's signature says what it takes from the request, and `Binding`
reads it once, at start-up, into steps that fill its arguments per request.

A parameter annotated `Annotated[T, Query(...)]` is a query parameter (a `list[str]` takes every
value given, a `str` the last); one annotated `Request` is the request; one whose type has a
provider (`Data`, `Filters`) is that provider's answer, bound the same way; any other is a path
parameter. The same steps describe the routes for /api and /api/openapi.json. This replaces
FastAPI's dependencies, whose import (pydantic, its models) cost more than the rest of the app.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from starlette.requests import Request


@dataclass(frozen=True)
class Query:
    """A query parameter's description and checks."""

    description: str = ""
    pattern: str | None = None
    max_length: int | None = None


class BadParameter(ValueError):
    """A query parameter that fails its checks: answered with a 400 naming it."""


@dataclass(frozen=True)
class Param:
    name: str
    where: str  # "query" or "path"
    many: bool = False
    default: Any = None
    query: Query = Query()

    def value(self, request: Request) -> Any:
        if self.where == "path":
            return request.path_params[self.name]
        if self.many:
            return [self.checked(v) for v in request.query_params.getlist(self.name)] or self.default
        value = request.query_params.get(self.name)
        if value is None:
            if self.default is inspect.Parameter.empty:
                raise BadParameter(f"{self.name}: Field required")
            return self.default
        return self.checked(value)

    def checked(self, value: str) -> str:
        """One value as the parameter's length and whole-value pattern allow it."""
        if self.query.max_length is not None and len(value) > self.query.max_length:
            raise BadParameter(f"{self.name}: at most {self.query.max_length} characters")
        if self.query.pattern is not None and not re.fullmatch(self.query.pattern, value):
            raise BadParameter(f"{self.name}: should match pattern {self.query.pattern!r}")
        return value

    def spec(self) -> dict[str, Any]:
        """This parameter as OpenAPI describes one."""
        schema: dict[str, Any] = {"type": "string"}
        if self.many:
            schema = {"type": "array", "items": schema}
        if self.query.pattern:
            schema["pattern"] = self.query.pattern
        if self.query.max_length:
            schema["maxLength"] = self.query.max_length
        required = self.where == "path" or self.default is inspect.Parameter.empty
        spec = {"name": self.name, "in": self.where, "required": required, "schema": schema}
        return spec | ({"description": self.query.description} if self.query.description else {})


class Binding:
    """A function and how to fill its arguments from a request."""

    def __init__(self, fn: Callable[..., Any], providers: Mapping[Any, Callable[..., Any]]) -> None:
        self.fn = fn
        self.steps: list[tuple[str, Param | Binding | None]] = []
        hints = get_type_hints(fn, include_extras=True)
        for name, parameter in inspect.signature(fn).parameters.items():
            hint = hints.get(name, str)
            if hint is Request:
                self.steps.append((name, None))
            elif hint in providers:
                self.steps.append((name, Binding(providers[hint], providers)))
            elif get_origin(hint) is Annotated:
                base, *extras = get_args(hint)
                query = next(e for e in extras if isinstance(e, Query))
                many = list in (get_origin(base), *(get_origin(a) for a in get_args(base)))
                self.steps.append((name, Param(name, "query", many, parameter.default, query)))
            else:
                self.steps.append((name, Param(name, "path")))

    def __call__(self, request: Request) -> Any:
        args = {
            name: request
            if step is None
            else step(request)
            if isinstance(step, Binding)
            else step.value(request)
            for name, step in self.steps
        }
        return self.fn(**args)

    def params(self) -> list[Param]:
        """Every request parameter this function reads, its providers' included."""
        found: list[Param] = []
        for _, step in self.steps:
            if isinstance(step, Param):
                found.append(step)
            elif isinstance(step, Binding):
                found.extend(step.params())
        return found
