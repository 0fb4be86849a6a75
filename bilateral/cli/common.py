"""What every command shares: the app, the consoles, the view options declared once, opening the
knowledge base with any refusal as one error line, and printing rows as a table, CSV or JSON."""

from __future__ import annotations

import csv
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.models import CommandFunctionType

from .. import views
from ..checks import KnowledgeBaseError
from ..kb import KnowledgeBase, Selection
from ..store import StoreError
from ..views import Filters, Row
from .coerce import Command, Group

if TYPE_CHECKING:  # the commands that show progress or a table import them (issue 18: start-up)
    from rich.progress import Progress


class App(typer.Typer):
    """The command line, where a refusal that surfaces in the middle of a command (a database
    locked, damaged or gone since it was opened) is one error line, not a traceback, and whose
    commands read their options without pydantic (`coerce`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=Group, **kwargs)

    def command(
        self, name: str | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=Command, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except (StoreError, KnowledgeBaseError) as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            sys.exit(2)


app = App(
    help="Turn articles about relations between states into a cited record of events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
# Piped output is not cut to 80 columns.
out = Console(width=None if sys.stdout.isatty() else 240)
err = Console(stderr=True, soft_wrap=True)

DEFAULT_DB = "bilateral.db"
FORMATS = ("table", "csv", "json")
DbOption = Annotated[
    str, typer.Option("--db", help="Knowledge-base file, or a postgresql://user@host/dbname URL.")
]
MaxBytesOption = Annotated[int, typer.Option(help="Refuse files larger than this.")]
TYPES_HELP = f"Only this event type (repeatable): {', '.join(views.EVENT_TYPES)}."
# The options every view takes, declared once: (name, annotation, default).
SHARED: list[tuple[str, Any, Any]] = [
    ("db", DbOption, DEFAULT_DB),
    ("type", Annotated[list[str] | None, typer.Option("--type", help=TYPES_HELP)], None),
    ("actor", Annotated[str | None, typer.Option("--actor", help="ISO code or name of an actor.")], None),
    ("since", Annotated[str | None, typer.Option("--since", help="From this date (YYYY[-MM[-DD]]).")], None),
    ("until", Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY[-MM[-DD]]).")], None),
    (
        "min_confidence",
        Annotated[
            float | None, typer.Option("--min-confidence", help="Only events at least this confident (0-1).")
        ],
        None,
    ),
    (
        "rejected",
        Annotated[bool, typer.Option("--rejected", help="Show the events analysts rejected too.")],
        False,
    ),
    ("format", Annotated[str, typer.Option("--format", help="table, csv or json")], "table"),
]
FILTERS = ("type", "actor", "since", "until", "min_confidence", "rejected")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one error line; the caller raises what this returns."""
    err.print(f"[red]error:[/] {escape(message)}")
    return typer.Exit(code)


@contextmanager
def opened(db: str, readonly: bool = True) -> Iterator[KnowledgeBase]:
    """The knowledge base, with any refusal (missing, foreign, a bad filter value) as one error line."""
    try:
        with KnowledgeBase(db, readonly=readonly) as kb:
            yield kb
    except (StoreError, KnowledgeBaseError) as exc:
        raise fail(str(exc)) from exc


@dataclass
class Ask:
    """What a view command is given: the open knowledge base, the shared filters and the format."""

    kb: KnowledgeBase
    filters: Filters
    format: str

    def select(self, **changes: Any) -> Selection:
        return self.kb.select(replace(self.filters, **changes))


def view_command(
    takes: tuple[str, ...] = FILTERS,
) -> Callable[[Callable[..., tuple[list[Row], list[str]]]], None]:
    """Register `fn(ask, **own options) -> (rows, columns)` as a command with the shared options it
    `takes` (besides --db and --format) and its own; its rows are printed as a table, CSV or JSON."""

    def register(fn: Callable[..., tuple[list[Row], list[str]]]) -> None:
        own = [p for name, p in inspect.signature(fn, eval_str=True).parameters.items() if name != "ask"]
        names = {p.name for p in own}
        shared = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
            for name, annotation, default in SHARED
            if (name in takes or name in ("db", "format")) and name not in names
        ]

        def command(**given: Any) -> None:
            fmt = given.pop("format")
            if fmt not in FORMATS:
                raise fail(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
            chosen = Filters(
                [t for t in given.pop("type", None) or [] if t] if "type" in takes else [],
                given.pop("actor") if "actor" in takes and "actor" not in names else None,
                given.pop("since", None),
                given.pop("until", None),
                min_confidence=given.pop("min_confidence", None),
                rejected=given.pop("rejected", False),
            )
            with opened(given.pop("db")) as kb:
                rows, columns = fn(Ask(kb, chosen, fmt), **given)
            emit(rows, columns, fmt)

        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + shared
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        command.__doc__ = fn.__doc__
        app.command(fn.__name__.rstrip("_"))(command)

    return register


def emit(rows: list[dict[str, Any]], columns: list[str], format: str) -> None:
    """Print rows as a table, CSV or a JSON array (all columns, in order)."""
    if format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    elif not out.is_terminal:
        _plain(rows, [c for c in columns if c != "id"] or columns)
    else:
        from rich.table import Table

        columns = [c for c in columns if c != "id"] or columns  # ids are for csv, json and links
        table = Table(*columns)
        for row in rows:
            table.add_row(*(escape(str(row.get(c, ""))) for c in columns))
        out.print(table)
        if not rows:
            err.print("no rows")


def _plain(rows: list[dict[str, Any]], columns: list[str], widest: int = 60) -> None:
    """A table for a pipe or a file: columns aligned by spaces, no box and no padding to a screen
    width (a cell wider than `widest` only pushes its own line out of line)."""
    cells = [[str(row.get(c, "")).replace("\n", " ") for c in columns] for row in rows]
    widths = [min(widest, max([len(c), *(len(r[i]) for r in cells)])) for i, c in enumerate(columns)]
    for line in [columns, *cells]:
        sys.stdout.write("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip() + "\n")
    if not rows:
        err.print("no rows")


def progress() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
