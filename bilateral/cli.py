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

app = typer.Typer(help="Turn articles about relations between states into a cited record of events.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="Knowledge-base file.")]
DEFAULT_DB = Path("bilateral.db")


def _open(db: Path) -> KnowledgeBase:
    try:
        return KnowledgeBase(db)
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


def _ingest(kb: KnowledgeBase, paths: list[Path], max_bytes: int) -> IngestReport:
    with _progress() as bar:
        task = bar.add_task("ingest", total=None)
        report = kb.ingest(paths, max_bytes=max_bytes, progress=lambda _p: bar.advance(task))
    for path, problem in report.failed:
        err.print(f"[red]error:[/] {escape(path)}: {escape(problem)}")
    err.print(f"ingested {len(report.ingested)}, unchanged {len(report.unchanged)}, "
              f"failed {len(report.failed)}")
    return report


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursive).")],
           db: DbOption = DEFAULT_DB,
           max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this.")] = DEFAULT_MAX_BYTES,
           ) -> None:
    """Ingest .txt, .md, .html and .pdf files into the knowledge base."""
    with _open(db) as kb:
        report = _ingest(kb, paths, max_bytes)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def docs(db: DbOption = DEFAULT_DB,
         format: Annotated[str, typer.Option("--format", help="table or json")] = "table") -> None:
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
def search(query: str, db: DbOption = DEFAULT_DB,
           limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20) -> None:
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
def extract(paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursive).")],
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
