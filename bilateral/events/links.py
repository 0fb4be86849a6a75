"""The grammatical links role fillers hang by, found once per document by the patterns of
`lang/en/roles.json` (a spaCy DependencyMatcher): subject, passive agent, object, "from/to/for/by/with"
objects, modifiers, apposition, coordination. Role linking (`roles`) asks for them by label.

Every pattern has a HEAD node (what the role hangs from) and a FILLER node (the phrase head); the
node just under the HEAD (a preposition, or the FILLER itself) orders fillers as the text does."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, ClassVar

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .lang import PatternFileError, dependency_matcher, pattern_file, patterns

# label -> head token index -> (index of the node under the head, filler index), in text order
Links = dict[str, dict[int, list[tuple[int, int]]]]


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


_ANY = "{}"  # a node without attributes: any token (not matched: the Matcher would list them all)


class _Chains:
    """The role patterns run without spaCy's DependencyMatcher, when each is a chain from its first
    node up through heads ("<"): each node's tokens are found by one token Matcher over the sentence,
    then every token of the first node climbs its heads. The same matches, without the
    DependencyMatcher's copy of the sentence and its pairing of every token with every other."""

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = Matcher(vocab)
        self.chains: list[tuple[str, list[str]]] = []  # label, the node keys from the first node up
        for label, rules in patterns("roles").items():
            for nodes in rules:
                keys = [json.dumps(n.get("RIGHT_ATTRS", {}), sort_keys=True) for n in nodes]
                for key, node in zip(keys, nodes, strict=True):
                    if key != _ANY and key not in self.matcher:
                        self.matcher.add(key, [[node.get("RIGHT_ATTRS", {})]])
                self.chains.append((label, keys))

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

    def __call__(self, sent: Span, heads: list[int]) -> list[tuple[str, list[int]]]:
        """(label, token indices in the sentence, in pattern order) of every match; `heads`: each
        token's head, as an index in the sentence."""
        strings = sent.doc.vocab.strings
        where: dict[str, set[int]] = {}
        for match_id, start, _ in self.matcher(sent):
            where.setdefault(strings[match_id], set()).add(start)
        where[_ANY] = set(range(len(sent)))
        out: list[tuple[str, list[int]]] = []
        for label, keys in self.chains:
            for first in sorted(where.get(keys[0], set())):
                chain = [first]
                for node in keys[1:]:
                    up = heads[chain[-1]]
                    if up == chain[-1] or up not in where.get(node, set()):
                        break
                    chain.append(up)
                else:
                    out.append((label, chain))
        return out


@cache
def _chains(vocab: Vocab) -> _Chains | None:
    return _Chains(vocab) if _Chains.usable() else None


def _matches(sent: Span) -> list[tuple[str, list[int]]]:
    """(label, token indices in the sentence) of every role pattern's match in the sentence."""
    chains = _chains(sent.doc.vocab)
    heads = [t.head.i - sent.start for t in sent]
    # A sentence whose tokens all have their heads inside it (spaCy's parses do): its copy is the same.
    if chains is not None and all(0 <= h < len(heads) for h in heads):
        return chains(sent, heads)
    strings = sent.doc.vocab.strings
    return [(strings[match_id], toks) for match_id, toks in _matcher(sent.doc.vocab)(sent)]


class _Last:
    """The links of the document last asked about, by sentence start: extraction asks about one
    document at a time, and only about the sentences that report something."""

    doc: ClassVar[Doc | None] = None
    by_sentence: ClassVar[dict[int, Links]] = {}


def links(sent: Span) -> Links:
    """Every link the role patterns find in one sentence (token indices into its document)."""
    if _Last.doc is not sent.doc:
        _Last.doc, _Last.by_sentence = sent.doc, {}
    found = _Last.by_sentence.get(sent.start)
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
        _Last.by_sentence[sent.start] = found
    return found


def linked(token: Token, *labels: str) -> list[Token]:
    """The fillers linked to `token` by any of `labels`, in text order."""
    found = links(token.sent)
    pairs = sorted(p for label in labels for p in found.get(label, {}).get(token.i, ()))
    return [token.doc[f] for _, f in dict.fromkeys(pairs)]


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
