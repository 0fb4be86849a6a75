"""Extract event candidates from one parsed document: the driver over the per-type modules.

Each event type has its own module (arms, exercises, agreements, finance, meetings, statements);
the shared context, citing and role linking are in `context`. This module runs them sentence by
sentence and attaches later sentences that refer back to an event already reported.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from functools import cache, partial
from typing import TypeVar

from spacy.tokens import Doc, Span

from ..models import Event, Mention
from ..nlp.lexicon import fold
from ..values.names import key_for
from . import agreements, arms, coref, exercises, investments, loans, meetings, statements, trade
from .context import QUOTES, DocContext, Ment, np_text
from .triggers import triggers

log = logging.getLogger(__name__)
T = TypeVar("T")
INVESTMENT_NOUNS = {"acquisition", "investment", "takeover", "purchase", "stake", "sale"}
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
    text = doc.text  # spaCy joins the tokens' texts on every access
    quotes = [(q.start(), q.end()) for q in QUOTES.finditer(text)]
    ctx = DocContext(doc, doc_id, published, ments, main_pair(mentions), quotes, text, list(doc.sents))
    failures = Failures(doc_id)
    events = failures.run("statements", lambda: statements.quoted(ctx), list[Event](), 0)
    for sent in ctx.sents:
        ms = ctx.sentence_mentions(sent)
        at = sent.start_char
        events.extend(failures.run("statements", partial(statements.reported, ctx, sent), list[Event](), at))
        found = [
            e
            for f in SENTENCE_EXTRACTORS
            for e in failures.run(_stage(f), partial(f, ctx, sent, ms), list[Event](), at)
        ]
        found = [e for e in found if not _repeats(e, events)]
        failures.run(
            "references", partial(_attach_references, ctx, sent, events, {e.type for e in found}), None, at
        )
        events.extend(found)
    events = failures.run("merge", lambda: meetings.merge(trade.merge(events)), events, 0)
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
            count, first, problem = self.seen.get(stage, (0, at, f"{type(exc).__name__}: {exc}"))
            self.seen[stage] = (count + 1, first, problem)
            return fallback

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
        if e.type == "investment" and fold(str(e.args["target"])) == target:
            e.evidence.extend(c for c in event.evidence if c not in e.evidence)
            return True
    return False


@cache
def _reference_nouns() -> dict[str, str]:
    """Trigger nouns by which a sentence can refer back to an event: "this agreement", "the drill"."""
    tr = triggers()
    # Nouns that name only documents ("the declaration of independence" is not one we reported).
    documents = ("agreement", "fta", "treaty", "pact", "accord", "memorandum", "mou", "deal", "contract")
    nouns = {n: "agreement" for n in tr["agreement"]["nouns"] if n in documents}
    nouns |= {n: "meeting" for n in tr["meeting"]["nouns"]}
    nouns |= {n: "exercise" for n in tr["exercise"]}
    nouns |= {n: "loan" for n in ("loan", "credit")}
    nouns |= {n: "arms_transfer" for n in ("delivery", "purchase", "procurement", "sale", "shipment")}
    return nouns


def _attach_references(ctx: DocContext, sent: Span, earlier: list[Event], reported: set[str]) -> None:
    """Cite a sentence that refers back to an event reported before in the document as its evidence.

    Three general forms of reference: a trigger noun with a demonstrative ("With this agreement",
    "during that visit"); a meeting's people acting together again ("Minister X and General Y
    agreed ...", "they talked about ..."); an arms trigger with the category of an earlier deal and
    no designation of its own ("the first country to purchase Chinese UAVs").
    """
    if not earlier:  # nothing reported before: nothing to refer back to (SPEED)
        return
    cite = ctx.cite(sent.start_char, sent.end_char)
    for target in _referents(ctx, sent, earlier, reported):
        if cite not in target.evidence:
            target.evidence.append(cite)


def _referents(ctx: DocContext, sent: Span, earlier: list[Event], reported: set[str]) -> list[Event]:
    def last(type_: str, test: Callable[[Event], bool] = lambda e: True) -> Event | None:
        return next((e for e in reversed(earlier) if e.type == type_ and test(e)), None)

    found: dict[str, Event | None] = {}
    nouns = _reference_nouns()
    lemmas = ctx.lemmas(sent)
    for i, (lemma, lower) in enumerate(zip(lemmas, ctx.lowers(sent), strict=True)):
        type_ = nouns.get(lemma.lower()) or nouns.get(lower)
        if type_ is not None and type_ not in reported and type_ not in found:
            t = sent[i]
            if t.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ == "det" and c.lower_ in meetings.DEFINITE for c in t.children
            ):
                kind = agreements.agreement_kind(np_text(t)) if type_ == "agreement" else "other"
                # "the FTA" is the free-trade agreement, not the last agreement of any kind
                found[type_] = last(type_, partial(_of_kind, kind))
        if lemma in ("train", "drill") and "exercise" not in reported and sent[i].pos_ == "VERB":
            found.setdefault("exercise", last("exercise"))  # "forces from both countries trained together"
    if "investment" not in reported and any(lemma in INVESTMENT_NOUNS for lemma in lemmas):
        # "the acquisition of X and Y by ...": every earlier investment whose target is named again
        low = fold(sent.text)
        named = [e for e in earlier if e.type == "investment" and fold(str(e.args["target"])) in low]
        if named:
            return [e for e in found.values() if e is not None] + named
    if found:
        return [e for e in found.values() if e is not None]
    one = _referent(ctx, sent, reported, last)
    return [one] if one else []


def _of_kind(kind: str, event: Event) -> bool:
    return kind in ("other", event.args.get("kind"))


def _referent(
    ctx: DocContext, sent: Span, reported: set[str], last: Callable[..., Event | None]
) -> Event | None:
    ms = ctx.sentence_mentions(sent)
    if "meeting" not in reported:
        people = {
            key_for("person", x.m.text).split()[-1]
            for x in ms
            if x.m.type == "person" and not ctx.in_quote(x.m.start, x.m.end)
        }
        if len(people) >= 2:
            found = last(
                "meeting",
                lambda e: people <= {key_for("person", str(p)).split()[-1] for p in e.args["participants"]},
            )
            if found:
                return found
        meeting_verbs = set(triggers()["meeting"]["verbs"])
        if any(
            lemma in meeting_verbs and any(c.dep_ == "nsubj" and c.lower_ == "they" for c in sent[i].children)
            for i, lemma in enumerate(ctx.lemmas(sent))
        ):
            return last("meeting")
    if "arms_transfer" not in reported and not any(x.m.type == "weapon" for x in ms):
        tr = triggers()["arms_transfer"]
        lemmas = ctx.lemmas(sent)
        if any(lemma in tr["order"] or lemma in tr["delivery"] for lemma in lemmas):
            kinds = {CATEGORY_FAMILY.get(lemma.lower()) for lemma in lemmas} - {None}
            return last("arms_transfer", lambda e: _category_family(e) in kinds) if kinds else None
    return None


# Category nouns that name the same kind of system ("UAVs" are "drones").
CATEGORY_FAMILY = {
    "drone": "drone",
    "uav": "drone",
    "ucav": "drone",
    "uas": "drone",
    "missile": "missile",
    "tank": "tank",
    "jet": "aircraft",
    "fighter": "aircraft",
    "aircraft": "aircraft",
    "helicopter": "helicopter",
    "howitzer": "artillery",
    "radar": "radar",
}


def _category_family(event: Event) -> str | None:
    words = fold(str(event.args.get("category", ""))).split()
    return next((CATEGORY_FAMILY[w.rstrip("s")] for w in words if w.rstrip("s") in CATEGORY_FAMILY), None)
