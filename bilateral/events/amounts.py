"""Money and percentages read off a sentence's text, whatever the entity recogniser made of them.

The small model splits "$ 4.5-bn" into "$ 4.5" and misses "3.06 bn Bangladeshi taka" or "JPY50bn";
it tags "10 per cent" as money. The money parser (`values.money.find_money`) and a pattern for
percentages read them off the sentence text, with the character span each one covers, so a role
can cite it and the nearest trigger can claim it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..values.money import find_money


@dataclass(frozen=True)
class Amount:
    start: int  # offsets into the sentence text
    end: int
    value: dict[str, Any] | float


PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b|percent\b)")


def money(text: str) -> list[Amount]:
    """Every money expression in `text`: a currency (symbol, code or word) and a number."""
    return [Amount(start, end, dict(value)) for start, end, value in _found(text)]


@lru_cache(maxsize=1024)
def _found(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """`find_money(text)`, kept for the next question about the same sentence (SPEED: several rules
    and coreference read one sentence's amounts); `money` hands out copies of its values."""
    return find_money(text)


def percents(text: str) -> list[Amount]:
    """Every percentage in `text` ("10 per cent", "51%")."""
    return [Amount(m.start(), m.end(), float(m.group(1))) for m in PERCENT.finditer(text)]
