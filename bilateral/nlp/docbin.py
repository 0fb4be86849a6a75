"""Read a stored parse (a compressed spaCy DocBin) without srsly's per-call registry look-up, and
add a parse to one without a Token per token.

`DocBin.from_bytes` unpacks through `srsly.msgpack_loads`, which looks its decoders up among the
installed packages' entry points on every call: half the cost of restoring a document's parse.
Here the decoders are chained once and the message is read into a DocBin as `from_bytes` does.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import cache, partial
from typing import Any

import numpy
import srsly
from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, SPACY, TAG
from spacy.tokens import Doc, DocBin
from srsly.msgpack import _unpackb, msgpack_decoders
from thinc.api import NumpyOps


@cache
def _object_hook() -> Callable[[Any], Any] | None:
    hook = None
    for decoder in msgpack_decoders.get_all().values():
        hook = partial(decoder, chain=hook)
    return hook


def read(data: bytes) -> DocBin:
    """The DocBin that `DocBin().from_bytes(data)` gives (a damaged one raises ValueError or zlib.error)."""
    msg = _unpackb(zlib.decompress(data), raw=False, use_list=True, object_hook=_object_hook())
    found = DocBin()
    found.attrs = msg["attrs"]
    found.strings = set(msg["strings"])
    lengths = numpy.frombuffer(msg["lengths"], dtype="int32")
    spaces = numpy.frombuffer(msg["spaces"], dtype=bool)
    tokens = numpy.frombuffer(msg["tokens"], dtype="uint64")
    tokens = tokens.reshape((tokens.size // len(found.attrs), len(found.attrs)))
    found.tokens = NumpyOps().unflatten(tokens, lengths)
    found.spaces = NumpyOps().unflatten(spaces.reshape((spaces.size, 1)), lengths)
    found.cats = msg["cats"]
    found.span_groups = msg.get("span_groups", [b"" for _ in lengths])
    found.flags = msg.get("flags", [{} for _ in lengths])
    found.user_data = list(msg["user_data"]) if "user_data" in msg else [None] * len(found)
    return found


# The token strings `DocBin.add` keeps: text, tag, lemma, norm, dep, entity type, KB id, id; and morph.
_STRINGS = (ORTH, TAG, LEMMA, NORM, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID)


def add(found: DocBin, doc: Doc) -> None:
    """`found.add(doc)` with the tokens' strings read from one array: the same DocBin, at half the
    cost (spaCy makes a Token and nine strings per token)."""
    array = doc.to_array(list[int | str](found.attrs))
    if len(array.shape) == 1:
        array = array.reshape((array.shape[0], 1))
    found.tokens.append(array)
    found.spaces.append(numpy.asarray(doc.to_array(SPACY).reshape((len(doc), 1)), dtype=bool))
    found.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    found.strings |= _strings(doc, _STRINGS)
    # A token without morphology holds the analysis "_", which `str(token.morph)` writes as "".
    found.strings |= {"" if m == "_" else m for m in _strings(doc, (MORPH,))}
    found.cats.append(doc.cats)
    if found.store_user_data:
        found.user_data.append(srsly.msgpack_dumps(doc.user_data))
    found.span_groups.append(doc.spans.to_bytes())
    for group in doc.spans.values():
        for span in group:
            found.strings.add(span.label_)
            if span.kb_id in doc.vocab.strings:
                found.strings.add(span.kb_id_)
            if span.id in doc.vocab.strings:
                found.strings.add(span.id_)


def _strings(doc: Doc, attrs: tuple[int, ...]) -> set[str]:
    """The strings of the tokens' values of `attrs` (`token.text`, `token.tag_`, ...; "" for none)."""
    if not len(doc):
        return set()
    table = doc.vocab.strings
    return {table[i] for i in numpy.unique(doc.to_array(list[int | str](attrs))).tolist()}
