"""The Excel report: one formatted sheet per table, for the meeting and the archive.

openpyxl in write-only mode (rows streamed, so a large document does not hold every
cell object in memory). Every sheet has a bold header row that stays in view, an auto
filter, column widths fitted to the content and Swedish-style number formats
(Excel shows "1 234" and "52 %" with a Swedish locale).

User text is always a text cell: a goal that begins with "=", "+", "-", "@", a tab or a
carriage return never becomes a formula (formula injection), and "#N/A" never becomes
an error value. Such cells also get Excel's quote prefix, so editing them in Excel
keeps them text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from goalload.export_text import rt
from goalload.report import (
    INT,
    LONG_TEXT,
    PERCENT,
    Analyses,
    ReportTable,
    overview_rows,
    report_tables,
)
from goalload.template import safe_text

# Text that spreadsheet programs read as the start of a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
NUMBER_FORMATS = {INT: "#,##0", PERCENT: "0 %"}
WIDTH_SAMPLE_ROWS = 500  # rows looked at to fit a column's width
MAX_WIDTH = {LONG_TEXT: 70}
DEFAULT_MAX_WIDTH = 40
HEADER_FONT = Font(bold=True, color="1A1A1A")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def text_cell(ws: Any, value: str) -> WriteOnlyCell:
    """A cell that holds `value` as text, whatever it starts with."""
    text = safe_text(value)[:MAX_CELL_TEXT]
    cell = WriteOnlyCell(ws, value=text)
    # openpyxl turns "=..." into a formula and "#N/A" into an error: force text.
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def _cell(ws: Any, value: Any, kind: str | None = None) -> WriteOnlyCell | None:
    if value is None:
        return None
    if isinstance(value, str):
        cell = text_cell(ws, value)
        cell.alignment = WRAP if kind == LONG_TEXT else TOP
        return cell
    cell = WriteOnlyCell(ws, value=value)
    cell.alignment = TOP
    if kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def _width(header: str, values: Iterable[Any], kind: str) -> float:
    longest = len(header)
    for value in values:
        if value is not None:
            longest = max(longest, len(str(value)))
    return min(longest + 2, MAX_WIDTH.get(kind, DEFAULT_MAX_WIDTH))


def _header(ws: Any, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for header in headers:
        cell = text_cell(ws, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        cells.append(cell)
    return cells


def _table_sheet(wb: Workbook, table: ReportTable) -> None:
    ws = wb.create_sheet(table.title[:31])
    frame = table.frame
    sample = frame.head(WIDTH_SAMPLE_ROWS)
    for i, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(
            column.header, sample[column.key].to_list(), column.kind
        )
    # Keep the first column in view too when it names the row (unit, id).
    ws.freeze_panes = "B2"
    last = get_column_letter(len(table.columns))
    ws.auto_filter.ref = f"A1:{last}{max(frame.height, 0) + 1}"
    ws.append(_header(ws, [c.header for c in table.columns]))
    kinds = [c.kind for c in table.columns]
    for row in frame.select(c.key for c in table.columns).iter_rows():
        ws.append([_cell(ws, v, k) for v, k in zip(row, kinds, strict=True)])
    if table.note or frame.height == 0:
        ws.append([])
        ws.append([text_cell(ws, table.note or rt("rep.no_rows"))])


def _overview_sheet(wb: Workbook, a: Analyses, tables: list[ReportTable], lang: str, insights: list[str]) -> None:
    ws = wb.create_sheet(rt("rep.sheet.overview", lang))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    title = text_cell(ws, rt("rep.title", lang))
    title.font = TITLE_FONT
    ws.append([title])
    ws.append([text_cell(ws, rt("rep.generated", lang, date=date.today().isoformat()))])
    ws.append([])
    ws.append(_header(ws, [rt("rep.item", lang), rt("rep.value", lang)]))
    for item, value in overview_rows(a, lang):
        number = isinstance(value, int) and item != rt("rep.overview.year", lang)
        ws.append([text_cell(ws, item), _cell(ws, value, INT if number else None)])
    if insights:
        ws.append([])
        heading = text_cell(ws, rt("rep.overview.stands_out", lang))
        heading.font = BOLD
        ws.append([heading])
        for sentence in insights:
            ws.append([None, _cell(ws, sentence, LONG_TEXT)])
    ws.append([])
    heading = text_cell(ws, rt("rep.overview.contents", lang))
    heading.font = BOLD
    ws.append([heading])
    for table in tables:
        ws.append([text_cell(ws, table.title), _cell(ws, table.description, LONG_TEXT)])


def xlsx_bytes(a: Analyses, lang: str = "sv", insights: list[str] | None = None) -> bytes:
    """The workbook: Översikt first, then one sheet per report table."""
    tables = report_tables(a, lang)
    wb = Workbook(write_only=True)
    _overview_sheet(wb, a, tables, lang, insights or [])
    for table in tables:
        _table_sheet(wb, table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
