"""Investments."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span

from ..models import Event
from ..values.money import parse_money
from ..values.numbers import parse_percent
from .context import (
    DocContext,
    Ment,
    date_near,
    make_event,
    np_text,
    others,
    states_of,
    subject_state,
)
from .ontology import triggers


def money_value(ms: list[Ment]) -> dict[str, Any] | None:
    for x in ms:
        if x.m.type == "money":
            value = parse_money(x.m.text)
            if value:
                return value
    return None


ANAPHOR = re.compile(r"\b(?:the|its) (?:company|firm|plant|mine|enterprise|factory|group)\b", re.I)


def investments(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["investment"]
    trig = [
        t
        for t in sent
        if (t.lemma_ in tr["nouns"] and t.pos_ == "NOUN") or (t.lemma_ in tr["verbs"] and t.pos_ == "VERB")
    ]
    if not trig or any(x.m.type == "weapon" for x in ms):
        return []
    trigger = trig[0]
    orgs = [x for x in ms if x.m.type == "organisation" and x.m.subtype not in ("ministry", "armed_force")]
    investor = None
    subj_state = subject_state(trigger, ms)
    for x in orgs:
        if x.span.root.dep_ in ("nsubj", "nsubjpass") or x.span.root.head.dep_ == "agent":
            investor = x
            break
    sites = [x for x in ms if x.m.type == "place" and x.m.subtype == "facility"]
    target = next(
        (
            x
            for x in [*orgs, *sites]
            if x is not investor and (investor is None or x.span.root.head != investor.span.root)
        ),
        None,
    )
    percent = next((parse_percent(x.m.text) for x in ms if x.m.type == "percent"), None)
    value = money_value(ms)
    if investor is None and target is None and value is None:
        return []
    investor_value = investor.m.text if investor else subj_state
    if investor_value is None:
        return []
    states = states_of(ms)
    country = next(iter(others(states, subj_state, "CHN" if investor_value == "CHN" else None)), None)
    if target is None:
        objs = [c for c in trigger.children if c.dep_ == "dobj" and not c.like_num and c.ent_type_ != "DATE"]
        objs = [next((a for a in o.children if a.dep_ == "appos"), o) for o in objs]
        target_text = np_text(objs[0]) if objs else None
    else:
        target_text = target.m.text
    if target_text and investor is not None and ANAPHOR.search(target_text):
        # "acquired 63% of the company's assets": the company named before the investor
        earlier = [x for x in orgs if x.m.end <= investor.m.start and not x.in_name]
        target_text = earlier[-1].m.text if earlier else target_text
    if target_text is None:
        return []
    args = {
        "investor": investor_value,
        "target": target_text,
        "country": country or next(iter(others(ctx.pair, subj_state)), None),
        "stake": percent,
        "value": value,
        "date": date_near(ctx, sent, trigger),
    }
    return [make_event(ctx, "investment", args, [sent], trigger)]
