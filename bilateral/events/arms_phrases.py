"""Arms transfers, phrase by phrase: a system's count and category however the parser hung them, the
other transfers a sentence reports beside a named system (a kind qualified by its type, the same
system with another count), and a document's later report of a transfer (`merge`)."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span, Token

from ..models import Event
from ..nlp.lexicon import fold, load
from ..values.numbers import parse_quantity
from .context import DocContext, Ment, dates_in, make_event, merge_within
from .links import conjuncts


@cache
def categories() -> set[str]:
    return {fold(c) for c in load().categories}


def _count_before(left: Span) -> int | None:
    """ "nine CH-92A drones", "42 latest-generation Rafale": a number however the parser hung it."""
    for t in reversed(list(left)):
        if t.like_num and not (t.text.isdigit() and len(t.text) == 4):
            return parse_quantity(t.text)
        if not (t.pos_ in ("ADJ", "PROPN") or t.text == "-"):
            return None
    return None


def count_of(ctx: DocContext, sent: Span, w: Ment, head: Token) -> int | None:
    """The count of one system: on its phrase ("54 K9 howitzers", "an Mi-24P helicopter": 1), never a
    count shared by coordinated systems ("five L-39 and Su-25 jets" gives neither a number)."""
    root = w.span.root
    if head != root and (root.dep_ == "conj" or any(c.dep_ == "conj" and c.ent_type_ for c in root.children)):
        return None
    if shared_tail(w) is not None:  # however the parser hung "five Yak-130 and Su-30 jets"
        return None
    for node in (head, head.head if head.dep_ == "appos" else None, root):
        if node is None:
            continue
        nums = [c for c in node.children if c.dep_ == "nummod" and not w.span.start <= c.i < w.span.end]
        if nums:
            return parse_quantity(nums[0].text)
    units = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "of" else None
    if units is not None and units.lemma_ in ("unit", "piece"):  # "six units of T-129 helicopters"
        nums = [c for c in units.children if c.dep_ == "nummod"]
        if nums:
            return parse_quantity(nums[0].text)
    if (
        head.tag_ == "NN"
        and fold(head.text) in categories()
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children)
    ):
        return 1
    return _count_before(ctx.doc[max(sent.start, w.span.start - 5) : w.span.start])


def category_of(ctx: DocContext, w: Ment, head: Token, weapons: list[Ment]) -> str | None:
    """The words between the system and its phrase head ("FK-3 air defence system"), after any
    other system coordinated with it ("L-39 and Su-25 jets": jets)."""
    start = max([w.span.end, *(x.span.end for x in weapons if w.span.end <= x.span.start < head.i)])
    tail = shared_tail(w)
    if head.i < start and tail is not None:  # "Yak-130 and Su-30 jets" with the first as the phrase
        end = next((t.i for t in ctx.doc[tail : tail + 3] if fold(t.text) in categories()), None)
        return ctx.doc[tail : end + 1].text if end is not None else None
    return ctx.doc[start : head.i + 1].text.strip(" -") or None if head.i >= start else None


def shared_tail(w: Ment) -> int | None:
    """Where the words after a run of coordinated systems begin ("L-39 and Su-25 jets": jets), when
    `w` is not the run's last system; they and a count before the run belong to all of them."""
    doc, i, after = w.span.doc, w.span.end, None
    while i + 1 < len(doc) and doc[i].lower_ in ("and", "or", ",") and doc[i + 1].ent_type_ == "WEAPON":
        i += 1
        while i < len(doc) and doc[i].ent_type_ == "WEAPON":
            i += 1
        after = i
    return after


def phrase(token: Token) -> Token:
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


UNTYPED = {"additional", "new", "more", "other", "further", "several", "various", "advanced", "modern",
           "latest", "same", "such", "many", "first", "second", "remaining", "associated"}  # fmt: skip


def kinds_beside(
    ctx: DocContext, sent: Span, head: Token, weapons: list[Ment], event: Event, trigger: Token
) -> list[Event]:
    """ "two Mi-8 helicopters and coastal radars", "three navy frigates and six Rafale jets": a
    kind qualified by its type, coordinated with a named system, is a transfer of its own with the same
    sides; a bare kind ("and missiles", "two helicopters") is only part of the package."""
    top = phrase(head)
    while top.dep_ == "conj" and top.head != top:
        top = top.head
    named = {t.i for x in weapons for t in x.span}
    out = []
    for kind in [top, *conjuncts(top)]:
        left = [c for c in kind.lefts if c.dep_ in ("amod", "compound")]
        typed = [c for c in left if c.is_lower and c.lower_ not in UNTYPED and c.ent_type_ != "STATE"]
        if kind == head or fold(kind.text) not in categories() or not typed:
            continue
        branches = {t.i for c in kind.children if c.dep_ == "conj" for t in c.subtree}
        if any(t.i in named for t in kind.subtree if t.i not in branches) or kind.left_edge.i - 1 in named:
            continue  # "four unmanned aerial vehicles (Wing Loong II drones)", "HQ-9 air defence systems"
        nums = [c for c in kind.children if c.dep_ == "nummod"]
        args = {k: v for k, v in event.args.items() if k in ("recipient", "supplier", "ordered", "delivered")}
        for date_ment, value in dates_in(ctx, sent):  # "and radar systems delivered in March": its own
            noun = next((a for a in date_ment.span.root.ancestors if a.pos_ in ("NOUN", "PROPN")), None)
            if noun == kind:
                args |= {k: value for k in ("ordered", "delivered") if k in args}
        args |= {
            "system": ctx.doc[left[0].left_edge.i : kind.i + 1].text,
            "category": ctx.doc[
                min([kind.i, *(c.i for c in left if fold(c.text) in categories())]) : kind.i + 1
            ].text,
            "quantity": parse_quantity(nums[0].text) if nums else None,
        }
        out.append(make_event(ctx, "arms_transfer", args, [sent], trigger))
    return out


# Nouns of a deal under which a second count of one system is another transfer ("an order of 18 X").
DEALS = {"order", "purchase", "contract", "deal", "delivery", "batch", "acquisition", "sale", "supply"}


def another_count(ctx: DocContext, sent: Span, w: Ment, event: Event, trigger: Token) -> list[Event]:
    """ "The four new Gripen jets join a previous order of 14 Gripens": the same system with
    another count in one sentence is another deal, with the same sides."""
    name = fold(w.m.text)
    for t in sent:
        if w.span.start <= t.i < w.span.end or fold(t.text) not in (name, name + "s"):
            continue
        nums = [c for c in t.children if c.dep_ == "nummod"]
        count = parse_quantity(nums[0].text) if nums else None
        dealt = any(a.lemma_ in DEALS for a in list(t.ancestors)[:3])  # not "24 Rafales in service"
        if count and dealt and count != event.args.get("quantity"):
            args = {
                k: v for k, v in event.args.items() if k in ("recipient", "supplier", "system", "category")
            }
            return [make_event(ctx, "arms_transfer", args | {"quantity": count}, [sent], trigger)]
    return []


# A part of an order delivered, not an order of its own: "the first batch of six Rafales".
_PART = re.compile(r"\b(?:batch|tranche|consignment)(?:es|s)? of\b", re.I)


def merge(events: list[Event]) -> list[Event]:
    """One document's later report of a transfer it reported before is that transfer: the three
    frigates named later by their class ("the three FDI-class frigates" after "three navy frigates",
    the name then the system's), or a batch of the systems ordered ("the first batch of six
    Rafales" of 42)."""
    return merge_within(events, "arms_transfer", _reported_before, _absorb)


def _reported_before(first: Event, later: Event) -> bool:
    a, b = first.args, later.args
    sides = (a.get("supplier"), a.get("recipient"))
    if None in sides or sides != (b.get("supplier"), b.get("recipient")):
        return False
    if a.get("quantity") and a.get("quantity") == b.get("quantity") and _generic_name(str(a["system"])):
        return _kind(a.get("category")) == _kind(b.get("category")) is not None
    part = b.get("quantity") and a.get("quantity") and b["quantity"] < a["quantity"]
    # of an order, not of another delivery ("24 delivered in 2017", "a batch of 12 in 2024")
    dated = all(not (a.get(r) and b.get(r) and a[r] != b[r]) for r in ("ordered", "delivered"))
    return (
        bool(part and dated)
        and fold(str(a["system"])) == fold(str(b["system"]))
        and bool(_PART.search(later.evidence[0].text))
    )


def _generic_name(system: str) -> bool:
    """A system named by its kind only ("navy frigates"): no capital or digit."""
    return not any(c.isupper() or c.isdigit() for c in system)


def _kind(category: object) -> str | None:
    """A category's head noun in the singular ("French frigates", "frigates": frigate)."""
    words = fold(str(category)).split() if category else []
    return words[-1].removesuffix("s") if words else None


def _absorb(first: Event, later: Event) -> None:
    if _generic_name(str(first.args["system"])) and not _generic_name(str(later.args["system"])):
        first.args["system"] = later.args["system"]  # the most specific name the text gives
    for role in ("delivered", "ordered"):
        if later.args.get(role) and not first.args.get(role):
            first.args[role] = later.args[role]
    first.evidence.extend(c for c in later.evidence if c not in first.evidence)
