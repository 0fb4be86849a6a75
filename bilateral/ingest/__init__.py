"""Ingest: find documents on disk and read each into a `Document` with its metadata."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..models import Document
from .collections import SUFFIXES as COLLECTIONS
from .manifest import NAMES as MANIFEST_NAMES
from .manifest import read_manifest
from .metadata import infer
from .readers import FORMATS, READERS, IngestError

__all__ = ["DEFAULT_MAX_BYTES", "IngestError", "Source", "discover", "load"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Source:
    """A file to ingest, with the metadata its folder's manifest gives it."""

    path: Path
    meta: dict[str, str]


def discover(paths: Iterable[str | Path]) -> Iterator[Source | tuple[Path, IngestError]]:
    """Files and collections under the given paths (recursive, sorted), or the error that stops
    one being read. An unreadable manifest is reported once, and its folder's files are read
    without its metadata."""
    manifests: dict[Path, dict[str, dict[str, str]]] = {}

    def manifest_error(folder: Path) -> IngestError | None:
        if folder in manifests:
            return None
        try:
            manifests[folder] = read_manifest(folder)
        except IngestError as exc:
            manifests[folder] = {}
            return exc
        return None

    for given in paths:
        root = Path(given)
        if not root.exists() and not root.is_symlink():
            yield root, IngestError("no such file or directory")
            continue
        files = sorted(p for p in root.rglob("*") if not p.is_dir()) if root.is_dir() else [root]
        for path in files:
            if path.name in MANIFEST_NAMES or path.name.startswith("."):
                continue
            suffix = path.suffix.lower()
            if root.is_dir() and suffix not in FORMATS and suffix not in COLLECTIONS:
                continue  # in a folder, ignore other files; named explicitly, they are an error
            if suffix not in COLLECTIONS and (error := manifest_error(path.parent)):
                yield _manifest_path(path.parent), error
            yield Source(path, manifests.get(path.parent, {}).get(path.stem, {}))


def _manifest_path(folder: Path) -> Path:
    return next((folder / n for n in MANIFEST_NAMES if (folder / n).exists()), folder / MANIFEST_NAMES[0])


def load(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document (id still unassigned); raise IngestError on bad input."""
    path = source.path
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise IngestError(
            f"unknown extension {path.suffix or '(none)'!r}; supported: {', '.join(sorted(FORMATS))}"
        )
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read forever
            raise IngestError("not a regular file (a pipe, socket or device)")
        size = info.st_size
        if size > max_bytes:
            raise IngestError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"unreadable: {exc.strerror or exc}") from exc
    extracted = READERS[fmt](data)
    meta: dict[str, str] = {}
    meta.update(infer(extracted.text))
    meta.update(
        {k: str(v) for k, v in extracted.meta.items() if k in ("title", "published", "source", "url")}
    )
    meta.update(source.meta)
    return Document(
        id="",
        text=extracted.text,
        path=str(path.resolve()),
        format=fmt,
        title=meta.get("title"),
        source=meta.get("source"),
        published=meta.get("published"),
        url=meta.get("url"),
        kind=meta.get("kind"),
        encoding=extracted.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        extra={k: v for k, v in extracted.meta.items() if k == "author"},
    )
