"""spaCy pipeline components of bilateral, registered here in one place."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("newline_boundaries")
def newline_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and bylines are not run into the next line.

    Runs before the parser, which keeps sentence starts that are already set.
    """
    for token in doc[:-1]:
        if "\n" in token.text_with_ws:
            doc[token.i + 1].is_sent_start = True
    return doc
