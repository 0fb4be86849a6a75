"""Typed entity mentions from a parsed spaCy Doc, with offsets into the document text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from functools import cache
from itertools import accumulate

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..models import Mention
from ..values.names import key_for as key_for
from .components import AGREEMENT_HEADS, FACILITY_HEADS, ORG_HEADS, ORG_SUBTYPES
from .lexicon import Organisation, fold, load

LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "WEAPON": "weapon",
    "EXERCISE": "exercise",
    "AGREEMENT": "agreement",
    "MONEY": "money",
    "DATE": "date",
    "PERCENT": "percent",
    "CARDINAL": "quantity",
    "QUANTITY": "quantity",
}
SPEECH_VERBS = {
    "say",
    "tell",
    "state",
    "note",
    "explain",
    "add",
    "recall",
    "remark",
    "stress",
    "emphasize",
    "emphasise",
    "argue",
    "contend",
    "warn",
    "claim",
    "reply",
    "write",
    "announce",
    "confirm",
    "underline",
    "underscore",
    "insist",
    "suggest",
    "believe",
    "describe",
    "call",
    "reveal",
}
ROLE_NOUNS = {
    "researcher",
    "analyst",
    "minister",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "president",
    "director",
    "professor",
    "expert",
    "official",
    "ambassador",
    "chief",
    "head",
    "colonel",
    "general",
    "secretary",
    "chairman",
    "leader",
    "adviser",
    "advisor",
    "fellow",
    "journalist",
    "diplomat",
    "envoy",
    "commander",
    "lecturer",
    "economist",
    "author",
    "scholar",
    "deputy",
}
# When a name has heads of several sub-kinds, the first of these wins ("Bank of China Group": bank).
SUBTYPE_ORDER = ["bank", "ministry", "armed_force", "think_tank", "party", "university", "company"]


_ORG_HEADS = frozenset(ORG_HEADS)  # as sets once, not per mention
_HEADS = _ORG_HEADS | frozenset(AGREEMENT_HEADS)


@cache
def _titles() -> list[list[str]]:
    """Title phrases as lower-case token lists, longest first."""
    return sorted(([w.lower() for w in t.split()] for t in load().titles), key=len, reverse=True)


def strip_titles(span: Span) -> Span:
    """Drop leading titles and ranks ("Senior Colonel", "President") from a person's name."""
    start = span.start + 1 if span[0].lower_ == "the" and len(span) > 2 else span.start
    changed = True
    while changed and start < span.end - 1:
        changed = False
        words = [t.lower_ for t in span.doc[start : span.end]]
        for title in _titles():
            if words[: len(title)] == title and len(title) < len(words):
                start += len(title)
                changed = True
                break
    return span.doc[start : span.end]


def org_subtype(text: str) -> str | None:
    kinds = {ORG_SUBTYPES[w] for w in text.replace("’", "'").split() if w in ORG_SUBTYPES}
    return next((k for k in SUBTYPE_ORDER if k in kinds), None)


def _balanced(span: Span) -> Span:
    """The span up to an opening bracket it does not close ("RTB Bor (Mining ..." -> "RTB Bor")."""
    for t in span:
        if t.text == "(" and not any(u.text == ")" for u in span[t.i - span.start :]):
            return span[: t.i - span.start] if t.i > span.start else span
    return span


def _looks_like_person(span: Span) -> bool:
    """The small model often tags unfamiliar personal names as ORG or GPE; the parse tells them apart.

    A name led or preceded by a title ("President Kassym-Jomart Tokayev", "Divisional General X"),
    the subject of a speech verb, the agent of "shared by", or a name with a role in apposition.
    """
    if span[0].lower_ == "the" and len(span) > 1:
        span = span[1:]  # "the Air Vice Marshal X"
    words = [t for t in span if not (t.is_punct and t.text in "-‐")]
    if not 1 <= len(words) <= 6 or {t.text for t in words} & _HEADS:
        return False
    if not all(t.pos_ == "PROPN" and (t.is_title or t.text[:1].isupper()) for t in words):
        return False
    stripped = strip_titles(span)
    if len(stripped) < len(span) and len(stripped) >= 1:
        return True  # led by a title
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.text in _title_words() and len(words) >= 2:
        return True
    if len(words) < 2 and not (len(span) == 3 and span[1].text in "-‐"):  # "El-Sissi"
        return False
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in SPEECH_VERBS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.head.lemma_ in SPEECH_VERBS | {"share"}:
        return True
    if root.dep_ == "appos" and root.head.lemma_.lower() in ROLE_NOUNS:
        return True  # "the commander of ..., Divisional General X"
    return any(c.dep_ == "appos" and c.lemma_.lower() in ROLE_NOUNS for c in root.children)


@cache
def _title_words() -> set[str]:
    """The last word of every title ("Minister", "President", "General")."""
    return {t[-1].capitalize() for t in _titles()} | {t[-1] for t in _titles()}


def mentions(doc: Doc, doc_id: str) -> list[Mention]:
    """Every typed mention in a parsed document."""
    found: list[Mention] = []
    for ent in doc.ents:
        label = ent.label_
        if label == "STATE":
            iso3, form = ent.ent_id_.split("|")
            kind = "place" if form == "capital" else "state"
            found.append(Mention(doc_id, ent.start_char, ent.end_char, ent.text, kind, form, iso3, iso3))
            continue
        if label not in LABELS:
            continue
        type_ = LABELS[label]
        span: Span = _balanced(ent)
        subtype = None
        if type_ in ("organisation", "place") and not ent.ent_id_ and _looks_like_person(span):
            type_ = "person"
        elif type_ == "person":
            words = {t.text for t in span}
            if words & FACILITY_HEADS:
                type_, subtype = "place", "facility"
            elif words & _ORG_HEADS or any(w.isupper() and len(w) > 1 and w.isalpha() for w in words):
                type_ = "organisation"  # "RTB Bor": personal names do not carry acronyms
        if type_ == "person":
            span = strip_titles(span)
            if not any(t.is_alpha for t in span):
                continue
        elif type_ == "organisation":
            subtype = (ent.ent_id_ and _lexicon_subtype(ent.ent_id_)) or org_subtype(span.text)
        text, end = span.text, span.end_char
        if type_ == "person" and text[-2:] in ("'s", "’s"):
            text, end = text[:-2], end - 2
        key = ent.ent_id_.split("|", 1)[1] if ent.ent_id_.startswith("org|") else key_for(type_, text)
        if ent.ent_id_ == "weapon|families":  # "Rafales": the family's own key
            key = key_for(type_, text[:-1])
        if type_ == "organisation" and not ent.ent_id_ and (own := _owned(span, text)):
            key, subtype = own.name, own.subtype  # "China's Exim Bank": the Export-Import Bank of China
        found.append(
            Mention(
                doc_id,
                span.start_char,
                end,
                text,
                type_,
                subtype,
                None,
                key_for(type_, key) if type_ != "weapon" else key,
            )
        )
    return found


def propagate_names(doc: Doc, found: list[Mention]) -> list[Mention]:
    """Add the places where the model missed a full name it recognised elsewhere in the document.

    The small model tags "Xi Jinping" as a person in one sentence and misses it (or calls it an
    organisation) in the next; one recognised occurrence is evidence for every other one.
    """
    people = {m.text: m for m in found if m.type == "person" and len(m.text.split()) > 1}
    if not people:
        return found
    matcher = PhraseMatcher(doc.vocab)
    spans = [s for s in (doc.char_span(m.start, m.end) for m in people.values()) if s is not None]
    # Patterns as bare word sequences: the matcher compares words (ORTH) only; Span.as_doc copies much more.
    matcher.add("PERSON", [Doc(doc.vocab, words=[t.text for t in span]) for span in spans])
    # A surname on its own ("Vulin said") once the full name is known, unless two people share it;
    # a family name the lexicon knows is written first ("Wang Yi": "Wang said") too.
    first = load().family_first
    alone = [(span, span[-1]) for span in spans] + [(s, s[0]) for s in spans if s[0].text in first]
    surnames = Counter(word.text for _, word in alone)
    for span, word in alone:
        if surnames[word.text] == 1 and word.is_title and (len(word.text) > 2 or word.i == span.start):
            people.setdefault(word.text, people[span.text])
            matcher.add("PERSON", [Doc(doc.vocab, words=[word.text])])
    taken = Intervals([(m.start, m.end) for m in found if m.type == "person"])
    everything = Intervals([(m.start, m.end) for m in found])
    added: list[Mention] = []
    drop: set[int] = set()
    # The longest of overlapping matches: "Xi Jinping", not also its "Xi" and "Jinping".
    for span in filter_spans([doc[start:end] for _, start, end in matcher(doc)]):
        a, b = span.start_char, span.end_char
        if taken.containing(a, b):
            continue
        overlapping = everything.overlapping(a, b)
        if any(found[i].iso3 or not (a <= found[i].start and found[i].end <= b) for i in overlapping):
            continue  # a state, or a longer name that contains this one: leave it
        drop.update(overlapping)
        like = people[span.text]
        added.append(Mention(like.doc, a, b, span.text, "person", None, None, like.key))
    kept = [m for i, m in enumerate(found) if i not in drop]
    return sorted(kept + added, key=lambda m: (m.start, m.end))


class Intervals:
    """Character ranges indexed by start, so that a question about one range reads only its neighbours:
    scanning every mention for every name found made a long document quadratic."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.order = sorted(range(len(ranges)), key=lambda i: ranges[i])
        self.ranges = [ranges[i] for i in self.order]
        self.starts = [r[0] for r in self.ranges]
        self.reach = list(accumulate((r[1] for r in self.ranges), max))  # furthest end so far

    def _ending_after(self, below: int, after: int) -> Iterator[int]:
        """Positions (in start order) of the ranges among the first `below` that end after `after`."""
        k = below - 1
        while k >= 0 and self.reach[k] > after:
            if self.ranges[k][1] > after:
                yield k
            k -= 1

    def overlapping(self, a: int, b: int) -> list[int]:
        """Indices (in the given list) of the ranges that overlap [a, b), in ascending order."""
        return sorted(self.order[k] for k in self._ending_after(bisect_left(self.starts, b), a))

    def within(self, a: int, b: int) -> list[int]:
        """Indices (in the given list) of the ranges inside [a, b], in ascending order."""
        first, last = bisect_left(self.starts, a), bisect_right(self.starts, b)
        return sorted(self.order[k] for k in range(first, last) if self.ranges[k][1] <= b)

    def containing(self, a: int, b: int) -> bool:
        """Whether a range contains [a, b)."""
        return any(True for _ in self._ending_after(bisect_right(self.starts, a), b - 1))


def _owned(span: Span, text: str) -> Organisation | None:
    """The lexicon's organisation a generic name means when a state owns it ("China's Exim Bank",
    "India's Exim Bank"): the one of that state's organisations named so without the state."""
    doc, start = span.doc, span.start
    before = doc[start - 2] if start > 1 and doc[start - 1].lower_ in ("'s", "’s") else None
    if before is None or before.ent_type_ != "STATE":
        return None
    return _state_forms().get((before.ent_id_.split("|")[0], fold(text)))


@cache
def _state_forms() -> dict[tuple[str, str], Organisation]:
    """(state, folded name without the state) -> the state's organisation: "Export-Import Bank of
    China", "China Exim Bank" -> (CHN, "export import bank"), (CHN, "exim bank"). A form two of a
    state's organisations share means neither."""
    lex = load()
    found: dict[tuple[str, str], Organisation | None] = {}
    for o in lex.organisations:
        state = lex.states.get(o.country or "")
        if state is None:
            continue
        words = "|".join(re.escape(fold(w)) for w in (state.name, *state.aliases, *state.demonyms) if fold(w))
        for form in (o.name, *o.aliases):
            bare = re.sub(rf"^(?:{words}) | of (?:the )?(?:{words})$", "", fold(form)).strip()
            if bare and bare != fold(form):
                found[(state.iso3, bare)] = None if found.get((state.iso3, bare), o) != o else o
    return {k: o for k, o in found.items() if o is not None}


@cache
def _org_subtypes() -> dict[str, str]:
    return {o.name: o.subtype for o in load().organisations}


def _lexicon_subtype(ent_id: str) -> str | None:
    return _org_subtypes().get(ent_id.split("|", 1)[1])
