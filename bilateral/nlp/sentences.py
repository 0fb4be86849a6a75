"""Fast rule-based sentence segmentation for ingest and full-text search."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the components)


@cache
def _segmenter() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("newline_boundaries")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    return nlp


def segment(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) character offsets, leading and trailing white space trimmed."""
    spans = []
    for sent in _segmenter()(text).sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
