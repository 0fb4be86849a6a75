"""Names of actors, systems and exercises: comparison keys and the similarity tests fusion uses.

Kept free of spaCy so that the views and fusion can compare names without loading a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from ..nlp.lexicon import fold, load

_SPELLING = [
    (r"\bcentre\b", "center"),
    (r"\bdefence\b", "defense"),
    (r"\borganisation\b", "organization"),
    (r"\bprogramme\b", "program"),
    (r"\bco operation\b", "cooperation"),
    (r"\bmanoeuvre", "maneuver"),
]


@lru_cache(maxsize=65536)
def key_for(type: str, text: str) -> str:
    """The comparison key of a name: folded, with British/American spelling variants unified."""
    if type == "weapon":
        return re.sub(r"[^A-Z0-9]", "", text.upper())
    key = fold(text)
    for pattern, repl in _SPELLING:
        key = re.sub(pattern, repl, key)
    return key


def same_name(a: Any, b: Any, threshold: float = 85) -> bool:
    """Two names of one thing: equal keys, or alike as token sets and as strings."""
    if a is None or b is None:
        return False
    ka, kb = key_for("agreement", str(a)), key_for("agreement", str(b))
    if ka == kb:
        return True
    return fuzz.token_set_ratio(ka, kb) >= threshold and fuzz.ratio(ka, kb) >= 70


@cache
def _titles() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(
        Path(__file__).with_name("titles.yml").read_text("utf-8"), Loader=yaml.CSafeLoader
    )
    return data


@cache
def _instrument_words() -> frozenset[str]:
    """The words of a title that do not say what an instrument is about (`titles.yml`)."""
    return frozenset(w for key, words in _titles().items() if key != "synonyms" for w in words)


def distinct_titles(a: Any, b: Any) -> bool:
    """Two instruments' titles that name different subjects ("an agreement on a high-speed railway",
    "a memorandum of understanding on a bridge"): each says what it is about, they share no word of
    it, and neither is the other's initials ("FTA", "a free trade agreement")."""
    if a is None or b is None:
        return False
    wa, wb = _subject_words(str(a)), _subject_words(str(b))
    return bool(wa and wb and not wa & wb) and not (
        _initials_of(str(a), str(b)) or _initials_of(str(b), str(a))
    )


def _subject_words(title: str) -> set[str]:
    """The words of a title that say what it is about, in the singular and with one word for each set
    of synonyms ("railways", "railway"; "defence", "military"); not the parties' names ("Serbian")."""
    lex, same, skip = load(), _synonyms(), _instrument_words()
    return {
        same.get(w, w)
        for word in key_for("agreement", title).split()
        if len(word) > 2 and not word.isdigit() and word not in skip and not lex.state_for(word)
        for w in [_singular(word)]
    }


def circumstances() -> frozenset[str]:
    """Nouns of where or when an instrument was signed ("on the sidelines of"), never its subject."""
    return frozenset(_titles()["circumstances"])


def _singular(word: str) -> str:
    """ "railways": railway, "technologies": technology (not "news", "gas", "bus")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 4 else word


@cache
def _synonyms() -> dict[str, str]:
    """Each word of a set of synonyms (`titles.yml`) -> the first of its set."""
    return {w: words[0] for words in _titles()["synonyms"] for w in words}


def _initials_of(short: str, long_: str) -> bool:
    """Is a capitalised word of `short` ("FTA", "MoU", "RAA") the initials of words of `long_`?"""
    initials = "".join(w[0] for w in key_for("agreement", long_).split())
    return any(
        len(w) > 1 and w.lower() in initials
        for w in re.findall(r"[A-Za-z]+", short)
        if sum(c.isupper() for c in w) >= 2
    )


def _designation(value: Any) -> str:
    """The key of a system's model designation, the word with letters and digits, with or without
    its maker or name around it ("Sukhoi Su-35", "T129 ATAK helicopters": SU35, T129); else the
    key of the whole name ("Rafale", "Wing Loong II")."""
    text = str(value if value is not None else "")
    core = next(
        (w for w in text.split() if re.search(r"[A-Za-z]", w) and re.search(r"\d", w) and not w.isdigit()),
        None,
    )
    return key_for("weapon", core or text)


def same_system(a: Any, b: Any) -> bool:
    """Two designations of one system: "FK-3" = "FK3"; "CH-92" = "CH-92A" (one letter of variant);
    "Sukhoi Su-35" = "Su-35" (one model designation)."""
    ka, kb = _designation(a), _designation(b)
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return (
        bool(short)
        and long_.startswith(short)
        and long_[len(short) :].isalpha()
        and len(long_) - len(short) <= 1
    )


def system_stem(value: Any) -> str:
    """A designation without its variant letter, so that `same_system` pairs share it."""
    return re.sub(r"(?<=\d)[A-Z]$", "", _designation(value))


def same_exercise_name(a: Any, b: Any) -> bool:
    """Exercise names reported in several forms ("X Defender 2025", "X-keeper 2025"): same year, alike."""
    ya, yb = re.findall(r"\d{4}", str(a)), re.findall(r"\d{4}", str(b))
    if ya and yb and ya != yb:
        return False
    wa, wb = (
        re.sub(r"[\d-]+", " ", key_for("exercise", str(a))).strip(),
        re.sub(r"[\d-]+", " ", key_for("exercise", str(b))).strip(),
    )
    return fuzz.ratio(wa, wb) >= 60 or same_name(a, b)


def members(value: Iterable[Any] | None) -> set[str]:
    """The people or bodies of a list role, by comparison key."""
    return {key_for("person", str(v)) for v in (value or [])}


def overlap(a: Iterable[Any] | None, b: Iterable[Any] | None) -> int:
    return len(members(a) & members(b))


def surname(value: Any) -> list[str]:
    """A person's last name as a one-key list ([""] for none): statements are blocked by speaker."""
    return key_for("person", str(value if value is not None else "")).split()[-1:] or [""]


def same_person(a: Any, b: Any) -> bool:
    ka, kb = key_for("person", str(a)), key_for("person", str(b))
    return ka == kb or ka.split()[-1:] == kb.split()[-1:]


def quote_overlap(a: Any, b: Any) -> bool:
    """Two renderings of one quotation: most words of the shorter are in the longer. Only words of
    four letters or more count: two different sentences share "the", "had" and "of" anyway."""
    ta, tb = ({w for w in fold(str(q or "")).split() if len(w) > 3} for q in (a, b))
    if min(len(ta), len(tb)) < 2:  # a word ("breakthrough") is not a rendering of a long quote
        return False
    return len(ta & tb) / min(len(ta), len(tb)) >= 0.6


def words(value: Any) -> list[str]:
    """The longer words of a name, for blocking names that fuzzy matching may pair."""
    key = key_for("agreement", str(value if value is not None else ""))
    return [w for w in key.split() if len(w) > 2] or ([key] if key else [])  # "BP", "EU": the name itself
