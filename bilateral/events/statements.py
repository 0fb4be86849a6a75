"""Statements: quotations with their speaker, and reported speech."""

from __future__ import annotations

import re
from functools import cache

from spacy.matcher import Matcher
from spacy.tokens import Span, Token

from ..models import Event
from ..nlp.lexicon import fold
from ..values.names import key_for
from .context import PRONOUNS, DocContext, Ment, dates_in, make_event, sentence_matches
from .lang import matcher
from .links import sentence_of
from .people import is_person
from .speakers import speaker_of
from .triggers import triggers
from .words import phrase_rules

# Verbs whose bare object is an attitude, not a claim ("praised the relationship").
ATTITUDE_VERBS = {"praise", "criticize", "criticise", "welcome", "hail", "condemn", "laud"}


@cache
def _speech() -> frozenset[str]:
    """The speech verbs (SPEED: a set made once, not per sentence)."""
    return frozenset(triggers()["statement"])


def quoted(ctx: DocContext) -> list[Event]:
    events: list[Event] = []
    speech = _speech()
    prev: Event | None = None
    prev_verb: Token | None = None
    prev_end = -1
    for qs, qe in ctx.quotes:
        quote = ctx.text[qs + 1 : qe - 1].strip(" ,.")
        sents = ctx.sentences_between(qs, qe)
        if not sents or not quote:
            continue
        speaker = _speaker_for_quote(ctx, sents, qs, qe, speech)
        between = ctx.text[prev_end:qs]
        if speaker is None:
            same_sentence = prev is not None and any(qs < e.end and prev_end > e.start for e in sents)
            # "“A,” X said on Monday. “B.”": the attribution between two parts of one quotation
            interrupted = prev_verb is not None and prev_end <= prev_verb.idx < qs
            if (
                prev is not None
                and (same_sentence or interrupted)
                and "\n" not in between
                and len(between) < 200
            ):
                prev.args["quote"] += " " + quote
                prev.evidence.extend(
                    ctx.cite(s.start_char, s.end_char)
                    for s in sents
                    if ctx.cite(s.start_char, s.end_char) not in prev.evidence
                )
                prev_end = qe
            continue
        person, verb = speaker
        if verb is not None and len(quote.split()) < 4 and any(c.dep_ == "ccomp" for c in verb.children):
            continue  # "said X will create “favorable conditions”": the reported clause is the claim
        if verb is not None:
            ctx.quote_verbs.add(verb.i)
        if len(quote.split()) < 4 and verb is None:
            continue
        date = None
        if verb is not None:
            dated = [
                d
                for d in dates_in(ctx, sentence_of(verb))
                if _under(verb, d[0].span.root) and not qs <= d[0].m.start < qe
            ]
            date = dated[0][1] if dated else None
        prev = make_event(ctx, "statement", {"speaker": person, "quote": quote, "date": date}, sents, verb)
        prev.role_spans["quote"] = ctx.cite(qs + 1, qe - 1)
        prev_verb = verb
        events.append(prev)
        prev_end = qe
    return events


def _under(verb: Token, token: Token) -> bool:
    """A date that says when `verb` happened: attached to it through prepositions only ("said in
    March", "said on Tuesday"), not a date inside what was said or a clause below ("recalled an
    exercise in 2019", "following a pact signed in March"); a remark made while doing something
    ("visited X in May 2024, describing ...") has the date of what was done."""
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and _under(verb.head, token):
        return True
    while token != verb:
        if token.dep_ not in DATE_DEPS or token.pos_ in ("VERB", "AUX") or token.head == token:
            return False
        token = token.head
    return True


DATE_DEPS = {"pobj", "prep", "npadvmod", "nummod", "compound", "amod", "det", "nmod", "appos", "tmod"}


def _speaker_for_quote(
    ctx: DocContext, sents: list[Span], qs: int, qe: int, speech: frozenset[str]
) -> tuple[str, Token | None] | None:
    words = ctx.words()
    for sent in sents:
        according = _phrases(ctx, sent).get("ACCORDING_TO", set())
        # The tokens either test below can accept, read from the document's arrays (SPEED).
        for i in range(sent.start, sent.end):
            if not ((words.lemma[i] in speech and words.pos[i] == "VERB") or i in according):
                continue
            token = sent.doc[i]
            if qs <= token.idx < qe:
                continue
            if token.lemma_ in speech and token.pos_ == "VERB":
                who = speaker_of(ctx, token)
                if who:
                    return who, token
            if token.i in according:
                for x in ctx.sentence_mentions(sent):
                    if is_person(ctx, x) and x.m.start > token.idx:
                        return x.m.text, None
        # "He said:" or "X remarked: “...”" — the colon introduces the quotation.
        before = ctx.text[sent.start_char : qs].rstrip()
        if before.endswith(":"):
            who = speaker_of(ctx, sent.root)
            if who:
                return who, sent.root
    return None


def _phrases(ctx: DocContext, sent: Span) -> dict[str, set[int]]:
    """Where the speech phrases of `lang/en/speech.json` start in a sentence, by label: found once per
    document, from its arrays when the phrases are word tests (SPEED), else by spaCy's Matcher."""
    vocab = sent.doc.vocab
    found: dict[str, set[int]] = {}
    if id(vocab) not in _MATCHERS:  # built once anyway: it validates the file
        _MATCHERS[id(vocab)] = matcher(vocab, "speech")
    rules = phrase_rules("speech")
    if rules is not None:
        for label, start, end in ctx.words().phrases("speech", rules):
            if sent.start <= start and end <= sent.end:
                found.setdefault(label, set()).add(start)
        return found
    for match_id, start, _ in sentence_matches(_MATCHERS[id(vocab)], sent):
        found.setdefault(vocab.strings[match_id], set()).add(start)
    return found


_MATCHERS: dict[int, Matcher] = {}


def _citing(ctx: DocContext, sent: Span) -> list[Event]:
    """ "..., the Daily Courier reported, citing Col. X": the claim is X's, not the newspaper's."""
    out = []
    for token in ctx.having(sent, ("cite",)):
        if token.lemma_ != "cite" or token.pos_ != "VERB":
            continue
        people = [x for x in ctx.sentence_mentions(sent) if is_person(ctx, x) and x.span.root.head == token]
        report = token.head if token.dep_ in ("advcl", "xcomp", "conj") else token
        said = [c for c in report.children if c.dep_ == "ccomp" and c.i < token.i]
        skip = {t.i for t in report.subtree} - {t.i for c in said for t in c.subtree}
        quote = " ".join(t.text for t in sent if t.i not in skip and not t.is_punct).strip()
        if people and len(quote.split()) >= 4:
            args = {"speaker": people[0].m.text, "quote": quote}
            out.append(make_event(ctx, "statement", args, [sent], token))
    return out


def reported(ctx: DocContext, sent: Span) -> list[Event]:
    """'X said that ...', 'X described Y as ...', '..., he notes, ...', '... according to X'."""
    speech = _speech()
    out = []
    phrases = _phrases(ctx, sent)
    phrasal = phrases.get("MADE_KNOWN", set()) | phrases.get("PAID_TRIBUTE", set())
    for token in sent if phrasal else ctx.having(sent, speech):
        if token.pos_ != "VERB" or not (token.lemma_ in speech or token.i in phrasal):
            continue
        if (
            token.dep_ in ("advcl", "conj")
            and token.head.lemma_ in speech
            and not (token.dep_ == "conj" and any(c.dep_ == "ccomp" for c in token.children))
        ):
            continue  # "described X as Y, emphasizing Z": one statement; "called X and said Y": two
        who = speaker_of(ctx, token)
        if who is None or token.i in ctx.quote_verbs:
            continue  # a quotation's verb: the quotation is the statement
        if token.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in PRONOUNS for c in token.children):
            continue  # "aircraft which he said were added": an aside inside a claim reported already
        comp = [c for c in token.children if c.dep_ == "ccomp"] or [
            c  # "told a news conference that ...": the clause, as the small model hangs it on the audience
            for o in token.children
            if o.dep_ == "dobj" and token.lemma_ in TELLING
            for c in o.children
            if c.dep_ in ("relcl", "acl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ]
        if comp and comp[0].lemma_ in speech and speaker_of(ctx, comp[0]) not in (None, who):
            continue  # "X added that Y had promised ...": a relay; the claim is Y's
        if comp:
            quote = token.doc[comp[0].left_edge.i : comp[0].right_edge.i + 1].text
        elif token.dep_ == "parataxis":
            quote = " ".join(
                t.text_with_ws.strip()
                for t in sent
                if (t.i not in {s.i for s in token.subtree} and not t.is_punct) or t.lower_ == ","
            )
        else:
            # What was said is the object; the verb's adverbials (when, amid what) are not part of it.
            rest = [
                t
                for t in token.rights
                if t.dep_ in ("dobj", "xcomp", "oprd", "attr")
                or (
                    t.dep_ == "prep" and (t.lower_ in ("as", "for") or token.i in phrasal)
                )  # "paid tribute to"
            ] or [t for t in token.rights if t.dep_ == "prep"]
            if not rest or (token.lemma_ in ATTITUDE_VERBS and all(t.dep_ == "dobj" for t in rest)):
                continue  # "praised the relationship": an attitude, not a claim
            # "called for X through Y": a means or partner the parser hangs on the verb is part of it
            # and so does a concession it makes in the same breath ("warned against X while acknowledging Y")
            rest += [
                t
                for t in token.rights
                if t.i > max(r.i for r in rest)
                and (
                    t.lower_ in MANNER_PREPS
                    or (
                        t.dep_ == "advcl"
                        and any(c.lower_ in CONCESSIVE for c in t.children if c.dep_ == "mark")
                    )
                )
            ]
            quote = token.doc[token.i + 1 : max(t.right_edge.i for t in rest) + 1].text
        quote = re.sub(r"^as\s+saying\s+", "", quote.strip(" ,.;"))  # "was quoted as saying that ..."
        quote = re.sub(r"^(?:it\s+)?(?:known\s+)?(?:that|:)\s+", "", quote)
        if len(quote.split()) < 4:
            continue
        dated = [
            d
            for d in dates_in(ctx, sent)
            if _under(token, d[0].span.root) and not any(_under(c, d[0].span.root) for c in comp)
        ]
        out.append(
            make_event(
                ctx,
                "statement",
                {"speaker": who, "quote": quote, "date": dated[0][1] if dated else None},
                [sent],
                token,
            )
        )
    out.extend(_citing(ctx, sent))
    for i in sorted(phrases.get("ACCORDING_TO", ())):  # starts in the sentence, in order
        token = sent.doc[i]
        people = [x for x in ctx.sentence_mentions(sent) if is_person(ctx, x) and x.m.start > token.idx]
        quote = ctx.text[sent.start_char : token.idx].strip(" ,")
        if people and not quote:  # "According to X, <claim>": X the phrase's object, the claim after it
            people, quote = _after_according(ctx, sent, token, people)
        if people and len(quote.split()) >= 4:
            out.append(
                make_event(ctx, "statement", {"speaker": people[0].m.text, "quote": quote}, [sent], None)
            )
    return out


def _after_according(
    ctx: DocContext, sent: Span, according: Token, people: list[Ment]
) -> tuple[list[Ment], str]:
    """ "According to X, <claim>": X if it is the object of "according to" (not "an adviser of X"),
    and the claim after the comma that closes the phrase ("According to X, Serbia's president, ...")."""
    objects = [o for to in according.children if to.lower_ == "to" for o in to.children if o.dep_ == "pobj"]
    if not objects or not any(x.span.root == objects[0] for x in people):
        return [], ""
    end = objects[0].right_edge.i + 1
    if end >= sent.end or ctx.doc[end].text != ",":
        return [], ""
    return [x for x in people if x.span.root == objects[0]], ctx.text[
        ctx.doc[end].idx + 1 : sent.end_char
    ].strip().rstrip(".")


# Verbs of telling someone something: the clause the parser hangs on the one told is what was said.
TELLING = {"tell", "assure", "inform", "brief", "remind", "warn"}
CONCESSIVE = {"while", "whereas", "although", "though"}
MANNER_PREPS = {"through", "via", "by", "with", "between", "against", "towards", "toward"}

# Nouns that name the occasion a remark was made at ("said at the signing ceremony", "on that occasion").
OCCASION_NOUNS = {"occasion", "ceremony", "conference", "summit", "meeting", "talks", "visit", "roundtable"}
OCCASION_NOUNS |= {"forum", "signing", "exercise", "drill", "drills", "opening"}  # a briefing relays remarks
OCCASION_PREPS = {"at", "during", "following", "after", "on", "in", "addressing"}


def dated_by_occasion(ctx: DocContext, events: list[Event]) -> None:
    """A remark made at a meeting or exercise the document dates ("said at a press conference after
    the meeting", "On that occasion X said", "Speaking to the troops in the exercise, X said") takes
    that date; a bare "said" stays undated."""
    dated = [e for e in events if e.type in ("meeting", "exercise") and e.args.get("date")]
    for event in events:
        if event.type != "statement" or event.args.get("date") or not event.evidence:
            continue
        first = event.evidence[0]
        sents = ctx.sentences_between(first.start, first.end)
        if not sents or not any(_at_occasion(ctx, t) for t in sents[0]):
            continue
        hosts = [e for e in dated if any(c.start <= first.start < c.end for c in e.evidence)]
        speaker = key_for("person", str(event.args.get("speaker", ""))).split()[-1:]
        if not hosts:  # "On that occasion X said": the last meeting X took part in
            before = [
                e
                for e in dated
                if e.type == "meeting"
                and min(c.start for c in e.evidence) < first.start
                and speaker
                and speaker[0] in {key_for("person", str(p)).split()[-1] for p in e.args["participants"]}
            ]
            hosts = [max(before, key=lambda e: min(c.start for c in e.evidence))] if before else []
        with_speaker = [
            e
            for e in hosts
            if speaker
            and speaker[0] in {key_for("person", str(p)).split()[-1] for p in e.args.get("participants", [])}
        ]
        dates = {str(e.args["date"]) for e in (with_speaker or hosts)}
        if len(dates) == 1:
            event.args["date"] = event.date = dates.pop()
    for event in events:
        if event.type == "statement" and not event.args.get("date") and event.evidence:
            _dated_by_talks(ctx, event, [e for e in dated if e.type == "meeting"])


HABITUAL = {"frequently", "often", "regularly", "always", "repeatedly", "routinely"}


def _dated_by_talks(ctx: DocContext, event: Event, meetings: list[Event]) -> None:
    """“The two leaders met. X stressed that ... He added that ...”: what a participant says in
    the paragraph right after the report of a dated meeting was said at it."""
    first = event.evidence[0]
    speaker = key_for("person", str(event.args.get("speaker", ""))).split()[-1:]
    if set(fold(first.text).split()) & HABITUAL:
        return  # "X often says ...": said again and again, on no one day
    before = [s for s in ctx.sents if s.end_char <= first.start][-2:]
    for sent in reversed(before):
        if "\n" in ctx.text[sent.end_char : first.start]:
            return  # another paragraph
        cite = ctx.cite(sent.start_char, sent.end_char)
        hosts = [
            e
            for e in meetings
            if cite in e.evidence
            and speaker
            and speaker[0] in {key_for("person", str(p)).split()[-1] for p in e.args["participants"]}
        ]
        if len({str(e.args["date"]) for e in hosts}) == 1:
            event.args["date"] = event.date = str(hosts[0].args["date"])
            return


def _at_occasion(ctx: DocContext, token: Token) -> bool:
    if token.pos_ not in ("NOUN", "PROPN") or token.lemma_.lower() not in OCCASION_NOUNS:
        return False
    if ctx.in_quote(token.idx, token.idx + 1):
        return False
    if token.dep_ == "dobj" and token.head.lemma_ in ("tell", "address"):
        return True  # "X told the summit", "X addressed the ceremony"
    chain = [token.head, *token.head.ancestors][:3]
    if any(t.lower_ in ("prior", "before", "ahead", "until") for t in chain):
        return False  # "prior to the visit": not said at it
    prep = next((t for t in chain if t.dep_ == "prep" or t.lower_ in OCCASION_PREPS), None)
    return (prep is not None and prep.lower_ in OCCASION_PREPS) or any(
        c.lower_ in ("that", "this") for c in token.children
    )


def leads(ctx: DocContext, events: list[Event]) -> None:
    """ "X hailed the ties online. “...,” he wrote.": the sentence that names the speaker a
    pronoun stands for is part of the statement."""
    for event in events:
        if event.type != "statement" or len(event.evidence) != 1:
            continue
        surname = key_for("person", str(event.args.get("speaker", ""))).split()[-1:]
        first = event.evidence[0]
        if not surname or surname[0] in fold(first.text).split():
            continue
        sents = [s for s in ctx.sents if s.end_char <= first.start]
        if not sents:
            continue
        lead = sents[-1]
        subjects = {
            fold(t.text)
            for t in lead
            if t.dep_ in ("nsubj", "nsubjpass") and not ctx.in_quote(t.idx, t.idx + 1)
        }
        if surname[0] in subjects:
            event.evidence.insert(0, ctx.cite(lead.start_char, lead.end_char))
