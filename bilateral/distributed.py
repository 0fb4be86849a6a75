"""Extraction on Ray: the per-document analysis in parallel workers, everything else as locally.

Ingest is the local engine's own (`bilateral.ingest.run`): the same ids, the same refusals, the
same report. The driver then streams the documents that need analysis from the store in batches
to a pool of Ray actors, one per CPU, that each build the spaCy pipeline once and run
`analyse_documents`; it stores each batch's results as they arrive, so no process holds the whole
corpus. Each document's stored parse goes to the actor with it and a new one comes back to be
stored, so that after a change of the rules the actors run no model and read no weights, as in
the local engine.
Resolution and fusion then run as in the local engine, which is why both give the same
`events.jsonl` and `entities.jsonl`. Without an address Ray starts on this machine's cores; with
one (`ray://host:10001` or `host:6379`) it joins that cluster.
"""

from __future__ import annotations

import gc
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .analysis import Parses, analyse_documents, analyser, cause
from .ingest import DEFAULT_MAX_BYTES
from .ingest.run import IngestReport, Progress, ingest
from .kb import READ_BATCH, KnowledgeBase, Result, store_analyses
from .models import Document, event_from_record, event_to_record
from .models import Mention as MentionRecord
from .store.parses import StoredParse

BATCH = 16
# Batches queued per actor: with two, an actor starts its next batch while the driver stores
# the last one, and a slow batch on one actor does not leave the others idle.
IN_FLIGHT = 2


class ClusterError(Exception):
    """The Ray engine cannot run: Ray is not installed, or the cluster cannot be reached."""


class Analyser:
    """A Ray actor: one pipeline, a batch of documents in, their analysis (or error) out.

    The pipeline is built without the model's weights, which its first parse reads (as the
    local engine does): an actor whose documents all come with a stored parse never reads them.
    """

    def __init__(self) -> None:
        from .nlp.pipeline import build

        self.nlp = build(weights=False)
        gc.freeze()  # the actor's process is ours and analyses until the run ends (`frozen_heap`)

    def __call__(
        self, batch: list[dict[str, Any]], stored: list[StoredParse | None]
    ) -> list[tuple[str, StoredParse | None]]:
        """For each document in order, its results as JSON (or `{"error": ...}`) and its new parse.

        A batch that raises (outside `analyse_documents`' handling of each document) is analysed
        again a document at a time, so that only the one that raises fails, with its exception,
        rather than the driver's whole run.
        """
        docs = [Document(**d) for d in batch]
        try:
            return self._analyse(docs, stored)
        except Exception:
            return [self._alone(d, s) for d, s in zip(docs, stored, strict=True)]

    def _alone(self, doc: Document, stored: StoredParse | None) -> tuple[str, StoredParse | None]:
        try:
            return self._analyse([doc], [stored])[0]
        except Exception as exc:
            return json.dumps({"error": cause(exc)}), None

    def _analyse(
        self, docs: list[Document], stored: list[StoredParse | None]
    ) -> list[tuple[str, StoredParse | None]]:
        errors: dict[str, str] = {}
        results: dict[str, str] = {}
        parses = Parses(self.nlp, dict(zip([d.id for d in docs], stored, strict=True)).get)
        analysed = analyse_documents(
            self.nlp, docs, on_error=lambda d, problem: errors.update({d.id: problem}), parses=parses
        )
        for doc, mentions, candidates in analysed:
            results[doc.id] = json.dumps(
                {
                    "mentions": [m.__dict__ for m in mentions],
                    "candidates": [event_to_record(e) for e in candidates],
                },
                ensure_ascii=False,
            )
        return [
            (results.get(d.id) or json.dumps({"error": errors.get(d.id, "no result")}), parses.made.get(d.id))
            for d in docs
        ]


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ClusterError(
            "the Ray engine needs Ray, which is not installed: pip install 'bilateral[ray]',"
            " or use --engine local"
        ) from exc
    return ray


def extract(
    kb: KnowledgeBase,
    paths: Iterable[str | Path],
    out: str | Path,
    address: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest `paths`, analyse on Ray, then resolve, fuse and export as the local engine does."""
    ray = _ray()
    report = ingest(kb.store, paths, max_bytes, progress)
    ids = kb.store.unanalysed(analyser())
    if ids:
        started = not ray.is_initialized()
        if started:
            try:
                ray.init(
                    address=address,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                    num_cpus=None if address else os.cpu_count() or 1,
                    object_store_memory=None if address else 512 * 1024 * 1024,
                )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ClusterError(f"cannot start or join Ray at {address or 'this machine'}: {exc}") from exc
        try:
            _analyse(kb, ids, report, progress)
        finally:
            if started:
                ray.shutdown()
    kb.consolidate()
    kb.export(out)
    return report


def _analyse(kb: KnowledgeBase, ids: list[str], report: IngestReport, progress: Progress | None) -> None:
    """Each document's analysis from the actor pool, stored by the driver in input order."""
    ray = _ray()
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    actor = ray.remote(num_cpus=1)(Analyser)
    pool = [actor.remote() for _ in range(cpus)]
    for docs, results in _in_order(pool, _batches(kb, ids), kb.store.parse):
        batch: list[Result] = []
        for doc, (result, parse) in zip(docs, results, strict=True):
            row = json.loads(result)
            if "error" in row:
                report.failed.append((doc.id, f"could not be analysed: {row['error']}"))
                continue
            mentions = [MentionRecord(**m) for m in row["mentions"]]
            batch.append((doc, mentions, [event_from_record(e) for e in row["candidates"]], parse))
        # a batch per transaction, each document with its parse; one the store refuses is left alone
        store_analyses(kb.store, batch, analyser(), progress)


def _batches(kb: KnowledgeBase, ids: list[str]) -> Iterator[list[Document]]:
    for i in range(0, len(ids), READ_BATCH):
        docs = kb.store.documents(ids[i : i + READ_BATCH])
        for j in range(0, len(docs), BATCH):
            yield docs[j : j + BATCH]


def _in_order(
    pool: list[Any], batches: Iterator[list[Document]], stored: Callable[[str], StoredParse | None]
) -> Iterator[tuple[list[Document], list[tuple[str, StoredParse | None]]]]:
    """Each batch with its results in input order, with up to IN_FLIGHT batches queued per actor."""
    import ray

    pending: deque[tuple[list[Document], Any]] = deque()
    for n, docs in enumerate(batches):
        batch = [d.__dict__ for d in docs], [stored(d.id) for d in docs]
        pending.append((docs, pool[n % len(pool)].__call__.remote(*batch)))
        if len(pending) >= IN_FLIGHT * len(pool):
            docs, future = pending.popleft()
            yield docs, ray.get(future)
    while pending:
        docs, future = pending.popleft()
        yield docs, ray.get(future)
