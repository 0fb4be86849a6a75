"""Where a Matcher's token patterns can match in a document, so that it is run on those runs of
tokens only (SPEED: spaCy's Matcher makes a Token, twice, for every token it reads).

A match is a run of tokens each accepted by one of its pattern's token tests, and it holds a token
accepted by each of the pattern's required tests. So every match lies inside a maximal run of
tokens that some test of some pattern may accept, and that run holds a token a required test of
some pattern accepts: an *anchor*. Each test is reduced to one condition every token it accepts
meets (a vocabulary flag, a boolean attribute or an exact string), which can only widen the runs.
Matches cannot overlap two runs, so a greedy filter keeps the same ones run by run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy
import spacy.attrs
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc

Test = tuple[str, int]  # an attribute's name and the value (a string's id, or 1) it must have
_BOOLEAN = ("IS_TITLE", "IS_UPPER", "IS_QUOTE")


class Regions:
    """The anchored runs of a document for a set of (flagged) token patterns, and the matches in them."""

    def __init__(self, patterns: Iterable[list[dict[str, Any]]]) -> None:
        tests: set[Test] = set()
        anchors: set[Test] = set()
        self.usable = True
        for pattern in patterns:
            found = [_test(spec) for spec in pattern]
            if None in found:
                self.usable = False  # a test this cannot reduce: the matcher reads the whole document
                return
            tests.update(t for t in found if t is not None)
            required = [
                t
                for t, spec in zip(found, pattern, strict=True)
                if t is not None and spec.get("OP") in (None, "+") and t[0] not in _BOOLEAN
            ]
            if not required:
                self.usable = False
                return
            anchors.add(required[0])
        self.attrs = sorted({name for name, _ in tests})
        self.tests = [(self.attrs.index(name), value) for name, value in sorted(tests)]
        self.anchors = [(self.attrs.index(name), value) for name, value in sorted(anchors)]

    def runs(self, doc: Doc) -> list[tuple[int, int]]:
        """(start, end) of each maximal run of tokens a test may accept that holds an anchor."""
        if not len(doc):
            return []
        array = doc.to_array([getattr(spacy.attrs, a) for a in self.attrs]).reshape(len(doc), len(self.attrs))
        accepted = numpy.zeros(len(doc), dtype=bool)
        for column, value in self.tests:
            accepted |= array[:, column] == value
        anchored = numpy.zeros(len(doc), dtype=bool)
        for column, value in self.anchors:
            anchored |= array[:, column] == value
        # Run boundaries: where acceptance switches on and off.
        edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], accepted.view(numpy.int8), [0]))))
        counts = numpy.concatenate(([0], numpy.cumsum(anchored)))
        pairs = edges.reshape(-1, 2).tolist()
        return [(s, e) for s, e in pairs if counts[e] > counts[s]]

    def matches(self, matcher: Matcher, doc: Doc) -> list[tuple[int, int, int]]:
        """`matcher(doc)`'s matches, found in the anchored runs only (in another order: by run)."""
        if not self.usable:
            return list(matcher(doc))
        out: list[tuple[int, int, int]] = []
        for start, end in self.runs(doc):
            out += [(key, start + s, start + e) for key, s, e in matcher(doc[start:end])]
        return out


def _test(spec: dict[str, Any]) -> Test | None:
    """The condition every token `spec` accepts meets: a flag, an exact string, a boolean attribute.
    None for a negated or unknown operator, whose tokens are not those of its condition."""
    if spec.get("OP") not in (None, "?", "*", "+"):
        return None
    for key, value in spec.items():
        if key.startswith("FLAG") and value is True:
            return key, 1
    for key in ("ORTH", "LOWER"):
        if isinstance(spec.get(key), str):
            return key, get_string_id(spec[key])
    for key in _BOOLEAN:
        if spec.get(key) is True:
            return key, 1
    return None
