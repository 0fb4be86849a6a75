"""Within-document event coreference: the other sentences of a document that mention an event again.

An article reports a deal once and then keeps talking about it: "the drones", "the loan, repayable
over ten years", a headline with the amount, "their meeting". After every type's
extraction, a sentence that names an event's system, agreement title, exercise name, investment
target or amount again, refers back to it with a noun of its type ("the deal", "these weapons",
"during a meeting at the palace") or tells its parties doing it again ("they talked about trade"), is
cited as that event's evidence. Nothing but evidence changes (fusion unites evidence, it never compares
it), and a cue that fits two events of a type cites neither. This is the one place that decides which
event a later sentence refers to: the driver cites none itself, so every reference gets the same
checks of state, kind, date and category.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache, cached_property
from typing import Any

from spacy.tokens import Span, Token
from unidecode import unidecode

from ..models import Event
from ..models import Span as Cite
from ..nlp.lexicon import fold
from ..values.numbers import parse_quantity
from ..values.scripts import CYRILLIC
from . import anaphora, meetings, statements
from .amounts import money
from .context import DocContext
from .families import family_of, lexicon, word_families

# Roles whose value names the event well enough to find it again in another sentence.
NAME_ROLES = {"arms_transfer": "system", "agreement": "title", "exercise": "name", "investment": "target"}
DIGIT = re.compile(r"\d")
GENERIC = {"the", "a", "an", "agreement", "agreements", "deal", "deals", "contract", "pact", "exercise"}


def attach(ctx: DocContext, events: list[Event]) -> list[Event]:
    """Cite, for every event of the document, the other sentences that mention it again."""
    if events:  # no event: no sentence to read for one
        cites = [ctx.cite(sent.start_char, sent.end_char) for sent in ctx.sents]
        facts = _Facts(ctx, events)
        reporting = _reporting(events, cites)
        for sent, cite, own in zip(ctx.sents, cites, reporting, strict=True):
            if cite.text:
                for event in _mentioned(facts, _Sentence(facts, sent), own):
                    event.evidence.append(cite)
    statements.leads(ctx, events)
    for event in events:
        if event.type == "meeting":
            meetings.attending_states(ctx, event)
    statements.dated_by_occasion(ctx, events)
    meetings.dated_by_signing(events)
    return events


class _Facts:
    """What `_mentioned` asks of the document's events in every sentence, worked out once (SPEED: per
    sentence and type it recomputed every event's name, its forms and twins). Only evidence grows while
    the sentences are read: of these facts only a transfer's `family` reads it, asked again when it
    has grown."""

    def __init__(self, ctx: DocContext, events: list[Event]) -> None:
        self.ctx = ctx
        self.pools: dict[str, list[Event]] = {}
        for e in events:
            self.pools.setdefault(e.type, []).append(e)
        self.transfers = self.pools.get("arms_transfer", [])
        # Amounts are compared with events' values only: without a valued event, none to find.
        self.valued = any(isinstance(e.args.get("value"), dict) for e in events)
        # A place's name ("Kenya" as an investment's target) names no one event.
        places = {fold(x.m.text) for x in ctx.mentions if x.m.type in ("state", "place")}
        self.names = {id(e): _name(e) for e in events}
        self.forms: dict[int, tuple[tuple[str, ...], list[str]]] = {}
        for e in events:
            name = self.names[id(e)]
            if name is not None and name not in places:
                # "the K9s", "Leopards": a plural of the designation is still the designation (forms, not a
                # regular expression: compiling one per event was a cost of its own)
                stem = re.sub(r"\s*\d+$", "", name)  # "Golden Condor" for "Golden Condor 2023"
                wider = stem if e.type == "exercise" and stem != name and " " in stem else None
                forms = (f" {name} ", f" {name}s ", f" {name}es ", *([f" {wider} "] if wider else []))
                self.forms[id(e)] = forms, (wider or name).split()  # words every form holds
        self.twins = {
            id(e): [o for o in self.pools[e.type] if o is not e and self.twin(e, o)] for e in events
        }
        self.titles = {id(e): _reference_title(e) for e in events}
        self.families: dict[int, tuple[int, str | None]] = {}
        self.parts = {type_: _groups(pool) for type_, pool in self.pools.items()}
        # The events a sentence can name: by name, amount or (a transfer's) quantity (SPEED).
        self.nameable = {
            type_: [
                e
                for e in pool
                if id(e) in self.forms
                or isinstance(e.args.get("value"), dict)
                or (type_ == "arms_transfer" and e.args.get("quantity") is not None)
            ]
            for type_, pool in self.pools.items()
        }

    @cached_property
    def noun_flags(self) -> list[bool]:
        """Whether each token of the document is a noun or proper noun (`Words`, SPEED)."""
        return [p in ("NOUN", "PROPN") for p in self.ctx.words().pos]

    @cached_property
    def nummod_flags(self) -> list[bool]:
        """Whether each token of the document is a number modifying a noun (`Words`, SPEED)."""
        return [d == "nummod" for d in self.ctx.words().dep]

    def family(self, event: Event) -> str | None:
        """`family_of` the transfer, which reads its evidence: asked again only when that grew."""
        known = self.families.get(id(event))
        if known is None or known[0] != len(event.evidence):
            known = self.families[id(event)] = len(event.evidence), family_of(event)
        return known[1]

    def twin(self, a: Event, b: Event) -> bool:
        """Two reports of one name whose quantities or dates contradict: two events of that name."""
        name = self.names[id(a)]
        return a.type == b.type and name is not None and name == self.names[id(b)] and _differ(a, b)

    def named(self, s: _Sentence) -> set[int]:
        """The events whose name the sentence gives."""
        return {
            key
            for key, (forms, words) in self.forms.items()
            if s.may_hold(words) and any(form in s.low for form in forms)
        }

    def anaphoric(self, event: Event) -> bool:
        """An agreement whose title is only a reference ("the deal") and that one sentence reports."""
        return self.titles[id(event)] and len(event.evidence) == 1

    def unique(self, event: Event, s: _Sentence) -> bool:
        # Reports of one name that may be one deal (no quantity or date contradicts) are not twins.
        twins = self.twins[id(event)]
        if not twins:
            return True
        quantity = event.args.get("quantity")
        return (
            quantity is not None
            and f" {quantity} " in s.low
            and all(e.args.get("quantity") != quantity for e in twins)
        )


class _Sentence:
    """What `_mentioned` reads of one sentence, worked out once (SPEED). Attributes and plain properties,
    not cached properties, which take a lock on every read."""

    def __init__(self, facts: _Facts, sent: Span) -> None:
        ctx = facts.ctx
        self.facts, self.sent = facts, sent
        self.text = ctx.text[sent.start_char : sent.end_char]  # `sent.text`, which spaCy joins from tokens
        self.plain = _plain(self.text) if facts.forms else None
        # Amounts are compared with events' values only; an amount has digits.
        valued = facts.valued and DIGIT.search(self.text)
        self.amounts = [a.value for a in money(self.text) if isinstance(a.value, dict)] if valued else []
        self.lemmas = set(ctx.lemmas(sent))
        # (index, lower-case lemma, lower-case form) of the sentence's nouns and proper nouns
        words = zip(facts.noun_flags[sent.start : sent.end], ctx.lemmas(sent), ctx.lowers(sent), strict=True)
        self.nouns = [
            (sent.start + i, lemma.lower(), lower) for i, (noun, lemma, lower) in enumerate(words) if noun
        ]
        self._low: str | None = None
        self._nummods: list[tuple[int | None, str]] | None = None

    def may_hold(self, words: list[str]) -> bool:
        """Whether the sentence's folded text may hold the words (without folding it, where it can tell).
        A word with "/" may not be in the plain text though in the folded one: `fold` drops the "'s"
        of "x's/y"."""
        plain = self.plain
        return plain is None or all("/" in w or w in plain for w in words)

    @property
    def low(self) -> str:
        """The folded text, between spaces. `plain` folds to it, and faster: it is ASCII."""
        if self._low is None:
            self._low = f" {fold(self.text if self.plain is None else self.plain)} "
        return self._low

    @property
    def nummods(self) -> list[tuple[int | None, str]]:
        """Each number modifying a noun ("six helicopters"): its value and its noun's lemma."""
        if self._nummods is None:
            doc, sent, deps = self.facts.ctx.doc, self.sent, self.facts.nummod_flags
            tokens = [doc[i] for i in range(sent.start, sent.end) if deps[i]]
            self._nummods = [(parse_quantity(t.text), t.head.lemma_.lower()) for t in tokens]
        return self._nummods

    def starting(self, type_: str) -> list[Token]:
        """The sentence's nouns that may start a reference to an event of the type (`anaphora.starts`)."""
        words, doc = anaphora.starts(type_), self.facts.ctx.doc
        return [doc[i] for i, lemma, lower in self.nouns if lemma in words or lower in words]

    def verbs(self, type_: str) -> list[Token]:
        """The sentence's tokens of the verbs that tell an event of the type again (`_again`)."""
        verbs = _verbs(type_)
        return [] if self.lemmas.isdisjoint(verbs) else self.facts.ctx.having(self.sent, verbs)


def _plain(text: str) -> str | None:
    """The text in ASCII and lower case as `fold` writes it before it drops punctuation, when it has no
    Cyrillic (which `fold` transliterates by language): a word of letters and digits is in the folded
    text only if it is in this. SPEED: `fold` transliterates a sentence character by character; this
    translates each distinct character once."""
    if text.isascii():
        return text.lower()
    if CYRILLIC.search(text):
        return None
    return text.translate({ord(c): _ascii(c) for c in set(text) if not c.isascii()}).lower()


def _reporting(events: list[Event], cites: list[Cite]) -> list[set[int]]:
    """For each sentence (its `cites`, in order and apart), the events whose evidence overlaps it: those
    that report it. The evidence coreference adds is of other sentences, so this does not change while
    they are read (SPEED: asked of every event in every sentence)."""
    starts, ends = [c.start for c in cites], [c.end for c in cites]
    found: list[set[int]] = [set() for _ in cites]
    for e in events:
        for c in e.evidence:
            for i in range(bisect_right(ends, c.start), bisect_left(starts, c.end)):
                found[i].add(id(e))
    return found


def _mentioned(facts: _Facts, s: _Sentence, reporting: set[int]) -> list[Event]:
    """The events the sentence mentions again, of those that do not report it (`reporting`)."""
    ctx, sent = facts.ctx, s.sent
    names = facts.named(s) if facts.forms else set()
    out: list[Event] = []
    for type_, pool in facts.pools.items():
        if type_ == "statement" and not facts.nameable[type_]:
            continue  # a statement is cited again only by a name or amount (none here) (SPEED)
        # "Parliament ratified the deal": an event whose title is only a reference is that reference
        own = [e for e in pool if id(e) in reporting and not facts.anaphoric(e)] if reporting else []
        named = [
            e for e in facts.nameable[type_] if id(e) in names or _priced(e, s.amounts) or _counted(e, s)
        ]
        if s.amounts and sum(_priced(e, s.amounts) for e in pool) > 1:  # one amount, two loans: neither
            named = [e for e in named if not _priced(e, s.amounts) or id(e) in names]
        # A name two events share ("Leopard" ordered twice) picks one only by its quantity.
        named = [e for e in named if facts.unique(e, s)] + _parts(facts.parts[type_], s.amounts)
        if any(facts.twin(e, o) for e in named for o in own if o is not e):
            named = []  # the sentence reports another event of that name
        others = [e for e in named if e not in own]
        out += others
        if not others and (not named or own) and type_ != "statement":
            found = anaphora.referred(ctx, sent, type_, pool, own, facts.transfers, s.starting(type_))
            out += found or ([] if own else _again(ctx, s, type_, pool))
            if type_ == "meeting" and not own:
                out += anaphora.present(ctx, sent, pool)
    unique = {id(e): e for e in out}
    return [e for e in unique.values() if id(e) not in reporting]


def _again(ctx: DocContext, s: _Sentence, type_: str, pool: list[Event]) -> list[Event]:
    """A sentence that tells an event's parties doing it again, with no noun for it, mentions the last
    such event reported before it: a meeting's people named together ("Ruto and Abiy agreed to ...")
    or as "they" of a meeting verb ("they talked about trade"); forces training together ("troops of
    both countries drilled"); a state buying systems of a transfer's category without naming one ("the
    first country to buy Turkish drones"). The verbs are language data (`again` in coref.json)."""
    sent, tokens = s.sent, s.verbs(type_)
    if not tokens and type_ != "meeting":  # (a meeting's people named together need none)
        return []
    pool = anaphora.before(pool, sent)
    if not _verbs(type_) or not pool:
        return []
    if type_ == "meeting":
        named = anaphora.people(ctx, sent)
        theirs = [e for e in pool if named <= meetings.people_of(e)] if len(named) >= 2 else []
        if not theirs and not any(
            any(c.dep_ == "nsubj" and c.lower_ == "they" for c in t.children) for t in tokens
        ):
            return []
        pool = theirs or pool
    elif type_ == "arms_transfer":
        if any(x.m.type == "weapon" for x in ctx.sentence_mentions(sent)):
            return []  # a system named: a transfer of its own, or none
        families, wider = word_families(), lexicon()["wider"]
        words = {w.lemma_.lower() for t in tokens for w in t.subtree}
        kinds = {k for w in words if w in families for k in wider.get(families[w], [families[w]])}
        pool = [e for e in pool if family_of(e) in kinds]
    elif not any(t.pos_ == "VERB" for t in tokens):
        return []
    found = anaphora.last(pool, sent)
    return [found] if found is not None else []


@cache
def _ascii(char: str) -> str:
    """A character as `fold` transliterates it, which it does character by character."""
    return unidecode(char)


@cache
def _verbs(type_: str) -> frozenset[str]:
    return frozenset(lexicon()["again"].get(type_, ()))


def _groups(pool: list[Event]) -> list[tuple[dict[str, Any], list[Event]]]:
    """The total amount of each lender's or investor's valued events of a type, in one currency, where
    they are two or more: what a package of them is worth (`_parts`)."""
    groups: dict[str, list[Event]] = {}
    for e in pool:
        side = e.args.get("lender") or e.args.get("investor")
        if isinstance(e.args.get("value"), dict) and side is not None:
            groups.setdefault(f"{side}|{e.args['value'].get('currency')}", []).append(e)
    out = []
    for group in groups.values():
        total = {"amount": sum(float(e.args["value"]["amount"]) for e in group)}
        total["currency"] = group[0].args["value"].get("currency")
        if len(group) >= 2:
            out.append((total, group))
    return out


def _parts(groups: list[tuple[dict[str, Any], list[Event]]], amounts: list[dict[str, Any]]) -> list[Event]:
    """A package whose amount is the sum of several loans or investments of one lender or investor
    ("a $900 million package" of two loans) mentions each of them."""
    return [e for total, group in groups if any(_same_money(total, a) for a in amounts) for e in group]


def _reference_title(event: Event) -> bool:
    """An agreement titled only by a determiner and a noun for agreements ("the deal")."""
    words = fold(str(event.args.get("title", ""))).split()
    return (
        event.type == "agreement"
        and len(words) == 2
        and words[0] in lexicon()["determiners"]
        and words[1].rstrip("s") in lexicon()["nouns"]["agreement"]
    )


def _name(event: Event) -> str | None:
    """The event's name as a comparison key, when it is a proper name and not a common noun."""
    role = NAME_ROLES.get(event.type)
    value = str(event.args.get(role, "")) if role else ""
    words = value.split()
    if not words or not any(w[:1].isupper() or any(c.isdigit() for c in w) for w in words):
        return None
    key = fold(value)
    if not key or set(key.split()) <= GENERIC or len(key) < (2 if any(c.isdigit() for c in key) else 3):
        return None
    return key


def _priced(event: Event, amounts: list[dict[str, Any]]) -> bool:
    value = event.args.get("value")
    return isinstance(value, dict) and any(_same_money(value, a) for a in amounts)


def _counted(event: Event, s: _Sentence) -> bool:
    """ "the 42 jets", "six helicopters": the transfer's quantity with a noun of its category."""
    quantity = event.args.get("quantity")
    if quantity is None or event.type != "arms_transfer" or not s.nummods:
        return False
    if (family := s.facts.family(event)) is None:
        return False
    families, wider = word_families(), lexicon()["wider"].get(family, [family])
    return any(value == quantity and families.get(noun) in wider for value, noun in s.nummods)


def _same_money(a: dict[str, Any], b: dict[str, Any]) -> bool:
    try:
        x, y = float(a["amount"]), float(b["amount"])
    except (KeyError, TypeError, ValueError):
        return False
    if a.get("currency") and b.get("currency") and a["currency"] != b["currency"]:
        return False
    return x > 0 and abs(x - y) <= 0.01 * x


def _differ(a: Event, b: Event) -> bool:
    for role in ("quantity", "ordered", "delivered", "date", "signed"):
        x, y = a.args.get(role), b.args.get(role)
        if x is not None and y is not None and not (str(x).startswith(str(y)) or str(y).startswith(str(x))):
            return True
    return a.args.get("recipient") != b.args.get("recipient")
