"""The per-document stages (parse, mentions, event candidates) as one function of documents.

Both engines run exactly this: the local one in this process (spaCy's own processes for large
inputs), the Ray one in each worker with its own loaded model. What it returns depends on the
document alone, so the corpus-level stages after it (resolution, fusion) see the same input
whichever engine ran.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import tee
from pathlib import Path

from spacy import about
from spacy.language import Language

from .events.extract import extract as extract_events
from .models import Document, Event, Mention
from .nlp.markup import mask, restore
from .nlp.mentions import mentions as find_mentions
from .nlp.mentions import propagate_names
from .nlp.pipeline import MODEL
from .nlp.resolve import vote_types

BATCH = 16
PACKAGE = Path(__file__).parent
# What the per-document results depend on: a change to any of these makes stored results stale.
STAGES = ("analysis.py", "models.py", "nlp", "events", "values")


@cache
def analyser() -> str:
    """A fingerprint of the per-document stages: their code, their data files and the model.

    Stored with each document's results, so that a new version of bilateral re-analyses the
    documents an older one analysed, instead of fusing stale candidates.
    """
    digest = hashlib.sha1(f"{about.__version__}|{MODEL}".encode())
    for stage in STAGES:
        root = PACKAGE / stage
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".yml", ".tsv", ".txt"):
                digest.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


Analysed = tuple[Document, list[Mention], list[Event]]


def analyse_documents(nlp: Language, docs: Iterable[Document], n_process: int = 1) -> Iterator[Analysed]:
    """Each document with its typed mentions and event candidates, in input order.

    `docs` is read as the pipeline needs it: a generator of documents streams through.
    """
    to_parse, to_pair = tee(docs)  # the pair side lags the parser by a few batches at most
    parsed = nlp.pipe((mask(d.text) for d in to_parse), batch_size=BATCH, n_process=n_process)
    for doc, spacy_doc in zip(to_pair, parsed, strict=True):
        found = propagate_names(spacy_doc, find_mentions(spacy_doc, doc.id))
        vote_types(found)  # within the document first, so that "he" finds the right person
        candidates = extract_events(spacy_doc, doc.id, found, doc.published)
        restore(doc.text, found, candidates)
        yield doc, found, candidates
