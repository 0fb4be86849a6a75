"""The faster forms of pipeline pieces give what their plain definitions give."""

from __future__ import annotations

import random

import spacy
from spacy.tokens import Doc

from bilateral.analysis import BATCH, _batches
from bilateral.nlp.components import _hard_wrapped, newline_boundaries
from bilateral.nlp.mentions import Intervals

WRAPPED = "\n".join(["A line wrapped at a fixed width that runs on into the next line and"] * 9)
TEXTS = (
    "Headline\nBody text. More text.\n\nAnother paragraph\n \nand a line\r\nwith CRLF.",
    "Ends with a break\n",
    "\n\nStarts with breaks\n\n\nthen three.",
    WRAPPED + "\n\nNext paragraph\nstill the same sentence here and it goes on and on.",
    WRAPPED + "\n \n" + WRAPPED,
)


def _by_token(doc: Doc) -> list[bool | None]:
    """The definition: a token whose text with white space holds the break starts the next one."""
    breaks = "\n\n" if _hard_wrapped(doc.text) else "\n"
    starts: list[bool | None] = [t.is_sent_start for t in doc]
    for t in doc[:-1]:
        if breaks in t.text_with_ws:
            starts[t.i + 1] = True
    return starts


def test_newline_boundaries_as_defined() -> None:
    nlp = spacy.blank("en")
    set_starts = 0
    for text in TEXTS:
        expected = _by_token(nlp(text))
        assert [t.is_sent_start for t in newline_boundaries(nlp(text))] == expected
        set_starts += sum(bool(s) for s in expected[1:])
    assert set_starts >= 5


def test_batches_bounded_in_characters() -> None:
    texts = ["x" * 30_000] * 7 + ["short"] * 40
    batches = list(_batches(texts, chars=100_000))
    assert [t for b in batches for t in b] == texts
    assert all(len(b) <= BATCH and (len(b) == 1 or sum(map(len, b)) <= 100_000) for b in batches)
    assert [len(b) for b in batches[:3]] == [3, 3, 16]


def test_intervals_answer_as_a_scan_does() -> None:
    rng = random.Random(7)
    for _ in range(300):
        ranges = [
            (s, s + rng.randint(0, 12)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 15)))
        ]
        index = Intervals(ranges)
        for a in range(0, 70, 3):
            for b in range(a + 1, a + 15, 2):
                scan = [i for i, (x, y) in enumerate(ranges) if x < b and a < y]
                assert index.overlapping(a, b) == scan
                assert index.containing(a, b) == any(x <= a and b <= y for x, y in ranges)
                assert index.within(a, b) == [i for i, (x, y) in enumerate(ranges) if a <= x and y <= b]
