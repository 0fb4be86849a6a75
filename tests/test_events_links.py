"""Role links (events/links.py) found without spaCy's DependencyMatcher give exactly its matches."""

from __future__ import annotations

from pathlib import Path

from bilateral.events import links
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
