"""The small expression language of the ontology files: Jinja expressions and templates.

`same` and `block` read two reports' roles as `a.ROLE` and `b.ROLE` and call the name and date
tests below; summaries and register columns read the roles by name, with the display filters of
`values.display`. Everything is compiled and checked once, when the ontology loads: an unknown
role, function or filter is an error naming the file, not a surprise in the middle of a run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateError, nodes

from ..values import dates, money, names
from ..values.display import FILTERS

_BATCH = re.compile(
    r"\b(?:agreements|deals|documents|contracts|treaties|accords|pacts|protocols|memorandums|memoranda|"
    r"mous|locs|lines of credit|instruments)\b",
    re.IGNORECASE,
)


def batch(title: Any) -> bool:
    """Does an agreement's title name several instruments ("two LoCs", "ten new deals")? A batch and
    one instrument of it are two events, however alike their kind and parties."""
    return bool(_BATCH.search(str(title or "")))


# What `same` and `block` may call.
TESTS: dict[str, Callable[..., Any]] = {
    "batch": batch,
    "same_name": names.same_name,
    "distinct_titles": names.distinct_titles,
    "same_system": names.same_system,
    "system_stem": names.system_stem,
    "same_exercise_name": names.same_exercise_name,
    "same_person": names.same_person,
    "quote_overlap": names.quote_overlap,
    "members": names.members,
    "overlap": names.overlap,
    "surname": names.surname,
    "words": names.words,
    "agree": dates.agree,
    "close": money.close,
    "precise": dates.precise,
}
# What register columns may call, given by the views when they evaluate a row.
ROW_HELPERS = ("cited", "conflict_note", "estimate", "usd", "usd_rate_date", "status", "sector", "subsector")

_ENV = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False)
_ENV.filters.update(FILTERS)
_ENV.globals.update(TESTS)


class ExpressionError(ValueError):
    pass


class Args:
    """A report's roles as attributes: `a.recipient`; a role it does not fill is None."""

    __slots__ = ("_args",)

    def __init__(self, args: dict[str, Any]) -> None:
        self._args = args

    def __getattr__(self, role: str) -> Any:
        return self._args.get(role)


def _check(ast: nodes.Template, allowed: Iterable[str], objects: Iterable[str], roles: Iterable[str]) -> None:
    """Every name, filter and test the expression uses exists, and every `a.ROLE` is a role.

    One walk over the parsed tree: generating the code to find out costs ten times as much."""
    found = list(ast.find_all((nodes.Name, nodes.Filter, nodes.Test, nodes.Getattr)))
    names = [n for n in found if isinstance(n, nodes.Name)]
    known = set(allowed) | set(_ENV.globals) | {n.name for n in names if n.ctx == "store"}
    if unknown := {n.name for n in names if n.ctx == "load"} - known:
        raise ExpressionError(f"unknown name {', '.join(sorted(unknown))}")
    for node in found:
        if isinstance(node, nodes.Filter) and node.name not in _ENV.filters:
            raise ExpressionError(f"No filter named {node.name!r}")
        if isinstance(node, nodes.Test) and node.name not in _ENV.tests:
            raise ExpressionError(f"No test named {node.name!r}")
        if (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Name)
            and node.node.name in objects
            and node.attr not in roles
        ):
            raise ExpressionError(f"{node.node.name}.{node.attr}: no role {node.attr!r}")


class _Compiled:
    """An expression or template checked now and compiled when first used (compiling every one
    at load would cost each command a second of start-up)."""

    def __init__(self, compile: Callable[[], Callable[..., Any]]) -> None:
        self._compile = compile
        self._run: Callable[..., Any] | None = None

    def __call__(self, **context: Any) -> Any:
        if self._run is None:
            self._run = self._compile()
        return self._run(**context)


def expression(source: str, roles: Iterable[str], variables: Iterable[str]) -> Callable[..., Any]:
    """A checked expression; `variables` are the names it reads (roles of `a` and `b` as `a.ROLE`)."""
    try:
        _check(_ENV.parse("{{ " + source + " }}"), list(variables), ("a", "b"), list(roles))
    except (TemplateError, ExpressionError) as exc:
        raise ExpressionError(f"{source!r}: {exc}") from exc
    return _Compiled(lambda: _ENV.compile_expression(source, undefined_to_none=False))


def template(source: str, variables: Iterable[str]) -> Callable[..., str]:
    """A checked text template reading the given variable names."""
    try:
        _check(_ENV.parse(source), list(variables), (), ())
    except (TemplateError, ExpressionError) as exc:
        raise ExpressionError(f"{source!r}: {exc}") from exc
    return _Compiled(lambda: _ENV.from_string(source).render)
