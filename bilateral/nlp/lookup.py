"""The model's attribute_ruler as a cached lookup: the same POS, morph and lemma at a fraction of the cost.

en_core_web_sm's attribute_ruler runs about 180 Matcher patterns over every token, although each pattern
tests only a token's tag, lower-case form, dependency label or whether it is white space. What the
single-token rules set on a token therefore depends on those few values alone: it is worked out once per
distinct combination and cached, and a document costs a dictionary look-up per token. The few
multi-token rules ("gon na", "let 's") are checked only where a token can start them. Rules, their
order (a later rule wins) and their values are read from the model's own attribute_ruler, so the
output is the same token for token (tests/test_nlp_lookup.py).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.tokens import Doc

Key = tuple[int, ...]
Check = Callable[[tuple[Any, ...]], bool]
# Token attributes a rule may test: strings compared by value, flags as booleans.
STRINGS = ("TAG", "LOWER", "DEP", "ORTH", "NORM", "TEXT")
FLAGS = ("IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT")


@dataclass(frozen=True)
class Outcome:
    """What the single-token rules do to a token with one combination of the tested values."""

    rules: tuple[int, ...]  # the rules that match, in order
    starts: frozenset[tuple[int, int]]  # (multi-token pattern, position) pairs this token satisfies
    row: int  # its row in the table of attribute values


def _allowed(spec: dict[str, Any], name: str) -> frozenset[Any] | None:
    """The values a token pattern allows for one attribute, when it names them (None: any value)."""
    want = spec.get(name)
    if want is None or (isinstance(want, dict) and "IN" not in want):
        return None
    return frozenset(want["IN"]) if isinstance(want, dict) else frozenset([want])


def _check(spec: dict[str, Any], fields: list[str]) -> Check:
    """A predicate on a token's tested values for one token of a pattern; unsupported tests raise."""
    tests: list[tuple[int, str, Any]] = []
    for name, want in spec.items():
        if name not in fields:
            raise ValueError(f"attribute_ruler pattern tests {name!r}, which the lookup does not support")
        ((op, arg),) = want.items() if isinstance(want, dict) else (("==", want),)
        if op not in ("==", "IN", "NOT_IN", "REGEX"):
            raise ValueError(f"attribute_ruler pattern uses {op!r}, which the lookup does not support")
        arg = re.compile(arg) if op == "REGEX" else frozenset(arg) if op in ("IN", "NOT_IN") else arg
        tests.append((fields.index(name), op, arg))

    def check(values: tuple[Any, ...]) -> bool:
        for at, op, arg in tests:
            value = values[at]
            if op == "==":
                ok = value == arg
            elif op == "REGEX":
                ok = arg.search(value) is not None
            else:
                ok = (value in arg) == (op == "IN")
            if not ok:
                return False
        return True

    return check


class TagLookup:
    """Applies an attribute_ruler's rules by table look-up (see the module's docstring)."""

    def __init__(self, nlp: Language, patterns: Iterable[dict[str, Any]]) -> None:
        self.vocab = nlp.vocab
        rules = list(patterns)
        tested = {name for rule in rules for pattern in rule["patterns"] for spec in pattern for name in spec}
        unknown = tested - set(STRINGS) - set(FLAGS)
        if unknown or any("OP" in spec for rule in rules for pattern in rule["patterns"] for spec in pattern):
            raise ValueError(f"attribute_ruler patterns the lookup cannot replace: {sorted(unknown) or 'OP'}")
        self.fields = sorted(tested)
        self.key_ids: list[int | str] = [IDS[name] for name in self.fields]
        self.flags = [name in FLAGS for name in self.fields]
        # Normalised attribute values (ids and hashes), as the attribute_ruler stores them.
        from spacy.tokens._retokenize import normalize_token_attrs

        self.attrs: list[dict[int, int]] = [normalize_token_attrs(self.vocab, r["attrs"]) for r in rules]
        self.out_ids: list[int | str] = sorted({a for attrs in self.attrs for a in attrs})
        # Every token of every pattern is an entry: (rule, -1, 0) for a single-token rule, (rule, p, j)
        # for position j of multi-token pattern p.
        self.multi: list[tuple[int, int, int]] = []  # rule, length, target index
        entries: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
        for i, rule in enumerate(rules):
            for pattern in rule["patterns"]:
                if len(pattern) == 1:
                    entries.append(((i, -1, 0), pattern[0]))
                    continue
                p = len(self.multi)
                self.multi.append((i, len(pattern), rule.get("index", 0) % len(pattern)))
                entries.extend(((i, p, j), spec) for j, spec in enumerate(pattern))
        # Entries filed under a value they require (of the attribute most of them name: the tag, then
        # the lower-case form...), so a new combination is checked against a few of them, not all.
        order = sorted(
            range(len(self.fields)),
            key=lambda f: -sum(_allowed(e, self.fields[f]) is not None for _, e in entries),
        )
        self.filed: dict[tuple[int, Any], list[tuple[tuple[int, int, int], Check]]] = {}
        self.anywhere: list[tuple[tuple[int, int, int], Check]] = []
        for entry, spec in entries:
            check = _check(spec, self.fields)
            filed = next(((f, a) for f in order if (a := _allowed(spec, self.fields[f])) is not None), None)
            if filed is None:
                self.anywhere.append((entry, check))
            else:
                for value in filed[1]:
                    self.filed.setdefault((filed[0], value), []).append((entry, check))
        self.cache: dict[Key, Outcome] = {}
        self.rows: dict[tuple[tuple[int, int], ...], int] = {}
        self.values = np.zeros((0, len(self.out_ids)), dtype=np.uint64)
        self.mask = np.zeros((0, len(self.out_ids)), dtype=bool)

    def _outcome(self, key: Key) -> Outcome:
        strings = self.vocab.strings
        values = tuple(bool(k) if flag else strings[k] for k, flag in zip(key, self.flags, strict=True))
        candidates = [c for at, v in enumerate(values) for c in self.filed.get((at, v), ())] + self.anywhere
        matched = [entry for entry, check in candidates if check(values)]
        rules = tuple(sorted(i for i, p, _ in matched if p < 0))
        starts = frozenset((p, j) for _, p, j in matched if p >= 0)
        items = tuple(sorted(self._apply(rules).items()))
        row = self.rows.setdefault(items, len(self.rows))
        outcome = Outcome(rules, starts, row)
        self.cache[key] = outcome
        return outcome

    def _table(self) -> tuple[np.ndarray, np.ndarray]:
        """Attribute values and whether they are set, one row per distinct outcome."""
        if len(self.values) < len(self.rows):
            self.values = np.zeros((len(self.rows), len(self.out_ids)), dtype=np.uint64)
            self.mask = np.zeros((len(self.rows), len(self.out_ids)), dtype=bool)
            for items, row in self.rows.items():
                for attr, value in items:
                    self.values[row, self.out_ids.index(attr)] = value
                    self.mask[row, self.out_ids.index(attr)] = True
        return self.values, self.mask

    def _apply(self, rules: Iterable[int]) -> dict[int, int]:
        """The attribute values the rules set, in order: a later rule overrides an earlier one."""
        final: dict[int, int] = {}
        for i in rules:
            final.update(self.attrs[i])
        return final

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cache, outcome = self.cache, self._outcome
        found = [cache.get(key) or outcome(key) for key in map(tuple, doc.to_array(self.key_ids).tolist())]
        rows = np.fromiter((o.row for o in found), dtype=np.intp, count=len(found))
        values, mask = self._table()
        new = np.where(mask[rows], values[rows], doc.to_array(self.out_ids))
        if self.multi:
            for t, extra in self._multi_hits(found).items():
                final = self._apply(sorted({*found[t].rules, *extra}))
                for attr, value in final.items():
                    new[t, self.out_ids.index(attr)] = value
        doc.from_array(self.out_ids, new)  # type: ignore[arg-type]
        return doc

    def _multi_hits(self, found: list[Outcome]) -> dict[int, set[int]]:
        """Tokens a multi-token rule sets, with the rules that set them."""
        hits: dict[int, set[int]] = {}
        for start in [t for t, o in enumerate(found) if o.starts]:
            for p, first in found[start].starts:
                rule, n, index = self.multi[p]
                if first or start + n > len(found):
                    continue
                if all((p, j) in found[start + j].starts for j in range(1, n)):
                    hits.setdefault(start + index, set()).add(rule)
        return hits


class CachedLemmatizer:
    """The model's rule lemmatizer, asked once per (word, POS, morph): what its rules give depends on
    those alone, and it otherwise costs a Token object and several look-ups for every token.

    Its index of known words per part of speech is made a set (SPEED): `rule_lemmatize` asks only
    `form in index`, which on the stored lists (57,000 nouns) is a scan for every new word."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = copy.copy(lemmatizer)  # the model's own is left as it is
        self.lemmatizer.lookups = _indexed(lemmatizer.lookups)
        # Its `lemmatize` is a method bound when the model's was made: bound again, to the copy.
        self.lemmatize: Callable[[Any], list[str]] = getattr(self.lemmatizer, f"{lemmatizer.mode}_lemmatize")
        self.overwrite: bool = lemmatizer.overwrite
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        strings, cache = doc.vocab.strings, self.cache
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            if key not in cache:
                cache[key] = strings.add(self.lemmatize(doc[i])[0])
            lemmas[i] = cache[key]
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]
        return doc


def _indexed(lookups: Lookups) -> Lookups:
    """A copy of the lemmatizer's tables with each list of its `lemma_index` as a frozenset."""
    out = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        data = {k: frozenset(v) if name == "lemma_index" else v for k, v in table.items()}
        out.add_table(name, data)
    return out


@Language.factory("tag_lookup")
def make_tag_lookup(nlp: Language, name: str) -> TagLookup:
    """The lookup built from the pipeline's attribute_ruler (which must still be in the pipeline)."""
    return TagLookup(nlp, nlp.get_pipe("attribute_ruler").patterns)  # type: ignore[attr-defined]


@Language.factory("cached_lemmatizer")
def make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    """The pipeline's lemmatizer (which must still be in the pipeline), cached."""
    return CachedLemmatizer(nlp.get_pipe("lemmatizer"))


def use_lookups(nlp: Language) -> None:
    """Put the lookups where the attribute_ruler and the lemmatizer were, and remove those two."""
    for old, new in (("attribute_ruler", "tag_lookup"), ("lemmatizer", "cached_lemmatizer")):
        nlp.add_pipe(new, before=old)
        nlp.remove_pipe(old)
