"""The faster forms of pipeline pieces give what their plain definitions give."""

from __future__ import annotations

import random
from pathlib import Path

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from bilateral.analysis import BATCH, _batches
from bilateral.events.context import DocContext
from bilateral.nlp.components import BilateralEntities, _hard_wrapped, newline_boundaries
from bilateral.nlp.mentions import Intervals
from bilateral.nlp.pipeline import build

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


# Sentences of our own with words the vocabulary has not seen when the entity rules are built.
NEW_WORDS = (
    "The navy ordered twelve Qorvath-K7 launchers and four Zentrix-M2E radars from Ulvane Arms Corporation.",
    "Troops joined the drills, named 'Silver Quorvex 2031', with the Drevan Ministry of Defence.",
    "The QUORVEX DEVELOPMENT BANK and the Ministry for the Veltrane Initiative signed the Kessel Accord.",
    "Exercise Brakkon-2033 began in March 2033; the manoeuvres were dubbed Iron Talvek.",
)


def test_entity_rules_match_as_their_patterns_are_written(corpus: Path) -> None:
    """The entity rules run with their word tests as vocabulary flags: the same matches as the
    patterns as written, also for words the vocabulary learns later."""
    nlp = build()
    rules = nlp.get_pipe("bilateral_entities")
    assert isinstance(rules, BilateralEntities)
    written = Matcher(nlp.vocab)
    for label, patterns in rules.patterns.items():
        written.add(label, patterns, greedy="LONGEST")
    texts = [
        p.read_text(encoding="utf-8")
        for d in sorted(corpus.parent.iterdir())
        for p in sorted(d.glob("*.txt"))
    ]
    matched = 0
    for doc in nlp.pipe([*NEW_WORDS, *texts]):
        expected = written(doc)
        assert rules.matcher(doc) == expected, doc.text[:80]
        matched += len(expected)
    assert len(texts) > 30 and matched > 200


def test_quotation_look_up_answers_as_a_scan_does() -> None:
    rng = random.Random(11)
    doc = spacy.blank("en")("x")
    for _ in range(300):
        bounds = sorted(rng.sample(range(80), 2 * rng.randint(0, 6)))
        quotes = list(zip(bounds[::2], bounds[1::2], strict=True))
        if rng.random() < 0.2:  # overlapping or unordered: asked one by one
            quotes.append((rng.randint(0, 40), rng.randint(40, 80)))
        ctx = DocContext(doc, "d", None, [], quotes=quotes)
        for a in range(0, 82, 3):
            for b in range(a, a + 12, 2):
                assert ctx.in_quote(a, b) == any(qs <= a and b <= qe for qs, qe in quotes), (quotes, a, b)
