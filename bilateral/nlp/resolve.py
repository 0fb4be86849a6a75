"""Resolve mentions into entities across documents and spellings.

Keys are already folded (diacritics, case, titles, possessives, Centre/Center); this module
links what keys alone cannot: a type the model got wrong in some sentences, surnames and
first names to full names, acronyms to their expansions. Ambiguous links are not made.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..models import Entity, Mention, stable_id
from .lexicon import load

NAMED = ("person", "organisation", "place")  # types the model confuses with each other
TYPE_PRIORITY = {"person": 3, "organisation": 2, "place": 1}


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in ("of", "and", "for", "the", "on"))


def vote_types(mentions: list[Mention]) -> None:
    """One type per name across the corpus: the majority, persons winning ties.

    A place or organisation whose key is the surname of a known person is that person.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.type in NAMED and not m.iso3:
            votes[m.key][m.type] += 1
    best = {k: max(c, key=lambda t: (c[t], TYPE_PRIORITY[t])) for k, c in votes.items()}
    surnames = {k.split()[-1] for k, t in best.items() if t == "person" and len(k.split()) > 1}
    for m in mentions:
        if m.type in NAMED and not m.iso3 and m.subtype is None:
            m.type = "person" if m.key in surnames else best[m.key]


def _link_short_names(mentions: list[Mention]) -> None:
    """Rewrite the key of a one-word person mention to the full name it stands for.

    Within a document first, then across the corpus; left alone when two full names fit.
    """
    full = [m for m in mentions if m.type == "person" and len(m.key.split()) > 1]
    corpus: dict[str, set[str]] = defaultdict(set)
    by_doc: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in full:
        for word in m.key.split():
            corpus[word].add(m.key)
            by_doc[(m.doc, word)].add(m.key)
    for m in mentions:
        if m.type != "person" or len(m.key.split()) != 1:
            continue
        local = by_doc.get((m.doc, m.key), set())
        candidates = local if local else corpus.get(m.key, set())
        if len(candidates) == 1:
            m.key = next(iter(candidates))


def _link_acronyms(mentions: list[Mention]) -> None:
    """An all-capitals organisation name takes the key of the one organisation it abbreviates."""
    orgs = {m.key for m in mentions if m.type == "organisation" and len(m.key.split()) > 1}
    by_initials: dict[str, set[str]] = defaultdict(set)
    for key in orgs:
        by_initials[_initials(key)].add(key)
    for m in mentions:
        if m.type == "organisation" and m.text.isupper() and " " not in m.text:
            candidates = by_initials.get(m.key.replace(" ", ""), set())
            if len(candidates) == 1:
                m.key = next(iter(candidates))


def resolve(mentions: list[Mention]) -> list[Entity]:
    """Entities for all mentions; each mention gets its entity id. Deterministic for the same input."""
    lex = load()
    vote_types(mentions)
    _link_short_names(mentions)
    _link_acronyms(mentions)
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.type == "place" and m.subtype == "capital":
            groups[("place", m.text)].append(m)
        else:
            groups[(m.type, m.iso3 or m.key)].append(m)
    entities = []
    for (type_, key), group in sorted(groups.items()):
        forms = Counter(m.text for m in group)
        if type_ == "state":
            name = lex.states[key].name
        else:
            # The fullest form: most words, then most frequent, then alphabetical.
            name = sorted(forms, key=lambda f: (-len(f.split()), -forms[f], f))[0]
        iso3 = group[0].iso3 if type_ in ("state", "place") else None
        subtype = Counter(m.subtype for m in group if m.subtype).most_common(1)
        entity = Entity(
            stable_id("ent", type_, key),
            type_,
            name,
            sorted(forms),
            iso3,
            subtype[0][0] if subtype else None,
            sorted(group, key=lambda m: (m.doc, m.start)),
        )
        for m in group:
            m.entity_id = entity.id
        entities.append(entity)
    return entities


def affiliate(entities: list[Entity], texts: dict[str, str]) -> None:
    """Set the country of people and organisations from how the text introduces them.

    A state's name or demonym followed only by titles ("Serbian President Aleksandar Vučić",
    "his Chinese counterpart Wei Fenghe", "Chinese Foreign Ministry Spokesperson Lin Jian")
    or by an appositive comma ("the Minister of Defence of Serbia, Zoran Đorđević") names the
    state the person acts for; the majority over all mentions wins.
    """
    states = sorted(
        ((m.doc, m.end, m.iso3) for e in entities if e.type == "state" for m in e.mentions if m.iso3),
    )
    by_doc: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for doc, end, iso3 in states:
        by_doc[doc].append((end, iso3))
    for e in entities:
        if e.type not in ("person", "organisation"):
            continue
        votes: Counter[str] = Counter()
        for m in e.mentions:
            text = texts.get(m.doc, "")
            for end, iso3 in by_doc.get(m.doc, []):
                if m.start - 60 <= end <= m.start and _INTRODUCES.fullmatch(text[end : m.start]):
                    votes[iso3] += 1
        if votes:
            e.country = votes.most_common(1)[0][0]


# Between a state and a name: nothing but title-case words, role nouns, "of the", or a comma.
_INTRODUCES = re.compile(
    r"(?:[ \t]+(?:[A-Z][\w’'-]*|of|the|for|counterpart|minister|president|spokesperson|ambassador|"
    r"official|envoy|chief|head|leader|general|colonel|commander|foreign|defen[cs]e)){0,6}[ \t]*"
    r"|,[ \t]*"
)
