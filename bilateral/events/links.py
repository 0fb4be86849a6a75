"""The grammatical links role fillers hang by, found once per document by the patterns of
`lang/en/roles.json` (a spaCy DependencyMatcher): subject, passive agent, object, "from/to/for/by/with"
objects, modifiers, apposition, coordination. Role linking (`roles`) asks for them by label.

Every pattern has a HEAD node (what the role hangs from) and a FILLER node (the phrase head); the
node just under the HEAD (a preposition, or the FILLER itself) orders fillers as the text does."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache
from typing import Any, ClassVar

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, NORM, ORTH, POS, TAG
from spacy.matcher import DependencyMatcher, Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .lang import PatternFileError, dependency_matcher, pattern_file, patterns
from .words import STRING_ATTRS, Words

# label -> head token index -> (index of the node under the head, filler index), in text order
Links = dict[str, dict[int, list[tuple[int, int]]]]
# The tokens of a document each role pattern node matches: in text order, and as a set
_Nodes = tuple[dict[str, list[int]], dict[str, set[int]]]


BY_PREPOSITION = "PREP_OBJECT"  # the label whose links are filed under their preposition


@cache
def _matcher(vocab: Vocab) -> DependencyMatcher:
    return dependency_matcher(vocab, "roles")


def _under_head(nodes: list[dict[str, Any]]) -> int:
    ids = [n["RIGHT_ID"] for n in nodes]
    head = nodes[ids.index("HEAD")]
    if head.get("REL_OP") == "<":  # the HEAD reached by climbing from the node it governs
        return ids.index(head["LEFT_ID"])
    return next(i for i, n in enumerate(nodes) if n.get("LEFT_ID") == "HEAD")


@cache
def _positions() -> dict[str, tuple[int, int, int]]:
    """Per label, where in a match the HEAD, the node just under it and the FILLER are."""
    out = {}
    for label, rules in patterns("roles").items():
        orders = {tuple(n.get("RIGHT_ID") for n in nodes) for nodes in rules}
        if len(orders) != 1 or not {"HEAD", "FILLER"} <= set(next(iter(orders))):
            raise PatternFileError(
                f"{pattern_file('roles')}: {label}: every pattern needs nodes HEAD and FILLER, in one order"
            )
        ids = list(next(iter(orders)))
        out[label] = (ids.index("HEAD"), _under_head(rules[0]), ids.index("FILLER"))
    return out


# Token attributes whose value in a sentence copied out of its document (what DependencyMatcher
# matches on) may differ from their value in the document.
_SENTENCE_ATTRS = {"IS_SENT_START", "SENT_START", "IS_SENT_END", "ENT_IOB", "ENT_TYPE", "ENT_ID", "ENT_KB_ID"}


_ANY = "{}"
# Token attributes a node's test can read from the document's array: equal to a string or IN a list
# of strings, compared by their ids as the Matcher compares them.
_ARRAY_ATTRS = {
    "ORTH": ORTH,
    "TEXT": ORTH,
    "LOWER": LOWER,
    "NORM": NORM,
    "LEMMA": LEMMA,
    "POS": POS,
    "TAG": TAG,
    "DEP": DEP,
}
_ANNOTATIONS = {TAG, POS, LEMMA, DEP}  # which the Matcher refuses to match on a document without


def _array_tests(
    spec: dict[str, Any],
) -> list[tuple[int, numpy.ndarray[Any, numpy.dtype[numpy.uint64]]]] | None:
    """A node's attribute tests as (attribute id, the ids it may take), or None if one is of another
    kind (a regex, a number, an operator other than IN): then the Matcher runs."""
    tests = []
    for name, value in spec.items():
        attr = _ARRAY_ATTRS.get(name.upper())
        values = value.get("IN") if isinstance(value, dict) and list(value) == ["IN"] else [value]
        if attr is None or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
        tests.append((attr, numpy.array([get_string_id(v) for v in values], dtype=numpy.uint64)))
    return tests  # a node without attributes: any token (not matched: the Matcher would list them all)


class _Chains:
    """The role patterns run without spaCy's DependencyMatcher, when each is a chain from its first
    node up through heads ("<"): each node's tokens are found by one token Matcher over the sentence,
    then every token of the first node climbs its heads. The same matches, without the
    DependencyMatcher's copy of the sentence and its pairing of every token with every other."""

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = Matcher(vocab)
        self.chains: list[tuple[str, list[str]]] = []  # label, the node keys from the first node up
        self.tests: dict[str, list[tuple[int, numpy.ndarray[Any, numpy.dtype[numpy.uint64]]]]] | None = {}
        for label, rules in patterns("roles").items():
            for nodes in rules:
                keys = [json.dumps(n.get("RIGHT_ATTRS", {}), sort_keys=True) for n in nodes]
                for key, node in zip(keys, nodes, strict=True):
                    if key != _ANY and key not in self.matcher:
                        self.matcher.add(key, [[node.get("RIGHT_ATTRS", {})]])
                        tests = _array_tests(node.get("RIGHT_ATTRS", {}))
                        if tests is None or self.tests is None:
                            self.tests = None
                        else:
                            self.tests[key] = tests
                self.chains.append((label, keys))
        # The columns of the document array the tests read (SPEED: no Python call per token and test).
        self.attrs: list[int | str] = sorted({a for tests in (self.tests or {}).values() for a, _ in tests})
        self.word_tests = {  # the same, with the ids as a list (`Words.matching`)
            key: [(int(a), ids.tolist()) for a, ids in tests] for key, tests in (self.tests or {}).items()
        }

    @staticmethod
    def usable() -> bool:
        """Every pattern a chain of heads, on attributes that a sentence's copy does not change?"""
        for rules in patterns("roles").values():
            for nodes in rules:
                for i, node in enumerate(nodes):
                    if _SENTENCE_ATTRS & set(node.get("RIGHT_ATTRS", {})):
                        return False
                    below = nodes[i - 1].get("RIGHT_ID") if i else None
                    if i and (node.get("REL_OP") != "<" or node.get("LEFT_ID") != below):
                        return False
        return True

    def positions(self, doc: Doc) -> dict[str, list[int]]:
        """The tokens of the document each node matches, by node key, in order: found once per
        document (the nodes are single tokens, whose attributes do not depend on the sentence)."""
        if self.tests is None or not all(doc.has_annotation(a) for a in self.attrs if a in _ANNOTATIONS):
            strings = doc.vocab.strings
            where: dict[str, list[int]] = {}
            for match_id, start, _ in self.matcher(doc):  # as the Matcher does, errors included
                where.setdefault(strings[match_id], []).append(start)
            return {key: sorted(found) for key, found in where.items()}
        if all(a in STRING_ATTRS for a in self.attrs):  # from the strings extraction has read (SPEED)
            words = Words.of(doc)
            return {key: words.matching(tests) for key, tests in self.word_tests.items()}
        columns = doc.to_array(self.attrs).reshape(len(doc), len(self.attrs))
        column = {a: columns[:, i] for i, a in enumerate(self.attrs)}
        found = {}
        for key, tests in self.tests.items():
            match = numpy.ones(len(doc), dtype=bool)
            for attr, values in tests:
                one = column[attr] == values[0]
                for value in values[1:]:  # a few values: faster than numpy.isin
                    one |= column[attr] == value
                match &= one
            found[key] = numpy.flatnonzero(match).tolist()
        return found

    def __call__(self, sent: Span, heads: list[int], nodes: _Nodes) -> list[tuple[str, list[int]]]:
        """(label, token indices in the sentence, in pattern order) of every match; `heads`: each
        token's head in the document, all inside the sentence; `nodes`: the document's (`positions`,
        and the same as sets)."""
        start, end = sent.start, sent.end
        positions, members = nodes
        out: list[tuple[str, list[int]]] = []
        for label, keys in self.chains:
            if keys[0] == _ANY:
                firsts: Iterable[int] = range(start, end)
            else:
                found = positions.get(keys[0], [])
                firsts = found[bisect_left(found, start) : bisect_left(found, end)]
            for first in firsts:
                chain = [first]
                for node in keys[1:]:
                    up = heads[chain[-1] - start]
                    if up == chain[-1] or (node != _ANY and up not in members.get(node, ())):
                        break
                    chain.append(up)
                else:
                    out.append((label, [i - start for i in chain]))
        return out


@cache
def _chains(vocab: Vocab) -> _Chains | None:
    return _Chains(vocab) if _Chains.usable() else None


def _matches(sent: Span) -> list[tuple[str, list[int]]]:
    """(label, token indices in the sentence) of every role pattern's match in the sentence."""
    doc = sent.doc
    chains = _chains(doc.vocab)
    if chains is not None:
        last = _Last.of(doc)
        if last.heads is None:  # every token's head, from one array of the document (SPEED)
            last.heads = numpy.arange(len(doc), dtype=numpy.int64) + doc.to_array(HEAD).astype(numpy.int64)
        heads = last.heads[sent.start : sent.end].tolist()
        # A sentence whose tokens all have their heads inside it (spaCy's parses do): its copy is the same.
        if all(sent.start <= h < sent.end for h in heads):
            if last.nodes is None:
                positions = chains.positions(doc)
                last.nodes = positions, {key: set(found) for key, found in positions.items()}
            return chains(sent, heads, last.nodes)
    strings = doc.vocab.strings
    return [(strings[match_id], toks) for match_id, toks in _matcher(doc.vocab)(sent)]


class _Last:
    """What is known of the document last asked about: extraction asks about one document at a
    time, and only about the sentences that report something. Its links by sentence start, its
    sentences, its tokens' heads and the tokens each chain node matches, each made on first use."""

    current: ClassVar[_Last | None] = None

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.by_sentence: dict[int, Links] = {}
        self.sents: list[Span] | None = None
        self.starts: list[int] = []
        self.heads: numpy.ndarray[Any, numpy.dtype[numpy.int64]] | None = None
        self.nodes: _Nodes | None = None

    @classmethod
    def of(cls, doc: Doc) -> _Last:
        if cls.current is None or cls.current.doc is not doc:
            cls.current = cls(doc)
        return cls.current

    def sentence(self, token: Token) -> Span:
        """`token.sent`, found in the document's sentences (spaCy scans the tokens on every call)."""
        if self.sents is None:
            self.sents = list(self.doc.sents)
            self.starts = [s.start for s in self.sents]
        return self.sents[bisect_right(self.starts, token.i) - 1]


def sentence_of(token: Token) -> Span:
    """`token.sent`, found by bisection in the document's sentences."""
    return _Last.of(token.doc).sentence(token)


def links(sent: Span) -> Links:
    """Every link the role patterns find in one sentence (token indices into its document)."""
    last = _Last.of(sent.doc)
    found = last.by_sentence.get(sent.start)
    if found is None:
        found = {}
        where = _positions()
        for label, toks in _matches(sent):
            head, below, filler = (sent.start + toks[n] for n in where[label])
            if label == BY_PREPOSITION:  # filed under the preposition: FROM, TO, ...
                label = sent.doc[below].lower_.upper()
            found.setdefault(label, {}).setdefault(head, []).append((below, filler))
        for heads in found.values():
            for pairs in heads.values():
                pairs.sort()
        last.by_sentence[sent.start] = found
    return found


def linked(token: Token, *labels: str) -> list[Token]:
    """The fillers linked to `token` by any of `labels`, in text order."""
    doc, i = token.doc, token.i
    found = links(_Last.of(doc).sentence(token))
    if len(labels) == 1:  # one label's pairs are sorted already (`links`): asked most often (SPEED)
        pairs = found.get(labels[0], {}).get(i, [])
    else:
        pairs = sorted(p for label in labels for p in found.get(label, {}).get(i, ()))
    return [doc[f] for _, f in dict.fromkeys(pairs)]


def conjuncts(token: Token) -> list[Token]:
    """The phrases coordinated after `token` ("to Serbia, Hungary and Greece": Hungary, Greece)."""
    out: list[Token] = []
    todo = [token]
    while todo:
        for c in linked(todo.pop(0), "CONJ"):
            if c not in out:
                out.append(c)
                todo.append(c)
    return out
