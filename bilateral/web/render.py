"""Article text as safe HTML with its mentions and evidence marked.

Article text is untrusted: every character of it goes through `markupsafe.escape`; only our own
tags are added around the escaped pieces.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from markupsafe import Markup, escape

from ..models import Event, Mention, Span
from ..store import MARK_END, MARK_START


def snippet(text: str) -> Markup:
    """An FTS snippet with its match markers as <mark> and everything else escaped."""
    out = Markup("")
    for i, part in enumerate(text.split(MARK_START)):
        if i == 0:
            out += escape(part)
            continue
        hit, _, rest = part.partition(MARK_END)
        out += Markup("<mark>") + escape(hit) + Markup("</mark>") + escape(rest)
    return out


def reading_view(
    text: str,
    mentions: list[Mention],
    evidence: list[tuple[Span, Event]],
    entity_url: Callable[[str], str],
    event_url: Callable[[str], str],
) -> Markup:
    """The whole document with mentions as links to entities and evidence marked with its events.

    The text is cut at every span boundary; each piece is wrapped in the evidence and mention
    that cover it, so overlapping spans never produce crossing tags.
    """
    cuts = {0, len(text)}
    for m in mentions:
        cuts |= {m.start, m.end}
    for s, _ in evidence:
        cuts |= {s.start, s.end}
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    starts = {s.start for s, _ in evidence}
    out = Markup("")
    for a, b in pairwise(points):
        piece = escape(text[a:b])
        if a in starts:
            out += Markup('<span class="anchor" id="c{}"></span>').format(a)
        mention = next((m for m in mentions if m.start <= a and b <= m.end and m.entity_id), None)
        if mention is not None:
            piece = Markup('<a class="mention {}" href="{}" title="{}">{}</a>').format(
                mention.type, entity_url(mention.entity_id or ""), mention.type, piece
            )
        events = [e for s, e in evidence if s.start <= a and b <= s.end]
        if events:
            ids = " ".join(e.id for e in events)
            titles = "; ".join(e.type.replace("_", " ") for e in events)
            piece = Markup('<mark class="evidence" data-events="{}" title="{}">{}</mark>').format(
                ids, titles, piece
            )
        out += piece
    return out


def in_context(text: str, span: Span, width: int = 240) -> Markup:
    """A cited span highlighted inside the text around it."""
    left = max(0, span.start - width)
    right = min(len(text), span.end + width)
    before, cited, after = text[left : span.start], text[span.start : span.end], text[span.end : right]
    return (
        Markup("…" if left else "")
        + escape(before)
        + Markup('<mark class="cited">')
        + escape(cited)
        + Markup("</mark>")
        + escape(after)
        + Markup("…" if right < len(text) else "")
    )
