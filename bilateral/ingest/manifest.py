"""Read a `manifest.csv` or `manifest.jsonl` that gives metadata for the files beside it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .readers import IngestError

FIELDS = ("title", "source", "published", "url", "kind")
NAMES = ("manifest.csv", "manifest.jsonl")


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Map from document id (file stem) to its metadata, for the manifest in `folder` if any."""
    rows: list[dict[str, str]] = []
    csv_path, jsonl_path = folder / NAMES[0], folder / NAMES[1]
    try:
        if csv_path.is_file():
            with csv_path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
        elif jsonl_path.is_file():
            with jsonl_path.open(encoding="utf-8") as fh:
                rows = [json.loads(line) for line in fh if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        bad = csv_path if csv_path.is_file() else jsonl_path
        raise IngestError(f"unreadable manifest: {exc}", str(bad)) from exc
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        doc = str(row.get("doc") or row.get("id") or "").strip()
        if doc:
            out[Path(doc).stem] = {k: str(row[k]).strip() for k in FIELDS if row.get(k)}
    return out
