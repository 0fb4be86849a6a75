"""Extract event candidates from one parsed document, sentence by sentence.

Triggers come from the trigger lexicon; roles from the dependency parse around the trigger
and the types of the entity mentions in the sentence, falling back to the document's main
pair of states where a bilateral article leaves a party implicit ("the two countries").
Every event cites its sentence; every value comes from the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..models import Event, Mention
from ..models import Span as Cite
from ..nlp.lexicon import fold
from ..nlp.mentions import key_for
from ..values.dates import resolve_date
from ..values.money import parse_money
from ..values.numbers import parse_percent, parse_quantity
from .ontology import triggers

QUOTES = re.compile(r"“([^”]{2,1500})”|\"([^\"\n]{2,1500})\"|„([^“”]{2,1500})[“”]")
PRONOUNS = {"he", "she"}
ROLE_NOUNS = {
    "chief",
    "minister",
    "president",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "head",
    "leader",
    "secretary",
    "ambassador",
    "researcher",
    "analyst",
    "official",
    "premier",
}


@dataclass
class Ment:
    """A mention in a sentence with its token span."""

    m: Mention
    span: Span

    @property
    def state(self) -> str | None:
        return self.m.iso3 if self.m.type in ("state", "place") and self.m.iso3 else None

    @property
    def in_name(self) -> bool:
        """A state word inside a proper name ("China-Serbia Friendship Bridge"): not an actor."""
        root = self.span.root
        head = root.head
        while head.dep_ == "compound" and head.head != head and head.ent_type_ == "STATE":
            head = head.head
        return root.dep_ == "compound" and head.pos_ == "PROPN" and head.ent_type_ != "STATE"

    @property
    def actor(self) -> str:
        """The value an actor role takes: an ISO code for a state or its capital, else the name."""
        return self.state or self.m.text


@dataclass
class DocContext:
    doc: Doc
    doc_id: str
    published: str | None
    mentions: list[Ment]
    pair: list[str] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""  # doc.text, which spaCy rebuilds on every access
    sents: list[Span] = field(default_factory=list)

    def sentences_between(self, start: int, end: int) -> list[Span]:
        return [s for s in self.sents if s.start_char < end and start < s.end_char]

    def in_quote(self, start: int, end: int) -> bool:
        return any(qs <= start and end <= qe for qs, qe in self.quotes)

    def sentence_mentions(self, sent: Span) -> list[Ment]:
        return [x for x in self.mentions if sent.start_char <= x.m.start and x.m.end <= sent.end_char]

    def person_before(self, char: int) -> Ment | None:
        """The last person named before `char` outside quotations: what "he" or "the minister" refers to."""
        best = None
        for x in self.mentions:
            if x.m.type == "person" and x.m.end <= char and not self.in_quote(x.m.start, x.m.end):
                best = x
        return best

    def cite(self, start: int, end: int) -> Cite:
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Cite(self.doc_id, start, end, text[start:end])


def _event(
    ctx: DocContext,
    type_: str,
    args: dict[str, Any],
    sents: list[Span],
    trigger: Token | None,
    role_spans: dict[str, Cite] | None = None,
) -> Event:
    date_role = {"arms_transfer": None, "agreement": "signed", "trade": "period"}.get(type_, "date")
    date = args.get(date_role) if date_role else (args.get("delivered") or args.get("ordered"))
    return Event(
        type=type_,
        args={k: v for k, v in args.items() if v not in (None, "", [])},
        evidence=[ctx.cite(s.start_char, s.end_char) for s in sents],
        modality=_modality(trigger) if trigger is not None else "reported",
        date=date,
        role_spans=role_spans or {},
    )


def _modality(trigger: Token) -> str:
    tr = triggers()
    chain = [trigger, *trigger.ancestors][:4]
    words = {c.lower_ for t in chain for c in t.children if c.dep_ in ("aux", "neg", "mark", "advmod")}
    words |= {c.lower_ for c in trigger.children if c.dep_ == "amod"}  # "the planned purchase"
    # The verbs above the trigger ("plans to buy"), not the trigger itself (a "plan" is a document).
    words |= {t.lower_ for t in chain[1:]} | {t.lemma_ for t in chain[1:]}
    if "not" in words or "n't" in words or "never" in words:
        return "negated"
    if words & set(tr["hypothetical"]) and not words & {"will"}:
        return "hypothetical"
    if words & set(tr["planned"]) or any(t.tag_ == "MD" and t.lower_ == "will" for t in trigger.sent):
        return "planned"
    return "reported"


# ------------------------------------------------------------------ shared role helpers


def _dates(ctx: DocContext, sent: Span) -> list[tuple[Ment, str]]:
    out = []
    for x in ctx.sentence_mentions(sent):
        if x.m.type == "date" and not ctx.in_quote(x.m.start, x.m.end):
            value = resolve_date(x.m.text, ctx.published)
            if value:
                out.append((x, value))
    return out


def _governs(token: Token, target: Token) -> bool:
    return token == target or target in token.ancestors


def _date_near(ctx: DocContext, sent: Span, anchor: Token) -> str | None:
    """The date attached to `anchor` in the parse, else the nearest date in the sentence."""
    dates = _dates(ctx, sent)
    if not dates:
        return None
    attached = [d for d in dates if _governs(anchor, d[0].span.root)]
    pool = attached or dates
    return min(pool, key=lambda d: abs(d[0].span.root.i - anchor.i))[1]


def _states(ms: list[Ment]) -> list[str]:
    seen: list[str] = []
    for x in ms:
        if x.state and x.state not in seen and not x.in_name:
            seen.append(x.state)
    return seen


def _subject_state(token: Token, ms: list[Ment], deps: tuple[str, ...] = ("nsubj",)) -> str | None:
    """The state that is the subject of `token`, directly or as a modifier ("Serbian armed forces")."""
    for child in token.children:
        if child.dep_ in deps:
            subtree = (
                {t.i for t in child.subtree}
                if child.dep_ == "agent"
                else {child.i}
                | {t.i for t in child.children if t.dep_ in ("amod", "compound", "poss", "nmod")}
            )
            for x in ms:
                if x.state and x.span.root.i in subtree:
                    return x.state
    if token.dep_ in ("conj", "xcomp") and token.head != token:
        return _subject_state(token.head, ms, deps)
    return None


def _prep_state(token: Token, ms: list[Ment], preps: set[str]) -> str | None:
    for child in token.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            for x in ms:
                if x.state and x.span.root.head == child:
                    return x.state
    return None


def _modifier(token: Token) -> bool:
    """A possessive or adjectival use ("China's", "Chinese"), however the parser attached it."""
    return token.dep_ in ("poss", "amod") or any(c.dep_ == "case" for c in token.children)


def _others(pair: list[str], *known: str | None) -> list[str]:
    return [s for s in pair if s not in known]


def _np_text(token: Token) -> str:
    """The noun phrase headed by `token` (without relative clauses and trailing punctuation)."""
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in ("compound", "amod", "nummod", "appos") or (
            child.dep_ == "prep" and child.lower_ == "of"
        ):
            right = max(right, child.right_edge.i)
    span = token.doc[left : right + 1]
    return span.text.strip(" ,.;:–-")


# ------------------------------------------------------------------ statements


def _statements(ctx: DocContext) -> list[Event]:
    events: list[Event] = []
    speech = set(triggers()["statement"])
    prev: Event | None = None
    prev_end = -1
    for qs, qe in ctx.quotes:
        quote = ctx.text[qs + 1 : qe - 1].strip(" ,.")
        sents = ctx.sentences_between(qs, qe)
        if not sents or not quote:
            continue
        speaker = _speaker_for_quote(ctx, sents, qs, qe, speech)
        between = ctx.text[prev_end:qs]
        if speaker is None:
            same_sentence = prev is not None and any(qs < e.end and prev_end > e.start for e in sents)
            if prev is not None and same_sentence and "\n" not in between and len(between) < 200:
                prev.args["quote"] += " " + quote
                prev.evidence.extend(
                    ctx.cite(s.start_char, s.end_char)
                    for s in sents
                    if ctx.cite(s.start_char, s.end_char) not in prev.evidence
                )
                prev_end = qe
            continue
        person, verb = speaker
        if len(quote.split()) < 4 and verb is None:
            continue
        date = None
        if verb is not None:
            dated = [
                d
                for d in _dates(ctx, verb.sent)
                if _governs(verb, d[0].span.root) and not qs <= d[0].m.start < qe
            ]
            date = dated[0][1] if dated else None
        prev = _event(ctx, "statement", {"speaker": person.m.text, "quote": quote, "date": date}, sents, verb)
        prev.role_spans["quote"] = ctx.cite(qs + 1, qe - 1)
        events.append(prev)
        prev_end = qe
    return events


def _speaker_for_quote(
    ctx: DocContext, sents: list[Span], qs: int, qe: int, speech: set[str]
) -> tuple[Ment, Token | None] | None:
    for sent in sents:
        for token in sent:
            if qs <= token.idx < qe:
                continue
            if token.lemma_ in speech and token.pos_ == "VERB":
                who = _person_subject(ctx, token)
                if who:
                    return who, token
            if token.lower_ == "according" and token.nbor(1).lower_ == "to":
                for x in ctx.sentence_mentions(sent):
                    if x.m.type == "person" and x.m.start > token.idx:
                        return x, None
        # "He said:" or "X remarked: “...”" — the colon introduces the quotation.
        before = ctx.text[sent.start_char : qs].rstrip()
        if before.endswith(":"):
            who = _person_subject(ctx, sent.root)
            if who:
                return who, sent.root
    return None


def _person_subject(ctx: DocContext, verb: Token) -> Ment | None:
    if verb.dep_ in ("advcl", "conj", "xcomp") and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
    ):
        verb = verb.head  # "X visited Y, describing ...": the participle shares X as subject
    for child in verb.children:
        if child.dep_ not in ("nsubj", "nsubjpass"):
            continue
        for x in ctx.sentence_mentions(verb.sent):
            if x.m.type == "person" and x.span.root == child:
                return x
        if child.lower_ in PRONOUNS or (child.pos_ == "NOUN" and child.lemma_.lower() in ROLE_NOUNS):
            return ctx.person_before(child.idx)
    return None


def _indirect_statements(ctx: DocContext, sent: Span) -> list[Event]:
    """'X said that ...', 'X described Y as ...', '..., he notes, ...', '... according to X'."""
    if any(sent.start_char <= qs < sent.end_char for qs, _ in ctx.quotes):
        return []
    speech = set(triggers()["statement"])
    out = []
    for token in sent:
        if token.pos_ != "VERB" or token.lemma_ not in speech:
            continue
        if token.dep_ in ("advcl", "conj") and token.head.lemma_ in speech:
            continue  # "described X as Y, emphasizing Z": one statement, reported by its head verb
        who = _person_subject(ctx, token)
        if who is None:
            continue
        comp = [c for c in token.children if c.dep_ == "ccomp"]
        if comp:
            quote = token.doc[comp[0].left_edge.i : comp[0].right_edge.i + 1].text
        elif token.dep_ == "parataxis":
            quote = " ".join(
                t.text_with_ws.strip()
                for t in sent
                if (t.i not in {s.i for s in token.subtree} and not t.is_punct) or t.lower_ == ","
            )
        else:
            # What was said is the object; the verb's adverbials (when, amid what) are not part of it.
            rest = [
                t
                for t in token.rights
                if t.dep_ in ("dobj", "xcomp", "oprd", "attr") or (t.dep_ == "prep" and t.lower_ == "as")
            ] or [t for t in token.rights if t.dep_ == "prep"]
            if not rest:
                continue
            quote = token.doc[token.i + 1 : max(t.right_edge.i for t in rest) + 1].text
        quote = re.sub(r"^(that|:)\s+", "", quote.strip(" ,.;"))
        if len(quote.split()) < 4:
            continue
        dated = [
            d
            for d in _dates(ctx, sent)
            if _governs(token, d[0].span.root) and not any(_governs(c, d[0].span.root) for c in comp)
        ]
        out.append(
            _event(
                ctx,
                "statement",
                {"speaker": who.m.text, "quote": quote, "date": dated[0][1] if dated else None},
                [sent],
                token,
            )
        )
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < sent.end and token.nbor(1).lower_ == "to":
            people = [
                x for x in ctx.sentence_mentions(sent) if x.m.type == "person" and x.m.start > token.idx
            ]
            quote = ctx.text[sent.start_char : token.idx].strip(" ,")
            if people and len(quote.split()) >= 4:
                out.append(
                    _event(ctx, "statement", {"speaker": people[0].m.text, "quote": quote}, [sent], None)
                )
    return out


# ------------------------------------------------------------------ arms transfers


INSTRUMENTAL = {"by", "with", "using", "aboard", "via"}  # "carried by a dozen Y-20 aircraft"


def _arms(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["arms_transfer"]
    order, delivery = set(tr["order"]), set(tr["delivery"])
    trig = [t for t in sent if t.lemma_ in order | delivery and not ctx.in_quote(t.idx, t.idx + 1)]
    weapons = [x for x in ms if x.m.type == "weapon"]
    if not trig or not weapons:
        return []
    out = []
    seen: set[str] = set()
    states = _states(ms)
    not_transferred = set(triggers()["not_transferred"])
    for w in weapons:
        root = w.span.root
        # Parsed under a trigger, else (lists the small model misparses) the sentence's triggers.
        linked = [t for t in trig if _governs(t, root) or _governs(root, t)]
        parsed = bool(linked)
        if not linked and not any(a.dep_ == "agent" or a.lower_ in INSTRUMENTAL for a in root.ancestors):
            linked = trig
        before = ctx.doc[max(sent.start, w.span.start - 5) : w.span.start]
        if (
            w.m.key in seen
            or not linked
            or any(a.lemma_ in not_transferred for a in [*list(root.ancestors)[:3], *before])
        ):
            continue
        seen.add(w.m.key)
        head = (
            root.head
            if root.dep_ in ("compound", "nmod", "amod", "appos")
            and root.head.pos_ == "NOUN"
            and root.head.i > root.i
            else root
        )
        trigger = min(linked, key=lambda t: abs(t.i - root.i))
        category = ctx.doc[w.span.end : head.i + 1].text.strip(" -") if head.i >= w.span.end else None
        quantity = None
        for node in (head, head.head if head.dep_ == "appos" else None, root):
            if node is None:
                continue
            nums = [c for c in node.children if c.dep_ == "nummod"]
            if nums:
                quantity = parse_quantity(nums[0].text)
                break
        # Supplier: a state modifying the system ("China's FK-3", "Chinese CH-95"), "from X", or the
        # subject of a supply verb; recipient: the subject of a buy verb or "to X"/"with" for supply.
        supplier = None
        for x in ms:
            if (
                x.state
                and x.span.root.head in (head, root)
                and x.span.root.dep_ in ("poss", "amod", "compound", "nmod")
            ):
                supplier = x.state
        supplier = _prep_state(trigger, ms, {"from"}) or supplier
        recipient = None
        subj = _subject_state(trigger, ms)
        passive = any(c.dep_ in ("nsubjpass", "agent") for c in trigger.children)
        if passive:
            supplier = _subject_state(trigger, ms, ("agent",)) or supplier
            subj = None
        if (
            trigger.lemma_ in {"supply", "sell", "export", "deliver", "transfer", "ship"}
            and trigger.pos_ == "VERB"
            and not passive
        ):
            supplier = subj or supplier
            recipient = _prep_state(trigger, ms, {"to", "with"}) or next(
                (
                    x.state
                    for x in ms
                    if x.state and x.span.root.head == trigger and x.span.root.dep_ in ("dobj", "dative")
                ),
                None,
            )
        else:
            recipient = subj if subj != supplier else None
        if supplier is None and recipient is None:
            # A lone state as a modifier ("China's", "Chinese") names the system's origin.
            supplier = next(
                (x.state for x in ms if x.state and not x.in_name and _modifier(x.span.root)),
                None,
            )
        if recipient is None:
            recipient = (
                next(iter(_others(states, supplier)), None) if len(states) > 1 or not supplier else None
            )
            if recipient is None or recipient == supplier:
                recipient = next(iter(_others(ctx.pair, supplier)), None)
        if supplier is None:
            supplier = next(iter(_others(states, recipient)), None) or next(
                iter(_others(ctx.pair, recipient)), None
            )
        args: dict[str, Any] = {
            "recipient": recipient,
            "system": w.m.text,
            "supplier": supplier,
            "category": category,
            "quantity": quantity,
        }
        own_date = [
            d for d in _dates(ctx, sent) if d[0].span.root.head.head == head or d[0].span.root.head == head
        ]
        for t in trig:
            # Without a parse link, a date elsewhere in the list belongs to another system.
            date = own_date[0][1] if own_date else (_date_near(ctx, sent, t) if parsed else None)
            role = "ordered" if t.lemma_ in order else "delivered"
            if date and role not in args:
                args[role] = date
        out.append(_event(ctx, "arms_transfer", args, [sent], trigger))
    return out


# ------------------------------------------------------------------ exercises


def _exercises(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    words = set(triggers()["exercise"])
    trig = [t for t in sent if t.lemma_ in words and t.pos_ == "NOUN" and not ctx.in_quote(t.idx, t.idx + 1)]
    names = [x for x in ms if x.m.type == "exercise"]
    if not trig or (
        not names
        and not any(
            c.lower_ in ("joint", "military", "counter-terrorism", "counterterrorism")
            or c.lemma_ == "conduct"
            for t in trig
            for c in [*t.children, t.head]
        )
    ):
        return []
    trigger = trig[0]
    participants = _states([x for x in ms if x.m.type == "state" or (x.state and x.span.root.dep_ != "pobj")])
    low = sent.text.lower()
    if "both countries" in low or "two countries" in low or len(participants) < 2:
        participants += [s for s in ctx.pair if s not in participants and len(participants) < 2]
    for x in ms:
        if x.m.type == "organisation" and x.m.subtype == "alliance" and x.actor not in participants:
            participants.append(x.m.text)
    locations = [
        x
        for x in ms
        if x.m.type == "place"
        and x.span.root.head.lower_ in ("in", "near", "at")
        and x.span.root.head.head.i >= trigger.i - 12
    ]
    forces_words = set(triggers()["forces"])
    forces = None
    for t in sent:
        if t.lower_ in forces_words and t.pos_ == "NOUN":
            mods = [c for c in t.lefts if c.dep_ in ("amod", "compound") and not c.ent_type_]
            if mods:
                forces = ctx.doc[mods[0].i : t.i + 1].text
                break
    args = {
        "participants": participants,
        "name": names[0].m.text if names else None,
        "location": locations[0].m.text if locations else None,
        "forces": forces,
        "date": _date_near(ctx, sent, trigger),
    }
    if len(participants) < 2 or not (args["name"] or args["date"]):
        return []  # a passing reference, not a report of one exercise
    return [_event(ctx, "exercise", args, [sent], trigger)]


# ------------------------------------------------------------------ agreements


def _signers(verb: Token, ms: list[Ment]) -> list[str]:
    """The people who are the subject of a signing verb ("X and Y signed ...")."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    # "X, Head of ..., and Y signed": the parser often hangs Y on X's appositive.
    appositives = [a for s in subjects for a in s.children if a.dep_ == "appos"]
    heads = {t.i for s in subjects + appositives for t in [s, *s.conjuncts]}
    return list(dict.fromkeys(x.m.text for x in ms if x.m.type == "person" and x.span.root.i in heads))


COLLECTIVE = {"two", "both"}  # "the two countries", "both sides"


def _agreement_kind(text: str) -> str:
    low = text.lower()
    for kind, words in triggers()["agreement_kinds"]:
        if any(re.search(r"\b" + re.escape(w) + r"\b", low) for w in words):
            return str(kind)
    return "other"


def _agreements(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["agreement"]
    nouns, verbs = list(tr["nouns"]), set(tr["verbs"])
    out = []
    rank = {n: i for i, n in enumerate(nouns)}
    candidates = sorted(
        (t for t in sent if t.lemma_.lower() in rank and t.pos_ in ("NOUN", "PROPN")),
        key=lambda t: rank[t.lemma_.lower()],
    )
    candidates += [t for t in sent if t.lemma_ in ("tie", "relation")]
    for t in candidates:
        if ctx.in_quote(t.idx, t.idx + 1):
            continue
        diplomatic = (
            t.lemma_ in ("tie", "relation")
            and any(c.lower_ == "diplomatic" for c in t.children)
            and t.head.lemma_ == "establish"
        )
        governor = t.head.head if t.dep_ == "pobj" else t.head
        signed_verb = (
            t.dep_ in ("dobj", "nsubjpass", "pobj", "conj", "appos")
            and any(
                (v.lemma_ in verbs and v.pos_ in ("VERB", "AUX")) or v.lower_ == "signing"
                for v in (governor, t.head)
            )
        ) or any(c.dep_ == "acl" and c.lemma_ in verbs for c in t.children)
        if not diplomatic and not (t.lemma_.lower() in rank and signed_verb):
            continue
        phrase = _np_text(t)
        window = (
            " ".join(x.m.text for x in ms if x.m.type == "agreement")
            + " "
            + ctx.doc[max(sent.start, t.i - 6) : min(sent.end, t.right_edge.i + 1)].text
        )
        kind = "diplomatic_relations" if diplomatic else _agreement_kind(window)
        if kind == "other":
            kind = _agreement_kind(sent.text)
        parties = _states(ms)
        orgs = [x.m.text for x in ms if x.m.type == "organisation" and x.span.root.head.lower_ == "with"]
        # The parties may be named by reference: "the two countries", "a bilateral plan", "they signed".
        collective = (
            any(
                w.lemma_ in COLLECTIVE and w.head.lemma_ in ("country", "nation", "side", "government")
                for w in sent
            )
            or any(c.lower_ == "bilateral" for c in t.children)
            or any(c.dep_ == "nsubj" and c.lower_ in ("they", "both") for c in governor.children)
        )
        if not parties and not orgs and not collective:
            continue  # nobody in the sentence is a party: a general remark, not a report
        if len(parties) + len(orgs) < 2:
            parties += [s for s in ctx.pair if s not in parties][: 2 - len(parties) - len(orgs)]
        inside = {i.i for i in t.subtree}
        titled = [x for x in ms if x.m.type == "agreement" and x.span.root.i in inside] or [
            x for x in ms if x.m.type == "agreement" and x.span.start <= t.i < x.span.end + 3
        ]
        if t.lemma_ == "partnership" and kind != "strategic_partnership" and not titled:
            continue  # "strong partnerships with ...": a relationship, not a signed document
        signed = effective = None
        for x, value in _dates(ctx, sent):
            lead = ctx.doc[max(sent.start, x.span.start - 4) : x.span.start]
            if any(w.lower_ in ("effect", "force", "effective") for w in lead):
                effective = value
            elif signed is None:
                signed = value
        args = {
            "parties": parties + orgs,
            "kind": kind,
            "title": titled[0].m.text if titled else phrase,
            "signed": signed,
            "effective": effective,
        }
        out.append(_event(ctx, "agreement", args, [sent], t))
        signers = _signers(governor if governor.pos_ == "VERB" else t.head, ms)
        if len(signers) >= 2:  # two named people signing together met to do so
            occasion = f"signing of {args['title']}"
            meeting = {"participants": signers, "date": signed, "occasion": occasion}
            out.append(_event(ctx, "meeting", meeting, [sent], governor))
        break
    return out


# ------------------------------------------------------------------ money: investments, loans, trade


def _money(ms: list[Ment]) -> dict[str, Any] | None:
    for x in ms:
        if x.m.type == "money":
            value = parse_money(x.m.text)
            if value:
                return value
    return None


ANAPHOR = re.compile(r"\b(?:the|its) (?:company|firm|plant|mine|enterprise|factory|group)\b", re.I)


def _investments(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["investment"]
    trig = [
        t
        for t in sent
        if (t.lemma_ in tr["nouns"] and t.pos_ == "NOUN") or (t.lemma_ in tr["verbs"] and t.pos_ == "VERB")
    ]
    if not trig or any(x.m.type == "weapon" for x in ms):
        return []
    trigger = trig[0]
    orgs = [x for x in ms if x.m.type == "organisation" and x.m.subtype not in ("ministry", "armed_force")]
    investor = None
    subj_state = _subject_state(trigger, ms)
    for x in orgs:
        if x.span.root.dep_ in ("nsubj", "nsubjpass") or x.span.root.head.dep_ == "agent":
            investor = x
            break
    sites = [x for x in ms if x.m.type == "place" and x.m.subtype == "facility"]
    target = next(
        (
            x
            for x in [*orgs, *sites]
            if x is not investor and (investor is None or x.span.root.head != investor.span.root)
        ),
        None,
    )
    percent = next((parse_percent(x.m.text) for x in ms if x.m.type == "percent"), None)
    value = _money(ms)
    if investor is None and target is None and value is None:
        return []
    investor_value = investor.m.text if investor else subj_state
    if investor_value is None:
        return []
    states = _states(ms)
    country = next(iter(_others(states, subj_state, "CHN" if investor_value == "CHN" else None)), None)
    if target is None:
        objs = [c for c in trigger.children if c.dep_ == "dobj" and not c.like_num and c.ent_type_ != "DATE"]
        objs = [next((a for a in o.children if a.dep_ == "appos"), o) for o in objs]
        target_text = _np_text(objs[0]) if objs else None
    else:
        target_text = target.m.text
    if target_text and investor is not None and ANAPHOR.search(target_text):
        # "acquired 63% of the company's assets": the company named before the investor
        earlier = [x for x in orgs if x.m.end <= investor.m.start and not x.in_name]
        target_text = earlier[-1].m.text if earlier else target_text
    if target_text is None:
        return []
    args = {
        "investor": investor_value,
        "target": target_text,
        "country": country or next(iter(_others(ctx.pair, subj_state)), None),
        "stake": percent,
        "value": value,
        "date": _date_near(ctx, sent, trigger),
    }
    return [_event(ctx, "investment", args, [sent], trigger)]


def _loans(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    words = set(triggers()["loan"])
    trig = [t for t in sent if t.lemma_ in words and not ctx.in_quote(t.idx, t.idx + 1)]
    if not trig:
        return []
    trigger = trig[0]
    banks = [x for x in ms if x.m.type == "organisation" and x.m.subtype == "bank"]
    lender = banks[0].m.text if banks else None
    states = _states(ms)
    verb = (
        trigger
        if trigger.pos_ == "VERB"
        else next((a for a in trigger.ancestors if a.pos_ == "VERB"), trigger)
    )
    subj = _subject_state(verb, ms)
    lender = lender or subj
    borrower_org = next(
        (
            x.m.text
            for x in ms
            if x.m.type == "organisation"
            and x.m.subtype != "bank"
            and x.span.root.dep_ in ("nsubj", "dobj", "pobj", "dative")
        ),
        None,
    )
    borrower = (
        _prep_state(verb, ms, {"to", "for"}) or borrower_org or next(iter(_others(states, lender)), None)
    )
    if borrower is None:
        borrower = next((x.state for x in ms if x.state and x.span.root.head.lower_ == "in"), None)
    if lender is None:
        lender = next(iter(_others(ctx.pair, borrower)), None)
    if borrower is None:
        borrower = next(iter(_others(ctx.pair, lender)), None)
    purpose = None
    for t in sent:
        if t.lower_ in ("for", "finance", "fund", "build") and t.i > trigger.i - 3:
            objs = [c for c in t.children if c.dep_ in ("pobj", "dobj")]
            if objs:
                purpose = _np_text(objs[0])
                break
    args = {
        "lender": lender,
        "borrower": borrower,
        "purpose": purpose,
        "value": _money(ms),
        "date": _date_near(ctx, sent, trigger),
    }
    if not args["lender"] or not args["borrower"] or (not purpose and not args["value"]):
        return []
    return [_event(ctx, "loan", args, [sent], trigger)]


def _trade(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    words = set(triggers()["trade"])
    trig = [t for t in sent if t.lemma_ in words or t.lower_ in words]
    value = _money(ms)
    if not trig or value is None:
        return []
    trigger = trig[0]
    states = _states(ms)
    exporter = importer = None
    if trigger.lemma_ == "import":
        owner = next((x.state for x in ms if x.state and x.span.root.dep_ == "poss"), None)
        subj = _subject_state(next((a for a in trigger.ancestors if a.pos_ in ("VERB", "AUX")), trigger), ms)
        exporter, importer = subj, owner
        exporter = exporter or _prep_state(trigger, ms, {"from"})
    elif trigger.lemma_ == "export":
        exporter = _subject_state(trigger, ms) or next(iter(states), None)
        importer = _prep_state(trigger, ms, {"to"})
    if not exporter or not importer:
        return []
    note = _np_text(trigger.head) if trigger.head.pos_ == "NOUN" else None
    args = {
        "exporter": exporter,
        "importer": importer,
        "value": value,
        "period": _date_near(ctx, sent, trigger),
        "note": note,
    }
    return [_event(ctx, "trade", args, [sent], trigger)]


# ------------------------------------------------------------------ meetings


DEMONSTRATIVES = {"this", "that", "these", "those"}
DEFINITE = DEMONSTRATIVES | {"the"}  # "the meeting", "the FTA": one already reported


def _meetings(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    tr = triggers()["meeting"]
    nouns, verbs = set(tr["nouns"]), set(tr["verbs"])
    trig = [
        t
        for t in sent
        if (
            (t.pos_ == "NOUN" and (t.lemma_ in nouns or t.lower_ in nouns))
            or (t.pos_ == "VERB" and t.lemma_ in verbs)
        )
        and not ctx.in_quote(t.idx, t.idx + 1)
        # "this visit", "that meeting": a reference back to a meeting reported before
        and not any(c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in t.children)
    ]
    if not trig:
        return _caption(ctx, sent, ms)
    trigger = trig[0]
    if trigger.lemma_ == "receive" and not any("delegation" in c.text for c in trigger.subtree):
        return []
    people: list[str] = []
    for x in ms:
        if x.m.type == "person" and x.m.text not in people and not ctx.in_quote(x.m.start, x.m.end):
            people.append(x.m.text)
    # Organisations visited or met ("visited two companies, X and Y") take part too.
    visited = {
        d.i for t in trig if t.pos_ == "VERB" for c in t.children if c.dep_ == "dobj" for d in c.subtree
    }
    orgs = [x.m.text for x in ms if x.m.type == "organisation" and x.span.root.i in visited]
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
            participants += [s for s in _states(ms) if s not in participants]
    date = _date_near(ctx, sent, trigger)
    if len(participants) < 2 or (date is None and len(people) < 2):
        return []  # without a date or two named people it is a passing reference, not a report
    location = None
    for x in ms:
        if x.m.type in ("place", "state") and x.span.root.head.lower_ in ("in", "to", "at"):
            location = x.m.text
            break
    occasion = next((x.m.text for x in ms if x.m.type == "agreement"), None)
    args = {"participants": participants, "location": location, "date": date, "occasion": occasion}
    return [_event(ctx, "meeting", args, [sent], trigger)]


def _caption(ctx: DocContext, sent: Span, ms: list[Ment]) -> list[Event]:
    """A verbless line naming two people, a place and a date is a photo caption of their meeting."""
    if any(t.pos_ in ("VERB", "AUX") for t in sent):
        return []
    people = [x.m.text for x in ms if x.m.type == "person"]
    places = [x.m.text for x in ms if x.m.type in ("place", "state")]
    dates = _dates(ctx, sent)
    if len(set(people)) < 2 or not places or not dates:
        return []
    args = {"participants": list(dict.fromkeys(people)), "location": places[0], "date": dates[0][1]}
    return [_event(ctx, "meeting", args, [sent], None)]


# ------------------------------------------------------------------ the document

SENTENCE_EXTRACTORS = (_arms, _exercises, _agreements, _investments, _loans, _trade, _meetings)


def main_pair(mentions: list[Mention]) -> list[str]:
    """The two states a document is mostly about, by mention count (ties by first mention)."""
    counts: Counter[str] = Counter(m.iso3 for m in mentions if m.type in ("state", "place") and m.iso3)
    return [iso for iso, _ in counts.most_common(2)]


def extract(doc: Doc, doc_id: str, mentions: list[Mention], published: str | None) -> list[Event]:
    """All event candidates reported in one document."""
    ments = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            ments.append(Ment(m, span))
    quotes = [(q.start(), q.end()) for q in QUOTES.finditer(doc.text)]
    ctx = DocContext(doc, doc_id, published, ments, main_pair(mentions), quotes, doc.text, list(doc.sents))
    events = _statements(ctx)
    for sent in ctx.sents:
        ms = ctx.sentence_mentions(sent)
        events.extend(_indirect_statements(ctx, sent))
        found = [e for extractor in SENTENCE_EXTRACTORS for e in extractor(ctx, sent, ms)]
        _attach_references(ctx, sent, events, {e.type for e in found})
        events.extend(found)
    return events


def _reference_nouns() -> dict[str, str]:
    """Trigger nouns by which a sentence can refer back to an event: "this agreement", "the drill"."""
    tr = triggers()
    # Nouns that name only documents ("the declaration of independence" is not one we reported).
    documents = ("agreement", "fta", "treaty", "pact", "accord", "memorandum", "mou", "deal", "contract")
    nouns = {n: "agreement" for n in tr["agreement"]["nouns"] if n in documents}
    nouns |= {n: "meeting" for n in tr["meeting"]["nouns"]}
    nouns |= {n: "exercise" for n in tr["exercise"]}
    nouns |= {n: "loan" for n in ("loan", "credit")}
    nouns |= {n: "arms_transfer" for n in ("delivery", "purchase", "procurement", "sale", "shipment")}
    return nouns


def _attach_references(ctx: DocContext, sent: Span, earlier: list[Event], reported: set[str]) -> None:
    """Cite a sentence that refers back to an event reported before in the document as its evidence.

    Three general forms of reference: a trigger noun with a demonstrative ("With this agreement",
    "during that visit"); a meeting's people acting together again ("Minister X and General Y
    agreed ...", "they talked about ..."); an arms trigger with the category of an earlier deal and
    no designation of its own ("the first country to purchase Chinese UAVs").
    """
    cite = ctx.cite(sent.start_char, sent.end_char)
    for target in _referents(ctx, sent, earlier, reported):
        if cite not in target.evidence:
            target.evidence.append(cite)


def _referents(ctx: DocContext, sent: Span, earlier: list[Event], reported: set[str]) -> list[Event]:
    def last(type_: str, test: Callable[[Event], bool] = lambda e: True) -> Event | None:
        return next((e for e in reversed(earlier) if e.type == type_ and test(e)), None)

    found: dict[str, Event | None] = {}
    nouns = _reference_nouns()
    for t in sent:
        type_ = nouns.get(t.lemma_.lower()) or nouns.get(t.lower_)
        if (
            type_ is not None
            and type_ not in reported
            and type_ not in found
            and t.pos_ in ("NOUN", "PROPN")
            and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in t.children)
        ):
            kind = _agreement_kind(_np_text(t)) if type_ == "agreement" else "other"
            # "the FTA" is the free-trade agreement, not the last agreement of any kind
            found[type_] = last(type_, partial(_of_kind, kind))
        if t.lemma_ in ("train", "drill") and t.pos_ == "VERB" and "exercise" not in reported:
            found.setdefault("exercise", last("exercise"))  # "forces from both countries trained together"
    if found:
        return [e for e in found.values() if e is not None]
    one = _referent(ctx, sent, reported, last)
    return [one] if one else []


def _of_kind(kind: str, event: Event) -> bool:
    return kind in ("other", event.args.get("kind"))


def _referent(
    ctx: DocContext, sent: Span, reported: set[str], last: Callable[..., Event | None]
) -> Event | None:
    ms = ctx.sentence_mentions(sent)
    if "meeting" not in reported:
        people = {
            key_for("person", x.m.text).split()[-1]
            for x in ms
            if x.m.type == "person" and not ctx.in_quote(x.m.start, x.m.end)
        }
        if len(people) >= 2:
            found = last(
                "meeting",
                lambda e: people <= {key_for("person", str(p)).split()[-1] for p in e.args["participants"]},
            )
            if found:
                return found
        meeting_verbs = set(triggers()["meeting"]["verbs"])
        if any(
            t.lemma_ in meeting_verbs and any(c.dep_ == "nsubj" and c.lower_ == "they" for c in t.children)
            for t in sent
        ):
            return last("meeting")
    if "arms_transfer" not in reported and not any(x.m.type == "weapon" for x in ms):
        tr = triggers()["arms_transfer"]
        if any(t.lemma_ in tr["order"] or t.lemma_ in tr["delivery"] for t in sent):
            kinds = {CATEGORY_FAMILY.get(t.lemma_.lower()) for t in sent} - {None}
            return last("arms_transfer", lambda e: _category_family(e) in kinds) if kinds else None
    return None


# Category nouns that name the same kind of system ("UAVs" are "drones").
CATEGORY_FAMILY = {
    "drone": "drone",
    "uav": "drone",
    "ucav": "drone",
    "uas": "drone",
    "missile": "missile",
    "tank": "tank",
    "jet": "aircraft",
    "fighter": "aircraft",
    "aircraft": "aircraft",
    "helicopter": "helicopter",
    "howitzer": "artillery",
    "radar": "radar",
}


def _category_family(event: Event) -> str | None:
    words = fold(str(event.args.get("category", ""))).split()
    return next((CATEGORY_FAMILY[w.rstrip("s")] for w in words if w.rstrip("s") in CATEGORY_FAMILY), None)
