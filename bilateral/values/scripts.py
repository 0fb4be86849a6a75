"""Cyrillic names in Latin letters, so that Вучић and Vučić fold to one key.

Each language writes Cyrillic in Latin its own way (Serbian ћ is ć, Russian х is kh); the
letters only one language uses tell which one a name is in, and cyrtranslit transliterates by
that language's standard. A name with none of them is read as Russian, the most widely written.
"""

from __future__ import annotations

import re

import cyrtranslit

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Letters that only one language's alphabet has (in the order checked), and cyrtranslit's code.
MARKERS = [
    ("ђћџ", "sr"),  # Serbian (and Montenegrin); ј, љ, њ are Macedonian too
    ("ѓќѕ", "mk"),
    ("јљњ", "sr"),
    ("єїґ", "ua"),
    ("ў", "by"),
    ("і", "ua"),
]


def latin(text: str) -> str:
    """`text` with its Cyrillic transliterated to Latin; other text unchanged."""
    if not CYRILLIC.search(text):
        return text
    lower = text.lower()
    language = next((code for letters, code in MARKERS if any(c in lower for c in letters)), "ru")
    # The soft and hard signs come out as apostrophes, which English renderings drop.
    return str(cyrtranslit.to_latin(text, language)).replace("'", "").replace("ʹ", "")
