"""Category families of arms transfers and the reference words of one ("the rocket launchers", "the
fighter deal"): what `anaphora` and `coref` match a reference's words against. The families, nouns and
words are language data (`lang/en/coref.json`), which `lexicon` reads for both.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Token

from ..models import Event
from ..nlp.lexicon import fold


@cache
def lexicon() -> dict[str, Any]:
    """`lang/en/coref.json`: reference nouns per type, determiners, category families."""
    data: dict[str, Any] = json.loads(
        resources.files("bilateral.events.lang").joinpath("en", "coref.json").read_text()
    )
    return data


def qualifying(noun: Token) -> set[str]:
    """The category families of the words qualifying a deal noun ("the fighter deal": aircraft)."""
    families = word_families()
    found = {
        families[c.lemma_.lower()]
        for c in noun.children
        if c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in families
    }
    return {w for f in found for w in lexicon()["wider"].get(f, [f])}


def deal_for(agreement: Event, systems: set[str], transfers: list[Event]) -> bool:
    """An agreement reported in a sentence with a transfer of systems of those families."""
    cited = {(c.start, c.end) for c in agreement.evidence}
    return any(
        family_of(e) in systems and any((c.start, c.end) in cited for c in e.evidence) for e in transfers
    )


@cache
def word_families() -> dict[str, str]:
    return {w: fam for fam, words in lexicon()["families"].items() for w in words}


def family_of(event: Event) -> str | None:
    """The category family of a transfer, from its category, system or the noun its designation
    heads where the text reports it ("T-129 ATAK helicopters": helicopter)."""
    families = word_families()
    return next((families[w] for w in reference_words(event) if w in families), None)


def reference_words(event: Event) -> list[str]:
    """A transfer's category and system words, singular, then those of the phrase its designation
    heads in its evidence ("Pinaka multi barrel rocket launchers"): what a reference's words match."""
    system = str(event.args.get("system") or "")
    texts = tuple(c.text for c in event.evidence) if system else ()
    return list(
        _phrase_words(f"{event.args.get('category', '')} {event.args.get('system', '')}", system, texts)
    )


@lru_cache(maxsize=4096)
def _phrase_words(named: str, system: str, texts: tuple[str, ...]) -> tuple[str, ...]:
    """`_words` of a transfer named so (its category and system), with evidence of these texts; kept
    for the next question (SPEED: asked of every transfer for every reference to one)."""
    words = fold(named).split()
    for text in texts:
        for match in re.finditer(rf"{re.escape(system)}((?:\s+[\w-]+){{1,5}})", text):
            for word in fold(match.group(1)).split():
                if word in lexicon()["phrase_end"]:
                    break
                words.append(word)
    return tuple(w.rstrip("s") for w in words)
