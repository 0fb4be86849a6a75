"""Import time and wall time of the commands that only read: they must not load spaCy and friends.

    .venv/bin/python bench/importtime.py [--db kb.db] [--repeat 3]

For each command, `python -X importtime -m bilateral ...` in a child process: the time spent
importing (the sum of every module's own time, the interpreter's start-up modules included), the
wall time of the whole command, its CPU time (user + system: what a loaded machine inflates
least), and which heavy modules it loaded. The best of `--repeat` runs is kept (the machine is
shared); the load average is printed with the figures. The children may write bytecode even where
PYTHONDONTWRITEBYTECODE is set, as an installed package has it: otherwise every run would time
the compiling of our modules. Target (issue 18): under 0.5 s of import time for `--help` and the
read commands, and for `serve`: the app's creation alone, and the whole `bilateral serve` command
up to the moment uvicorn says it is listening (the CLI, the server and its protocol modules
included; the server is then stopped). Without --db, the sample corpus is extracted into a
temporary knowledge base first.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
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


Figures = tuple[float, float, float, list[str]]  # import s, wall s, CPU s, heavy modules


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "COLUMNS": "120"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(args: list[str], repeat: int) -> Figures:
    """(import seconds, wall seconds, CPU seconds, heavy modules loaded), best of `repeat` runs."""
    best: Figures | None = None
    env = _env()
    for _ in range(repeat):
        start, used = time.perf_counter(), _children_cpu()
        run = subprocess.run(
            [sys.executable, "-X", "importtime", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            cwd=HERE.parent,
        )
        wall, cpu = time.perf_counter() - start, _children_cpu() - used
        seconds, heavy = _imported(run.stderr.splitlines())
        best = _best(best, (seconds, wall, cpu, heavy))
    assert best is not None
    return best


def _best(best: Figures | None, new: Figures) -> Figures:
    """Each figure's best (the smallest) over the runs so far; the heavy modules of any run."""
    if best is None:
        return new
    return (min(best[0], new[0]), min(best[1], new[1]), min(best[2], new[2]), sorted({*best[3], *new[3]}))


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _imported(lines: list[str]) -> tuple[float, list[str]]:
    """Seconds of import in `-X importtime` lines, and the heavy modules among them."""
    found = [LINE.match(line) for line in lines]
    seconds = sum(int(m.group(1)) for m in found if m) / 1e6
    return seconds, sorted({m.group(4).split(".")[0] for m in found if m} & set(HEAVY))


def measure_serve(db: Path, repeat: int) -> Figures:
    """`bilateral serve`: every import until uvicorn listens (import seconds, seconds and CPU
    seconds to listen, heavy modules), best of `repeat` runs."""
    best: Figures | None = None
    env = _env()
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
        wall, cpu = time.perf_counter() - start, _cpu(server.pid)
        server.terminate()
        server.communicate(timeout=30)
        if not ready:
            raise SystemExit("bilateral serve did not start:\n" + "".join(lines[-20:]))
        seconds, heavy = _imported(lines)
        best = _best(best, (seconds, wall, cpu, heavy))
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
        print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        print(f"{'command':32} {'import s':>9} {'wall s':>7} {'cpu s':>6}  {'target':8} heavy modules loaded")
        for label, argv in cases:
            if argv == ["serve"]:
                seconds, wall, cpu, heavy = measure_serve(db, args.repeat)
            else:
                seconds, wall, cpu, heavy = measure(argv, args.repeat)
            reads = not label.startswith(("bilateral export", "bilateral report", "bilateral show"))
            verdict = ("ok" if seconds < TARGET else "SLOW") if reads else "-"
            print(f"{label:32} {seconds:9.3f} {wall:7.2f} {cpu:6.2f}  {verdict:8} {', '.join(heavy) or '-'}")
        print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
