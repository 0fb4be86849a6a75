"""Parse once: re-analysis after a change of the rules, against the first build (issue 18).

    .venv/bin/python bench/reanalysis.py [--docs 1000] [--out DIR] [--processes N]

Writes --docs synthetic documents (bench/scale.py's generator), copies the bilateral package to
--out, byte-compiles it as `pip install` does (where PYTHONDONTWRITEBYTECODE is set, both runs
would otherwise compile every module of ours, which no installed copy does) and runs
`bilateral extract` from that copy: the first build, which parses every document
and stores its parse. It then changes the lexicon in the copy (one more organisation, which the
entity ruler reads: a new analyser fingerprint, so every document is analysed again) and runs the
same command: the re-analysis, which restores the stored parses and runs the rules, mentions,
events and consolidation on them. Prints wall and CPU seconds of both (the `extract` process and
its spaCy workers), their ratios (target: re-analysis <= 15% of the first build), how many parses
the re-analysis stored anew (0: it ran no model), how it consolidated (incremental when the new
lexicon entry changes no document's results) and what the stored parses cost on disk.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale import synthetic

from bilateral.store import open_store

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent / "bilateral"
# A general entry of the kind the lexicon holds; it exists only in the benchmark's copy.
NEW_ORGANISATION = "- {name: Benchmark Development Fund, aliases: [BDF], subtype: bank}\n"


def extract(code: Path, corpus: Path, db: Path, out: Path, processes: int | None) -> tuple[float, float]:
    """`bilateral extract` run from the package copy in `code`: (wall seconds, CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "bilateral", "extract", str(corpus), "--out", str(out), "--db", str(db)]
    if processes:
        command += ["--processes", str(processes)]
    subprocess.run(
        command, check=True, capture_output=True, cwd=code, env=dict(os.environ, PYTHONPATH=str(code))
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def mark_parses(db: Path) -> tuple[int, int, int]:
    """(documents, bytes, tokens) of the stored parses; their token counts are then stored negated,
    so that the parses the next run stores anew (positive again) can be counted."""
    store = open_store(db)
    try:
        n, size, tokens = store.parse_size()
        with store.transaction():
            store._run("UPDATE parses SET words = -words")
        return n, size, tokens
    finally:
        store.close()


def new_parses(db: Path) -> tuple[int, str]:
    """(parses stored anew, how the re-analysis consolidated: incremental, or full and why)."""
    store = open_store(db)
    try:
        n = int(store._run("SELECT count(*) AS n FROM parses WHERE words > 0")[0]["n"])
        return n, store.consolidation_meta("consolidation_mode") or "?"
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bilateral-reanalysis")
    parser.add_argument("--processes", type=int, help="spaCy processes (default: the local engine's own)")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    code = args.out / "code"
    shutil.copytree(PACKAGE, code / "bilateral", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(code / "bilateral", quiet=1)
    corpus, db = args.out / "corpus.jsonl", args.out / "kb.db"
    words = synthetic(args.docs, corpus)
    print(f"{args.docs} documents, {words} words")

    first = extract(code, corpus, db, args.out / "first", args.processes)
    n, size, tokens = mark_parses(db)
    with (code / "bilateral" / "nlp" / "data" / "organisations.yml").open("a", encoding="utf-8") as fh:
        fh.write(NEW_ORGANISATION)
    again = extract(code, corpus, db, args.out / "again", args.processes)
    reparsed, mode = new_parses(db)

    print(f"first build:   {first[0]:7.1f} s wall  {first[1]:7.1f} s CPU")
    print(
        f"re-analysis:   {again[0]:7.1f} s wall  {again[1]:7.1f} s CPU  ({reparsed} documents parsed again,"
        f" consolidation {mode})"
    )
    print(f"ratio:         {again[0] / first[0]:7.1%} wall  {again[1] / first[1]:7.1%} CPU  (target <= 15%)")
    print(
        f"stored parses: {n} documents, {size / 1e6:.1f} MB, {size / tokens:.1f} bytes per token,"
        f" {size / words:.1f} bytes per word"
    )


if __name__ == "__main__":
    main()
