"""Money and percentages read off a sentence's text, whatever the entity recogniser made of them.

The small model splits "$ 4.5-bn" into "$ 4.5" and misses "3.06 bn Bangladeshi taka" or "JPY50bn";
it tags "10 per cent" as money. A regular expression over the sentence text finds them all, with the
character span each one covers, so a role can cite it and the nearest trigger can claim it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..values.money import SYMBOLS, WORDS

SCALE = {
    "trillion": 1e12,
    "tn": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
}
# Currency words not in the shared value parser, by ISO 4217 code (general, not from any article).
MORE_WORDS = {
    "taka": "BDT",
    "won": "KRW",
    "real": "BRL",
    "reais": "BRL",
    "rupiah": "IDR",
    "dong": "VND",
    "riyal": "SAR",
    "riyals": "SAR",
    "dirham": "AED",
    "dirhams": "AED",
    "kwanza": "AOA",
    "tenge": "KZT",
    "naira": "NGN",
    "pesos": "ARS",
    "peso": "ARS",
}


@dataclass(frozen=True)
class Amount:
    start: int  # offsets into the sentence text
    end: int
    value: dict[str, Any] | float


@cache
def _money_re() -> re.Pattern[str]:
    codes = sorted(SYMBOLS, key=len, reverse=True)
    prefix = "|".join(re.escape(c) for c in codes) + r"|[A-Z]{3}(?=\s?\d)"
    words = sorted({*WORDS, *MORE_WORDS}, key=len, reverse=True)
    return re.compile(
        rf"(?P<cur>{prefix})?\s?(?P<num>\d+(?:[.,]\d+)*)(?:\s?-?\s?(?P<scale>{'|'.join(SCALE)})\b)?"
        rf"(?:\s(?:(?:[A-Z][a-z]+)\s)?(?P<word>{'|'.join(words)})\b)?"
    )


PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b|percent\b)")


def money(text: str) -> list[Amount]:
    """Every money expression in `text`: a currency (symbol, code or word) and a number."""
    out = []
    for m in _money_re().finditer(text):
        cur, word, scale = m.group("cur"), m.group("word"), m.group("scale")
        code = SYMBOLS.get(cur or "") or (cur if cur and cur.isupper() and len(cur) == 3 else None)
        if word:
            code = code or WORDS.get(word.lower()) or MORE_WORDS.get(word.lower())
        if code is None or (cur is None and scale is None and word is None):
            continue
        if re.fullmatch(r"\d{4}", m.group("num")) and not scale and not cur:
            continue  # "2023 dollars": a year
        try:
            number = float(m.group("num").replace(",", ""))
        except ValueError:
            continue
        amount = number * SCALE.get((scale or "").lower(), 1.0)
        start = m.start("cur") if cur else m.start("num")
        out.append(Amount(start, m.end(), {"amount": round(amount), "currency": code}))
    return out


def percents(text: str) -> list[Amount]:
    """Every percentage in `text` ("10 per cent", "51%")."""
    return [Amount(m.start(), m.end(), float(m.group(1))) for m in PERCENT.finditer(text)]
