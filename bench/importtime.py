"""Import time and wall time of the commands that only read: they must not load spaCy and friends.

    .venv/bin/python bench/importtime.py [--db kb.db] [--repeat 3]

For each command, `python -X importtime -m bilateral ...` in a child process: the time spent
importing (the sum of every module's own time, the interpreter's start-up modules included), the
wall time of the whole command, and which heavy modules it loaded. The best of `--repeat` runs is
kept (the machine is shared). Target (issue 18): under 0.5 s of import time for `--help` and the
read commands, and for `serve`: the app's creation alone, and the whole `bilateral serve` command
up to the moment uvicorn says it is listening (the CLI, the server and its protocol modules
included; the server is then stopped). Without --db, the sample corpus is extracted into a
temporary knowledge base first.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load import knowledge_base

HERE = Path(__file__).resolve().parent
HEAVY = (
    "spacy",
    "matplotlib",
    "followthemoney",
    "networkx",
    "fastapi",
    "pydantic",
    "uvicorn",
    "pyarrow",
    "ray",
    "trafilatura",
    "pypdf",
    "psycopg",
    "numpy",
)
TARGET = 0.5  # seconds of import time
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def measure(args: list[str], repeat: int) -> tuple[float, float, list[str]]:
    """(import seconds, wall seconds, heavy modules loaded), best of `repeat` runs."""
    best: tuple[float, float, list[str]] | None = None
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "COLUMNS": "120"}
    for _ in range(repeat):
        start = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-X", "importtime", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            cwd=HERE.parent,
        )
        wall = time.perf_counter() - start
        seconds, heavy = _imported(run.stderr.splitlines())
        if best is None or seconds < best[0]:
            best = (seconds, wall, heavy)
    assert best is not None
    return best


def _imported(lines: list[str]) -> tuple[float, list[str]]:
    """Seconds of import in `-X importtime` lines, and the heavy modules among them."""
    found = [LINE.match(line) for line in lines]
    seconds = sum(int(m.group(1)) for m in found if m) / 1e6
    return seconds, sorted({m.group(4).split(".")[0] for m in found if m} & set(HEAVY))


def measure_serve(db: Path, repeat: int) -> tuple[float, float, list[str]]:
    """`bilateral serve`: every import until uvicorn listens (import seconds, seconds to listen,
    heavy modules), best of `repeat` runs."""
    best: tuple[float, float, list[str]] | None = None
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    for _ in range(repeat):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        argv = ["-X", "importtime", "-m", "bilateral", "serve", "--db", str(db), "--port", str(port)]
        start = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, *argv], stderr=subprocess.PIPE, text=True, env=env, cwd=HERE.parent
        )
        assert server.stderr is not None
        lines: list[str] = []
        ready = False
        for line in server.stderr:
            if ready := "Uvicorn running on" in line:
                break
            lines.append(line)
        wall = time.perf_counter() - start
        server.terminate()
        server.communicate(timeout=30)
        if not ready:
            raise SystemExit("bilateral serve did not start:\n" + "".join(lines[-20:]))
        seconds, heavy = _imported(lines)
        if best is None or seconds < best[0]:
            best = (seconds, wall, heavy)
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = knowledge_base(args.db, tmp)
        d = ["--db", str(db)]
        cases: list[tuple[str, list[str]]] = [
            ("import bilateral.cli", ["-c", "import bilateral.cli"]),
            ("import bilateral", ["-c", "import bilateral"]),
            ("bilateral --help", ["-m", "bilateral", "--help"]),
            ("bilateral docs", ["-m", "bilateral", "docs", *d]),
            ("bilateral timeline", ["-m", "bilateral", "timeline", *d]),
            ("bilateral events", ["-m", "bilateral", "events", *d]),
            ("bilateral register arms", ["-m", "bilateral", "register", "arms", *d]),
            ("bilateral conflicts", ["-m", "bilateral", "conflicts", *d]),
            ("bilateral quotes", ["-m", "bilateral", "quotes", *d]),
            ("bilateral actors", ["-m", "bilateral", "actors", *d]),
            ("bilateral entities", ["-m", "bilateral", "entities", *d]),
            ("bilateral search drones", ["-m", "bilateral", "search", "drones", *d]),
            ("bilateral show Vucic", ["-m", "bilateral", "show", "Vucic", *d]),
            (
                "serve start-up (create_app)",
                ["-c", f"from bilateral.web import create_app; create_app({str(db)!r})"],
            ),
            ("bilateral serve (listening)", ["serve"]),
            (
                "bilateral export graphml",
                ["-m", "bilateral", "export", "graphml", "-o", f"{tmp}/g.graphml", *d],
            ),
            ("bilateral report", ["-m", "bilateral", "report", "-o", f"{tmp}/r.html", *d]),
        ]
        print(f"{'command':32} {'import s':>9} {'wall s':>7}  {'target':8} heavy modules loaded")
        for label, argv in cases:
            if argv == ["serve"]:
                seconds, wall, heavy = measure_serve(db, args.repeat)
            else:
                seconds, wall, heavy = measure(argv, args.repeat)
            reads = not label.startswith(("bilateral export", "bilateral report", "bilateral show"))
            verdict = ("ok" if seconds < TARGET else "SLOW") if reads else "-"
            print(f"{label:32} {seconds:9.3f} {wall:7.2f}  {verdict:8} {', '.join(heavy) or '-'}")


if __name__ == "__main__":
    main()
