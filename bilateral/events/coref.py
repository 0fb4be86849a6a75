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
from typing import Any

from spacy.tokens import Span

from ..models import Event
from ..models import Span as Cite
from ..nlp.lexicon import fold
from ..values.numbers import parse_quantity
from . import anaphora, meetings, statements
from .amounts import money
from .context import DocContext

# Roles whose value names the event well enough to find it again in another sentence.
NAME_ROLES = {"arms_transfer": "system", "agreement": "title", "exercise": "name", "investment": "target"}
GENERIC = {"the", "a", "an", "agreement", "agreements", "deal", "deals", "contract", "pact", "exercise"}


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
    transfers = [e for e in events if e.type == "arms_transfer"]
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
            found = anaphora.referred(ctx, sent, type_, pool, own, transfers)
            out += found or ([] if own else _again(ctx, sent, type_, pool))
            if type_ == "meeting" and not own:
                out += anaphora.present(ctx, sent, pool)
    unique = {id(e): e for e in out}
    return [e for e in unique.values() if not _reports(e, cite)]


def _again(ctx: DocContext, sent: Span, type_: str, pool: list[Event]) -> list[Event]:
    """A sentence that tells an event's parties doing it again, with no noun for it, mentions the last
    such event reported before it: a meeting's people named together ("Ruto and Abiy agreed to ...")
    or as "they" of a meeting verb ("they talked about trade"); forces training together ("troops of
    both countries drilled"); a state buying systems of a transfer's category without naming one ("the
    first country to buy Turkish drones"). The verbs are language data (`again` in coref.json)."""
    verbs = set(anaphora.lexicon()["again"].get(type_, ()))
    pool = anaphora.before(pool, sent)
    if not verbs or not pool:
        return []
    if type_ == "meeting":
        named = anaphora.people(ctx, sent)
        theirs = [e for e in pool if named <= meetings.people_of(e)] if len(named) >= 2 else []
        if not theirs and not any(
            t.lemma_ in verbs and any(c.dep_ == "nsubj" and c.lower_ == "they" for c in t.children)
            for t in sent
        ):
            return []
        pool = theirs or pool
    elif type_ == "arms_transfer":
        if any(x.m.type == "weapon" for x in ctx.sentence_mentions(sent)):
            return []  # a system named: a transfer of its own, or none
        families, wider = anaphora.word_families(), anaphora.lexicon()["wider"]
        words = {w.lemma_.lower() for t in sent if t.lemma_ in verbs for w in t.subtree}
        kinds = {k for w in words if w in families for k in wider.get(families[w], [families[w]])}
        pool = [e for e in pool if anaphora.family_of(e) in kinds]
    elif not any(t.pos_ == "VERB" and t.lemma_ in verbs for t in sent):
        return []
    found = anaphora.last(pool, sent)
    return [found] if found is not None else []


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
        and words[0] in anaphora.lexicon()["determiners"]
        and words[1].rstrip("s") in anaphora.lexicon()["nouns"]["agreement"]
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
    quantity = event.args.get("quantity")
    if quantity is None or event.type != "arms_transfer" or (family := anaphora.family_of(event)) is None:
        return False
    families = anaphora.word_families()
    return any(
        t.dep_ == "nummod"
        and parse_quantity(t.text) == quantity
        and families.get(t.head.lemma_.lower()) in anaphora.lexicon()["wider"].get(family, [family])
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
