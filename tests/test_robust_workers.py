"""A worker process that dies in the middle of an analysis (killed by the kernel, as a segfault,
the OOM killer or a resource limit kills it) stops neither the run nor the other documents: only
the document that kills its process fails, named with the cause, and the next run tries it again."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import bilateral
from bilateral.analysis import Analysed, Parses, analyse_documents
from bilateral.models import Document, event_to_record

from .conftest import CORPUS, ROOT

CPU_SECONDS = 4  # each worker's limit: far above what one sample article costs, far below the long one
# Composed sentences about an invented relationship, repeated into a document that takes far more
# CPU time to analyse than the limit.
SENTENCES = (
    "The defence ministers of Norway and Chile met in Oslo on {day} March {year} to discuss naval "
    "cooperation. Chile agreed to buy {n} patrol boats from a Norwegian shipyard, officials said. "
    "Norway will lend Chile {n}0 million dollars for a new port in Valparaiso, according to the "
    "ministry. The two navies held a joint exercise off the coast in {year}. "
)


def _long() -> str:
    return "".join(SENTENCES.format(day=1 + i % 28, year=1990 + i % 30, n=2 + i % 7) for i in range(600))


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _limit(pids: set[int]) -> None:
    """Each worker's CPU-time limit; the kernel kills one that passes it (SIGXCPU)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            resource.prlimit(pid, resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))


def test_a_document_that_kills_its_worker_fails_alone_and_the_rest_is_kept(
    tmp_path: Path, sample_db: Path
) -> None:
    corpus, out, db = tmp_path / "corpus", tmp_path / "out", tmp_path / "kb.db"
    shutil.copytree(CORPUS, corpus)
    (corpus / "zz_long.txt").write_text(_long(), encoding="utf-8")
    command = [sys.executable, "-m", "bilateral", "extract", str(corpus), "--out", str(out), "--db", str(db)]
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        run = subprocess.Popen(
            [*command, "--processes", "2"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        limited: set[int] = set()
        deadline = time.time() + 600
        while run.poll() is None and time.time() < deadline:
            new = _children(run.pid) - limited  # each worker, as soon as it is forked
            _limit(new)
            limited |= new
            time.sleep(0.02)
        if run.poll() is None:
            run.kill()
        run.wait()
    errors = log.read_text()
    assert run.returncode == 0, errors[-3000:]
    failed = [line for line in errors.splitlines() if "could not be analysed" in line]
    # The batch's worker died, then the long document's own process: the only document that failed.
    assert failed == ["zz_long: could not be analysed (the process analysing it was killed by SIGXCPU)"], (
        errors
    )
    assert len(limited) >= 2 + 6  # the pool's two workers, then a process for each document
    # Everything else is what a run without the long document gives.
    clean = sample_db.parent / "out"
    for name in ("events.jsonl", "entities.jsonl"):
        assert (out / name).read_text(encoding="utf-8") == (clean / name).read_text(encoding="utf-8"), name
    with bilateral.open(db, readonly=True) as kb:
        assert len(kb.documents()) == 6 and kb.pending() == 1  # to be tried again by the next run


@contextmanager
def _limited_forks() -> Iterator[set[int]]:
    """While in the block, every process this one forks gets the CPU-time limit."""
    me, done, limited = os.getpid(), threading.Event(), set[int]()
    command = Path(f"/proc/{me}/cmdline").read_bytes()

    def watch() -> None:
        while not done.wait(0.02):
            new = {p for p in _children(me) - limited if _cmdline(p) == command}
            _limit(new)
            limited.update(new)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield limited
    finally:
        done.set()
        watcher.join()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _records(results: list[Analysed]) -> list[Any]:
    return [(d.id, [vars(m) for m in ms], [event_to_record(e) for e in es]) for d, ms, es in results]


def test_after_a_dead_worker_the_lost_batch_goes_one_by_one_and_a_fresh_pool_takes_the_rest(
    nlp: Language,
) -> None:
    # Six batches of short composed documents, the long one in the first: while its worker dies, the
    # pool's other worker finishes the batches queued behind it, and the last ones need a new pool.
    states = ["Norway", "Chile", "Kenya", "Vietnam", "Peru", "Poland", "Ghana", "Japan", "Egypt", "Chad"]
    docs = [
        Document(
            id=f"d{i:03}",
            text=f"{states[i % 10]} and {states[(i * 3 + 1) % 10]} signed a trade agreement in "
            f"{2000 + i % 20}. {states[i % 10]} will buy {2 + i % 9} trucks from {states[(i * 3 + 1) % 10]}.",
        )
        for i in range(90)
    ]
    docs.insert(3, Document(id="long", text=_long()))
    expected = _records(list(analyse_documents(nlp, [d for d in docs if d.id != "long"])))
    errors: dict[str, str] = {}
    with _limited_forks() as limited:
        found = analyse_documents(
            nlp, docs, n_process=2, on_error=lambda d, e: errors.update({d.id: e}), parses=Parses(nlp)
        )
        assert _records(list(found)) == expected  # in input order, the long document left out
    assert errors == {"long": "the process analysing it was killed by SIGXCPU"}
    # Beyond the first pool's two workers, at least the long document's own process (a short
    # document's may come and go between two looks); batches 5 and 6 can only come from a new pool.
    assert len(limited) >= 3


def test_a_text_the_tokenizer_cannot_read_fails_alone_in_one_process(nlp: Language) -> None:
    # spaCy's tokenizer raises for a lone surrogate, for the whole batch it parses: the document is
    # failed before it is parsed, with the codec's message, and the others are analysed.
    docs = [
        Document(id=f"d{i}", text=f"Peru and Chile signed a trade agreement in {2000 + i}.") for i in range(3)
    ]
    docs.insert(1, Document(id="bad", text="Kenya and Ghana signed a trade agreement in 2019. \ud800"))
    errors: dict[str, str] = {}
    found = analyse_documents(nlp, docs, on_error=lambda d, e: errors.update({d.id: e}), parses=Parses(nlp))
    assert [d.id for d, _, _ in found] == ["d0", "d1", "d2"]
    assert list(errors) == ["bad"] and "surrogates not allowed" in errors["bad"], errors


@Language.component("raises_on_marker")
def _raises_on_marker(doc: Doc) -> Doc:
    """A pipeline component (another package's, say) that raises for one text: spaCy's `pipe` then
    raises for the whole batch it was parsing."""
    if "Marker-7" in doc.text:
        raise ValueError("this component cannot read Marker-7")
    return doc


@contextmanager
def _raising_component(nlp: Language) -> Iterator[None]:
    nlp.add_pipe("raises_on_marker", first=True)
    try:
        yield
    finally:
        nlp.remove_pipe("raises_on_marker")


@pytest.mark.parametrize("processes", [1, 2])
def test_a_document_the_pipeline_raises_for_fails_alone(nlp: Language, processes: int) -> None:
    # In one process, and among forty documents in two worker processes: the batch is parsed again
    # a document at a time, only that document fails, with the exception as its cause, and (in
    # workers) neither a process per document nor a fresh pool is started.
    docs = [
        Document(id=f"d{i:02}", text=f"Peru and Chile signed a trade agreement in {2000 + i}.")
        for i in range(40 if processes > 1 else 6)
    ]
    docs.insert(3, Document(id="bad", text="Kenya and Ghana signed a trade agreement in 2019 at Marker-7."))
    expected = _records(list(analyse_documents(nlp, [d for d in docs if d.id != "bad"])))
    errors: dict[str, str] = {}
    with _raising_component(nlp), _limited_forks() as forked:
        found = analyse_documents(
            nlp, docs, n_process=processes, on_error=lambda d, e: errors.update({d.id: e}), parses=Parses(nlp)
        )
        assert _records(list(found)) == expected
    assert errors == {"bad": "ValueError: this component cannot read Marker-7"}
    assert len(forked) == (2 if processes > 1 else 0)  # the pool's two workers, which the whole run used
