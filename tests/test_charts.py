"""The briefing's charts span the dense period and name the far-off events they leave out."""

from __future__ import annotations

from bilateral.models import Event, Span
from bilateral.report import charts


def _event(date: str, type_: str = "agreement") -> Event:
    return Event(type_, {}, [Span("d", 0, 1, "x")], date=date, id=f"e{date}")


def test_far_off_events_are_named_not_plotted() -> None:
    events = [
        _event("1955"),
        *(_event(f"{y}-0{1 + y % 9}") for y in range(2005, 2026)),
        _event("2020", "loan"),
    ]
    near, far = charts.dense(events)
    assert [e.date for e in far] == ["1955"] and len(near) == len(events) - 1
    svg = charts.render(charts.timeline_chart(events), "svg")
    assert b"<svg" in svg
    fig = charts.per_year_chart(events)
    assert "1955 agreement" in fig.axes[0].get_xlabel()
    # Without an outlier nothing is left out and there is no note.
    near, far = charts.dense(events[1:])
    assert not far and charts.per_year_chart(events[1:]).axes[0].get_xlabel() == ""
