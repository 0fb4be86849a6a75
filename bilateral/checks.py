"""What the knowledge base refuses before it reads: a location that is not one, filters that
cannot match, a search that would keep the index busy. Each refusal is one sentence for the user."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from . import views
from .events.actors import actor_key, actors_of
from .models import Event
from .views import Filters

DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
URL_SCHEMES = ("postgresql://", "postgres://")
# A scheme and a colon at the start, as `Path("postgresql://u@h/db")` leaves "postgresql:/u@h/db";
# two letters at least, so that a Windows drive ("C:") is still a path.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")
MAX_QUERY_WORDS = 32
MAX_QUERY_CHARS = 500
MAX_NAME_CHARS = 200


class KnowledgeBaseError(ValueError):
    """A request the knowledge base refuses, with a message for the user (no traceback)."""


def location(db: str | Path) -> str | Path:
    """`db` as the store takes it; a URL that became a path (or a scheme we do not serve) is refused,
    because it would otherwise become a SQLite file in a folder named "postgresql:"."""
    text = str(db)
    if isinstance(db, str) and text.startswith(URL_SCHEMES):
        return db
    if SCHEME.match(text):
        hint = (
            "; pass the URL as a string, not a Path (a Path folds '//' into '/')"
            if text.startswith(("postgresql:", "postgres:"))
            else ""
        )
        raise KnowledgeBaseError(
            f"{text}: looks like a URL, not a file; a knowledge base is a file path or a "
            f"postgresql://user@host/dbname URL{hint}"
        )
    return Path(db)


def check_filters(filters: Filters) -> Filters:
    """The filters, or an error naming the value that cannot match anything."""
    for date in (filters.since, filters.until):
        if date and not DATE.fullmatch(date):
            raise KnowledgeBaseError(f"{date!r} is not a date like 2024, 2024-05 or 2024-05-07")
    if filters.actor and (len(filters.actor) > MAX_NAME_CHARS or "\x00" in filters.actor):
        raise KnowledgeBaseError(f"an actor is a name or code of at most {MAX_NAME_CHARS} characters")
    if filters.min_confidence is not None and not 0 <= filters.min_confidence <= 1:
        raise KnowledgeBaseError(f"a confidence is between 0 and 1, not {filters.min_confidence}")
    unknown = [t for t in filters.types if t not in views.EVENT_TYPES]
    if unknown:
        raise KnowledgeBaseError(
            f"unknown event type {unknown[0][:40]!r}; choose from {', '.join(views.EVENT_TYPES)}"
        )
    return filters


def check_query(query: str) -> str:
    """A search query, bounded: thousands of terms kept the full-text index busy for a minute."""
    if "\x00" in query:
        raise KnowledgeBaseError("a search cannot contain a NUL character")
    if len(query) > MAX_QUERY_CHARS or len(query.split()) > MAX_QUERY_WORDS:
        raise KnowledgeBaseError(
            f"a search takes at most {MAX_QUERY_WORDS} words and {MAX_QUERY_CHARS} characters"
        )
    return query


def check_actor(actor: str, events: Iterable[Event], countries: dict[str, str]) -> None:
    """For an actor that chose no event: an error if it names no actor of any event (a typo, or a
    name the corpus never gives), with the closest names; nothing if it is merely absent here."""
    key = actor_key(actor)
    shown = {a for e in events for a in actors_of(e)}
    known = {actor_key(a) for a in shown} | set(countries.values()) | {actor_key(n) for n in countries}
    if key in known:  # an actor of some event, a state, or a person or body the corpus names
        return
    from rapidfuzz import fuzz, process

    names = sorted({views.name(a) for a in shown})  # what a filter can match
    close = [n for n, _, _ in process.extract(actor, names, scorer=fuzz.WRatio, limit=3, score_cutoff=80)]
    hint = f"; did you mean {' or '.join(repr(n) for n in close)}?" if close else ""
    raise KnowledgeBaseError(f"no actor matches {actor[:MAX_NAME_CHARS]!r}{hint}")
