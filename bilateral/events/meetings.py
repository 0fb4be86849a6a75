"""Meetings: talks, visits and summits between named people, and photo captions."""

from __future__ import annotations

from spacy.tokens import Span

from ..models import Event
from .context import (
    DocContext,
    Ment,
    date_near,
    dates_in,
    make_event,
    states_of,
)
from .ontology import triggers

DEMONSTRATIVES = {"this", "that", "these", "those"}
DEFINITE = DEMONSTRATIVES | {"the"}  # "the meeting", "the FTA": one already reported


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["meeting"]
    nouns, verbs = set(tr["nouns"]), set(tr["verbs"])
    trig = [
        t
        for t in sent
        if (
            (t.pos_ == "NOUN" and (t.lemma_ in nouns or t.lower_ in nouns))
            or (t.pos_ == "VERB" and t.lemma_ in verbs)
        )
        and not ctx.in_quote(t.idx, t.idx + 1)
        # "this visit", "that meeting": a reference back to a meeting reported before
        and not any(c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in t.children)
    ]
    if not trig:
        return _caption(ctx, sent, ms)
    trigger = trig[0]
    if trigger.lemma_ == "receive" and not any("delegation" in c.text for c in trigger.subtree):
        return []
    people: list[str] = []
    for x in ms:
        if x.m.type == "person" and x.m.text not in people and not ctx.in_quote(x.m.start, x.m.end):
            people.append(x.m.text)
    # Organisations visited or met ("visited two companies, X and Y") take part too.
    visited = {
        d.i for t in trig if t.pos_ == "VERB" for c in t.children if c.dep_ == "dobj" for d in c.subtree
    }
    orgs = [x.m.text for x in ms if x.m.type == "organisation" and x.span.root.i in visited]
    participants = people + [o for o in orgs if o not in people]
    destination = None
    for x in ms:
        if (
            x.state
            and x.span.root.head.lower_ in ("to", "in")
            and x.span.root.head.head.lemma_ in ("visit", "trip", "travel", "pay", "meet", "be", "hold")
        ):
            destination = x
            break
    if len(participants) < 2:
        if destination and destination.state and destination.state not in participants:
            participants.append(destination.state)
        if len(participants) < 2:
            participants += [s for s in states_of(ms) if s not in participants]
    date = date_near(ctx, sent, trigger)
    if len(participants) < 2 or (date is None and len(people) < 2):
        return []  # without a date or two named people it is a passing reference, not a report
    location = None
    for x in ms:
        if x.m.type in ("place", "state") and x.span.root.head.lower_ in ("in", "to", "at"):
            location = x.m.text
            break
    occasion = next((x.m.text for x in ms if x.m.type == "agreement"), None)
    args = {"participants": participants, "location": location, "date": date, "occasion": occasion}
    return [make_event(ctx, "meeting", args, [sent], trigger)]


def _caption(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    """A verbless line naming two people, a place and a date is a photo caption of their meeting."""
    if any(t.pos_ in ("VERB", "AUX") for t in sent):
        return []
    people = [x.m.text for x in ms if x.m.type == "person"]
    places = [x.m.text for x in ms if x.m.type in ("place", "state")]
    dates = dates_in(ctx, sent)
    if len(set(people)) < 2 or not places or not dates:
        return []
    args = {"participants": list(dict.fromkeys(people)), "location": places[0], "date": dates[0][1]}
    return [make_event(ctx, "meeting", args, [sent], None)]
