"""Role links (events/links.py) found without spaCy's DependencyMatcher give exactly its matches."""

from __future__ import annotations

from pathlib import Path

from bilateral.events import links
from bilateral.events.context import DocContext, sentence_matches
from bilateral.events.lang import matcher
from bilateral.events.links import sentence_of
from bilateral.events.words import Words, _test, phrase_rules
from bilateral.nlp.pipeline import build


def test_chains_give_the_dependency_matchers_matches(corpus: Path) -> None:
    nlp = build()
    assert links._chains(nlp.vocab) is not None  # the packaged role patterns are chains of heads
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    compared = found = 0
    for doc in nlp.pipe(texts):
        strings = doc.vocab.strings
        for sent in doc.sents:
            expected = sorted((strings[m], toks) for m, toks in links._matcher(doc.vocab)(sent))
            assert sorted(links._matches(sent)) == expected, sent.text
            assert all(links._Last.of(doc).sentence(t) == t.sent for t in sent)
            compared += 1
            found += len(expected)
    assert compared > 100 and found > 500


def test_sentence_words_and_matches_as_spacy_gives_them(corpus: Path) -> None:
    """The words a trigger search reads from the document's arrays, and phrase matches found once per
    document, are what the tokens and a Matcher run over each sentence give."""
    nlp = build()
    speech = matcher(nlp.vocab, "speech")
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    texts.append("They made it known on Monday. Officials paid tribute to the crew. Made known, it was.")
    words, phrases = {"sign", "agreement", "visit", "say"}, 0
    for doc in nlp.pipe(texts):
        ctx = DocContext(doc, "d", None, [])
        for sent in doc.sents:
            assert ctx.lemmas(sent) == [t.lemma_ for t in sent]
            assert ctx.lowers(sent) == [t.lower_ for t in sent]
            assert ctx.having(sent, words, {"said"}) == [
                t for t in sent if t.lemma_ in words or t.lower_ == "said"
            ]
            expected = [(m, sent.start + s, sent.start + e) for m, s, e in speech(sent)]
            assert sorted(sentence_matches(speech, sent)) == sorted(expected), sent.text
            phrases += len(expected)
    assert phrases >= 2


def test_document_words_and_phrase_tests_as_spacy_gives_them(corpus: Path) -> None:
    """The token strings read from a document's arrays are the tokens' own, its text is `doc.text`,
    and the word-test phrases (people and speech cues) match where spaCy's Matcher does."""
    nlp = build()
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    texts += ["They made it known on Monday. Officials paid homage to the crew. It made known its plan.", ""]
    texts.append("The ministers will sign the deal. Will it hold? Talks will resume, they said.")
    matched = 0
    for doc in nlp.pipe(texts):
        words = Words(doc)
        assert words.text() == doc.text
        assert words.orth == [t.orth_ for t in doc] and words.lower == [t.lower_ for t in doc]
        assert words.lemma == [t.lemma_ for t in doc] and words.pos == [t.pos_ for t in doc]
        assert words.dep == [t.dep_ for t in doc] and words.tag == [t.tag_ for t in doc]
        assert words.folded == [t.lemma_.lower() for t in doc] and words.head == [t.head.i for t in doc]
        for name in ("people", "speech"):
            rules = phrase_rules(name)
            assert rules is not None  # the packaged cues are word tests
            expected = {(doc.vocab.strings[m], s, e) for m, s, e in matcher(nlp.vocab, name)(doc)}
            assert sorted(words.phrases(name, rules)) == sorted(expected)
            matched += len(expected)
        for sent in doc.sents:
            for lemmas, lowers in (({"say", "sign"}, ("said",)), (("visit",), {"talks"}), ((), ())):
                assert [doc[i] for i in words.having(sent.start, sent.end, lemmas, lowers)] == [
                    t for t in sent if t.lemma_ in lemmas or t.lower_ in lowers
                ]
            assert [doc[i] for i in words.where("dep", sent.start, sent.end, ("dobj",))] == [
                t for t in sent if t.dep_ == "dobj"
            ]
            modal = any(t.tag_ == "MD" and t.lower_ == "will" for t in sent)
            assert words.has_modal(sent.start, sent.end, "will") == modal
            assert all(sentence_of(t) == sent for t in sent)
    assert matched > 50


def test_phrase_rules_leave_other_tests_to_the_matcher() -> None:
    """A pattern with a test the arrays cannot make (a regex, another operator) is spaCy's to match."""
    assert _test({"LOWER": {"REGEX": "^x"}}) is None
    assert _test({"LEMMA": "make", "OP": "+"}) is None
    assert _test({"POS": "VERB"}) is None
    assert _test({"TEXT": {"IN": ["A", "B"]}, "OP": "?"}) is not None
