"""One long document against the same text as 40 documents: time and peak memory of `extract`.

    .venv/bin/python bench/longdoc.py [--words 50000] [--parts 40]

The text is the development sets' articles repeated (so it reads like news) up to `--words` words,
cut at line breaks into `--parts` files for the split side. Each side runs the whole `extract`
(ingest, analysis, consolidation, export) in a child process of its own, so that its peak memory
(ru_maxrss) is its own; both run back to back, the long document first. Linear in document length
means the ratio long/split is close to 1 (target <= 1.5 in time and in memory).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def text_of(words: int) -> str:
    """Articles repeated, line by line, until the text has `words` words."""
    lines = [line for p in sorted(SHARED.rglob("*.txt")) for line in p.read_text("utf-8").splitlines()]
    out: list[str] = []
    n = 0
    while n < words:
        for line in lines:
            out.append(line)
            n += len(line.split())
            if n >= words:
                break
    return "\n".join(out) + "\n"


def split(text: str, parts: int) -> list[str]:
    """The text cut at line breaks into `parts` pieces of about equal length."""
    lines = text.splitlines(keepends=True)
    size = len(text) / parts
    pieces: list[str] = [""]
    for line in lines:
        if len(pieces[-1]) >= size and len(pieces) < parts:
            pieces.append("")
        pieces[-1] += line
    return pieces


def child(folder: Path) -> None:
    """Extract one folder; print seconds per stage and the peak memory as JSON."""
    import bilateral

    times: dict[str, float] = {}
    start = time.perf_counter()
    with bilateral.open(folder.parent / f"{folder.name}.db") as kb:
        kb.ingest([folder])
        times["ingest"] = time.perf_counter() - start
        times["ingest_mb"] = _peak()
        kb.analyse()
        times["analyse"] = time.perf_counter() - start - times["ingest"]
        times["analyse_mb"] = _peak()
        kb.export(folder.parent / f"{folder.name}-out")
    times["total"] = time.perf_counter() - start
    print(json.dumps({**times, "peak_mb": _peak()}))


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(folder)], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--parts", type=int, default=40)
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    text = text_of(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        long, short = Path(tmp) / "long", Path(tmp) / "split"
        long.mkdir()
        short.mkdir()
        (long / "long.txt").write_text(text, encoding="utf-8")
        for i, piece in enumerate(split(text, args.parts)):
            (short / f"part{i:03d}.txt").write_text(piece, encoding="utf-8")
        results = {"long": run(long), f"{args.parts} docs": run(short)}
    print(f"{len(text.split()):,} words, {len(text):,} characters")
    print(f"{'':<10}{'ingest s':>10}{'analyse s':>10}{'total s':>10}   peak MB after ingest, analyse, all")
    for name, r in results.items():
        print(
            f"{name:<10}{r['ingest']:>10.1f}{r['analyse']:>10.1f}{r['total']:>10.1f}"
            f"{r['ingest_mb']:>10.0f}{r['analyse_mb']:>10.0f}{r['peak_mb']:>10.0f}"
        )
    a, b = results.values()
    print(
        f"ratio long/split: time {a['total'] / b['total']:.2f}, peak memory {a['peak_mb'] / b['peak_mb']:.2f}"
    )
    print("(target <= 1.5 in both)")


if __name__ == "__main__":
    main()
