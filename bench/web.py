"""Page and API response times of `bilateral serve` on a knowledge base (default: the sample corpus).

    .venv/bin/python bench/web.py [--db out/demo.db] [--requests 50]

Starts the real server (uvicorn) on a free port, warms it up, then times each route over HTTP
and prints p50 and p95 in milliseconds. Target: every page well under 100 ms on the sample corpus.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import bilateral

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "china-serbia"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "kb.db"
            with bilateral.open(db) as kb:
                kb.extract([CORPUS], Path(tmp) / "out")
        with bilateral.open(db) as kb:
            entity = next(e for e in kb.entities("person"))
            event = kb.events()[0]
            doc = kb.documents()[0]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "bilateral", "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base)
            routes = [
                "/",
                "/search?q=drones",
                f"/entity/{entity.id}",
                f"/event/{event.id}",
                f"/document/{doc.id}",
                "/timeline",
                "/register/arms",
                "/api/events",
                "/api/search?q=Vucic",
            ]
            print(f"{'route':40} {'p50 ms':>8} {'p95 ms':>8}")
            for route in routes:
                _get(base + route)  # warm
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    _get(base + route)
                    times.append((time.perf_counter() - start) * 1000)
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"{route[:40]:40} {statistics.median(times):8.1f} {p95:8.1f}")
        finally:
            server.terminate()
            server.wait()


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:
        return bytes(r.read())


def _wait(base: str) -> None:
    for _ in range(200):
        try:
            _get(base + "/api/overview")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
