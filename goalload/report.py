"""What every report shows, whatever its format: the analyses and the tables.

The Excel, HTML and PowerPoint reports and the presentation all start from one
`Analyses` value (computed once: overlap is the slow part) and the `ReportTable`s built
from it, so the three files and the app show the same figures for the same document.

Overlap, recommendations and scenarios come from modules other parts of Goalload own;
they are imported when the report is made, and a report made without them says so
instead of failing.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import polars as pl

from goalload import metrics
from goalload.classify import GOAL_TYPE_LABELS_EN, GOAL_TYPE_LABELS_SV, classify_goals
from goalload.findings import findings_frame
from goalload.i18n import STRINGS, label, labels, t
from goalload.model import GoalDocument
from goalload.recommend import EFFECT_KEYS  # a recommendation's effect columns

# Column kinds: how a value is formatted in Excel and HTML.
TEXT, LONG_TEXT, INT, PERCENT = "text", "long_text", "int", "percent"


def optional_module(name: str) -> ModuleType | None:
    """goalload.<name> if this build has it (overlap, recommend, scenario land separately)."""
    try:
        return importlib.import_module(f"goalload.{name}")
    except ImportError:
        return None


@dataclass(frozen=True)
class Analyses:
    """Everything the reports and the story need, computed once per document."""

    doc: GoalDocument
    load: pl.DataFrame  # metrics.unit_load (+ overlap_share when overlap is available)
    totals: dict[str, int]
    overlap: Any | None  # goalload.overlap.Overlap, None when not available
    recommendations: dict | None  # goalload.recommend.recommend_json, None when not available
    after: GoalDocument | None  # the scenario's document, when one was given
    after_totals: dict[str, int] | None  # totals after the scenario, or after all suggestions

    @property
    def has_scenario(self) -> bool:
        return self.after is not None


def analyse(
    doc: GoalDocument,
    scenario: GoalDocument | None = None,
    *,
    overlap: Any = None,
    recommendations: dict | None = None,
) -> Analyses:
    """Run the analyses the reports show. `scenario` is the document after chosen changes.

    `overlap` (find_overlap(doc)) and `recommendations` (recommend_json(doc) with that
    overlap) when the caller has them already: the app shares them per document between
    its pages. Computed here otherwise.
    """
    load = metrics.unit_load(doc)
    totals = metrics.document_totals(doc, load)
    found = None
    module = optional_module("overlap")
    if module is not None and hasattr(module, "find_overlap"):
        found = overlap if overlap is not None else module.find_overlap(doc)
        shares = module.overlap_share(doc, found).select("unit_id", "overlap_share")
        load = load.join(shares, on="unit_id", how="left").with_columns(
            pl.col("overlap_share").fill_null(0.0)
        )
    recommend = optional_module("recommend")
    if recommend is None or not hasattr(recommend, "recommend_json"):
        recommendations = None
    elif recommendations is None:
        recommendations = recommend.recommend_json(doc, overlap=found)
    after_totals = None
    if scenario is not None:
        after_totals = metrics.document_totals(scenario)
    elif recommendations is not None and recommendations.get("totals_after_all"):
        after_totals = dict(recommendations["totals_after_all"])
    return Analyses(doc, load, totals, found, recommendations, scenario, after_totals)


def with_scenario(a: Analyses, after: GoalDocument | None) -> Analyses:
    """`a` for a scenario chosen later (the overlap and suggestions stay as they are)."""
    if after is None:
        return a
    return dataclasses.replace(a, after=after, after_totals=metrics.document_totals(after))


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT


@dataclass(frozen=True)
class ReportTable:
    """One table of a report: a sheet in Excel, a section in HTML."""

    key: str
    title: str
    description: str
    columns: tuple[Column, ...]
    frame: pl.DataFrame  # one column per Column.key
    note: str | None = None  # said instead of the rows when the analysis is missing


def _joined(frame: pl.DataFrame, key: str, value: str, alias: str) -> pl.DataFrame:
    """key -> "a; b; c" (sorted, distinct): several owners or ids in one cell."""
    return frame.group_by(key).agg(
        pl.col(value).drop_nulls().unique().sort().str.join("; ").alias(alias)
    )


def _yes(flag: pl.Expr, lang: str) -> pl.Expr:
    return pl.when(flag).then(pl.lit(t("rep.yes", lang))).otherwise(pl.lit(""))


def _labelled(expr: pl.Expr, kind: str, lang: str) -> pl.Expr:
    """Model codes as a reader reads them ("committee" -> "Nämnd"); unknown codes kept."""
    table = labels(kind, lang)
    if "unknown" in table:
        expr = expr.fill_null("unknown")
    return expr.replace(table)


def load_table(a: Analyses, lang: str = "sv") -> ReportTable:
    keys = ["unit", "level", "parent", *metrics.LOAD_COLUMNS]
    columns = [Column(k, label("metric", k, lang), INT if k in metrics.LOAD_COLUMNS else TEXT) for k in keys]
    frame = a.load.with_columns(
        _labelled(pl.col("level"), "level", lang)
    )
    if "overlap_share" in frame.columns:
        columns.append(Column("overlap_share", t("rep.col.overlap_share", lang), PERCENT))
    return ReportTable(
        "load",
        t("rep.sheet.load", lang),
        t("rep.desc.load", lang),
        tuple(columns),
        frame.select(c.key for c in columns),
    )


def goal_flags(doc: GoalDocument, overlap: Any | None, *, similar: bool = True) -> pl.DataFrame:
    """Per goal: duplicate (near-duplicate at another unit), pass_through, similar ids, theme.

    similar=False leaves the list of similar goal ids empty: the slides only count the
    flags, and in a large city one goal can resemble thousands of others.
    """
    schema = {
        "goal_id": pl.String,
        "duplicate": pl.Boolean,
        "pass_through": pl.Boolean,
        "similar": pl.String,
        "theme": pl.String,
    }
    if overlap is None or overlap.pairs.is_empty():
        return pl.DataFrame(schema=schema)
    pairs = overlap.pairs
    both = pl.concat(
        [
            pairs.select("kind", goal_id="a_goal_id", other="b_goal_id"),
            pairs.select("kind", goal_id="b_goal_id", other="a_goal_id"),
        ]
    )
    horizontal = both.filter(pl.col("kind") == "horizontal")
    if similar:
        goals = both.group_by("goal_id").agg(similar=pl.col("other").unique().sort().str.join("; "))
    else:
        goals = both.select("goal_id").unique().with_columns(similar=pl.lit(None, pl.String))
    flags = (
        goals
        .join(
            horizontal.select("goal_id").unique().with_columns(duplicate=pl.lit(True)),
            on="goal_id",
            how="left",
        )
        .join(
            pairs.filter(pl.col("kind") == "pass_through")
            .select(goal_id="a_goal_id")
            .unique()
            .with_columns(pass_through=pl.lit(True)),
            on="goal_id",
            how="left",
        )
        .join(
            overlap.clusters.select("goal_id", theme="label").unique("goal_id"),
            on="goal_id",
            how="left",
        )
    )
    return flags.with_columns(
        pl.col("duplicate").fill_null(False), pl.col("pass_through").fill_null(False)
    ).select(list(schema))


def goals_table(a: Analyses, lang: str = "sv") -> ReportTable:
    doc = a.doc
    names = doc.units.select("unit_id", owner=pl.col("name"))
    owners = _joined(doc.goal_owners.join(names, on="unit_id", how="left"), "goal_id", "owner", "owners")
    types = GOAL_TYPE_LABELS_EN if lang == "en" else GOAL_TYPE_LABELS_SV
    classified = classify_goals(doc).unique("goal_id").select(
        "goal_id",
        goal_type=pl.col("goal_type").replace_strict(types, default=None, return_dtype=pl.String),
        type_triggers=pl.col("triggers").list.join(", "),
    )
    counts = doc.goal_indicators.group_by("goal_id").agg(
        indicator_count=pl.col("indicator_id").n_unique().cast(pl.Int64)
    )
    columns = [
        Column("goal_id", t("rep.col.goal_id", lang)),
        Column("text", t("col.goal", lang), LONG_TEXT),
        Column("owners", t("rep.col.owners", lang)),
        Column("goal_level", t("col.goal_level", lang)),
        Column("area", t("rep.col.area", lang)),
        Column("parent_goal_id", t("rep.col.parent_goal_id", lang)),
        Column("goal_type", t("rep.col.goal_type", lang)),
        Column("type_triggers", t("rep.col.type_triggers", lang)),
        Column("indicator_count", t("col.indicator_count", lang), INT),
    ]
    frame = (
        doc.goals.join(owners, on="goal_id", how="left")
        .join(classified, on="goal_id", how="left")
        .join(counts, on="goal_id", how="left")
        .with_columns(pl.col("indicator_count").fill_null(0))
    )
    note = None
    if a.overlap is not None:
        frame = frame.join(goal_flags(doc, a.overlap), on="goal_id", how="left").with_columns(
            _yes(pl.col("duplicate").fill_null(False), lang).alias("duplicate"),
            _yes(pl.col("pass_through").fill_null(False), lang).alias("pass_through"),
        )
        columns += [
            Column("duplicate", t("rep.col.duplicate", lang)),
            Column("pass_through", t("rep.col.pass_through", lang)),
            Column("similar", t("rep.col.similar", lang)),
            Column("theme", t("rep.col.theme", lang)),
        ]
    else:
        note = t("rep.not_available", lang, what=t("rep.what.overlap", lang))
    return ReportTable(
        "goals",
        t("rep.sheet.goals", lang),
        t("rep.desc.goals", lang),
        tuple(columns),
        frame.select(c.key for c in columns),
        note,
    )


def indicators_table(a: Analyses, lang: str = "sv") -> ReportTable:
    doc = a.doc
    names = doc.units.select("unit_id", owner=pl.col("name"))
    linked = _joined(doc.goal_indicators, "indicator_id", "goal_id", "goal_ids")
    goals = doc.goal_indicators.group_by("indicator_id").agg(
        goals=pl.col("goal_id").n_unique().cast(pl.Int64)
    )
    units = metrics.unit_indicators(doc).group_by("indicator_id").agg(
        units=pl.col("unit_id").n_unique().cast(pl.Int64)
    )
    frame = (
        doc.indicators.join(names.rename({"unit_id": "owner_id"}), on="owner_id", how="left")
        .join(linked, on="indicator_id", how="left")
        .join(goals, on="indicator_id", how="left")
        .join(units, on="indicator_id", how="left")
        .with_columns(
            pl.col("goals").fill_null(0),
            pl.col("units").fill_null(0),
            _labelled(pl.col("frequency"), "frequency", lang),
            _labelled(pl.col("source_kind"), "source_kind", lang),
        )
    )
    columns = [
        Column("indicator_id", t("rep.col.indicator_id", lang)),
        Column("name", t("col.indicator", lang), LONG_TEXT),
        Column("frequency", t("col.frequency", lang)),
        Column("occasions_per_year", t("col.occasions_per_year", lang), INT),
        Column("source", t("col.source", lang)),
        Column("source_kind", t("col.source_kind", lang)),
        Column("kolada_id", t("col.kolada_id", lang)),
        Column("owner", t("rep.col.indicator_owner", lang)),
        Column("goal_ids", t("rep.col.goal_ids", lang)),
        Column("goals", t("col.goals", lang), INT),
        Column("units", t("col.units", lang), INT),
    ]
    if a.overlap is not None:
        shared = a.overlap.shared_indicators.select("indicator_id").unique()
        frame = frame.with_columns(
            _yes(pl.col("indicator_id").is_in(shared["indicator_id"].implode()), lang).alias("shared")
        )
        columns.append(Column("shared", t("rep.col.shared", lang)))
    return ReportTable(
        "indicators",
        t("rep.sheet.indicators", lang),
        t("rep.desc.indicators", lang),
        tuple(columns),
        frame.select(c.key for c in columns),
    )


def assignments_table(a: Analyses, lang: str = "sv") -> ReportTable:
    doc = a.doc
    names = doc.units.select("unit_id", recipient=pl.col("name"))
    recipients = (
        doc.assignment_recipients.join(names, on="unit_id", how="left")
        .group_by("assignment_id")
        .agg(
            recipients=pl.col("recipient").drop_nulls().unique().sort().str.join("; "),
            recipient_count=pl.col("unit_id").n_unique().cast(pl.Int64),
        )
    )
    issuers = doc.units.select(issuer_id="unit_id", issuer="name")
    frame = (
        doc.assignments.join(recipients, on="assignment_id", how="left")
        .join(issuers, on="issuer_id", how="left")
        .with_columns(
            pl.coalesce("issuer", "issuer_id").alias("issuer"),
            pl.col("recipient_count").fill_null(0),
        )
    )
    columns = (
        Column("assignment_id", t("rep.col.assignment_id", lang)),
        Column("text", t("rep.col.assignment", lang), LONG_TEXT),
        Column("issuer", t("rep.col.issuer", lang)),
        Column("recipients", t("rep.col.recipients", lang), LONG_TEXT),
        Column("recipient_count", t("rep.col.recipient_count", lang), INT),
        Column("report_back", t("rep.col.report_back", lang)),
        Column("report_backs_per_year", t("rep.col.report_backs_per_year", lang), INT),
    )
    return ReportTable(
        "assignments",
        t("rep.sheet.assignments", lang),
        t("rep.desc.assignments", lang),
        columns,
        frame.select(c.key for c in columns),
    )


def findings_table(a: Analyses, lang: str = "sv") -> ReportTable:
    frame = findings_frame(a.doc.findings)
    frame = frame.with_columns(
        _labelled(pl.col("severity"), "severity", lang)
    )
    columns = (
        Column("severity", t("finding.severity", lang)),
        Column("sheet", t("finding.sheet", lang)),
        Column("row", t("finding.row", lang), INT),
        Column("column", t("finding.column", lang)),
        Column("message", t("finding.message", lang), LONG_TEXT),
    )
    return ReportTable(
        "findings", t("rep.sheet.findings", lang), t("rep.desc.findings", lang), columns, frame
    )


def plain(value: Any) -> str:
    """A JSON value from another module as one line of text (ids, names, lists of them)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        ident = value.get("goal_id") or value.get("indicator_id") or value.get("id")
        text = value.get("text") or value.get("name") or value.get("unit") or value.get("label")
        if ident and text:
            return f"{ident}: {text}"
        if ident or text:
            return str(ident or text)
        return "; ".join(f"{k}: {plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(plain(v) for v in value)
    return str(value)


def recommendations_table(a: Analyses, lang: str = "sv") -> ReportTable:
    columns = (
        Column("id", t("rep.col.rec_id", lang)),
        Column("kind", t("rep.col.rec_kind", lang)),
        Column("title", t("rep.col.rec_title", lang), LONG_TEXT),
        Column("units", t("rep.col.rec_units", lang)),
        Column("items", t("rep.col.rec_items", lang), LONG_TEXT),
        Column("rationale", t("rep.col.rationale", lang), LONG_TEXT),
        Column("goals", t("rep.col.fewer_goals", lang), INT),
        Column("indicators", t("rep.col.fewer_indicators", lang), INT),
        Column("assignments", t("rep.col.fewer_assignments", lang), INT),
        Column("reporting_occasions_per_year", t("rep.col.fewer_occasions", lang), INT),
    )
    schema = {c.key: (pl.Int64 if c.kind == INT else pl.String) for c in columns}
    note = None
    rows: list[dict] = []
    if a.recommendations is None:
        note = t("rep.not_available", lang, what=t("rep.what.recommendations", lang))
    else:
        for rec in a.recommendations.get("recommendations", []):
            kind = str(rec.get("kind", ""))
            effect = rec.get("effect") or {}
            rows.append(
                {
                    "id": plain(rec.get("id")),
                    "kind": t(f"reduce.kind.{kind}", lang) if f"reduce.kind.{kind}" in STRINGS else kind,
                    "title": plain(rec.get("title")),
                    "units": plain(rec.get("units")),
                    "items": plain(rec.get("items")),
                    "rationale": plain(rec.get("rationale")),
                    **{k: int(effect.get(k) or 0) for k in EFFECT_KEYS},
                }
            )
    return ReportTable(
        "recommendations",
        t("rep.sheet.recommendations", lang),
        t("rep.desc.recommendations", lang),
        columns,
        pl.DataFrame(rows, schema=schema),
        note,
    )


def totals_comparison(before: dict[str, int], after: dict[str, int], lang: str = "sv") -> pl.DataFrame:
    """metric (label), before, after, change: the document totals side by side."""
    keys = [k for k in before if k in after]
    return pl.DataFrame(
        {
            "metric": [label("metric", k, lang) for k in keys],
            "before": [int(before[k]) for k in keys],
            "after": [int(after[k]) for k in keys],
            "change": [int(after[k]) - int(before[k]) for k in keys],
        },
        schema={"metric": pl.String, "before": pl.Int64, "after": pl.Int64, "change": pl.Int64},
    )


def scenario_table(a: Analyses, lang: str = "sv") -> ReportTable | None:
    """Totals, then every unit's steering signals and occasions before and after."""
    if a.after is None:
        return None
    totals = totals_comparison(a.totals, a.after_totals or {}, lang).rename({"metric": "unit"})
    after = metrics.unit_load(a.after).select("unit_id", *[pl.col(c).alias(f"{c}_after") for c in metrics.LOAD_COLUMNS])
    per_unit = a.load.join(after, on="unit_id", how="left")
    rows = []
    for metric in ("steering_signals", "reporting_occasions_per_year"):
        name = label("metric", metric, lang)
        rows.append(
            per_unit.select(
                unit=pl.col("unit") + pl.lit(f" – {name}"),
                before=pl.col(metric),
                after=pl.col(f"{metric}_after").fill_null(0),
            ).with_columns(change=pl.col("after") - pl.col("before"))
        )
    frame = pl.concat(
        [
            totals.with_columns(pl.lit(t("rep.total", lang) + " – ") + pl.col("unit")),
            *[r.cast({"before": pl.Int64, "after": pl.Int64, "change": pl.Int64}) for r in rows],
        ]
    )
    columns = (
        Column("unit", t("rep.col.unit", lang) + " / " + t("rep.col.metric", lang), LONG_TEXT),
        Column("before", t("rep.col.before", lang), INT),
        Column("after", t("rep.col.after", lang), INT),
        Column("change", t("rep.col.change", lang), INT),
    )
    return ReportTable(
        "scenario", t("rep.sheet.scenario", lang), t("rep.desc.scenario", lang), columns, frame
    )


DEFINED_METRICS = (*metrics.LOAD_COLUMNS, "orphan_indicators")


def definitions_table(lang: str = "sv") -> ReportTable:
    names = [label("metric", k, lang) for k in DEFINED_METRICS]
    texts = [t(f"def.{k}", lang) for k in DEFINED_METRICS]
    names += [t("rep.col.overlap_share", lang), t("rep.overview.totals", lang)]
    texts += [t("def.overlap_share", lang), t("def.totals", lang)]
    return ReportTable(
        "definitions",
        t("rep.sheet.definitions", lang),
        t("rep.desc.definitions", lang),
        (
            Column("metric", t("rep.col.metric", lang)),
            Column("definition", t("rep.col.definition", lang), LONG_TEXT),
        ),
        pl.DataFrame({"metric": names, "definition": texts}),
    )


def report_tables(a: Analyses, lang: str = "sv") -> list[ReportTable]:
    """Every table of a report, in the order they appear."""
    tables = [
        load_table(a, lang),
        goals_table(a, lang),
        indicators_table(a, lang),
        assignments_table(a, lang),
        findings_table(a, lang),
        recommendations_table(a, lang),
    ]
    scenario = scenario_table(a, lang)
    if scenario is not None:
        tables.append(scenario)
    tables.append(definitions_table(lang))
    return tables


def overview_rows(a: Analyses, lang: str = "sv") -> list[tuple[str, Any]]:
    """(item, value) pairs heading every report: the document and its totals."""
    doc = a.doc
    rows: list[tuple[str, Any]] = [(t("rep.overview.document", lang), doc.name)]
    if doc.year:
        rows.append((t("rep.overview.year", lang), doc.year))
    if doc.population:
        rows.append((t("rep.overview.population", lang), doc.population))
    if doc.info.file_name:
        rows.append((t("rep.overview.file", lang), doc.info.file_name))
    rows += [(label("metric", k, lang), int(v)) for k, v in a.totals.items()]
    return rows
