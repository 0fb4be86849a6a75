"""Concurrent load on `bilateral serve`: N clients over the main pages and the API, on loopback only.

    .venv/bin/python bench/load.py [--db kb.db] [--clients 50] [--requests 3000] [--seconds 60]
                                   [--workers 1] [--no-cache]

Starts the server on 127.0.0.1 (a free port), warms each route once, then lets `--clients`
clients (asyncio, one connection each) send requests until `--requests` are done or `--seconds`
have passed, whichever comes first. Prints requests per second, p50/p95/p99/max latency in ms and
the errors (any answer but 200, or no answer), overall and by kind of route. Target (issue 17):
0 errors and p95 under 200 ms with 50 clients. Without --db, the sample corpus is extracted into
a temporary knowledge base first. The clients share the machine with the server: on 2 cores the
figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx

import bilateral

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "china-serbia"
WORDS = ["drones", "Vucic", "FK-3", "loan", "railway", "steel", "Belgrade", "exercise", "Huawei", "agreement"]


def routes(db: Path) -> list[tuple[str, str]]:
    """(kind, path): the pages and API routes a session of browsing touches."""
    with bilateral.open(db, readonly=True) as kb:
        entities = [e.id for e in sorted(kb.entity_summaries(), key=lambda e: -e.n_mentions)[:10]]
        events = [e.id for e in kb.events()[:20]]
        docs = list(kb.document_index())[:10]
    q = lambda i: quote(i, safe="")  # noqa: E731
    found = [("page", "/"), ("page", "/timeline"), ("page", "/conflicts"), ("page", "/quotes")]
    found += [("page", f"/register/{k}") for k in ("arms", "investments", "loans", "agreements")]
    found += [("page", f"/timeline?actor=Serbia&since={y}") for y in range(2010, 2026, 3)]
    found += [("search", f"/search?q={w}") for w in WORDS]
    found += [("page", f"/entity/{q(i)}") for i in entities] + [("page", f"/event/{q(i)}") for i in events]
    found += [("document", f"/document/{q(i)}") for i in docs]
    found += [
        ("api", p) for p in ("/api/overview", "/api/events", "/api/timeline?actor=SRB", "/api/entities")
    ]
    found += [("api", f"/api/search?q={w}") for w in WORDS[:5]] + [
        ("api", f"/api/documents/{q(i)}") for i in docs
    ]
    return found


async def load(
    port: int, plan: list[tuple[str, str]], clients: int, requests: int, seconds: float
) -> dict[str, list[float]]:
    """Latencies (ms) by kind, and "error" for each failed request. Each client keeps one HTTP/1.1
    connection and speaks the protocol itself: a general client (httpx) spent three times the
    server's CPU per request, and on a shared 2-core machine it measured itself."""
    times: dict[str, list[float]] = defaultdict(list)
    order = itertools.islice(itertools.cycle(plan), requests)
    deadline = time.monotonic() + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for kind, path in order:
                if time.monotonic() > deadline:
                    return
                start = time.perf_counter()
                try:
                    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("ascii"))
                    status = await _answer(reader)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    status = 0
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                times[kind if status == 200 else "error"].append((time.perf_counter() - start) * 1000)
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return times


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length or chunked); its status."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
    if "content-length" in fields:
        await reader.readexactly(int(fields["content-length"]))
    elif fields.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return status


def knowledge_base(db: Path | None, tmp: str) -> Path:
    """`db`, or the sample corpus extracted into a knowledge base in `tmp`."""
    if db is not None:
        return db
    with bilateral.open(Path(tmp) / "kb.db") as kb:
        kb.extract([CORPUS], Path(tmp) / "out")
    return Path(tmp) / "kb.db"


@contextmanager
def serving(db: Path, workers: int = 1, cache: bool = True) -> Iterator[str]:
    """The web app on a free loopback port until the block ends; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    if workers > 1:
        command = [
            "-m",
            "bilateral",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    else:
        app = f"create_app({str(db)!r}, cache_entries={512 if cache else 0})"
        run = f"uvicorn.run({app}, host='127.0.0.1', port={port}, log_level='warning')"
        command = ["-c", f"import uvicorn; from bilateral.web import create_app; {run}"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    server = subprocess.Popen(
        [sys.executable, *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=HERE.parent,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        yield base
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-cache", action="store_true", help="serve without the response cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = knowledge_base(args.db, tmp)
        with serving(db, args.workers, not args.no_cache) as base:
            plan = routes(db)
            for _, path in plan:  # warm: first renders, the chart, the snapshot of every worker
                httpx.get(base + path, timeout=60)
            start = time.perf_counter()
            port = int(base.rsplit(":", 1)[1])
            times = asyncio.run(load(port, plan, args.clients, args.requests, args.seconds))
            elapsed = time.perf_counter() - start
    done = sum(len(v) for v in times.values())
    cache = "off" if args.no_cache else "on"
    print(
        f"{args.clients} clients, {args.workers} worker(s), cache {cache}: {done} requests "
        f"in {elapsed:.1f} s, {done / elapsed:.0f}/s, {len(times.get('error', []))} errors"
    )
    print(f"{'routes':10} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    everything = [t for k, v in times.items() if k != "error" for t in v]
    for kind, values in [*sorted(times.items()), ("all", everything)]:
        if len(values) >= 2:
            cuts = statistics.quantiles(values, n=100)
            figures = [statistics.median(values), cuts[94], cuts[98], max(values)]
            print(f"{kind:10} {len(values):6} " + " ".join(f"{x:8.1f}" for x in figures))


def _wait(base: str) -> None:
    for _ in range(300):
        try:
            httpx.get(base + "/api/overview", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
