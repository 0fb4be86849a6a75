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
        raise IngestError("no 'doc' id", where)
    if not isinstance(text, str) or not text.strip():
        raise IngestError(f"document {doc_id!r} has no text", where)
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


def read_collection(path: Path) -> Iterator[tuple[str, Document] | IngestError]:
    """Every document of a .jsonl or .parquet file with its place ("docs.jsonl:12"), or the error
    that spoils a row."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            table = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several kinds for a bad file
            yield IngestError(f"not a Parquet file ({exc})", str(path))
            return
        n = 0
        for group in range(table.num_row_groups):  # a damaged row group spoils itself only
            end = n + table.metadata.row_group(group).num_rows
            try:
                for batch in table.iter_batches(batch_size=256, row_groups=[group]):
                    for row in batch.to_pylist():
                        n += 1
                        try:
                            yield f"{path}:{n}", _located(document_from_row(row, f"{path}:{n}"), path)
                        except IngestError as exc:
                            yield exc
            except Exception as exc:  # pyarrow raises OSError, ArrowInvalid and others
                problem = f"rows {n + 1}-{end} are damaged ({exc})".replace("\n", " ")
                yield IngestError(problem, str(path))
            n = end
        return
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("not an object")
                yield f"{path}:{n}", _located(document_from_row(row, f"{path}:{n}"), path)
            except IngestError as exc:
                yield exc
            except ValueError as exc:
                yield IngestError(f"bad JSON line ({exc})", f"{path}:{n}")


def _located(doc: Document, path: Path) -> Document:
    """The document's path names the collection by its absolute path, as files are named, so that
    the same collection given as a relative or absolute path is the same source."""
    doc.path = f"{path.resolve()}#{doc.id}"
    return doc
