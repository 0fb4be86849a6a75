"""The grammatical links role fillers hang by, found once per document by the patterns of
`lang/en/roles.json` (a spaCy DependencyMatcher): subject, passive agent, object, "from/to/for/by/with"
objects, modifiers, apposition, coordination. Role linking (`roles`) asks for them by label."""

from __future__ import annotations

from functools import cache
from typing import ClassVar

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from .lang import dependency_matcher

# label -> head token index -> (index of the node under the head, filler index), in text order
Links = dict[str, dict[int, list[tuple[int, int]]]]


@cache
def _matcher(vocab: Vocab) -> DependencyMatcher:
    return dependency_matcher(vocab, "roles")


class _Last:
    """The links of the document last asked about: extraction asks about one document at a time."""

    doc: ClassVar[Doc | None] = None
    links: ClassVar[Links] = {}


def links(doc: Doc) -> Links:
    """Every link the role patterns find in `doc`, computed once per document."""
    if _Last.doc is not doc:
        found: Links = {}
        strings = doc.vocab.strings
        for match_id, toks in _matcher(doc.vocab)(doc):
            found.setdefault(strings[match_id], {}).setdefault(toks[0], []).append((toks[1], toks[-1]))
        for heads in found.values():
            for pairs in heads.values():
                pairs.sort()
        _Last.doc, _Last.links = doc, found
    return _Last.links


def linked(token: Token, *labels: str) -> list[Token]:
    """The fillers linked to `token` by any of `labels`, in text order."""
    found = links(token.doc)
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
