"""Extraction on Ray: the per-document stages in parallel workers, the corpus stages once.

Inputs are read with Ray Data (a folder of files, JSON-lines or Parquet collections) and streamed
in batches to a pool of Ray actors, one per core, that each load the spaCy pipeline once and run
`analyse_documents`; the driver writes each batch's results to the store as it arrives, so no
process holds the whole corpus. Resolution and fusion then run as in the local engine, which is
why both give the same `events.jsonl` and `entities.jsonl`. Without an address Ray starts on
this machine's cores; with one (`ray://host:10001` or `host:6379`) it joins that cluster.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .analysis import analyse_documents, analyser
from .ingest import DEFAULT_MAX_BYTES, IngestError, Source, discover, load
from .ingest.collections import document_from_row, is_collection
from .ingest.run import IngestReport, Progress
from .kb import KnowledgeBase
from .models import Document, event_from_record, event_to_record
from .models import Mention as MentionRecord
from .nlp.sentences import segment

BATCH = 16
# Batches queued per actor: with two, an actor starts its next batch while the driver stores
# the last one, and a slow batch on one actor does not leave the others idle.
IN_FLIGHT = 2


class ClusterError(Exception):
    """The Ray cluster cannot run the engine (too few CPUs)."""


class Analyser:
    """A Ray actor: one loaded pipeline, a batch of input rows in, analysed documents out."""

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
            # One logical CPU more than the cores: the actors take one each and Ray Data's read
            # tasks, which are light, the spare (see `workers` below).
            num_cpus=None if address else (os.cpu_count() or 1) + 1,
            object_store_memory=None if address else 512 * 1024 * 1024,
        )
    try:
        ray.data.DataContext.get_current().enable_progress_bars = False
        # Reading needs a CPU that no actor holds, or it waits for one forever: the actors
        # take all CPUs but one.
        cpus = int(ray.cluster_resources().get("CPU", 0))  # type: ignore[no-untyped-call]
        if cpus < 2:
            raise ClusterError(
                f"the Ray cluster has {cpus} CPU; the Ray engine needs 2 or more (one to read, the"
                " others to analyse): use --engine local, or a larger cluster"
            )
        actor = ray.remote(num_cpus=1)(Analyser)
        pool = [actor.remote(max_bytes) for _ in range(cpus - 1)]  # loading while reading starts
        batches: list[Iterable[dict[str, Any]]] = []
        if files:
            batches.append(ray.data.from_items(files).iter_batches(batch_size=BATCH))
        jsonl = [str(p) for p in collections if p.suffix.lower() == ".jsonl"]
        parquet = [str(p) for p in collections if p.suffix.lower() == ".parquet"]
        if jsonl:  # as lines, parsed by the actors: one bad line must not fail the whole read
            lines = ray.data.read_text(jsonl, drop_empty_lines=True)
            batches.append({"line": b["text"]} for b in lines.iter_batches(batch_size=BATCH))
        if parquet:
            batches.append(ray.data.read_parquet(parquet).iter_batches(batch_size=BATCH))
        for results in _in_order(pool, (b for source in batches for b in source)):
            for i, doc in enumerate(results["doc"]):
                _store(kb, {key: column[i] for key, column in results.items()}, report)
                if progress:
                    progress(str(doc))
    finally:
        if started:
            ray.shutdown()
    kb.consolidate()
    kb.export(out)
    return report


def _in_order(pool: list[Any], batches: Iterator[dict[str, Any]]) -> Iterator[dict[str, list[str]]]:
    """Each batch's results in input order, with up to IN_FLIGHT batches queued on every actor."""
    import ray

    pending: deque[Any] = deque()
    for n, batch in enumerate(batches):
        pending.append(pool[n % len(pool)].__call__.remote(batch))
        if len(pending) >= IN_FLIGHT * len(pool):
            yield ray.get(pending.popleft())
    while pending:
        yield ray.get(pending.popleft())


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
