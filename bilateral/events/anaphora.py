"""References to an event by a noun of its type: "the deal", "these weapons", "the loans", "during
his visit", "the arms deal", "the signing ceremony" (`events/coref.py` asks, after the names).

Which event a noun refers to: one of its type and category, compatible with the states, kind and
year its phrase names, preferring one its date agrees with; then the last one reported before it,
the document's only one, or, for a plural of a type counted together, every one before it. The
nouns, determiners and category families are language data (`lang/en/coref.json`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from spacy.tokens import Span, Token

from ..models import Event
from ..nlp.lexicon import fold
from ..values.dates import agree
from ..values.names import key_for
from . import agreements, meetings
from .context import DocContext, dates_in, np_text
from .families import deal_for, family_of, lexicon, qualifying, reference_words, word_families

DEMONSTRATIVES = {"this", "that", "these", "those"}


def referred(
    ctx: DocContext,
    sent: Span,
    type_: str,
    pool: list[Event],
    own: list[Event],
    transfers: list[Event],
    nouns: list[Token],
) -> list[Event]:
    """The event a noun of its type refers back to: the last one reported before the sentence, or the
    document's only one; a category noun ("the drones") only to a transfer of that category, a deal
    named by its systems ("the fighter deal") only to an agreement reported with a transfer of them
    (`transfers`, the document's). A sentence that reports an event of the type (`own`) refers back
    only by a plural or by a transfer's own category words (`_referent`). `nouns` are the sentence's
    nouns that may start such a reference (`starts`), in order."""
    lex = lexicon()
    if not nouns or (own and type_ != "arms_transfer" and type_ not in lex["plural"]):
        return []
    words = _nouns(type_)
    determiners = _determiners()
    families = word_families()
    for t in nouns:
        if ctx.in_quote(t.idx, t.idx + 1) and not any(c.lower_ in DEMONSTRATIVES for c in t.children):
            continue  # a quotation refers back only with "this" or "that" ("This agreement is ...")
        word = t.lemma_.lower()
        if word == "line" and any(
            c.lower_ == "of" and any(g.lower_ == "credit" for g in c.subtree) for c in t.children
        ):
            word = "credit"  # "the third line of credit"
        family = families.get(word) if type_ == "arms_transfer" else None
        if type_ == "agreement" and word in lex["acts"] and any(c.lower_ == "of" for c in t.children):
            continue  # "the signing of the FTA" names its instrument, itself read as a reference
        if word not in words and t.lower_ not in words and family is None:
            if type_ == "agreement" and not own and (batch := _batch(sent, t, pool)) is not None:
                return [batch]
            continue
        # "the arms deal", "the helicopter contract": the deal noun carries the determiner
        phrase = t.head if _through(t, type_) else t
        marked = any(
            (c.dep_ == "det" and c.lower_ in determiners)
            or (c.dep_ == "poss" and (c.lower_ in determiners or c.pos_ == "PROPN"))
            for c in phrase.children
        ) and not any(
            c.dep_ in ("compound", "amod", "nmod") and c.pos_ == "PROPN" and c.ent_type_ != "STATE"
            for c in phrase.children
            if type_ != "meeting"
        )  # "the Mombasa power plant" names a plant of its own
        if type_ == "arms_transfer" and not any(c.dep_ == "det" for c in phrase.children):
            marked = False  # "its arms purchases rose": a country's purchases in general
        around = t.head.dep_ == "prep" and t.dep_ == "pobj" and t.head.lower_ in lex["around"]
        singular = type_ in lex["singular"] and len(pool) == 1 and t.tag_ in ("NN", "NNP")
        if not (marked or singular or (around and type_ == "meeting" and len(pool) == 1)):
            sides = _between(ctx, sent, pool) if type_ in SIDES and not own else None
            if sides is not None:  # "Chile and Peru hailed a new fisheries agreement"
                return [sides]
            continue
        if type_ == "arms_transfer":  # "its supply of drones": the category of the phrase decides
            family = next(
                (families[w.lemma_.lower()] for w in t.subtree if w.lemma_.lower() in families), None
            )
        compatible = _compatible(ctx, sent, t, type_, pool)
        candidates = [e for e in pool if compatible(e)]
        if type_ == "agreement" and (systems := qualifying(t)):
            candidates = [e for e in candidates if deal_for(e, systems, transfers)]
        if len(candidates) > 1:  # a preference: one candidate is kept whatever its date (SPEED)
            same_time = _same_time(ctx, sent, t)
            candidates = [e for e in candidates if same_time(e)] or candidates
        found = _referent(ctx, sent, t, type_, candidates, family, own) if candidates else []
        if found:
            return found
    return []


@cache
def starts(type_: str) -> frozenset[str]:
    """The words (lemma or lower-case form) of the nouns `referred` reads for a type: its nouns, a
    transfer's category words, "line" (of credit), an agreement's batch nouns. SPEED: a sentence's
    other nouns are never read."""
    words = _nouns(type_) | {"line"}
    if type_ == "arms_transfer":
        words |= word_families().keys()
    if type_ == "agreement":
        words |= BATCH_NOUNS
    return frozenset(words)


@cache
def _nouns(type_: str) -> frozenset[str]:
    return frozenset(lexicon()["nouns"].get(type_, ()))


@cache
def _determiners() -> frozenset[str]:
    return frozenset(lexicon()["determiners"])


def _held_in(ctx: DocContext, sent: Span, pool: list[Event]) -> list[Event]:
    """Of the meetings a reference may mean, those held in a state the sentence names ("Vietnam ...
    during Biden's visit" is the visit to Hanoi, not the summit in India), when some are. A demonym
    names whose act it is, not where ("the Serbian ministry's report from the meeting")."""
    named = {
        x.state
        for x in ctx.sentence_mentions(sent)
        if x.state and not x.in_name and not x.span.root.ent_id_.endswith("|demonym")  # whose, not where
    }
    where = {fold(x.m.text): x.state for x in ctx.mentions if x.state}
    held = [e for e in pool if where.get(fold(str(e.args.get("location") or ""))) in named]
    return held or pool


def present(ctx: DocContext, sent: Span, pool: list[Event]) -> list[Event]:
    """ "Novak was in Greece", "Amara arrived in Kampala": a person's presence in a state is a mention of
    the document's one meeting of theirs held there, or held at no place it gives (which it then
    takes)."""
    mentions = ctx.sentence_mentions(sent)
    for x in mentions:
        verb = x.span.root.head
        if x.m.type != "person" or x.span.root.dep_ != "nsubj" or verb.lemma_ not in lexicon()["presence"]:
            continue
        where = [y for y in mentions if y.state and y.span.root.head.lower_ in ("in", "to")]
        where = [y for y in where if y.span.root.head.head == verb]
        if ctx.in_quote(x.m.start, x.m.end) or len(where) != 1:
            continue
        when = [v for _, v in dates_in(ctx, sent)]  # "Amara was in Uganda in 2019": another visit
        states = {fold(y.m.text): y.state for y in ctx.mentions if y.state}
        person = key_for("person", x.m.text).split()[-1]
        theirs = [e for e in pool if person in meetings.people_of(e)]
        there = [
            e
            for e in theirs
            if (not e.args.get("location") or states.get(fold(str(e.args["location"]))) == where[0].state)
            and not (e.date and when and not any(agree(str(e.date)[:7], v[:7]) for v in when))
        ]
        if len(theirs) == 1 and there:
            there[0].args.setdefault("location", where[0].m.text)
            return there
    return []


def _through(word: Token, type_: str) -> bool:
    """ "arms" in "the arms deal", "signing" in "the signing ceremony": a word of the type modifying a
    noun that refers to its event."""
    return word.dep_ in ("compound", "amod") and word.head.lemma_.lower() in lexicon()["through"].get(
        type_, ()
    )


def _same_time(ctx: DocContext, sent: Span, noun: Token) -> Callable[[Event], bool]:
    """Of several events a reference may mean, it means one its own date agrees with: the date in its
    phrase or on the verb it is the subject of ("the order concluded on May 9", not the 2015 one).
    Only a preference: a date without its year is resolved against the publication date and may not
    be the event's own ("its ratification came in July"). The reference's dates are read once (SPEED)."""
    inside = {t.i for t in noun.subtree}
    verb = noun.head if noun.dep_ in ("nsubj", "nsubjpass") else noun
    own = [v for x, v in dates_in(ctx, sent) if x.span.root.i in inside or x.span.root.head.head == verb]
    return lambda event: not (event.date and own and not any(agree(str(event.date)[:7], v[:7]) for v in own))


def _compatible(
    ctx: DocContext, sent: Span, noun: Token, type_: str, pool: list[Event]
) -> Callable[[Event], bool]:
    """A reference naming a state ("Libya's supply of drones to Sudan") refers to an event of that
    state only, and one naming where it was ("the visit to Germany") to a meeting held there; one
    dated in another year ("the agreement of 2010", "in 2010 the deal was ratified") to an event of that
    year only; an agreement of another kind ("the trade agreement") to one of that kind only. What the
    reference names is read once for the events of `pool`, of the type (SPEED)."""
    inside = {t.i for t in noun.subtree}
    # Another year is another event, but an order's deliveries come later ("delivery ... in 2025").
    written = _years(ctx, sent, noun, inside) if any(e.date for e in pool) else set()
    delivered = bool(written) and type_ == "arms_transfer" and _delivered(noun)
    kind = agreements.agreement_kind(np_text(noun)) if type_ == "agreement" else None
    named = {
        x.state
        for x in ctx.sentence_mentions(sent)
        if x.m.type == "state" and x.state and x.span.root.i in inside
    }
    held = _where(ctx, sent, noun) if type_ == "meeting" else set()
    states = {fold(x.m.text): x.state for x in ctx.mentions if x.state} if held else {}

    def compatible(event: Event) -> bool:
        year = str(event.date)[:4]
        years = written if event.date else set()
        later = event.type == "arms_transfer" and bool(years) and min(years) > year
        if years and year not in years and not (later and delivered):
            return False
        if event.type == "agreement" and kind not in ("other", event.args.get("kind")):
            return False
        if event.type == "meeting":  # a meeting's people are not states: `_meeting` matches them
            there = states.get(fold(str(event.args.get("location") or "")))
            return not held or there is None or there in held
        if not named:
            return True
        values = [v for v in event.args.values() if isinstance(v, str)]
        values += [
            v for v in event.args.values() for v in (v if isinstance(v, list) else []) if isinstance(v, str)
        ]
        return named <= set(values)

    return compatible


def _where(ctx: DocContext, sent: Span, noun: Token) -> set[str]:
    """The states of the places a sentence names for a meeting it refers to: those its phrase names
    ("X's visit to Germany", "his tour of China", "the talks of A and B"), else the one of its clause
    nearest it after "in", "to" or "at", as `meetings` reads where a meeting was held ("during the visit
    he toured a plant in Germany"; not "officials in Chile said the talks went well")."""
    inside = {t.i for t in noun.subtree}
    places = [
        x
        for x in ctx.sentence_mentions(sent)
        if x.m.type in ("place", "state") and x.span.root.head.lower_ in ("in", "to", "at", "of")
    ]
    own = {x.state for x in places if x.state and x.span.root.i in inside}
    if own:
        return own
    clause = _verb(noun)
    places = [x for x in places if x.span.root.head.lower_ != "of" and _verb(x.span.root) == clause]
    nearest = min(places, key=lambda x: abs(x.span.root.i - noun.i), default=None)
    return {nearest.state} if nearest is not None and nearest.state else set()


def _delivered(noun: Token) -> bool:
    """A reference in a phrase or clause of delivery ("delivery of the vehicles", "the jets arrive")."""
    words = set(lexicon()["delivery"])
    return any(t.lemma_.lower() in words for t in (noun, *noun.ancestors))


def _years(ctx: DocContext, sent: Span, noun: Token, inside: set[int]) -> set[str]:
    """The years written in a reference's phrase or in its clause ("In 2010 the deal was ratified"), not
    those of another clause ("during this meeting they signed the FTA, in force since 2024"). Written
    years only: "in April" may be of a later year. (The sentence's words are read from the document's
    array, SPEED.)"""
    found = [sent.doc[sent.start + i] for i, word in enumerate(ctx.lowers(sent)) if YEAR.fullmatch(word)]
    if not found:
        return set()
    clause = _verb(noun)
    return {t.text for t in found if t.i in inside or _verb(t) == clause}


def _verb(token: Token) -> Token | None:
    return next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)


YEAR = re.compile(r"(?:19|20)\d\d")

# The roles that hold the two sides of an event, for a sentence that names both sides.
SIDES = {"agreement": ("parties",), "loan": ("lender", "borrower")}


def _between(ctx: DocContext, sent: Span, pool: list[Event]) -> Event | None:
    """The document's only event of the type between the states the sentence names (two at least)."""
    states = {x.state for x in ctx.sentence_mentions(sent) if x.state and not x.in_name}
    if len(states) < 2:
        return None
    fits = []
    for event in pool:
        sides: set[str] = set()
        for role in SIDES[event.type]:
            value = event.args.get(role)
            sides |= {str(v) for v in (value if isinstance(value, list) else [value]) if v}
        if len(sides) >= 2 and sides <= states:
            fits.append(event)
    return fits[0] if len(fits) == 1 else None


def _batch(sent: Span, noun: Token, pool: list[Event]) -> Event | None:
    """ "some 20 agreements were signed", "several documents were signed": a batch signed again
    after one the document reported as a batch ("25 documents worth $9 billion") is that batch."""
    if noun.tag_ != "NNS" or noun.lemma_.lower() not in BATCH_NOUNS:
        return None
    verb = next((a for a in noun.ancestors if a.pos_ == "VERB"), None)
    if verb is None or verb.lemma_ not in SIGN_VERBS:
        return None
    batches = [
        e
        for e in pool
        if e.evidence
        and min(c.start for c in e.evidence) < sent.start_char
        and BATCH_TITLES & set(fold(str(e.args.get("title", ""))).split())
    ]
    return max(batches, key=lambda e: min(c.start for c in e.evidence)) if batches else None


BATCH_NOUNS = {"agreement", "document", "deal", "memorandum", "contract"}
SIGN_VERBS = {"sign", "conclude", "ink", "seal", "exchange"}
BATCH_TITLES = {"agreements", "documents", "deals", "memoranda", "memorandums", "contracts"}


def _referent(
    ctx: DocContext,
    sent: Span,
    noun: Token,
    type_: str,
    pool: list[Event],
    family: str | None,
    own: list[Event],
) -> list[Event]:
    """What a reference noun refers to: the last event of the type reported before it, or the
    document's only one; a plural noun of a type whose events are counted together ("the loans were
    agreed in 2010") to every one reported before it.

    In a sentence that reports an event of the type itself, only a plural ("the loans were agreed")
    or a category in a transfer's own words that the sentence's transfer does not have ("the rocket
    launchers began arriving as it delivered the missile system") refers back."""
    if type_ == "arms_transfer":
        if own and family is None:
            return []
        if family is not None:  # "the aircraft" are also the helicopters
            pool = [e for e in pool if family_of(e) in lexicon()["wider"].get(family, [family])]
            # "the rocket launchers": of one family, the transfer of those very words
            words = {w.lemma_.lower() for w in noun.subtree if w.lemma_.lower() in word_families()}
            exact = [e for e in pool if words & set(reference_words(e))]
            if own and (not exact or any(words & set(reference_words(e)) for e in own)):
                return []
            pool = exact or pool
        elif not noun.tag_.endswith("S") and noun.lemma_.lower() in ("weapon", "system"):
            return []  # "the weapon system" of a comparison; "these weapons" refers back
    if type_ == "meeting":
        pool = _held_in(ctx, sent, pool)
        found = meetings.referred(ctx, sent, noun, pool)
        if found is None and noun.lemma_.lower() not in meetings.OCCASION_HEADS and _definite(noun):
            # "during this meeting": the last one before it, of the people the sentence names
            named = people(ctx, sent)
            found = last([e for e in before(pool, sent) if named <= meetings.people_of(e)], sent)
        return [found] if found is not None else []
    if len(pool) == 1:
        return pool
    earlier = before(pool, sent)
    if not earlier:
        return []
    if noun.tag_ == "NNS" and type_ in lexicon()["plural"]:
        return earlier if [e for e in earlier if e not in own] else []
    if own and type_ != "arms_transfer":
        return []
    return [e for e in [last(earlier, sent)] if e is not None]


def _definite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in meetings.DEFINITE for c in noun.children)


def before(pool: list[Event], sent: Span) -> list[Event]:
    """The events of `pool` reported before the sentence."""
    return [e for e in pool if e.evidence and min(c.start for c in e.evidence) < sent.start_char]


def last(pool: list[Event], sent: Span) -> Event | None:
    """Of events reported before the sentence, the one mentioned last before it."""
    earlier = before(pool, sent)
    return max(
        earlier, key=lambda e: max(c.start for c in e.evidence if c.start < sent.start_char), default=None
    )


def people(ctx: DocContext, sent: Span) -> set[str]:
    """The surnames of the people a sentence names outside quotations."""
    return {
        key_for("person", x.m.text).split()[-1]
        for x in ctx.sentence_mentions(sent)
        if x.m.type == "person" and not ctx.in_quote(x.m.start, x.m.end)
    }
