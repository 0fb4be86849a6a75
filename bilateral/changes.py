"""What a consolidation changed: new events, new evidence for known events, changed values, new
conflicts, events gone. Each run compares the fused events with those the last run left, an
event found again by an evidence span it still cites (its id changes when a new first report
comes in), and records the differences, so that an analyst sees what new articles brought.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .models import Event

if TYPE_CHECKING:
    from .store import Store

KINDS = ("new event", "new evidence", "changed", "new conflict", "gone")


def _spans(event: Event) -> set[tuple[str, int, int]]:
    return {(s.doc, s.start, s.end) for s in event.evidence}


def compare(before: list[Event], after: list[Event]) -> list[tuple[str, str, str, str, str]]:
    """(kind, event id, type, summary, detail) for each difference between two runs' events."""
    from .views import summary

    by_span: dict[tuple[str, tuple[str, int, int]], Event] = {}
    for event in before:
        for span in _spans(event):
            by_span.setdefault((event.type, span), event)
    found: set[str] = set()
    out = []
    for new in after:
        old = next((by_span[(new.type, s)] for s in sorted(_spans(new)) if (new.type, s) in by_span), None)
        line = summary(new)
        if old is None:
            out.append(("new event", new.id, new.type, line, "; ".join(new.docs)))
            continue
        found.add(old.id)
        if added := sorted(set(new.docs) - set(old.docs)):
            out.append(("new evidence", new.id, new.type, line, "; ".join(added)))
        for role in sorted(set(old.args) | set(new.args)):
            if old.args.get(role) != new.args.get(role):
                detail = f"{role}: {old.args.get(role)} -> {new.args.get(role)}"
                out.append(("changed", new.id, new.type, line, detail))
        known = {c["role"] for c in old.conflicts}
        for c in new.conflicts:
            if c["role"] not in known:
                values = ", ".join(str(v) for v in c["values"])
                out.append(("new conflict", new.id, new.type, line, f"{c['role']}: {values}"))
    for event in before:
        if event.id not in found:
            out.append(("gone", event.id, event.type, summary(event), "; ".join(event.docs)))
    return out


def after(runs: list[dict[str, Any]], since: int | str | None) -> int:
    """The run whose successors `since` asks for: a run number, a date (the runs from that day on),
    or, by default, the one before the last."""
    if since is None:
        return int(runs[-2]["id"]) if len(runs) > 1 else 0
    if isinstance(since, int) or since.isdigit():
        return int(since)
    return max((int(r["id"]) for r in runs if r["at"] < since), default=0)


def record(store: Store, analysed: int, analyser: str, touched: set[str] | None = None) -> int:
    """Compare this run's events with the last run's and store the run; returns its number.

    `touched`: the ids of the events an incremental run removed or added, the others being as
    the last run left them; only those are compared and kept as the state to compare with."""
    if touched is None:
        found = compare(store.event_states(), store.events())
    else:
        found = compare(store.event_states(touched), store.events_by_id(touched))
    at = datetime.now(UTC).isoformat(timespec="seconds")
    return store.put_run(at, store.counts()["documents"], analysed, analyser, found, touched)
