"""An agreement's title as the text gives it: the instrument's noun with what it is of or on."""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..values.names import circumstances
from .links import linked
from .triggers import triggers


def title(t: Token, node: Token) -> str | None:
    """What the instrument is called, up to what it is of or on: "$15 billion of agreements",
    "an agreement on military education", "a memorandum of understanding"; a bare "the agreement" or
    "treaties" names nothing."""
    head = node if node is not t and node.pos_ in ("NUM", "SYM") else t
    end = head.i
    for c in head.rights:
        if c.dep_ in ("compound", "amod", "nummod", "appos"):  # "worth $75 billion", not "... in 2018"
            dated = {w.i for p in c.subtree if p.dep_ == "prep" for w in p.subtree}
            end = max(end, *(w.i for w in c.subtree if w.i not in dated))
        elif c.dep_ == "prep" and c.lower_ in ("of", "on") and (objs := linked(head, c.lower_.upper())):
            if objs[0].lower_ in circumstances():
                continue  # "an agreement on the sidelines of the forum": where, not what
            obj = objs[0]
            of_kind = triggers()["agreement"]["of_kind"]  # "on the founding of sister-city relations"
            while more := [o for o in _further(obj, of_kind) if o.lower_ not in circumstances()]:
                obj = more[0]  # not "on the sidelines of the summit"
            end = max(end, obj.i)
            break
    span = t.doc[head.left_edge.i : end + 1]
    words = [w for w in span if w.pos_ not in ("DET", "PUNCT") and w.dep_ != "poss"]
    # Quotation marks around a name ("a “strategic partnership”") are not part of the title.
    text = re.sub(r"[\"“”]", "", span.text).strip(" ,.;:–-")
    return text if len(words) > 1 or t.pos_ == "PROPN" else None


def _further(obj: Token, of_kind: list[str]) -> list[Token]:
    """What a title's last noun is of, or on when that noun names the instrument's kind only
    ("a memorandum of understanding on a bridge")."""
    return linked(obj, "OF") or (linked(obj, "ON") if obj.lower_ in of_kind else [])
