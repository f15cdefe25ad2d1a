"""GoalDocument: the one value every analysis takes.

A goal document is relational: units form a tree, goals are owned by one or more units
and may break down a parent goal, indicators measure goals, assignments go to units.
Each table is a polars DataFrame with a fixed schema (below), so analyses are polars
expressions and never care which spreadsheet layout the document came from.

Every row that came from the user's file keeps `sheet` and `row` (1-based, as Excel
shows it) so any figure can be traced back to the cells behind it.

Nothing mutates a GoalDocument: scenarios build a new one with `replace()`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from goalload.findings import Finding

# Unit levels, top to bottom. Swedish labels live in goalload.i18n / LEVEL_LABELS_SV.
UNIT_LEVELS: tuple[str, ...] = (
    "council",  # kommunfullmäktige / regionfullmäktige
    "board",  # kommunstyrelse / regionstyrelse
    "committee",  # nämnd
    "company",  # bolag
    "administration",  # förvaltning
    "unit",  # enhet: school, care home, office
)
LEVEL_LABELS_SV = {
    "council": "Fullmäktige",
    "board": "Styrelse",
    "committee": "Nämnd",
    "company": "Bolag",
    "administration": "Förvaltning",
    "unit": "Enhet",
}
LEVEL_LABELS_EN = {
    "council": "Council",
    "board": "Executive board",
    "committee": "Committee",
    "company": "Company",
    "administration": "Administration",
    "unit": "Unit",
}

# Reporting frequencies and how many occasions per year each means (DOMAIN.md).
FREQUENCIES: dict[str, int] = {
    "week": 52,
    "month": 12,
    "quarter": 4,
    "tertial": 3,
    "half_year": 2,
    "year": 1,
}
FREQUENCY_LABELS_SV = {
    "week": "Vecka",
    "month": "Månad",
    "quarter": "Kvartal",
    "tertial": "Tertial",
    "half_year": "Halvår",
    "year": "År",
}
FREQUENCY_LABELS_EN = {
    "week": "Week",
    "month": "Month",
    "quarter": "Quarter",
    "tertial": "Four-monthly",
    "half_year": "Half-year",
    "year": "Year",
}

# Where an indicator's value comes from; decides what reporting it costs.
SOURCE_KINDS: tuple[str, ...] = ("kolada", "system", "survey", "manual", "unknown")

UNIT_SCHEMA = {
    "unit_id": pl.String,
    "name": pl.String,  # as written in the document, trimmed, NFC
    "parent_id": pl.String,  # null at the top
    "level": pl.String,  # one of UNIT_LEVELS
    "sheet": pl.String,
    "row": pl.Int64,
}

GOAL_SCHEMA = {
    "goal_id": pl.String,  # the document's own id where it has one, else generated
    "text": pl.String,
    "parent_goal_id": pl.String,  # the goal one level up that this one breaks down
    "goal_level": pl.String,  # the document's own word: "KF-mål", "Nämndmål", ...
    "area": pl.String,  # målområde / perspektiv, when the document has one
    "sheet": pl.String,
    "row": pl.Int64,
}

# A goal can be owned by several units ("Socialnämnden, Kultur- och fritidsnämnden",
# "Samtliga nämnder"): then it is one goal with several owners, not several goals.
GOAL_OWNER_SCHEMA = {
    "goal_id": pl.String,
    "unit_id": pl.String,
}

INDICATOR_SCHEMA = {
    "indicator_id": pl.String,
    "name": pl.String,
    "kolada_id": pl.String,  # N12345 / U12345 when the document names one
    "frequency": pl.String,  # one of FREQUENCIES or null (unknown)
    "occasions_per_year": pl.Int64,  # FREQUENCIES[frequency]; 1 when unknown
    "source": pl.String,  # the document's own words
    "source_kind": pl.String,  # one of SOURCE_KINDS
    "owner_id": pl.String,  # unit that owns the indicator, when the document says
    "sheet": pl.String,
    "row": pl.Int64,
}

# Which indicator measures which goal, with the target set for that goal.
GOAL_INDICATOR_SCHEMA = {
    "goal_id": pl.String,
    "indicator_id": pl.String,
    "target_text": pl.String,  # as typed: "< 40", "2 000", "-3 %"
    "target_value": pl.Float64,  # parsed number, null when there is none
    "sheet": pl.String,
    "row": pl.Int64,
}

ASSIGNMENT_SCHEMA = {
    "assignment_id": pl.String,
    "text": pl.String,
    "issuer_id": pl.String,  # KF or KS usually; null when unknown
    "report_back": pl.String,  # as written: a date, a report name or a frequency
    "report_backs_per_year": pl.Int64,  # a one-off report-back counts 1
    "sheet": pl.String,
    "row": pl.Int64,
}

ASSIGNMENT_RECIPIENT_SCHEMA = {
    "assignment_id": pl.String,
    "unit_id": pl.String,
}


def empty(schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


@dataclass(frozen=True)
class ReadInfo:
    """What the reader saw and decided, so a person can check and correct it."""

    file_name: str = ""
    layout: str = ""  # "template" | "flat" | "levels" | "csv" ...
    sheets: tuple[str, ...] = ()  # every sheet in the workbook
    sheets_used: tuple[str, ...] = ()
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> 1-based row
    rows_read: dict[str, int] = field(default_factory=dict)  # sheet -> data rows
    # sheet -> {header as written: field name}; what `mapping=` can override
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    confidence: float = 1.0  # 0..1: how sure the layout detection is


@dataclass(frozen=True)
class GoalDocument:
    """A municipality's (or region's) goal document for one year."""

    name: str
    units: pl.DataFrame
    goals: pl.DataFrame
    goal_owners: pl.DataFrame
    indicators: pl.DataFrame
    goal_indicators: pl.DataFrame
    assignments: pl.DataFrame
    assignment_recipients: pl.DataFrame
    year: int | None = None
    population: int | None = None
    findings: tuple[Finding, ...] = ()
    info: ReadInfo = field(default_factory=ReadInfo)

    def replace(self, **changes: Any) -> GoalDocument:
        return dataclasses.replace(self, **changes)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def unit_names(self) -> dict[str, str]:
        return dict(zip(self.units["unit_id"], self.units["name"], strict=True))

    def goals_with_owners(self) -> pl.DataFrame:
        """One row per (goal, owner), with the owner's name: what most views want."""
        return self.goals.join(self.goal_owners, on="goal_id", how="inner").join(
            self.units.select("unit_id", unit=pl.col("name"), unit_level=pl.col("level")),
            on="unit_id",
            how="left",
        )


def new_document(
    name: str,
    *,
    units: pl.DataFrame | None = None,
    goals: pl.DataFrame | None = None,
    goal_owners: pl.DataFrame | None = None,
    indicators: pl.DataFrame | None = None,
    goal_indicators: pl.DataFrame | None = None,
    assignments: pl.DataFrame | None = None,
    assignment_recipients: pl.DataFrame | None = None,
    **rest: Any,
) -> GoalDocument:
    """Build a document, casting each table to its schema (missing tables are empty)."""

    def conform(frame: pl.DataFrame | None, schema: dict[str, Any]) -> pl.DataFrame:
        if frame is None:
            return empty(schema)
        if frame.schema == pl.Schema(schema):  # the reader's tables already are (saves the casts)
            return frame
        missing = [c for c in schema if c not in frame.columns]
        frame = frame.with_columns(pl.lit(None, dtype=schema[c]).alias(c) for c in missing)
        return frame.select(pl.col(c).cast(t) for c, t in schema.items())

    return GoalDocument(
        name=name,
        units=conform(units, UNIT_SCHEMA),
        goals=conform(goals, GOAL_SCHEMA),
        goal_owners=conform(goal_owners, GOAL_OWNER_SCHEMA),
        indicators=conform(indicators, INDICATOR_SCHEMA),
        goal_indicators=conform(goal_indicators, GOAL_INDICATOR_SCHEMA),
        assignments=conform(assignments, ASSIGNMENT_SCHEMA),
        assignment_recipients=conform(assignment_recipients, ASSIGNMENT_RECIPIENT_SCHEMA),
        **rest,
    )
