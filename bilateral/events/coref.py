"""Within-document event coreference: the other sentences of a document that mention an event again.

An article reports a deal once and then keeps talking about it: "the drones", "the loan, repayable
over ten years", a headline with the amount, "their meeting". After every type's
extraction, a sentence that names an event's system, agreement title, exercise name, investment
target or amount again, or refers back to it with a noun of its type ("the deal", "these weapons",
"during a meeting at the palace"), is cited as that event's evidence. Nothing but evidence changes (fusion
unites evidence, it never compares it), and a cue that fits two events of a type cites neither.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from ..models import Event
from ..models import Span as Cite
from ..nlp.lexicon import fold
from ..values.dates import agree
from ..values.numbers import parse_quantity
from . import agreements, meetings, statements
from .amounts import money
from .context import DocContext, dates_in, np_text

# Roles whose value names the event well enough to find it again in another sentence.
NAME_ROLES = {"arms_transfer": "system", "agreement": "title", "exercise": "name", "investment": "target"}
DEMONSTRATIVES = {"this", "that", "these", "those"}
GENERIC = {"the", "a", "an", "agreement", "agreements", "deal", "deals", "contract", "pact", "exercise"}


@cache
def lexicon() -> dict[str, Any]:
    """`lang/en/coref.json`: reference nouns per type, determiners, category families."""
    data: dict[str, Any] = json.loads(
        resources.files("bilateral.events.lang").joinpath("en", "coref.json").read_text()
    )
    return data


def attach(ctx: DocContext, events: list[Event]) -> list[Event]:
    """Cite, for every event of the document, the other sentences that mention it again."""
    # A place's name ("Kenya" as an investment's target) names no one event.
    places = {fold(x.m.text) for x in ctx.mentions if x.m.type in ("state", "place")}
    for sent in ctx.sents if events else ():  # no event: no sentence to read for one
        cite = ctx.cite(sent.start_char, sent.end_char)
        if cite.text:
            for event in _mentioned(ctx, sent, cite, events, places):
                event.evidence.append(cite)
    statements.leads(ctx, events)
    for event in events:
        if event.type == "meeting":
            meetings.attending_states(ctx, event)
    statements.dated_by_occasion(ctx, events)
    meetings.dated_by_signing(events)
    return events


def _reports(event: Event, cite: Cite) -> bool:
    return any(c.start < cite.end and cite.start < c.end for c in event.evidence)


def _mentioned(ctx: DocContext, sent: Span, cite: Cite, events: list[Event], places: set[str]) -> list[Event]:
    low = f" {fold(sent.text)} "
    # Amounts are compared with events' values only: without a valued event, none to find (SPEED).
    valued = any(isinstance(e.args.get("value"), dict) for e in events)
    amounts = [a.value for a in money(sent.text) if isinstance(a.value, dict)] if valued else []
    out: list[Event] = []
    for type_ in dict.fromkeys(e.type for e in events):
        pool = [e for e in events if e.type == type_]
        # "Parliament ratified the deal": an event whose title is only a reference is that reference
        own = [e for e in pool if _reports(e, cite) and not _anaphoric(e)]
        named = [e for e in pool if _named(e, low, amounts, places) or _counted(e, sent)]
        if sum(_priced(e, amounts) for e in pool) > 1:  # one amount, two loans: it names neither
            named = [e for e in named if not _priced(e, amounts) or _named(e, low, [], places)]
        # A name two events share ("Leopard" ordered twice) picks one only by its quantity.
        named = [e for e in named if _unique(e, pool, low)] + _parts(pool, amounts)
        if any(_same_name(e, o) and _differ(e, o) for e in named for o in own if o is not e):
            named = []  # the sentence reports another event of that name
        others = [e for e in named if e not in own]
        out += others
        if not others and (not named or own) and type_ != "statement":
            out += _referred(ctx, sent, type_, pool, own)
    unique = {id(e): e for e in out}
    return [e for e in unique.values() if not _reports(e, cite)]


def _parts(pool: list[Event], amounts: list[dict[str, Any]]) -> list[Event]:
    """A package whose amount is the sum of several loans or investments of one lender or investor
    ("a $900 million package" of two loans) mentions each of them."""
    groups: dict[str, list[Event]] = {}
    for e in pool:
        side = e.args.get("lender") or e.args.get("investor")
        if isinstance(e.args.get("value"), dict) and side is not None:
            groups.setdefault(f"{side}|{e.args['value'].get('currency')}", []).append(e)
    out: list[Event] = []
    for group in groups.values():
        total = {"amount": sum(float(e.args["value"]["amount"]) for e in group)}
        total["currency"] = group[0].args["value"].get("currency")
        if len(group) >= 2 and any(_same_money(total, a) for a in amounts):
            out += group
    return out


def _anaphoric(event: Event) -> bool:
    words = fold(str(event.args.get("title", ""))).split()
    return (
        event.type == "agreement"
        and len(event.evidence) == 1
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


def _same_name(a: Event, b: Event) -> bool:
    return a.type == b.type and _name(a) is not None and _name(a) == _name(b)


def _named(event: Event, low: str, amounts: list[dict[str, Any]], places: set[str]) -> bool:
    name = _name(event)
    if name is not None and name not in places:
        # "the K9s", "Leopards": a plural of the designation is still the designation
        if re.search(rf" {re.escape(name)}(?:e?s)? ", low):
            return True
        stem = re.sub(r"\s*\d+$", "", name)  # "Golden Condor" for "Golden Condor 2023"
        if event.type == "exercise" and stem != name and " " in stem and f" {stem} " in low:
            return True
    return _priced(event, amounts)


def _priced(event: Event, amounts: list[dict[str, Any]]) -> bool:
    value = event.args.get("value")
    return isinstance(value, dict) and any(_same_money(value, a) for a in amounts)


def _counted(event: Event, sent: Span) -> bool:
    """ "the 42 jets", "six helicopters": the transfer's quantity with a noun of its category."""
    quantity, family = event.args.get("quantity"), _family(event) if event.type == "arms_transfer" else None
    if quantity is None or family is None:
        return False
    families = _families()
    return any(
        t.dep_ == "nummod"
        and parse_quantity(t.text) == quantity
        and families.get(t.head.lemma_.lower()) in lexicon()["wider"].get(family, [family])
        for t in sent
    )


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


def _unique(event: Event, pool: list[Event], low: str) -> bool:
    # Reports of one name that may be one deal (no quantity or date contradicts) are not twins.
    twins = [e for e in pool if e is not event and _same_name(e, event) and _differ(e, event)]
    if not twins:
        return True
    quantity = event.args.get("quantity")
    return (
        quantity is not None
        and f" {quantity} " in low
        and all(e.args.get("quantity") != quantity for e in twins)
    )


# ------------------------------------------------------------------ references by a noun of the type


def _referred(ctx: DocContext, sent: Span, type_: str, pool: list[Event], own: list[Event]) -> list[Event]:
    """The event a noun of its type refers back to: the last one reported before the sentence, or the
    document's only one; a category noun ("the drones") only to a transfer of that category. A
    sentence that reports an event of the type (`own`) refers back only by a plural or by a transfer's
    own category words (`_referent`)."""
    lex = lexicon()
    if own and type_ != "arms_transfer" and type_ not in lex["plural"]:
        return []
    nouns = set(lex["nouns"].get(type_, ()))
    determiners = set(lex["determiners"])
    families = _families()
    for t in sent:
        if t.pos_ not in ("NOUN", "PROPN"):
            continue
        if ctx.in_quote(t.idx, t.idx + 1) and not any(c.lower_ in DEMONSTRATIVES for c in t.children):
            continue  # a quotation refers back only with "this" or "that" ("This agreement is ...")
        word = t.lemma_.lower()
        if word == "line" and any(
            c.lower_ == "of" and any(g.lower_ == "credit" for g in c.subtree) for c in t.children
        ):
            word = "credit"  # "the third line of credit"
        family = families.get(word) if type_ == "arms_transfer" else None
        if word not in nouns and t.lower_ not in nouns and family is None:
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
        candidates = [e for e in pool if _compatible(ctx, sent, t, e)]
        candidates = [e for e in candidates if _same_time(ctx, sent, t, e)] or candidates
        found = _referent(ctx, sent, t, type_, candidates, family, own) if candidates else []
        if found:
            return found
    return []


def _held_in(ctx: DocContext, sent: Span, pool: list[Event]) -> list[Event]:
    """Of the meetings a reference may mean, those held in a state the sentence names ("Vietnam ...
    during Biden's visit" is the visit to Hanoi, not the summit in India), when some are."""
    named = {x.state for x in ctx.sentence_mentions(sent) if x.state and not x.in_name}
    where = {fold(x.m.text): x.state for x in ctx.mentions if x.state}
    held = [e for e in pool if where.get(fold(str(e.args.get("location") or ""))) in named]
    return held or pool


def _through(word: Token, type_: str) -> bool:
    """ "arms" in "the arms deal", "signing" in "the signing ceremony": a word of the type modifying a
    noun that refers to its event."""
    return word.dep_ in ("compound", "amod") and word.head.lemma_.lower() in lexicon()["through"].get(
        type_, ()
    )


def _same_time(ctx: DocContext, sent: Span, noun: Token, event: Event) -> bool:
    """Of several events a reference may mean, it means one its own date agrees with: the date in its
    phrase or on the verb it is the subject of ("the order concluded on April 26", not the 2015 one).
    Only a preference: a date without its year is resolved against the publication date and may not
    be the event's own ("its ratification came in July")."""
    inside = {t.i for t in noun.subtree}
    verb = noun.head if noun.dep_ in ("nsubj", "nsubjpass") else noun
    own = [v for x, v in dates_in(ctx, sent) if x.span.root.i in inside or x.span.root.head.head == verb]
    return not (event.date and own and not any(agree(str(event.date)[:7], v[:7]) for v in own))


def _compatible(ctx: DocContext, sent: Span, noun: Token, event: Event) -> bool:
    """A reference naming a state ("Libya's supply of drones to Sudan") refers to an event of that
    state only; one dated in another year ("the agreement of 2010") to an event of that year only; an
    agreement of another kind ("the trade agreement") to one of that kind only."""
    years = set(re.findall(r"\b(?:19|20)\d\d\b", sent.text))  # written years only: "in April" may be later
    if event.date and years and str(event.date)[:4] not in years:
        return False
    inside = {t.i for t in noun.subtree}
    if event.type == "agreement" and agreements.agreement_kind(np_text(noun)) not in (
        "other",
        event.args.get("kind"),
    ):
        return False
    if event.type == "meeting":
        return True  # a meeting's people are not states: `_meeting` matches them
    named = {
        x.state
        for x in ctx.sentence_mentions(sent)
        if x.m.type == "state" and x.state and x.span.root.i in inside
    }
    if not named:
        return True
    values = [v for v in event.args.values() if isinstance(v, str)]
    values += [
        v for v in event.args.values() for v in (v if isinstance(v, list) else []) if isinstance(v, str)
    ]
    return named <= set(values)


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
    launchers have started around the time it delivered the missile system") refers back."""
    if type_ == "arms_transfer":
        if own and family is None:
            return []
        if family is not None:  # "the aircraft" are also the helicopters
            pool = [e for e in pool if _family(e) in lexicon()["wider"].get(family, [family])]
            # "the rocket launchers": of one family, the transfer of those very words
            words = {w.lemma_.lower() for w in noun.subtree if w.lemma_.lower() in _families()}
            exact = [e for e in pool if words & set(_words(e))]
            if own and (not exact or any(words & set(_words(e)) for e in own)):
                return []
            pool = exact or pool
        elif not noun.tag_.endswith("S") and noun.lemma_.lower() in ("weapon", "system"):
            return []  # "the weapon system" of a comparison; "these weapons" refers back
    if type_ == "meeting":
        found = meetings.referred(ctx, sent, noun, _held_in(ctx, sent, pool))
        return [found] if found is not None else []
    if len(pool) == 1:
        return pool
    before = [e for e in pool if e.evidence and min(c.start for c in e.evidence) < sent.start_char]
    if not before:
        return []
    if noun.tag_ == "NNS" and type_ in lexicon()["plural"]:
        return before if [e for e in before if e not in own] else []
    if own and type_ != "arms_transfer":
        return []
    return [max(before, key=lambda e: max(c.start for c in e.evidence if c.start < sent.start_char))]


@cache
def _families() -> dict[str, str]:
    return {w: fam for fam, words in lexicon()["families"].items() for w in words}


def _family(event: Event) -> str | None:
    """The category family of a transfer, from its category, system or the noun its designation
    heads where the text reports it ("T-129 ATAK helicopters": helicopter)."""
    families = _families()
    return next((families[w] for w in _words(event) if w in families), None)


def _words(event: Event) -> list[str]:
    """A transfer's category and system words, singular, then those of the phrase its designation
    heads in its evidence ("Pinaka multi barrel rocket launchers"): what a reference's words match."""
    words = fold(f"{event.args.get('category', '')} {event.args.get('system', '')}").split()
    system = str(event.args.get("system") or "")
    for cite in event.evidence if system else ():
        for match in re.finditer(rf"{re.escape(system)}((?:\s+[\w-]+){{1,5}})", cite.text):
            for word in fold(match.group(1)).split():
                if word in lexicon()["phrase_end"]:
                    break
                words.append(word)
    return [w.rstrip("s") for w in words]
