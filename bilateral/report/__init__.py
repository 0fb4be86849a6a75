"""The briefing report: one self-contained HTML or Markdown file an analyst can send on.

Summary counts, a timeline chart and an events-per-year chart, the timeline, the registers,
the conflicts and key quotes. Every fact carries a numbered footnote that lists its sources
(title, outlet, date) with the sentence each one says it in. Charts are embedded (inline SVG
in HTML, PNG data URIs in Markdown), so the file opens without a network.
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import views
from ..export import atomic
from ..models import Document, Event
from ..nlp.lexicon import fold, load
from ..ontology import ontology
from . import charts

FORMATS = {".html": "html", ".htm": "html", ".md": "md"}
KEY_QUOTES = 15


class ReportError(ValueError):
    """The report cannot be written as asked (unknown format, unknown actor)."""


@dataclass
class Footnote:
    n: int
    event: str
    sources: list[dict[str, Any]]


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("bilateral.report", "templates"),
        autoescape=select_autoescape(["html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_cell
    return env


# Characters that make Markdown (or the HTML it may contain) out of text: escaped with a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md_cell(value: Any) -> str:
    """Article text or metadata as literal text in Markdown (a table cell too): no markup, links
    or HTML (`<script>`) of its own."""
    text = re.sub(r"\s+", " ", str(value if value is not None else "")).replace("&", "&amp;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _link(url: str | None) -> str | None:
    """A source's URL if it is a web address; `javascript:` and other schemes are not linked."""
    return url if url and re.match(r"https?://", url.strip(), re.I) else None


def _quote_roles() -> dict[str, str]:
    """Event type -> the role holding its quoted words (types whose register is quotations)."""
    return {r.type: r.quote for r in ontology().registers.values() if r.layout == "quotes" and r.quote}


def _mentions(statement: Event, actors: list[str]) -> bool:
    """Does a statement speak about one of the actors (by name, alias or demonym)?"""
    quote = f" {fold(str(statement.args.get(_quote_roles()[statement.type], '')))} "
    for actor in actors:
        iso = views.actor_key(actor)
        state = load().states.get(iso)
        names = [actor] if state is None else [state.name, *state.aliases, *state.demonyms]
        if any(f" {fold(n)} " in quote for n in names if n):
            return True
    return False


def select(events: list[Event], actors: list[str], countries: dict[str, str]) -> list[Event]:
    """The events of a briefing on `actors`: those involving all of them, and quotes about them."""
    if not actors:
        return events
    for actor in actors:
        if not any(views.involves(e, actor, countries) for e in events):
            raise ReportError(f"no event involves {actor!r}")
    return [
        e
        for e in events
        if all(views.involves(e, a, countries) for a in actors)
        or (e.type in _quote_roles() and _mentions(e, actors))
    ]


def context(
    events: list[Event], docs: dict[str, Document], actors: list[str], fmt: str, countries: dict[str, str]
) -> dict[str, Any]:
    """Everything the templates show, with footnote numbers in timeline order."""
    chosen = views.timeline_order(select(events, actors, countries))
    notes: dict[str, Footnote] = {}
    for e in chosen:
        sources = [
            {
                "doc": s.doc,
                "cite": views.cite_document(docs.get(s.doc), s.doc),
                "url": _link(docs[s.doc].url) if s.doc in docs else None,
                "quote": s.text,
                "start": s.start,
                "end": s.end,
            }
            for s in e.evidence
        ]
        notes[e.id] = Footnote(len(notes) + 1, e.id, sources)
    by_id = {e.id: e for e in chosen}
    statements = [e for e in chosen if e.type in _quote_roles()]
    key_quotes = sorted(statements, key=lambda e: (-len(e.docs), e.date is None, e.date or ""))[:KEY_QUOTES]
    title = "–".join(
        views.name(views.actor_key(a)) if views.actor_key(a) in load().states else a for a in actors
    )
    return {
        "title": f"{title} briefing" if title else "Briefing",
        "actors": actors,
        "counts": {
            "documents": len({d for e in chosen for d in e.docs}),
            "events": len(chosen),
            "conflicts": sum(len(e.conflicts) for e in chosen),
            "by_type": sorted(Counter(e.type for e in chosen).items()),
            "first": next((e.date for e in chosen if e.date), None),
            "last": next((e.date for e in reversed(chosen) if e.date), None),
        },
        "charts": _charts(chosen, fmt),
        "timeline": views.timeline(chosen),
        "registers": {kind: views.register(kind, chosen) for kind in views.REGISTERS},
        "columns": views.COLUMNS,
        "titles": views.REGISTER_TITLES,
        "conflicts": views.conflicts(chosen),
        "quotes": [{"row": views.quotes([e], docs)[0], "event": e} for e in key_quotes],
        "notes": notes,
        "events": by_id,
    }


def _charts(events: list[Event], fmt: str) -> dict[str, Any]:
    figures = {"timeline": charts.timeline_chart(events), "per_year": charts.per_year_chart(events)}
    if fmt == "html":
        out: dict[str, Any] = {}
        for key, fig in figures.items():
            svg = charts.render(fig, "svg").decode("utf-8")
            svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE to inline it
            out[key] = Markup(svg)
        return out
    return {
        key: "data:image/png;base64," + base64.b64encode(charts.render(fig, "png")).decode("ascii")
        for key, fig in figures.items()
    }


def render(
    events: list[Event],
    docs: dict[str, Document],
    actors: list[str],
    fmt: str,
    countries: dict[str, str] | None = None,
) -> str:
    template = _env().get_template(f"report.{fmt}.j2")
    return template.render(**context(events, docs, actors, fmt, countries or {}))


def write_report(
    path: Path,
    events: list[Event],
    docs: dict[str, Document],
    actors: list[str],
    countries: dict[str, str] | None = None,
) -> Path:
    """Write the briefing to `path`; its suffix (.html or .md) chooses the format."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReportError(f"{path}: a report is .html or .md, not {path.suffix or 'no suffix'!r}")
    text = render(events, docs, actors, fmt, countries)
    with atomic(path) as fh:
        fh.write(text)
    return path
