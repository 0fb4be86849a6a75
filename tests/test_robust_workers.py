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
import time
from pathlib import Path

import bilateral

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


def test_a_document_that_kills_its_worker_fails_alone_and_the_rest_is_kept(
    tmp_path: Path, sample_db: Path
) -> None:
    corpus, out, db = tmp_path / "corpus", tmp_path / "out", tmp_path / "kb.db"
    shutil.copytree(CORPUS, corpus)
    long = "".join(SENTENCES.format(day=1 + i % 28, year=1990 + i % 30, n=2 + i % 7) for i in range(600))
    (corpus / "zz_long.txt").write_text(long, encoding="utf-8")
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
            for pid in _children(run.pid) - limited:  # each worker, as soon as it is forked
                with contextlib.suppress(ProcessLookupError):
                    resource.prlimit(pid, resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))
                limited.add(pid)
            time.sleep(0.02)
        if run.poll() is None:
            run.kill()
        run.wait()
    errors = log.read_text()
    assert run.returncode == 0, errors[-3000:]
    failed = [line for line in errors.splitlines() if "could not be analysed" in line]
    # The batch's worker died, then the long document's own process: the only document that failed.
    assert failed == ["zz_long: could not be analysed (the process analysing it died (SIGXCPU))"], errors
    assert len(limited) >= 2 + 6  # the pool's two workers, then a process for each document
    # Everything else is what a run without the long document gives.
    clean = sample_db.parent / "out"
    for name in ("events.jsonl", "entities.jsonl"):
        assert (out / name).read_text(encoding="utf-8") == (clean / name).read_text(encoding="utf-8"), name
    with bilateral.open(db, readonly=True) as kb:
        assert len(kb.documents()) == 6 and kb.pending() == 1  # to be tried again by the next run
