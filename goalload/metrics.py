"""The per-unit load table, exactly as DOMAIN.md defines it.

For a unit u: own goals (owned by u), received goals (owned by u's ancestors), indicators
(distinct, linked to u's own goals or owned by u), assignments (naming u, "samtliga
nämnder" already expanded by the reader), reporting occasions per year (u's indicators'
frequencies plus its assignments' report-backs), steering signals (own goals +
indicators + assignments) and unmeasured goals (own goals with no indicator).
"""

from __future__ import annotations

import polars as pl

from goalload.model import GoalDocument

LOAD_COLUMNS = (
    "own_goals",
    "received_goals",
    "indicators",
    "assignments",
    "reporting_occasions_per_year",
    "steering_signals",
    "unmeasured_goals",
)


def unit_ancestors(doc: GoalDocument) -> pl.DataFrame:
    """[unit_id, ancestor_id]: every unit above each unit in the organisation tree."""
    parents = doc.units.select("unit_id", ancestor_id="parent_id").filter(
        pl.col("ancestor_id").is_not_null()
    )
    result, frontier = parents, parents
    for _ in range(len(doc.units)):  # the reader has broken every cycle
        step = frontier.join(
            parents.rename({"unit_id": "ancestor_id", "ancestor_id": "next"}),
            on="ancestor_id",
        ).select("unit_id", ancestor_id="next")
        step = step.join(result, on=["unit_id", "ancestor_id"], how="anti")
        if step.height == 0:
            break
        result, frontier = pl.concat([result, step]), step
    return result


def unit_indicators(doc: GoalDocument) -> pl.DataFrame:
    """[unit_id, indicator_id], distinct: through u's own goals, or owned by u."""
    via_goals = doc.goal_owners.join(doc.goal_indicators, on="goal_id").select(
        "unit_id", "indicator_id"
    )
    owned = doc.indicators.filter(pl.col("owner_id").is_not_null()).select(
        unit_id="owner_id", indicator_id="indicator_id"
    )
    return pl.concat([via_goals, owned]).unique(maintain_order=True)


def unit_assignments(doc: GoalDocument) -> pl.DataFrame:
    """[unit_id, assignment_id], distinct."""
    return doc.assignment_recipients.select("unit_id", "assignment_id").unique(
        maintain_order=True
    )


def received_goals(doc: GoalDocument) -> pl.DataFrame:
    """[unit_id, goal_id]: goals owned by the unit's ancestors (what reaches it from above)."""
    return (
        unit_ancestors(doc)
        .join(doc.goal_owners.rename({"unit_id": "ancestor_id"}), on="ancestor_id")
        .select("unit_id", "goal_id")
        .unique(maintain_order=True)
    )


def measured_goal_ids(doc: GoalDocument) -> pl.Series:
    return doc.goal_indicators["goal_id"].unique()


def unit_load(doc: GoalDocument) -> pl.DataFrame:
    """One row per unit, in document order, with every load metric."""
    measured = measured_goal_ids(doc)
    # The membership test runs once over the column, not once per group: inside the
    # aggregation the imploded list is broadcast to every unit (quadratic).
    own = (
        doc.goal_owners.with_columns(_unmeasured=~pl.col("goal_id").is_in(measured.implode()))
        .group_by("unit_id")
        .agg(own_goals=pl.len(), unmeasured_goals=pl.col("_unmeasured").sum())
    )
    received = received_goals(doc).group_by("unit_id").agg(received_goals=pl.len())
    indicators = (
        _indicator_occasions(doc)
        .group_by("unit_id")
        .agg(indicators=pl.len(), _ind_occasions=pl.col("occasions_per_year").sum())
    )
    assignments = (
        _assignment_occasions(doc)
        .group_by("unit_id")
        .agg(assignments=pl.len(), _asg_occasions=pl.col("report_backs_per_year").sum())
    )
    names = doc.units.select("unit_id", parent=pl.col("name"))
    table = (
        doc.units.select("unit_id", unit="name", level="level", parent_id="parent_id")
        .join(names.rename({"unit_id": "parent_id"}), on="parent_id", how="left")
        .join(own, on="unit_id", how="left")
        .join(received, on="unit_id", how="left")
        .join(indicators, on="unit_id", how="left")
        .join(assignments, on="unit_id", how="left")
        .with_columns(
            pl.col(c).fill_null(0).cast(pl.Int64)
            for c in (
                "own_goals", "unmeasured_goals", "received_goals", "indicators",
                "_ind_occasions", "assignments", "_asg_occasions",
            )
        )
        .with_columns(
            reporting_occasions_per_year=pl.col("_ind_occasions") + pl.col("_asg_occasions"),
            steering_signals=pl.col("own_goals") + pl.col("indicators") + pl.col("assignments"),
        )
    )
    return table.select("unit_id", "unit", "level", "parent", *LOAD_COLUMNS)


def _indicator_occasions(doc: GoalDocument) -> pl.DataFrame:
    """unit_id, indicator_id, occasions_per_year: each indicator a unit carries."""
    occasions = doc.indicators.select("indicator_id", "occasions_per_year")
    return unit_indicators(doc).join(occasions, on="indicator_id")


def _assignment_occasions(doc: GoalDocument) -> pl.DataFrame:
    """unit_id, assignment_id, report_backs_per_year: each assignment a unit reports on."""
    backs = doc.assignments.select("assignment_id", "report_backs_per_year")
    return unit_assignments(doc).join(backs, on="assignment_id")


def _unit_reporting_occasions(doc: GoalDocument) -> int:
    """unit_load's reporting occasions summed over units, without the rest of unit_load
    (recommendations and scenarios ask for the totals of many documents)."""
    units = doc.units.select("unit_id")
    indicators = _indicator_occasions(doc).join(units, on="unit_id", how="semi")
    assignments = _assignment_occasions(doc).join(units, on="unit_id", how="semi")
    return int(indicators["occasions_per_year"].sum()) + int(assignments["report_backs_per_year"].sum())


def orphan_indicator_ids(doc: GoalDocument) -> pl.Series:
    linked = doc.goal_indicators["indicator_id"].unique()
    return doc.indicators.filter(~pl.col("indicator_id").is_in(linked.implode()))["indicator_id"]


# document_totals' keys in the order the app and the CLI show them.
TOTALS = (
    "units",
    "goals",
    "indicators",
    "assignments",
    "reporting_occasions_per_year",
    "steering_signals",
    "unmeasured_goals",
    "orphan_indicators",
)


def document_totals(doc: GoalDocument, load: pl.DataFrame | None = None) -> dict[str, int]:
    """Totals for the whole document.

    Goals, indicators and assignments are counted once each however many units share
    them. Reporting occasions are summed over units (each unit reports its own), plus
    the occasions of indicators no unit carries, so no reporting is left out.
    """
    occasions = (
        _unit_reporting_occasions(doc)
        if load is None
        else int(load["reporting_occasions_per_year"].sum())
    )
    # The indicators unit_indicators() gives some unit, without building its pairs.
    carried = pl.concat([
        doc.goal_indicators.join(doc.goal_owners.select("goal_id"), on="goal_id", how="semi")["indicator_id"],
        doc.indicators.filter(pl.col("owner_id").is_not_null())["indicator_id"],
    ])
    uncarried = doc.indicators.filter(~pl.col("indicator_id").is_in(carried.implode()))
    measured = measured_goal_ids(doc)
    goals = doc.goals.height
    indicators = doc.indicators.height
    assignments = doc.assignments.height
    return {
        "units": doc.units.height,
        "goals": goals,
        "indicators": indicators,
        "assignments": assignments,
        "reporting_occasions_per_year": occasions + int(uncarried["occasions_per_year"].sum()),
        "orphan_indicators": orphan_indicator_ids(doc).len(),
        "unmeasured_goals": doc.goals.filter(~pl.col("goal_id").is_in(measured.implode())).height,
        "steering_signals": goals + indicators + assignments,
    }


def analyze(doc: GoalDocument, *, overlap=None, overlap_threshold: float | None = None) -> dict:
    """The `analyze` JSON: units with their load and overlap share, totals, findings.

    Pass `overlap` (a goalload.overlap.Overlap) when it is already computed, so callers
    that also recommend do not find it twice.
    """
    from goalload import overlap as overlap_module

    if overlap is None:
        kwargs = {} if overlap_threshold is None else {"threshold": overlap_threshold}
        overlap = overlap_module.find_overlap(doc, **kwargs)
    shares = overlap_module.overlap_share(doc, overlap).select("unit_id", "overlap_share")
    load = unit_load(doc).join(shares, on="unit_id", how="left").with_columns(
        pl.col("overlap_share").fill_null(0.0).round(4)
    )
    units = load.drop("unit_id").to_dicts()
    return {
        "document": {"name": doc.name, "year": doc.year, "file": doc.info.file_name,
                     "layout": doc.info.layout},
        "units": units,
        "totals": document_totals(doc, load),
        "findings": [f.as_dict() for f in doc.findings],
    }
