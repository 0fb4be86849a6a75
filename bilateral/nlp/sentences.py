"""Fast rule-based sentence segmentation for ingest and full-text search.

A line break always ends a sentence (headlines, captions and bylines stand alone), so each line
is segmented on its own: time is linear in the text's length. One Doc for the whole text with
a line-break component was quadratic, since spaCy re-checks the whole Doc's annotation each time
a sentence start is set (800 KB took 37 s).
"""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.attrs import IS_PUNCT
from spacy.language import Language

LINE = re.compile(r"[^\n]+")
BATCH = 256


@cache
def _segmenter() -> Language:
    nlp = spacy.blank("en")
    # SPEED: a new word's lexeme gets only what the sentencizer reads (its text and whether it is
    # punctuation), not the twenty other attributes, most of the cost of a text's first tokenization.
    getters = nlp.vocab.lex_attr_getters  # type: ignore[attr-defined]
    nlp.vocab.lex_attr_getters = {IS_PUNCT: getters[IS_PUNCT]}  # type: ignore[attr-defined]
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    return nlp


def segment(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) character offsets, leading and trailing white space trimmed."""
    lines = [(m.start(), m.group()) for m in LINE.finditer(text) if not m.group().isspace()]
    spans = []
    docs = _segmenter().pipe((line for _, line in lines), batch_size=BATCH)
    for (offset, line), doc in zip(lines, docs, strict=True):
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and _blank(line[start]):
                start += 1
            while end > start and _blank(line[end - 1]):
                end -= 1
            if end > start:
                spans.append((offset + start, offset + end))
    return spans


def _blank(char: str) -> bool:
    """White space, or a byte-order mark kept from the file (U+FEFF, zero-width)."""
    return char.isspace() or char == "\ufeff"
