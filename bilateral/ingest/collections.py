"""Collections of documents in one file: JSON lines or Parquet, one document per row.

The columns are those of documents.jsonl: `doc` (the id), `text`, and any of `title`, `source`,
`published`, `url`, `kind`. A bad row is reported with its line and does not stop the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..models import Document
from .readers import IngestError

SUFFIXES = (".jsonl", ".parquet")
META = ("title", "source", "published", "url", "kind")


def is_collection(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and path.name != "manifest.jsonl"


def document_from_row(row: dict[str, Any], where: str) -> Document:
    """A Document from a collection row; `where` names it in errors ("docs.jsonl:12")."""
    doc_id, text = row.get("doc"), row.get("text")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise IngestError(f"{where}: no 'doc' id")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(f"{where}: document {doc_id!r} has no text")
    meta = {k: str(row[k]) if row.get(k) not in (None, "") else None for k in META}
    return Document(
        id=doc_id,
        text=text,
        path=f"{where.rsplit(':', 1)[0]}#{doc_id}",
        format="txt",
        title=meta["title"],
        source=meta["source"],
        published=meta["published"],
        url=meta["url"],
        kind=meta["kind"],
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def read_collection(path: Path) -> Iterator[Document | IngestError]:
    """Every document of a .jsonl or .parquet file, or the error that spoils a row."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            table = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several kinds for a bad file
            yield IngestError(f"{path}: not a Parquet file ({exc})")
            return
        n = 0
        for batch in table.iter_batches(batch_size=256):
            for row in batch.to_pylist():
                n += 1
                try:
                    yield document_from_row(row, f"{path}:{n}")
                except IngestError as exc:
                    yield exc
        return
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("not an object")
                yield document_from_row(row, f"{path}:{n}")
            except (ValueError, IngestError) as exc:
                yield (
                    exc if isinstance(exc, IngestError) else IngestError(f"{path}:{n}: bad JSON line ({exc})")
                )
