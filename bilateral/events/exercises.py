"""Joint military exercises."""

from __future__ import annotations

import re

from spacy.tokens import Span

from ..models import Event
from .context import (
    DocContext,
    Ment,
    date_near,
    make_event,
    states_of,
)
from .triggers import triggers

HELD = {"conduct", "hold", "stage", "launch"}  # verbs of which an exercise is the object: "drills were held"
LOCATING = ("in", "near", "at")


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    words = set(triggers()["exercise"])
    trig = [
        t
        for t in ctx.having(sent, words, words)
        if (t.lemma_ in words or t.lower_ in words)
        and (t.pos_ == "NOUN" or t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"))  # "drills" tagged a verb
        and not ctx.in_quote(t.idx, t.idx + 1)
    ]
    names = [x for x in ms if x.m.type == "exercise"]
    if not trig or (
        not names
        and not any(
            c.lower_ in ("joint", "military", "counter-terrorism", "counterterrorism") or c.lemma_ in HELD
            for t in trig
            for c in [*t.children, t.head]
        )
    ):
        return []
    trigger = trig[0]
    # A state in where it is held ("near the Poland-Ukraine border", "in Serbia") is not thereby a party.
    where = {w.i for p in sent if p.lower_ in LOCATING and p.dep_ == "prep" for w in p.subtree}
    participants = states_of(
        [
            x
            for x in ms
            if (x.m.type == "state" or (x.state and x.span.root.dep_ != "pobj"))
            and x.span.root.i not in where
        ]
    )
    low = sent.text.lower()
    if "both countries" in low or "two countries" in low or len(participants) < 2:
        participants += [s for s in ctx.pair if s not in participants and len(participants) < 2]
    for x in ms:
        if x.m.type == "organisation" and x.m.subtype == "alliance" and x.actor not in participants:
            participants.append(x.m.text)
    # Where it is held: a place "in/near/at", else a state "in" ("the drills in Egypt").
    located = [
        x
        for x in ms
        if x.m.type in ("place", "state")
        and x.span.root.head.lower_ in LOCATING
        and x.span.root.head.head.i >= trigger.i - 12
    ]
    locations = sorted(located, key=lambda x: x.m.type != "place")
    forces_words = set(triggers()["forces"])
    forces = None
    for t in sent:
        if t.lower_ in forces_words and t.pos_ == "NOUN":
            mods = [
                c
                for c in t.lefts
                if c.dep_ in ("amod", "compound") and c.ent_type_ not in ("STATE", "GPE", "NORP", "DATE")
            ]
            if mods:
                forces = ctx.doc[mods[0].i : t.i + 1].text
                break
    args = {
        "participants": participants,
        "name": names[0].m.text if names else None,
        "location": locations[0].m.text if locations else None,
        "forces": forces,
        "date": date_near(ctx, sent, trigger),
    }
    year = re.search(r"(?:19|20)\d\d", str(args["name"] or ""))
    if year and not str(args["date"] or "").startswith(year.group()):
        # "Golden Dragon 2023 ... from March 23": the name's year wins over the publication year
        args["date"] = year.group() + str(args["date"])[4:] if args["date"] else year.group()
    if len(participants) < 2 or not (args["name"] or args["date"]):
        return []  # a passing reference, not a report of one exercise
    return [make_event(ctx, "exercise", args, [sent], trigger)]
