"""Who speaks: the person a speech verb's subject names, however the text names them (a name, a
name in apposition, "he", "the minister", "the agency quoted X as saying"), never a place, a
newspaper, a document, a building or two people together."""

from __future__ import annotations

from spacy.tokens import Token

from ..nlp.components import ORG_SUBTYPES
from ..nlp.mentions import strip_titles
from .context import PRONOUNS, ROLE_NOUNS, DocContext
from .links import sentence_of
from .people import is_person, person_before, titled_before
from .triggers import triggers


def speaker_of(ctx: DocContext, verb: Token) -> str | None:
    """The person speaking as the subject of a speech verb, however the text names them.

    A named person; a person in apposition to the subject ("the commander ..., General X, said");
    a pronoun or a role noun ("he", "the minister") for the last person named before; a
    title-case name the recogniser missed. Never a place, a newspaper, a document or a building.
    """
    if verb.dep_ in ("advcl", "conj", "xcomp") and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
    ):
        verb = verb.head  # "X visited Y, describing ...": the participle shares X as subject
    if verb.lemma_ == "quote":  # "the agency quoted X as saying": X speaks
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            for x in ctx.sentence_mentions(sentence_of(verb)):
                if is_person(ctx, x) and x.span.root.i in {t.i for t in obj.subtree}:
                    return x.m.text
    for child in verb.children:
        if child.dep_ not in ("nsubj", "nsubjpass"):
            continue
        ms = ctx.sentence_mentions(sentence_of(verb))
        # "the deputy head of the X Forces, General Y, said": the parser often hangs the
        # apposition on the last noun of the subject phrase.
        named = [a for a in child.subtree if a.dep_ == "appos" and a.i > child.i and a.pos_ == "PROPN"]
        if any(c.dep_ == "conj" for c in child.children) or _joint(ctx, child):
            return None  # "X and Y announced": a joint claim is no one person's statement
        for node in [child, *(a for a in child.children if a.dep_ == "appos"), *named]:
            for x in ms:
                if is_person(ctx, x) and x.span.start <= node.i < x.span.end:
                    return x.m.text
            if name := _unrecognised_name(node):
                return name
        indefinite = any(c.lower_ in ("a", "an", "one", "some") for c in child.children)
        plural = child.tag_ == "NNS" and child.lemma_.lower() in ROLE_NOUNS
        if indefinite or plural:
            return None  # "a ministry official said", "analysts say", "the ministers called": no one person
        if child.pos_ in ("NOUN", "PROPN") and child.lemma_.lower() in ROLE_NOUNS:  # "said the President"
            before = titled_before(ctx, child)
            common = [
                c
                for c in child.children
                if c.dep_ in ("amod", "compound") and (c.pos_ in ("NOUN", "ADJ") or c.is_lower)
            ]
            if before is None and not common:  # "the NATO chief" may be the last person named
                before = person_before(ctx, child.idx)  # "the president said": the last person named
            return before.m.text if before else None  # "the defence official said", no one so titled: unnamed
        if child.lower_ in PRONOUNS:
            return _antecedent(ctx, child)
    return None


def _joint(ctx: DocContext, subject: Token) -> bool:
    """ "X and Kenya's President announced", however the parser hangs it: a named person before an
    "and" of the subject phrase and another person or an office after it."""
    words = list(subject.subtree)
    ands = [t for t in words if t.dep_ == "cc" and t.lower_ == "and"]
    if not ands:
        return False
    cut = ands[0].i
    people = [x for x in ctx.sentence_mentions(sentence_of(subject)) if is_person(ctx, x)]
    before = any(x.span.root in words and x.span.root.i < cut for x in people)
    after = any(x.span.root in words and x.span.root.i > cut for x in people) or any(
        t.i > cut and t.lemma_.lower() in ROLE_NOUNS for t in words
    )
    return before and after


def _antecedent(ctx: DocContext, pronoun: Token) -> str | None:
    """Who "he" is: the last person named, unless that person was named inside what someone else was
    reporting ("X said the minister met Y. He added ...": X, not Y)."""
    before = person_before(ctx, pronoun.idx)
    if before is None:
        return None
    root = before.span.root
    speech = set(triggers()["statement"])
    for verb in root.ancestors:
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and root in c.subtree), None)
        if clause is not None and verb.lemma_ in speech and verb.pos_ == "VERB" and verb.i < pronoun.i:
            return speaker_of(ctx, verb) or before.m.text
    return before.m.text


def _unrecognised_name(token: Token) -> str | None:
    """ "Major General Alexei Naumets": title-case proper nouns with no entity type, titles dropped."""
    if token.pos_ != "PROPN" or token.ent_type_ or not token.is_title:
        return None
    parts = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN" and c.is_title]
    if not parts or any(c.ent_type_ for c in parts):
        return None
    span = strip_titles(token.doc[parts[0].i : token.i + 1])
    if len(span) < 2 or len(span) > 4 or any(t.text in ORG_SUBTYPES or t.is_upper for t in span):
        return None  # "Hanwha Aerospace", "KAI": an organisation, not a person
    return span.text
