"""Dates: absolute and relative expressions resolved to ISO 8601 prefixes against a reference date.

The precision of the text is kept: "2019" -> "2019", "April 2022" -> "2022-04",
"July 1, 2024" -> "2024-07-01"; "last May" and "this past May" are the latest May before
the publication date; "two years ago" is the year two before it; "on Monday" is the latest Monday
on or before it (the day itself in an article of a Monday). Durations and vague periods
("recent years") give None.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


def _ref(published: str | None) -> tuple[int | None, int | None, int | None]:
    parts = [int(p) for p in re.findall(r"\d+", published or "")[:3]]
    parts += [None] * (3 - len(parts))  # type: ignore[list-item]
    return parts[0], parts[1], parts[2]


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str:
    """The ISO prefix, as precise as the parts are real: "February 30, 2024" is only 2024-02."""
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _month_year(month: int, year: int | None, ref_month: int | None, past: bool) -> int | None:
    """The year of a month named without one: this year, or last year for "last May"."""
    if year is None:
        return None
    if past and (ref_month is None or month >= ref_month):
        return year - 1
    return year


_COUNTS = {
    w: i
    for i, w in enumerate(
        ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], 2
    )
}


def _ago(n: int, unit: str, ry: int | None, rm: int | None, rd: int | None) -> str | None:
    """The year, month or day `n` units before the publication date, if it is known that precisely."""
    if ry is None:
        return None
    if unit == "year":
        return _fmt(ry - n)
    if rm is None:
        return None
    if unit == "month":
        months = ry * 12 + rm - 1 - n
        return _fmt(months // 12, months % 12 + 1)
    return (date(ry, rm, rd) - timedelta(days=n)).isoformat() if rd is not None else None


def resolve_date(text: str, published: str | None = None) -> str | None:
    """An ISO 8601 prefix for a date expression, or None when it names no point in time."""
    t = text.lower().replace("\u00a0", " ").strip()
    t = re.sub(r"^(?:in|on|since|by|from|during|until|of|at)\s+", "", t)
    ry, rm, rd = _ref(published)
    ago = re.search(r"\b(an?|one|\d+|" + "|".join(_COUNTS) + r")\s+(year|month|day)s?\s+ago\b", t)
    if ago:  # "about two years ago", "a year ago": as precise as the unit, from the publication date
        return _ago(_COUNTS.get(ago[1], 1) if not ago[1].isdigit() else int(ago[1]), ago[2], ry, rm, rd)
    if re.search(r"\b(years?|months?|weeks?|days?|decades?|centur(?:y|ies))\b", t) and not re.search(
        r"\b(last|this|next|past|previous|later)\s+(year|month|week)\b", t
    ):
        return None
    # Full dates: "May 7, 2024", "7 May 2024", "2024-05-07".
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return _fmt(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})-(\d{2})", t)  # an ISO year and month: "2024-07"
    if m and 1 <= int(m[2]) <= 12:
        return _fmt(int(m[1]), int(m[2]))
    m = re.search(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", t) or re.search(
        r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(\d{4})", t
    )
    if m:
        a, b, y = m.groups()
        month, day = (
            (MONTHS[a[:4].rstrip(".")] if a[:4].rstrip(".") in MONTHS else MONTHS[a[:3]], int(b))
            if not a.isdigit()
            else (MONTHS[b[:3]], int(a))
        )
        return _fmt(int(y), month, day)
    # Month and year: "April 2022", "mid-September 2018".
    m = re.search(_MONTH + r",?\s+(\d{4})", t)
    if m:
        return _fmt(int(m[2]), MONTHS[m[1][:3]])
    # Day and month without a year: "24 November", "July 14".
    m = re.search(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b", t) or re.search(
        r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH, t
    )
    if m and ry:
        a, b = m.groups()
        month, day = (MONTHS[a[:3]], int(b)) if not a.isdigit() else (MONTHS[b[:3]], int(a))
        if 1 <= day <= 31:
            return _fmt(ry, month, day)
    # A month alone: "last May", "this past May", "in July", "the second half of July".
    m = re.search(_MONTH + r"\b", t)
    if m and not re.search(r"\d{4}", t):
        month = MONTHS[m[1][:3]]
        past = bool(re.search(r"\b(last|past|previous)\b", t))
        year = _month_year(month, ry, rm, past)
        return _fmt(year, month) if year else None
    # Years: "2019", "in 2019", "the 2024 tensions", "2025–2027" (the first).
    m = re.search(r"\b(1[89]\d\d|20\d\d)\b(?!s)", t)
    if m and not re.search(r"\b\d{4}s\b", t):
        return _fmt(int(m[1]))
    if ry is None:
        return None
    # Relative to the publication date.
    if re.search(r"\b(last|previous|past) year\b", t):
        return _fmt(ry - 1)
    if re.search(r"\b(this|current) year\b", t):
        return _fmt(ry)
    if re.search(r"\bnext year\b", t):
        return _fmt(ry + 1)
    if rm is not None:
        if re.search(r"\b(last|previous|past) month\b", t):
            return _fmt(ry - 1, 12) if rm == 1 else _fmt(ry, rm - 1)
        if re.search(r"\b(this|later this|earlier this|current) month\b", t):
            return _fmt(ry, rm)
        if re.search(r"\bnext month\b", t):
            return _fmt(ry + 1, 1) if rm == 12 else _fmt(ry, rm + 1)
    if rm is not None and rd is not None:
        ref = date(ry, rm, rd)
        if t in ("today", "this morning", "this evening", "tonight"):
            return ref.isoformat()
        if t == "yesterday":
            return (ref - timedelta(days=1)).isoformat()
        if t == "tomorrow":
            return (ref + timedelta(days=1)).isoformat()
        m = re.search(r"\b(last |next )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", t)
        if m:
            if m[1] == "next ":
                return (ref + timedelta(days=(WEEKDAYS[m[2]] - ref.weekday()) % 7 or 7)).isoformat()
            # "on Sunday" in an article of a Sunday is that day (the gold's convention); "last
            # Sunday" in it is the Sunday before.
            delta = (ref.weekday() - WEEKDAYS[m[2]]) % 7
            return (ref - timedelta(days=delta or (7 if m[1] else 0))).isoformat()
    return None


def agree(a: object, b: object) -> bool:
    """Two ISO prefixes that can name one time ("2022" and "2022-04"); a missing date agrees."""
    if a is None or b is None:
        return True
    return str(a).startswith(str(b)) or str(b).startswith(str(a))


def precise(value: object) -> bool:
    """Known to the month at least."""
    return len(str(value or "")) >= 7
