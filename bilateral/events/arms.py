"""Arms transfers: a weapon designation under an order or delivery trigger, with direction."""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.tokens import Span, Token

from ..models import Event
from ..nlp.lexicon import fold
from .arms_phrases import another_count, categories, category_of, count_of, kinds_beside, phrase
from .context import (
    DocContext,
    Ment,
    date_near,
    dates_in,
    governs,
    is_modifier,
    make_event,
    modality,
    others,
    prep_state,
    states_of,
    subject_state,
)
from .links import conjuncts, linked
from .roles import (
    GIVE,
    TAKE,
    TAKE_NOUNS,
    Sides,
    actor_state,
    is_state,
    modifier_state,
    partner,
    sides,
    subject,
)
from .triggers import triggers


def _infinitive_form(t: Token) -> bool:
    """ "to supply", "to be delivered": a purpose or a plan, not a delivery that happened."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ == "to" for c in t.children)


def _infinitive(trigger: Token, ms: list[Ment]) -> Sides | None:
    """ "signed a contract with X to supply of 54 K9": a verb of giving the parser tagged a noun;
    the one who signed gives and the partner of the signing receives, as for the verb."""
    if trigger.pos_ != "NOUN" or trigger.lemma_ not in GIVE or trigger.dep_ not in ("advcl", "acl", "xcomp"):
        return None
    if not _infinitive_form(trigger):
        return None
    signing = trigger.head if trigger.head.pos_ == "VERB" else trigger.head.head
    return Sides(subject(signing, ms), partner(signing, ms))


GOVERNMENT = {"ministry", "government", "department", "army", "navy", "forces", "force", "agency", "office"}


def _maker_supplies(trigger: Token, found: Sides, ms: list[Ment]) -> Sides:
    """ "Poland signed a contract with Korea's Hyundai Rotem to supply K2 tanks": when a state or its
    ministry signs with a company to supply, the company supplies, whichever side signed."""
    if trigger.lemma_ not in GIVE or trigger.dep_ not in ("advcl", "acl", "xcomp"):
        return found
    signing = trigger.head if trigger.head.pos_ == "VERB" else trigger.head.head
    other = found.receiver or (
        partner(signing, ms) if signing.lemma_ in ("sign", "conclude", "ink") else None
    )
    if _official(found.giver) and other and not _official(other):
        return Sides(other, found.giver)
    return found


def _official(actor: str | None) -> bool:
    """A state's code or a government body ("the Polish Ministry of National Defence")."""
    if actor is None:
        return False
    return is_state(actor) or bool(GOVERNMENT & set(fold(actor).split()))


def _state(actor: str | None, ms: list[Ment]) -> str | None:
    """The state of a side: a code, a state word in an organisation's name, or a state qualifying
    the organisation where it is named ("South Korea's Hanwha Aerospace", "Korean firm Hanwha")."""
    if (found := actor_state(actor)) or actor is None:
        return found
    return next(
        (s for x in ms if x.m.text == actor and (s := modifier_state(x.span.root, ms))),
        None,
    )


INSTRUMENTAL = {"by", "with", "using", "aboard", "via"}  # "carried by a dozen Y-20 aircraft"
# Words that introduce a background list of other customers ("the sixth buyer, after A, B and C").
LIST_INTRO = {"after", "like", "including", "as", "besides", "alongside", "among", "than", "joining"}


def _listed(ms: list[Ment]) -> list[Ment]:
    """States in a list of three or more introduced as background ("after Estonia, Finland and
    Norway", "such as A, B and C"): earlier customers or comparisons, never a side of this deal."""
    out: list[Ment] = []
    for x in ms:
        root = x.span.root
        if not x.state or root.dep_ == "conj" or root.head.lower_ not in LIST_INTRO:
            continue
        members = {root.i, *(c.i for c in conjuncts(root))}
        listed = [y for y in ms if y.state and y.span.root.i in members]
        if len(listed) >= 3:
            out.extend(listed)
    return out


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["arms_transfer"]
    order, delivery = set(tr["order"]), set(tr["delivery"])
    trig = [t for t in ctx.having(sent, order | delivery) if not ctx.in_quote(t.idx, t.idx + 1)]
    weapons = [x for x in ms if x.m.type == "weapon"]
    if not trig:
        return []
    if not weapons:  # arms named by kind only: in a text that names systems, their package unless the
        # kind goes between other sides ("Iran's supply of drones to Russia" beside Russian jets for Iran)
        found = _generic(ctx, sent, ms, trig)
        named = [x for x in ctx.mentions if x.m.type == "weapon"]
        if named and ctx.arms_pair is None:
            return []
        return [e for e in found if not named or _sides(e) not in (ctx.arms_pair, None)]
    out: list[Event] = []
    seen: set[str] = set()
    # A state named as a place ("are currently in Turkey") is neither side of a deal the sentence reports.
    listed = _listed(ms)
    ms = [x for x in ms if x not in listed]
    states = states_of(
        [x for x in ms if not (x.m.type == "state" and x.span.root.head.lower_ in ("in", "at"))]
    )
    not_transferred = set(triggers()["not_transferred"])
    previous = trig[0]
    for w in weapons:
        if any(x.span.end == w.span.start for x in weapons):
            continue  # "AH-64E Apache": a family name after a designation is the same system
        root = w.span.root
        # Parsed under a trigger, else (lists the small model misparses) the sentence's triggers.
        candidates = [t for t in trig if governs(t, root) or governs(root, t)]
        parsed = bool(candidates)
        if not candidates and not any(a.dep_ == "agent" or a.lower_ in INSTRUMENTAL for a in root.ancestors):
            candidates = trig
        before = ctx.doc[max(sent.start, w.span.start - 5) : w.span.start]
        if (
            w.m.key in seen
            or not candidates
            or any(a.lemma_ in not_transferred for a in [*list(root.ancestors)[:3], *before])
        ):
            continue
        seen.add(w.m.key)
        first = root  # "L-39 and Su-25 jets": the second system shares the first one's phrase
        while first.dep_ == "conj" and first.head.ent_type_ == "WEAPON":
            first = first.head
        head = (
            first.head
            if first.dep_ in ("compound", "nmod", "amod", "appos", "dep", "nummod")  # however it is hung
            and first.head.pos_ == "NOUN"
            and first.head.i > root.i
            else root
        )
        if head == root and first.dep_ == "compound" and first.head.pos_ == "PROPN":
            outer = phrase(first)  # "T-129 ATAK helicopters": a name between the system and its kind
            kind = outer.pos_ == "NOUN" or fold(outer.text) in categories()  # "K10 Resupply Vehicles"
            head = outer if kind and outer.i > root.i else head
        # The trigger that governs the system ("signed a contract to supply 54 K9": supply), else the nearest.
        trigger = next((a for a in root.ancestors if a in candidates), None) or min(
            candidates, key=lambda t: abs(t.i - root.i)
        )
        if out and phrase(root).dep_ == "conj" and phrase(root).head.pos_ in ("VERB", "AUX"):
            trigger = previous  # "to supply 54 K9 howitzers and 36 K10 vehicles", the K10 hung on a verb
        previous = trigger
        category, quantity = category_of(ctx, w, head, weapons), count_of(ctx, sent, w, head)
        # Supplier: a state modifying the system ("China's FK-3", "Chinese CH-95"), "from X", or the
        # subject of a supply verb; recipient: the subject of a buy verb or "to X"/"with" for supply.
        supplier = None
        modifiers = {t.i for t in (*linked(head, "MODIFIER"), *linked(root, "MODIFIER"))}
        for x in ms:
            if x.state and x.span.root.i in modifiers:
                supplier = x.state
        supplier = prep_state(trigger, ms, {"from"}) or supplier
        recipient = None
        subj = subject_state(trigger, ms)
        passive = bool(linked(trigger, "PASSIVE_SUBJ", "AGENT"))
        if passive:
            supplier = subject_state(trigger, ms, ("agent",)) or supplier
            subj = None
        if (
            trigger.lemma_
            in {"supply", "sell", "export", "deliver", "transfer", "ship", "provide", "donate", "gift"}
            and trigger.pos_ == "VERB"
            and not passive
        ):
            supplier = subj or supplier
            objects = {t.i for t in linked(trigger, "OBJ", "DATIVE")}
            recipient = prep_state(trigger, ms, {"to", "with"}) or next(
                (x.state for x in ms if x.state and x.span.root.i in objects), None
            )
        else:
            recipient = subj if subj != supplier else None
        linked_sides = _maker_supplies(trigger, _infinitive(trigger, ms) or sides(trigger, ms), ms)
        given, taken = _state(linked_sides.giver, ms), _state(linked_sides.receiver, ms)
        if given or taken:
            supplier, recipient = given or (supplier if supplier != taken else None), taken or recipient
            if supplier == recipient:
                recipient = None
        if supplier is None and recipient is None and not states and ctx.arms_pair:
            supplier, recipient = ctx.arms_pair  # no state in the sentence: the deal the text is about
        if supplier is None:  # "delivery of a number of X from Russia": the nearest "from" on the way up
            froms = {
                x.span.root.head.head.i: x.state for x in ms if x.state and x.span.root.head.lower_ == "from"
            }
            supplier = next(
                (froms[a.i] for a in [root, *root.ancestors] if a.i in froms), froms.get(trigger.i)
            )
        if supplier is None and recipient is None:
            # A lone state qualifying a system or category ("China's FK-3", "Russian ... jets") is its
            # origin; one qualifying a parliament or a person is not.
            supplier = next(
                (
                    x.state
                    for x in ms
                    if x.state
                    and not x.in_name
                    and is_modifier(x.span.root)
                    and (
                        any(
                            h.ent_type_ == "WEAPON" or fold(h.text) in categories()
                            for h in (x.span.root.head, x.span.root.head.head)
                        )
                        or x.span.root
                        in phrase(root).subtree  # "the system (an export variant of China's X)"
                    )
                ),
                None,
            )
        grounded = bool(supplier or recipient)  # a side from the sentence, not only from the document
        if recipient is None:
            recipient = (
                next(iter(others(states, supplier)), None) if len(states) > 1 or not supplier else None
            )
            if recipient is None or recipient == supplier:
                recipient = next(iter(others(ctx.pair, supplier)), None)
        if supplier is None:
            supplier = next(iter(others(states, recipient)), None) or next(
                iter(others(ctx.pair, recipient)), None
            )
        if (
            supplier
            and recipient
            and ((supplier in states and recipient in states) or (grounded and not ctx.arms_pair))
        ):
            ctx.arms_pair = (supplier, recipient)
        args: dict[str, Any] = {
            "recipient": recipient,
            "system": _one(w),
            "supplier": supplier,
            "category": category,
            "quantity": quantity,
        }
        own_date = [
            d for d in dates_in(ctx, sent) if d[0].span.root.head.head == head or d[0].span.root.head == head
        ]
        for t in trig:
            # Without a parse link, a date elsewhere in the list belongs to another system.
            role = "ordered" if t.lemma_ in order else "delivered"
            date = own_date[0][1] if own_date else (_date(ctx, sent, t, role) if parsed else None)
            if role == "delivered" and (modality(t) != "reported" or _infinitive_form(t)):
                continue  # "should be delivered in 2026", "a contract to supply": not yet
            if date and role not in args:
                args[role] = date
        event = make_event(ctx, "arms_transfer", args, [sent], trigger)
        systems = {str(e.args.get("system")) for e in out}  # a kind beside two systems is one transfer
        out += [
            event,
            *(
                e
                for e in kinds_beside(ctx, sent, head, weapons, event, trigger)
                if e.args["system"] not in systems
            ),
        ]
        out += another_count(ctx, sent, w, event, trigger)
    return out


def _one(w: Ment) -> str:
    """A system as one of it is named: "42 Rafales" are Rafales (the lexicon's family in the plural)."""
    return w.m.text[:-1] if w.span.ent_id_ == "weapon|families" else w.m.text


# A delivery "under a deal signed in 2018" is not dated by the deal.
DEAL_NOUNS = frozenset({"deal", "contract", "agreement", "order", "purchase"})


def _date(ctx: DocContext, sent: Span, trigger: Token, role: str) -> str | None:
    return date_near(ctx, sent, trigger, DEAL_NOUNS if role == "delivered" else frozenset())


def _state_before(trigger: Token, ms: list[Ment], other: str | None) -> str | None:
    """The last state named before a pronoun's trigger in its sentence, other than the other side."""
    before = [x.state for x in ms if x.state and x.span.end <= trigger.i and x.state != other]
    return before[-1] if before else None


def _sides(event: Event) -> tuple[str, str] | None:
    supplier, recipient = event.args.get("supplier"), event.args.get("recipient")
    return (str(supplier), str(recipient)) if supplier and recipient else None


def _generic_head(t: Token) -> bool:
    """ "weapons", "fighter jets", "military equipment": arms named by kind only."""
    tr = triggers()["arms_transfer"]
    pair = f"{t.nbor(-1).lower_} {t.lower_}" if t.i > 0 else ""
    if t.lower_ in tr["generic"] or pair in tr["generic"]:
        return True
    return t.lower_ in tr["generic_qualified"] and any(c.lower_ in tr["military"] for c in t.lefts)


@cache
def _generic_words() -> frozenset[str]:
    """The lower-case forms a `_generic_head` can have: a generic word, the last word of a generic
    phrase (after any of its spaces), a word that is generic with a military qualifier."""
    tr = triggers()["arms_transfer"]
    tails = {w[i + 1 :] for w in tr["generic"] for i, c in enumerate(w) if c == " "}
    return frozenset({*tr["generic"], *tr["generic_qualified"], *tails})


def _generic(ctx: DocContext, sent: Span, ms: list[Ment], trig: list[Token]) -> list[Event]:
    """Arms the text names only by kind ("a deal to buy weapons from X", "its supply of drones to Y"):
    one transfer with a generic system, when the parse gives a supplier and a recipient state."""
    if not ctx.having(sent, (), _generic_words()):
        return []  # no word of the sentence can name arms by kind: no links to look up (SPEED)
    not_transferred = set(triggers()["not_transferred"])
    for trigger in trig:
        objects = [*linked(trigger, "OBJ"), *(linked(trigger, "OF") if trigger.pos_ == "NOUN" else [])]
        if trigger.dep_ == "relcl":  # "the tanks it bought from Iran"
            objects.append(trigger.head)
        found = next((o for o in objects if _generic_head(o)), None)
        if found is None or any(a.lemma_ in not_transferred for a in trigger.ancestors):
            continue
        linked_sides = sides(trigger, ms)
        supplier, recipient = actor_state(linked_sides.giver), actor_state(linked_sides.receiver)
        # "its supply of tanks to Russia", "the tanks it bought from Iran": the state named before
        pronoun = {c.dep_ for c in trigger.children if c.lower_ in ("its", "it", "their", "they")}
        if supplier is None and "poss" in pronoun and trigger.lemma_ not in TAKE_NOUNS:
            supplier = _state_before(trigger, ms, recipient)
        if recipient is None and "nsubj" in pronoun and trigger.lemma_ in TAKE:
            recipient = _state_before(trigger, ms, supplier)
        if not supplier or not recipient or supplier == recipient:
            continue
        last = max([found, *conjuncts(found)], key=lambda t: t.i)
        end = found.i if trigger.head == found else last.right_edge.i  # not its relative clause
        start = next(t.i for t in ctx.doc[found.left_edge.i : end + 1] if t.dep_ != "det")
        system = ctx.doc[start : end + 1].text.strip(" ,.")
        category = found.text if fold(found.text) in categories() else None
        args = {"recipient": recipient, "system": system, "supplier": supplier, "category": category}
        role = "ordered" if trigger.lemma_ in triggers()["arms_transfer"]["order"] else "delivered"
        args[role] = _date(ctx, sent, trigger, role)
        return [make_event(ctx, "arms_transfer", args, [sent], trigger)]
    return []
