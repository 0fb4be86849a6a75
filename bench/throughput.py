"""Words per second of the whole `extract` pipeline against plain spaCy on the same texts.

    .venv/bin/python bench/throughput.py [--copies 40] [--corpus ../shared/corpus/china-serbia]

The sample corpus is copied `--copies` times into a temporary folder (distinct files, so every
copy is ingested and analysed). Plain spaCy is `spacy.load(<the same model>).pipe(texts)` with
the same batch size and number of processes the pipeline uses for that many documents. The
pipeline figure covers ingest, parsing, entities, events, resolution, fusion and export. Both
sides run back to back in one process; the CPU time (this process and its finished children) is
printed beside the wall time, since on a shared machine it varies less.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import spacy

import bilateral
from bilateral.kb import PARALLEL_FROM
from bilateral.nlp.pipeline import MODEL

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "china-serbia"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=40)
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

        start, cpu = time.perf_counter(), _cpu()
        nlp = spacy.load(MODEL)
        for _ in nlp.pipe(texts, batch_size=16, n_process=procs):
            pass
        plain, plain_cpu = time.perf_counter() - start, _cpu() - cpu

        start, cpu = time.perf_counter(), _cpu()
        with bilateral.open(Path(tmp) / "kb.db") as kb:
            kb.extract([folder], Path(tmp) / "out")
        whole, whole_cpu = time.perf_counter() - start, _cpu() - cpu

    print(f"documents {len(texts)}, words {words}, processes {procs}")
    print(f"plain nlp.pipe   {words / plain:10.0f} words/s  ({plain:.1f} s, CPU {plain_cpu:.1f} s)")
    print(f"bilateral extract{words / whole:10.0f} words/s  ({whole:.1f} s, CPU {whole_cpu:.1f} s)")
    print(f"ratio {plain / whole:.2f}, in CPU time {plain_cpu / whole_cpu:.2f} (target >= 1.0)")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (spaCy's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
