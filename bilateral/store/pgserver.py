"""A throwaway PostgreSQL server on loopback, for tests, benchmarks and trying bilateral out.

Uses Debian's server programs (package postgresql) in a temporary folder: `initdb`, then
`pg_ctl start` on a free port, trust authentication for one role. As root the server runs as
the `postgres` user, since initdb refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import psycopg

_names = count(1)


def _program(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise RuntimeError(f"{name} is not installed: `make system-deps` installs Debian's postgresql")
    return str(found[-1])


@contextmanager
def server(role: str = "bilateral") -> Iterator[str]:
    """Start a server; yield its base URL (`postgresql://role@127.0.0.1:port`); stop and remove it."""
    base = Path(tempfile.mkdtemp(prefix="bilateral-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = base / "data"
    ctl = [*as_user, _program("pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            [*as_user, _program("initdb"), "-D", str(data), "-U", role, "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
        subprocess.run(
            [*ctl, "-o", options, "-l", str(base / "log"), "-w", "start"], check=True, capture_output=True
        )
        yield f"postgresql://{role}@127.0.0.1:{port}"
    finally:
        subprocess.run([*ctl, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def new_database(url: str, prefix: str = "kb") -> str:
    """A fresh, empty database on the server at `url`; its URL."""
    name = f"{prefix}{os.getpid()}_{next(_names)}"
    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{url}/{name}"
