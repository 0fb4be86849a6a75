"""Meetings reported without a meeting word: a photo caption naming two people, a place and a date,
and a person's presence in a state ("X was in Greece"), which only cites the meeting X had there."""

from __future__ import annotations

from spacy.tokens import Span

from ..models import Event
from .context import DocContext, Ment, dates_in, make_event
from .people import is_person

PRESENCE = {"be", "spend", "stay", "arrive", "land"}


def presence(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    """ "X was in Greece", "X and Y are in Japan this week": named people in a state. Kept only as a
    report of the meeting they had there (see `meetings.merge`), never as a meeting of its own."""
    verb = sent.root
    if verb.lemma_ not in PRESENCE or ctx.in_quote(verb.idx, verb.idx + 1):
        return []
    subjects = {t.i for c in verb.children if c.dep_ == "nsubj" for t in c.subtree}
    people = list(dict.fromkeys(x.m.text for x in ms if is_person(ctx, x) and x.span.root.i in subjects))
    places = [
        x for x in ms if x.state and x.span.root.head.lower_ in ("in", "to") and x.span.root.head.head == verb
    ]
    if not people or not places:
        return []
    args = {"participants": people, "location": places[0].m.text, "_visit": True, "_pending": True}
    return [make_event(ctx, "meeting", args, [sent], verb)]


def caption(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    """A verbless line naming two people, a place and a date is a photo caption of their meeting."""
    if any(t.pos_ in ("VERB", "AUX") for t in sent):
        return []
    people = [x.m.text for x in ms if is_person(ctx, x)]
    places = [x.m.text for x in ms if x.m.type in ("place", "state")]
    dates = dates_in(ctx, sent)
    if len(set(people)) < 2 or not places or not dates:
        return []
    args = {"participants": list(dict.fromkeys(people)), "location": places[0], "date": dates[0][1]}
    return [make_event(ctx, "meeting", args, [sent], None)]
