"""Resolve mentions into entities across documents and spellings.

Keys are already folded (diacritics, case, titles, possessives, Centre/Center); this module
links what keys alone cannot: a type the model got wrong in some sentences, surnames and
first names to full names, acronyms to their expansions. Ambiguous links are not made.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..models import Entity, Mention, stable_id
from ..values.names import key_for
from ..values.scripts import CYRILLIC
from .lexicon import Organisation, load

NAMED = ("person", "organisation", "place")  # types the model confuses with each other
TYPE_PRIORITY = {"person": 3, "organisation": 2, "place": 1}


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in ("of", "and", "for", "the", "on"))


class Types:
    """One type per name: the majority of its mentions' types, persons winning ties.

    A place or organisation whose key is the surname of a known person is that person. Only
    names the model confuses are voted on (not states, not mentions with a subtype).
    """

    def __init__(self, counts: Iterable[tuple[str, str | None, str | None, str, int]]) -> None:
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for type_, _subtype, iso3, key, n in counts:
            if type_ in NAMED and not iso3:
                votes[key][type_] += n
        self.best = {k: max(c, key=lambda t: (c[t], TYPE_PRIORITY[t])) for k, c in votes.items()}
        self.surnames = {k.split()[-1] for k, t in self.best.items() if t == "person" and len(k.split()) > 1}

    def of(self, type_: str, subtype: str | None, iso3: str | None, key: str) -> str:
        if type_ in NAMED and not iso3 and subtype is None:
            return "person" if key in self.surnames else self.best[key]
        return type_


def _counts(mentions: Iterable[Mention]) -> list[tuple[str, str | None, str | None, str, int]]:
    counted = Counter((m.type, m.subtype, m.iso3, m.key) for m in mentions)
    return [(*k, n) for k, n in counted.items()]


def vote_types(mentions: list[Mention]) -> None:
    """Give each of `mentions` the type its name has in most of them."""
    types = Types(_counts(mentions))
    for m in mentions:
        m.type = types.of(m.type, m.subtype, m.iso3, m.key)


@dataclass
class Part:
    """What one document's mentions give one entity, in text order. The counters keep the order
    their keys first occur in, which breaks ties as over the whole corpus when the parts are
    merged in document order; stored per entity and document so that an entity is remade from
    its parts without reading the documents again."""

    type: str
    key: str  # the group key's second member: a state's code or a folded name
    forms: Counter[str] = field(default_factory=Counter)
    subtypes: Counter[str] = field(default_factory=Counter)
    iso3: str | None = None  # the first mention's
    countries: Counter[str] = field(default_factory=Counter)
    mentions: int = 0

    @property
    def id(self) -> str:
        return _entity_id(self.type, self.key)

    def add(self, other: Part) -> None:
        """Append a later document's part (same entity)."""
        self.forms.update(other.forms)
        self.subtypes.update(other.subtypes)
        self.countries.update(other.countries)
        self.mentions += other.mentions

    def dump(self) -> str:
        fields = [self.type, self.key, self.forms, self.subtypes, self.iso3, self.countries, self.mentions]
        return json.dumps(fields, ensure_ascii=False)


@lru_cache(maxsize=1 << 16)
def _entity_id(type_: str, key: str) -> str:
    """An entity's id; cached, since the same entities recur in document after document (SPEED)."""
    return stable_id("ent", type_, key)


def merge(parts: Iterable[str]) -> Part | None:
    """One entity's stored parts (`Part.dump`), in document order, as one. Plain dicts keep the
    order keys first occur in as counters do, at a fraction of the cost for a state's thousands."""
    whole: Part | None = None
    sums: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
    for data in parts:
        type_, key, forms, subtypes, iso3, countries, mentions = json.loads(data)
        if whole is None:
            whole = Part(type_, key, iso3=iso3)
        for total, counts in zip(sums, (forms, subtypes, countries), strict=True):
            for k, n in counts.items():
                total[k] = total.get(k, 0) + n
        whole.mentions += mentions
    if whole is not None:
        whole.forms, whole.subtypes, whole.countries = (Counter(s) for s in sums)
    return whole


class Resolver:
    """Resolution in two passes that never hold every mention of the corpus.

    First the corpus-wide counts (one row per distinct type, subtype, state and key) decide each
    name's type and which full names short names and acronyms may stand for; then each
    document's mentions are linked in turn (document order, then text order), each document
    giving a `Part` of each entity it mentions. The result does not depend on how documents are
    batched, and an entity is its parts merged in document order.
    """

    def __init__(self, counts: Iterable[tuple[str, str | None, str | None, str, int]]) -> None:
        counts = list(counts)
        self.types = Types(counts)
        self.full_names: dict[str, set[str]] = defaultdict(set)  # word -> person keys with it
        self.by_initials: dict[str, set[str]] = defaultdict(set)  # "eu" -> "european union"
        for type_, subtype, iso3, key, _n in counts:
            voted = self.types.of(type_, subtype, iso3, key)
            if voted == "person" and len(key.split()) > 1:
                for word in key.split():
                    self.full_names[word].add(key)
            elif voted == "organisation" and len(key.split()) > 1:
                self.by_initials[_initials(key)].add(key)

    def link(self, mentions: list[Mention], text: str) -> dict[str, Part]:
        """Type, key and entity of one document's mentions (in text order); its parts by entity id."""
        for m in mentions:
            m.type = self.types.of(m.type, m.subtype, m.iso3, m.key)
        self._link_short_names(mentions)
        for m in mentions:
            # An all-capitals organisation name takes the key of the one organisation it abbreviates.
            if m.type == "organisation" and m.text.isupper() and " " not in m.text:
                found = self.by_initials.get(m.key.replace(" ", ""), set())
                if len(found) == 1:
                    m.key = next(iter(found))
        states = sorted((m.end, m.iso3) for m in mentions if m.type == "state" and m.iso3)
        ends = [end for end, _ in states]  # to find the states just before a name (linear in length)
        parts: dict[tuple[str, str], tuple[Part, str]] = {}  # with its id, hashed once (SPEED)
        for m in mentions:
            group_key = ("place", m.text) if m.type == "place" and m.subtype == "capital" else None
            group_key = group_key or (m.type, m.iso3 or m.key)
            if group_key in parts:
                part, m.entity_id = parts[group_key]
            else:
                part = Part(*group_key, iso3=m.iso3)
                parts[group_key] = part, part.id
                m.entity_id = part.id
            part.mentions += 1
            part.forms[m.text] += 1
            if m.subtype:
                part.subtypes[m.subtype] += 1
            if m.type == "organisation" and (named := _named_for(m.text)):
                part.countries[named] += 1  # "China Exim Bank", "Chinese Hebei Iron and Steel Company"
            if m.type == "person" or (m.type == "organisation" and m.subtype != "intergovernmental"):
                for end, iso3 in states[bisect_left(ends, m.start - 60) : bisect_right(ends, m.start)]:
                    if _INTRODUCES.fullmatch(text[end : m.start]):
                        part.countries[iso3] += 1
        return {entity_id: p for p, entity_id in parts.values()}

    def _link_short_names(self, mentions: list[Mention]) -> None:
        """Rewrite the key of a one-word person mention to the full name it stands for.

        Within the document first, then across the corpus; left alone when two full names fit.
        """
        local: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            if m.type == "person" and len(m.key.split()) > 1:
                for word in m.key.split():
                    local[word].add(m.key)
        for m in mentions:
            if m.type == "person" and len(m.key.split()) == 1:
                found = local.get(m.key) or self.full_names.get(m.key, set())
                if len(found) == 1:
                    m.key = next(iter(found))


def entity(whole: Part) -> Entity:
    """The entity of all its mentions (without them: those are in the store).

    A person's or organisation's country is how the text introduces them: a state's name or
    demonym followed only by titles ("Serbian President Aleksandar Vučić", "his Chinese
    counterpart Wei Fenghe") or by an appositive comma ("the Minister of Defence of Serbia,
    Zoran Đorđević"); the majority over all mentions wins.
    """
    forms = whole.forms
    if whole.type == "state":
        name = load().states[whole.key].name
    elif (
        whole.type == "organisation"
        and (known := _lexicon_orgs().get(whole.key))
        and not set(forms) & {known.name, *known.aliases}
    ):
        name = known.name  # "China's Exim Bank" alone, a name the lexicon does not list: its own name
    else:
        # The fullest form in Latin letters if there is one (the tool's readers read English):
        # most words, then most frequent, then alphabetical.
        name = sorted(forms, key=lambda f: (bool(CYRILLIC.search(f)), -len(f.split()), -forms[f], f))[0]
    subtype = whole.subtypes.most_common(1)
    country = whole.countries.most_common(1)
    return Entity(
        whole.id,
        whole.type,
        name,
        sorted(forms),
        whole.iso3 if whole.type in ("state", "place") else None,
        subtype[0][0] if subtype else None,
        country=country[0][0] if country else None,
    )


def changed_keys(old: Resolver, new: Resolver, keys: Iterable[str]) -> set[str]:
    """The mention keys, among `keys` (every key of either corpus), whose mentions the two
    resolvers may link differently: a vote on the name's type, a surname, the full names a
    word may stand for or the organisations an acronym may abbreviate that changed."""
    found = set()
    words = {w for w in (*old.full_names, *new.full_names) if old.full_names.get(w) != new.full_names.get(w)}
    initials = {
        i for i in (*old.by_initials, *new.by_initials) if old.by_initials.get(i) != new.by_initials.get(i)
    }
    surnames = old.types.surnames ^ new.types.surnames
    for key in keys:
        if (
            old.types.best.get(key) != new.types.best.get(key)
            or key in surnames
            or key in words
            or key.replace(" ", "") in initials
        ):
            found.add(key)
    return found


@cache
def _lexicon_orgs() -> dict[str, Organisation]:
    """The lexicon's organisations by their key."""
    return {key_for("organisation", o.name): o for o in load().organisations}


def _named_for(name: str) -> str | None:
    """The state an organisation's name begins with (its name or demonym), if any."""
    words = name.split()
    for n in (3, 2, 1):
        if len(words) > n and (iso3 := load().state_for(" ".join(words[:n]))):
            return iso3
    return None


# Between a state and a name (possessive included: "China's Zijin Mining"): nothing but
# title-case words, role nouns, "of the", or a comma.
_INTRODUCES = re.compile(
    r"(?:[’']s)?(?:[ \t]+(?:[A-Z][\w’'-]*|of|the|for|counterpart|minister|president|spokesperson|ambassador|"
    r"official|envoy|chief|head|leader|general|colonel|commander|foreign|defen[cs]e)){0,6}[ \t]*"
    r"|,[ \t]*"
)
