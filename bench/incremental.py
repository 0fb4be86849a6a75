"""Incremental updates: adding 10 documents to a large knowledge base, and removing 10.

    .venv/bin/python bench/incremental.py [--size 10000] [--extract 200] [--db FILE|postgresql://...]

The knowledge base. `--extract` documents of bench/scale.py's synthetic corpus are extracted
with `bilateral extract` (timed: the extraction rate); the result is replicated by SQL copies
(bench/scale.py's `replicate`) to `--size` documents, and a full consolidation of it is timed.
The build time reported is the extraction of `--size` documents at the measured rate plus that
full consolidation (extracting 10,000 documents takes hours on a small machine).

Then, timed: 10 new documents of the same kind are ingested, analysed and consolidated
(`KnowledgeBase.ingest` + `analyse`: their extraction, then an incremental consolidation), and 10
documents are removed (`KnowledgeBase.remove`, which consolidates incrementally). Each line gives
the consolidation's own time too and whether it ran incrementally; the last line a full
consolidation of the final knowledge base, for comparison.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from scale import replicate, synthetic

import bilateral
import bilateral.consolidate as consolidation

TIMES: list[float] = []


def _timed(*args: Any, **kw: Any) -> Any:
    start = time.perf_counter()
    try:
        return _consolidate(*args, **kw)
    finally:
        TIMES.append(time.perf_counter() - start)


_consolidate = consolidation.consolidate
consolidation.consolidate = _timed  # type: ignore[assignment]  # kb.consolidate imports it when called


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--extract", type=int, default=200)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bilateral-incremental-"))
    corpus = root / "corpus.jsonl"
    synthetic(args.extract + 10, corpus, seed=11)
    rows = corpus.read_text(encoding="utf-8").splitlines()
    base, new = root / "base.jsonl", root / "new.jsonl"
    base.write_text("\n".join(rows[: args.extract]) + "\n", encoding="utf-8")
    fresh = [{**json.loads(r), "doc": f"new{i}"} for i, r in enumerate(rows[-10:])]
    new.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in fresh), encoding="utf-8")
    small = str(root / "small.db")
    start = time.perf_counter()
    with bilateral.open(small) as kb:
        kb.extract([base], root / "out")
    extract = time.perf_counter() - start
    rate = extract / args.extract
    db = args.db or str(root / "kb.db")
    replicate(small, db, max(1, args.size // args.extract))
    with bilateral.open(db) as kb:
        documents = kb.store.document_count()
        TIMES.clear()
        kb.consolidate()
        full = TIMES[-1]
        build = rate * documents + full
        print(f"documents: {documents} (extracted {args.extract} in {extract:.1f} s, {rate:.3f} s each)")
        print(f"build: {build:.1f} s = extraction at that rate {rate * documents:.1f} s", end="")
        print(f" + full consolidation {full:.1f} s")
        start = time.perf_counter()
        kb.ingest([new])
        kb.analyse()
        add = time.perf_counter() - start
        mode = kb.store.consolidation_meta("consolidation_mode")
        print(
            f"+10 documents: {add:.2f} s ({100 * add / build:.2f}% of the build);"
            f" consolidation {TIMES[-1]:.2f} s ({mode}; {100 * TIMES[-1] / full:.1f}% of a full one)"
        )
        gone = [d.id for d in kb.store.document_summaries()[:: max(1, documents // 10)]][:10]
        start = time.perf_counter()
        kb.remove(gone)
        remove = time.perf_counter() - start
        mode = kb.store.consolidation_meta("consolidation_mode")
        print(
            f"-10 documents: {remove:.2f} s ({100 * remove / build:.2f}% of the build);"
            f" consolidation {TIMES[-1]:.2f} s ({mode}; {100 * TIMES[-1] / full:.1f}% of a full one)"
        )
        from bilateral.consolidate import full_consolidation

        start = time.perf_counter()
        with kb.store.transaction():
            full_consolidation(kb.store)
        print(f"full consolidation afterwards: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
