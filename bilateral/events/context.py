"""Shared pieces of event extraction: the document context, citing, modality and role linking.

Roles come from the dependency parse around a trigger and the types of the entity mentions in the
sentence, falling back to the document's main pair of states where a bilateral article leaves a party
implicit ("the two countries"). Every event cites its sentence; every value comes from the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, pairwise
from typing import Any, ClassVar

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from ..models import Event, Mention
from ..models import Span as Cite
from ..nlp.mentions import Intervals
from ..ontology import ontology
from ..values.dates import resolve_date
from .links import linked, sentence_of
from .triggers import triggers
from .words import Words

QUOTES = re.compile(r"“([^”]{2,1500})”|\"([^\"\n]{2,1500})\"|„([^“”]{2,1500})[“”]|«([^»]{2,1500})»")
PRONOUNS = {"he", "she"}
ROLE_NOUNS = {
    "chief",
    "minister",
    "president",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "head",
    "leader",
    "secretary",
    "ambassador",
    "researcher",
    "analyst",
    "official",
    "premier",
}


@dataclass
class Ment:
    """A mention in a sentence with its token span."""

    m: Mention
    span: Span

    @property
    def state(self) -> str | None:
        return self.m.iso3 if self.m.type in ("state", "place") and self.m.iso3 else None

    @property
    def in_name(self) -> bool:
        """A state word inside a proper name ("China-Serbia Friendship Bridge"): not an actor."""
        root = self.span.root
        head = root.head
        while head.dep_ == "compound" and head.head != head and head.ent_type_ == "STATE":
            head = head.head
        return root.dep_ == "compound" and head.pos_ == "PROPN" and head.ent_type_ != "STATE"

    @property
    def actor(self) -> str:
        """The value an actor role takes: an ISO code for a state or its capital, else the name."""
        return self.state or self.m.text


@dataclass
class DocContext:
    doc: Doc
    doc_id: str
    published: str | None
    mentions: list[Ment]
    pair: list[str] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""  # doc.text, which spaCy rebuilds on every access
    sents: list[Span] = field(default_factory=list)
    quote_verbs: set[int] = field(default_factory=set)  # speech verbs that introduce a quotation
    trade_pair: tuple[str, str] | None = None
    loan_pair: tuple[str, str] | None = None  # (lender, borrower) of the last loan stated in full
    arms_pair: tuple[str, str] | None = None  # (supplier, recipient) of the last full transfer
    _by_sentence: dict[tuple[int, int], list[Ment]] = field(default_factory=dict)
    # Indexes of `mentions`, built on first use (SPEED): scanning every mention for every sentence
    # or pronoun made a long document quadratic.
    _ranges: Intervals | None = None
    _people: tuple[list[int], list[int]] | None = None  # persons' ends, sorted; last index so far
    _words: Words | None = None  # every token's strings
    _dates: dict[tuple[int, int], list[tuple[Ment, str, bool]]] = field(default_factory=dict)  # `dates_in`
    _quote_starts: list[int] | None = None  # of `quotes` (which do not change), if in order and apart

    def sentences_between(self, start: int, end: int) -> list[Span]:
        return [s for s in self.sents if s.start_char < end and start < s.end_char]

    def in_quote(self, start: int, end: int) -> bool:
        if not self.quotes:
            return False
        if self._quote_starts is None:  # asked for every trigger word (SPEED)
            ordered = all(qs <= qe for qs, qe in self.quotes) and all(
                a[1] <= b[0] for a, b in pairwise(self.quotes)
            )
            self._quote_starts = [qs for qs, _ in self.quotes] if ordered else []
        if not self._quote_starts:  # overlapping or unordered quotations: ask each
            return any(qs <= start and end <= qe for qs, qe in self.quotes)
        # In order and apart, only the last quotation that starts at or before `start` can hold it.
        i = bisect_right(self._quote_starts, start) - 1
        return i >= 0 and end <= self.quotes[i][1]

    def lemmas(self, sent: Span) -> list[str]:
        """`t.lemma_` of each token of `sent`, from one array of the document: a test of every token's
        word reads these instead of making a Token and its strings per test (SPEED)."""
        return self.words().lemma[sent.start : sent.end]

    def lowers(self, sent: Span) -> list[str]:
        """`t.lower_` of each token of `sent` (as `lemmas`)."""
        return self.words().lower[sent.start : sent.end]

    def poses(self, sent: Span) -> list[str]:
        """`t.pos_` of each token of `sent` (as `lemmas`)."""
        return self.words().pos[sent.start : sent.end]

    def having(self, sent: Span, lemmas: Container[str], lowers: Container[str] = ()) -> list[Token]:
        """The tokens of `sent` whose lemma is in `lemmas` or whose lower-case form is in `lowers`, in
        order: the candidates a trigger search tests, found without making every token (SPEED)."""
        doc, words = self.doc, self._words or self.words()
        return [doc[i] for i in words.having(sent.start, sent.end, lemmas, lowers)]

    def words(self) -> Words:
        """The document's token strings, read once (`words.Words`)."""
        if self._words is None:
            self._words = Words.of(self.doc)
        return self._words

    def sentence_mentions(self, sent: Span) -> list[Ment]:
        key = (sent.start_char, sent.end_char)
        if key not in self._by_sentence:  # asked by every extractor for every sentence
            if self._ranges is None:
                self._ranges = Intervals([(x.m.start, x.m.end) for x in self.mentions])
            self._by_sentence[key] = [self.mentions[i] for i in self._ranges.within(*key)]
        return self._by_sentence[key]

    def person_before(self, char: int) -> Ment | None:
        """The last person named before `char` outside quotations: what "he" or "the minister" refers to."""
        if self._people is None:
            people = sorted(
                (x.m.end, i)
                for i, x in enumerate(self.mentions)
                if x.m.type == "person" and not self.in_quote(x.m.start, x.m.end)
            )
            self._people = ([end for end, _ in people], list(accumulate((i for _, i in people), max)))
        ends, last = self._people
        n = bisect_right(ends, char)
        return self.mentions[last[n - 1]] if n else None

    def cite(self, start: int, end: int) -> Cite:
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Cite(self.doc_id, start, end, text[start:end])


def sentence_matches(matcher: Matcher, sent: Span) -> list[tuple[int, int, int]]:
    """`matcher(sent)` as (match id, start, end) in the document, from one run of the matcher over the
    whole document (SPEED: not one per sentence). For a Matcher without greedy filters whose patterns
    test no sentence boundaries (the phrase patterns of `lang/`), a match inside the sentence is
    a match in the document and the converse."""
    doc = sent.doc
    if _Matched.doc is not doc:
        _Matched.doc, _Matched.found = doc, {}
    found = _Matched.found.get(id(matcher))
    if found is None:
        found = _Matched.found[id(matcher)] = [(m, s, e) for m, s, e in matcher(doc)]
    return [(m, s, e) for m, s, e in found if sent.start <= s and e <= sent.end]


class _Matched:
    """The matches in the document last asked about, by matcher."""

    doc: ClassVar[Doc | None] = None
    found: ClassVar[dict[int, list[tuple[int, int, int]]]] = {}


def make_event(
    ctx: DocContext,
    type_: str,
    args: dict[str, Any],
    sents: list[Span],
    trigger: Token | None,
    role_spans: dict[str, Cite] | None = None,
) -> Event:
    date = ontology()[type_].date(args)  # the first of its dating roles that has a value
    return Event(
        type=type_,
        args={k: v for k, v in args.items() if v not in (None, "", [])},
        evidence=[ctx.cite(s.start_char, s.end_char) for s in sents],
        modality=modality(trigger) if trigger is not None else "reported",
        date=date,
        role_spans=role_spans or {},
    )


def modality(trigger: Token) -> str:
    tr = triggers()
    chain = [trigger, *trigger.ancestors][:4]
    words = {c.lower_ for t in chain for c in t.children if c.dep_ in ("aux", "neg", "mark", "advmod")}
    words |= {c.lower_ for c in trigger.children if c.dep_ == "amod"}  # "the planned purchase"
    # The verbs above the trigger ("plans to buy"), not the trigger itself (a "plan" is a document).
    words |= {t.lower_ for t in chain[1:]} | {t.lemma_ for t in chain[1:]}
    if "not" in words or "n't" in words or "never" in words:
        return "negated"
    if words & set(tr["hypothetical"]) and not words & {"will"}:
        return "hypothetical"
    if words & set(tr["planned"]) or _will_in_sentence(trigger):
        return "planned"
    return "reported"


def _will_in_sentence(token: Token) -> bool:
    """A modal "will" in the token's sentence, read from the document's words (SPEED: `token.sent`
    and a Token per word made per event)."""
    sent = sentence_of(token)
    return Words.of(token.doc).has_modal(sent.start, sent.end, "will")


# ------------------------------------------------------------------ shared role helpers


def dates_in(ctx: DocContext, sent: Span, since: bool = False) -> list[tuple[Ment, str]]:
    """The dates named in `sent` outside quotations, with their values: resolved once per sentence
    (SPEED: several rules ask), a new list per question. Not those that begin a period ("since
    2019"), unless `since` (an agreement "in force since 1 July")."""
    key = (sent.start_char, sent.end_char)
    out = ctx._dates.get(key)
    if out is None:
        out = ctx._dates[key] = []
        for x in ctx.sentence_mentions(sent):
            if x.m.type == "date" and not ctx.in_quote(x.m.start, x.m.end):
                value = resolve_date(x.m.text, ctx.published)
                if value:
                    out.append((x, value, _since(x)))
    return [(x, value) for x, value, begins in out if since or not begins]


def _since(x: Ment) -> bool:
    """ "the first visit since 2019", "has supplied arms since 2015": when a period began, not when
    what the sentence reports happened."""
    start = x.span.start
    if x.m.text.lower().startswith("since ") or (start > 0 and x.span.doc[start - 1].lower_ == "since"):
        return True
    return any(a.lower_ == "since" for a in list(x.span.root.ancestors)[:3])  # "since taking office in"


def in_clause_on(token: Token, nouns: frozenset[str]) -> bool:
    """Is `token` inside a relative or participle clause on one of `nouns` ("a deal signed in 2018")?"""
    return any(up.dep_ in ("acl", "relcl") and up.head.lemma_ in nouns for up in list(token.ancestors)[:4])


def _of_another(anchor: Token, token: Token) -> bool:
    """Is `token` in a clause on a noun that is neither `anchor` nor an event's ("Vucic, who was
    re-elected in 2022", "a bridge that opened in 2014"), a clause `anchor` is not in? Not "talks
    held on 8 May", "a visit that began on 7 May", "an agreement signed on 3 May"."""
    events = _event_nouns()
    for up in list(token.ancestors)[:4]:
        if up == anchor:
            return False
        if (
            up.dep_ in ("acl", "relcl")
            and up.head != anchor
            and not {up.head.lemma_, up.head.lower_} & events
        ):
            return not up.left_edge.i <= anchor.i <= up.right_edge.i
    return False


@cache
def _event_nouns() -> frozenset[str]:
    """The nouns that name an event of a type (`triggers.yml`), and a signing or ceremony."""
    tr = triggers()
    nouns = {*tr["meeting"]["nouns"], *tr["agreement"]["nouns"], *tr["investment"]["nouns"], *tr["loan"]}
    return frozenset(nouns | set(tr["exercise"]) | {"signing", "ceremony", "delivery", "order", "sale"})


def governs(token: Token, target: Token) -> bool:
    return token == target or target in token.ancestors


def date_near(
    ctx: DocContext, sent: Span, anchor: Token, besides: frozenset[str] = frozenset()
) -> str | None:
    """The date attached to `anchor` in the parse, else the nearest date in the sentence; not one
    in a clause on a noun of `besides` ("delivered under a deal signed in 2018": the deal's)."""
    dates = [
        d
        for d in dates_in(ctx, sent)
        if not _of_another(anchor, d[0].span.root) and not (besides and in_clause_on(d[0].span.root, besides))
    ]
    if not dates:
        return None
    attached = [d for d in dates if governs(anchor, d[0].span.root)]
    pool = attached or dates
    return min(pool, key=lambda d: abs(d[0].span.root.i - anchor.i))[1]


def states_of(ms: list[Ment]) -> list[str]:
    seen: list[str] = []
    for x in ms:
        if x.state and x.state not in seen and not x.in_name:
            seen.append(x.state)
    return seen


def subject_state(token: Token, ms: list[Ment], deps: tuple[str, ...] = ("nsubj",)) -> str | None:
    """The state that is the subject of `token`, directly or as a modifier ("Serbian armed forces")."""
    labels = {"nsubj": "SUBJ", "nsubjpass": "PASSIVE_SUBJ", "agent": "AGENT"}
    for dep in deps:
        for child in linked(token, labels[dep]):
            inside = (
                {t.i for t in child.subtree}
                if dep == "agent"
                else {child.i} | {t.i for t in linked(child, "MODIFIER")}
            )
            for x in ms:
                if x.state and x.span.root.i in inside:
                    return x.state
    if token.dep_ in ("conj", "xcomp") and token.head != token:
        return subject_state(token.head, ms, deps)
    return None


def prep_state(token: Token, ms: list[Ment], preps: set[str]) -> str | None:
    for obj in linked(token, *(p.upper() for p in preps)):
        for x in ms:
            if x.state and x.span.root == obj:
                return x.state
    return None


def is_modifier(token: Token) -> bool:
    """A possessive or adjectival use ("China's", "Chinese"), however the parser attached it."""
    return token.dep_ in ("poss", "amod") or any(c.dep_ == "case" for c in token.children)


def others(pair: list[str], *known: str | None) -> list[str]:
    return [s for s in pair if s not in known]


def np_text(token: Token) -> str:
    """The noun phrase headed by `token` (without relative clauses and trailing punctuation)."""
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in ("compound", "amod", "nummod", "appos") or (
            child.dep_ == "prep" and child.lower_ == "of"
        ):
            right = max(right, child.right_edge.i)
    span = token.doc[left : right + 1]
    return span.text.strip(" ,.;:–-")


def merge_within(
    events: list[Event],
    type_: str,
    same: Callable[[Event, Event], bool],
    absorb: Callable[[Event, Event], None],
) -> list[Event]:
    """One document's reports of one event of `type_` become one: `same` pairs a report with an
    earlier one, `absorb` folds it into that one; events of other types pass through."""
    kept: list[Event] = []
    for event in events:
        first = (
            next((k for k in kept if k.type == type_ and same(k, event)), None)
            if event.type == type_
            else None
        )
        if first is None:
            kept.append(event)
        else:
            absorb(first, event)
    return kept
