"""The grammatical links role fillers hang by, found once per document by the patterns of
`lang/en/roles.json` (a spaCy DependencyMatcher): subject, passive agent, object, "from/to/for/by/with"
objects, modifiers, apposition, coordination. Role linking (`roles`) asks for them by label.

Every pattern has a HEAD node (what the role hangs from) and a FILLER node (the phrase head); the
node just under the HEAD (a preposition, or the FILLER itself) orders fillers as the text does."""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

from spacy.matcher import DependencyMatcher
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
        strings = sent.doc.vocab.strings
        where = _positions()
        for match_id, toks in _matcher(sent.doc.vocab)(sent):
            label = strings[match_id]
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
