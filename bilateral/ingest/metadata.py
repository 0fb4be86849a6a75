"""Infer title, publication date and outlet from a text's head when no manifest gives them."""

from __future__ import annotations

import re
from datetime import datetime

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE = (
    rf"(?:(?:{_MONTHS})\.? \d{{1,2}},? \d{{4}}|\d{{1,2}} (?:{_MONTHS})\.? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
_BYLINE = re.compile(rf"^\s*By (?P<source>[^\n]{{2,80}}?)[,|–-]?\s+(?P<date>{_DATE})\s*$", re.M)
_DATELINE = re.compile(rf"^\s*(?:Published|Posted|Updated)?:?\s*(?P<date>{_DATE})\s*$", re.M | re.I)


def parse_date(text: str) -> str | None:
    """An ISO date from one date expression, or None."""
    from dateutil import parser as dateparser  # imported by the commands that ingest only

    try:
        return dateparser.parse(text, default=datetime(1900, 1, 1)).date().isoformat()
    except (ValueError, OverflowError):
        return None


def infer(text: str) -> dict[str, str]:
    """Metadata found in the first lines of a text: a byline or dateline and a title line."""
    head = text[:3000]
    found: dict[str, str] = {}
    byline = _BYLINE.search(head)
    if byline:
        found["source"] = byline["source"].strip()
        published = parse_date(byline["date"])
        if published:
            found["published"] = published
    else:
        dateline = _DATELINE.search(head)
        if dateline and (published := parse_date(dateline["date"])):
            found["published"] = published
    for line in head.splitlines():
        line = line.strip().lstrip("\ufeff").strip("#*").strip()
        if 4 <= len(line) <= 200 and not line.endswith((".", ":")) and " " in line:
            found["title"] = line
            break
    return found
