"""Shared test helpers: paths to the shared examples and a workbook builder."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = SHARED / "examples"
FLAT_EXAMPLE = EXAMPLES / "flat_export_example.xlsx"
LEVELS_EXAMPLE = EXAMPLES / "levels_in_rows_example.xlsx"
KOLADA_CATALOGUE = SHARED / "kolada" / "kpi_catalogue.csv"
SAMPLE = REPO / "sample_data" / "exempelkommun.xlsx"


def workbook_bytes(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None,
                   hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with the given sheets (rows of cell values) built in memory."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cell_range in (merges or {}).get(name, []):
            ws.merge_cells(cell_range)
        if name in hidden:
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def make_workbook():
    return workbook_bytes
