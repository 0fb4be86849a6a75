"""Quantities and percentages: "six" -> 6, "a dozen" -> 12, "63%" -> 63."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a dozen": 12,
    "a couple of": 2,
    "a pair of": 2,
    "pair": 2,
    "couple": 2,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "bn": 1_000_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "k": 1_000,
    "tn": 1_000_000_000_000,
    "mrd": 1_000_000_000,  # Milliarde, milijarda, miliard: the continental billion
    "mio": 1_000_000,
}


def parse_number(text: str) -> float | None:
    """A number written in digits or English words, with an optional scale word."""
    t = text.lower().replace(",", "").replace("-", " ").strip()
    t = re.sub(
        r"^(?:about|around|approximately|nearly|almost|over|more than|some|up to|roughly|at least)\s+", "", t
    )
    if t in UNITS:
        return UNITS[t]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-z]+)?", t)
    if m:
        value = float(m.group(1))
        scale = m.group(2)
        if scale is None:
            return value
        return value * SCALES[scale] if scale in SCALES else None
    total, current = 0.0, 0.0
    for word in t.split():
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0
        elif word != "and":
            return None
    value = total + current
    return value or None


def parse_quantity(text: str) -> int | None:
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) and 0 < value < 1e7 else None


def parse_percent(text: str) -> float | None:
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:%|per ?cent)", text.lower())
    if m:
        value = float(m.group(1))
        return int(value) if value == int(value) else value
    return None
