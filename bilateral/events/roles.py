"""Shared role linking: who gives and who receives, from the parse around a trigger.

The direction logic of every two-sided event lives here. A verb of giving (sell, supply, lend,
extend, invest) has the giver as subject or passive agent and the receiver after "to"/"for"; a
verb of taking (buy, order, borrow, receive, sign) has the receiver as subject and the giver after
"from"/"with". A trigger noun is linked through the verb that governs it ("signed a loan with X"),
through a possessive or adjectival state ("Russian loan") and through "from X" on the noun itself.
One state never fills both sides.

The grammatical links themselves (subject, agent, "from"/"to" objects, modifiers, apposition,
coordination) are data: DependencyMatcher patterns in `lang/en/roles.json`, found by `links`. This
module decides which link gives which side and in what order they are tried.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ..nlp.lexicon import load
from .context import Ment
from .links import conjuncts, linked

GIVE = {
    "sell", "supply", "deliver", "export", "transfer", "ship", "lend", "extend", "provide", "grant", "give",
    "offer", "pledge", "approve", "issue", "finance", "fund", "disburse", "invest", "loan", "hand",
}  # fmt: skip
TAKE = {
    "buy", "order", "purchase", "acquire", "procure", "receive", "obtain", "borrow", "take", "secure",
    "get", "seek", "sign", "import", "induct", "accept", "raise", "repay", "conclude", "ink",
}  # fmt: skip
# Verbs that only carry a trigger noun: their subject does what the noun says.
LIGHT = {
    "start",
    "begin",
    "complete",
    "finalize",
    "finalise",
    "resume",
    "continue",
    "announce",
    "confirm",
    "make",
}
TAKE_NOUNS = {"order", "purchase", "acquisition", "procurement", "import", "buy", "borrowing", "induction"}
# Common nouns that stand for their state when a state qualifies them ("the Serbian government").
QUALIFIED = {"government", "state", "authority", "side", "consortium", "investor", "firm", "company", "fund"}


@dataclass
class Sides:
    giver: str | None = None
    receiver: str | None = None


def filler(token: Token, ms: list[Ment], plural_np: bool = False) -> str | None:
    """The actor a noun token names: a state's code, an organisation's name or, for a plural common
    noun qualified by a state ("French banks"), that phrase when `plural_np`."""
    for x in ms:
        if x.span.start <= token.i < x.span.end and not x.in_name:
            if x.state:
                return x.state
            if x.m.type == "organisation":
                return x.m.text
    if token.pos_ in ("PROPN", "NOUN") and token.is_upper and len(token.text) >= 3 and not token.ent_type_:
        return token.text  # an acronym the model missed ("COSCO agreed to buy"): an organisation
    if (
        token.pos_ == "PROPN"
        and token.ent_type_ in ("", "ORG")
        and not any(x.span.start <= token.i < x.span.end for x in ms)
    ):
        return _proper_name(token)  # a company the model missed ("Saudi Aramco said it signed")
    if plural_np and token.pos_ == "NOUN" and token.tag_ == "NNS":
        mods = [c for c in linked(token, "MODIFIER") if state_of(c, ms)]
        if mods:
            return token.doc[mods[0].i : token.i + 1].text
    if token.pos_ == "NOUN":
        for led in linked(token, "LED_BY"):  # "a consortium led by ADQ"
            if who := next((w for c in [led, *conjuncts(led)] if (w := filler(c, ms))), None):
                return who
        for child in linked(token, "APPOSITION"):  # "the Italian shipbuilder Fincantieri": the name beside it
            if who := filler(child, ms):
                return who
        if token.lemma_ in QUALIFIED or (plural_np and token.tag_ == "NNS"):
            return modifier_state(token, ms)  # "the Egyptian government", "Chinese investors"
    return None


def _proper_name(token: Token) -> str:
    """The proper-noun phrase ending at `token`, hyphenated parts included ("Ras El-Hekma")."""
    start, doc = token.i, token.doc
    while start > 0:
        prev = doc[start - 1]
        # "Ras El-Hekma"; "COSCO Shipping", its acronym tagged a noun
        acronym = prev.dep_ == "compound" and prev.is_upper and prev.is_alpha
        joined = prev.pos_ == "PROPN" or (prev.text in ("-", "–") and not prev.whitespace_) or acronym
        if not (joined and start - 1 <= prev.head.i <= token.i):
            break
        start -= 1
    return doc[start : token.i + 1].text


def is_state(actor: str | None) -> bool:
    """Is the actor a state's code, not an organisation's name of three capitals ("BYD", "ADQ")?"""
    return actor is not None and len(actor) == 3 and actor in load().states


def actor_state(actor: str | None) -> str | None:
    """A state's code, or the state an organisation's name carries ("Turkish Aerospace", "Bank of China")."""
    if actor is None or is_state(actor):
        return actor
    lex = load()
    words = actor.replace("-", " ").split()
    return next((s for w in words if (s := lex.state_for(w))), None)


def state_of(token: Token, ms: list[Ment]) -> str | None:
    return next((x.state for x in ms if x.state and x.span.start <= token.i < x.span.end), None)


def modifier_state(noun: Token, ms: list[Ment]) -> str | None:
    """A state qualifying a noun: "Russian loan", "India's line of credit"."""
    return next((s for c in linked(noun, "MODIFIER") if (s := state_of(c, ms))), None)


def prep_object(token: Token, ms: list[Ment], preps: set[str], plural_np: bool = False) -> str | None:
    """The actor after one of `preps` under `token` ("to Bangladesh", "from French banks")."""
    for obj in linked(token, "DATIVE", *(p.upper() for p in preps)):
        for each in [obj, *conjuncts(obj)] if obj.dep_ == "pobj" else [obj]:
            if who := filler(each, ms, plural_np):
                return who
    return None


def subject(verb: Token, ms: list[Ment], passive: bool = False) -> str | None:
    """The actor that is the subject (or, with `passive`, the agent) of a verb."""
    labels: tuple[str, ...] = ("AGENT",) if passive else ("SUBJ",)
    node = verb
    for _ in range(3):
        for target in linked(node, *labels):
            if linked(target, "CONJ"):
                return None  # "Japan and Laos signed": both sides, no direction
            if who := filler(target, ms, True):
                return who
            if target.lower_ in ("it", "they") and node.dep_ == "ccomp":
                return subject(node.head, ms)  # "Hanwha announced it has signed": Hanwha
        if node.dep_ == "relcl" and not passive:
            if node.head.dep_ == "dobj" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
                node = node.head.head  # "A signed a deal to buy": A buys
                continue
            return filler(node.head, ms, True)  # "companies that received loans"
        if node.dep_ in ("conj", "xcomp", "advcl") and not linked(node, *labels):
            if node.dep_ == "xcomp" and not passive:  # "A is expected to hold talks": A holds them
                labels = ("SUBJ", "PASSIVE_SUBJ")
            node = node.head
            continue
        if node.dep_ == "acl" and node.head.dep_ in ("dobj", "pobj"):  # "signed a deal ... to invest"
            node = node.head.head if node.head.dep_ == "dobj" else node.head.head.head
            continue
        break
    return None


def partner(verb: Token, ms: list[Ment]) -> str | None:
    """The other side of a signing: "signed with X" or "signed an agreement with X"."""
    found = prep_object(verb, ms, {"with"}, True)
    heads = [verb, *(t for obj in linked(verb, "OBJ") for t in obj.subtree)]
    for head in heads:
        found = found or prep_object(head, ms, {"with"}, True)
    for pobj in (g for head in heads for g in linked(head, "WITH")):
        if found is None and pobj.pos_ == "PROPN" and not pobj.ent_type_:  # a company the model missed
            found = pobj.doc[pobj.left_edge.i : pobj.i + 1].text
    return found


def governing_verb(token: Token) -> Token | None:
    """The verb whose object (or object's preposition) a trigger noun is."""
    for a in [token, *token.ancestors]:
        if a.pos_ in ("VERB", "AUX") and a is not token:
            return a
    return None


def sides(trigger: Token, ms: list[Ment]) -> Sides:
    """Giver and receiver of the thing a trigger names (a loan, a delivery, an investment)."""
    out = Sides()
    noun = trigger if trigger.pos_ in ("NOUN", "PROPN") else None
    verb = trigger if trigger.pos_ == "VERB" else governing_verb(trigger)
    if noun is not None:
        out.giver = prep_object(noun, ms, {"from", "by"}, True)
        out.receiver = prep_object(noun, ms, {"to", "for"})
        owner = modifier_state(noun, ms)  # "Indonesia's order" is the buyer's, "Russian loan" the lender's
        if noun.lemma_ in TAKE_NOUNS:
            out.receiver = out.receiver or owner
        else:
            out.giver = out.giver or owner
    if verb is not None:
        passive = bool(linked(verb, "PASSIVE_SUBJ", "PASSIVE_AUX", "AGENT"))
        if passive and verb.lemma_ in TAKE:  # "purchased by X": the buyer takes
            out.receiver = out.receiver or subject(verb, ms, passive=True)
            out.giver = out.giver or prep_object(verb, ms, {"from"}, True)
        elif passive:
            out.giver = out.giver or subject(verb, ms, passive=True)
            out.receiver = out.receiver or prep_object(verb, ms, {"to", "for"})
            if out.receiver is None and verb.lemma_ in GIVE and linked(verb, "OBJ"):
                # "Mali was handed over six warplanes": the passive subject of a double object receives
                out.receiver = next((w for c in linked(verb, "PASSIVE_SUBJ") if (w := filler(c, ms))), None)
        elif verb.lemma_ in GIVE:
            out.giver = out.giver or subject(verb, ms)
            out.receiver = out.receiver or prep_object(verb, ms, {"to", "for"})
        elif verb.lemma_ in TAKE:
            out.receiver = out.receiver or subject(verb, ms)
            out.giver = out.giver or prep_object(verb, ms, {"from", "with"}, True)
            out.giver = out.giver or partner(verb, ms)
    if out.receiver is None and verb is not None and verb.lemma_ in GIVE and verb.dep_ in ("acl", "xcomp"):
        signing = verb.head.head if verb.dep_ == "acl" else verb.head  # "signed a contract with X to supply"
        out.receiver = partner(signing, ms) if signing.pos_ == "VERB" else None
    if noun is not None and verb is not None and verb.lemma_ in LIGHT and noun.dep_ in ("dobj", "nsubjpass"):
        doer = subject(verb, ms)  # "France has started the supply of X to Armenia"
        if noun.lemma_ in TAKE_NOUNS:
            out.receiver = out.receiver or doer
        else:
            out.giver = out.giver or doer
    if noun is not None and out.receiver is None:  # "the supply of X to Armenia", "to" under X
        out.receiver = next((w for t in noun.subtree for g in linked(t, "TO") if (w := filler(g, ms))), None)
    if out.giver == out.receiver:
        out.receiver = None
    return out
