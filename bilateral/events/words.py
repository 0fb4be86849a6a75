"""A document's token strings read once from its arrays, for the tests event extraction makes of
every token (SPEED): spaCy makes a Python Token and its strings per access, millions of times per
corpus. The columns hold exactly what `token.orth_`, `lower_`, `lemma_`, `pos_`, `dep_` and `tag_` give.

Phrase patterns made of single-token word tests (`lang/en/people.json`, `speech.json`) are matched
here on the same arrays; spaCy's Matcher made a Token per token and test for their set predicates.
"""

from __future__ import annotations

from collections.abc import Container
from functools import cache
from itertools import product
from typing import Any, ClassVar, cast

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, ORTH, POS, SPACY, TAG
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc

from .lang import patterns

STRING_ATTRS = (ORTH, LOWER, LEMMA, POS, DEP, TAG)  # the columns held, as spaCy attribute ids
# Token-pattern keys a phrase test may use, and the column each compares (the Matcher's TEXT is ORTH).
_KEYS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "LEMMA": LEMMA}
# A phrase pattern as alternatives of fixed length ("?" tokens expanded): per token, a column and
# the string ids it may hold.
_Fixed = list[tuple[int, list[int]]]
Phrases = dict[str, list[_Fixed]]


class Words:
    """Every token's orth, lower-case form, lemma, coarse tag, dependency label, fine tag and head,
    and whether a space follows it, as lists over the document; and each sentence's set of lemmas and
    forms."""

    current: ClassVar[Words | None] = None  # the document last read (extraction reads one at a time)

    @classmethod
    def of(cls, doc: Doc) -> Words:
        """The words of `doc`, read on first use (`extract.extract` reads them anew per document)."""
        found = cls.current
        if found is None or found.doc is not doc:
            found = cls.current = cls(doc)
        return found

    def __init__(self, doc: Doc) -> None:
        n = len(doc)
        self.doc = doc
        array = doc.to_array([*STRING_ATTRS, SPACY, HEAD]).reshape(n, len(STRING_ATTRS) + 2)
        # Each token's head (`t.head.i`): the array holds offsets, negative ones wrapped around.
        self.head: list[int] = (
            numpy.arange(n, dtype=numpy.int64) + array[:, -1].astype(numpy.int64)
        ).tolist()
        # One lookup per distinct string id, not per token (numpy.unique sorts them in C); the lists
        # are made by indexing an object array, in C too.
        ids, inverse = numpy.unique(array[:, : len(STRING_ATTRS)], return_inverse=True)
        id_list: list[int] = ids.tolist()
        names = _names(doc.vocab.strings, id_list)
        self.inverse = inverse.reshape(n, len(STRING_ATTRS))
        columns: list[list[str]] = numpy.array(names, dtype=object)[self.inverse.T].tolist()
        self.orth, self.lower, self.lemma, self.pos, self.dep, self.tag = columns
        # Each token's text with its space: the names, then the names with a space, by index.
        spaced = numpy.array(names + [w + " " for w in names], dtype=object)
        spaces = array[:, len(STRING_ATTRS)].astype(numpy.intp)
        self._text = spaced[self.inverse[:, 0] + len(names) * spaces].tolist()
        self.index = dict(zip(id_list, range(len(id_list)), strict=True))  # for the phrase tests
        # Each token's lemma in lower case (`t.lemma_.lower()`), one `lower()` per distinct string.
        lemma_column = STRING_ATTRS.index(LEMMA)
        self.folded: list[str] = numpy.array([w.lower() for w in names], dtype=object)[
            self.inverse[:, lemma_column]
        ].tolist()
        self._sets: dict[tuple[int, int], tuple[set[str], set[str]]] = {}
        self._column_sets: dict[tuple[str, int, int], set[str]] = {}
        self._found: dict[str, list[tuple[str, int, int]]] = {}

    def text(self) -> str:
        """`doc.text`, which spaCy rebuilds from Token objects."""
        return "".join(self._text)

    def having(self, start: int, end: int, lemmas: Container[str], lowers: Container[str]) -> list[int]:
        """Indexes of the tokens in [start, end) whose lemma is in `lemmas` or lower-case form in
        `lowers`, in order; a sentence none of whose distinct words can match is passed over without
        a test per token (most sentences, for most extractors)."""
        key = (start, end)
        sets = self._sets.get(key)
        if sets is None:
            sets = self._sets[key] = set(self.lemma[start:end]), set(self.lower[start:end])
        if not (_any_in(sets[0], lemmas) or _any_in(sets[1], lowers)):
            return []
        lemma, lower = self.lemma, self.lower
        return [i for i in range(start, end) if lemma[i] in lemmas or lower[i] in lowers]

    def has_modal(self, start: int, end: int, word: str) -> bool:
        """Does [start, end) hold `word` (lower case) tagged as a modal (MD)?"""
        sets = self._sets.get((start, end))
        if sets is not None and word not in sets[1]:
            return False
        return any(self.lower[i] == word and self.tag[i] == "MD" for i in range(start, end))

    def where(self, column: str, start: int, end: int, accepted: Container[str]) -> list[int]:
        """Indexes of the tokens in [start, end) whose string in `column` ("dep", "folded", ...) is in
        `accepted`, in order (passed over as in `having` when no distinct word of the span is)."""
        values: list[str] = getattr(self, column)
        key = (column, start, end)
        present = self._column_sets.get(key)
        if present is None:
            present = self._column_sets[key] = set(values[start:end])
        if not _any_in(present, accepted):
            return []
        return [i for i in range(start, end) if values[i] in accepted]

    def matching(self, tests: list[tuple[int, list[int]]]) -> list[int]:
        """The tokens whose strings pass every test (a column and the string ids it may hold), in order."""
        n = len(self.doc)
        match = numpy.ones(n, dtype=bool)
        for attr, values in tests:
            accepted = self._accepting(values)
            if accepted is None:
                return []
            match &= accepted[self.inverse[:, STRING_ATTRS.index(attr)]]
        return numpy.flatnonzero(match).tolist()

    def phrases(self, name: str, rules: Phrases) -> list[tuple[str, int, int]]:
        """(label, start, end) of every match of the phrase patterns `rules` of file `name` in the
        document, found once: what spaCy's Matcher gives (without greedy filters), in no particular
        order."""
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = self._phrases(rules)
        return found

    def _phrases(self, rules: Phrases) -> list[tuple[str, int, int]]:
        n = len(self.doc)
        out: list[tuple[str, int, int]] = []
        for label, alternatives in rules.items():
            for fixed in alternatives:
                size = len(fixed)
                match = self._starts(fixed) if size <= n else None
                if match is not None:
                    out.extend((label, s, s + size) for s in numpy.flatnonzero(match).tolist())
        return list(dict.fromkeys(out))

    def _accepting(self, values: list[int]) -> numpy.ndarray[Any, numpy.dtype[numpy.bool_]] | None:
        """Which of the document's distinct strings a test accepts (by their index among them), or
        None when the document has none of `values`."""
        hits = [i for v in values if (i := self.index.get(v)) is not None]
        if not hits:
            return None
        accepted = numpy.zeros(len(self.index), dtype=bool)
        accepted[hits] = True
        return accepted

    def _starts(self, fixed: _Fixed) -> numpy.ndarray[Any, numpy.dtype[numpy.bool_]] | None:
        """Where in the document a fixed-length phrase can start (None: nowhere)."""
        n, size = len(self.doc), len(fixed)
        match = None
        for k, (attr, values) in enumerate(fixed):
            accepted = self._accepting(values)
            if accepted is None:
                return None
            one = accepted[self.inverse[k : n - size + 1 + k, STRING_ATTRS.index(attr)]]
            match = one if match is None else match & one
        return match


_NAMES: dict[int, str] = {}  # string id -> string, for the ids documents share (the same in every vocabulary)
_MAX_NAMES = 200_000  # then it starts again: a bound on its memory


def _names(strings: StringStore, ids: list[int]) -> list[str]:
    """The strings of `ids`: a dictionary look-up is several times cheaper than the StringStore's."""
    if len(_NAMES) > _MAX_NAMES:
        _NAMES.clear()
    known = _NAMES.get
    found = [known(i) for i in ids]
    if None in found:
        for n, i in enumerate(ids):
            if found[n] is None:
                found[n] = _NAMES[i] = strings[i]
    return cast(list[str], found)


# Containers whose `in` is membership of the members they iterate over: `isdisjoint` answers for them.
_COLLECTIONS = {set, frozenset, tuple, list, dict, type({}.keys())}


def _any_in(words: set[str], container: Container[str]) -> bool:
    """Is a word of `words` in `container`? Over the container's own members when it is a collection of
    them (a C loop), else by asking it of each word."""
    if type(container) in _COLLECTIONS:
        return not words.isdisjoint(container)  # type: ignore[arg-type]
    return any(w in container for w in words)


@cache
def phrase_rules(name: str) -> Phrases | None:
    """A pattern file's patterns as fixed-length word tests, or None when a pattern uses anything else
    (another attribute or operator, a regex): then spaCy's Matcher runs it."""
    out: Phrases = {}
    for label, rules in patterns(name).items():
        for rule in rules:
            options: list[list[_Fixed]] = []
            for spec in rule:
                test = _test(spec)
                if test is None:
                    return None
                options.append([[], [test]] if spec.get("OP") == "?" else [[test]])
            for chosen in product(*options):
                fixed = [t for part in chosen for t in part]
                if fixed:
                    out.setdefault(label, []).append(fixed)
    return out


def _test(spec: dict[str, Any]) -> tuple[int, list[int]] | None:
    """One token's word test: a column and the string ids it may hold."""
    keys = set(spec) - {"OP"}
    if len(keys) != 1 or spec.get("OP") not in (None, "?"):
        return None
    key = keys.pop()
    if key not in _KEYS:
        return None
    value = spec[key]
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
        return _KEYS[key], [get_string_id(v) for v in value["IN"]]
    if isinstance(value, str):
        return _KEYS[key], [get_string_id(value)]
    return None
