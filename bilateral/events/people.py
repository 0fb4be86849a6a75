"""People as the text shows them: the small model types many companies, places and products as
persons ("Zarkon Oil", "the Kestrel submarine", "the Velora press office"), and a speaker or a meeting
participant is a person. Cues are general (`lang/en/people.json`, the lexicon's organisations and
organisation heads), read once per document; a name the text gives a title ("President X") stays a person.
"""

from __future__ import annotations

from functools import cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from ..nlp.components import ORG_SUBTYPES
from ..nlp.lexicon import Organisation, fold, load
from ..values.names import key_for
from .context import DocContext, Ment
from .lang import matcher
from .words import phrase_rules

_MATCHERS: dict[int, Matcher] = {}
_LAST: list[
    tuple[Doc, tuple[frozenset[str], frozenset[int]]]
] = []  # the last document's answer (extraction reads one at a time)


def _labels(ctx: DocContext) -> dict[str, set[int]]:
    """Token indexes where each cue of `people.json` matches: from the document's arrays when the cues
    are word tests (SPEED), else by spaCy's Matcher."""
    doc = ctx.doc
    if id(doc.vocab) not in _MATCHERS:  # built once anyway: it validates the file
        _MATCHERS[id(doc.vocab)] = matcher(doc.vocab, "people")
    rules = phrase_rules("people")
    found: dict[str, set[int]] = {}
    if rules is not None:
        for label, start, end in ctx.words().phrases("people", rules):
            found.setdefault(label, set()).update(range(start, end))
        return found
    for match_id, start, end in _MATCHERS[id(doc.vocab)](doc):
        found.setdefault(doc.vocab.strings[match_id], set()).update(range(start, end))
    return found


@cache
def _known() -> dict[str, Organisation]:
    return {fold(n): o for o in load().organisations for n in (o.name, *o.aliases)}


def known_organisation(name: str) -> Organisation | None:
    """The lexicon's organisation a name or alias stands for ("Eximbank": the Export-Import Bank of China)."""
    return _known().get(fold(name))


def _titled(x: Ment, titles: set[str]) -> bool:
    start = x.span.start
    return start > 0 and x.span.doc[start - 1].text in titles


def _listed_head(token: Token) -> Token:
    """The first of a list a name is in ("A, B and C": A)."""
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    return token


def _among_organisations(others: list[Token], org_tokens: set[int]) -> bool:
    """Listed with two or more organisations and nothing else ("CNPC, CITIC and X")."""
    return len(others) >= 2 and all(t.i in org_tokens for t in others)


def not_people(ctx: DocContext) -> tuple[frozenset[str], frozenset[int]]:
    """The document's person mentions that name something else: folded names the text shows to be
    organisations wherever they occur, and the start offsets of single mentions that modify a common
    noun ("the Kestrel submarine": that mention only, as "the X tariffs" does not make X a company)."""
    if _LAST and _LAST[0][0] is ctx.doc:
        return _LAST[0][1]
    labels = _labels(ctx)
    org_word, org_noun, led = (labels.get(k, set()) for k in ("ORG_WORD", "ORG_NOUN", "PERSON_LED"))
    titles = set(load().titles)
    org_tokens = {t.i for x in ctx.mentions if x.m.type == "organisation" for t in x.span}
    people = [x for x in ctx.mentions if x.m.type == "person"]
    titled = {_surname(x.m.text) for x in people if _titled(x, titles)}
    names: set[str] = set()
    single: set[int] = set()
    for x in people:
        key = fold(x.m.text)
        inside = {t.i for t in x.span}
        root = x.span.root
        first = _listed_head(root)
        listed = [first, *first.conjuncts]
        as_head = first.head if first.dep_ == "pobj" and first.head.lower_ == "as" else None
        organisation = (
            any(t.i in org_word or t.text in ORG_SUBTYPES for t in x.span)
            or key in _known()
            # "the stock exchange, X", "companies such as A, B and X", "A, B and X" with A a company
            or (first.dep_ == "appos" and first.head.i in org_noun)
            or (
                as_head is not None
                and any(a.i in org_noun for a in [as_head.head, *as_head.head.ancestors][:2])
            )
            or _among_organisations([t for t in listed if t.i not in inside], org_tokens)
        )
        # "the Kestrel submarine", "the Velora press office": a modifier of a common noun
        modifier = (
            root.dep_ in ("compound", "nmod")
            and root.head.pos_ == "NOUN"
            and root.head.i not in inside
            and root.head.i not in led
        )
        if _surname(x.m.text) in titled:
            continue  # "President X": a person, whatever else the text does with the name
        if organisation:
            names.add(key)
        elif modifier:
            single.add(x.m.start)
    answer = (frozenset(names), frozenset(single))
    _LAST[:] = [(ctx.doc, answer)]
    return answer


def is_person(ctx: DocContext, x: Ment) -> bool:
    if x.m.type != "person":
        return False
    names, single = not_people(ctx)
    return fold(x.m.text) not in names and x.m.start not in single


def person_before(ctx: DocContext, char: int) -> Ment | None:
    """The last person named before `char` outside quotations, passing over names that are not people."""
    x = ctx.person_before(char)
    if x is None or is_person(ctx, x):
        return x
    people = (y for y in ctx.mentions if y.m.end <= char and is_person(ctx, y))
    return max(
        (y for y in people if not ctx.in_quote(y.m.start, y.m.end)), key=lambda y: y.m.end, default=None
    )


def titled_before(ctx: DocContext, noun: Token) -> Ment | None:
    """The last person named before a role noun among those the text gave that title: "the minister"
    after "Minister of Defence, X" is X, not whoever was named last; "the president said" after
    "President A ... B ... A said" is A."""
    title = noun.lemma_.lower()
    before = sorted(
        (
            x
            for x in ctx.mentions
            if x.m.end <= noun.idx and is_person(ctx, x) and not ctx.in_quote(x.m.start, x.m.end)
        ),
        key=lambda x: x.m.end,
    )
    titled = set()
    for x in before:
        sent = x.span.sent
        if any(t.lemma_.lower() == title for t in ctx.doc[max(sent.start, x.span.start - 6) : x.span.end]):
            titled.add(_surname(x.m.text))
    return next((x for x in reversed(before) if _surname(x.m.text) in titled), None)


def _surname(name: str) -> str:
    return key_for("person", name).split()[-1]
