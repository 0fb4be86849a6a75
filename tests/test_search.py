"""Full-text search matches word forms on both backends, keeps short words, and cites exact offsets."""

from __future__ import annotations

from pathlib import Path

import bilateral


def test_search_finds_word_forms(db: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Deliveries\n\nThe army received a drone from the US in 2020.\n\nThe talks were delayed.\n",
        encoding="utf-8",
    )
    with bilateral.open(db) as kb:
        kb.ingest([tmp_path])
        text = kb.documents()[0].text
        for query, sentence in (
            ("drones", "The army received a drone from the US in 2020."),
            ("delivery", "Deliveries"),
            ("US", "The army received a drone from the US in 2020."),
            ("delay", "The talks were delayed."),
        ):
            hits = kb.search(query)
            assert [text[h.start : h.end] for h in hits] == [sentence], query
