"""`extract` killed (SIGKILL) at points spread over its run, then run again, gives what a clean run
gives; spaCy's worker processes do not outlive a killed `extract` (issue 17)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from .conftest import CORPUS, ROOT

EXPORTS = ("documents.jsonl", "entities.jsonl", "events.jsonl")


def _extract(out: Path, db: Path, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "bilateral", "extract", str(CORPUS), "--out", str(out), "--db", str(db)]
    return [*command, *extra]


def _run(out: Path, db: Path) -> subprocess.Popen[bytes]:
    quiet = subprocess.DEVNULL
    return subprocess.Popen(_extract(out, db), stdout=quiet, stderr=quiet, env=_env())


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _state(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (fields[0], int(fields[1])) if fields[0] not in ("Z", "X") else None


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (state := _state(int(entry.name))) and state[1] == pid:
            found.append(int(entry.name))
    return found


def test_spacy_workers_do_not_outlive_a_killed_extract(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        _extract(tmp_path / "out", tmp_path / "kb.db", "--processes", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    workers: list[int] = []
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and len(workers) < 2:
        time.sleep(0.1)
        workers = _children(proc.pid)
    assert len(workers) >= 2, "extract finished or stalled before starting its two parsing processes"
    time.sleep(0.5)
    proc.kill()
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_state(w) for w in workers):
        time.sleep(0.1)
    survivors = [w for w in workers if _state(w)]
    for pid in survivors:  # leave no process behind, even when the test fails
        os.kill(pid, 9)
    assert not survivors, "spaCy workers outlived the killed extract"


def test_extract_killed_at_points_over_its_run_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    clean, out, db = tmp_path / "clean", tmp_path / "out", tmp_path / "kb.db"
    start = time.perf_counter()
    assert _run(clean, tmp_path / "clean.db").wait() == 0
    whole = time.perf_counter() - start
    seed = int(time.time())
    rng = random.Random(seed)
    # Points spread over the run (ingest and analysis, consolidation, export), with jitter.
    points = [whole * (f + rng.uniform(-0.05, 0.05)) for f in (0.3, 0.65, 0.9)]
    for point in points:
        proc = _run(out, db)
        try:
            proc.wait(timeout=point)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert _run(out, db).wait() == 0
    for name in EXPORTS:
        assert (out / name).read_text(encoding="utf-8") == (clean / name).read_text(encoding="utf-8"), (
            f"{name} differs after kills at {[round(p, 1) for p in points]} s (seed {seed})"
        )
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTS)  # no half-written leftovers
