"""`bilateral review …` and `bilateral judgements …`: analysts' corrections, kept across re-runs.

Each command is a few lines over `KnowledgeBase.judge`, `judgements` and `import_judgements`.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from .common import DEFAULT_DB, FORMATS, App, DbOption, app, emit, err, fail, opened

review = App(
    help="Judge an event (accept, reject, set a role, merge two, split one, add a note) or an entity."
)
judgements = App(help="The judgements made: list (--orphans), export, import.", invoke_without_command=True)
app.add_typer(review, name="review")
app.add_typer(judgements, name="judgements")

AuthorOption = Annotated[str, typer.Option("--author", help="Who judges (default: the login name).")]
NoteOption = Annotated[str, typer.Option("--note", help="Why, in a sentence.")]
EventArg = Annotated[str, typer.Argument(help="An event id (bilateral events, timeline, the web app).")]
COLUMNS = ["at", "author", "kind", "type", "event", "role", "value", "note", "id"]


def _judge(
    db: str,
    kind: str,
    event: str,
    author: str,
    note: str,
    role: str | None = None,
    value: str | list[str] | None = None,
    other: str | None = None,
) -> None:
    with opened(db, readonly=False) as kb:
        made = kb.judge(kind, event, role, value, other, author=author or getpass.getuser(), note=note)
    err.print(f"{made.kind} recorded for {event} ({made.id}); it is re-applied after every run")


@review.command()
def accept(
    event: EventArg, db: DbOption = DEFAULT_DB, author: AuthorOption = "", note: NoteOption = ""
) -> None:
    """Mark an event as checked and right."""
    _judge(db, "accept", event, author, note)


@review.command()
def reject(
    event: EventArg, db: DbOption = DEFAULT_DB, author: AuthorOption = "", note: NoteOption = ""
) -> None:
    """Hide a wrong event from every view and export (`--rejected` shows it)."""
    _judge(db, "reject", event, author, note)


@review.command("set")
def set_(
    event: EventArg,
    role: Annotated[str, typer.Argument(help="The role to correct (quantity, date, supplier, ...).")],
    value: Annotated[str, typer.Argument(help="Its value, as the role's type reads it: 9, 2024-05, SRB.")],
    db: DbOption = DEFAULT_DB,
    author: AuthorOption = "",
    note: NoteOption = "",
) -> None:
    """Correct a role's value; the extracted value is kept beside it."""
    _judge(db, "set", event, author, note, role=role, value=value)


@review.command()
def merge(
    event: EventArg,
    other: Annotated[str, typer.Argument(help="The other event, reported as a separate one.")],
    db: DbOption = DEFAULT_DB,
    author: AuthorOption = "",
    note: NoteOption = "",
) -> None:
    """Make two events that are one real-world event one."""
    _judge(db, "merge", event, author, note, other=other)


@review.command()
def split(
    event: EventArg,
    sources: Annotated[
        list[str],
        typer.Argument(
            help="What is another event: documents or spans (doc:start-end, as `show` cites them)."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    author: AuthorOption = "",
    note: NoteOption = "",
) -> None:
    """Make an event that is two events two: the reports citing SOURCES become one of their own."""
    _judge(db, "split", event, author, note, value=sources)


@review.command()
def note(
    event: EventArg,
    text: Annotated[str, typer.Argument(help="The note.")],
    db: DbOption = DEFAULT_DB,
    author: AuthorOption = "",
) -> None:
    """Attach a note to an event."""
    _judge(db, "note", event, author, text)


EntityArg = Annotated[str, typer.Argument(help="An entity id, as `entities` lists them.")]


@review.command("merge-entities")
def merge_entities(
    keep: EntityArg,
    other: Annotated[str, typer.Argument(help="The entity that is the same person or body.")],
    db: DbOption = DEFAULT_DB,
    author: AuthorOption = "",
    note: NoteOption = "",
) -> None:
    """Make two entities that are one person or organisation one (names, mentions, events)."""
    _judge_entity(db, "merge", keep, author, note, other=other)


@review.command("split-entity")
def split_entity(
    entity: EntityArg,
    parts: Annotated[
        list[str],
        typer.Argument(help="Names (a spelling that is someone else) or documents (a namesake's)."),
    ],
    db: DbOption = DEFAULT_DB,
    author: AuthorOption = "",
    note: NoteOption = "",
) -> None:
    """Make the mentions of an entity that read one of the names, or are in one of the documents,
    an entity of their own."""
    _judge_entity(db, "split", entity, author, note, parts=parts)


def _judge_entity(
    db: str, kind: str, entity: str, author: str, note: str, other: str = "", parts: Sequence[str] = ()
) -> None:
    with opened(db, readonly=False) as kb:
        made = kb.judge_entity(kind, entity, other, parts, author=author or getpass.getuser(), note=note)
    err.print(f"{made.kind} recorded ({made.id}); it is re-applied after every run")


@judgements.callback()
def list_(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    orphans: Annotated[bool, typer.Option("--orphans", help="Only those whose event is gone.")] = False,
    format: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """List the judgements, oldest first (they are applied in that order)."""
    if ctx.invoked_subcommand:
        return
    if format not in FORMATS:
        raise fail(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    with opened(db) as kb:
        found = kb.judgements(orphans=orphans)
    rows = [
        {
            **j.as_dict(),
            "type": j.target["type"],
            "event": "; ".join(j.target.get("evidence", [])[:1]) or j.target.get("name", ""),
            "role": j.role or "",
            "value": "" if j.value is None else j.value,
        }
        for j in found
    ]
    emit(rows, COLUMNS, format)


@judgements.command("export")
def export_(
    output: Annotated[Path, typer.Option("-o", "--output", help="A JSON-lines file.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write every judgement as JSON lines, to share with a team (`judgements import`)."""
    from ..export import atomic

    with opened(db) as kb, atomic(output) as fh:
        found = kb.judgements()
        for j in found:
            fh.write(json.dumps(j.as_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    err.print(f"{len(found)} judgements written to {output}")


@judgements.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="A file from `judgements export` (- for stdin).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Add exported judgements; importing one file twice changes nothing."""
    try:
        text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"{source}: cannot read judgements ({exc})") from exc
    with opened(db, readonly=False) as kb:
        new = kb.import_judgements(rows)
    err.print(f"{new} new judgements of {len(rows)} in {source}")
