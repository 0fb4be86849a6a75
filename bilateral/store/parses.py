"""Each document's stored parse: what spaCy's models made of its text, kept for the next analysis.

The rules and lexicons change far more often than the model. A parse is stored with the hash of
the text the model read and the version of the model that read it (`bilateral.analysis` decides
both), so that an analysis with new rules restores it instead of parsing again. A document's
parse goes with it (ON DELETE CASCADE), also when a changed text replaces the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from .sql import SQLStore

CHUNK = 500  # documents per IN list


class StoredParse(NamedTuple):
    """A document's parse: a compressed spaCy DocBin of the pieces the model read."""

    text_sha: str  # of the text the model read
    model: str  # the model and pipeline parts that made it
    words: int  # tokens, for the storage cost per word
    data: bytes


class ParseStore(SQLStore):
    """The parses table."""

    def parse(self, doc_id: str) -> StoredParse | None:
        rows = self._run("SELECT text_sha, model, words, data FROM parses WHERE doc = ?", (doc_id,))
        if not rows:
            return None
        r = rows[0]
        return StoredParse(r["text_sha"], r["model"], int(r["words"]), bytes(r["data"]))

    def put_parse(self, doc_id: str, parse: StoredParse) -> None:
        """Store or replace a document's parse (the document must be stored)."""
        with self._write():
            self._run(
                "INSERT INTO parses (doc, text_sha, model, words, data) VALUES (?,?,?,?,?)"
                " ON CONFLICT (doc) DO UPDATE SET text_sha = excluded.text_sha, model = excluded.model,"
                " words = excluded.words, data = excluded.data",
                (doc_id, *parse),
            )

    def parsed(self, model: str, shas: Mapping[str, str]) -> set[str]:
        """Of the documents in `shas` (id -> hash of the text the model would read now), those
        whose stored parse `model` made from that very text: the ones an analysis restores instead
        of parsing (a parse of a text since changed is stale, whatever its model)."""
        ids, found = sorted(shas), set()
        for i in range(0, len(ids), CHUNK):  # bounded IN lists
            chunk = ids[i : i + CHUNK]
            rows = self._run(
                f"SELECT doc, text_sha FROM parses WHERE model = ? AND doc IN ({','.join('?' * len(chunk))})",
                (model, *chunk),
            )
            found |= {r["doc"] for r in rows if r["text_sha"] == shas[r["doc"]]}
        return found

    def parse_size(self) -> tuple[int, int, int]:
        """(documents, bytes, words) of the stored parses: what parsing once costs on disk."""
        row = self._run("SELECT count(*) AS n, sum(length(data)) AS b, sum(words) AS w FROM parses")[0]
        return int(row["n"]), int(row["b"] or 0), int(row["w"] or 0)
