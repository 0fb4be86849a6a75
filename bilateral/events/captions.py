"""A meeting reported without a meeting word: a photo caption naming two people, a place and a date.
A person's presence in a state ("X was in Greece") is no meeting: `anaphora.present` cites it."""

from __future__ import annotations

from spacy.tokens import Span

from ..models import Event
from .context import DocContext, Ment, dates_in, make_event
from .people import is_person


def caption(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    """A verbless line naming two people, a place and a date is a photo caption of their meeting."""
    if any(pos in ("VERB", "AUX") for pos in ctx.poses(sent)):  # from the document's arrays (SPEED)
        return []
    people = [x.m.text for x in ms if is_person(ctx, x)]
    places = [x.m.text for x in ms if x.m.type in ("place", "state")]
    dates = dates_in(ctx, sent)
    if len(set(people)) < 2 or not places or not dates:
        return []
    args = {"participants": list(dict.fromkeys(people)), "location": places[0], "date": dates[0][1]}
    return [make_event(ctx, "meeting", args, [sent], None)]
