"""Fusion's blocking gives exactly what comparing every pair gives, on the sample corpus."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import bilateral
from bilateral.consolidate import canonical, names_by_doc
from bilateral.fusion import _merge, blocks, differ, fuse, same_event
from bilateral.models import Event


def _all_pairs(candidates: list[Event]) -> list[Event]:
    """The reference: each candidate joins the first cluster of its type with a matching member and
    no member it differs from that is not the same or shares a document with it."""
    by_type: dict[str, list[list[Event]]] = defaultdict(list)
    for c in candidates:
        for cluster in by_type[c.type]:
            found = [(same_event(c, m), set(c.docs) & set(m.docs), m) for m in cluster]
            if any(ok for ok, _, _ in found) and not any(
                (not ok or shared) and differ(c, m) for ok, shared, m in found
            ):
                cluster.append(c)
                break
        else:
            by_type[c.type].append([c])
    events = [_merge(cl) for t in sorted(by_type) for cl in by_type[t]]
    return sorted(events, key=lambda e: (e.type, e.date or "9999", e.id))


def test_blocking_changes_nothing(sample_db: Path) -> None:
    with bilateral.open(sample_db) as kb:
        candidates = kb.store.candidates()
        people = {e.id: e.name for e in kb.entities() if e.type in ("person", "organisation")}
        links = [(m.doc, m.text, m.entity_id) for m in kb.store.mentions()]
        names = names_by_doc(links, people)
        stored = kb.events()
    for c in candidates:
        canonical(c, names.get(c.evidence[0].doc, {}))
    assert len(candidates) > 80
    blocked = fuse(candidates)
    reference = _all_pairs(candidates)
    assert [e.id for e in blocked] == [e.id for e in reference]
    assert [e.evidence for e in blocked] == [e.evidence for e in reference]
    # What consolidation stored, fusing one component at a time, is the same.
    assert sorted(e.id for e in stored) == sorted(e.id for e in blocked)


def test_matching_candidates_share_a_block(sample_db: Path) -> None:
    with bilateral.open(sample_db) as kb:
        candidates = list(kb.store.candidates())
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            if a.type == b.type and same_event(a, b):
                assert blocks(a) & blocks(b), (a.args, b.args)


def _report(doc: str, quantity: int, confidence: float | None = None) -> Event:
    from bilateral.models import Span

    args = {"supplier": "CHN", "recipient": "SRB", "system": "CH-92A", "quantity": quantity}
    return Event("arms_transfer", args, [Span(doc, 0, 6, "drones")], confidence=confidence)


def test_independent_sources_raise_confidence_and_disagreements_are_conflicts() -> None:
    one = fuse([_report("a", 6)])
    assert len(one) == 1 and one[0].confidence is not None and 0.6 < one[0].confidence < 0.8
    three = fuse([_report("a", 6), _report("b", 9), _report("c", 6, 0.9)])
    assert len(three) == 1
    event = three[0]
    assert event.confidence is not None and event.confidence > 0.9 > one[0].confidence
    assert event.args["quantity"] == 6
    assert event.conflicts == [
        {"role": "quantity", "values": [6, 9], "sources": {"6": ["a", "c"], "9": ["b"]}}
    ]
    # The same document twice is one witness, not two.
    assert fuse([_report("a", 6), _report("a", 6)])[0].confidence == one[0].confidence
    # A plan is less sure than a report; fewer roles given, less sure too.
    planned = _report("a", 6)
    planned.modality = "planned"
    assert (fuse([planned])[0].confidence or 1) < 0.5
    bare = _report("a", 6)
    del bare.args["quantity"], bare.args["supplier"]
    assert (fuse([bare])[0].confidence or 1) < (one[0].confidence or 0)


def _event(type_: str, args: dict[str, object], doc: str = "a", start: int = 0) -> Event:
    from bilateral.models import Span

    return Event(type_, args, [Span(doc, start, start + 5, "words")])


def test_what_the_ontology_files_say_is_one_event() -> None:
    usd = lambda n: {"amount": n, "currency": "USD"}  # noqa: E731
    flow = {"exporter": "CHN", "importer": "BGD", "period": "2022"}
    assert len(fuse([_event("trade", flow | {"value": usd(13_120_000_000)}, "a"),
                     _event("trade", flow | {"value": usd(13_100_000_000)}, "b")])) == 1  # fmt: skip
    assert len(fuse([_event("trade", flow | {"value": usd(13_120_000_000)}, "a"),
                     _event("trade", flow | {"value": usd(9_870_000_000)}, "b")])) == 2  # fmt: skip
    loan = {"lender": "CHN", "borrower": "SRB", "value": usd(1_000_000_000)}
    rail = _event("loan", loan | {"purpose": "the Belgrade-Budapest railway"}, "a")
    power = _event("loan", loan | {"purpose": "a coal power plant in Kostolac"}, "b")
    assert len(fuse([rail, power])) == 2 and len(fuse([rail, _event("loan", loan, "b")])) == 1
    deal = {"recipient": "IND", "system": "Rafale", "supplier": "FRA"}
    assert len(fuse([_event("arms_transfer", deal | {"ordered": "2015"}, "a"),
                     _event("arms_transfer", deal | {"ordered": "2021"}, "b")])) == 2  # fmt: skip
    short = _event("statement", {"speaker": "X Y", "quote": "breakthrough"}, "a")
    long_ = _event("statement", {"speaker": "X Y", "quote": "a breakthrough for both"}, "b")
    assert len(fuse([short, long_])) == 2
    # Two loans one sentence reports between the same parties: two events, two ids.
    two = fuse([_event("loan", {"lender": "JPN", "borrower": "BGD", "value": usd(1)}, "a"),
                _event("loan", {"lender": "JPN", "borrower": "BGD", "value": usd(9)}, "a")])  # fmt: skip
    assert len(two) == 2 and len({e.id for e in two}) == 2


def test_a_report_that_agrees_with_two_deals_does_not_join_them() -> None:
    deal = {"recipient": "EGY", "system": "Rafale", "supplier": "FRA"}
    bare = _event("arms_transfer", deal, "a", 0)
    new = _event("arms_transfer", deal | {"quantity": 30}, "a", 10)
    old = _event("arms_transfer", deal | {"quantity": 24, "ordered": "2015"}, "a", 20)
    for order in ([bare, new, old], [new, bare, old], [old, bare, new], [bare, old, new]):
        fused = fuse(order)
        assert sorted(e.args.get("quantity") for e in fused) == [24, 30], order
        assert all(not e.conflicts for e in fused)
    # Dated alike, different numbers are one deal with a conflict (the gold notes' convention).
    nine = _event("arms_transfer", deal | {"quantity": 9, "ordered": "2018"}, "a")
    five = _event("arms_transfer", deal | {"quantity": 5, "ordered": "2018-09"}, "b")
    (one,) = fuse([nine, five])
    assert one.conflicts and one.conflicts[0]["role"] == "quantity"
    # Meetings on different days stay apart though an undated report names the people of both.
    people = {"participants": ["Ann Lee", "Bo Chan"]}
    first = _event("meeting", people | {"date": "2024-03-02"}, "a")
    undated = _event("meeting", people, "b")
    later = _event("meeting", people | {"date": "2024-06-11"}, "c")
    assert len(fuse([undated, first, later])) == 2
    # A day apart in one month is the same visit as its sources disagree on (7 May, 8 May).
    next_day = _event("meeting", people | {"date": "2024-03-03"}, "d")
    assert len(fuse([undated, first, next_day, later])) == 2


def test_a_batch_of_instruments_is_not_one_of_them() -> None:
    sides = {"parties": ["NPL", "IND"], "kind": "loan"}
    one = _event(
        "agreement", sides | {"title": "a $1bn line of credit agreement", "signed": "2019-03-04"}, "a"
    )
    two = _event("agreement", sides | {"title": "two LoCs"}, "a", 50)
    again = _event("agreement", sides | {"title": "the credit agreement"}, "b")
    assert len(fuse([one, two])) == 2
    assert len(fuse([one, again])) == 1


def _fused(kind: str, first: str | None, later: str | None, apart: bool = False) -> int:
    """How many events two agreements between the same parties fuse into: the first signed on
    8 May 2024 in document a; the later one in the same document, signed that day (`apart`), or
    undated in document b."""
    sides = {"parties": ["SRB", "CHN"], "kind": kind}
    one = _event("agreement", sides | {"title": first, "signed": "2024-05-08"}, "a")
    other = (
        _event("agreement", sides | {"title": later, "signed": "2024-05-08"}, "a", 60)
        if apart
        else _event("agreement", sides | {"title": later}, "b")
    )
    return len(fuse([one, other]))


def test_instruments_on_different_subjects_are_two_events_signed_together_or_not() -> None:
    """A state visit's railway agreement and bridge memorandum are two instruments, dated alike or
    not; "the FTA" and "a free trade agreement", or a report naming the same subject, are one."""
    railway, bridge = "an agreement on a high-speed railway", "a memorandum of understanding on a bridge"
    assert _fused("infrastructure", railway, bridge, apart=True) == 2
    assert _fused("infrastructure", railway, bridge) == 2
    assert _fused("infrastructure", railway, "the railway deal") == 1
    assert _fused("infrastructure", railway, None) == 1  # no title says what it is about: as before
    # One instrument in other words: plurals, synonyms, the parties' names, a kind two states sign once.
    for x, y in (
        ("the agreement on railways", "the railway deal"),
        ("an agreement on defence cooperation", "the military cooperation agreement"),
        ("the Serbian-Chinese railway agreement", "the China-Serbia railway deal"),
    ):
        assert _fused("infrastructure", x, y) == 1, (x, y)
    security, industry = "an agreement on information security", "an agreement on the defence industry"
    assert _fused("other", security, industry, apart=True) == 2  # synonyms are few: not defence
    assert _fused("free_trade", "a free trade agreement", "the FTA") == 1
    assert _fused("free_trade", "a free-trade pact", "the FTA") == 1
