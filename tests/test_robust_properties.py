"""Property-based tests (hypothesis) of the readers, the value parsers and offsets (issue 17).

Readers and parsers take any input: they return a result or say what is wrong (IngestError,
None), never raise anything else. Offsets: every span equals the text it cites, for texts with
CRLF, byte-order marks, combining characters, emoji and Cyrillic. Examples are derandomised so
that CI is repeatable; run with HYPOTHESIS_PROFILE=explore for fresh random ones.
"""

from __future__ import annotations

import codecs
import datetime
import json
import os
import re
import tempfile
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from bilateral.analysis import analyse_documents
from bilateral.ingest.collections import read_collection
from bilateral.ingest.manifest import read_manifest
from bilateral.ingest.readers import IngestError, read_html, read_pdf, read_text
from bilateral.models import Document
from bilateral.nlp.pipeline import build
from bilateral.nlp.sentences import segment
from bilateral.values.dates import resolve_date
from bilateral.values.money import format_money, parse_money
from bilateral.values.numbers import parse_number, parse_percent, parse_quantity

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "bilateral-hypothesis")  # not in the repository
settings.register_profile(
    "ci", derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Pieces of text that have broken offsets or readers before: line ends, BOMs, combining marks,
# emoji (outside the BMP), Cyrillic, zero-width characters, markup.
TRICKY = [
    "\r\n", "\n", "\r", "\ufeff", "e\u0301", "\u0308", "😀", "🇷🇸", "Вучић", "Београд", "\u200b",
    "\t", "  ", "<sup>1</sup>", "<br>", "“", "”", "—", ".", "!", "?",
]  # fmt: skip
SENTENCES = [
    "Serbia and China signed a free trade agreement in Belgrade on 3 May 2021.",
    "Egypt bought 24 Rafale fighters from France for 5.2 billion euros.",
    "Turkey and Qatar held a joint naval exercise in 2023.",
    "Vučić met Xi Jinping, who said: “China is a reliable partner.”",
    "Russia delivered two S-400 systems to India, officials said.",
]
tricky_text = st.lists(st.sampled_from(TRICKY) | st.text(max_size=6), max_size=30).map("".join)
article = st.lists(st.sampled_from(SENTENCES) | st.sampled_from(TRICKY), min_size=1, max_size=14).map(
    " ".join
)


# ------------------------------------------------------------------ readers


@given(st.binary(max_size=2000))
def test_text_reader_returns_text_or_says_why(data: bytes) -> None:
    try:
        read_text(data)
    except IngestError as exc:
        assert str(exc) and "\n" not in str(exc)


@given(tricky_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_text_reader_keeps_the_files_text_exactly(text: str, encoding: str) -> None:
    data = text.encode(encoding)  # utf-8-sig and utf-16 write a byte-order mark
    try:
        got = read_text(data).text
    except IngestError as exc:  # refused only as empty or as control characters (binary)
        assert str(exc) in ("empty file", "no text", "binary file, not text"), str(exc)
        return
    assert got == (text if encoding == "utf-8" else "\ufeff" + text)


@settings(max_examples=30)
@given(
    st.lists(st.sampled_from(["<p>", "</p>", "<div", ">", "<!--", "&amp;", "<script>", "\x00"]) | tricky_text)
)
def test_html_reader_returns_text_or_says_why(parts: list[str]) -> None:
    try:
        read_html("".join(parts).encode("utf-8", "surrogatepass"))
    except IngestError as exc:
        assert str(exc)


@settings(max_examples=40)
@given(st.binary(max_size=600).map(lambda b: b"%PDF-1.4\n" + b))
def test_pdf_reader_returns_text_or_says_why(data: bytes) -> None:
    try:
        read_pdf(data)
    except IngestError as exc:
        assert str(exc)


@settings(max_examples=40)
@given(
    st.lists(
        st.text(max_size=40)
        | st.builds(
            json.dumps,
            st.dictionaries(
                st.sampled_from(["doc", "text", "title"]), st.text(max_size=10) | st.integers() | st.none()
            ),
        ),
        max_size=6,
    )
)
def test_collection_rows_are_documents_or_errors(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    path = tmp_path_factory.mktemp("rows") / "docs.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    for found in read_collection(path):
        assert isinstance(found, tuple | IngestError)
        if isinstance(found, tuple):
            where, doc = found
            assert where.startswith(str(path)) and doc.id.strip() and doc.text.strip()


@settings(max_examples=40)
@given(st.binary(max_size=400), st.sampled_from(["manifest.csv", "manifest.jsonl"]))
def test_manifest_is_metadata_or_one_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    folder = tmp_path_factory.mktemp("manifest")
    (folder / name).write_bytes(data)
    try:
        found = read_manifest(folder)
    except IngestError as exc:
        assert exc.where and exc.where.endswith(name) and str(exc).startswith("unreadable manifest")
        return
    assert all(isinstance(k, str) and isinstance(v, dict) for k, v in found.items())


# ------------------------------------------------------------------ value parsers

DATE_WORDS = [
    "in", "on", "last", "this", "past", "next", "May", "July", "February", "Sept.", "31", "29", "1st",
    "of", "mid-", "year", "month", "week", "Saturday", "later", "2024", "1999", "2025–2027", "the", "1990s",
]  # fmt: skip
MONEY_WORDS = [
    "$", "€", "US$", "EUR", "USD", "RSD", "1,000", "1.5", "12", "0.3", "million", "billion", "bn", "m",
    "k", "euros", "dollars", "yuan", "%", "per cent", "twenty", "one", "hundred", "and", "about", "-",
]  # fmt: skip
phrase = st.lists(st.sampled_from(DATE_WORDS + MONEY_WORDS) | st.text(max_size=4), max_size=7).map(" ".join)
published = st.none() | st.sampled_from(["2025", "2025-07", "2025-07-15", "2024-02-29", "2025-12-31"])
ISO_PREFIX = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?")


@given(phrase, published)
def test_dates_are_iso_prefixes_or_none(text: str, published: str | None) -> None:
    found = resolve_date(text, published)
    assert found is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", found)


@example("February 30, 2024", None)
@example("2023-13-45", None)
@given(phrase, published)
def test_dates_are_real_dates(text: str, published: str | None) -> None:
    found = resolve_date(text, published)
    if found and found.count("-") == 2:
        datetime.date.fromisoformat(found)
    assert found is None or ISO_PREFIX.fullmatch(found)


@given(phrase)
def test_numbers_and_percents_parse_or_are_none(text: str) -> None:
    number = parse_number(text)
    assert number is None or number >= 0
    quantity = parse_quantity(text)
    assert quantity is None or (isinstance(quantity, int) and quantity > 0)
    percent = parse_percent(text)
    assert percent is None or percent >= 0


@given(phrase.filter(lambda t: not re.search(r"\d[.,]\d+[.,]\d", t)))
def test_money_parses_or_is_none(text: str) -> None:
    found = parse_money(text)
    if found is not None:
        assert found["amount"] >= 0 and re.fullmatch(r"[A-Z]{3}", found["currency"])
        assert format_money(found)


@example("EUR 1.234,56")
@given(phrase)
def test_money_with_european_separators_does_not_raise(text: str) -> None:
    parse_money(text)


# ------------------------------------------------------------------ offsets


@given(tricky_text)
def test_sentences_cite_trimmed_text_within_one_line(text: str) -> None:
    spans = segment(text)
    for (s, e), (following, _) in pairwise([*spans, (len(text), len(text))]):
        assert 0 <= s < e <= following
        cited = text[s:e]
        assert cited == cited.strip().strip("\ufeff") and "\n" not in cited


@settings(max_examples=25)
@given(article, st.booleans())
def test_every_span_equals_the_text_it_cites(text: str, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + text
    nlp = build()
    ((_, mentions, events),) = analyse_documents(nlp, [Document(id="t", text=text)])
    for m in mentions:
        assert text[m.start : m.end] == m.text and m.text.strip()
    for event in events:
        for span in [*event.evidence, *event.role_spans.values()]:
            assert text[span.start : span.end] == span.text


def test_offsets_are_offsets_into_the_files_text(tmp_path: Path) -> None:
    # Not a property, the contract the properties serve: a file's stored text is its bytes decoded.
    data = codecs.BOM_UTF8 + "Вучић met Xi.\r\nSerbia 😀 signed.\n".encode()
    (tmp_path / "a.txt").write_bytes(data)
    assert read_text(data).text == data.decode("utf-8")
