"""Words per second of the whole `extract` pipeline against plain spaCy on the same texts.

    .venv/bin/python bench/throughput.py [--copies 40] [--rounds 1] [--corpus ../shared/corpus/china-serbia]

The sample corpus is copied `--copies` times into a temporary folder (distinct files, so every
copy is ingested and analysed). Plain spaCy is `spacy.load(<the same model>).pipe(texts)` with
the same batch size and number of processes the pipeline uses for that many documents. The
pipeline figure covers ingest, parsing, entities, events, resolution, fusion and export. Both
sides run back to back in one process (with `--rounds`, alternately, keeping each side's best
round); the CPU time (this process and its finished children) is printed beside the wall time.
On a shared machine whose speed drifts by 10-20% within minutes, the best rounds of each side may
come from different phases: each round's own ratio (its two sides run back to back) and their
median are printed too. Each round loads the model (plain) and builds the pipeline (bilateral)
anew; the first round of bilateral's side also imports its modules and reads its data files, which
later rounds find loaded, as plain spaCy's modules are from the start.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import spacy

import bilateral
from bilateral.kb import PARALLEL_FROM
from bilateral.nlp.pipeline import MODEL, _pipeline

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "china-serbia"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of both sides; the best of each is kept"
    )
    args = parser.parse_args()

    sources = sorted(p for p in args.corpus.iterdir() if p.suffix in (".txt", ".md"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for i in range(args.copies):
            for src in sources:
                shutil.copy(src, folder / f"{i:04d}_{src.name}")
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]
        words = sum(len(t.split()) for t in texts)
        procs = 2 if len(texts) >= PARALLEL_FROM else 1

        plain = whole = (float("inf"), float("inf"))
        paired: list[float] = []  # each round's plain wall time over its pipeline wall time
        for i in range(args.rounds):  # alternately, the best round of each side is kept
            start, cpu = time.perf_counter(), _cpu()
            nlp = spacy.load(MODEL)
            for _ in nlp.pipe(texts, batch_size=16, n_process=procs):
                pass
            plain_took = time.perf_counter() - start
            plain = min(plain, (plain_took, _cpu() - cpu))

            _pipeline.cache_clear()  # each round loads its model, as plain spaCy does
            start, cpu = time.perf_counter(), _cpu()
            with bilateral.open(Path(tmp) / f"kb{i}.db") as kb:
                kb.extract([folder], Path(tmp) / f"out{i}")
            took = time.perf_counter() - start
            whole = min(whole, (took, _cpu() - cpu))
            paired.append(plain_took / took)

    print(f"documents {len(texts)}, words {words}, processes {procs}, best of {args.rounds} round(s)")
    print(f"plain nlp.pipe   {words / plain[0]:10.0f} words/s  ({plain[0]:.1f} s, CPU {plain[1]:.1f} s)")
    print(f"bilateral extract{words / whole[0]:10.0f} words/s  ({whole[0]:.1f} s, CPU {whole[1]:.1f} s)")
    print(f"ratio {plain[0] / whole[0]:.2f}, in CPU time {plain[1] / whole[1]:.2f} (target >= 1.0)")
    if paired:
        rounds = " ".join(f"{r:.2f}" for r in paired)
        print(f"each round's ratio {rounds}; median {statistics.median(paired):.2f}")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (spaCy's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
