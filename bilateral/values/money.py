"""Money: "€5.13 billion" -> {"amount": 5130000000, "currency": "EUR"}."""

from __future__ import annotations

import re
from typing import Any

from .numbers import SCALES

SYMBOLS = {
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "¥": "CNY",
    "₽": "RUB",
    "₹": "INR",
    "US$": "USD",
    "USD": "USD",
    "EUR": "EUR",
    "GBP": "GBP",
    "CNY": "CNY",
    "RMB": "CNY",
    "RUB": "RUB",
    "JPY": "JPY",
    "CHF": "CHF",
    "RSD": "RSD",
    "HUF": "HUF",
    "TRY": "TRY",
    "INR": "INR",
}
WORDS = {
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "yen": "JPY",
    "dinar": "RSD",
    "dinars": "RSD",
    "forint": "HUF",
    "lira": "TRY",
    "rupee": "INR",
    "rupees": "INR",
    "francs": "CHF",
}
_NUM = r"(\d+(?:[.,]\d+)*)\s*(billion|million|thousand|trillion|bn|mn|m|k|tn)?\b"


def parse_money(text: str) -> dict[str, Any] | None:
    """Amount and ISO 4217 currency from a money expression; None if either is missing."""
    t = text.replace("\u00a0", " ").strip()
    m = re.search(r"(US\$|[€$£¥₽₹]|\b[A-Z]{3}\b)\s*" + _NUM, t)
    currency = None
    if m:
        currency = SYMBOLS.get(m.group(1))
        number, scale = m.group(2), m.group(3)
    else:
        m = re.search(_NUM + r"\s*(?:of\s+)?([A-Za-z]+)", t)
        if not m:
            return None
        number, scale = m.group(1), m.group(2)
        currency = WORDS.get(m.group(3).lower()) or SYMBOLS.get(m.group(3))
    if currency is None:
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
        number = number.replace(",", "")
    amount = float(number.replace(",", "."))
    if scale:
        amount *= SCALES[scale.lower()]
    return {"amount": round(amount) if amount >= 1 else amount, "currency": currency}


def format_money(value: dict[str, Any]) -> str:
    """How an amount reads in a table: "EUR 170 million", "USD 1.2 billion", "RSD 5,000"."""
    amount, currency = value.get("amount"), value.get("currency", "")
    if not isinstance(amount, int | float):
        return ""
    for word, scale in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if abs(amount) >= scale:
            return f"{currency} {amount / scale:,.4g} {word}".strip()
    return f"{currency} {amount:,.0f}".strip()
