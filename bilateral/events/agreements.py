"""Agreements: an instrument the text says was signed, concluded or established."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span, Token

from ..models import Event
from .context import (
    DocContext,
    Ment,
    dates_in,
    make_event,
    np_text,
    states_of,
)
from .links import conjuncts, linked, sentence_of
from .people import known_organisation
from .roles import actor_state, partner, subject
from .titles import title
from .triggers import kinds, triggers


def _signers(verb: Token, ms: list[Ment]) -> list[str]:
    """The people who sign: "X and Y signed", "signed by X and Y", "X signed for A while Y signed for B"."""
    verbs = [verb] + [
        v for v in sentence_of(verb) if v is not verb and v.lemma_ == "sign" and v.pos_ == "VERB"
    ]
    verbs += [v.head for v in verbs if v.dep_ == "conj"]  # "X and Y signed and exchanged notes"
    subjects = [s for v in verbs for s in linked(v, "SUBJ", "AGENT")]
    # "The chairman of A, X, and Y, Head of B, signed": everyone named in the subject phrase signs.
    inside = {t.i for s in subjects for t in s.subtree}
    return list(dict.fromkeys(x.m.text for x in ms if x.m.type == "person" and x.span.root.i in inside))


VAGUE = {"several", "some", "various", "many", "numerous", "other"}  # counts that specify nothing
# Nouns that count or package the instruments ("a range of treaties", "$50 billion of agreements").
QUANTITY_NOUNS = {
    "range",
    "series",
    "number",
    "set",
    "package",
    "batch",
    "raft",
    "slew",
    "host",
    "total",
    "exchange",
}


def _named_signing(token: Token, ms: list[Ment]) -> bool:
    """ "“X, chairman of A, and Y signed the contract ...,” the company said": a report, not talk."""
    verb = token.head if token.dep_ == "dobj" else None
    return verb is not None and verb.lemma_ == "sign" and len(_signers(verb, ms)) >= 2


def _through_quantities(token: Token) -> Token:
    """The noun phrase a trigger sits in when it is counted or valued ("a range of treaties"), or when
    it qualifies what was signed ("signed a line of credit agreement", as the parser often reads it)."""
    node = token
    while (
        node.dep_ == "pobj"
        and node.head.lower_ == "of"
        and (
            node.head.head.lower_ in QUANTITY_NOUNS
            or node.head.head.pos_ in ("NUM", "SYM")
            or (node.head.head.dep_ == "dobj" and node.head.head.head.lemma_ in SIGN)
        )
    ):
        node = node.head.head
    return node


SIGN = {"sign", "ink"}  # verbs whose object is an instrument whatever it is called


def _signed_object(t: Token, ms: list[Ment]) -> bool:
    """ "signed a logistics park project with X": the object of a signing with a named other side."""
    return (
        t.dep_ == "dobj"
        and t.pos_ in ("NOUN", "PROPN")
        and t.head.lemma_ in SIGN
        and t.head.pos_ == "VERB"
        and t.lower_ not in QUANTITY_NOUNS
        and not t.ent_type_
        and partner(t.head, ms) is not None
    )


def _we_signed(token: Token) -> bool:
    """ "We ... signed a joint statement": a party reports its own signing, in a quotation too."""
    verb = token.head if token.dep_ == "dobj" else None
    if verb is None or verb.lemma_ not in SIGN:
        return False
    subjects = linked(verb, "SUBJ") or (linked(verb.head, "SUBJ") if verb.dep_ == "conj" else [])
    return any(s.lower_ == "we" for s in subjects)


def _two(noun: Token) -> bool:
    """ "the two leaders", "both presidents"."""
    return any(c.lower_ in ("two", "both") for c in noun.children)


def _singled_out(t: Token, rank: dict[str, int]) -> list[Token]:
    """Other instruments the sentence names beside the first: coordinated with it ("a free trade
    agreement and a visa waiver agreement") or singled out of a batch ("12 documents, including X")."""
    included = [o for p in t.children if p.lower_ == "including" for o in p.children if o.dep_ == "pobj"]
    found = [*conjuncts(t), *included, *(c for o in included for c in conjuncts(o))]
    return [c for c in dict.fromkeys(found) if c.lemma_.lower() in rank and c.pos_ in ("NOUN", "PROPN")]


def _sides(between: Token) -> list[str]:
    """ "between Chile's Valparaiso and Peru's Callao" -> the two sides as the text names them (read
    from the words: the small model often hangs one side's name on the other)."""
    text = between.doc[between.i + 1 : between.right_edge.i + 1].text.strip(" ,;")
    return [re.sub(r"^(?:the|a|an)\s+", "", side, flags=re.I) for side in re.split(r"\s+and\s+", text)]


def _several(t: Token, governor: Token) -> list[tuple[list[str] | None, Token | None]]:
    """Instruments a plural trigger names one by one: one per pair of sides ("agreements on twin
    cities between A and B, as well as between C and D") or per purpose ("memorandums were signed for
    the joint funding of X and the joint promotion of Y"): (its sides, its purpose)."""
    if t.tag_ != "NNS":
        return []
    pairs = [_sides(p) for p in t.subtree if p.dep_ == "prep" and p.lower_ == "between"]
    if len(pairs) >= 2 and all(len(sides) == 2 for sides in pairs):
        return [(sides, None) for sides in pairs]
    for prep in (*governor.children, *t.children):
        obj = next((o for o in prep.children if o.dep_ == "pobj"), None)
        if prep.lower_ in ("for", "on") and obj is not None:
            # A coordinated phrase with its own determiner after it is a second purpose ("and the joint
            # promotion of ...", wherever the parser hangs it); "in ports and airports" is one.
            more = [
                c
                for c in sentence_of(t)
                if c.i > obj.i
                and c.head.i > prep.i
                and c.dep_ == "conj"
                and c.pos_ == "NOUN"
                and any(d.dep_ == "det" for d in c.children)
            ]
            if more:
                return [(None, obj), *((None, c) for c in more)]
    return []


def _what(purpose: Token | None) -> str:
    """What one of several instruments is for: its title's tail (sides are its parties)."""
    return f" for {np_text(purpose)}" if purpose is not None else ""


def _parsed_parties(t: Token, clauses: list[Token], verbs: set[str], ms: list[Ment]) -> list[str]:
    """The states the parse makes parties, when it names two: the signing's subject or agent and its
    "with"/"between" objects ("a pact signed by A, B and C", not D the sentence also names)."""
    signing = [v for v in clauses if v.pos_ in ("VERB", "AUX") and v.lemma_ in verbs]
    heads = [p for v in signing for p in linked(v, "SUBJ", "AGENT", "WITH", "BETWEEN")]
    inside = {w.i for p in [*heads, *linked(t, "WITH", "BETWEEN")] for w in p.subtree}
    found = states_of([x for x in ms if x.span.root.i in inside])
    return found if len(found) >= 2 else []


def _quoted_speech(ctx: DocContext, t: Token) -> bool:
    """Inside a quotation of speech, not a name in quotation marks ("elevate ties to a "strategic
    partnership""): a quoted phrase of four words or fewer without a verb names something."""
    for qs, qe in ctx.quotes:
        if qs <= t.idx < qe:
            inside = [w for w in sentence_of(t) if qs <= w.idx < qe and not w.is_punct]
            return len(inside) > 4 or any(w.pos_ in ("VERB", "AUX") for w in inside)
    return False


def _home(x: Ment, ms: list[Ment]) -> str | None:
    """The state an organisation belongs to: named in it ("Latvian Ministry of Defence") or in its
    apposition ("BSPA, Bulgaria's sales agency")."""
    known = known_organisation(x.m.text)
    if home := (known.country if known else None) or actor_state(x.m.text):
        return home
    below = {w.i for a in x.span.root.children if a.dep_ == "appos" for w in a.subtree}
    return next((y.state for y in ms if y.state and y.span.root.i in below), None)


def _same_org(name: str) -> str:
    known = known_organisation(name)
    return known.name if known else name


def _one_side_once(parties: list[str], orgs: list[str], ms: list[Ment]) -> list[str]:
    """A state and its own ministry or agency are one side: "a contract with the Latvian Ministry of
    Defence" has the ministry as a party, not Romania beside it."""
    homes = {_home(x, ms) for x in ms if x.m.type == "organisation" and x.m.text in orgs}
    return [p for p in parties if p not in homes]


def _previous(ctx: DocContext, sent: Span) -> list[Span]:
    i = next((n for n, s in enumerate(ctx.sents) if s.start == sent.start), 0)
    return ctx.sents[i - 1 : i] if i > 0 else []


def agreement_kind(text: str) -> str:
    low = text.lower()
    for kind, words in kinds("agreement_kinds"):
        if words.search(low):
            return kind
    return "other"


@cache
def _rank() -> dict[str, int]:
    """The agreement nouns, by the order in which a sentence's candidates are tried."""
    return {n: i for i, n in enumerate(triggers()["agreement"]["nouns"])}


def extract(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["agreement"]
    base_verbs = set(tr["verbs"])
    out = []
    rank = _rank()
    # The tokens' strings from the document's arrays, a Token made only for a candidate (SPEED).
    doc, words = ctx.doc, ctx.words()
    ranked = words.where("folded", sent.start, sent.end, rank)
    nouns = [i for i in ranked if words.pos[i] in ("NOUN", "PROPN")]
    candidates = [doc[i] for i in sorted(nouns, key=lambda i: rank[words.folded[i]])]
    candidates += ctx.having(sent, ("tie", "relation"))
    candidates += [
        doc[i]
        for i in words.where("dep", sent.start, sent.end, ("dobj",))
        if words.folded[i] not in rank and words.lemma[words.head[i]] in SIGN and _signed_object(doc[i], ms)
    ]
    for t in candidates:
        if _quoted_speech(ctx, t) and not (_named_signing(t, ms) or _we_signed(t)):
            continue  # a quotation reports a signing when it names who signed ("X and Y signed", "we signed")
        verbs = base_verbs
        diplomatic = (
            t.lemma_ in ("tie", "relation")
            and any(c.lower_ in tr["diplomatic"] for c in t.children)
            and t.head.lemma_ in ("establish", "normalize", "normalise", "restore", "resume")
        )
        node = _through_quantities(t)
        first = node
        while first.dep_ == "conj" and first.head != first:  # "signed business and arms deals"
            first = first.head
        governor = first.head.head if first.dep_ == "pobj" else first.head
        if t.lemma_ == "partnership":
            verbs = verbs | set(tr["partnership_verbs"])  # "upgraded ties to a strategic partnership"
        signed_verb = (
            node.dep_ in ("dobj", "nsubjpass", "pobj", "conj", "appos")
            and any(
                (v.lemma_ in verbs and v.pos_ in ("VERB", "AUX")) or v.lower_ == "signing"
                for v in (governor, node.head)
            )
        ) or any(c.dep_ == "acl" and c.lemma_ in verbs for c in t.children)
        if not diplomatic and not ((t.lemma_.lower() in rank or _signed_object(t, ms)) and signed_verb):
            continue
        if any(a.lemma_ == "invite" for a in t.ancestors):
            continue  # "invited X to witness the signing of the deals": a signing still to come
        if t.lemma_ == "statement" and not any(c.lower_ == "joint" for c in t.children):
            continue  # only a joint statement is an instrument
        exchange = (t.head.lower_ == "of" and t.head.head.lower_ == "exchange") or t.head.lemma_ == "exchange"
        joint = any(c.lower_ in ("interpretive", "diplomatic", "joint") for c in t.children)
        if t.lemma_.lower() in ("note", "notes") and not (exchange or joint):
            continue  # an exchange of notes, a joint or interpretive note: not any note
        if t.lemma_ == "arrangement" and not any(c.dep_ in ("compound", "amod") for c in t.children):
            continue  # "a currency swap arrangement", not "the arrangements for the delivery"
        if t.lemma_ == "swap" and not any(c.lower_ in ("currency", "swap") for c in t.lefts):
            continue
        perfect = governor.pos_ in ("VERB", "AUX") and any(c.lemma_ == "have" for c in governor.children)
        counted = any(c.dep_ == "nummod" and c.like_num and c.ent_type_ != "MONEY" for c in node.children)
        if perfect and counted and node.tag_ == "NNS" and not dates_in(ctx, sent):
            continue  # "have signed 43 agreements": a running total, not a signing
        phrase = title(t, node)
        window = (
            " ".join(x.m.text for x in ms if x.m.type == "agreement")
            + " "
            + ctx.doc[max(sent.start, t.i - 6) : min(sent.end, t.right_edge.i + 1)].text
        )
        kind = "diplomatic_relations" if diplomatic else agreement_kind(window)
        if kind == "other":
            kind = agreement_kind(sent.text)
        bare = not any(
            c.dep_ in ("compound", "amod", "nmod") or (c.dep_ == "prep" and c.lower_ in ("of", "on", "with"))
            for c in t.children
        )
        if kind == "other" and t.tag_ == "NN" and bare:  # "the agreement", "a pact": the sentence before says
            kind = next(
                (k for n in _previous(ctx, sent) if (k := agreement_kind(n.text)) != "other"), "other"
            )
        parties = _parsed_parties(t, [governor, *linked(t, "CLAUSE")], verbs, ms) or states_of(ms)
        # Organisations the parse names as the other side: "with X", "between A and the EU".
        sides_of = {w.i for h in (t, governor) for p in linked(h, "WITH", "BETWEEN") for w in p.subtree}
        orgs = [x.m.text for x in ms if x.m.type == "organisation" and x.span.root.head.lower_ == "with"]
        if len(parties) + len(orgs) < 2:
            orgs += [
                x.m.text
                for x in ms
                if x.m.type == "organisation" and x.span.root.i in sides_of and x.m.text not in orgs
            ]
        signer = subject(governor, ms) if governor.pos_ in ("VERB", "AUX") else None
        people = _signers(governor, ms) if governor.pos_ in ("VERB", "AUX") else []
        if signer and signer not in parties and (other := partner(governor, ms)):
            parties, orgs = [signer, other], []  # "Naval Group signed an MoU with PT PAL"
        elif people and len(parties) < 2:
            parties = list(dict.fromkeys(parties + ctx.pair))  # "X and Y signed": their two states
        # The parties may be named by reference: "the two countries", "a bilateral plan", "they signed".
        collective = (
            any(w.lemma_ in ("two", "both") and w.head.lemma_ in tr["collective"] for w in sent)
            or any(
                _two(c) and c.lemma_ in tr["collective_people"]
                for c in governor.children
                if c.dep_ == "nsubj"
            )
            or any(c.lower_ == "bilateral" for c in t.children)
            or any(c.dep_ == "nsubj" and c.lower_ in ("they", "both") for c in governor.children)
            or _we_signed(t)
        )
        if not parties and not orgs and not collective:
            continue  # nobody in the sentence is a party: a general remark, not a report
        by_name: dict[str, str] = {}
        for o in orgs:  # "Export-Import Bank of China (Eximbank)" is one party
            by_name.setdefault(_same_org(o), o)
        orgs = list(by_name.values())
        parties = _one_side_once(parties, orgs, ms)
        homes = {_home(x, ms) for x in ms if x.m.text in orgs}
        if orgs and not parties and len(homes) == 1 and None not in homes:
            # "agreements were reached with A Bank and B Bank": the banks are one side, the other is the
            # document's other state
            parties = [s for s in ctx.pair if s not in homes][:1]
        if len(parties) + len(orgs) < 2:
            homes = {_home(x, ms) for x in ms if x.m.text in orgs}
            parties += [s for s in ctx.pair if s not in parties and s not in homes][
                : 2 - len(parties) - len(orgs)
            ]
        inside = {i.i for i in t.subtree}
        titled = [x for x in ms if x.m.type == "agreement" and x.span.root.i in inside] or [
            x for x in ms if x.m.type == "agreement" and x.span.start <= t.i < x.span.end + 3
        ]
        if t.lemma_ == "partnership" and kind != "strategic_partnership" and not titled:
            continue  # "strong partnerships with ...": a relationship, not a signed document
        signed = effective = None
        for x, value in dates_in(ctx, sent, since=True):  # "in force since 1 July"
            lead = ctx.doc[max(sent.start, x.span.start - 4) : x.span.start]
            if any(w.lower_ in ("effect", "force", "effective") for w in lead):
                effective = value
            elif signed is None and not any(w.lower_ == "since" for w in lead):
                signed = value
        args = {
            "parties": parties + orgs,
            "kind": kind,
            "title": titled[0].m.text if titled else phrase,
            "signed": signed,
            "effective": effective,
        }
        several = _several(t, governor)
        for sides, purpose in several:
            kind_of = agreement_kind(np_text(purpose)) if purpose is not None else "other"
            one = {
                **args,
                "parties": sides or args["parties"],
                "kind": kind_of if kind_of != "other" else args["kind"] if sides else "other",
                "title": (phrase or np_text(t)).replace(t.text, t.lemma_, 1) + _what(purpose),  # one of them,
            }
            out.append(make_event(ctx, "agreement", one, [sent], t))
        singled = _singled_out(t, rank)
        # "signed several agreements, including an FTA": the FTA is reported, the rest is unspecified
        vague = singled and any(c.lower_ in VAGUE for c in t.children)
        if not several and not vague:
            out.append(make_event(ctx, "agreement", args, [sent], t))
        for named in singled:  # "an FTA and a visa agreement", "12 documents, including X"
            kind_of = agreement_kind(np_text(named))
            more = {
                **args,
                "kind": kind_of if kind_of != "other" else args["kind"],
                "title": title(named, named),
            }
            out.append(make_event(ctx, "agreement", more, [sent], named))
        signers = _signers(governor if governor.pos_ == "VERB" else t.head, ms)
        if len(signers) >= 2:  # two named people signing together met to do so
            occasion = f"signing of {args['title'] or np_text(t)}"
            meeting = {"participants": signers, "date": signed, "occasion": occasion}
            out.append(make_event(ctx, "meeting", meeting, [sent], governor))
        break
    return out
