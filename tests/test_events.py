"""Event extraction per type on sentences we compose, and the scorer on the sample corpus."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import bilateral

from .conftest import GOLD, SCORER


def _events(tmp_path: Path, text: str, published: str = "2025-07-15") -> list[dict[str, Any]]:
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(f"doc,published\ndoc,{published}\n", encoding="utf-8")
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.ingest([tmp_path])
        kb.analyse()
        return [e.export() for e in kb.events()]


def _of(events: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == type_]


def test_arms_transfer_roles(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "In 2021, Hungary purchased twelve Leopard tanks from Germany, which Germany "
        "delivered in March 2023.\n",
    )
    (arms,) = _of(events, "arms_transfer")
    assert arms["args"] == {
        "recipient": "HUN",
        "system": "Leopard",
        "supplier": "DEU",
        "category": "tanks",
        "quantity": 12,
        "ordered": "2021",
        "delivered": "2023-03",
    }


def test_passive_delivery_by_supplier(tmp_path: Path) -> None:
    events = _events(tmp_path, "Egypt received the S-400 system, which was delivered by Russia in 2024.\n")
    (arms,) = _of(events, "arms_transfer")
    assert arms["args"]["supplier"] == "RUS" and arms["args"]["recipient"] == "EGY"


def test_statement_with_pronoun_and_date(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "Prime Minister Viktor Orbán met reporters in Budapest.\n"
        "“We will not give up our friendship with China,” he said on Monday.\n",
    )
    (st,) = _of(events, "statement")
    assert st["args"]["speaker"] == "Viktor Orbán"
    assert st["args"]["quote"] == "We will not give up our friendship with China"


def test_exercise_and_agreement(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "Chinese and Pakistani naval forces held a joint exercise, named Sea Guardian 2024, "
        "near Karachi in November 2024.\n"
        "Pakistan and China signed a free trade agreement in Islamabad on 3 May 2019.\n",
    )
    (ex,) = _of(events, "exercise")
    assert set(ex["args"]["participants"]) == {"CHN", "PAK"} and ex["args"]["name"] == "Sea Guardian 2024"
    (agr,) = _of(events, "agreement")
    assert agr["args"]["kind"] == "free_trade" and agr["args"]["signed"] == "2019-05-03"


def test_negatives_produce_no_events(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "The weather in Belgrade was warm.\n"
        "Analysts compared the system to the Patriot.\n"
        "Exercise is good for health, doctors in Germany say.\n",
    )
    assert _of(events, "arms_transfer") == [] and _of(events, "exercise") == []


def test_fusion_of_reports_and_conflicts(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "In 2020, Serbia acquired six CH-92A drones from China.\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text(
        "China delivered nine CH-92A drones to Serbia in 2020.\n", encoding="utf-8"
    )
    (tmp_path / "c.txt").write_text("Serbia bought six CH-92A drones from China.\n", encoding="utf-8")
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.ingest([tmp_path])
        kb.analyse()
        (event,) = kb.events("arms_transfer")
    assert event.docs == ["a", "b", "c"] and event.args["system"] == "CH-92A"


def test_sample_corpus_scores_and_grounding(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.extract([corpus], out)
    docs = {json.loads(line)["doc"]: json.loads(line)["text"] for line in (out / "documents.jsonl").open()}
    for line in (out / "events.jsonl").open():
        for ev in json.loads(line)["evidence"]:
            assert docs[ev["doc"]][ev["start"] : ev["end"]] == ev["text"]
    result = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            str(GOLD),
            str(out / "events.jsonl"),
            "--documents",
            str(out / "documents.jsonl"),
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    overall = json.loads(result.stdout)["overall"]
    assert overall["grounding"] == 1.0
    # The targets of the events capability.
    assert overall["f1"] >= 0.88 and overall["role_f1"] >= 0.80 and overall["evidence_recall"] >= 0.90


def test_weapon_named_only_as_a_version_is_not_transferred(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "Hungary and Russia signed a deal in 2020. In 2021 Russia delivered the Tor-M2E air defence "
        "system to Hungary (the export version of Russia's 9K331).\n",
    )
    systems = {e["args"]["system"] for e in _of(events, "arms_transfer")}
    assert systems == {"Tor-M2E"}


def test_reference_back_is_evidence_not_a_new_meeting(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "On March 3, 2024, Viktor Orbán and Olaf Scholz met in Berlin.\n"
        "During this meeting, Hungary and Germany discussed energy prices at length.\n",
    )
    (meeting,) = _of(events, "meeting")
    assert meeting["args"]["date"] == "2024-03-03"
    cited = {ev["text"][:25] for ev in meeting["evidence"]}
    assert cited == {"On March 3, 2024, Viktor ", "During this meeting, Hung"}


def test_meeting_without_date_or_two_people_is_a_passing_reference(tmp_path: Path) -> None:
    events = _events(tmp_path, "A visit to Germany by Viktor Orbán was often discussed by commentators.\n")
    assert _of(events, "meeting") == []


def test_general_remark_about_partnerships_is_not_an_agreement(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "Hungary and China are close. Forming strong partnerships with universities gives "
        "influence to those who fund them.\n",
    )
    assert _of(events, "agreement") == []


def test_definite_reference_goes_to_the_event_of_its_kind(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "In 2021, Hungary and China signed a free trade agreement.\n"
        "In 2022, Hungary and China signed a military cooperation agreement.\n"
        "The FTA cut tariffs on machinery by half.\n",
    )
    by_kind = {e["args"]["kind"]: e for e in _of(events, "agreement")}
    fta = [ev["text"] for ev in by_kind["free_trade"]["evidence"]]
    assert "The FTA cut tariffs on machinery by half." in fta
    assert len(by_kind["military_cooperation"]["evidence"]) == 1


def test_two_people_signing_together_met(tmp_path: Path) -> None:
    events = _events(
        tmp_path,
        "In March 2023, Colonel Péter Kovács, head of the planning office, and Senior Colonel "
        "Li Wei signed the Plan of Military Cooperation between Hungary and China.\n",
    )
    (meeting,) = _of(events, "meeting")
    assert set(meeting["args"]["participants"]) == {"Péter Kovács", "Li Wei"}
    assert meeting["args"]["date"] == "2023-03"


def test_a_raising_rule_is_reported_and_the_other_events_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bilateral.events import extract

    def broken(*_: object) -> list[object]:
        raise ValueError("a rule with a bug")

    broken.__module__ = "bilateral.events.broken"
    monkeypatch.setattr(extract, "SENTENCE_EXTRACTORS", (broken, *extract.SENTENCE_EXTRACTORS))
    with caplog.at_level(logging.ERROR):
        events = _events(
            tmp_path,
            "In 2021, Hungary purchased twelve Leopard tanks from Germany.\n"
            "Hungary and Germany signed a free trade agreement in May 2022.\n",
        )
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert lines == [
        "doc: event rules 'broken' failed 2 times, first at character 0 (ValueError: a rule with a bug);"
        " its other events are kept"
    ]
    assert {e["type"] for e in events} >= {"arms_transfer", "agreement"}
