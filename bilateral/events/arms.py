"""Arms transfers: a weapon designation under an order or delivery trigger, with direction."""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.tokens import Span, Token

from ..models import Event
from ..nlp.lexicon import fold, load
from ..values.numbers import parse_quantity
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
from .roles import actor_state, sides
from .triggers import triggers


@cache
def _categories() -> set[str]:
    return {fold(c) for c in load().categories}


def _count_before(left: Span) -> int | None:
    """ "nine CH-92A drones", "42 latest-generation Rafale": a number however the parser hung it."""
    for t in reversed(list(left)):
        if t.like_num and not (t.text.isdigit() and len(t.text) == 4):
            return parse_quantity(t.text)
        if not (t.pos_ in ("ADJ", "PROPN") or t.text == "-"):
            return None
    return None


def _phrase(token: Token) -> Token:
    """The head of the noun phrase a designation sits in, however the parser attached it."""
    node = token
    for _ in range(4):
        if node.dep_ in ("compound", "nmod", "amod", "dep", "appos") and node.head.pos_ in (
            "NOUN",
            "PROPN",
            "ADJ",
        ):
            node = node.head
        else:
            break
    return node


INSTRUMENTAL = {"by", "with", "using", "aboard", "via"}  # "carried by a dozen Y-20 aircraft"


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["arms_transfer"]
    order, delivery = set(tr["order"]), set(tr["delivery"])
    trig = [t for t in ctx.having(sent, order | delivery) if not ctx.in_quote(t.idx, t.idx + 1)]
    weapons = [x for x in ms if x.m.type == "weapon"]
    if not trig:
        return []
    if not weapons:  # arms named by kind only, in a text that names no system (else they are its package)
        return [] if any(x.m.type == "weapon" for x in ctx.mentions) else _generic(ctx, sent, ms, trig)
    out = []
    seen: set[str] = set()
    # A state named as a place ("are currently in Turkey") is neither side of a deal the sentence reports.
    states = states_of(
        [x for x in ms if not (x.m.type == "state" and x.span.root.head.lower_ in ("in", "at"))]
    )
    not_transferred = set(triggers()["not_transferred"])
    for w in weapons:
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
        head = (
            root.head
            if root.dep_ in ("compound", "nmod", "amod", "appos", "dep", "nummod")  # however it is hung
            and root.head.pos_ == "NOUN"
            and root.head.i > root.i
            else root
        )
        # The trigger that governs the system ("signed a contract to supply 54 K9": supply), else the nearest.
        trigger = next((a for a in root.ancestors if a in candidates), None) or min(
            candidates, key=lambda t: abs(t.i - root.i)
        )
        category = ctx.doc[w.span.end : head.i + 1].text.strip(" -") if head.i >= w.span.end else None
        quantity = None
        for node in (head, head.head if head.dep_ == "appos" else None, root):
            if node is None:
                continue
            nums = [c for c in node.children if c.dep_ == "nummod"]
            if nums:
                quantity = parse_quantity(nums[0].text)
                break
        if quantity is None:
            quantity = _count_before(ctx.doc[max(sent.start, w.span.start - 5) : w.span.start])
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
            trigger.lemma_ in {"supply", "sell", "export", "deliver", "transfer", "ship"}
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
        linked_sides = sides(trigger, ms)  # the shared giver/receiver logic, where the parse gives it
        given, taken = actor_state(linked_sides.giver), actor_state(linked_sides.receiver)
        if given or taken:
            supplier, recipient = given or (supplier if supplier != taken else None), taken or recipient
            if supplier == recipient:
                recipient = None
        if supplier is None and recipient is None and not states and ctx.arms_pair:
            supplier, recipient = ctx.arms_pair  # no state in the sentence: the deal the text is about
        if supplier is None:  # "delivery of a number of X from Russia": "from" anywhere on the way up
            path = {root.i, trigger.i} | {a.i for a in root.ancestors}
            supplier = next(
                (
                    x.state
                    for x in ms
                    if x.state and x.span.root.head.lower_ == "from" and x.span.root.head.head.i in path
                ),
                None,
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
                            h.ent_type_ == "WEAPON" or fold(h.text) in _categories()
                            for h in (x.span.root.head, x.span.root.head.head)
                        )
                        or x.span.root
                        in _phrase(root).subtree  # "the system (the export version of China's X)"
                    )
                ),
                None,
            )
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
        if supplier and recipient and supplier in states and recipient in states:
            ctx.arms_pair = (supplier, recipient)
        args: dict[str, Any] = {
            "recipient": recipient,
            "system": w.m.text,
            "supplier": supplier,
            "category": category,
            "quantity": quantity,
        }
        own_date = [
            d for d in dates_in(ctx, sent) if d[0].span.root.head.head == head or d[0].span.root.head == head
        ]
        for t in trig:
            # Without a parse link, a date elsewhere in the list belongs to another system.
            date = own_date[0][1] if own_date else (date_near(ctx, sent, t) if parsed else None)
            role = "ordered" if t.lemma_ in order else "delivered"
            if role == "delivered" and modality(t) != "reported":
                continue  # "should be delivered in 2026", "will deliver in 2025": not yet
            if date and role not in args:
                args[role] = date
        out.append(make_event(ctx, "arms_transfer", args, [sent], trigger))
    return out


def _generic_head(t: Token) -> bool:
    """ "weapons", "fighter jets", "military equipment": arms named by kind only."""
    tr = triggers()["arms_transfer"]
    pair = f"{t.nbor(-1).lower_} {t.lower_}" if t.i > 0 else ""
    if t.lower_ in tr["generic"] or pair in tr["generic"]:
        return True
    return t.lower_ in tr["generic_qualified"] and any(c.lower_ in tr["military"] for c in t.lefts)


def _generic(ctx: DocContext, sent: Span, ms: list[Ment], trig: list[Token]) -> list[Event]:
    """Arms the text names only by kind ("a deal to buy weapons from X", "its supply of drones to Y"):
    one transfer with a generic system, when the parse gives a supplier and a recipient state."""
    not_transferred = set(triggers()["not_transferred"])
    for trigger in trig:
        objects = [*linked(trigger, "OBJ"), *(linked(trigger, "OF") if trigger.pos_ == "NOUN" else [])]
        found = next((o for o in objects if _generic_head(o)), None)
        if found is None or any(a.lemma_ in not_transferred for a in trigger.ancestors):
            continue
        linked_sides = sides(trigger, ms)
        supplier, recipient = actor_state(linked_sides.giver), actor_state(linked_sides.receiver)
        if not supplier or not recipient or supplier == recipient:
            continue
        last = max([found, *conjuncts(found)], key=lambda t: t.i)
        system = ctx.doc[found.left_edge.i : last.right_edge.i + 1].text.strip(" ,.")
        category = found.text if fold(found.text) in _categories() else None
        args = {"recipient": recipient, "system": system, "supplier": supplier, "category": category}
        role = "ordered" if trigger.lemma_ in triggers()["arms_transfer"]["order"] else "delivered"
        args[role] = date_near(ctx, sent, trigger)
        return [make_event(ctx, "arms_transfer", args, [sent], trigger)]
    return []
