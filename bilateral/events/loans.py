"""Loans: a bank, fund or state lends; a state or company borrows; credit lines, LoCs, financing.

Direction comes from `roles.sides` (the lender gives, the borrower takes); a development or state
bank named in the sentence is the lender. A country's debt stock is not a loan: a report needs an
amount, a purpose, or both sides named in the sentence itself.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..models import Event
from .amounts import money
from .context import DocContext, Ment, date_near, make_event, np_text, others, states_of
from .people import known_organisation
from .roles import actor_state, filler, is_state, sides

LOAN_WORDS = {"loan", "loans", "borrow", "lend", "loc", "locs"}
CREDIT_HEADS = {"line", "lines"}
PURPOSE_HEADS = {"construction", "development", "building", "expansion", "upgrade", "modernisation",
                 "modernization", "rehabilitation", "financing", "purchase"}  # fmt: skip
PURPOSE_VERBS = {"finance", "fund", "build", "construct", "cover", "develop", "buy"}
NOT_A_PURPOSE = {"nation", "country", "government", "state", "people"}
PROJECT_NOUNS = {"project", "programme", "program", "scheme", "railway", "line", "road", "highway", "bridge",
                 "plant", "port", "dam", "metro", "subway", "airport", "pipeline", "corridor"}  # fmt: skip
# A debt stock or a running total, not a loan: "owes $7bn in loans", "loans account for 20% of its debt",
# "has borrowed heavily over the past decade".
STOCK_VERBS = {"owe", "account", "total", "amount", "represent", "constitute"}
SPANS = ("since", "over the past", "over the last", "in recent years", "so far", "to date", "over the years")


def _total(sent: Span, trigger: Token) -> bool:
    """A debt stock or a running total: the amount is a country's debt, or the loans are summed over time."""
    verb = (
        trigger if trigger.pos_ == "VERB" else next((a for a in trigger.ancestors if a.pos_ == "VERB"), None)
    )
    if verb is not None and verb.lemma_ in STOCK_VERBS:
        return True
    if any(t.lemma_ == "debt" and t.pos_ == "NOUN" for t in sent) and any(
        t.lemma_ in STOCK_VERBS | {"hold", "stand"} for t in sent
    ):
        return True
    perfect = any(t.lemma_ == "have" and t.dep_ == "aux" for t in sent)
    low = sent.text.lower()
    years = [t for t in sent if t.like_num and len(t.text) == 4 and t.text.isdigit()]
    ranged = len(years) >= 2 and any(t.lower_ in ("between", "from") for t in sent)
    return (perfect and any(w in low for w in SPANS)) or ranged


def _banks(ms: list[Ment]) -> list[str]:
    """The banks a sentence names, each once: "Export-Import Bank of China (Eximbank)" is one lender."""
    found: dict[str, str] = {}
    for x in ms:
        if x.m.type == "organisation" and x.m.subtype == "bank":
            known = known_organisation(x.m.text)
            found.setdefault(known.name if known else x.m.text, x.m.text)
    return list(found.values())


def _generic(sent: Span, trigger: Token, ms: list[Ment], banks: list[str]) -> bool:
    """ "Yen loans: help given as loans to poorer states": loans in general, when
    the sentence names no state, bank or amount and the loans are a bare plural."""
    bare = trigger.tag_ == "NNS" and not any(c.dep_ in ("det", "poss", "nummod") for c in trigger.children)
    return bare and not banks and not states_of(ms) and not money(sent.text)


def _credit_line(token: Token) -> Token | None:
    return next((a for a in list(token.ancestors)[:3] if a.lower_ in CREDIT_HEADS), None)


def _triggers(ctx: DocContext, sent: Span, banks: list[str]) -> list[Token]:
    out = []
    for t in ctx.having(sent, ("loan", "borrow", "lend", "credit", "finance", "financing"), LOAN_WORDS):
        if ctx.in_quote(t.idx, t.idx + 1):
            continue
        if t.lower_ in LOAN_WORDS or t.lemma_ in ("loan", "borrow", "lend"):
            out.append(t)
        elif t.lemma_ == "credit" and (line := _credit_line(t)) is not None:
            out.append(line)  # "line of credit", "a line of credit agreement"
        elif t.lemma_ == "credit" and any(c.lower_ in ("line", "lines") for c in t.rights):
            out.append(t)
        elif t.lemma_ in ("finance", "financing") and banks:
            out.append(t)  # "financed by Exim Bank": a lender finances with loans
    return out


def _aside(t: Token, trigger: Token) -> bool:
    """Inside a relative clause that does not hold the loan ("the order, which comes after the purchase of
    X, will be financed by a loan"): what the clause says is not what the loan is for."""
    return any(a.dep_ == "relcl" and trigger not in a.subtree for a in [t, *t.ancestors])


def _purpose(sent: Span, trigger: Token, ms: list[Ment]) -> str | None:
    for t in sent:
        if (
            t.lower_ in PURPOSE_HEADS
            and t.pos_ == "NOUN"
            and any(c.lower_ == "of" for c in t.children)
            and not _aside(t, trigger)
        ):
            return np_text(t)
    for t in sent:
        if t.i < trigger.i - 2:
            continue
        if t.lower_ == "for" or (t.lemma_ in PURPOSE_VERBS and t.pos_ == "VERB"):
            for obj in (c for c in t.children if c.dep_ in ("pobj", "dobj")):
                share = any(
                    c.ent_type_ == "PERCENT" or c.lower_ in ("%", "percent", "cent") for c in obj.subtree
                )
                itself = obj.lower_ in LOAN_WORDS or obj.lemma_ in ("loan", "credit", "financing")
                if obj.lemma_ in NOT_A_PURPOSE or _actor(obj, ms) or obj.like_num or share or itself:
                    continue
                return np_text(obj)
    return None


def _project(obj: Token) -> bool:
    """ "for the Lima Metro project": what a loan is for, whatever name is beside the noun (not "for
    Sonangol" or "for the Kenyan government", who take it)."""
    return obj.pos_ == "NOUN" and obj.lemma_ in PROJECT_NOUNS


def _actor(obj: Token, ms: list[Ment]) -> str | None:
    return None if _project(obj) else filler(obj, ms)


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    """One loan per lender in a sentence ("CDB lent $1bn and Exim Bank $2bn").

    (Fusion names an event by its key roles and first sentence, so two loans between the same
    lender and borrower in one sentence would collide; the first one is kept.)
    """
    banks = _banks(ms)
    out: list[Event] = []
    seen: set[str] = set()
    triggers = _triggers(ctx, sent, banks)
    if len(banks) >= 2 and any(t.lower_ == "respectively" for t in sent) and triggers:
        triggers = triggers[:1] * len(banks)  # one loan per bank named, each with its own amount
    for n, trigger in enumerate(triggers):
        event = _loan(ctx, sent, ms, trigger, banks[n:] + banks[:n] if len(triggers) > 1 else banks)
        if event is None:
            continue
        key = f"{event.args['lender']}|{event.args['borrower']}"
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out


def _loan(ctx: DocContext, sent: Span, ms: list[Ment], trigger: Token, banks: list[str]) -> Event | None:
    found = sides(trigger, ms)
    if not is_state(found.receiver) and any(
        _project(o) for f in trigger.children if f.lower_ == "for" for o in f.children
    ):
        found.receiver = None  # a name beside the project the loan is for
    explicit = found.giver is not None and found.receiver is not None
    lender = found.giver or (banks[0] if banks else None)
    borrower = found.receiver
    if borrower is None:  # "projects in Serbia": the host borrows
        borrower = next((x.state for x in ms if x.state and x.span.root.head.lower_ == "in"), None)
    states = states_of(ms)
    remembered = ctx.loan_pair
    if lender is None and borrower is None and remembered and (not states or set(remembered) <= set(states)):
        lender, borrower = remembered  # "the next loan is for ...": the sides the text gave before
    if lender is None and borrower is None and states:
        borrower = states[0]  # no side stated: the state named first borrows (the host of the project)
    lender = (
        lender or next(iter(others(states, borrower)), None) or next(iter(others(ctx.pair, borrower)), None)
    )
    home = actor_state(lender)  # "China Development Bank" lends for China, to someone else
    if borrower is None or borrower == lender:
        borrower = next(iter(others(states, lender, home)), None) or next(
            iter(others(ctx.pair, lender, home)), None
        )
    amounts = money(sent.text)
    near = min(amounts, key=lambda a: abs(sent.start_char + a.start - trigger.idx), default=None)
    if len(banks) >= 2 and len(amounts) >= len(banks) and any(t.lower_ == "respectively" for t in sent):
        # "A and B ... $1bn and $2bn respectively": the banks in the order the text names them
        order = _banks(ms)
        near = amounts[order.index(lender)] if lender in order else near
    if _total(sent, trigger) or _generic(sent, trigger, ms, banks):
        return None  # "since 1992, Japan has provided ... in loans", "owes $7bn in loans": a total
    purpose = _purpose(sent, trigger, ms)
    if not lender or not borrower or lender == borrower or not (near or purpose or explicit):
        return None
    if (found.giver or banks) and found.receiver:
        ctx.loan_pair = (str(lender), str(borrower))
    args = {
        "lender": lender,
        "borrower": borrower,
        "purpose": purpose,
        "value": near.value if near else None,
        "date": date_near(ctx, sent, trigger),
    }
    return make_event(ctx, "loan", args, [sent], trigger)
