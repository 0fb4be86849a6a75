"""Investments: acquisitions, stakes, plants built or expanded, pledged sums invested in a place.

The investor takes (the subject of acquire/buy, the agent of "purchased by") or gives (the subject
of invest); the target is what is acquired or invested in, never a state's name when a thing is
named, a news agency or a bare common noun; the country is the target's host. A sale with no
buyer named, agreed between two states, is the other state's investment.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Span, Token

from ..models import Event
from ..nlp.lexicon import fold, load
from .amounts import money, percents
from .context import DocContext, Ment, date_near, make_event, np_text, others, states_of
from .links import linked
from .roles import (
    TAKE,
    actor_state,
    filler,
    governing_verb,
    is_state,
    modifier_state,
    prep_object,
    sides,
    state_of,
    subject,
)
from .triggers import triggers

VERBS = {"invest", "acquire", "buy", "purchase", "retain", "hold", "take", "build", "open", "expand"}
NOUNS = {"investment", "acquisition", "stake", "takeover", "sale", "transfer", "purchase", "investor"}
BUILT = {"plant", "factory", "facility", "mill", "refinery", "park", "port", "terminal", "mine", "site"}
SHARES = {"share", "shares", "stake", "stakes", "%", "percent", "cent", "right", "rights", "asset", "assets"}
# What can be invested in: a named thing, or a common noun of these heads ("the steel plant").
ASSETS = BUILT | {"project", "development", "infrastructure", "company", "firm", "mall", "exchange",
                  "bank", "operator", "business", "corridor", "railway", "highway", "asset", "distributor",
                  "producer", "manufacturer", "maker", "airline", "carrier", "utility", "refiner", "miner",
                  "enterprise", "subsidiary", "smelter", "shipyard", "airport", "steelworks"}  # fmt: skip
ANAPHORS = {"company", "firm", "plant", "mine", "enterprise", "factory", "group"}


def _trigger_ok(t: Token) -> bool:
    if t.pos_ == "VERB" and t.lemma_ in VERBS:
        if t.lemma_ in ("take", "hold", "retain"):  # "took a 51% stake"
            return any(c.dep_ == "dobj" and c.lemma_ == "stake" for c in t.children)
        if t.lemma_ in ("build", "open", "expand"):  # "opened a tyre plant"
            return any(c.dep_ == "dobj" and c.lemma_ in BUILT for c in t.children)
        return True
    if t.pos_ == "NOUN" and t.lemma_ in NOUNS:
        if t.lemma_ in ("sale", "transfer", "purchase"):  # "the sale of 15 per cent of the shares in X"
            return any(w.lower_ in SHARES for w in t.subtree)
        return True
    return False


def _anaphor(node: Token, trigger: Token, ms: list[Ment]) -> str | None:
    """ "the company's assets", "the plant": the organisation named earlier in the sentence."""
    for t in [node, *(c for c in node.children if c.dep_ == "poss")]:
        if t.lemma_ in ANAPHORS and any(c.lower_ in ("the", "its") for c in t.children):
            subject = {c.i for c in trigger.children if c.dep_ == "nsubj" for c in c.subtree}
            named = [x for x in ms if x.m.type == "organisation" and x.span.end <= trigger.i]
            named = [x for x in named if x.span.root.i not in subject]
            if named:
                return named[-1].m.text
    return None


def _target(trigger: Token, ms: list[Ment]) -> tuple[str | None, str | None]:
    """(target text, host state) of an investment trigger."""
    nodes: list[Token] = []
    children = list(trigger.children)
    if trigger.dep_ == "conj":  # "were transferred to and purchased by X": the object is the first verb's
        children += [c for c in trigger.head.children if c.dep_ in ("dobj", "nsubjpass")]
    for child in children:
        if child.dep_ in ("dobj", "nsubjpass") or (
            child.dep_ == "prep"
            and (child.lower_ in ("in", "of", "into") or (child.lower_ == "for" and trigger.pos_ == "NOUN"))
        ):
            nodes.extend(
                g for g in ([child] if child.dep_ != "prep" else child.children) if g.dep_ != "punct"
            )
    host_named: str | None = None
    while nodes:
        node = nodes.pop(0)
        if (earlier := _anaphor(node, trigger, ms)) is not None:
            return earlier, None
        counted = any(c.dep_ == "nummod" and c.ent_type_ in ("MONEY", "CARDINAL") for c in node.children)
        if (
            node.lower_ in SHARES
            or node.like_num
            or node.ent_type_ in ("PERCENT", "MONEY", "CARDINAL")
            or (counted and trigger.lemma_ == "invest")  # "invest 500 million euros in X"
        ):
            # "63% of the company", "shares in X", "a stake in X": the holding is in what follows
            nodes[:0] = [
                g for p in node.children if p.dep_ == "prep" and p.lower_ in ("of", "in") for g in p.children
            ]
            continue
        if node.pos_ not in ("NOUN", "PROPN") or node.ent_type_ == "DATE":
            continue
        if node.lemma_ in _weapon_words() or node.lower_ in triggers()["arms_transfer"]["generic"]:
            return None, None  # "acquired drones", "will buy US arms": an arms transfer
        core = [node, *(c for c in node.children if c.dep_ in ("compound", "appos", "nmod"))]
        if trigger.tag_ == "NNS" and not any(t.pos_ == "PROPN" for t in core):
            return None, None  # "Chinese acquisitions of critical infrastructure": an aggregate
        if not any(t.pos_ == "PROPN" for t in core) and node.lemma_ not in ASSETS:
            continue  # "bought discounted oil", "investment in cooperation": no asset named
        appos = next((c for c in node.children if c.dep_ == "appos"), None)
        named = filler(appos, ms) if appos is not None else None
        if named and appos is not None and is_state(named) and not appos.is_upper:
            named = None  # "the Lima shopping mall Larcomar Plaza": a place's name, not its state's code
        who = filler(node, ms)
        if who and node.pos_ == "NOUN" and is_state(who):
            who = None  # "the Lima shopping mall": a place qualifying a thing, not the thing
        host = modifier_state(node, ms) or state_of(node, ms)
        if who and state_of(node, ms) is None:
            return who, host
        if appos is not None and state_of(appos, ms) is None and (named or appos.pos_ == "PROPN"):
            return named or np_text(appos), host  # "the steel plant, Zelezara Smederevo"
        if state_of(node, ms):
            host_named = host_named or node.text  # "invested in Serbia": the host, the target if nothing else
            continue
        if node.tag_ == "NNS" and (trigger.tag_ == "NNS" or any(c.dep_ == "nummod" for c in node.children)):
            return None, None  # "stakes in more than ten ports", "acquisitions of ports": an aggregate
        return _named(node), host
    if host_named and trigger.lemma_ == "invest":
        return host_named, None
    return None, None


def _named(node: Token) -> str:
    """The target's noun phrase without its price ("a $3bn deepwater port": deepwater port) or a
    description after a comma ("the port in Peru, its first abroad")."""
    text = np_text(node)
    comma = next((t for t in node.doc[node.i : node.right_edge.i + 1] if t.text == ","), None)
    if comma is not None:
        text = text[: comma.idx - node.left_edge.idx].strip(" ,.;:–-")
    lead = 0
    for t in node.doc[node.left_edge.i : node.i]:
        if not (t.dep_ == "det" or t.ent_type_ == "MONEY" or t.tag_ == "$"):
            break
        lead += 1
    price = node.doc[node.left_edge.i : node.left_edge.i + lead]
    if not any(t.ent_type_ == "MONEY" for t in price):
        return text
    return text[len(price.text) :].strip(" ,.;:–-")


@cache
def _weapon_words() -> set[str]:
    return {fold(c).rstrip("s") for c in load().categories} | {fold(c) for c in load().categories}


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    """One investment per target a sentence reports ("the sale of X to A and a transfer of shares of Y")."""
    if any(x.m.type == "weapon" for x in ms) or ctx.having(sent, ("loan", "lend", "credit")):
        return []  # an arms deal, or money lent: "invested $2 billion, chiefly in the form of loans"
    found: dict[str, Event] = {}
    made: dict[Token, Event] = {}
    triggers_ok = [
        t for t in ctx.having(sent, VERBS | NOUNS) if _trigger_ok(t) and not ctx.in_quote(t.idx, t.idx + 1)
    ]
    for trigger in triggers_ok:
        if trigger.dep_ == "advcl" and trigger.head in triggers_ok:
            continue  # "purchased 60% of X, thereby buying into Y": the same deal, said again
        # "the sale of shares in X and a transfer of shares of Y": the second deal between the same sides
        before = next((e for t, e in made.items() if t in list(trigger.ancestors)[:3]), None)
        event = _investment(ctx, sent, ms, trigger, before)
        if event is not None:
            made[trigger] = event
        if event is not None:
            found.setdefault(fold(str(event.args["target"])), event)
    return list(found.values())


# Verbs whose subject receives an investment: its host.
HOSTING = {"receive", "attract", "secure", "get", "obtain", "win", "draw", "welcome", "land"}
# Verbs of where an organisation is based: the state after them is its home, not the host.
BASED = {"base", "headquarter", "register", "incorporate", "found", "list"}


def _built_for(verb: Token) -> str | None:
    """What an investment a place received is for: "for a battery plant"."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "for"):
        for g in prep.children:
            if g.pos_ == "PROPN" or g.lemma_ in ASSETS:
                return _named(g)
    return None


def _away(trigger: Token, verb: Token | None, ms: list[Ment]) -> set[str]:
    """States that are not the host: the seller's ("from Rio Verde, a subsidiary of a British firm")
    and where an organisation is based ("a fund based in Abu Dhabi")."""
    out: set[str] = set()
    for head in {trigger, verb} - {None}:
        assert head is not None
        for prep in (c for c in head.subtree if c.dep_ == "prep" and c.lower_ == "from"):
            out |= {x.state for x in ms if x.state and x.span.root in prep.subtree}
    for x in ms:
        if x.state and any(a.lemma_ in BASED and a.tag_ == "VBN" for a in list(x.span.root.ancestors)[:3]):
            out.add(x.state)
    return out


def _home(ctx: DocContext, investor: str) -> str | None:
    """An investing organisation's own state, from where the document qualifies it by a state
    ("Chinese state-owned COSCO Shipping", "China's COSCO"): never the host."""
    first = fold(investor).split()[0] if investor.strip() else ""
    for x in ctx.mentions:
        if x.m.type == "organisation" and fold(x.m.text).split()[:1] == [first]:
            found = modifier_state(x.span.root, ctx.mentions) or actor_state(x.m.text)
            if found:
                return found
    return None


def _ranked_investor(ctx: DocContext, sent: Span, ms: list[Ment], trigger: Token) -> Event | None:
    """ "A is B's largest foreign investor": A's investment in B, B the target as well as the host."""
    if trigger.dep_ not in ("attr", "appos"):
        return None
    host = next(
        (x for x in ms if x.state and x.span.root.head == trigger and x.span.root.dep_ == "poss"), None
    )
    investor = subject(trigger.head, ms) if trigger.dep_ == "attr" else filler(trigger.head, ms)
    if host is None or investor is None or investor == host.state:
        return None
    args = {"investor": investor, "target": host.m.text, "country": host.state}
    return make_event(ctx, "investment", args, [sent], trigger)


def _investment(
    ctx: DocContext, sent: Span, ms: list[Ment], trigger: Token, before: Event | None = None
) -> Event | None:
    if trigger.lemma_ == "investor":
        return _ranked_investor(ctx, sent, ms, trigger)
    verb = trigger if trigger.pos_ == "VERB" else governing_verb(trigger)
    # The target first: without one there is no investment, and its sides need not be found (SPEED).
    target, host = _target(trigger, ms)
    for purpose in (c for c in trigger.children if c.dep_ in ("xcomp", "advcl") and target is None):
        target, host = _target(purpose, ms)  # "invest 500 million euros to upgrade the port of X"
    if target is None and verb is not None and verb.lemma_ in HOSTING and trigger.pos_ == "NOUN":
        target = _built_for(verb)  # "received an investment from X for a battery plant"
    if target is None:
        return None
    found = sides(trigger, ms)
    # "Egypt will sell a 30% stake to PIF": the one a stake is sold to invests
    takes = verb is not None and verb.lemma_ in TAKE | {"retain", "hold", "sell", "cede", "transfer"}
    if trigger.lemma_ == "investment" and verb is not None and verb.lemma_ in HOSTING:
        takes = False  # "Hungary received an investment from CATL": the host receives, the giver invests
    investor = found.receiver if takes else found.giver
    if investor is None and verb is not None and verb.lemma_ in ("retain", "hold", "take"):
        investor = subject(verb, ms)  # "the government will retain a 20 per cent stake"
    if investor is None and verb is not None and verb.lemma_ in ("build", "open", "expand"):
        builder = subject(verb, ms)  # "DP World plans to build a port": a company builds
        investor = builder if builder and not is_state(builder) else None
    if trigger.pos_ == "NOUN" and investor is None:
        investor = prep_object(trigger, ms, {"by"}, True)
    states = states_of(ms)
    away = _away(trigger, verb, ms)
    host = host or next(
        (
            x.state
            for x in ms
            if x.state and x.span.root.head.lower_ in ("in", "across") and x.state not in away
        ),
        None,
    )
    if investor is None and host:  # "the sale of shares in X", agreed between two governments
        investor = next(iter(others(ctx.pair, host)), None)
    if investor is None and before is not None:
        investor, host = str(before.args["investor"]), host or before.args.get("country")
    if investor is None or investor == target:
        return None
    clauses = [verb, *list(verb.ancestors)[:3]] if verb is not None else []
    own = {modifier_state(c, ms) for v in clauses for c in v.children if c.dep_ == "nsubj"}
    # The investor's own state is not the host: "China's HBIS bought ...", "the Emirati fund ADQ".
    own |= {
        x.state
        for x in ms
        if x.state
        and x.span.root.dep_ in ("poss", "amod", "compound")
        and any(h.text in str(investor) for h in (x.span.root.head, *linked(x.span.root.head, "APPOSITION")))
    }
    if verb is not None and verb.lemma_ == "retain" and is_state(investor):
        host = host or investor  # "the Moroccan government will retain a stake": in its own country
    if host in own | away and host != investor:
        host = None
    own |= away | ({_home(ctx, investor)} - {None} if not is_state(investor) else set())
    partners = [s for s in states if s not in own]  # "a Saudi consortium ... with Morocco": Morocco hosts
    host = (
        host
        or next(iter(others(partners, investor)), None)
        or next(iter(others(ctx.pair, investor, *own)), None)
    )
    amounts = money(sent.text)
    near = min(amounts, key=lambda a: abs(sent.start_char + a.start - trigger.idx), default=None)
    # a percentage within the trigger's phrase or clause: another deal's share is not this one's
    lo, hi = trigger.left_edge.idx - sent.start_char, trigger.right_edge.idx - sent.start_char + 1
    stake = next((p.value for p in percents(sent.text) if lo <= p.start < hi), None)
    args = {
        "investor": investor,
        "target": target,
        "country": host,
        "stake": stake,
        "value": near.value if near else None,
        "date": date_near(ctx, sent, trigger),
    }
    event = make_event(ctx, "investment", args, [sent], trigger)
    if event.modality == "hypothetical" and _reported_plan(trigger):
        event.modality = "planned"
    return None if event.modality == "hypothetical" else event


def _reported_plan(trigger: Token) -> bool:
    """ "COSCO said it would invest EUR 500m": "would" under a reporting verb is a plan, not a condition."""
    verb = trigger if trigger.pos_ == "VERB" else governing_verb(trigger)
    if (
        verb is None
        or not any(c.lower_ == "would" for c in verb.children)
        or "if" in {c.lower_ for c in verb.subtree}
    ):
        return False
    speech = set(triggers()["statement"])
    return verb.dep_ == "ccomp" and verb.head.lemma_ in speech
