"""The knowledge base as one Excel workbook an analyst can pass on (openpyxl).

A sheet per register, then the quotes, the timeline, the conflicts, the entities and the sources
(each document once). Header rows are frozen and filtered, columns sized to their contents,
dates are dates (shown to the precision the text gives), years and amounts are numbers with the
currency beside them, and each row links to its first source's URL and to the Sources sheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .. import views
from ..models import Document, Entity, Event
from ..views.registers import CITED, cited
from . import atomic

DATE_COLUMNS = {"date", "signed", "effective", "published", "first", "last", "year_of_order"}
YEAR_COLUMNS = {"year", "year_of_order", "years_of_delivery", "commitment_year"}
FORMATS = {4: "yyyy", 7: "yyyy-mm", 10: "yyyy-mm-dd"}
MAX_WIDTH = 60
FORMULA = ("=", "+", "-", "@")  # what a spreadsheet would run as a formula if the cell were one


def _cell(column: str, value: Any) -> tuple[Any, str | None]:
    """A value as Excel should hold it, with its number format."""
    if isinstance(value, str):
        if column in YEAR_COLUMNS and re.fullmatch(r"\d{4}", value):
            return int(value), "0"
        if column in DATE_COLUMNS and re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
            parts = [int(p) for p in value.split("-")] + [1, 1]
            return date(parts[0], parts[1], parts[2]), FORMATS[len(value)]
    if isinstance(value, float) and column.startswith(("amount", "quantity")):
        return value, "#,##0.0"
    if isinstance(value, int) and column.startswith("amount"):
        return value, "#,##0"
    return value, None


def write_xlsx(
    path: Path, events: list[Event], entities: Iterable[Entity], docs: Mapping[str, Document]
) -> dict[str, int]:
    """Write the workbook; returns the rows written per sheet."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheets: dict[str, tuple[list[str], list[dict[str, Any]]]] = {
        kind: (views.COLUMNS[kind], views.register(kind, events, docs)) for kind in views.REGISTERS
    }
    sheets["quotes"] = (views.COLUMNS["quotes"], views.quotes(events, docs))
    timeline = cited(views.timeline(events), events, docs)
    sheets["timeline"] = ([*views.COLUMNS["timeline"], *CITED], timeline)
    conflicts = cited(views.conflicts(events), events, docs, key="event")
    sheets["conflicts"] = ([*views.COLUMNS["conflicts"], *CITED], conflicts)
    ordered = sorted(entities, key=lambda e: (e.type, e.name, e.id))
    sheets["entities"] = (views.COLUMNS["entities"], [views.entity_row(e) for e in ordered])
    sources = views.sources(events, docs)
    sheets["sources"] = (views.COLUMNS["sources"], sources)
    source_row = {r["doc"]: n for n, r in enumerate(sources, start=2)}

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    link = Font(color="0563C1", underline="single")
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(views.REGISTER_TITLES.get(name, name.capitalize())[:31])
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = bold
        widths = [len(c) for c in columns]
        for n, row in enumerate(rows, start=2):
            for i, column in enumerate(columns, start=1):
                value, fmt = _cell(column, row.get(column, ""))
                if isinstance(value, str):  # article text: no control characters, never a formula
                    value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
                cell = sheet.cell(row=n, column=i, value=value)
                if isinstance(value, str) and value.startswith(FORMULA):
                    cell.data_type = "s"
                if fmt:
                    cell.number_format = fmt
                widths[i - 1] = max(widths[i - 1], min(len(str(row.get(column, ""))), MAX_WIDTH))
                first_doc = str(row.get("sources", "")).split("; ")[0]
                if column == "sources" and first_doc in source_row:
                    cell.hyperlink = Hyperlink(
                        ref=cell.coordinate, location=f"Sources!A{source_row[first_doc]}"
                    )
                    cell.font = link
                elif column in ("source_urls", "url") and str(value).startswith(("http://", "https://")):
                    cell.hyperlink = str(value).split(" | ")[0]
                    cell.font = link
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width + 2
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
    with atomic(path, "wb") as fh:
        book.save(fh)
    return {name: len(rows) for name, (_, rows) in sheets.items()}
