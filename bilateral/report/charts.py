"""The briefing's charts, drawn with matplotlib into SVG (for HTML) or PNG (for Markdown) bytes.

Rendered without fonts or files from outside: text is drawn as paths, and the SVG ids and
metadata are fixed, so that the same knowledge base gives the same report byte for byte.
"""

from __future__ import annotations

import io
from collections import Counter

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..models import Event
from ..ontology import ontology
from ..values.display import humanize

# Figures are made without pyplot: no global state, safe in a web server's threads.
matplotlib.rcParams.update({"svg.hashsalt": "bilateral", "svg.fonttype": "path", "font.size": 9})


def _year(event: Event) -> int | None:
    return int(event.date[:4]) if event.date and event.date[:4].isdigit() else None


OUTLIER_GAP = 5  # years between an event and the dense period before it is left out, with a note


def dense(events: list[Event]) -> tuple[list[Event], list[Event]]:
    """The dated events of the dense period, and the far-off ones before it.

    A 1955 treaty beside twenty years of events would squeeze them into a fifth of the chart:
    events more than OUTLIER_GAP years before the first tenth of the dates are left out of the
    charts and named in a note instead.
    """
    dated = sorted((e for e in events if _year(e) is not None), key=lambda e: (e.date or "", e.id))
    if not dated:
        return [], []
    start = _year(dated[len(dated) // 10]) or 0
    far = [e for e in dated if (_year(e) or 0) < start - OUTLIER_GAP]
    return [e for e in dated if e not in far], far


def _note(ax: Axes, far: list[Event]) -> None:
    """Name the far-off events under the axis (the layout makes room for an axis label)."""
    if far:
        shown = "; ".join(f"{e.date} {humanize(e.type)}" for e in far[:4]) + ("; …" if len(far) > 4 else "")
        ax.set_xlabel(f"Not shown, long before the rest: {shown}", fontsize=7, color="#555555", loc="left")


def timeline_chart(events: list[Event]) -> Figure:
    """Each dated event as a dot on its type's row, by (fractional) date."""
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    ax = fig.subplots()
    events, far = dense(events)
    _note(ax, far)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    present = [t for t in ontology() if any(e.type == t.name and e.date for e in events)]
    for row, type_ in enumerate(present):
        xs = [_decimal(e.date) for e in events if e.type == type_.name and e.date]
        ax.scatter(xs, [row] * len(xs), s=36, color=type_.color, alpha=0.8, edgecolors="none")
    ax.set_yticks(range(len(present)), [humanize(t.name) for t in present])
    ax.set_ylim(-0.7, max(len(present) - 0.3, 0.7))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Timeline of dated events")
    return fig


def _decimal(date: str | None) -> float:
    """ "2024-05-07" -> 2024.35: the year and how far into it the date falls."""
    assert date
    parts = [int(p) for p in date.split("-")]
    month = parts[1] if len(parts) > 1 else 6.5
    day = parts[2] if len(parts) > 2 else 15
    return parts[0] + (month - 1) / 12 + (day - 1) / 365


def per_year_chart(events: list[Event]) -> Figure:
    """Stacked bars: events per year, by type."""
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    events, far = dense(events)
    counts = Counter((y, e.type) for e in events if (y := _year(e)) is not None)
    years = sorted({y for y, _ in counts})
    ax = fig.subplots()
    _note(ax, far)
    bottom = [0] * len(years)
    for type_ in ontology():
        heights = [counts.get((y, type_.name), 0) for y in years]
        if any(heights):
            ax.bar(years, heights, bottom=bottom, color=type_.color, label=humanize(type_.name))
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title("Events per year, by type")
    if any(counts.values()):  # no dated event: no bars, no legend
        ax.legend(fontsize=7, ncols=4, frameon=False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", alpha=0.3)
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes, with no date or tool metadata (reproducible output)."""
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, metadata=metadata, dpi=110)
    return buf.getvalue()
