"""Ingest: find documents on disk and read each into a `Document` with its metadata."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..models import Document
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
    """Files under the given paths (recursive, sorted), or the error that stops one being read."""
    manifests: dict[Path, dict[str, dict[str, str]]] = {}

    def meta_for(path: Path) -> dict[str, str]:
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder)
        return manifests[folder].get(path.stem, {})

    for given in paths:
        root = Path(given)
        if not root.exists():
            yield root, IngestError("no such file or directory")
            continue
        files = sorted(p for p in root.rglob("*") if not p.is_dir()) if root.is_dir() else [root]
        for path in files:
            if path.name in MANIFEST_NAMES or path.name.startswith("."):
                continue
            if root.is_dir() and path.suffix.lower() not in FORMATS:
                continue  # in a folder, ignore other files; named explicitly, they are an error
            try:
                yield Source(path, meta_for(path))
            except IngestError as exc:
                yield path, exc


def load(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document (id still unassigned); raise IngestError on bad input."""
    path = source.path
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise IngestError(
            f"unknown extension {path.suffix or '(none)'!r}; supported: {', '.join(sorted(FORMATS))}"
        )
    try:
        size = path.stat().st_size
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
