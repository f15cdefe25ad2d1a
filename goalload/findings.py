"""Findings: problems in the user's data that did not stop the reading.

A finding is what the user sees instead of a traceback or a silently dropped row: the
severity, where it is (sheet, 1-based row as Excel shows it, column header) and a Swedish
message saying what to do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import polars as pl

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


FINDING_SCHEMA = {
    "severity": pl.String,
    "sheet": pl.String,
    "row": pl.Int64,
    "column": pl.String,
    "message": pl.String,
}


def findings_frame(findings: tuple[Finding, ...] | list[Finding]) -> pl.DataFrame:
    """Findings as a table, errors first, then by sheet and row."""
    frame = pl.DataFrame([f.as_dict() for f in findings], schema=FINDING_SCHEMA)
    return frame.with_columns(
        pl.col("severity").replace_strict(SEVERITY_ORDER, default=3).alias("_order")
    ).sort(["_order", "sheet", "row"], nulls_last=True).drop("_order")
