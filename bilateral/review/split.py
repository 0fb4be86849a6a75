"""Splitting an event that is two: the reports citing some of its evidence become an event of
their own, fused again from the per-document candidates (so each side's values are what its own
sources say, not what the merged event said)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..fusion import _merge
from ..models import Event, stable_id
from ..ontology import ontology
from .judgement import ReviewError

if TYPE_CHECKING:
    from ..store import Store


def spans_of(event: Event) -> list[str]:
    """The event's evidence as the keys judgements use: `doc:start-end`."""
    return [f"{s.doc}:{s.start}-{s.end}" for s in event.evidence]


def sources(event: Event, given: list[str]) -> list[str]:
    """The spans an analyst moves out, from spans (`doc:start-end`) or documents (all the spans the
    event cites in it); an error names one the event does not cite."""
    cited = spans_of(event)
    out: list[str] = []
    for source in given:
        found = [s for s in cited if s == source or s.rpartition(":")[0] == source]
        if not found:
            raise ReviewError(f"the event does not cite {source!r}; its evidence: {', '.join(cited)}")
        out += [s for s in found if s not in out]
    if not out or len(out) == len(cited):
        raise ReviewError("a split moves some of the event's evidence out and keeps the rest")
    return sorted(out)


def split(store: Store, event: Event, moved: list[str]) -> list[Event] | None:
    """The two events the split makes, the one that keeps the judged event's review first; None when
    the event no longer cites what moved, or no report is left on one side. A report citing a moved
    span moves with all it cites (a sentence that mentions the event again belongs to its report)."""
    from ..consolidate import canonical, fused_names, names_by_doc

    cited = set(spans_of(event))
    if not set(moved) < cited:
        return None
    names = fused_names(store.entities(with_mentions=False))
    out: list[Event] = []
    kept: list[Event] = []
    for doc in dict.fromkeys(s.doc for s in event.evidence):
        by_doc = names_by_doc(store.mention_links(doc, doc), names).get(doc, {})
        for candidate in store.candidates(doc, doc):
            spans = set(spans_of(candidate))
            if candidate.type != event.type or not spans <= cited:
                continue
            canonical(candidate, by_doc)
            (kept if spans.isdisjoint(moved) else out).append(candidate)  # a report moves whole
    if not out or not kept:
        return None
    stays, leaves = _merge(kept), _merge(out)
    stays.review, stays.notes = event.review, list(event.notes)
    for role, extracted in event.corrections.items():  # earlier corrections stay with what was judged
        stays.corrections[role] = extracted
        stays.args[role] = event.args.get(role)
    stays.date = ontology()[stays.type].date(stays.args)
    if leaves.id == stays.id or store.event(leaves.id) is not None:
        leaves.id = stable_id("evt", leaves.id, "split")
    return [stays, leaves]
