"""Language data for event extraction: one folder per language (`en/`), spaCy patterns in JSON."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from spacy.matcher import Matcher
from spacy.vocab import Vocab

LANG = "en"


@cache
def patterns(name: str, lang: str = LANG) -> dict[str, list[list[dict[str, Any]]]]:
    """The pattern file `lang/<lang>/<name>.json`: label -> list of token patterns (keys with _ are notes)."""
    text = resources.files(__package__).joinpath(lang, f"{name}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return {label: rules for label, rules in data.items() if not label.startswith("_")}


def matcher(vocab: Vocab, name: str, lang: str = LANG) -> Matcher:
    """A spaCy Matcher over one pattern file, validated against spaCy's pattern schema when built."""
    built = Matcher(vocab, validate=True)
    for label, rules in patterns(name, lang).items():
        built.add(label, rules)
    return built
