"""Fusion: reports of one real-world event, within and across documents, become one event.

Candidates are blocked and compared as their type's ontology file says (`block`, `same`: names
by folded form and fuzzy similarity, dates by prefix); a fused event keeps the value most
sources support for each role and lists the roles on which sources disagree.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..models import Event, stable_id
from ..ontology import ontology
from ..values.dates import agree
from ..values.names import key_for


def same_event(a: Event, b: Event) -> bool:
    """Do two candidates of one type report the same real-world event? (the type's `same`)"""
    return a.type == b.type and ontology()[a.type].same(a.args, b.args)


def differ(a: Event, b: Event) -> bool:
    """Do two reports give different values for a role whose sources disagreeing is a conflict
    (dates, numbers, money)? Two such reports that are not `same_event` can never be one event, even
    through a third report that agrees with both ("30 Rafale" and "24 Rafale in 2015", joined by an
    undated "the Rafale"). Dates differ by month: sources often disagree on the day of one visit."""
    for role in ontology()[a.type].roles.values():
        if role.type.date or role.type.conflicts:
            x, y = a.args.get(role.name), b.args.get(role.name)
            if (
                x not in (None, "", [])
                and y not in (None, "", [])
                and not (agree(str(x)[:7], str(y)[:7]) if role.type.date else x == y)
            ):
                return True
    return False


def blocks(event: Event) -> set[str]:
    """Keys such that two candidates `same_event` may join share at least one of them.

    Fusion compares a candidate only with the clusters in its blocks, not with every cluster
    of its type: the same result as comparing all pairs, at a cost that grows with the size
    of a block rather than of the corpus. Worked out once per type and arguments (a recent few
    hundred thousand kept): consolidation asks for a candidate's keys several times.
    """
    type_ = ontology()[event.type]
    key = f"{id(type_)}|{_key(event.args)}"
    found = _BLOCKS.get(key)
    if found is None:
        if len(_BLOCKS) >= 200_000:
            _BLOCKS.clear()
        found = _BLOCKS[key] = (type_, frozenset(type_.blocks(event.args)))  # the type kept: its id too
    return set(found[1])


_BLOCKS: dict[str, tuple[object, frozenset[str]]] = {}


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


# A report's weight as a witness when its rule gives none: a reported fact or a plan, a possibility
# or a denial (on the development sets, 82% and 43% of these are right).
REPORTED, UNREPORTED = 0.72, 0.42


def confidence(cluster: list[Event], identified: float, filled: float) -> float:
    """How likely the fused event is right, in [0, 1]: each source document's best report is an
    independent witness (1 - the product of their doubts), scaled by how much of the event the
    text gives (identifying roles, then all roles: fuller reports are more often right).
    Calibrated on the development sets: `python bench/confidence.py` prints precision per band."""
    best: dict[str, float] = {}
    for e in cluster:
        c = e.confidence if e.confidence is not None else REPORTED if e.modality == "reported" else UNREPORTED
        for doc in e.docs:
            best[doc] = max(best.get(doc, 0.0), c)
    doubt = 1.0
    for c in best.values():
        doubt *= 1 - c
    return round(min(1.0, (1 - doubt) * (0.5 + 0.5 * identified) * (0.75 + 0.5 * filled)), 2)


def _merge(cluster: list[Event]) -> Event:
    """One event from the reports of it: values by support, conflicts listed, evidence unioned.

    How a role merges follows its value type: lists are the union of their members, dates the
    most precise one the best supported agrees with, the rest the best supported value; sources
    disagreeing is a conflict for the value types that say so (numbers, money).
    """
    type_ = ontology()[cluster[0].type]
    args: dict[str, Any] = {}
    conflicts = []
    for role in type_.roles.values():
        if role.type.many:
            merged: list[Any] = []
            seen: set[str] = set()
            for e in cluster:
                for v in e.args.get(role.name) or []:
                    if (k := key_for("person", str(v))) not in seen:
                        seen.add(k)
                        merged.append(v)
            if merged:
                args[role.name] = merged
            continue
        support: dict[str, set[str]] = defaultdict(set)
        values: dict[str, Any] = {}
        for e in cluster:
            v = e.args.get(role.name)
            if v in (None, "", []):
                continue
            k = _key(v)
            values[k] = v
            support[k] |= set(e.docs)
        if not values:
            continue
        if role.type.date:
            # "2022" and "2022-04" agree: the most precise date that the others are prefixes of.
            ranked = sorted(values, key=lambda k: (-len(support[k]), -len(str(values[k]))))
            best = ranked[0]
            for k in ranked:
                if str(values[k]).startswith(str(values[best])):
                    best = k
            disagree = [k for k in values if not agree(values[k], values[best])]
        else:
            best = sorted(values, key=lambda k: (-len(support[k]), -len(str(values[k])), k))[0]
            disagree = [k for k in values if k != best] if role.type.conflicts else []
        args[role.name] = values[best]
        if disagree:
            conflicts.append(
                {
                    "role": role.name,
                    "values": [values[best]] + [values[k] for k in disagree],
                    "sources": {str(values[k]): sorted(support[k]) for k in [best, *disagree]},
                }
            )
    evidence = sorted(dict.fromkeys(s for e in cluster for s in e.evidence), key=lambda s: (s.doc, s.start))
    modalities = [e.modality for e in cluster]
    modality = "reported" if "reported" in modalities else max(set(modalities), key=modalities.count)
    key = [args.get(r) for r in type_.identity]
    identified = sum(1 for r in type_.identity if args.get(r) not in (None, "", [])) / len(type_.identity)
    filled = sum(1 for r in type_.roles if args.get(r) not in (None, "", [])) / len(type_.roles)
    return Event(
        type=type_.name,
        args=args,
        evidence=evidence,
        modality=modality,
        date=type_.date(args),
        conflicts=conflicts,
        role_spans=cluster[0].role_spans,
        id=stable_id("evt", type_.name, key, evidence[0].as_dict()),
        confidence=confidence(cluster, identified, filled),
    )


class Components:
    """Block keys joined by the candidates that share them (union-find).

    Candidates whose keys fall in different components are never compared, so each component
    can be fused on its own; a component is numbered by its first candidate.
    """

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.first: dict[str, int] = {}

    def _find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def add(self, keys: set[str], order: int) -> str:
        """Join a candidate's block keys; returns the one to file it under."""
        ordered = sorted(keys) or [f"#{order}"]  # no block: a component of its own
        for key in ordered:
            if key not in self.parent:
                self.parent[key], self.first[key] = key, order
        root = self._find(ordered[0])
        for key in ordered[1:]:
            other = self._find(key)
            if other != root:
                if self.first[other] < self.first[root]:
                    root, other = other, root
                self.parent[other] = root
        return ordered[0]

    def roots(self) -> dict[str, int]:
        """Every key -> the number of its component."""
        return {key: self.first[self._find(key)] for key in self.parent}


def fuse(candidates: Iterable[Event]) -> list[Event]:
    """Corpus-level events from per-document candidates, in a deterministic order."""
    return [event for event, _ in fuse_members(list(candidates))]


def fuse_members(candidates: list[Event]) -> list[tuple[Event, list[int]]]:
    """`fuse`, each event with the positions of the candidates it was fused from."""
    clusters: list[list[int]] = []
    # `same_event` reads only types and arguments, so a candidate is compared with one member
    # per distinct set of arguments in a cluster: many reports of one event repeat its values.
    distinct: list[dict[str, Event]] = []
    by_block: dict[str, list[int]] = defaultdict(list)
    # Both read only the arguments, which reports of one event repeat: each is worked out once
    # per distinct set of arguments (or pair of them).
    keyed: dict[str, set[str]] = {}
    same: dict[tuple[str, str], bool] = {}
    apart: dict[tuple[str, str], bool] = {}
    docs: list[dict[str, set[str]]] = []  # per cluster, the documents reporting each set of arguments

    def matches(key: str, candidate: Event, other: str, member: Event) -> bool:
        if (key, other) not in same:
            same[(key, other)] = same_event(candidate, member)
        return same[(key, other)]

    def joins(key: str, candidate: Event, c: int) -> bool:
        """A cluster takes a candidate that one member reports the same and no other member `differ`s
        from; nor one that `differ`s from a member its own document reports (a text that gives two
        numbers for one system, "30 Rafale" and "24 Rafale in 2015", reports two deals)."""
        found = [(matches(key, candidate, o, m), o, m) for o, m in distinct[c].items()]
        if not any(ok for ok, _, _ in found):
            return False
        own = set(candidate.docs)
        return not any(
            differs(key, candidate, o, m) and (not ok or not own.isdisjoint(docs[c][o])) for ok, o, m in found
        )

    def differs(key: str, candidate: Event, other: str, member: Event) -> bool:
        if (key, other) not in apart:
            apart[(key, other)] = differ(candidate, member)
        return apart[(key, other)]

    for i, candidate in enumerate(candidates):
        key = _key([candidate.type, candidate.args])
        keys = keyed[key] if key in keyed else keyed.setdefault(key, blocks(candidate))
        # The earliest cluster, among those sharing a block, that has a matching member.
        near = sorted({c for k in keys for c in by_block[k]})
        home = next((c for c in near if joins(key, candidate, c)), None)
        if home is None:
            home = len(clusters)
            clusters.append([])
            distinct.append({})
            docs.append(defaultdict(set))
        clusters[home].append(i)
        distinct[home].setdefault(key, candidate)
        docs[home][key] |= set(candidate.docs)
        for k in keys:
            if home not in by_block[k]:
                by_block[k].append(home)
    by_type: dict[str, list[list[int]]] = defaultdict(list)
    for cluster in clusters:
        by_type[candidates[cluster[0]].type].append(cluster)
    pairs = [(_merge([candidates[i] for i in c]), c) for t in sorted(by_type) for c in by_type[t]]
    unique([e for e, _ in pairs], set())
    return sorted(pairs, key=lambda p: (p[0].type, p[0].date or "9999", p[0].id))


def unique(events: list[Event], seen: set[str]) -> list[Event]:
    """Events with ids not in `seen` (which they are added to): two events one sentence reports
    with the same identifying values would otherwise share one id."""
    for e in events:
        n = 0
        while e.id in seen:
            n += 1
            e.id = stable_id("evt", e.type, e.args, e.evidence[0].as_dict(), n)
        seen.add(e.id)
    return events
