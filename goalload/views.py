"""The tables the app's pages show, as pure polars functions of a GoalDocument.

Pages only lay out and call: everything here is computed without Streamlit, so it is
tested directly and the figures on screen are the figures in the tests. Every function
returns a small, already aggregated table (one row per unit, per indicator or per
unit and category), which is what the charts plot.
"""

from __future__ import annotations

import polars as pl

from goalload import metrics
from goalload.model import FREQUENCIES, SOURCE_KINDS, UNIT_LEVELS, GoalDocument, ReadInfo

FREQUENCY_ORDER: tuple[str, ...] = (*FREQUENCIES, "unknown")
# The document totals the overview leads with, in the order shown.
HEADLINE_METRICS: tuple[str, ...] = (
    "units",
    "goals",
    "indicators",
    "assignments",
    "reporting_occasions_per_year",
    "unmeasured_goals",
)
LEVEL_RANK = {level: rank for rank, level in enumerate(UNIT_LEVELS)}


def parent_map(units: pl.DataFrame) -> dict[str, str | None]:
    """unit_id -> parent_id, with parents that are missing or on a cycle cut to None.

    The organisation tree is drawn and walked from this, so a broken parent reference
    in a user's file makes that unit a top-level unit instead of hanging a loop.
    """
    ids = set(units["unit_id"].to_list())
    raw = {
        uid: (pid if pid in ids and pid != uid else None)
        for uid, pid in zip(units["unit_id"], units["parent_id"], strict=True)
    }
    clean: dict[str, str | None] = {}
    for uid in raw:
        seen = {uid}
        node = raw[uid]
        while node is not None and node not in seen:
            seen.add(node)
            node = raw[node]
        clean[uid] = None if node == uid else raw[uid]  # back at itself: uid is on a cycle
    return clean


def ancestors(units: pl.DataFrame, unit_id: str) -> list[str]:
    """The chain of units above `unit_id`, nearest first (its received goals come from these)."""
    parents = parent_map(units)
    chain: list[str] = []
    node = parents.get(unit_id)
    while node is not None:
        chain.append(node)
        node = parents.get(node)
    return chain


def filter_levels(load: pl.DataFrame, levels: list[str] | None) -> pl.DataFrame:
    """Rows of a per-unit table whose level is one of `levels` (None keeps all)."""
    if levels is None:
        return load
    return load.filter(pl.col("level").is_in(levels))


def levels_present(units: pl.DataFrame) -> list[str]:
    """The unit levels a document uses, top to bottom."""
    present = set(units["level"].drop_nulls().to_list())
    return [level for level in UNIT_LEVELS if level in present]


def top_units(load: pl.DataFrame, by: str = "steering_signals", n: int = 10) -> pl.DataFrame:
    """The `n` units with the highest `by`, highest first; ties broken by name for stable charts."""
    return load.sort([by, "unit"], descending=[True, False], nulls_last=True).head(n)


def unit_goal_table(doc: GoalDocument, unit_id: str) -> pl.DataFrame:
    """A unit's own goals and the goals it receives from above, with their indicators.

    Columns: relation ("own" | "received"), distance (0 own, 1 parent, 2 grandparent...),
    owner, goal_level, goal, indicator_count, indicator_names, goal_id. Own goals first,
    then received goals from the nearest unit upwards.
    """
    chain = [unit_id, *ancestors(doc.units, unit_id)]
    distance = pl.DataFrame(
        {"unit_id": chain, "distance": list(range(len(chain)))},
        schema={"unit_id": pl.String, "distance": pl.Int64},
    )
    names = doc.units.select("unit_id", owner=pl.col("name"))
    owned = (
        doc.goal_owners.join(distance, on="unit_id", how="inner")
        .join(names, on="unit_id", how="left")
        .sort("distance")
        .unique("goal_id", keep="first", maintain_order=True)
    )
    # Only the chain's goals: a large city has tens of thousands of links per document.
    indicators = (
        doc.goal_indicators.join(owned.select("goal_id"), on="goal_id", how="semi")
        .join(doc.indicators.select("indicator_id", "name"), on="indicator_id", how="inner")
        .unique(["goal_id", "indicator_id"])
        .sort("name")
        .group_by("goal_id")
        .agg(
            indicator_count=pl.len().cast(pl.Int64),
            indicator_names=pl.col("name").str.join("; "),
        )
    )
    return (
        owned.join(doc.goals, on="goal_id", how="inner")
        .join(indicators, on="goal_id", how="left")
        .with_columns(
            relation=pl.when(pl.col("distance") == 0)
            .then(pl.lit("own"))
            .otherwise(pl.lit("received")),
            indicator_count=pl.col("indicator_count").fill_null(0),
            indicator_names=pl.col("indicator_names").fill_null(""),
        )
        .sort(["distance", "row", "goal_id"], nulls_last=True)
        .select(
            "relation",
            "distance",
            "owner",
            "goal_level",
            goal=pl.col("text"),
            indicator_count="indicator_count",
            indicator_names="indicator_names",
            goal_id="goal_id",
        )
    )


def _unit_indicator_rows(doc: GoalDocument) -> pl.DataFrame:
    """One row per (unit, indicator) a unit carries, with the indicator's attributes."""
    return metrics.unit_indicators(doc).join(
        doc.indicators.select(
            "indicator_id",
            "name",
            "occasions_per_year",
            frequency=pl.col("frequency").fill_null("unknown"),
            source_kind=pl.col("source_kind").fill_null("unknown"),
        ),
        on="indicator_id",
        how="inner",
    )


def indicator_occasions(doc: GoalDocument, by: str = "frequency") -> pl.DataFrame:
    """Reporting occasions per year for each unit, split by `by` ("frequency" or "source_kind").

    Long format: unit_id, unit, level, category, indicators, occasions; only units that
    carry at least one indicator, categories in the model's order.
    """
    if by not in ("frequency", "source_kind"):
        raise ValueError(f"by must be 'frequency' or 'source_kind', not {by!r}")
    order = FREQUENCY_ORDER if by == "frequency" else SOURCE_KINDS
    rank = pl.DataFrame({"category": list(order), "_rank": list(range(len(order)))})
    return (
        _unit_indicator_rows(doc)
        .group_by("unit_id", pl.col(by).alias("category"))
        .agg(
            indicators=pl.len().cast(pl.Int64),
            occasions=pl.col("occasions_per_year").fill_null(1).sum().cast(pl.Int64),
        )
        .join(doc.units.select("unit_id", unit=pl.col("name"), level="level"), on="unit_id")
        .join(rank, on="category", how="left")
        .sort(["unit", "_rank"])
        .select("unit_id", "unit", "level", "category", "indicators", "occasions")
    )


def frequency_matrix(doc: GoalDocument) -> pl.DataFrame:
    """Unit × frequency: how many indicators each unit follows up at each frequency.

    Columns unit_id, unit, level, then one column per frequency in FREQUENCY_ORDER
    (all present, zeros where none), then total; rows sorted by total, largest first.
    """
    long = indicator_occasions(doc, "frequency")
    wide = (
        long.pivot(on="category", index=["unit_id", "unit", "level"], values="indicators")
        if long.height
        else long.select("unit_id", "unit", "level")
    )
    wide = wide.with_columns(
        pl.lit(0, dtype=pl.Int64).alias(f) for f in FREQUENCY_ORDER if f not in wide.columns
    ).with_columns(pl.col(f).fill_null(0).cast(pl.Int64) for f in FREQUENCY_ORDER)
    return (
        wide.with_columns(total=pl.sum_horizontal(FREQUENCY_ORDER))
        .sort(["total", "unit"], descending=[True, False])
        .select("unit_id", "unit", "level", *FREQUENCY_ORDER, "total")
    )


def burdensome_indicators(doc: GoalDocument, limit: int = 15) -> pl.DataFrame:
    """The indicators that cost the most reporting: occasions per year × units reporting them.

    An indicator nobody carries still counts once (someone reports it). Columns:
    indicator_id, name, frequency, source_kind, source, kolada_id, occasions_per_year,
    units, goals, yearly_reports.
    """
    units = (
        metrics.unit_indicators(doc)
        .group_by("indicator_id")
        .agg(units=pl.col("unit_id").n_unique().cast(pl.Int64))
    )
    goals = doc.goal_indicators.group_by("indicator_id").agg(
        goals=pl.col("goal_id").n_unique().cast(pl.Int64)
    )
    return (
        doc.indicators.join(units, on="indicator_id", how="left")
        .join(goals, on="indicator_id", how="left")
        .with_columns(
            pl.col("units").fill_null(0),
            pl.col("goals").fill_null(0),
            frequency=pl.col("frequency").fill_null("unknown"),
            source_kind=pl.col("source_kind").fill_null("unknown"),
            occasions_per_year=pl.col("occasions_per_year").fill_null(1),
        )
        .with_columns(
            yearly_reports=pl.col("occasions_per_year") * pl.max_horizontal(pl.col("units"), 1)
        )
        .sort(["yearly_reports", "name"], descending=[True, False])
        .head(limit)
        .select(
            "indicator_id",
            "name",
            "frequency",
            "source_kind",
            "source",
            "kolada_id",
            "occasions_per_year",
            "units",
            "goals",
            "yearly_reports",
        )
    )


def org_tree(doc: GoalDocument, load: pl.DataFrame) -> pl.DataFrame:
    """The organisation as a tree for a treemap: id, parent ("" at the top), name, level, value.

    value is the unit's own steering signals (plotly adds the children's on top).
    """
    parents = parent_map(doc.units)
    frame = pl.DataFrame(
        {"id": list(parents), "parent": [p or "" for p in parents.values()]},
        schema={"id": pl.String, "parent": pl.String},
    )
    return frame.join(
        load.select(
            id=pl.col("unit_id"), name=pl.col("unit"), level="level", value="steering_signals"
        ),
        on="id",
        how="left",
    ).with_columns(pl.col("value").fill_null(0))


def goal_tree(doc: GoalDocument) -> pl.DataFrame:
    """The goals as a tree for a sunburst: id, parent, text, goal_level, area.

    A goal hangs under its parent goal; a goal with no parent (or a missing or cyclic
    one) hangs under its goal area ("area:<name>"), or at the top ("") without one.
    Area nodes are included as rows of their own with goal_level null.
    """
    goals = doc.goals.unique("goal_id", keep="first", maintain_order=True)
    as_units = goals.select(unit_id="goal_id", parent_id="parent_goal_id")
    parents = parent_map(as_units)
    frame = goals.select(
        id="goal_id", text="text", goal_level="goal_level", area="area"
    ).with_columns(
        goal_parent=pl.Series([parents[g] for g in goals["goal_id"]], dtype=pl.String),
    )
    frame = frame.with_columns(
        parent=pl.coalesce(
            "goal_parent",
            pl.when(pl.col("area").is_not_null()).then(pl.lit("area:") + pl.col("area")),
            pl.lit(""),
        )
    ).drop("goal_parent")
    areas = (
        frame.filter(pl.col("parent").str.starts_with("area:"))
        .select(id="parent", text="area", area="area")
        .unique("id", maintain_order=True)
        .with_columns(goal_level=pl.lit(None, dtype=pl.String), parent=pl.lit(""))
    )
    return pl.concat([areas.select(frame.columns), frame])


def sheets_read(info: ReadInfo) -> pl.DataFrame:
    """One row per sheet used: sheet, header_row (as in Excel), rows_read."""
    names = list(info.sheets_used) or list(info.header_rows)
    return pl.DataFrame(
        {
            "sheet": names,
            "header_row": [info.header_rows.get(s) for s in names],
            "rows_read": [info.rows_read.get(s) for s in names],
        },
        schema={"sheet": pl.String, "header_row": pl.Int64, "rows_read": pl.Int64},
    )


def units_by_occasions(long: pl.DataFrame, load: pl.DataFrame) -> pl.DataFrame:
    """Units of `load` that report indicators, most reporting occasions per year first.

    `long` is indicator_occasions(); the result keeps load's unit_id, unit, level and
    parent (for chart labels) plus occasions, and fixes the unit order of the charts.
    """
    totals = long.group_by("unit_id").agg(occasions=pl.col("occasions").sum())
    return (
        load.select("unit_id", "unit", "level", "parent")
        .join(totals, on="unit_id", how="inner")
        .sort(["occasions", "unit"], descending=[True, False])
    )
