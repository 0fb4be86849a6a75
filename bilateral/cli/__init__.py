"""The `bilateral` command line: each command is a few lines over `bilateral.KnowledgeBase`.

The views' shared options (--db, --type, --actor, --since, --until, --format) are declared once,
in `common.SHARED`, and added to each view command by `view_command`. Heavy modules (spaCy, the
readers, matplotlib, FollowTheMoney, the web server) are imported by the commands that use them.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.text import Text

from .. import views
from ..checks import KnowledgeBaseError
from ..kb import DEFAULT_MAX_BYTES, EXPORT_FORMATS, KnowledgeBase
from ..store import MARK_END, MARK_START, StoreError
from ..values.display import shorten
from ..views import Row
from .common import (
    DEFAULT_DB,
    Ask,
    DbOption,
    MaxBytesOption,
    app,
    err,
    fail,
    opened,
    out,
    progress,
    view_command,
)

if TYPE_CHECKING:
    from ..ingest.run import IngestReport

__all__ = ["app"]


def _ingest(kb: KnowledgeBase, paths: list[Path], max_bytes: int) -> IngestReport:
    with progress() as bar:
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


# ---------------------------------------------------------------- writing commands


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursive).")],
    db: DbOption = DEFAULT_DB,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Ingest .txt, .md, .html and .pdf files into the knowledge base."""
    with opened(db, readonly=False) as kb:
        report = _ingest(kb, paths, max_bytes)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: Annotated[
        list[Path], typer.Argument(help="Files, directories (recursive), .jsonl or .parquet collections.")
    ],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the .jsonl exports.")],
    db: DbOption = DEFAULT_DB,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
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
        raise fail(f"unknown engine {engine!r}; choose local or ray")
    with opened(db, readonly=False) as kb:
        if engine == "ray":
            from ..distributed import ClusterError
            from ..distributed import extract as on_ray

            try:
                with progress() as bar:
                    task = bar.add_task("analyse on Ray", total=None)
                    report = on_ray(kb, paths, out_dir, ray_address, max_bytes, lambda _d: bar.advance(task))
            except ClusterError as exc:
                raise fail(str(exc)) from exc
            _report(report)
        else:
            from ..analysis import frozen_heap  # as `KnowledgeBase.extract`: its export too

            with frozen_heap():
                report = _ingest(kb, paths, max_bytes)
                with progress() as bar:
                    # Until the first document is done, the time goes into loading spaCy's model.
                    task = bar.add_task("loading the language model", total=kb.pending())
                    kb.analyse(
                        progress=lambda _d: bar.update(task, advance=1, description="analyse"),
                        n_process=processes,
                    )
                kb.export(out_dir)
        counts = kb.counts()
    err.print(
        f"{counts['documents']} documents, {counts['entities']} entities, {counts['events']} events; "
        f"exports in {out_dir}"
    )
    if not report.ok:
        raise typer.Exit(1)


CHANGE_COLUMNS = ["run", "at", "kind", "type", "summary", "detail", "event_id"]


@view_command(takes=())
def changes(
    ask: Ask,
    runs_since: Annotated[
        str | None, typer.Option("--since", help="A run number or a date (default: the last run).")
    ] = None,
) -> tuple[list[Row], list[str]]:
    """What runs changed: new events, new evidence, changed values, new conflicts, events gone."""
    return ask.kb.changes(runs_since), CHANGE_COLUMNS


@app.command()
def remove(
    docs: Annotated[list[str], typer.Argument(help="Document ids, as `bilateral docs` lists them.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Remove documents and everything derived from them; the events are rebuilt without them."""
    with opened(db, readonly=False) as kb:
        removed = kb.remove(docs)
        counts = kb.counts()
    err.print(f"removed {len(removed)}; {counts['documents']} documents, {counts['events']} events left")


# ---------------------------------------------------------------- reading commands


DOC_COLUMNS = ["doc", "title", "source", "published", "format", "chars"]


@view_command(takes=())
def docs(ask: Ask) -> tuple[list[Row], list[str]]:
    """List the documents with their metadata."""
    found = ask.kb.documents()
    if ask.format == "json":
        return [{k: v for k, v in d.export().items() if k != "text"} for d in found], []
    values = [
        [d.id, d.title or "", d.source or "", d.published or "", d.format, f"{len(d.text):,}"] for d in found
    ]
    return [dict(zip(DOC_COLUMNS, v, strict=True)) for v in values], DOC_COLUMNS


@app.command()
def search(
    query: str,
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
) -> None:
    """Full-text search over the documents' sentences, with highlighted snippets and offsets."""
    with opened(db) as kb:
        hits = kb.search(query, limit)
    if not hits:
        err.print("no matches")
        raise typer.Exit(1)
    for hit in hits:
        line = Text.assemble((hit.doc, "cyan"), " ", (f"{hit.start}-{hit.end}", "dim"), "  ")
        for i, part in enumerate(hit.snippet.replace(MARK_END, MARK_START).split(MARK_START)):
            line.append(part, "bold yellow" if i % 2 else "")
        out.print(line)


@view_command(takes=())
def entities(
    ask: Ask, type: Annotated[str | None, typer.Option("--type", help="Only this entity type.")] = None
) -> tuple[list[Row], list[str]]:
    """List resolved entities with their mention and document counts."""
    if ask.format == "json":
        found = sorted(ask.kb.entities(type), key=lambda e: (-e.n_mentions, e.name))
        return [e.export() for e in found], []
    found = sorted(ask.kb.entity_summaries(type), key=lambda e: (-e.n_mentions, e.name))
    return [views.entity_row(e) for e in found], views.COLUMNS["entities"]


@app.command()
def show(name: str, db: DbOption = DEFAULT_DB) -> None:
    """An entity's aliases and its mentions in context."""
    with opened(db) as kb:
        found = kb.find_entities(name)
        if not found:
            raise fail(f"no entity named {name!r}", 1)
        for e in found:
            out.print(f"[bold]{escape(e.name)}[/] ({e.type}{', ' + e.iso3 if e.iso3 else ''}) {e.id}")
            out.print("aliases: " + escape(", ".join(e.aliases)))
            # Mentions come in document order: one document's text is held at a time.
            for doc_id, mentions in groupby(kb.entity_mentions(e.id), key=lambda m: m.doc):
                document = kb.document(doc_id)
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


EVENT_COLUMNS = ["type", "date", "roles", "sources", "conflicts", "modality", "id"]


def _event_row(e: Any) -> Row:
    roles = "; ".join(
        f"{k}={', '.join(map(str, v)) if isinstance(v, list) else shorten(v, 80)}" for k, v in e.args.items()
    )
    conflicts = ", ".join(c["role"] for c in e.conflicts)
    return dict(
        zip(
            EVENT_COLUMNS,
            [e.type, e.date or "", roles, len(e.docs), conflicts, e.modality, e.id],
            strict=True,
        )
    )


@view_command()
def events(ask: Ask) -> tuple[list[Row], list[str]]:
    """List fused events with their roles, sources and conflicts."""
    found = ask.select().events
    if ask.format == "json":
        return [e.export() for e in found], []
    return [_event_row(e) for e in found], EVENT_COLUMNS


@view_command()
def timeline(ask: Ask) -> tuple[list[Row], list[str]]:
    """Events in date order (undated last) with precision, summary, sources and a conflict marker."""
    return ask.select().timeline(), views.COLUMNS["timeline"]


@view_command(takes=("actor", "since", "until", "min_confidence", "rejected"))
def register(
    ask: Ask, kind: Annotated[str, typer.Argument(help=", ".join(views.REGISTERS))]
) -> tuple[list[Row], list[str]]:
    """A register of deals: arms (SIPRI's columns), investments, loans or agreements."""
    if kind not in views.REGISTERS:
        raise fail(f"no register {kind!r}; choose from {', '.join(views.REGISTERS)}")
    return ask.select(types=[views.REGISTERS[kind]]).register(kind), views.COLUMNS[kind]


@view_command()
def conflicts(ask: Ask) -> tuple[list[Row], list[str]]:
    """Every disagreement between sources, with the value each document gives."""
    return ask.select().conflicts(), views.COLUMNS["conflicts"]


@view_command(takes=("actor", "since", "until", "min_confidence", "rejected"))
def quotes(
    ask: Ask, speaker: Annotated[str | None, typer.Option("--speaker", help="Only this speaker.")] = None
) -> tuple[list[Row], list[str]]:
    """Who said what, when, and where it was reported."""
    return ask.select(types=views.QUOTE_TYPES).quotes(speaker), views.COLUMNS["quotes"]


@view_command()
def sources(ask: Ask) -> tuple[list[Row], list[str]]:
    """Each document that reports a selected event, once, with its metadata."""
    return ask.select().sources(), views.COLUMNS["sources"]


@view_command()
def actors(
    ask: Ask,
    actor: Annotated[
        list[str] | None, typer.Option("--actor", help="Give two to summarise their relationship.")
    ] = None,
) -> tuple[list[Row], list[str]]:
    """The actors by number of events; with two --actor, their relationship by year and type."""
    pair = actor or []
    if len(pair) == 2:
        return ask.select().relationship(*pair), views.COLUMNS["relationship"]
    return ask.select(actor=pair[0] if pair else None).actors(), views.COLUMNS["actors"]


@app.command()
def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.html or FILE.md")],
    db: DbOption = DEFAULT_DB,
    actor: Annotated[
        list[str] | None, typer.Option("--actor", help="Brief on events involving this actor (repeatable).")
    ] = None,
    changes: Annotated[
        str | None,
        typer.Option("--changes", help="Only what the runs since this run number or date changed."),
    ] = None,
) -> None:
    """A self-contained briefing: counts, charts, timeline, registers, conflicts, quotes, footnotes."""
    with opened(db) as kb:
        kb.write_report(output, actor or [], changes)
    err.print(f"report written to {output}")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to bind; only this machine by default.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Server processes (each keeps a snapshot).")] = 1,
    reviewing: Annotated[
        bool, typer.Option("--review", help="Let analysts accept, reject, correct and annotate events.")
    ] = False,
) -> None:
    """Browse and search the knowledge base in a local web app (read-only unless --review)."""
    with opened(db):  # refuses a missing or foreign knowledge base before the server starts
        pass
    from ..web import serve as run

    try:
        run(db, host, port, workers, reviewing)
    except (StoreError, KnowledgeBaseError) as exc:
        raise fail(str(exc)) from exc


@app.command("export")
def export_(
    what: Annotated[str, typer.Argument(help=", ".join(EXPORT_FORMATS))],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file (a folder for csv) to write.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export the knowledge base: JSON lines (ONTOLOGY.md), FollowTheMoney entities or statements,
    GraphML/GEXF, CSV files or an Excel workbook."""
    if what not in EXPORT_FORMATS:
        raise fail(f"cannot export {what!r}; choose from {', '.join(EXPORT_FORMATS)}")
    with opened(db) as kb:
        written = kb.export(output, what)
    err.print(f"{', '.join(f'{n} {name}' for name, n in written.items())} written to {output}")


from . import review  # noqa: E402, F401  (registers `review` and `judgements` on `app`)
