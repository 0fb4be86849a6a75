"""Exports: what crosses a boundary to other tools, as JSON lines (ONTOLOGY.md's exchange format).

Every export file is written through `atomic`: a killed export leaves the previous file whole,
never a truncated one beside fresh ones.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .jsonl import EXPORTS, write_jsonl


@contextmanager
def atomic(path: str | Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open `path` for writing as a hidden file in the same folder, renamed over `path` when the
    block ends without error (and removed when it fails): readers see the old file or the new
    one, whole. `mode` is "w" or "wb"; text files default to UTF-8."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(target)
    temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
    try:
        with open(temp, mode.replace("w", "x"), **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _remove_stale(target: Path) -> None:
    """Remove what a killed writer of `target` left: temporary files of processes now gone."""
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        pid = stale.name[len(target.name) + 2 :].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = ["EXPORTS", "atomic", "write_jsonl"]
