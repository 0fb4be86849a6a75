"""spaCy pipeline components of bilateral, registered here in one place."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import numpy as np
import yaml
from spacy.attrs import FLAG19, FLAG63, IDX, LOWER, SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .lookup import use_lookups
from .regions import Regions

__all__ = ["use_lookups"]


@Language.component("newline_boundaries")
def newline_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and bylines are not run into the next line.

    Runs before the parser, which keeps sentence starts that are already set. All starts are set
    in one array: setting `is_sent_start` token by token re-checks the whole Doc each time.
    """
    text = doc.text
    breaks = "\n\n" if _hard_wrapped(text) else "\n"
    # A token and the white space after it run from its offset to the next token's.
    offsets = doc.to_array(IDX)
    # A break inside a token's text or trailing white space: the next token starts a sentence.
    at = [m.start() for m in re.finditer(f"(?={breaks})", text)]
    after = [int(i) for i in np.searchsorted(offsets, at, side="right")]
    after = [i for i in after if i < len(doc) and text.find(breaks, offsets[i - 1], offsets[i]) >= 0]
    if after:
        starts = doc.to_array(SENT_START)
        starts[after] = 1
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
    return doc


def _hard_wrapped(text: str) -> bool:
    """A text whose lines are wrapped at a fixed width: most lines are long and end mid-sentence.

    There a single line break is a space, and only a blank line ends a paragraph.
    """
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    if len(lines) < 8:
        return False
    open_ended = [line for line in lines if len(line) >= 40 and line[-1] not in '.!?:;"”’)]']
    return len(open_ended) >= 0.5 * len(lines)


def _heads() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data/heads.yml").read_text("utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=yaml.CSafeLoader)  # SPEED: libyaml, the same data
    return data


HEADS = _heads()
# Organisation head noun -> the sub-kind it implies ("other": none in particular).
ORG_SUBTYPES: dict[str, str] = {h: kind for kind, hs in HEADS["organisation"].items() for h in hs}
ORG_HEADS: list[str] = list(ORG_SUBTYPES)
FACILITY_HEADS: set[str] = set(HEADS["facility"])
AGREEMENT_HEADS: list[str] = list(HEADS["agreement"])
EXERCISE_WORDS = {
    "exercise",
    "exercises",
    "drill",
    "drills",
    "training",
    "manoeuvre",
    "manoeuvres",
    "maneuver",
    "maneuvers",
    "games",
    "wargame",
    "wargames",
}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
          "oct", "nov", "dec"}  # fmt: skip
# ISO 4217 codes of the currencies news about states' dealings uses, to tell "JPY61" from "J-20".
CURRENCY_AMOUNT = re.compile(
    r"^(?:USD|EUR|GBP|JPY|CNY|RMB|RUB|INR|KRW|VND|IDR|BRL|ARS|MXN|TRY|SAR|AED|QAR|KWD|EGP|NGN|ZAR|AOA|KZT|"
    r"PKR|BDT|LKR|THB|MYR|PHP|SGD|HKD|TWD|AUD|NZD|CAD|CHF|SEK|NOK|DKK|PLN|HUF|CZK|RON|RSD|UAH|ILS|IRR|PEN|"
    r"CLP|COP|KES|ETB|MAD|DZD)\s?[\d.,]+"
)
CONNECT = ["of", "for", "and", "on", "the", "'s", "’s", "&"]
# Verbs of an exercise's start in a headline in capitals ("... HOLD PEACEFUL SHIELD 2023 DRILLS").
HEADLINE_VERBS = {"hold", "holds", "start", "starts", "begin", "begins", "launch", "launches", "conduct",
                  "conducts", "stage", "stages", "kick", "kicks", "join", "joins", "end", "ends"}  # fmt: skip
# What a class of ships names ("Kilo-class submarines", "FDI-class French frigates").
VESSELS = [w + s for w in ("frigate", "submarine", "corvette", "destroyer", "ship", "vessel", "cruiser",
           "carrier", "boat", "warship", "patrol") for s in ("", "s")]  # fmt: skip
NAMING_VERBS = ["named", "dubbed", "codenamed", "code-named", "called", "titled", "entitled"]


class LexiconRuler(EntityRuler):
    """spaCy's EntityRuler with overwrite_ents, setting the same entities in linear time (SPEED).

    Its `set_annotations` re-filters the whole list of the model's entities after every accepted match
    and reads each matched token's entity type even when it overwrites them; here the entities that
    overlap no accepted match are kept in one pass, in the same order, followed by the matches."""

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        if not self.overwrite:
            super().set_annotations(doc, matches)  # type: ignore[no-untyped-call]
            return
        new: list[Span] = []
        seen: set[int] = set()
        for match_id, start, end in matches:
            if start not in seen and end - 1 not in seen:
                if match_id in self._ent_ids:
                    label, ent_id = self._ent_ids[match_id]
                    new.append(Span(doc, start, end, label=label, span_id=ent_id))
                else:
                    new.append(Span(doc, start, end, label=match_id))
                seen.update(range(start, end))
        kept = [e for e in doc.ents if seen.isdisjoint(range(e.start, e.end))]
        doc.ents = kept + new


@Language.factory("lexicon_ruler", default_config={"overwrite_ents": False})
def make_lexicon_ruler(nlp: Language, name: str, overwrite_ents: bool) -> LexiconRuler:
    """The EntityRuler the lexicon's names go into (spaCy's defaults otherwise)."""
    return LexiconRuler(nlp, name, overwrite_ents=overwrite_ents)


def _about_exercise(span: Any) -> bool:
    """Does the span's sentence name an exercise ("drills", "manoeuvres")?"""
    return any(t.lower_ in EXERCISE_WORDS for t in span.sent)


def _title(extra: dict[str, object] | None = None) -> dict[str, object]:
    return {"IS_TITLE": True, **(extra or {})}


def _flagged(vocab: Vocab, pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pattern with each test of a word's text or lower-case form against a list or a regex
    (which the Matcher runs as a Python call for every token) made a flag of the word in the
    vocabulary, computed once per word (SPEED): the same matches. The pattern is validated as
    written (the Matcher's schema knows no flags)."""
    errors = validate_token_pattern(pattern)
    if errors:
        raise ValueError(f"bilateral_entities: invalid token pattern {pattern}: {errors}")
    out = []
    for spec in pattern:
        spec = dict(spec)
        for name in [n for n in spec if n in ("TEXT", "ORTH", "LOWER") and isinstance(spec[n], dict)]:
            (op, value), *rest = spec[name].items()
            if rest or op not in ("IN", "REGEX"):
                continue
            del spec[name]
            spec[f"FLAG{_flag(vocab, name == 'LOWER', op, value)}"] = True
        out.append(spec)
    return out


def _flag(vocab: Vocab, lower: bool, op: str, value: str | list[str]) -> int:
    """A vocabulary flag for a word whose text (or lower-case form) is IN `value` or matches the
    REGEX `value`; the same test asks for the same flag."""
    key = f"{lower}|{op}|{json.dumps(value)}"
    getters: dict[int, Any] = vocab.lex_attr_getters  # type: ignore[attr-defined]
    for known, made in getters.items():
        if getattr(made, "test", None) == key:  # added before, to this vocabulary
            return int(known)
    regex = re.compile(value) if isinstance(value, str) else None
    words = frozenset(value if isinstance(value, list) else ())
    lowered = getters.get(LOWER, str.lower) if lower else None

    def test(word: str) -> bool:
        return bool(regex.search(word)) if regex else word in words

    def getter(orth: str) -> bool:  # a new word's flag, from its text as the vocabulary lowers it
        return test(lowered(orth) if lowered else orth)

    setattr(getter, "test", key)  # noqa: B010 (a function's attribute, which mypy does not know)
    flag = next(i for i in range(FLAG19, FLAG63 + 1) if i not in getters)
    getters[flag] = getter  # as `Vocab.add_flag` does, without its own pass over the words (SPEED)
    for lexeme in vocab:  # the words already known, by their lower-case form as it is stored
        lexeme.set_flag(flag, test(lexeme.lower_ if lower else lexeme.orth_))
    return flag


@Language.factory("bilateral_entities")
class BilateralEntities:
    """Rules for the entities the small model misses or mislabels.

    - weapon designations (token regexes from the lexicon) and named families;
    - organisations, agreements and initiatives: title-case names with a head noun from
      general lists ("... Centre for ...", "... Corporation", "... Initiative");
    - exercise names: a capitalised name with a year ("X 2025", "X-2025") in a sentence about
      an exercise, or a name introduced by "named"/"dubbed".
    """

    def __init__(self, nlp: Language, name: str) -> None:
        from spacy.matcher import Matcher

        from .lexicon import load

        lex = load()
        # The patterns as written, by label; the Matcher runs them with their word tests as flags.
        self.patterns: dict[str, list[list[dict[str, Any]]]] = {}
        designation = "|".join(f"(?:{p.pattern})" for p in lex.designation)
        # Split by the tokenizer: a name, a hyphen and a letter-digit variant ("Tor-M2E", "Pantsir-S1").
        variant: list[dict[str, Any]] = [
            {"IS_TITLE": True, "SPACY": False},
            {"ORTH": "-", "SPACY": False},
            {"TEXT": {"REGEX": r"^[A-Z]{1,2}\d{1,3}[A-Z]{0,2}$"}},
        ]
        self.patterns["WEAPON"] = [[{"TEXT": {"REGEX": designation}, "IS_DIGIT": False}], variant]
        # A ship or submarine class by its name, before a vessel: "Kilo-class submarines", "FDI-class
        # French frigates" (a word between them in title case: the matcher runs on regions, `Regions`).
        vessel = {"LOWER": {"IN": VESSELS}}
        self.patterns["CLASS"] = [
            [n, {"ORTH": "-", "SPACY": False}, {"LOWER": "class"}, _title({"OP": "?"}), vessel]
            for n in (_title({"SPACY": False}), {"IS_UPPER": True, "IS_ALPHA": True, "SPACY": False})
        ]
        self.not_designation = lex.not_designation
        self.is_state = lex.state_for
        self.categories = {c.lower() for c in lex.categories}
        # Names: title-case words (and connectives inside them) ending in a head noun, optionally
        # continued by "of/for ..." and more title-case words.
        body: list[dict[str, Any]] = [
            _title({"OP": "+"}),
            {"LOWER": {"IN": CONNECT}, "OP": "?"},
            _title({"OP": "*"}),
        ]
        for label, heads in (("ORG", ORG_HEADS), ("AGREEMENT", AGREEMENT_HEADS)):
            head = {"TEXT": {"IN": heads}}
            tail: list[dict[str, Any]] = [
                {"LOWER": {"IN": ["of", "for", "on"]}},
                {"LOWER": "the", "OP": "?"},
                _title({"OP": "+"}),
            ]
            self.patterns[label] = [[*body, head], [*body, head, *tail], [head, *tail]]
        year = {"TEXT": {"REGEX": r"^(?:[A-Za-z]+-)?(?:19|20)\d\d$"}}
        # Exercise names are written in title case or in capitals ("Golden Dragon", "COBRA GOLD").
        caps = {"IS_UPPER": True, "IS_ALPHA": True, "LENGTH": {">=": 3}, "OP": "+"}
        names = (_title({"OP": "+"}), caps)
        self.patterns["EXERCISE"] = [[{**n, "IS_SENT_START": False}, year] for n in names]
        self.patterns["NAMED"] = [  # "dubbed Sea Breeze 2021", "named Medusa 13"
            [
                {"LOWER": {"IN": NAMING_VERBS}},
                {"IS_QUOTE": True, "OP": "?"},
                n,
                {"TEXT": {"REGEX": r"^-?\d{1,4}$"}, "OP": "?"},
            ]
            for n in names
        ]
        self.matcher = Matcher(nlp.vocab, validate=False)  # validated by _flagged
        flagged = {
            label: [_flagged(nlp.vocab, p) for p in patterns] for label, patterns in self.patterns.items()
        }
        for label, patterns in flagged.items():
            self.matcher.add(label, patterns, greedy="LONGEST")
        # Where they can match (SPEED). The matches come run by run, not in the Matcher's order over
        # the whole document, so ties between equal spans are settled below, not by that order.
        self.regions = Regions(p for patterns in flagged.values() for p in patterns)

    def __call__(self, doc: Doc) -> Doc:
        from spacy.util import filter_spans

        found: list[Span] = []
        weapons: list[Span] = []
        for match_id, start, end in self.regions.matches(self.matcher, doc):
            label = doc.vocab.strings[match_id]
            span = doc[start:end]
            if label == "WEAPON":
                if (
                    span.text not in self.not_designation
                    and any(c.isdigit() for c in span.text)
                    and not CURRENCY_AMOUNT.match(span.text)  # "JPY61", "VND829": money, not a weapon
                ):
                    weapons.append(Span(doc, start, end, label="WEAPON"))
                continue
            if label == "CLASS":  # the name and "-class", not the vessel's words
                weapons.append(Span(doc, start, start + 3, label="WEAPON"))
                continue
            if label == "NAMED":
                start += 2 if doc[start + 1].is_quote else 1
                label = "EXERCISE" if _about_exercise(span) else ""
            elif label == "EXERCISE" and (not _about_exercise(span) or doc[start].lower_ in MONTHS):
                continue  # "in August 2022" is a date, not a name
            elif label == "EXERCISE" and doc[start].is_upper and (start := _in_capitals(doc, start, end)) < 0:
                continue
            while end > start and doc[end - 1].lower_ in CONNECT:
                end -= 1
            while start < end and doc[start].lower_ in CONNECT:
                start += 1
            # "China's Ministry of Defence": the possessor state is a mention of its own.
            if end - start > 2 and doc[start + 1].lower_ in ("'s", "’s") and self.is_state(doc[start].text):
                start += 2
            if label and end > start:
                found.append(Span(doc, start, end, label=label))
        weapons = filter_spans(weapons)
        # Of two equal spans, an exercise name wins ("drills dubbed Peace Initiative": the exercise,
        # not an agreement); `filter_spans` keeps the first of equal spans, as sorted here.
        found.sort(key=lambda f: f.label_ != "EXERCISE")
        # A family name followed by a designation is one system ("Bayraktar TB2").
        kept = [e for e in doc.ents if not any(e.start < w.end and w.start < e.end for w in weapons)]
        merged = []
        for w in weapons:
            before = [e for e in kept if e.label_ == "WEAPON" and e.end == w.start]
            if before:
                kept.remove(before[0])
                w = Span(doc, before[0].start, w.end, label="WEAPON")
            merged.append(w)
        # An exercise name wins over the model's place or organisation ("the Golden Condor 2023" as LOC).
        names = [f for f in found if f.label_ == "EXERCISE"]
        kept = [e for e in kept if not any(e.start < n.end and n.start < e.end for n in names)]
        # New spans win ties with the model's; the longest span wins overlaps.
        ents = filter_spans(merged + found + kept)
        doc.ents = [self._named_system(e) for e in _hyphenated(ents)]
        return doc

    def _named_system(self, ent: Any) -> Any:
        """A name the model calls an organisation, person or place but that heads a weapon category
        ("Pinaka rockets", "Akash air defence missile system") is a weapon system."""
        if ent.label_ not in ("ORG", "PERSON", "GPE", "PRODUCT", "NORP") or ent.ent_id_ or len(ent) > 2:
            return ent
        if not ent[0].text[:1].isupper():
            return ent  # "navy frigates": a service, not a system's name
        doc = ent.doc
        for t in doc[ent.end : min(len(doc), ent.end + 5)]:
            if not (t.is_lower and (t.is_alpha or t.text == "-")) or t.pos_ not in ("NOUN", "ADJ", "PUNCT"):
                return ent
            if t.lower_ in self.categories:
                return Span(doc, ent.start, ent.end, label="WEAPON")
        return ent


def _in_capitals(doc: Doc, start: int, end: int) -> int:
    """Where a name in capitals before its year starts: at most three words, none a name the lexicon
    knows or a word for an exercise ("TROOPS BEGIN NATO EXERCISE STEADFAST DEFENDER 2024": STEADFAST
    DEFENDER 2024; "NATO 2024", "UAE 2024": none, -1)."""
    first = end - 1
    while first > start and end - first <= 3:
        t = doc[first - 1]
        if t.ent_id_ or t.lower_ in EXERCISE_WORDS or t.lower_ in HEADLINE_VERBS:
            break
        first -= 1
    return first if first < end - 1 else -1


def _hyphenated(ents: list[Span]) -> list[Span]:
    """A name whose first word the model or our rules left out, joined to it by a hyphen: the whole
    name. An organisation ("Export-Import Bank of Korea" as "Import Bank of Korea"; not a lexicon
    name, nor over another name), an exercise ("Kazakh-Kyrgyz Shield 2023", over the demonym too)."""
    out: list[Span] = []
    for e in ents:
        doc, start = e.doc, e.start
        if (
            e.label_ in ("ORG", "EXERCISE")
            and not e.ent_id_
            and start >= 2
            and doc[start - 1].text == "-"
            and not doc[start - 2].whitespace_
            and not doc[start - 1].whitespace_
            and doc[start - 2].is_alpha
            and doc[start - 2].is_title
        ):
            word = out[-1] if out and out[-1].end > start - 2 else None
            if word is None or (e.label_ == "EXERCISE" and (word.start, word.end) == (start - 2, start - 1)):
                if word is not None:
                    out.pop()
                e = Span(doc, start - 2, e.end, label=e.label_)
        out.append(e)
    return out
