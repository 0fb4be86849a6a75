"""Read a stored parse (a compressed spaCy DocBin) without srsly's per-call registry look-up.

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
from spacy.tokens import DocBin
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
