"""Page and API response times of `bilateral serve`, one request at a time, route by route.

    .venv/bin/python bench/web.py [--db out/demo.db] [--requests 50]
    .venv/bin/python bench/web.py --long 240000 [--requests 5]

Starts the real server (uvicorn) on a free loopback port without its response cache (what each
page costs to make), warms it up, then times each route of `bench/load.py`'s plan over HTTP and
prints p50 and p95 in milliseconds. Target: every page well under 100 ms on the sample corpus.
With --long N, the knowledge base is one document of N characters (the sample articles repeated,
about a minute to extract) and the route timed is its reading view (it took 12 s at 240,000).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from load import CORPUS, knowledge_base, routes, serving

import bilateral


def long_document(chars: int, tmp: str) -> Path:
    """A knowledge base of one document of `chars` characters, the sample articles repeated."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    text = "\n\n".join(texts * (chars // sum(len(t) + 2 for t in texts) + 1))[:chars]
    (Path(tmp) / "long").mkdir()
    (Path(tmp) / "long" / "long.txt").write_text(text, encoding="utf-8")
    with bilateral.open(Path(tmp) / "long.db") as kb:
        kb.extract([Path(tmp) / "long"], Path(tmp) / "out-long")
    return Path(tmp) / "long.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--long", type=int, help="time the page of one document this long instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = long_document(args.long, tmp) if args.long else knowledge_base(args.db, tmp)
        plan = [("document", "/document/long")] if args.long else routes(db)
        with serving(db, cache=False) as base, httpx.Client(base_url=base, timeout=60) as client:
            print(f"{'route':60} {'p50 ms':>8} {'p95 ms':>8}")
            for _, route in plan:
                client.get(route)  # warm
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    client.get(route)
                    times.append((time.perf_counter() - start) * 1000)
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"{route[:60]:60} {statistics.median(times):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
