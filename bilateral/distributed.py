"""Extraction on Ray: the per-document stages in parallel workers, the corpus stages once.

Inputs are read with Ray Data (a folder of files, JSON-lines or Parquet collections), streamed
through a pool of workers that each load the spaCy pipeline once and run `analyse_documents`,
and written to the store by the driver as they arrive, so no process holds the whole corpus.
Resolution and fusion then run as in the local engine, which is why both give the same
`events.jsonl` and `entities.jsonl`. Without an address Ray starts on this machine's cores;
with one (`ray://host:10001` or `host:6379`) it joins that cluster.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .analysis import analyse_documents, analyser
from .ingest import DEFAULT_MAX_BYTES, IngestError, Source, discover, load
from .ingest.collections import document_from_row, is_collection
from .kb import IngestReport, KnowledgeBase, Progress
from .models import Document, event_from_record, event_to_record
from .models import Mention as MentionRecord
from .nlp.sentences import segment

BATCH = 16


class Analyser:
    """A Ray Data worker: one loaded pipeline, documents in, analysed documents out."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        from .nlp.pipeline import build

        self.nlp = build()
        self.max_bytes = max_bytes

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        docs: list[Document] = []
        errors: list[tuple[str, str]] = []
        for row in _rows(batch):
            try:
                docs.append(self._document(row))
            except IngestError as exc:
                errors.append((str(row.get("path") or row.get("doc") or "collection"), str(exc)))
        out: dict[str, list[str]] = {"doc": [], "result": [], "error": []}
        for doc, mentions, candidates in analyse_documents(self.nlp, docs):
            result = {
                "document": {**doc.__dict__},
                "sentences": segment(doc.text),
                "mentions": [m.__dict__ for m in mentions],
                "candidates": [event_to_record(e) for e in candidates],
            }
            out["doc"].append(doc.id)
            out["result"].append(json.dumps(result, ensure_ascii=False))
            out["error"].append("")
        for where, problem in errors:
            out["doc"].append(where)
            out["result"].append("")
            out["error"].append(problem)
        return out

    def _document(self, row: dict[str, Any]) -> Document:
        if row.get("path"):  # a file found by discover(), read here in the worker
            doc = load(Source(Path(row["path"]), json.loads(row["meta"])), self.max_bytes)
            doc.id = row["doc"]
            return doc
        if "line" in row:  # a line of a JSON-lines collection
            try:
                parsed = json.loads(row["line"])
            except ValueError as exc:
                raise IngestError(f"bad JSON ({exc}): {row['line'][:60]!r}") from exc
            if not isinstance(parsed, dict):
                raise IngestError(f"bad JSON (not an object): {row['line'][:60]!r}")
            row = parsed
        return document_from_row(row, str(row.get("doc")))


def _rows(batch: dict[str, Any]) -> list[dict[str, Any]]:
    columns = list(batch)
    n = len(batch[columns[0]]) if columns else 0
    return [{c: _plain(batch[c][i]) for c in columns} for i in range(n)]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def extract(
    kb: KnowledgeBase,
    paths: Iterable[str | Path],
    out: str | Path,
    address: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest and analyse `paths` on Ray, then resolve, fuse and export as the local engine does."""
    import ray
    import ray.data

    report = IngestReport()
    given = [Path(p) for p in paths]
    files, collections = _inputs(given, report)
    started = not ray.is_initialized()
    if started:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
            num_cpus=None if address else os.cpu_count(),
            object_store_memory=None if address else 512 * 1024 * 1024,
        )
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        parts: list[ray.data.Dataset] = []
        if files:
            parts.append(ray.data.from_items(files))
        jsonl = [str(p) for p in collections if p.suffix.lower() == ".jsonl"]
        parquet = [str(p) for p in collections if p.suffix.lower() == ".parquet"]
        # Reading is light next to parsing: read tasks claim no core, so that they never wait
        # for one the workers hold (which would deadlock a small machine).
        light = {"num_cpus": 0}
        if jsonl:  # as lines, parsed by the workers: one bad line must not fail the whole read
            lines = ray.data.read_text(jsonl, drop_empty_lines=True, ray_remote_args=light)
            parts.append(lines.rename_columns({"text": "line"}))
        if parquet:
            parts.append(ray.data.read_parquet(parquet, ray_remote_args=light))
        workers = max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]
        for dataset in parts:
            analysed = dataset.map_batches(
                Analyser,
                fn_constructor_kwargs={"max_bytes": max_bytes},
                batch_size=BATCH,
                concurrency=(1, workers),  # grows to a worker per core as input queues up
                batch_format="numpy",
            )
            for row in analysed.iter_rows():
                _store(kb, row, report)
                if progress:
                    progress(str(row["doc"]))
    finally:
        if started:
            ray.shutdown()
    kb.consolidate()
    kb.export(out)
    return report


def _inputs(given: list[Path], report: IngestReport) -> tuple[list[dict[str, str]], list[Path]]:
    """Files to read (with the id and manifest metadata the local engine would give them) and
    collection files; problems found here go into the report."""
    files: list[dict[str, str]] = []
    collections = [p for p in given if p.is_file() and is_collection(p)]
    taken: set[str] = set()
    for found in discover(p for p in given if p not in collections):
        if isinstance(found, tuple):
            report.failed.append((str(found[0]), str(found[1])))
            continue
        stem = found.path.stem
        resolved = str(found.path.resolve())
        doc_id = stem if stem not in taken else f"{stem}-{hashlib.sha1(resolved.encode()).hexdigest()[:8]}"
        taken.add(doc_id)
        files.append({"doc": doc_id, "path": str(found.path), "meta": json.dumps(found.meta)})
    return files, collections


def _store(kb: KnowledgeBase, row: dict[str, Any], report: IngestReport) -> None:
    if row["error"]:
        report.failed.append((str(row["doc"]), str(row["error"])))
        return
    result = json.loads(row["result"])
    doc = Document(**result["document"])
    known = kb.store.document_for_path(doc.path)
    if known and known[1] == doc.sha256 and known[0] == doc.id:
        report.unchanged.append(doc.id)
    else:
        kb.store.put_document(doc, [(int(a), int(b)) for a, b in result["sentences"]])
        report.ingested.append(doc.id)
    mentions = [MentionRecord(**m) for m in result["mentions"]]
    candidates = [event_from_record(e) for e in result["candidates"]]
    kb.store.put_analysis(doc, mentions, candidates, analyser())
