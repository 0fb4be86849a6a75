"""Large documents: sentence segmentation and analysis time and peak memory against length.

    python bench/large.py [--sizes 100000,400000] [--segment-sizes 1000000,8000000]

The text is the development sets' articles repeated, so it reads like news. Each size runs in a
child process of its own, so that the peak memory (ru_maxrss) is that size's alone. Linear means
the seconds per MB column stays flat as the size grows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def text_of(size: int) -> str:
    articles = [p.read_text("utf-8") for p in sorted(SHARED.rglob("*.txt"))]
    out, n = [], 0
    while n < size:
        for a in articles:
            out.append(a)
            n += len(a) + 1
    return "\n".join(out)[:size]


def child(kind: str, size: int) -> None:
    text = text_of(size)
    start = time.perf_counter()
    if kind == "segment":
        from bilateral.nlp.sentences import segment

        segment(text)
    else:
        from bilateral.analysis import analyse_documents
        from bilateral.models import Document
        from bilateral.nlp.pipeline import build

        nlp = build()
        start = time.perf_counter()
        for _ in analyse_documents(nlp, [Document(id="big", text=text)]):
            pass
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"kind": kind, "chars": size, "seconds": seconds, "peak_mb": peak}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,400000")
    parser.add_argument("--segment-sizes", default="1000000,8000000")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    print(f"{'stage':<10}{'chars':>12}{'seconds':>10}{'s per MB':>10}{'peak MB':>10}")
    runs = [("segment", int(s)) for s in args.segment_sizes.split(",")]
    runs += [("analyse", int(s)) for s in args.sizes.split(",")]
    for kind, size in runs:
        done = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(size)], capture_output=True, text=True, check=True
        )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        per_mb = r["seconds"] / (size / 1e6)
        print(f"{kind:<10}{size:>12,}{r['seconds']:>10.1f}{per_mb:>10.1f}{r['peak_mb']:>10.0f}")


if __name__ == "__main__":
    main()
