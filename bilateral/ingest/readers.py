"""Turn one file's bytes into text, one reader per format.

Plain text and Markdown are kept exactly as decoded so that offsets into the stored text are
offsets into the file: character (code point) offsets into the file's text decoded in its
encoding, with a byte-order mark as its first character (U+FEFF) and line ends as they are
(`path.read_bytes().decode(encoding)`, not a universal-newline read). HTML and PDF keep their
extracted text.
"""

from __future__ import annotations

import codecs
import io
import logging
import warnings
from dataclasses import dataclass, field
from typing import Any


class IngestError(Exception):
    """A document that cannot be ingested; the message names the problem, `where` the file or
    row when it is not the file being read ("docs.jsonl:12", a manifest)."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where


@dataclass
class Extracted:
    text: str
    encoding: str = "utf-8"
    meta: dict[str, Any] = field(default_factory=dict)


FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


# UTF-16 with a byte-order mark: its NULs are not a sign of binary data. The BOM is decoded as
# U+FEFF and kept, as a UTF-8 BOM is.
_UTF16 = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode(data: bytes) -> tuple[str, str]:
    """Decode text bytes: UTF-16 by its BOM, UTF-8, else a detected encoding; binary data is refused."""
    if not data.strip():
        raise IngestError("empty file")
    for bom, encoding in _UTF16:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise IngestError(f"invalid {encoding.upper()} at byte {exc.start}") from exc
    if _looks_binary(data):
        raise IngestError("binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"  # a BOM is kept: offsets count it, as the file has it
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes  # only for a text that is not UTF-8

        best = from_bytes(data).best()
        if best is None or best.encoding in (None, "utf_8"):
            raise IngestError(f"invalid UTF-8 at byte {exc.start} and no other encoding fits") from exc
        return str(best), best.encoding


def read_text(data: bytes) -> Extracted:
    text, encoding = decode(data)
    if not text.strip().strip("\ufeff"):
        raise IngestError("no text")
    return Extracted(text, encoding)


def read_html(data: bytes) -> Extracted:
    import trafilatura

    html, encoding = decode(data)
    if "<" not in html:
        raise IngestError("not HTML: no markup found")
    try:
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, favor_recall=True
        )
    except Exception as exc:  # trafilatura raises lxml's many error types
        raise IngestError(f"malformed HTML: {exc}") from exc
    if result is None:
        raise IngestError("malformed HTML or no main text found")
    found = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = (found.get("text") or "").strip()
    if not text:
        raise IngestError("no main text found in HTML")
    meta = {
        "title": found.get("title"),
        "published": found.get("date"),
        "source": found.get("sitename") or found.get("hostname"),
        "url": found.get("url"),
        "author": found.get("author"),
    }
    return Extracted(text, encoding, {k: v for k, v in meta.items() if v})


def read_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.strip():
        raise IngestError("empty file")
    # pypdf logs its own warnings about malformed files (with memory addresses): our one error
    # line says what matters.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            # Encrypted with an empty user password: any reader opens it without asking.
            if reader.is_encrypted and not _decrypt(reader):
                raise IngestError("encrypted PDF (it needs a password)")
            pages = [page.extract_text() or "" for page in reader.pages]
            info = reader.metadata
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise IngestError(f"corrupt PDF: {exc}") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise IngestError("PDF has no extractable text (scanned images?)")
    meta: dict[str, Any] = {}
    if info is not None:
        if info.title:
            meta["title"] = str(info.title)
        if info.author:
            meta["author"] = str(info.author)
        if info.creation_date:
            meta["published"] = info.creation_date.date().isoformat()
    return Extracted(text, "utf-8", meta)


def _decrypt(reader: Any) -> bool:
    from pypdf.errors import DependencyError

    try:
        return bool(reader.decrypt(""))
    except DependencyError as exc:
        raise IngestError("encrypted PDF (AES; reading it needs the cryptography package)") from exc


READERS = {"txt": read_text, "md": read_text, "html": read_html, "pdf": read_pdf}
