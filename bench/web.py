"""Page and API response times of `bilateral serve`, one request at a time, route by route.

    .venv/bin/python bench/web.py [--db out/demo.db] [--requests 50]

Starts the real server (uvicorn) on a free loopback port without its response cache (what each
page costs to make), warms it up, then times each route of `bench/load.py`'s plan over HTTP and
prints p50 and p95 in milliseconds. Target: every page well under 100 ms on the sample corpus.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from load import knowledge_base, routes, serving


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = knowledge_base(args.db, tmp)
        with serving(db, cache=False) as base, httpx.Client(base_url=base, timeout=60) as client:
            print(f"{'route':60} {'p50 ms':>8} {'p95 ms':>8}")
            for _, route in routes(db):
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
