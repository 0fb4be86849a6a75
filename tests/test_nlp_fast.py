"""The faster forms of bilateral's rule components give the entities spaCy's own forms give."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from bilateral.analysis import PARSE_ATTRS
from bilateral.nlp import docbin, sentences
from bilateral.nlp.components import AGREEMENT_HEADS, ORG_HEADS, LexiconRuler
from bilateral.nlp.lexicon import load
from bilateral.nlp.lookup import CachedLemmatizer
from bilateral.nlp.pipeline import MODEL, RULES, build, ruler_patterns
from bilateral.nlp.regions import Regions
from bilateral.nlp.sentences import segment

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _ents(doc: Doc) -> list[tuple[int, int, str, str]]:
    return [(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents]


@pytest.fixture(scope="module")
def parsed() -> tuple[Language, dict[str, list[Doc]]]:
    """The model's parses (entities included) of every corpus, before bilateral's rules."""
    nlp = build()
    docs = {}
    for corpus in sorted(p for p in CORPORA.iterdir() if p.is_dir()):
        files = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))
        texts = [p.read_text(encoding="utf-8") for p in files]
        docs[corpus.name] = list(nlp.pipe(texts, disable=list(RULES)))
    assert len(docs) >= 3 and all(docs.values())
    return nlp, docs


def test_lexicon_ruler_sets_the_entities_of_spacys_entity_ruler(
    parsed: tuple[Language, dict[str, list[Doc]]],
) -> None:
    nlp, docs = parsed
    assert isinstance(nlp.get_pipe("entity_ruler"), LexiconRuler)
    # spaCy's own ruler with the same patterns, in a pipeline of its own on the same vocabulary
    stock = Language(nlp.vocab)
    stock.tokenizer = nlp.tokenizer
    ruler = stock.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(load()))  # type: ignore[attr-defined]
    ours = nlp.get_pipe("entity_ruler")
    changed = 0
    for corpus in docs.values():
        for doc in corpus:
            a, b = ruler(doc.copy()), ours(doc.copy())
            assert _ents(a) == _ents(b)
            changed += _ents(a) != _ents(doc)
    assert changed  # the lexicon's names did overwrite some of the model's entities


def test_segmenter_finds_the_sentences_of_a_stock_sentencizer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its vocabulary computes only what the sentencizer reads; the sentences are those `segment`
    finds with spaCy's blank English pipeline, every word attribute computed."""
    files = sorted(p for p in CORPORA.glob("*/*") if p.suffix in (".txt", ".md"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    texts.append("Dr. Smith said: “It’s done!” Then… he left?! U.S. forces ($3.5bn) arrived.\n\n¿Qué? Fin.")
    assert len(texts) > 30
    ours = [segment(text) for text in texts]
    stock = spacy.blank("en")
    stock.add_pipe("sentencizer")
    monkeypatch.setattr(sentences, "_segmenter", lambda: stock)
    assert [segment(text) for text in texts] == ours
    assert sum(map(len, ours)) > 500


def test_cached_lemmatizer_asks_a_copy_with_the_index_as_sets() -> None:
    """The lemmatizer it asks reads sets of known words; the model's own keeps its lists."""
    stock = spacy.load(MODEL)
    model = stock.get_pipe("lemmatizer")
    cached = CachedLemmatizer(model)
    asked = cached.lemmatize.__self__  # type: ignore[attr-defined]
    assert asked is cached.lemmatizer and asked is not model
    assert all(isinstance(v, frozenset) for v in asked.lookups.get_table("lemma_index").values())
    assert all(isinstance(v, list) for v in model.lookups.get_table("lemma_index").values())  # type: ignore[attr-defined]


def test_a_parse_is_added_to_its_docbin_as_spacy_adds_it(
    parsed: tuple[Language, dict[str, list[Doc]]],
) -> None:
    """`docbin.add` makes the DocBin `DocBin.add` makes, byte for byte (a token "_" and a token
    without morphology, whose analysis is "_", included)."""
    nlp, docs = parsed
    extra = list(nlp.pipe(["", "_ under_score _", "Line one\n\nLine two  \n end "], disable=list(RULES)))
    for doc in [d for found in docs.values() for d in found] + extra:
        ours, theirs = DocBin(attrs=PARSE_ATTRS), DocBin(attrs=PARSE_ATTRS)
        docbin.add(ours, doc)
        theirs.add(doc)
        assert ours.strings == theirs.strings
        assert ours.to_bytes() == theirs.to_bytes()


def test_entity_rules_match_in_their_regions_as_in_the_whole_document(
    parsed: tuple[Language, dict[str, list[Doc]]],
) -> None:
    """The entity rules' matcher, run on the anchored runs of tokens only, finds the matches it finds
    in the whole document (in another order: equal spans are settled by the component)."""
    nlp, docs = parsed
    rules = nlp.get_pipe("bilateral_entities")
    assert rules.regions.usable and not set(ORG_HEADS) & set(AGREEMENT_HEADS)
    extra = list(nlp.pipe(["", "Ministry", "the 2024 Ministry of Defence of Peru, dubbed “Iron Sky”"]))
    matched = read = total = 0
    for doc in [d for found in docs.values() for d in found] + extra:
        expected = sorted(rules.matcher(doc))
        assert sorted(rules.regions.matches(rules.matcher, doc)) == expected
        matched += len(expected)
        read += sum(end - start for start, end in rules.regions.runs(doc))
        total += len(doc)
    assert matched > 150 and read < total / 4  # the runs are a small part of the text


def test_of_equal_spans_an_exercise_name_wins(parsed: tuple[Language, dict[str, list[Doc]]]) -> None:
    nlp = parsed[0]
    doc = nlp("The navies held joint drills dubbed Peace Initiative off the coast in 2023.")
    assert [(e.text, e.label_) for e in doc.ents if e.text == "Peace Initiative"] == [
        ("Peace Initiative", "EXERCISE")
    ]


def test_patterns_with_a_test_regions_cannot_reduce_read_the_whole_document() -> None:
    assert not Regions([[{"IS_TITLE": True}, {"POS": "NOUN"}]]).usable
    assert not Regions([[{"LOWER": "bank", "OP": "!"}, {"LOWER": "x"}]]).usable  # a negation
    assert not Regions([[{"IS_TITLE": True, "OP": "+"}]]).usable  # no anchor
    assert Regions([[{"IS_TITLE": True, "OP": "+"}, {"LOWER": "bank"}]]).usable
