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
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter

from goalload.i18n import t
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
WIDTH_SAMPLE_ROWS = 500  # rows looked at to fit a column's width
MAX_WIDTH = {LONG_TEXT: 70}
DEFAULT_MAX_WIDTH = 40

# Named styles: a cell takes one by name, a lookup, instead of hashing a Font and an
# Alignment per cell (several times faster on a large document).
TEXT_STYLE, LONG_STYLE, HEADER_STYLE = "Goalload text", "Goalload lång text", "Goalload rubrik"
TITLE_STYLE, BOLD_STYLE = "Goalload titel", "Goalload fet"
KIND_STYLES = {INT: "Goalload heltal", PERCENT: "Goalload procent", LONG_TEXT: LONG_STYLE}


def new_workbook() -> Workbook:
    """A write-only workbook with the report's named styles, for any goalload workbook."""
    wb = Workbook(write_only=True)
    for style in _named_styles():
        wb.add_named_style(style)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _named_styles() -> list[NamedStyle]:
    top = Alignment(vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    return [
        NamedStyle(TEXT_STYLE, alignment=top),
        NamedStyle(LONG_STYLE, alignment=wrap),
        # Excel shows these as "1 234" and "52 %" with a Swedish locale.
        NamedStyle(KIND_STYLES[INT], alignment=top, number_format="#,##0"),
        NamedStyle(KIND_STYLES[PERCENT], alignment=top, number_format="0 %"),
        NamedStyle(
            HEADER_STYLE,
            font=Font(bold=True, color="1A1A1A"),
            fill=PatternFill("solid", fgColor="DDE7F0"),
            alignment=wrap,
        ),
        NamedStyle(TITLE_STYLE, font=Font(bold=True, size=14)),
        NamedStyle(BOLD_STYLE, font=Font(bold=True)),
    ]


def text_cell(ws: Any, value: str, style: str = TEXT_STYLE) -> WriteOnlyCell:
    """A cell that holds `value` as text, whatever it starts with."""
    text = safe_text(value)[:MAX_CELL_TEXT]
    cell = WriteOnlyCell(ws, value=text)
    cell.style = style
    # openpyxl turns "=..." into a formula and "#N/A" into an error: force text.
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def value_cell(ws: Any, value: Any, kind: str | None = None) -> WriteOnlyCell | None:
    """A cell for a report value: text as text (never a formula), numbers in `kind`'s format."""
    if value is None:
        return None
    if isinstance(value, str):
        return text_cell(ws, value, LONG_STYLE if kind == LONG_TEXT else TEXT_STYLE)
    cell = WriteOnlyCell(ws, value=value)
    cell.style = KIND_STYLES.get(kind or "", TEXT_STYLE)
    return cell


def _width(header: str, values: Iterable[Any], kind: str) -> float:
    longest = len(header)
    for value in values:
        if value is not None:
            longest = max(longest, len(str(value)))
    return min(longest + 2, MAX_WIDTH.get(kind, DEFAULT_MAX_WIDTH))


def header_cells(ws: Any, headers: Sequence[str]) -> list[WriteOnlyCell]:
    """A header row in the report's header style."""
    return [text_cell(ws, header, HEADER_STYLE) for header in headers]


def table_sheet(wb: Workbook, table: ReportTable) -> None:
    """One report table as a sheet: fitted widths, frozen header, a filter, typed cells."""
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
    ws.append(header_cells(ws, [c.header for c in table.columns]))
    kinds = [c.kind for c in table.columns]
    for row in frame.select(c.key for c in table.columns).iter_rows():
        ws.append([value_cell(ws, v, k) for v, k in zip(row, kinds, strict=True)])
    if table.note or frame.height == 0:
        ws.append([])
        ws.append([text_cell(ws, table.note or t("rep.no_rows"))])


def _overview_sheet(wb: Workbook, a: Analyses, tables: list[ReportTable], lang: str, insights: list[str]) -> None:
    ws = wb.create_sheet(t("rep.sheet.overview", lang))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws.append([text_cell(ws, t("rep.title", lang), TITLE_STYLE)])
    ws.append([text_cell(ws, t("rep.generated", lang, date=date.today().isoformat()))])
    ws.append([])
    ws.append(header_cells(ws, [t("rep.item", lang), t("rep.value", lang)]))
    for item, value in overview_rows(a, lang):
        number = isinstance(value, int) and item != t("rep.overview.year", lang)
        ws.append([text_cell(ws, item), value_cell(ws, value, INT if number else None)])
    if insights:
        ws.append([])
        ws.append([text_cell(ws, t("rep.overview.stands_out", lang), BOLD_STYLE)])
        for sentence in insights:
            ws.append([None, value_cell(ws, sentence, LONG_TEXT)])
    ws.append([])
    ws.append([text_cell(ws, t("rep.overview.contents", lang), BOLD_STYLE)])
    for table in tables:
        ws.append([text_cell(ws, table.title), value_cell(ws, table.description, LONG_TEXT)])


def xlsx_bytes(a: Analyses, lang: str = "sv", insights: list[str] | None = None) -> bytes:
    """The workbook: Översikt first, then one sheet per report table."""
    tables = report_tables(a, lang)
    wb = new_workbook()
    _overview_sheet(wb, a, tables, lang, insights or [])
    for table in tables:
        table_sheet(wb, table)
    return workbook_bytes(wb)
