"""`analyse_documents` in forked worker processes, a batch of documents each at a time, that no
dying worker stops.

A worker can die without raising (a segfault in a native library, the kernel's OOM killer, a
resource limit, os._exit): the pool is then broken and every batch in it lost. The batches that
had finished are kept, each lost one is analysed again one document at a time, each document in
a process of its own (so that the one that kills its process is found, and only it fails, with
the cause), and the remaining batches go to a fresh pool. A batch that raised (in a worker that
lives on) breaks nothing: its documents go back to the same pool one per job.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from spacy.language import Language

from .analysis import (
    BATCH,
    Analysed,
    ErrorHandler,
    Parses,
    analyse_documents,
    cause,
    log,
    masked_text,
    text_sha,
)
from .models import Document, Event, Mention
from .store import Store
from .store.parses import StoredParse

READ_BATCH = 200  # documents read at a time to check their parses

_forked: list[Language] = []  # the pipeline that the forked workers find in their memory
_FORK = multiprocessing.get_context("fork")
# A document's results from a worker: (mentions, candidates) or None, its new parse, its error.
_Pooled = tuple[tuple[list[Mention], list[Event]] | None, StoredParse | None, str]
_Job = tuple[Document, StoredParse | None]


def pooled(
    parses: Parses, docs: Iterable[Document], n_process: int, on_error: ErrorHandler | None
) -> Iterator[Analysed]:
    """Each document analysed in one of `n_process` forked workers, in input order; a document
    whose analysis failed, or whose process died, goes to `on_error` with the cause.

    Each worker runs the whole per-document analysis on its batch (the model only for documents
    without a stored parse); this process reads the stored parses and keeps the new ones. The
    workers inherit the loaded pipeline (fork), and at most two batches per worker are queued.
    """
    _forked[:] = [parses.nlp]
    source = iter(docs)
    batches = iter(lambda: list(islice(source, BATCH)), [])
    while not (yield from _in_pool(parses, batches, n_process, on_error)):
        pass  # a worker died: a fresh pool for the batches left


def all_parsed(store: Store, ids: list[str], model: str) -> bool:
    """Whether every document of `ids` has a stored parse that `model` made from its text as it is
    now: if not, the caller reads the weights before the workers are forked, not each worker.
    Read a batch at a time; the first batch with a document to parse answers."""
    for i in range(0, len(ids), READ_BATCH):
        shas = {d.id: text_sha(masked_text(d.text)) for d in store.documents(ids[i : i + READ_BATCH])}
        if len(store.parsed(model, shas)) < len(shas):
            return False
    return True


def _in_pool(
    parses: Parses, batches: Iterator[list[Document]], n_process: int, on_error: ErrorHandler | None
) -> Generator[Analysed, None, bool]:
    """Batches in one pool until there are none left (returns True) or a worker dies (False)."""
    pending: deque[tuple[list[Document], Future[list[_Pooled]]]] = deque()
    broken = False
    with ProcessPoolExecutor(n_process, mp_context=_FORK) as pool:
        for batch in batches:
            pending.append((batch, _submit(pool, _jobs(parses, batch))))
            while not broken and pending and (len(pending) >= 2 * n_process or pending[0][1].done()):
                broken = yield from _collect(pool, pending, parses, on_error)
            if broken:
                break
        while not broken and pending:
            broken = yield from _collect(pool, pending, parses, on_error)
    # When a worker died: the batches it took down with it (and any finished before), analysed again
    # one document at a time, after the broken pool is gone (no fork beside its threads).
    for batch, future in pending:
        if future.exception() is None:
            yield from _results(batch, future.result(), parses, on_error)
        else:
            yield from _one_by_one(parses, batch, n_process, on_error)
    return not broken


def _collect(
    pool: ProcessPoolExecutor,
    pending: deque[tuple[list[Document], Future[list[_Pooled]]]],
    parses: Parses,
    on_error: ErrorHandler | None,
) -> Generator[Analysed, None, bool]:
    """The first pending batch's results; returns True, leaving it pending, if its worker died.

    A batch whose function raised (an error outside `analyse_documents`' handling of each
    document) came from a live pool: its documents go back to the same pool one per job, so that
    only the one that raises fails, with its exception as the cause.
    """
    batch, future = pending[0]
    error = future.exception()
    if isinstance(error, BrokenProcessPool):
        return True
    pending.popleft()
    if error is None:
        yield from _results(batch, future.result(), parses, on_error)
    elif len(batch) > 1:
        pending.extendleft(reversed([([d], _submit(pool, _jobs(parses, [d]))) for d in batch]))
    else:
        _failed(batch[0], cause(error), on_error)
    return False


def _submit(pool: ProcessPoolExecutor, jobs: list[_Job]) -> Future[list[_Pooled]]:
    try:
        return pool.submit(_analyse_batch, jobs)
    except BrokenProcessPool as exc:  # a worker died since the last batch was collected
        future: Future[list[_Pooled]] = Future()
        future.set_exception(exc)
        return future


def _jobs(parses: Parses, batch: list[Document]) -> list[_Job]:
    return [(d, parses.stored(d.id) if parses.stored else None) for d in batch]


def _analyse_batch(jobs: list[_Job]) -> list[_Pooled]:
    """In a worker: analyse a batch of documents with their stored parses."""
    nlp = _forked[0]
    parses = Parses(nlp, {d.id: p for d, p in jobs if p}.get)
    errors: dict[str, str] = {}
    docs = [d for d, _ in jobs]
    results = {
        d.id: (ms, es)
        for d, ms, es in analyse_documents(
            nlp, docs, on_error=lambda d, e: errors.update({d.id: e}), parses=parses
        )
    }
    return [(results.get(d.id), parses.made.get(d.id), errors.get(d.id, "no result")) for d in docs]


def _results(
    batch: list[Document], results: list[_Pooled], parses: Parses, on_error: ErrorHandler | None
) -> Iterator[Analysed]:
    for doc, (result, made, error) in zip(batch, results, strict=True):
        if result is None:
            _failed(doc, error, on_error)
            continue
        if made:
            parses.made[doc.id] = made
        yield doc, *result


def _failed(doc: Document, error: str, on_error: ErrorHandler | None) -> None:
    if on_error:
        on_error(doc, error)
    else:
        log.error("%s: could not be analysed (%s)", doc.id, error)


def _one_by_one(
    parses: Parses, batch: list[Document], n_process: int, on_error: ErrorHandler | None
) -> Iterator[Analysed]:
    """Each document in a process of its own, `n_process` at a time, in order."""
    running: deque[tuple[Document, BaseProcess, Connection]] = deque()
    for doc in batch:
        running.append((doc, *_start(_jobs(parses, [doc]))))
        if len(running) == n_process:
            yield from _results([running[0][0]], _finish(*running.popleft()[1:]), parses, on_error)
    while running:
        yield from _results([running[0][0]], _finish(*running.popleft()[1:]), parses, on_error)


def _start(jobs: list[_Job]) -> tuple[BaseProcess, Connection]:
    receive, send = _FORK.Pipe(duplex=False)
    process = _FORK.Process(target=_send, args=(send, jobs), daemon=True)
    process.start()
    send.close()  # ours: the worker's end closes when it dies, which ends our wait
    return process, receive


def _send(send: Connection, jobs: list[_Job]) -> None:
    try:
        found = _analyse_batch(jobs)
    except Exception as exc:  # raised outside the per-document handling: the document's cause
        found = [(None, None, cause(exc)) for _ in jobs]
    try:
        send.send(found)
    except BaseException:  # a result that cannot be sent: the document's error line, not a traceback
        os._exit(1)


def _finish(process: BaseProcess, results: Connection) -> list[_Pooled]:
    """The worker's results, or its death as the one document's error."""
    try:
        found: list[_Pooled] = results.recv()
    except EOFError:
        found = []
    finally:
        results.close()
    process.join()
    if found:
        return found
    code = process.exitcode or 0
    how = f"exited with status {code}"
    if code < 0:
        known = -code in signal.valid_signals()
        how = f"was killed by {signal.Signals(-code).name if known else f'signal {-code}'}"
    return [(None, None, f"the process analysing it {how}")]
