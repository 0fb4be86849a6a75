"""CPU time of the model's attribute_ruler and lemmatizer against bilateral's lookups that replace them.

    .venv/bin/python bench/lookups.py [--rounds 3]

The development corpora (every folder of ../shared/corpus) are parsed once up to the parser; copies
of those parses then go through the stock attribute_ruler + lemmatizer and through tag_lookup +
cached_lemmatizer (bilateral.nlp.lookup), alternately, `--rounds` times. The first round of the
lookups runs first, with every cache empty (as at the start of a run); the best later round is warm.
Both sides give the same tokens (tests/test_nlp_lookup.py); the check is repeated here.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bilateral.nlp.lookup import CachedLemmatizer, TagLookup
from bilateral.nlp.pipeline import MODEL

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def timed(steps: Sequence[Callable[[Doc], Doc]], docs: list[Doc]) -> float:
    start = time.process_time()
    for doc in docs:
        for step in steps:
            step(doc)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [p.read_text("utf-8") for p in sorted(CORPORA.rglob("*")) if p.suffix in (".txt", ".md")]
    nlp: Language = spacy.load(MODEL)
    parsed = list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    stock: list[Callable[[Doc], Doc]] = [nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")]
    patterns = nlp.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]
    ours: list[Callable[[Doc], Doc]] = [TagLookup(nlp, patterns), CachedLemmatizer(stock[1])]
    times: dict[str, list[float]] = {"stock": [], "lookups": []}
    for _ in range(args.rounds):
        results = []
        for name, steps in (("lookups", ours), ("stock", stock)):  # the lookups first: all caches cold
            docs = [Doc(nlp.vocab).from_bytes(d.to_bytes()) for d in parsed]
            if not times[name]:
                stock[1].cache.clear()  # type: ignore[attr-defined]  # spaCy's own lemma cache: cold
            times[name].append(timed(steps, docs))
            results.append([[(t.pos, str(t.morph), t.lemma) for t in d] for d in docs])
        assert results[0] == results[1], "the lookups and the stock components disagree"
    tokens = sum(len(d) for d in parsed)
    print(f"{len(texts)} documents, {tokens:,} tokens; CPU seconds, first round (cold) and best later one")
    labels = {"stock": "attribute_ruler + lemmatizer", "lookups": "tag_lookup + cached_lemmatizer"}
    cold, warm = {}, {}
    for name, label in labels.items():
        cold[name], warm[name] = times[name][0], min(times[name][1:] or times[name])
        print(f"{label:32} cold {cold[name]:6.3f}   warm {warm[name]:6.3f}")
    saved = {k: 100 * (1 - v["lookups"] / v["stock"]) for k, v in (("cold", cold), ("warm", warm))}
    print(f"CPU saved: {saved['cold']:.0f}% cold, {saved['warm']:.0f}% warm")


if __name__ == "__main__":
    main()
