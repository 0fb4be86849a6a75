"""Analyst views on the sample corpus, against facts checked by hand in the articles."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import bilateral
from bilateral import views
from bilateral.models import Event, Span


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bilateral", *args], capture_output=True, text=True)


def _json(db: Path, *args: str) -> list[dict[str, Any]]:
    run = _cli(*args, "--db", str(db), "--format", "json")
    assert run.returncode == 0, run.stderr
    rows: list[dict[str, Any]] = json.loads(run.stdout)
    return rows


def test_arms_register_has_the_deals_the_articles_report(sample_db: Path) -> None:
    rows = {r["designation"]: r for r in _json(sample_db, "register", "arms")}
    fk3 = rows["FK-3"]
    assert (fk3["supplier"], fk3["recipient"]) == ("China", "Serbia")
    assert (fk3["year_of_order"], fk3["years_of_delivery"]) == ("2019", "2022")
    assert len(fk3["sources"].split("; ")) == 3  # three articles report the FK-3
    assert rows["CH-92A"]["number_delivered"] == 6 and rows["CH-92A"]["years_of_delivery"] == "2020"
    assert rows["FT-8C"]["number_delivered"] == 18
    assert rows["Wing Loong"]["number_ordered"] == 9


def test_other_registers(sample_db: Path) -> None:
    investments = {r["transaction_party"]: r for r in _json(sample_db, "register", "investments")}
    steel = investments["Železara Smederevo"]
    assert (steel["amount"], steel["currency"], steel["year"]) == (46_000_000, "EUR", "2016")
    assert (steel["sector"], steel["subsector"], steel["host_country"]) == ("Metals", "Steel", "Serbia")
    # CGIT's quantity: US$ millions at the mean ECB rate of 2016 (1.1069 USD per EUR).
    assert (steel["quantity_usd_millions"], steel["usd_rate_of"]) == (50.9, "2016")
    assert investments["RTB Bor"]["share"] == "63%"
    loans = _json(sample_db, "register", "loans")
    loan = next(r for r in loans if r["amount"] == 170000000)
    assert (loan["currency"], loan["flow_type"], loan["commitment_year"], loan["status"]) == (
        "EUR",
        "Loan",
        "2014",
        "Commitment",
    )
    assert loan["amount_usd"] == 225_845_133.33 and loan["usd_rate_of"] == "2014"
    agreements = {r["kind"]: r for r in _json(sample_db, "register", "agreements")}
    assert agreements["free_trade"]["signed"] == "2023"
    assert agreements["free_trade"]["effective"].startswith("2024-07")
    assert agreements["diplomatic_relations"]["signed"] == "1955"


def test_timeline_is_in_date_order_with_undated_last(sample_db: Path) -> None:
    rows = _json(sample_db, "timeline")
    dates = [r["date"] for r in rows]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[: len(dated)] == dated
    assert {r["precision"] for r in rows if r["date"]} <= {"year", "month", "day"}
    fk3 = next(r for r in rows if "FK-3" in r["summary"])
    assert fk3["date"] == "2022" and fk3["sources"] == 3


def test_filters_by_type_actor_and_dates(sample_db: Path) -> None:
    by_code = _json(sample_db, "timeline", "--actor", "SRB", "--since", "2020", "--until", "2022-12")
    by_name = _json(sample_db, "timeline", "--actor", "Serbia", "--since", "2020", "--until", "2022-12")
    assert by_code == by_name and by_code
    assert all("2020" <= r["date"][:4] <= "2022" for r in by_code)
    arms = _json(sample_db, "timeline", "--type", "arms_transfer")
    assert arms and {r["type"] for r in arms} == {"arms_transfer"}


def test_actor_includes_people_acting_for_the_state(sample_db: Path) -> None:
    # the corpus has the two presidents' talks of 17 October 2023 with only their names: China-Serbia.
    meetings = _json(sample_db, "timeline", "--actor", "CHN", "--type", "meeting")
    assert any(r["date"] == "2023-10-17" for r in meetings)


def test_conflicts_list_the_documents_behind_each_value(conflict_db: Path) -> None:
    rows = _json(conflict_db, "conflicts")
    assert {(r["role"], str(r["value"]), r["documents"]) for r in rows} == {
        ("quantity", "6", "01_drones"),
        ("quantity", "9", "04_nine"),
    }
    for row in rows:
        assert row["documents"], row
    by_event: dict[str, set[str]] = {}
    for row in rows:
        by_event.setdefault(row["event"], set()).add(str(row["value"]))
    assert all(len(values) >= 2 for values in by_event.values())


def test_quotes_by_speaker_in_any_spelling(sample_db: Path) -> None:
    rows = _json(sample_db, "quotes", "--speaker", "Vucic")
    assert rows and {r["speaker"] for r in rows} == {"Aleksandar Vučić"}
    assert all(r["reported_in"] for r in rows)


def test_actors_and_a_pair_relationship(sample_db: Path) -> None:
    top = _json(sample_db, "actors")
    assert [r["actor"] for r in top[:2]] == ["China", "Serbia"] or [r["actor"] for r in top[:2]] == [
        "Serbia",
        "China",
    ]
    pair = _json(sample_db, "actors", "--actor", "China", "--actor", "Serbia")
    assert {"year": "2022", "type": "arms_transfer", "events": 1} in pair


def test_csv_and_table_formats_and_errors(sample_db: Path) -> None:
    run = _cli("register", "arms", "--db", str(sample_db), "--format", "csv")
    header = next(csv.reader(io.StringIO(run.stdout)))
    assert header == views.COLUMNS["arms"]
    table = _cli("register", "arms", "--db", str(sample_db))
    assert "FK-3" in table.stdout and "Wing Loong" in table.stdout
    bad = _cli("timeline", "--db", str(sample_db), "--since", "May 2020")
    assert bad.returncode == 2 and "not a date" in bad.stderr
    unknown = _cli("register", "ships", "--db", str(sample_db))
    assert unknown.returncode == 2 and all(kind in unknown.stderr for kind in views.REGISTERS)


def test_filters_on_composed_events() -> None:
    def ev(date: str | None, **args: Any) -> Event:
        return Event("meeting", args, [Span("d", 0, 1, "x")], date=date, id=f"e{date}")

    events = [ev("2021", participants=["HUN", "CHN"]), ev("2023-02-10", participants=["Viktor Orbán", "CHN"])]
    assert views.Filters(since="2021-06").apply(events) == events  # "2021" may fall after June
    assert views.Filters(until="2020").apply(events) == []
    assert views.Filters(actor="Hungary").apply(events) == events[:1]
    hungary = views.Filters(actor="HUN", countries={"Viktor Orbán": "HUN"})
    assert hungary.apply(events) == events


def test_views_read_the_same_knowledge_base_as_the_api(sample_db: Path) -> None:
    with bilateral.open(sample_db) as kb:
        events = kb.events()
    assert len(views.timeline(events)) == len(events) == len(_json(sample_db, "timeline"))


def test_an_empty_view_to_a_pipe_is_its_header(sample_db: Path) -> None:
    run = _cli("timeline", "--since", "2100", "--db", str(sample_db))
    assert run.returncode == 0 and run.stdout.split() == [c for c in views.COLUMNS["timeline"] if c != "id"]
    assert "no rows" in run.stderr
