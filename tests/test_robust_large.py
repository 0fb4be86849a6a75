"""Large documents: segmentation linear in length, long texts analysed in pieces with exact offsets."""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import pairwise

import pytest
from spacy.language import Language

from bilateral.analysis import analyse_documents, chunks
from bilateral.models import Document
from bilateral.nlp.pipeline import build
from bilateral.nlp.sentences import segment

# Sentences of our own, about several pairs of states, with CRLF, accents and Cyrillic.
LINES = [
    "Serbia and China signed a free trade agreement in Belgrade on 3 May 2021.",
    "Vučić met Xi Jinping; the two leaders discussed a loan of 200 million euros.\r",
    "Egypt bought 24 Rafale fighters from France, officials in Cairo said on Tuesday.",
    "Сербия и Россия провели учения. Turkey and Qatar held a joint naval exercise.",
    "India’s navy received two frigates from Russia in 2024 — “a milestone”, it said.",
]


def _lines(n: int) -> str:
    return "\n".join(LINES[i % len(LINES)] for i in range(n)) + "\n"


def _best_of(runs: int, text: str) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        segment(text)
        best = min(best, time.perf_counter() - start)
    return best


def test_segmentation_time_grows_linearly_with_length() -> None:
    # The old segmenter rescanned the document for each line break: 8x the text took ~64x the time.
    small, large = _lines(1_000), _lines(8_000)
    segment(small)  # load the segmenter
    ratio = _best_of(3, large) / _best_of(3, small)
    assert ratio < 24, f"8x the text took {ratio:.1f}x the time"


def test_segmentation_is_exact_on_a_long_text_of_many_lines() -> None:
    text = _lines(5_000)
    spans = segment(text)
    assert len(spans) == 6_000  # one line has two sentences
    assert all(text[s:e].strip() == text[s:e] and text[s:e] for s, e in spans)
    assert [text[s:e] for s, e in spans[:2]] == [LINES[0], LINES[1].rstrip("\r")]


def test_chunks_cut_between_lines_or_sentences_and_cover_the_text() -> None:
    text = _lines(400)
    pieces = chunks(text, 2_000)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(pieces))
    assert all(e - s <= 2_000 for s, e in pieces)
    assert all(text[e - 1] == "\n" for _, e in pieces[:-1])
    one_line = " ".join(LINES[0] for _ in range(100))
    assert all(one_line[e - 2 : e] == ". " for _, e in chunks(one_line, 1_000)[:-1])
    word = "x" * 2_500
    assert chunks(word, 1_000) == [(0, 1_000), (1_000, 2_000), (2_000, 2_500)]


@pytest.fixture()
def short_pipeline() -> Iterator[Language]:
    """The real pipeline with a small max_length, so that a modest text is "too long" for it."""
    nlp = build()
    before = nlp.max_length
    nlp.max_length = 3_000
    try:
        yield nlp
    finally:
        nlp.max_length = before


def test_a_text_over_the_models_max_length_is_analysed_with_exact_offsets(short_pipeline: Language) -> None:
    # Before: spaCy refused the text (E088) and the whole analysis stopped.
    long = Document(id="long", text="\ufeff" + _lines(300))
    short = Document(id="short", text=LINES[0])
    analysed = analyse_documents(short_pipeline, [long, short])
    results = {d.id: (d, found, events) for d, found, events in analysed}
    assert set(results) == {"long", "short"}
    doc, found, events = results["long"]
    assert len(doc.text) > 5 * short_pipeline.max_length
    for m in found:
        assert doc.text[m.start : m.end] == m.text
    for e in events:
        for s in [*e.evidence, *e.role_spans.values()]:
            assert doc.text[s.start : s.end] == s.text
    # Mentions are found all along the text, not only in its first piece.
    serbia = [m for m in found if m.text == "Serbia"]
    assert len(serbia) >= 55 and serbia[-1].start > len(doc.text) - 2 * len(LINES[0]) * len(LINES)
    assert any(e.type == "agreement" for e in events)
