"""Language data for event extraction: one folder per language (`en/`), spaCy patterns in JSON.

A pattern file is validated when its matcher is built; a file that cannot be read or that spaCy
rejects raises `PatternFileError` naming the file and the label, never a traceback from spaCy.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.vocab import Vocab

LANG = "en"
Patterns = dict[str, list[list[dict[str, Any]]]]


class PatternFileError(ValueError):
    """A pattern file that is not JSON, not label -> list of patterns, or that spaCy's schema rejects."""


def pattern_file(name: str, lang: str = LANG) -> Traversable:
    """The packaged file `lang/<lang>/<name>.json`."""
    return resources.files(__package__).joinpath(lang, f"{name}.json")


def read_patterns(path: Path | Traversable) -> Patterns:
    """Label -> list of patterns from one file (keys starting with _ are notes)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PatternFileError(f"{path}: cannot read pattern file: {_one_line(err)}") from None
    if not isinstance(data, dict):
        raise PatternFileError(f"{path}: a pattern file is an object of label -> list of patterns")
    out: Patterns = {}
    for label, rules in data.items():
        if label.startswith("_"):
            continue
        if not isinstance(rules, list) or not all(isinstance(r, list) for r in rules):
            raise PatternFileError(f"{path}: {label}: expected a list of patterns (each a list of objects)")
        out[label] = rules
    return out


@cache
def patterns(name: str, lang: str = LANG) -> Patterns:
    """The packaged pattern file `lang/<lang>/<name>.json`, read once."""
    return read_patterns(pattern_file(name, lang))


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())


def build(built: Matcher | DependencyMatcher, path: Path | Traversable, rules: Patterns) -> None:
    """Add every label of a file to a matcher built with `validate=True`, errors naming file and label."""
    for label, group in rules.items():
        try:
            built.add(label, group)
        except (ValueError, KeyError, TypeError, IndexError) as err:
            raise PatternFileError(f"{path}: {label}: not a valid spaCy pattern: {_one_line(err)}") from None


def matcher(vocab: Vocab, name: str, lang: str = LANG) -> Matcher:
    """A spaCy Matcher over one pattern file, validated against spaCy's pattern schema when built."""
    built = Matcher(vocab, validate=True)
    build(built, pattern_file(name, lang), patterns(name, lang))
    return built


def dependency_matcher(
    vocab: Vocab, name: str, lang: str = LANG, path: Path | None = None
) -> DependencyMatcher:
    """A spaCy DependencyMatcher over one pattern file (packaged, or `path`), validated when built."""
    source: Path | Traversable = path or pattern_file(name, lang)
    built = DependencyMatcher(vocab, validate=True)
    build(built, source, read_patterns(path) if path else patterns(name, lang))
    return built
