"""Fusion: reports of one real-world event, within and across documents, become one event.

Candidates are blocked by type and compared on their identifying roles (names by folded
form and fuzzy similarity, dates by prefix); a fused event keeps the value most sources
support for each role and lists the roles on which sources disagree.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from ..events.ontology import DATE_ROLES, LIST_ROLES, types
from ..models import Event, stable_id
from ..nlp.lexicon import fold
from ..nlp.mentions import key_for


def _same_name(a: Any, b: Any, threshold: float = 85) -> bool:
    if a is None or b is None:
        return False
    ka, kb = key_for("agreement", str(a)), key_for("agreement", str(b))
    if ka == kb:
        return True
    return fuzz.token_set_ratio(ka, kb) >= threshold and fuzz.ratio(ka, kb) >= 70


def _same_system(a: str, b: str) -> bool:
    ka, kb = key_for("weapon", a), key_for("weapon", b)
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return (
        bool(short)
        and long_.startswith(short)
        and long_[len(short) :].isalpha()
        and len(long_) - len(short) <= 1
    )


def _same_exercise_name(a: str, b: str) -> bool:
    """Exercise names reported in several forms ("X Defender 2025", "X-keeper 2025"): same year, alike."""
    ya, yb = re.findall(r"\d{4}", a), re.findall(r"\d{4}", b)
    if ya and yb and ya != yb:
        return False
    wa, wb = (
        re.sub(r"[\d-]+", " ", key_for("exercise", a)).strip(),
        re.sub(r"[\d-]+", " ", key_for("exercise", b)).strip(),
    )
    return fuzz.ratio(wa, wb) >= 60 or _same_name(a, b)


def _dates_agree(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True
    return str(a).startswith(str(b)) or str(b).startswith(str(a))


def _members(value: Any) -> set[str]:
    return {key_for("person", str(v)) for v in (value or [])}


def _people_match(a: str, b: str) -> bool:
    ka, kb = key_for("person", a), key_for("person", b)
    return ka == kb or ka.split()[-1] == kb.split()[-1]


def _quote_overlap(a: str, b: str) -> bool:
    ta, tb = set(fold(a).split()), set(fold(b).split())
    if not ta or not tb:
        return False
    inter = len(ta & tb)
    return inter / min(len(ta), len(tb)) >= 0.6


def same_event(a: Event, b: Event) -> bool:
    """Do two candidates of one type report the same real-world event?"""
    x, y = a.args, b.args
    match a.type:
        case "arms_transfer":
            return x.get("recipient") == y.get("recipient") and _same_system(x["system"], y["system"])
        case "exercise":
            if len(_members(x.get("participants")) & _members(y.get("participants"))) < 2:
                return False
            if x.get("name") and y.get("name"):
                return _same_exercise_name(x["name"], y["name"]) and _dates_agree(
                    x.get("date"), y.get("date")
                )
            return (
                x.get("date") is not None and y.get("date") is not None and _dates_agree(x["date"], y["date"])
            )
        case "agreement":
            if _members(x.get("parties")) != _members(y.get("parties")) or x.get("kind") != y.get("kind"):
                return False
            if x.get("signed") and y.get("signed"):
                return _dates_agree(x["signed"], y["signed"])
            # Of one specific kind between the same parties, an undated report is most likely the
            # dated one ("the FTA", "a free-trade agreement signed in 2023").
            return x.get("kind") != "other" or _same_name(x.get("title"), y.get("title"))
        case "investment":
            return _same_name(x.get("investor"), y.get("investor")) and _same_name(
                x.get("target"), y.get("target")
            )
        case "loan":
            if x.get("lender") != y.get("lender") or x.get("borrower") != y.get("borrower"):
                return False
            if x.get("value") and y.get("value"):
                return bool(x["value"] == y["value"])
            return _same_name(x.get("purpose"), y.get("purpose"), 75)
        case "trade":
            return (x.get("exporter"), x.get("importer")) == (
                y.get("exporter"),
                y.get("importer"),
            ) and _dates_agree(x.get("period"), y.get("period"))
        case "meeting":
            px, py = _members(x.get("participants")), _members(y.get("participants"))
            precise = len(str(x.get("date") or "")) >= 7 and len(str(y.get("date") or "")) >= 7
            if len(px & py) < (1 if precise else min(2, len(px), len(py))):
                return False
            if x.get("date") and y.get("date"):
                return _dates_agree(x["date"], y["date"])
            return px == py
        case "statement":
            return _people_match(x["speaker"], y["speaker"]) and _quote_overlap(x["quote"], y["quote"])
    return False


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _merge(cluster: list[Event]) -> Event:
    """One event from the reports of it: values by support, conflicts listed, evidence unioned."""
    type_ = cluster[0].type
    args: dict[str, Any] = {}
    conflicts = []
    roles = types()[type_]["roles"]
    for role in roles:
        if role in LIST_ROLES:
            merged: list[Any] = []
            seen: set[str] = set()
            for e in cluster:
                for v in e.args.get(role) or []:
                    if (k := key_for("person", str(v))) not in seen:
                        seen.add(k)
                        merged.append(v)
            if merged:
                args[role] = merged
            continue
        support: dict[str, set[str]] = defaultdict(set)
        values: dict[str, Any] = {}
        for e in cluster:
            v = e.args.get(role)
            if v in (None, "", []):
                continue
            k = _key(v)
            values[k] = v
            support[k] |= set(e.docs)
        if not values:
            continue
        if role in DATE_ROLES:
            # "2022" and "2022-04" agree: the most precise date that the others are prefixes of.
            ranked = sorted(values, key=lambda k: (-len(support[k]), -len(str(values[k]))))
            best = ranked[0]
            for k in ranked:
                if str(values[k]).startswith(str(values[best])):
                    best = k
            disagree = [k for k in values if not _dates_agree(values[k], values[best])]
        else:
            best = sorted(values, key=lambda k: (-len(support[k]), -len(str(values[k])), k))[0]
            disagree = [k for k in values if k != best] if role in ("quantity", "value", "stake") else []
        args[role] = values[best]
        if disagree:
            conflicts.append(
                {
                    "role": role,
                    "values": [values[best]] + [values[k] for k in disagree],
                    "sources": {str(values[k]): sorted(support[k]) for k in [best, *disagree]},
                }
            )
    evidence = sorted(dict.fromkeys(s for e in cluster for s in e.evidence), key=lambda s: (s.doc, s.start))
    modalities = [e.modality for e in cluster]
    modality = "reported" if "reported" in modalities else max(set(modalities), key=modalities.count)
    date_role = {"arms_transfer": "delivered", "agreement": "signed", "trade": "period"}.get(type_, "date")
    date = args.get(date_role) or args.get("ordered")
    key = [args.get(r) for r in types()[type_]["key"]]
    return Event(
        type=type_,
        args=args,
        evidence=evidence,
        modality=modality,
        date=date,
        conflicts=conflicts,
        role_spans=cluster[0].role_spans,
        id=stable_id("evt", type_, key, evidence[0].as_dict()),
    )


def blocks(event: Event) -> set[str]:
    """Keys such that two candidates `same_event` may join share at least one of them.

    Fusion compares a candidate only with the clusters in its blocks, not with every cluster
    of its type: the same result as comparing all pairs, at a cost that grows with the size
    of a block rather than of the corpus.
    """
    x = event.args

    def keys(*values: Any) -> set[str]:
        return {f"{event.type}|{v}" for v in values}

    match event.type:
        case "arms_transfer":
            system = re.sub(r"(?<=\d)[A-Z]$", "", key_for("weapon", str(x.get("system", ""))))
            return keys(f"{x.get('recipient')}|{system}")
        case "exercise" | "meeting":
            return keys(*_members(x.get("participants")))
        case "agreement":
            return keys("|".join(sorted(_members(x.get("parties")))))
        case "investment":
            return keys(*(w for w in key_for("agreement", str(x.get("investor", ""))).split() if len(w) > 2))
        case "loan":
            return keys(f"{x.get('lender')}|{x.get('borrower')}")
        case "trade":
            return keys(f"{x.get('exporter')}|{x.get('importer')}")
        case "statement":
            return keys(key_for("person", str(x.get("speaker", ""))).split()[-1:] or [""])
    return keys("")


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
    clusters: list[list[Event]] = []
    # `same_event` reads only types and arguments, so a candidate is compared with one member
    # per distinct set of arguments in a cluster: many reports of one event repeat its values.
    distinct: list[dict[str, Event]] = []
    by_block: dict[str, list[int]] = defaultdict(list)
    for candidate in candidates:
        keys = blocks(candidate)
        # The earliest cluster, among those sharing a block, that has a matching member.
        near = sorted({i for k in keys for i in by_block[k]})
        home = next((i for i in near if any(same_event(candidate, m) for m in distinct[i].values())), None)
        if home is None:
            home = len(clusters)
            clusters.append([])
            distinct.append({})
        clusters[home].append(candidate)
        distinct[home].setdefault(_key(candidate.args), candidate)
        for k in keys:
            if home not in by_block[k]:
                by_block[k].append(home)
    by_type: dict[str, list[list[Event]]] = defaultdict(list)
    for cluster in clusters:
        by_type[cluster[0].type].append(cluster)
    events = [_merge(c) for t in sorted(by_type) for c in by_type[t]]
    return sorted(events, key=lambda e: (e.type, e.date or "9999", e.id))
