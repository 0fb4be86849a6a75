"""The `bilateral` command line: a thin layer over `bilateral.KnowledgeBase`."""

from __future__ import annotations

import csv
import json
import re
import sys
from itertools import groupby
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import views
from .analysis import analyser
from .ingest import DEFAULT_MAX_BYTES
from .kb import IngestReport, KnowledgeBase
from .models import Event
from .store import MARK_END, MARK_START, StoreError

app = typer.Typer(
    help="Turn articles about relations between states into a cited record of events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
# Piped output is not cut to 80 columns.
out = Console(width=None if sys.stdout.isatty() else 240)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str, typer.Option("--db", help="Knowledge-base file, or a postgresql://user@host/dbname URL.")
]
DEFAULT_DB = "bilateral.db"
FORMATS = ("table", "csv", "json")
FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json")]
TypeOption = Annotated[list[str] | None, typer.Option("--type", help="Only this event type (repeatable).")]
ActorOption = Annotated[str | None, typer.Option("--actor", help="ISO code or name of an actor.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="From this date (YYYY[-MM[-DD]]).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY[-MM[-DD]]).")]


def _open(db: str) -> KnowledgeBase:
    try:
        return KnowledgeBase(db)
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _events(
    db: str, types: list[str] | None, actor: str | None, since: str | None, until: str | None
) -> list[Event]:
    for date in (since, until):
        if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
            err.print(f"[red]error:[/] {escape(date)!r} is not a date like 2024, 2024-05 or 2024-05-07")
            raise typer.Exit(2)
    with _open(db) as kb:
        return views.Filters(types or [], actor, since, until, kb.countries()).apply(kb.events())


def _emit(rows: list[dict[str, Any]], columns: list[str], format: str) -> None:
    """Print rows as a table, CSV or a JSON array (all columns, in order)."""
    if format not in FORMATS:
        err.print(f"[red]error:[/] unknown format {escape(format)!r}; choose from {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        columns = [c for c in columns if c != "id"] or columns  # ids are for csv, json and links
        table = Table(*columns)
        for row in rows:
            table.add_row(*(escape(str(row.get(c, ""))) for c in columns))
        out.print(table)
        if not rows:
            err.print("no rows")


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
    _report(report)
    return report


def _report(report: IngestReport) -> None:
    for path, problem in report.failed:
        err.print(f"[red]error:[/] {escape(path)}: {escape(problem)}")
    err.print(
        f"ingested {len(report.ingested)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}"
    )


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
    paths: Annotated[
        list[Path], typer.Argument(help="Files, directories (recursive), .jsonl or .parquet collections.")
    ],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the .jsonl exports.")],
    db: DbOption = DEFAULT_DB,
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this.")] = DEFAULT_MAX_BYTES,
    engine: Annotated[str, typer.Option("--engine", help="local, or ray for parallel workers.")] = "local",
    ray_address: Annotated[
        str | None, typer.Option("--ray-address", help="Join this Ray cluster (default: start one here).")
    ] = None,
    processes: Annotated[
        int | None, typer.Option("--processes", help="Local engine: parsing processes (default: by size).")
    ] = None,
) -> None:
    """Ingest, find entities and events, fuse them, and export documents/entities/events.jsonl."""
    if engine not in ("local", "ray"):
        err.print(f"[red]error:[/] unknown engine {escape(engine)!r}; choose local or ray")
        raise typer.Exit(2)
    with _open(db) as kb:
        if engine == "ray":
            from .distributed import ClusterError
            from .distributed import extract as on_ray

            try:
                with _progress() as bar:
                    task = bar.add_task("analyse on Ray", total=None)
                    report = on_ray(kb, paths, out_dir, ray_address, max_bytes, lambda _d: bar.advance(task))
            except ClusterError as exc:
                err.print(f"[red]error:[/] {escape(str(exc))}")
                raise typer.Exit(2) from exc
            _report(report)
        else:
            report = _ingest(kb, paths, max_bytes)
            with _progress() as bar:
                task = bar.add_task("analyse", total=len(kb.store.unanalysed(analyser())))
                kb.analyse(progress=lambda _d: bar.advance(task), n_process=processes)
            kb.export(out_dir)
        counts = kb.store.counts()
    err.print(
        f"{counts['documents']} documents, {counts['entities']} entities, {counts['events']} events; "
        f"exports in {out_dir}"
    )
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def entities(
    db: DbOption = DEFAULT_DB,
    type: Annotated[str | None, typer.Option("--type", help="Only this entity type.")] = None,
    format: FormatOption = "table",
) -> None:
    """List resolved entities with their mention and document counts."""
    with _open(db) as kb:
        listed = kb.entities(type) if format == "json" else kb.entity_summaries(type)
    found = sorted(listed, key=lambda e: (-e.n_mentions, e.name))
    if format == "json":
        _emit([e.export() for e in found], [], format)
        return
    _emit([views.entity_row(e) for e in found], views.COLUMNS["entities"], format)


@app.command()
def show(name: str, db: DbOption = DEFAULT_DB) -> None:
    """An entity's aliases and its mentions in context."""
    from .nlp.mentions import key_for

    with _open(db) as kb:
        wanted = key_for("person", name)
        found = [
            e
            for e in kb.entity_summaries()
            if any(
                wanted == k or wanted in k.split()
                for k in {key_for("person", a) for a in [e.name, *e.aliases]}
            )
            or (e.type == "state" and e.iso3 == name.upper())
        ]
        if not found:
            err.print(f"no entity named {escape(name)!r}")
            raise typer.Exit(1)
        for e in found:
            out.print(f"[bold]{escape(e.name)}[/] ({e.type}{', ' + e.iso3 if e.iso3 else ''}) {e.id}")
            out.print("aliases: " + escape(", ".join(e.aliases)))
            # Mentions come in document order: one document's text is held at a time.
            for doc_id, mentions in groupby(kb.store.iter_entity_mentions(e.id), key=lambda m: m.doc):
                document = kb.store.document(doc_id)
                text = document.text if document else ""
                for m in mentions:
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
    type: TypeOption = None,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: FormatOption = "table",
) -> None:
    """List fused events with their roles, sources and conflicts."""
    found = _events(db, type, actor, since, until)
    if format == "json":
        _emit([e.export() for e in found], [], format)
        return
    rows = []
    for e in found:
        roles = "; ".join(
            f"{k}={', '.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in e.args.items()
            if k != "quote"
        )
        if "quote" in e.args:
            roles += f'; quote="{e.args["quote"][:80]}"'
        rows.append(
            {
                "type": e.type,
                "date": e.date or "",
                "roles": roles,
                "sources": len(e.docs),
                "conflicts": ", ".join(c["role"] for c in e.conflicts),
                "modality": e.modality,
                "id": e.id,
            }
        )
    _emit(rows, ["type", "date", "roles", "sources", "conflicts", "modality", "id"], format)


@app.command()
def timeline(
    db: DbOption = DEFAULT_DB,
    type: TypeOption = None,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: FormatOption = "table",
) -> None:
    """Events in date order (undated last) with precision, summary, sources and a conflict marker."""
    _emit(views.timeline(_events(db, type, actor, since, until)), views.COLUMNS["timeline"], format)


@app.command()
def register(
    kind: Annotated[str, typer.Argument(help="arms, investments, loans or agreements")],
    db: DbOption = DEFAULT_DB,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: FormatOption = "table",
) -> None:
    """A register of deals: arms (SIPRI's columns), investments, loans or agreements."""
    if kind not in views.REGISTERS:
        err.print(f"[red]error:[/] no register {escape(kind)!r}; choose from {', '.join(views.REGISTERS)}")
        raise typer.Exit(2)
    rows = views.register(kind, _events(db, [views.REGISTERS[kind]], actor, since, until))
    _emit(rows, views.COLUMNS[kind], format)


@app.command()
def conflicts(
    db: DbOption = DEFAULT_DB,
    type: TypeOption = None,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: FormatOption = "table",
) -> None:
    """Every disagreement between sources, with the value each document gives."""
    _emit(views.conflicts(_events(db, type, actor, since, until)), views.COLUMNS["conflicts"], format)


@app.command()
def quotes(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Only this speaker.")] = None,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: FormatOption = "table",
) -> None:
    """Who said what, when, and where it was reported."""
    found = _events(db, ["statement"], actor, since, until)
    with _open(db) as kb:
        docs = {d.id: d for d in kb.documents()}
    _emit(views.quotes(found, docs, speaker), views.COLUMNS["quotes"], format)


@app.command()
def actors(
    db: DbOption = DEFAULT_DB,
    type: TypeOption = None,
    actor: Annotated[
        list[str] | None, typer.Option("--actor", help="Give two to summarise their relationship.")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: FormatOption = "table",
) -> None:
    """The actors by number of events; with two --actor, their relationship by year and type."""
    pair = actor or []
    if len(pair) == 2:
        found = _events(db, type, None, since, until)
        with _open(db) as kb:
            countries = kb.countries()
        rows = views.relationship(found, pair[0], pair[1], countries)
        _emit(rows, views.COLUMNS["relationship"], format)
        return
    found = _events(db, type, pair[0] if pair else None, since, until)
    _emit(views.actors(found), views.COLUMNS["actors"], format)


@app.command()
def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.html or FILE.md")],
    db: DbOption = DEFAULT_DB,
    actor: Annotated[
        list[str] | None, typer.Option("--actor", help="Brief on events involving this actor (repeatable).")
    ] = None,
) -> None:
    """A self-contained briefing: counts, charts, timeline, registers, conflicts, quotes, footnotes."""
    from .report import ReportError, write_report

    with _open(db) as kb:
        events, docs, countries = kb.events(), {d.id: d for d in kb.documents()}, kb.countries()
    try:
        write_report(output, events, docs, actor or [], countries)
    except ReportError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    err.print(f"report written to {output}")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to bind; only this machine by default.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Browse and search the knowledge base in a local web app (read-only)."""
    from .web import serve as run

    if "://" not in db and not Path(db).is_file():
        err.print(f"[red]error:[/] {escape(str(db))}: no such knowledge base; run `bilateral extract` first")
        raise typer.Exit(2)
    try:
        run(db, host, port)
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


@app.command("export")
def export_(
    what: Annotated[str, typer.Argument(help="documents, entities, events, ftm, graphml, gexf or csv")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file (a folder for csv) to write.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export the knowledge base: JSON lines (ONTOLOGY.md), FollowTheMoney, GraphML/GEXF or CSV."""
    from .export import EXPORTS, write_jsonl

    choices = [*EXPORTS, "ftm", "graphml", "gexf", "csv"]
    if what not in choices:
        err.print(f"[red]error:[/] cannot export {escape(what)!r}; choose from {', '.join(choices)}")
        raise typer.Exit(2)
    with _open(db) as kb:
        if what in EXPORTS:
            written = f"{write_jsonl(output, EXPORTS[what](kb.store))} {what}"
        elif what == "ftm":
            from .export.ftm import ftm_entities, write_ftm

            n = write_ftm(output, ftm_entities(kb.store.iter_documents(), kb.entity_summaries(), kb.events()))
            written = f"{n} FollowTheMoney entities"
        elif what == "csv":
            from .export.tables import write_tables

            docs = {d.id: d for d in kb.store.document_summaries()}
            counts = write_tables(output, kb.events(), kb.entity_summaries(), docs)
            written = ", ".join(f"{n} {name}" for name, n in counts.items())
        else:
            from .export.graph import actor_graph, write_graph

            written = f"{write_graph(output, actor_graph(kb.events(), kb.entity_summaries()), what)} edges"
    err.print(f"{written} written to {output}")
