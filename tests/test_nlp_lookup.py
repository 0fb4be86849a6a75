"""The lookups give every token the POS, morph and lemma the attribute_ruler and lemmatizer give it."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bilateral.nlp.lookup import TagLookup, use_lookups
from bilateral.nlp.pipeline import MODEL, build

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Composed to reach the model's exception rules, multi-token ones included.
EXCEPTIONS = (
    "We're gonna sign it, let's go. There is a deal, ain't there? I'd have done it myself, "
    "but they didn't. Y'all gotta see this: nothin' ever changes.\n\n  It has been 3 years."
)


def _attributes(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Language, Language]:
    stock = spacy.load(MODEL)
    ours = spacy.load(MODEL)
    use_lookups(ours)
    assert "attribute_ruler" not in ours.pipe_names and "lemmatizer" not in ours.pipe_names
    assert ours.pipe_names[-3:] == ["tag_lookup", "cached_lemmatizer", "ner"]
    return stock, ours


@pytest.mark.parametrize("corpus", sorted(p.name for p in CORPORA.iterdir() if p.is_dir()))
def test_identical_on_corpus(pipelines: tuple[Language, Language], corpus: str) -> None:
    stock, ours = pipelines
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((CORPORA / corpus).iterdir())
        if p.suffix in (".txt", ".md")
    ]
    assert texts
    for a, b in zip(stock.pipe(texts), ours.pipe(texts), strict=True):
        assert _attributes(a) == _attributes(b)


def test_identical_on_exception_rules(pipelines: tuple[Language, Language]) -> None:
    stock, ours = pipelines
    a, b = stock(EXCEPTIONS), ours(EXCEPTIONS)
    assert _attributes(a) == _attributes(b)
    lemmas = {t.lower_: t.lemma_ for t in b}
    assert lemmas["'re"] == "be" and lemmas["gon"] == "go" and lemmas["ai"] == "be"


def test_bilateral_pipeline_uses_the_lookup() -> None:
    assert "attribute_ruler" not in build().pipe_names
    assert build().pipe_names.index("tag_lookup") > build().pipe_names.index("parser")


def test_unsupported_rule_is_refused() -> None:
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="SHAPE"):
        TagLookup(nlp, [{"patterns": [[{"SHAPE": "dd"}]], "attrs": {"POS": "NUM"}, "index": 0}])
    with pytest.raises(ValueError, match="OP"):
        TagLookup(nlp, [{"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {"POS": "NOUN"}, "index": 0}])
