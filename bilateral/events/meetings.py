"""Meetings: talks, visits and summits between named people, and photo captions."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..models import Event
from ..nlp.lexicon import fold
from ..values.names import key_for
from .captions import caption
from .context import (
    ROLE_NOUNS,
    DocContext,
    Ment,
    date_near,
    make_event,
    merge_within,
    states_of,
)
from .links import sentence_of
from .people import is_person, person_before, titled_before
from .roles import is_state, prep_object, subject
from .triggers import triggers

DEMONSTRATIVES = {"this", "that", "these", "those"}
DEFINITE = DEMONSTRATIVES | {"the"}  # "the meeting", "the FTA": one already reported


OCCASIONS = {"state", "official", "working"}
PAIRED = {"leader", "head", "president", "minister", "premier", "counterpart"}


def _last_two_people(ctx: DocContext, char: int) -> list[str]:
    """The last two different people named before `char`, outside quotations."""
    found: list[str] = []
    for x in reversed(ctx.mentions):
        if is_person(ctx, x) and x.m.end <= char and not ctx.in_quote(x.m.start, x.m.end):
            last = key_for("person", x.m.text).split()[-1]
            if all(key_for("person", p).split()[-1] != last for p in found):
                found.append(x.m.text)
            if len(found) == 2:
                break
    return found[::-1] if len(found) == 2 else []


def merge(events: list[Event]) -> list[Event]:
    """One document's reports of one meeting become one event: the visit, its talks, its signing.

    Two meetings join when the people of one are among the people of the other and their dates
    agree (or one has none);
    the participants are united, and a state stands in only while fewer than two people are named.
    """
    kept = merge_within(events, "meeting", _same_meeting, _absorb)
    kept = [e for e in kept if not e.args.get("_pending")]  # an undated visit that joined no meeting
    for event in kept:
        for hidden in ("_visit", "_pending", "_where"):
            event.args.pop(hidden, None)
        if any(w in str(event.args.get("occasion", "")).lower() for w in REMOTE):
            event.args.pop("location", None)  # a virtual summit has no place (the text may name a studio's)
    return kept


REMOTE = ("virtual", "video", "online", "phone", "telephone")


def place_of(ctx: DocContext, event: Event, noun: Token) -> None:
    """A meeting reported without its place takes the one its reference gives ("during a meeting at
    the State House in Nairobi")."""
    if event.args.get("location") or any(w in str(event.args.get("occasion", "")).lower() for w in REMOTE):
        return
    inside = {t.i for t in noun.subtree}
    for x in ctx.sentence_mentions(sentence_of(noun)):
        if (
            x.m.type in ("place", "state")
            and x.span.root.i in inside
            and x.span.root.head.lower_ in ("in", "at")
        ):
            event.args["location"] = x.m.text
            return


ATTEND = {"participate", "attend", "join", "participant", "participating", "attendee"}


def attending_states(ctx: DocContext, event: Event) -> None:
    """A summit of states takes the states a sentence citing it lists as taking part ("Taking part in
    the summit were A, B and C"); a meeting of named people keeps its people."""
    if not all(_is_code(str(p)) for p in event.args["participants"]):
        return
    for cite in event.evidence:
        for sent in ctx.sentences_between(cite.start, cite.end):
            if any(t.lemma_ in ATTEND or (t.lower_ == "part" and t.head.lemma_ == "take") for t in sent):
                listed = states_of(ctx.sentence_mentions(sent))
                if len(listed) >= 2:
                    event.args["participants"] = list(dict.fromkeys([*event.args["participants"], *listed]))


def _absorb(same: Event, event: Event) -> None:
    known = people_of(same)  # "Dubois" is the "Marie Dubois" already there
    added = [
        p for p in event.args["participants"] if _is_code(p) or key_for("person", p).split()[-1] not in known
    ]
    merged = list(dict.fromkeys([*same.args["participants"], *added]))
    people = [p for p in merged if not _is_code(p)]
    same.args["participants"] = people if len(people) >= 2 else merged
    for role in ("location", "occasion", "date"):
        if event.args.get(role) and not same.args.get(role):
            same.args[role] = event.args[role]
    if str(same.args.get("occasion", "")).startswith("signing") and event.args.get("occasion"):
        same.args["occasion"] = event.args["occasion"]  # the state visit a signing took place during
    same.evidence.extend(c for c in event.evidence if c not in same.evidence)
    same.args["_visit"] = same.args.get("_visit") and event.args.get("_visit")
    same.args["_pending"] = same.args.get("_pending") and event.args.get("_pending")
    same.args["_where"] = same.args.get("_where") or event.args.get("_where")


def _is_code(value: str) -> bool:
    return is_state(value)


def _same_meeting(a: Event, b: Event) -> bool:
    pa = {key_for("person", p).split()[-1] for p in a.args["participants"] if not _is_code(p)}
    pb = {key_for("person", p).split()[-1] for p in b.args["participants"] if not _is_code(p)}
    if not (a.args.get("_visit") or b.args.get("_visit")) or not pa & pb or not (pa <= pb or pb <= pa):
        return False  # a visit joins its talks; talks with different counterparts stay apart
    wa, wb = a.args.get("_where"), b.args.get("_where")
    if (a.args.get("_pending") or b.args.get("_pending")) and wa and wb and wa != wb:
        return False  # an undated visit to one state is not a meeting held in another
    da, db = str(a.args.get("date") or ""), str(b.args.get("date") or "")
    visit, other = (a, b) if a.args.get("_visit") else (b, a)
    if visit.args.get("date") and not other.args.get("date"):
        return False  # a dated visit does not take in an undated meeting reported elsewhere
    return not da or not db or da.startswith(db) or db.startswith(da)


def _talks_between(trigger: Token, ms: list[Ment]) -> list[str]:
    """Two states as the subject and the "with" partner of talks ("A will hold talks with B")."""
    verb = trigger if trigger.pos_ == "VERB" else trigger.head
    if trigger.pos_ != "VERB" and trigger.dep_ != "dobj":
        return []
    who, other = subject(verb, ms), prep_object(trigger, ms, {"with"}) or prep_object(verb, ms, {"with"})
    if who and other and who != other and len(who) == 3 and len(other) == 3:
        return [who, other]
    return []


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["meeting"]
    nouns, verbs = set(tr["nouns"]), set(tr["verbs"])
    trig = [
        t
        for t in ctx.having(sent, nouns | verbs, nouns)
        if (
            (t.pos_ == "NOUN" and (t.lemma_ in nouns or t.lower_ in nouns))
            or (t.pos_ == "VERB" and t.lemma_ in verbs)
        )
        and not ctx.in_quote(t.idx, t.idx + 1)
        # "this visit", "that meeting": a reference back to a meeting reported before
        and not any(c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in t.children)
    ]
    if not trig:
        return caption(ctx, sent, ms)
    trigger = trig[0]
    guests = {x.span.root.i for x in ms if is_person(ctx, x)}
    # "received visiting minister X": the guest as the small model often hangs it, on "visiting"
    objects = [*trigger.children, *(g for c in trigger.children if c.dep_ == "xcomp" for g in c.children)]
    received = any(c.dep_ == "dobj" and c.i in guests for c in objects) or any(
        "delegation" in c.text for c in trigger.subtree
    )
    if trigger.lemma_ == "receive" and not received:
        return []  # "received a loan", "received the S-400": not a host receiving a guest
    if any(a.lemma_ == "invite" for a in list(trigger.ancestors)[:2]):
        return []  # "invited X to visit": an invitation, not a meeting
    people: list[str] = []
    for x in ms:
        if is_person(ctx, x) and x.m.text not in people and not ctx.in_quote(x.m.start, x.m.end):
            people.append(x.m.text)
    if len(people) < 2 and any(
        w.lemma_ in PAIRED and w.tag_ == "NNS" and any(t.lower_ in ("two", "both") for t in w.subtree)
        for w in sent
        if w.i < trigger.i + 3
    ):
        people = _last_two_people(ctx, sent.start_char)  # "the two heads of state met"
    host = trigger if trigger.pos_ == "VERB" else trigger.head
    # "Spokesman X said the minister held talks with Y": who reports the meeting takes no part in it.
    speech = set(triggers()["statement"])
    reporters = {
        x.m.text
        for a in trigger.ancestors
        if a.lemma_ in speech
        and a.pos_ == "VERB"
        and any(c.dep_ == "ccomp" and trigger in c.subtree for c in a.children)
        for s in a.children
        if s.dep_ in ("nsubj", "nsubjpass") and trigger not in s.subtree
        for x in ms
        if x.span.root in s.subtree
    }
    people = [p for p in people if p not in reporters]
    for child in (c for c in host.children if c.dep_ in ("nsubj", "nsubjpass") and len(people) < 2):
        before = None
        if child.lower_ in ("he", "she"):  # "he held talks with ...", "he was greeted by ..."
            before = person_before(ctx, child.idx)  # "he held talks with his counterpart, X"
        elif child.tag_ in ("NN", "NNP") and child.lemma_.lower() in ROLE_NOUNS:
            before = titled_before(
                ctx, child
            )  # "the minister held talks with ...": the minister named before
        if before is not None and before.m.text not in people and before.m.text not in reporters:
            people.insert(0, before.m.text)
    if reporters and len(people) < 2:
        return []  # "X said that yesterday's talks went well": the talks are reported where they are named
    # Organisations visited or met ("visited two companies, X and Y") take part too.
    visited = {
        d.i for t in trig if t.pos_ == "VERB" for c in t.children if c.dep_ == "dobj" for d in _listed(c)
    }
    named = [x for x in ms if x.m.type == "organisation" or (x.m.type == "person" and not is_person(ctx, x))]
    orgs = [x.m.text for x in named if x.span.root.i in visited]
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
    sides_named = _talks_between(trigger, ms)
    if not people and sides_named:
        participants = sides_named  # "Bhutan is expected to hold talks with India"
    # "signed during the state visit of X to Y": an undated visit of one person is kept only if it
    # joins the meeting it was part of (see `merge`)
    to_place = any(_visited(x, trigger) for x in ms if x.m.type in ("place", "state"))
    pending = date is None and len(people) == 1 and not orgs and to_place and trigger.lemma_ == "visit"
    if len(participants) < 2 or (
        date is None and len(people) + len(orgs) < 2 and not sides_named and not pending
    ):
        return []  # without a date or two named people it is a passing reference, not a report
    if people:
        # "X visited Kazakhstan": the visitor alone takes part, the state he visited is the location
        participants = [p for p in participants if not _is_code(p)]
        if (
            len(participants) < 2
            and trigger.lemma_ not in ("visit", "trip", "travel")
            and not any(
                x.m.type in ("place", "state") and x.span.root.head.lower_ in ("in", "to", "at") for x in ms
            )
        ):
            return []  # "X took the floor at the forum": one person, in no place the text names
    # The place nearest the trigger: "a day in A before flying to B for talks" met in B.
    places = [x for x in ms if x.m.type in ("place", "state") and _where(x.span.root)]
    nearest = min(places, key=lambda x: abs(x.span.root.i - trigger.i)) if places else None
    location = nearest.m.text if nearest else None
    occasion = _occasion(trigger, sent) or next((x.m.text for x in ms if x.m.type == "agreement"), None)
    args = {"participants": participants, "location": location, "date": date, "occasion": occasion}
    event = make_event(ctx, "meeting", args, [sent], trigger)
    event.args["_visit"] = trigger.lemma_ in ("visit", "trip", "travel") and len(people) == 1
    event.args["_pending"] = pending
    event.args["_where"] = nearest.state if nearest else None  # the state of its place, for `merge`
    return [event]


def _where(root: Token) -> bool:
    """A place a meeting may be in: "in A", "to A", "at A", "visited A" (not "X, who visited A, ...")."""
    visited = root.dep_ == "dobj" and root.head.lemma_ == "visit" and root.head.dep_ != "relcl"
    return root.head.lower_ in ("in", "to", "at") or visited


def _visited(x: Ment, visit: Token) -> bool:
    """ "a visit to Y", "a visit to Y's capital": the place a visit went to."""
    root = x.span.root.head if x.span.root.dep_ == "poss" else x.span.root
    return root.head.lower_ == "to" and root.head.head == visit


NAMED_OCCASIONS = {"summit", "forum", "ceremony", "roundtable", "conference"}


def _occasion(trigger: Token, sent: Span) -> str | None:
    """The summit, forum, ceremony or state visit the meeting took place at, as the text names it:
    "the third G20 summit", "a virtual summit", "an official visit to Chile"; a bare "summit" or
    "visit" names none."""
    for t in [trigger, *(w for w in sent if w != trigger)]:
        if t.dep_ == "compound" and t.head.lemma_ in ("meeting", "talks"):
            t = t.head  # "a roundtable meeting on ..."
        if t != trigger and not (t.dep_ == "pobj" and t.head.lower_ in ("during", "at", "on", "of", "for")):
            continue  # another noun of the sentence names the occasion only as where the meeting was
        mods = [c for c in t.children if c.dep_ in ("amod", "compound", "nmod", "nummod")]
        if any(m.lower_ in ("press", "news") for m in mods):
            continue  # a press conference is not what the meeting was held at
        lemma = t.lemma_.lower()
        if lemma == "visit":
            if not mods or mods[-1].lower_ not in OCCASIONS:
                continue
        elif not (
            (lemma in NAMED_OCCASIONS or any(c.lemma_ in NAMED_OCCASIONS for c in mods))
            and t.pos_ in ("NOUN", "PROPN")
            and (mods or t.pos_ == "PROPN")
        ):
            continue
        start = min([t.i, *(m.left_edge.i for m in mods)])
        end = max(
            [t.i, *(c.right_edge.i for c in t.children if c.dep_ == "prep" and c.lower_ in ("on", "to"))]
        )
        return " ".join(t.doc[start : end + 1].text.split())  # a line break inside is a space
    return None


def _listed(token: Token) -> list[Token]:
    """An object and the names listed with it ("two companies, X and Y", "companies, including X and
    Y"), not what hangs below it ("members of a delegation of the national army": people, not the army)."""
    found = [token]
    for child in token.children:
        if child.dep_ in ("appos", "conj", "compound", "flat"):
            found += _listed(child)
        elif child.dep_ == "prep" and child.lower_ in ("including", "like"):  # "companies, including A and B"
            found += [d for o in child.children if o.dep_ == "pobj" for d in _listed(o)]
    return found


def referred(ctx: DocContext, sent: Span, noun: Token, pool: list[Event]) -> Event | None:
    """A meeting whose people, place or occasion ("the contract signing") the sentence names, or the
    document's only meeting. People present at its signing or ceremony take part in it."""
    people = [
        x for x in ctx.sentence_mentions(sent) if is_person(ctx, x) and not ctx.in_quote(x.m.start, x.m.end)
    ]
    surnames = {key_for("person", x.m.text).split()[-1] for x in people}
    places = {fold(x.m.text) for x in ctx.sentence_mentions(sent) if x.m.type in ("place", "state")}
    word = noun.lemma_.lower()
    of = {
        w.lemma_.lower()
        for c in noun.children
        if c.lower_ == "of"
        for w in c.subtree
        if w.pos_ in ("NOUN", "PROPN")
    }
    at = [
        e
        for e in pool
        if word in OCCASION_HEADS and {word, *of} <= set(fold(str(e.args.get("occasion", ""))).split())
    ]
    if word in OCCASION_HEADS and len(at) != 1:
        return None  # "the signing of the FTA": another signing than the meeting's
    if len(at) == 1:
        for x in people:  # "A and B attended the signing", "X came for the signing"
            if (
                x.span.root.dep_ in ("nsubj", "nsubjpass", "attr", "conj", "appos")
                and x.m.text not in (at[0].args["participants"])
            ):
                at[0].args["participants"].append(x.m.text)
        return at[0]
    fits = [
        e
        for e in pool
        if surnames & people_of(e) or (e.args.get("location") and fold(str(e.args["location"])) in places)
    ]
    found = fits[0] if len(fits) == 1 else None
    if found is None and len(pool) == 1 and not surnames - people_of(pool[0]):
        found = pool[0]
    if found is not None:
        place_of(ctx, found, noun)
    return found


OCCASION_HEADS = {"signing", "ceremony", "summit"}


def people_of(event: Event) -> set[str]:
    return {key_for("person", str(p)).split()[-1] for p in event.args.get("participants", [])}


def dated_by_signing(events: list[Event]) -> None:
    """A signing's meeting that its sentence does not date takes the date of the agreement signed,
    which the document gives where it reports the agreement ("X and Y signed the agreement" after
    "A signed a $2bn agreement with B today"): the agreement citing the sentence, or the one between
    the same parties reported before it."""
    agreements = [e for e in events if e.type == "agreement"]
    for meeting in events:
        occasion = str(meeting.args.get("occasion") or "")
        if meeting.type != "meeting" or meeting.args.get("date") or not occasion.startswith("signing"):
            continue
        first = meeting.evidence[0]
        signed = [
            e for e in agreements if any(c.start < first.end and first.start < c.end for c in e.evidence)
        ]
        sides = [set(e.args["parties"]) for e in signed]
        dated = [e for e in signed if e.args.get("signed")] or [
            e
            for e in agreements
            if e.args.get("signed") and set(e.args["parties"]) in sides and e.evidence[0].start < first.start
        ]
        if dated:
            meeting.args["date"] = dated[-1].args["signed"]
