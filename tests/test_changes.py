"""What each run changed: new events, new evidence for known events, new conflicts, events gone."""

from __future__ import annotations

import shutil
from pathlib import Path

import bilateral

from .conftest import EXAMPLES


def test_each_run_records_what_it_changed(db: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(EXAMPLES / "01_drones.txt", corpus)
    with bilateral.open(db) as kb:
        kb.extract([corpus], tmp_path / "out")
        first = kb.changes()
        assert {c["kind"] for c in first} == {"new event"} and len(first) == len(kb.events())
        # A second article reports the same drones with another number.
        (corpus / "02_more.txt").write_text(
            "More drones\n\nSerbia received nine CH-92A combat drones from China last week, "
            "officials said.\n",
            encoding="utf-8",
        )
        kb.ingest([corpus])
        kb.analyse()
        second = {(c["kind"], c["detail"]) for c in kb.changes()}
        assert ("new evidence", "02_more") in second and ("new conflict", "quantity: 6, 9") in second
        assert all(c["run"] == 2 for c in kb.changes())
        assert len(kb.changes(since=0)) == len(first) + len(second)
        from starlette.testclient import TestClient

        from bilateral.web.app import create_app

        overview = TestClient(create_app(db)).get("/").text  # the overview's "new in the last run"
        assert "New in the last run" in overview and "quantity: 6, 9" in overview
        # A briefing on what the second run changed: the drones deal, not the first run's statement.
        brief = kb.report(format="md", changed_since=1)
        assert "CH-92A" in brief and "No attributed statements" in brief  # the drones may cite the quote
        assert "No attributed statements" not in kb.report(format="md")
        # An analyst's correction is not a change the next run brought.
        drones = next(e for e in kb.events("arms_transfer") if e.args["system"] == "CH-92A")
        kb.judge("set", drones.id, "quantity", "7")
        kb.consolidate()
        assert kb.changes() == []
        kb.remove(["02_more"])
        # The drones event is the same event with one source fewer: neither new nor gone.
        assert not any(c["kind"] in ("new event", "gone") for c in kb.changes())
        kb.remove(["01_drones"])
        assert {c["kind"] for c in kb.changes()} == {"gone"}
