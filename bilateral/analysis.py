"""The per-document stages (parse, mentions, event candidates) as one function of documents.

Both engines run exactly this: the local one in this process (spaCy's own processes for large
inputs), the Ray one in each worker with its own loaded model. What it returns depends on the
document alone, so the corpus-level stages after it (resolution, fusion) see the same input
whichever engine ran.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from itertools import tee
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from weakref import WeakKeyDictionary

from spacy import about
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from .events.extract import extract as extract_events
from .models import Document, Event, Mention, Span
from .nlp import docbin
from .nlp.markup import mask, restore
from .nlp.mentions import mentions as find_mentions
from .nlp.mentions import propagate_names
from .nlp.pipeline import MODEL, RULES, load_weights, model_version
from .nlp.resolve import vote_types
from .store.parses import StoredParse

BATCH = 16
BATCH_CHARS = 100_000  # at most this many characters in a batch, where one process parses
T = TypeVar("T")
PACKAGE = Path(__file__).parent
# What the per-document results depend on: a change to any of these makes stored results stale.
STAGES = ("analysis.py", "models.py", "nlp", "events", "values", "ontology")


@cache
def analyser() -> str:
    """A fingerprint of the per-document stages: their code, their data files and the model.

    Stored with each document's results, so that a new version of bilateral re-analyses the
    documents an older one analysed, instead of fusing stale candidates.
    """
    digest = hashlib.sha1(f"{about.__version__}|{MODEL}|{_model_package()}".encode())
    for stage in STAGES:
        root = PACKAGE / stage
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".yml", ".tsv", ".txt", ".json"):
                digest.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


def _model_package() -> str:
    """The installed model's version: a new one is a new analyser (and parses again)."""
    try:
        return package_version(MODEL)
    except PackageNotFoundError:
        return "?"


Analysed = tuple[Document, list[Mention], list[Event]]
ErrorHandler = Callable[[Document, str], None]
# Characters parsed at a time: a longer text is analysed in sentence-aligned pieces, so memory is
# bounded and time linear in its length (the parse of a whole 2 MB text took 5.6 GB and 834 s).
CHUNK = 20_000
# A piece ends at a line break, else at the end of a sentence, else at white space, found in the
# last part of its window.
_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*\s""")
log = logging.getLogger(__name__)
_frozen = 0  # how many `frozen_heap`s are open


@contextmanager
def frozen_heap() -> Iterator[None]:
    """While documents are analysed, the objects alive before (the pipeline, the lexicons, the
    modules) are out of the garbage collector's sight (`gc.freeze`): its full collections traversed
    them all (SPEED: 0.41 s of 23 s on 50 articles, 0.08 s frozen), and forked workers, which inherit
    them frozen, dirty fewer of the pages they share. Nested (`extract` adds ingest and export), each
    level freezes what is alive at its start; the outermost unfreezes, for the caller's garbage."""
    global _frozen
    gc.freeze()
    _frozen += 1
    try:
        yield
    finally:
        _frozen -= 1
        if not _frozen:
            gc.unfreeze()


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, int]]:
    """(start, end) pieces of `text` of at most `size` characters, cut between sentences if possible."""
    pieces: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        low, high = start + size // 2, start + size
        cut = text.rfind("\n", low, high) + 1
        if not cut:
            ends = [m.end() for m in _SENTENCE_END.finditer(text, low, high)]
            cut = ends[-1] if ends else max(text.rfind(" ", low, high) + 1, text.rfind("\t", low, high) + 1)
        cut = cut or high  # one unbroken word: cut it
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(text)))
    return pieces


class Parses:
    """Stored parses that `analyse_documents` reuses, and the new ones it makes, for one pipeline.

    `stored` gives a document's stored parse; it is reused when this pipeline's model made it
    from the same text in the same pieces, else the document is parsed again. A new parse waits
    in `made` until the caller stores it, in the transaction that stores the document's results.
    """

    def __init__(self, nlp: Language, stored: Callable[[str], StoredParse | None] | None = None) -> None:
        self.nlp = nlp
        self.version = model_version(nlp)
        self.stored = stored
        self.made: dict[str, StoredParse] = {}
        self.reused = 0
        self.interned = _interned(nlp)  # the strings restoring has added to the pipeline's vocabulary

    def restore(self, doc_id: str, text_sha: str, lengths: list[int]) -> list[Doc] | None:
        """The document's pieces as stored, if they are what this pipeline's model would make."""
        found = self.stored(doc_id) if self.stored else None
        if found is None or found.model != self.version or found.text_sha != text_sha:
            return None
        try:
            parse = docbin.read(found.data)
            # `get_docs` adds every string of the parse to the vocabulary, which keeps them: only those
            # not added before (SPEED: a look-up per string per document, 400 per article).
            parse.strings -= self.interned
            docs = list(parse.get_docs(self.nlp.vocab))
            self.interned |= parse.strings
        except Exception as exc:  # a damaged parse is made again
            log.warning("%s: stored parse unreadable, parsing again (%s)", doc_id, exc)
            return None
        if [d[-1].idx + len(d[-1].text_with_ws) if len(d) else 0 for d in docs] != lengths:  # CHUNK changed
            return None
        self.reused += 1
        return docs


_INTERNED: WeakKeyDictionary[Language, tuple[Vocab, set[str]]] = WeakKeyDictionary()


def _interned(nlp: Language) -> set[str]:
    """The strings restored parses have added to the pipeline's vocabulary, which keeps them: kept
    with the pipeline, for every `Parses` of it (a forked worker makes one per batch). It grows as
    the vocabulary does, and goes with the pipeline or a new vocabulary."""
    found = _INTERNED.get(nlp)
    if found is None or found[0] is not nlp.vocab:
        found = _INTERNED[nlp] = (nlp.vocab, set())
    return found[1]


# What a stored parse keeps: the model's annotations; the entities are the model's own (RULES
# set theirs on the restored parse).
PARSE_ATTRS = (
    "ORTH",
    "TAG",
    "HEAD",
    "DEP",
    "ENT_IOB",
    "ENT_TYPE",
    "LEMMA",
    "MORPH",
    "POS",
    "SENT_START",
)


def analyse_documents(
    nlp: Language,
    docs: Iterable[Document],
    n_process: int = 1,
    on_error: ErrorHandler | None = None,
    parses: Parses | None = None,
) -> Iterator[Analysed]:
    """Each document with its typed mentions and event candidates, in input order.

    `docs` is read as the pipeline needs it: a generator of documents streams through. A text
    longer than CHUNK (or the pipeline's max_length) is parsed in pieces whose results are
    shifted to offsets in the whole text; names are propagated and types voted within a piece.
    With `parses`, a document's stored parse is reused instead of running the model, and a new
    one is kept in `parses.made`; with `n_process` > 1 too, whole batches of documents are analysed
    in forked processes (`pool.pooled`), so that a re-analysis from stored parses runs in parallel.
    A document whose analysis fails is passed to `on_error` (else logged) and left out, so that
    the others go on; it stays unanalysed and is tried again by the next run.
    """
    if n_process > 1:
        _workers_die_with_parent()
        if parses:
            from .pool import pooled  # runs this function in forked workers

            yield from pooled(parses, docs, n_process, on_error)
            return
    size = min(CHUNK, nlp.max_length)
    to_parse, to_pair = tee(_pieces(docs, size, parses))  # the pair side lags by a few batches at most
    off = list(RULES)
    parsed: Iterable[Doc | str]
    if n_process > 1:  # every document is parsed here (`_pooled` runs those with stored parses)
        load_weights(nlp)
        parsed = nlp.pipe((p.text for p in to_parse), batch_size=BATCH, n_process=n_process, disable=off)
    else:  # batches bounded in characters too: spaCy's memory grows with a batch's tokens
        parsed = (d for batch in _batches(to_parse, length=_parsed_length) for d in _parse(nlp, batch, off))
    rules = [proc for name, proc in nlp.pipeline if name in RULES]
    found: list[Mention] = []
    candidates: list[Event] = []
    failed: str | None = None
    made, words = DocBin(attrs=PARSE_ATTRS), 0
    for piece, spacy_doc in zip(to_pair, parsed, strict=True):
        doc = piece.doc
        failed = failed or piece.error
        if isinstance(spacy_doc, str):  # the pipeline raised for it (`_parse`)
            failed = failed or spacy_doc
        elif failed is None:
            try:
                if parses and piece.restored is None:
                    docbin.add(made, spacy_doc)
                    words += len(spacy_doc)
                for rule in rules:
                    spacy_doc = rule(spacy_doc)
                more, events = _analyse_piece(spacy_doc, doc)
                found.extend(_shift_mention(m, piece.offset) for m in more)
                candidates.extend(_shift_event(e, piece.offset) for e in events)
            except Exception as exc:  # one document's failure must not stop the batch
                failed = cause(exc)
        if not piece.last:
            continue
        if failed is None:
            try:
                if parses and words:
                    parses.made[doc.id] = StoredParse(piece.sha, parses.version, words, made.to_bytes())
                restore(doc.text, found, candidates)
            except Exception as exc:
                failed = cause(exc)
        if failed is None:
            yield doc, found, candidates
        elif on_error:
            on_error(doc, failed)
        else:
            log.error("%s: could not be analysed (%s)", doc.id, failed)
        found, candidates, failed = [], [], None
        made, words = DocBin(attrs=PARSE_ATTRS), 0


def _batches(
    texts: Iterable[T], chars: int = BATCH_CHARS, length: Callable[[Any], int] = len
) -> Iterator[list[T]]:
    """Up to BATCH texts at a time, fewer when they are long: 16 pieces of a long text took 1 GB."""
    batch: list[T] = []
    size = 0
    for text in texts:
        if batch and (len(batch) == BATCH or size + length(text) > chars):
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += length(text)
    if batch:
        yield batch


def _parsed_length(piece: _Piece) -> int:
    """What a piece weighs in a batch: the characters the model reads (none for a stored parse)."""
    return 0 if piece.restored is not None else len(piece.text)


def _parse(nlp: Language, batch: list[_Piece], off: list[str]) -> list[Doc | str]:
    """Each piece's parse: the stored one, or the model's; the model's weights are read only when
    some piece has none stored. A batch the pipeline raises for is parsed again a piece at a time,
    so that only the piece it raises for fails (its parse is then the error, a string)."""
    texts = [p.text for p in batch if p.restored is None]
    if texts:
        load_weights(nlp)
    try:
        parsed: list[Doc | str] = list(nlp.pipe(texts, batch_size=len(texts), disable=off)) if texts else []
    except Exception:
        parsed = [_parse_alone(nlp, text, off) for text in texts]
    new = iter(parsed)
    return [p.restored if p.restored is not None else next(new) for p in batch]


def cause(exc: BaseException) -> str:
    """A document's failure as its report line gives it: the exception's type and message."""
    return f"{type(exc).__name__}: {exc}"


def _parse_alone(nlp: Language, text: str, off: list[str]) -> Doc | str:
    try:
        return nlp(text, disable=off)
    except Exception as exc:
        return cause(exc)


_forker = [0]  # the process that last forked: a new worker's parent


@cache
def _workers_die_with_parent() -> None:
    """Worker processes (spaCy's, forked by nlp.pipe, and `pool.pooled`'s) are killed by the kernel when
    this process dies, even by SIGKILL: otherwise they outlive a killed `extract`, waiting on their
    queues."""
    if sys.platform != "linux":
        return
    os.register_at_fork(before=_note_forker, after_in_child=_die_with_parent)


def _note_forker() -> None:
    _forker[0] = os.getpid()


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != _forker[0]:  # the parent died before prctl took effect
        os._exit(1)


class _Piece(NamedTuple):
    doc: Document
    offset: int
    text: str  # masked
    last: bool  # the document's last piece?
    sha: str  # of the document's masked text, when parses are kept
    restored: Doc | None  # its stored parse
    error: str | None = None  # why the document could not be cut into pieces (then its only one)


def masked_text(text: str) -> str:
    """What the model reads of a document's text: its markup masked, a byte-order mark kept from the
    file as a space (same length, so offsets hold)."""
    return mask(text).replace("\ufeff", " ")


def text_sha(masked: str) -> str:
    """The hash a stored parse carries of the masked text it was made from. It raises for a text that
    is not Unicode (a lone surrogate), as spaCy's tokenizer would, for a whole batch."""
    return hashlib.sha256(masked.encode("utf-8")).hexdigest()


def _pieces(docs: Iterable[Document], size: int, parses: Parses | None) -> Iterator[_Piece]:
    """Every piece of every document, with its stored parse if there is one to reuse. A document
    that cannot be cut is one empty piece carrying its error, so that the others go on."""
    for doc in docs:
        try:
            masked = masked_text(doc.text)
            spans = chunks(masked, size)
            sha = text_sha(masked)  # and a text the tokenizer cannot read fails here, alone
            stored = parses.restore(doc.id, sha, [e - s for s, e in spans]) if parses else None
        except Exception as exc:
            yield _Piece(doc, 0, "", True, "", None, cause(exc))
            continue
        for i, (start, end) in enumerate(spans):
            last = i == len(spans) - 1
            yield _Piece(doc, start, masked[start:end], last, sha, stored[i] if stored else None)


def _analyse_piece(spacy_doc: Doc, doc: Document) -> tuple[list[Mention], list[Event]]:
    found = propagate_names(spacy_doc, find_mentions(spacy_doc, doc.id))
    vote_types(found)  # within the document first, so that "he" finds the right person
    return found, extract_events(spacy_doc, doc.id, found, doc.published)


def _shift_mention(m: Mention, offset: int) -> Mention:
    if offset:
        m.start += offset
        m.end += offset
    return m


def _shift_span(s: Span, offset: int) -> Span:
    return replace(s, start=s.start + offset, end=s.end + offset) if offset else s


def _shift_event(e: Event, offset: int) -> Event:
    if offset:
        e.evidence = [_shift_span(s, offset) for s in e.evidence]
        e.role_spans = {k: _shift_span(s, offset) for k, s in e.role_spans.items()}
    return e
