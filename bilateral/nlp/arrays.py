"""A Doc's strings read from its arrays (SPEED): spaCy makes a Python Token, and its strings, for
every token that `doc.text` joins or `DocBin.add` reads; one `to_array` and a look-up per distinct
string give the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy
from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc


def text(doc: Doc) -> str:
    """`doc.text`: each token's text, with a space after it where it has one."""
    if not len(doc):
        return ""
    array = doc.to_array([ORTH, SPACY])
    ids, inverse = numpy.unique(array[:, 0], return_inverse=True)
    strings = doc.vocab.strings
    names = [strings[i] for i in ids.tolist()]
    spaced = numpy.array(names + [w + " " for w in names], dtype=object)
    return "".join(spaced[inverse.ravel() + len(names) * array[:, 1].astype(numpy.intp)].tolist())


def strings(doc: Doc, attrs: Sequence[int]) -> set[str]:
    """The strings of the tokens' values of `attrs` (`token.text`, `token.tag_`, ...), "" for none."""
    if not len(doc):
        return set()
    table = doc.vocab.strings
    return {table[i] for i in numpy.unique(doc.to_array(list(attrs))).tolist()}
