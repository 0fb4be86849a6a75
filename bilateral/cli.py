"""The `bilateral` command line: a thin layer over `bilateral.KnowledgeBase`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .ingest import DEFAULT_MAX_BYTES
from .kb import IngestReport, KnowledgeBase
from .store import MARK_END, MARK_START, StoreError

app = typer.Typer(
    help="Turn articles about relations between states into a cited record of events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="Knowledge-base file.")]
DEFAULT_DB = Path("bilateral.db")


def _open(db: Path) -> KnowledgeBase:
    try:
        return KnowledgeBase(db)
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _ingest(kb: KnowledgeBase, paths: list[Path], max_bytes: int) -> IngestReport:
    with _progress() as bar:
        task = bar.add_task("ingest", total=None)
        report = kb.ingest(paths, max_bytes=max_bytes, progress=lambda _p: bar.advance(task))
    for path, problem in report.failed:
        err.print(f"[red]error:[/] {escape(path)}: {escape(problem)}")
    err.print(
        f"ingested {len(report.ingested)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}"
    )
    return report


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursive).")],
    db: DbOption = DEFAULT_DB,
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this.")] = DEFAULT_MAX_BYTES,
) -> None:
    """Ingest .txt, .md, .html and .pdf files into the knowledge base."""
    with _open(db) as kb:
        report = _ingest(kb, paths, max_bytes)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def docs(
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """List the documents with their metadata."""
    with _open(db) as kb:
        documents = kb.documents()
    if format == "json":
        for d in documents:
            row = d.export()
            row.pop("text")
            out.print_json(json.dumps(row, ensure_ascii=False))
        return
    table = Table("doc", "title", "source", "published", "format", "chars")
    for d in documents:
        table.add_row(d.id, d.title or "", d.source or "", d.published or "", d.format, f"{len(d.text):,}")
    out.print(table)


@app.command()
def search(
    query: str,
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
) -> None:
    """Full-text search over the documents' sentences, with highlighted snippets and offsets."""
    with _open(db) as kb:
        hits = kb.search(query, limit)
    if not hits:
        err.print("no matches")
        raise typer.Exit(1)
    for hit in hits:
        line = Text.assemble((hit.doc, "cyan"), " ", (f"{hit.start}-{hit.end}", "dim"), "  ")
        for i, part in enumerate(hit.snippet.replace(MARK_END, MARK_START).split(MARK_START)):
            line.append(part, "bold yellow" if i % 2 else "")
        out.print(line)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursive).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the .jsonl exports.")],
    db: DbOption = DEFAULT_DB,
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this.")] = DEFAULT_MAX_BYTES,
) -> None:
    """Ingest, find entities and events, fuse them, and export documents/entities/events.jsonl."""
    with _open(db) as kb:
        report = _ingest(kb, paths, max_bytes)
        with _progress() as bar:
            task = bar.add_task("analyse", total=len(kb.store.unanalysed()))
            kb.analyse(progress=lambda _d: bar.advance(task))
        counts = kb.export(out_dir)
    err.print(", ".join(f"{n} {name}" for name, n in counts.items()) + f" written to {out_dir}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def entities(
    db: DbOption = DEFAULT_DB,
    type: Annotated[str | None, typer.Option("--type", help="Only this entity type.")] = None,
    format: Annotated[str, typer.Option("--format", help="table, json or csv")] = "table",
) -> None:
    """List resolved entities with their mention and document counts."""
    with _open(db) as kb:
        found = sorted(kb.entities(type), key=lambda e: (-len(e.mentions), e.name))
    rows = [
        (
            e.id,
            e.type,
            e.subtype or "",
            e.iso3 or "",
            e.name,
            len(e.mentions),
            len({m.doc for m in e.mentions}),
            "; ".join(e.aliases),
        )
        for e in found
    ]
    header = ("id", "type", "subtype", "iso3", "name", "mentions", "docs", "aliases")
    if format == "json":
        for e in found:
            out.print_json(json.dumps(e.export(), ensure_ascii=False))
    elif format == "csv":
        import csv
        import sys

        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(rows)
    else:
        table = Table(*header[1:])
        for row in rows:
            table.add_row(*(str(v) for v in row[1:]))
        out.print(table)


@app.command()
def show(name: str, db: DbOption = DEFAULT_DB) -> None:
    """An entity's aliases and its mentions in context."""
    from .nlp.mentions import key_for

    with _open(db) as kb:
        wanted = key_for("person", name)
        found = [
            e
            for e in kb.entities()
            if any(
                wanted == k or wanted in k.split()
                for k in {key_for("person", a) for a in [e.name, *e.aliases]}
            )
            or (e.type == "state" and e.iso3 == name.upper())
        ]
        texts = {d.id: d.text for d in kb.documents()}
    if not found:
        err.print(f"no entity named {escape(name)!r}")
        raise typer.Exit(1)
    for e in found:
        out.print(f"[bold]{escape(e.name)}[/] ({e.type}{', ' + e.iso3 if e.iso3 else ''}) {e.id}")
        out.print("aliases: " + escape(", ".join(e.aliases)))
        for m in e.mentions:
            text = texts[m.doc]
            left, right = text[max(0, m.start - 60) : m.start], text[m.end : m.end + 60]
            out.print(
                Text.assemble(
                    (f"{m.doc}:{m.start}-{m.end} ", "cyan"),
                    left.replace("\n", " "),
                    (m.text, "bold yellow"),
                    right.replace("\n", " "),
                )
            )


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    type: Annotated[str | None, typer.Option("--type", help="Only this event type.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="ISO code or name of an actor.")] = None,
    format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """List fused events with their roles, sources and conflicts."""
    with _open(db) as kb:
        found = kb.events(type, actor.upper() if actor and len(actor) == 3 else actor)
    if format == "json":
        for e in found:
            out.print_json(json.dumps(e.export(), ensure_ascii=False))
        return
    table = Table("type", "date", "roles", "sources", "conflicts", "modality")
    for e in found:
        roles = "; ".join(
            f"{k}={v if not isinstance(v, list) else ', '.join(map(str, v))}"
            for k, v in e.args.items()
            if k != "quote"
        )
        if "quote" in e.args:
            roles += f'; quote="{e.args["quote"][:80]}"'
        table.add_row(
            e.type,
            e.date or "",
            escape(roles),
            str(len(e.docs)),
            escape(", ".join(c["role"] for c in e.conflicts)),
            e.modality,
        )
    out.print(table)


@app.command("export")
def export_(
    what: Annotated[str, typer.Argument(help="documents, entities or events")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .jsonl file to write.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export one table as JSON lines, in the format of ONTOLOGY.md."""
    from .export import EXPORTS, write_jsonl

    if what not in EXPORTS:
        err.print(f"[red]error:[/] cannot export {escape(what)!r}; choose from {', '.join(EXPORTS)}")
        raise typer.Exit(2)
    with _open(db) as kb:
        n = write_jsonl(output, EXPORTS[what](kb.store))
    err.print(f"{n} {what} written to {output}")
