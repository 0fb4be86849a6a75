"""Markup left in plain text ("China.<sup>11</sup> Vulin") hidden from the model, offsets kept.

Articles pasted or converted to text often keep inline HTML: footnote markers, <br>, <em>.
The model reads them as words and runs sentences together. Masking replaces each tag (and a
footnote element's number) by as many spaces, so every offset still points into the stored
text; `restore` then re-reads cited texts from the original.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Event, Mention, Span

# A footnote or reference element with its content, then any other tag on its own.
MARKUP = re.compile(r"<(sup|sub)\b[^>]*>[^<]{0,12}</\1\s*>|</?[A-Za-z][A-Za-z0-9]*\b[^<>]{0,200}>", re.I)


def mask(text: str) -> str:
    """The text with inline markup replaced by spaces of the same length."""
    return MARKUP.sub(lambda m: " " * len(m.group()), text)


def restore(text: str, mentions: list[Mention], events: list[Event]) -> None:
    """Quote the original text (not the masked one) in mentions and evidence."""
    for m in mentions:
        m.text = text[m.start : m.end]

    def fix(s: Span) -> Span:
        return replace(s, text=text[s.start : s.end])

    for e in events:
        e.evidence = [fix(s) for s in e.evidence]
        e.role_spans = {k: fix(s) for k, s in e.role_spans.items()}
