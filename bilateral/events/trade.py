"""Trade: bilateral flows with their direction, value and period, and ranks as a trade partner.

Directions (gold notes' convention): "A's exports to B" is A->B; "A's imports from B" is B->A; a
two-way total ("A's trade with B", "trade between the two countries") has the partner as exporter
and the state whose trade is described as importer; "A is B's biggest trade partner" is A->B with
the rank as a note. Each flow trigger claims the first amount after it, so one sentence can give
several flows. Balances, shares and commodity breakdowns are not flows.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span, Token

from ..models import Event
from ..values.money import close
from .amounts import Amount, money
from .context import DocContext, Ment, dates_in, make_event, merge_within
from .links import linked, sentence_of
from .triggers import triggers

FLOW = {"export": "export", "exports": "export", "import": "import", "imports": "import", "trade": "trade"}
PARTNER = {"partner", "partners"}
SOURCES = {"source", "supplier", "origin"}
OWNER_PREPS = {"to", "for", "of"}
NOT_A_PERIOD = re.compile(r"financial|fiscal|months?\b|years\b|weeks?\b|days?\b", re.I)
CAREFUL = re.compile(r"\b(?:over|about|around|nearly|almost|more than|some)\s*$", re.I)


def _state_at(ms: list[Ment], token: Token) -> str | None:
    return next((x.state for x in ms if x.state and x.span.start <= token.i < x.span.end), None)


def _owner(token: Token, ms: list[Ment], preps: set[str] | None = None) -> str | None:
    """The state a trade noun belongs to ("India's exports", "Indian imports") or, with `preps`, the
    state after one of them ("exports to Russia", "partner of Kazakhstan")."""
    labels = ("MODIFIER",) if preps is None else tuple(p.upper() for p in preps)
    for child in linked(token, *labels):
        if state := _state_at(ms, child):
            return state
    if (
        preps is None
        and token.dep_ == "pobj"
        and token.head.lower_ == "of"
        and token.head.head.pos_ == "NOUN"
    ):
        return _owner(token.head.head, ms)  # "Poland's largest source of imports"
    return None


def _subject(token: Token, ms: list[Ment]) -> str | None:
    """The state that is the subject of the clause a trade noun sits in ("X was the biggest partner")."""
    for node in [token, *list(token.ancestors)[:3]]:
        for child in linked(node, "SUBJ", "PASSIVE_SUBJ"):
            if child is not token and (state := _state_at(ms, child)):
                return state
        if node.dep_ == "appos" and (state := _state_at(ms, node.head)):
            return state  # "Spain, Morocco's biggest trade partner"
    return None


def _between(token: Token, ms: list[Ment]) -> list[str]:
    """The states after "between" or "with" under a trade noun."""
    out: list[str] = []
    for obj in linked(token, "BETWEEN", "WITH"):
        for t in obj.subtree:
            state = _state_at(ms, t)
            if state and state not in out:
                out.append(state)
    return out


def _direction(ctx: DocContext, token: Token, kind: str, ms: list[Ment]) -> tuple[str | None, str | None]:
    if token.pos_ == "VERB":  # "A exported $X to B", "A imported $X from B"
        subject = _subject(token, ms)
        if kind == "export":
            return subject, _owner(token, ms, {"to"}) or _clause_prep(token, ms, "to")
        if kind == "import":
            return _owner(token, ms, {"from"}) or _clause_prep(token, ms, "from"), subject
        return None, None
    if kind == "trade" and token.dep_ == "compound" and token.head.pos_ == "NOUN":
        token = token.head  # "trade turnover between A and B", "the trade volume with B"
    if kind == "export":
        exporter = _owner(token, ms) or _owner(token, ms, {"of", "from"}) or _subject(token, ms)
        importer = _owner(token, ms, {"to"})
        return exporter, importer
    if kind == "import":
        exporter = _owner(token, ms, {"from"})
        if exporter is None and token.head.lower_ == "of" and token.head.head.lemma_ in SOURCES:
            exporter = _subject(token, ms)  # "A is B's largest source of imports"
        importer = _owner(token, ms) or _owner(token, ms, {"of", "by"}) or _subject(token, ms)
        if importer is None:  # "A's exports to B ..., whereas imports from B": the same owner
            earlier = [t for t in sentence_of(token) if t.i < token.i and FLOW.get(t.lower_) == "export"]
            importer = _owner(earlier[-1], ms) if earlier else None
        return exporter, importer
    owner = _owner(token, ms)
    partners = [s for s in _between(token, ms) if s != owner]
    if owner and partners:
        return partners[0], owner
    if len(partners) >= 2:
        return _described(ctx, partners)
    if owner is None and not partners and _two(token):
        return _described(ctx, [])
    return None, None


def _clause_prep(verb: Token, ms: list[Ment], prep: str) -> str | None:
    """The state after `prep` anywhere in the verb's clause, however the parser attached it
    ("imported goods worth $X from B": "from" under "worth")."""
    for t in verb.subtree:
        if (
            t.lower_ == prep
            and t.dep_ == "prep"
            and not any(a.pos_ == "VERB" for a in t.ancestors if a.i != verb.i and verb in a.ancestors)
        ):
            for g in t.children:
                if g.dep_ == "pobj" and (state := _state_at(ms, g)):
                    return state
    return None


def _two(token: Token) -> bool:
    """A trade noun about "the two countries", "both sides" or plainly "bilateral"."""
    words = {t.lower_ for t in token.subtree} | {c.lower_ for c in token.children}
    return bool(words & {"two", "both", "bilateral", "two-way"})


def _described(ctx: DocContext, states: list[str]) -> tuple[str | None, str | None]:
    """A two-way total between two states: partner -> described state, from the document's context."""
    if ctx.trade_pair and (not states or set(ctx.trade_pair) == set(states)):
        return ctx.trade_pair
    pool = states or ctx.pair
    if len(pool) < 2:
        return None, None
    importer = next((s for s in ctx.pair if s in pool), pool[0])
    exporter = next(s for s in pool if s != importer)
    return exporter, importer


def _is_partner(token: Token) -> bool:
    return token.lower_ in PARTNER and any(
        c.lower_ in ("trade", "trading") for c in token.children if c.dep_ in ("compound", "amod")
    )


def _commodity(token: Token) -> bool:
    """ "imports of soya", "oil imports": a breakdown by good, not the bilateral total."""
    for child in token.children:
        if (
            child.dep_ == "prep"
            and child.lower_ == "of"
            and any(g.dep_ == "pobj" and not g.ent_type_ for g in child.children)
        ):
            return True
        if child.dep_ in ("compound", "amod") and child.pos_ == "NOUN":
            return True
    return False


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    """Trade flows and partner ranks in one sentence."""
    triggers = [
        t
        for t in ctx.having(sent, FLOW, FLOW.keys() | PARTNER)
        if ((FLOW.get(t.lower_) or FLOW.get(t.lemma_)) and t.pos_ in ("NOUN", "PROPN", "VERB"))
        or _is_partner(t)
    ]
    triggers = [t for t in triggers if not ctx.in_quote(t.idx, t.idx + 1) and not _is_partner(t.head)]
    if not triggers:
        return []
    base = sent.start_char
    amounts = money(sent.text)
    dates = [(x, v) for x, v in dates_in(ctx, sent) if not NOT_A_PERIOD.search(x.m.text)]
    out = []
    for n, token in enumerate(triggers):
        start = token.idx
        stop = triggers[n + 1].idx if n + 1 < len(triggers) else sent.end_char
        value = next((a for a in amounts if start <= base + a.start < stop), None)
        if _is_partner(token):
            out.extend(_ranks(ctx, sent, token, ms, amounts))
            continue
        kind = FLOW.get(token.lower_) or FLOW[token.lemma_]
        if value is None or _commodity(token) or _goal(sent, value):
            continue
        exporter, importer = _direction(ctx, token, kind, ms)
        if not exporter or not importer or exporter == importer:
            continue
        period = next((v for x, v in dates if start <= x.m.start < stop), None)
        if period is None and (len(triggers) == 1 or len(dates) == 1) and dates:
            period = dates[0][1]  # one date for the sentence's flows
        out.append(_flow(ctx, sent, exporter, importer, value, period, None))
    return out


def _goal(sent: Span, value: Amount) -> bool:
    """A figure set as a goal, not reported: reached by a verb of increase that is intended ("agreed
    to raise trade to $15 billion", "expected to reach", "will double"), or a goal's figure not met
    ("set a target of"; not "hit the target of")."""
    span = sent.char_span(value.start, value.end, alignment_mode="expand")
    goals = triggers()["targets"]
    for up in list(span.root.ancestors)[:4] if span is not None else []:
        if up.pos_ in ("VERB", "AUX"):
            return up.lemma_ in goals["verbs"] and up.tag_ == "VB" and _intended(up, goals["intending"])
        if up.pos_ == "NOUN" and up.lemma_ in goals["nouns"]:
            verb = next((a for a in up.ancestors if a.pos_ in ("VERB", "AUX")), None)
            return verb is None or verb.lemma_ not in goals["met"] or verb.tag_ == "VB"
    return False


def _intended(verb: Token, intending: list[str]) -> bool:
    """Is the verb in its base form a plan: under a modal ("will double") or a verb of intent?"""
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
    return modal or (verb.dep_ in ("xcomp", "ccomp", "advcl") and verb.head.lemma_ in intending)


def _ranks(ctx: DocContext, sent: Span, token: Token, ms: list[Ment], amounts: list[Amount]) -> list[Event]:
    """ "A is B's biggest trade partner", "A, B's biggest trade partner followed by C"."""
    importer = _owner(token, ms) or _owner(token, ms, OWNER_PREPS)
    exporter = _subject(token, ms)
    if not exporter or not importer or exporter == importer:
        return []
    ctx.trade_pair = (exporter, importer)
    value = None
    if token.dep_ != "appos":  # an appositive rank says nothing of the clause's amount
        clause = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
        for a in amounts:
            span = sent.char_span(a.start, a.end, alignment_mode="expand")
            verb = next((t for t in span.root.ancestors if t.pos_ in ("VERB", "AUX")), None) if span else None
            if clause is not None and verb == clause:
                value = a
                break
    note = sent.doc[token.left_edge.i : token.i + 1].text
    out = [_flow(ctx, sent, exporter, importer, value, None, note)]
    for child in token.children:  # "... followed by C": the next rank
        if child.lemma_ == "follow":
            nxt = _owner(child, ms, {"by"})
            if nxt and nxt not in (exporter, importer):
                out.append(_flow(ctx, sent, nxt, importer, None, None, f"second {note}"))
    return out


def _flow(
    ctx: DocContext,
    sent: Span,
    exporter: str,
    importer: str,
    value: Any,
    period: str | None,
    note: str | None,
) -> Event:
    careful = value is not None and bool(CAREFUL.search(sent.text[: value.start]))
    args = {
        "exporter": exporter,
        "importer": importer,
        "value": value.value if value else None,
        "period": period,
        "note": note,
    }
    event = make_event(ctx, "trade", args, [sent], None)
    event.args["_rounded"] = careful  # merged away in `merge` below
    return event


def merge(events: list[Event]) -> list[Event]:
    """One document's reports of the same flow become one event with every sentence as evidence.

    A rank with no value joins a valued flow in the same direction; two values within 5 % are the
    same figure (the lead's "over $18 billion", the body's "$18.2bn"), the exact one kept.
    """
    kept = merge_within(events, "trade", _same_flow, _absorb)
    for event in kept:
        event.args.pop("_rounded", None)
    return kept


def _absorb(same: Event, event: Event) -> None:
    for cite in event.evidence:
        if cite not in same.evidence:
            same.evidence.append(cite)
    rounder = "value" not in same.args or (same.args.get("_rounded") and not event.args.get("_rounded"))
    if "value" in event.args and rounder:
        for role in ("value", "period"):
            if role in event.args:
                same.args[role] = event.args[role]
        same.args["_rounded"] = event.args.get("_rounded", False)
    for role in ("note", "period"):
        if event.args.get(role):
            same.args.setdefault(role, event.args[role])


def _same_flow(a: Event, b: Event) -> bool:
    """One direction, and one figure within 5% (or a rank with no figure)."""
    same_way = (a.args["exporter"], a.args["importer"]) == (b.args["exporter"], b.args["importer"])
    return same_way and close(a.args.get("value"), b.args.get("value"))
