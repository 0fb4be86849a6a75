"""Extract event candidates from one parsed document: the driver over the per-type modules.

Each event type has its own module (arms, exercises, agreements, finance, meetings, statements);
the shared context, citing and role linking are in `context`. This module runs them sentence by
sentence; which event a later sentence refers back to is decided in one place, `coref`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from functools import cache, partial
from typing import TypeVar

from spacy.tokens import Doc

from ..models import Event, Mention
from ..nlp.lexicon import fold
from . import (
    agreements,
    arms,
    arms_phrases,
    coref,
    exercises,
    investments,
    loans,
    meetings,
    statements,
    trade,
)
from .context import QUOTES, DocContext, Ment
from .words import Words

log = logging.getLogger(__name__)
T = TypeVar("T")
SENTENCE_EXTRACTORS = (
    arms.extract,
    exercises.extract,
    agreements.extract,
    investments.extract,
    loans.extract,
    trade.extract,
    meetings.extract,
)


def main_pair(mentions: list[Mention]) -> list[str]:
    """The two states a document is mostly about, by mention count (ties by first mention)."""
    counts: Counter[str] = Counter(m.iso3 for m in mentions if m.type in ("state", "place") and m.iso3)
    return [iso for iso, _ in counts.most_common(2)]


def extract(doc: Doc, doc_id: str, mentions: list[Mention], published: str | None) -> list[Event]:
    """All event candidates reported in one document."""
    ments = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            ments.append(Ment(m, span))
    words = Words.current = Words(doc)  # read anew: the document may have changed since
    text = words.text()  # doc.text makes every Token, on every access
    quotes = [(q.start(), q.end()) for q in QUOTES.finditer(text)]
    sents = list(doc.sents)
    ctx = DocContext(doc, doc_id, published, ments, main_pair(mentions), quotes, text, sents, _words=words)
    failures = Failures(doc_id)
    events = failures.run("statements", lambda: statements.quoted(ctx), list[Event](), 0)
    for sent in ctx.sents:
        ms = ctx.sentence_mentions(sent)
        at = sent.start_char
        events.extend(failures.run("statements", partial(statements.reported, ctx, sent), list[Event](), at))
        found: list[Event] = []
        for f in SENTENCE_EXTRACTORS:  # as `failures.run`, without a closure per call (SPEED)
            try:
                found.extend(f(ctx, sent, ms))
            except Exception as exc:  # a rule's bug: logged at the end, the other rules go on
                failures.failed(_stage(f), exc, at)
        found = [e for e in found if not _repeats(e, events)]
        events.extend(found)
    events = failures.run("merge", lambda: arms_phrases.merge(meetings.merge(trade.merge(events))), events, 0)
    events = failures.run("coref", partial(coref.attach, ctx, events), events, 0)
    failures.report()
    return events


@cache  # asked for every sentence and extractor
def _stage(extractor: Callable[..., object]) -> str:
    """An extractor's name in a log line: its module's ("arms", "loans")."""
    return extractor.__module__.rsplit(".", 1)[-1]


class Failures:
    """Rules that raised on one document, logged as one line per stage when it is done.

    A rule's bug costs only what that rule would have found in the sentence: the document's other
    events are still reported (dropping the whole document hid which rule failed and lost the rest),
    and the error line names the document, the stage, how often and where it first failed.
    """

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.seen: dict[str, tuple[int, int, str]] = {}

    def run(self, stage: str, step: Callable[[], T], fallback: T, at: int) -> T:
        try:
            return step()
        except Exception as exc:  # a rule's bug: logged below, the other rules go on
            self.failed(stage, exc, at)
            return fallback

    def failed(self, stage: str, exc: Exception, at: int) -> None:
        count, first, problem = self.seen.get(stage, (0, at, f"{type(exc).__name__}: {exc}"))
        self.seen[stage] = (count + 1, first, problem)

    def report(self) -> None:
        for stage, (count, first, problem) in self.seen.items():
            times = "once" if count == 1 else f"{count} times"
            log.error(
                "%s: event rules '%s' failed %s, first at character %d (%s); its other events are kept",
                self.doc_id,
                stage,
                times,
                first,
                problem,
            )


def _repeats(event: Event, earlier: list[Event]) -> bool:
    """An investment in a target already reported in the document, or a loan between the same sides
    with no amount or purpose of its own ("the Russian loan will ..."), is that event again: cite it
    there."""
    if event.type == "loan" and "value" not in event.args and "purpose" not in event.args:
        for e in earlier:
            if e.type == "loan" and (e.args["lender"], e.args["borrower"]) == (
                event.args["lender"],
                event.args["borrower"],
            ):
                e.evidence.extend(c for c in event.evidence if c not in e.evidence)
                return True
    if event.type != "investment":
        return False
    target = fold(str(event.args["target"]))
    for e in earlier:
        # One text's two sums or stakes in one target are two deals ("51% for EUR 280m"; "EUR 500m more").
        other = any(
            r in e.args and r in event.args and e.args[r] != event.args[r] for r in ("value", "stake")
        )
        if e.type == "investment" and fold(str(e.args["target"])) == target and not other:
            e.evidence.extend(c for c in event.evidence if c not in e.evidence)
            return True
    return False
