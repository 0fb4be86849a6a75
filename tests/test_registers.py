"""Registers in the field's conventions with provenance in every row, the workbook read back with
openpyxl, and FtM statements that carry where each value came from."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

import bilateral
from bilateral import views
from bilateral.export.xlsx import write_xlsx
from bilateral.models import Document, Event, Span
from bilateral.values.money import to_usd


@pytest.fixture(scope="module")
def kb_data(sample_db: Path) -> tuple[list[Event], list[bilateral.models.Entity], dict[str, Document]]:
    with bilateral.open(sample_db) as kb:
        docs = {d.id: d for d in kb.store.document_summaries()}
        return kb.events(), kb.entity_summaries(), docs


def test_every_register_row_carries_its_sources(kb_data: tuple) -> None:  # type: ignore[type-arg]
    events, _, docs = kb_data
    for kind in views.REGISTERS:
        rows = views.register(kind, events, docs)
        assert list(rows[0]) == views.COLUMNS[kind]
        for row in rows:
            ids = row["sources"].split("; ")
            assert row["source_titles"].split(" | ") == [docs[d].title for d in ids]
            assert row["source_dates"].split(" | ") == [docs[d].published for d in ids]
            for cited in row["evidence"].split(" | "):
                where, text = cited.split(" ", 1)
                doc, span = where.split(":")
                start, end = (int(n) for n in span.split("-"))
                assert (
                    doc in ids and text.strip("“”") == docs[doc].text[start:end] if docs[doc].text else True
                )
    assert views.COLUMNS["arms"][:9] == [
        "supplier",
        "recipient",
        "designation",
        "description",
        "number_ordered",
        "year_of_order",
        "years_of_delivery",
        "number_delivered",
        "comments",
    ]
    sources = views.sources(events, docs)
    assert [r["doc"] for r in sources] == sorted(docs) and all(r["title"] for r in sources)


def test_uncertain_numbers_are_bracketed_as_sipri_does() -> None:
    def deal(quantity: int, conflicts: list[dict[str, object]], modality: str = "reported") -> Event:
        args = {
            "supplier": "CHN",
            "recipient": "SRB",
            "system": "CH-92A",
            "quantity": quantity,
            "delivered": "2020",
        }
        span = Span("d", 0, 5, "drone")
        return Event("arms_transfer", args, [span], modality=modality, date="2020", conflicts=conflicts)

    rows = views.register("arms", [deal(6, [])])
    assert rows[0]["number_delivered"] == 6
    disputed = [{"role": "quantity", "values": [6, 9], "sources": {"6": ["a"], "9": ["b"]}}]
    rows = views.register("arms", [deal(6, disputed)])
    assert (
        rows[0]["number_delivered"] == "(6)"
        and "quantity disputed: 6 (1 src), 9 (1 src)" in rows[0]["comments"]
    )
    assert views.register("arms", [deal(6, [], "planned")])[0]["number_delivered"] == "(6)"


def test_usd_at_the_rate_of_the_event_date() -> None:
    euros = {"amount": 1_000_000, "currency": "EUR"}
    assert to_usd(euros, "2020-03-09") == (1_145_600.0, "2020-03-09")  # that day's ECB rate
    assert to_usd(euros, "2020-03-08") == (1_133_600.0, "2020-03-06")  # a Sunday: Friday's rate
    amount, of = to_usd(euros, "2020") or (0, "")
    assert of == "2020" and 1_100_000 < amount < 1_160_000  # the year's mean rate
    assert to_usd(euros, None) is None  # no date: no rate is guessed
    assert to_usd({"amount": 5, "currency": "RSD"}, "2020") is None  # the ECB does not quote it
    assert to_usd({"amount": 5, "currency": "USD"}, "2020") == (5.0, "2020")


def test_the_workbook_reads_back(kb_data: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    events, entities, docs = kb_data
    path = tmp_path / "kb.xlsx"
    counts = write_xlsx(path, events, entities, docs)
    book = load_workbook(path)
    assert book.sheetnames == [
        *(views.REGISTER_TITLES[k] for k in views.REGISTERS),
        "Quotes",
        "Timeline",
        "Conflicts",
        "Entities",
        "Sources",
    ]
    loans = book["Loans"]
    assert loans.freeze_panes == "A2" and [c.value for c in loans[1]] == views.COLUMNS["loans"]
    header = [c.value for c in loans[1]]
    rows = [{h: c for h, c in zip(header, r, strict=True)} for r in loans.iter_rows(min_row=2)]
    row = next(r for r in rows if r["amount"].value is not None and r["commitment_year"].value)
    assert isinstance(row["amount"].value, int) and row["currency"].value == "EUR"
    assert isinstance(row["amount_usd"].value, float) and isinstance(row["commitment_year"].value, int)
    assert row["sources"].hyperlink.location.startswith("Sources!A")  # type: ignore[union-attr]
    timeline = book["Timeline"]
    dated = [r[0] for r in timeline.iter_rows(min_row=2) if r[0].value]
    assert all(isinstance(c.value, datetime) for c in dated)
    assert {c.number_format for c in dated} <= {"yyyy", "yyyy-mm", "yyyy-mm-dd"}
    assert book["Sources"].max_row == counts["sources"] + 1 == len(docs) + 1
    assert loans.column_dimensions["A"].width > 5


def test_ftm_statements_carry_their_origin(sample_db: Path, tmp_path: Path) -> None:
    from followthemoney import model
    from followthemoney.statement import Statement

    from bilateral.export.ftm import ftm_statements, write_statements

    with bilateral.open(sample_db) as kb:
        path = tmp_path / "kb.statements.json"
        n = write_statements(
            path, ftm_statements(kb.store.iter_documents(), kb.entity_summaries(), kb.events())
        )
        texts = {d.id: d.text for d in kb.documents()}
    statements = [Statement.from_dict(json.loads(line)) for line in path.open(encoding="utf-8")]
    assert len(statements) == n and len({s.id for s in statements}) == n
    sourced = [s for s in statements if s.origin]
    assert sourced
    for s in sourced:
        doc, span = s.origin.split(":")  # type: ignore[union-attr]
        start, end = (int(x) for x in span.split("-"))
        assert texts[doc][start:end] == s.original_value
        assert model.get(s.schema) is not None and s.prop in model.get(s.schema).properties  # type: ignore[union-attr]
    trips = {s.entity_id for s in statements if s.schema == "Trip"}
    states = {s.value for s in statements if s.prop == "wikidataId"}
    assert trips and {"Q148", "Q403"} <= states  # China, Serbia
    projects = {s.entity_id for s in statements if s.schema == "Project"}
    roles = {s.value for s in statements if s.schema == "ProjectParticipant" and s.prop == "role"}
    assert projects and roles == {"lender", "borrower"}  # what loans finance, and who takes part


def test_the_workbook_holds_article_text_as_text(tmp_path: Path) -> None:
    """Article text never becomes a formula, and control characters do not break the export."""
    said = Event(
        "statement",
        {"speaker": "A B", "quote": '=HYPERLINK("http://evil.example","x")'},
        [Span("d", 0, 20, "page one\x0cpage two")],
        id="evt_x",
    )
    docs = {"d": Document(id="d", text="", title="-2+3")}
    write_xlsx(tmp_path / "kb.xlsx", [said], [], docs)
    quotes = load_workbook(tmp_path / "kb.xlsx")["Quotes"]
    header = [c.value for c in quotes[1]]
    row = dict(zip(header, quotes[2], strict=True))
    assert row["quote"].data_type == "s" and row["quote"].value.startswith("=HYPERLINK")
    assert "\x0c" not in row["evidence"].value and row["source_titles"].data_type == "s"
