"""The tables the Minska detaljstyrning page shows, as pure polars functions.

goalload.recommend suggests, goalload.scenario applies and compares; this module shapes
their answers for a committee: the recommendations as rows to accept or reject, the
items behind one recommendation, the headline changes, the before/after bars per unit,
the goal-type mix per level and the Excel list to bring to the meeting. No Streamlit
here, so the figures on screen are the figures the tests compute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import polars as pl

from goalload.classify import GOAL_TYPES, goal_type_mix
from goalload.compare_views import signed
from goalload.formatting import format_int, format_number
from goalload.i18n import counted, label, t
from goalload.model import UNIT_LEVELS, GoalDocument
from goalload.recommend import Recommendation, changes_table
from goalload.report import INT, LONG_TEXT, TEXT, Column, ReportTable
from goalload.scenario import Rules, TimeAssumptions, apply

# The document totals in the headline, in this order (metrics.document_totals keys).
HEADLINE = (
    "goals",
    "indicators",
    "reporting_occasions_per_year",
    "steering_signals",
    "unmeasured_goals",
)
# Per-unit metrics the before/after bars can show (metrics.unit_load columns).
EVIDENCE_SHOWN = 20  # pieces of evidence listed under one recommendation
# The table of suggestions shows the start of long cells; the full text is in the detail
# below it (a large city's top suggestion names 3,221 units).
EDITOR_UNITS = 12
EDITOR_RATIONALE = 600
# Suggestions in the table at a time: a large city has 4,500, which take seconds to send
# to the browser and cannot be read in one scrolling table; the rest are a choice away.
EDITOR_PAGE_ROWS = 250
# Suggestions (or patterns) the evidence chooser offers at a time: a large city's 6,265
# suggestions were 0.5 MB sent on every rerun, its 18,198 patterns 1.5 MB and 1.5 s of
# texts built when that list was chosen; the rest are a choice of range away.
CHOOSER_ROWS = 500
# Items of the chosen suggestion listed on the page; all of them are in its Excel file
# (a large city's top merge touches 67,000 goals and links).
ITEMS_SHOWN = 300
# Goals + indicators above which hand-picking starts from one unit: a large city's 100,000
# options would be rebuilt and sent to the browser on every rerun, and are unusable in one list.
PICK_LIMIT = 2_000
BAR_METRICS = ("steering_signals", "own_goals", "indicators", "reporting_occasions_per_year")
ITEM_TYPES = ("goal", "indicator", "link", "assignment")
ACTIONS = (
    "remove",
    "keep",
    "move",
    "keep_shared",
    "merge",
    "move_to_operational_plan",
    "measure_or_remove",
    "report_once",
    "replace",
    "unlink",
    "set_frequency",
    "make_joint",
    "remove_owner",
    "handled_elsewhere",
)
EDITOR_SCHEMA = {
    "id": pl.String,
    "accepted": pl.Boolean,
    "rank": pl.Int64,
    "title": pl.String,
    "kind": pl.String,
    "units": pl.String,
    "goals": pl.Int64,
    "indicators": pl.Int64,
    "occasions": pl.Int64,
    "rationale": pl.String,
}
HOUR_KEYS = ("kolada", "system", "survey", "manual", "unknown", "assignment_report_back")


def _can_accept(rec: Recommendation) -> bool:
    return rec.covered_by is None and not rec.changes.is_empty()


def actionable(recommendations: Iterable[Recommendation]) -> list[Recommendation]:
    """The recommendations a committee can accept: those that change something."""
    return [r for r in recommendations if _can_accept(r)]


def informational(recommendations: Iterable[Recommendation]) -> list[Recommendation]:
    """Patterns found that another recommendation already handles (effect 0)."""
    return [r for r in recommendations if not _can_accept(r)]


def split(recommendations: Sequence[Recommendation]) -> tuple[list, list, dict]:
    """(actionable, informational, id -> recommendation); the page ranks the first list
    first, then the second."""
    active: list[Recommendation] = []
    info: list[Recommendation] = []
    for r in recommendations:  # one pass: a large city has 24,000
        (active if _can_accept(r) else info).append(r)
    return active, info, {r.id: r for r in active + info}


def accepted_of(active: Sequence[Recommendation], rejected: set[str]) -> list:
    """The actionable recommendations (`active`, as actionable() or split() give them) the
    committee has not rejected, in ranked order."""
    return [r for r in active if r.id not in rejected]


def scenario_applied(
    before: GoalDocument,
    accepted: Sequence[Recommendation],
    rules: Rules,
    all_applied: tuple[Sequence[Recommendation], GoalDocument] | None = None,
) -> GoalDocument:
    """scenario.apply(before, accepted, rules). `all_applied` is (actionable
    recommendations, the document with all of them applied), as the background computed
    them: when all of them are accepted and no rule is set, that document is the answer
    and is not computed again (0.3 s of a large city's first view of Minska)."""
    if all_applied is not None and rules.is_empty():
        everything, document = all_applied
        if len(accepted) == len(everything) and {r.id for r in accepted} == {
            r.id for r in everything
        }:
            return document
    return apply(before, accepted, rules)


def editor_pages(count: int, size: int | None = None) -> list[tuple[int, int]]:
    """(first, last) rank of each page of `count` suggestions, `size` (EDITOR_PAGE_ROWS)
    at a time."""
    size = size or EDITOR_PAGE_ROWS
    return [(first, min(first + size - 1, count)) for first in range(1, count + 1, size)]


def chooser_options(
    listed: Sequence[Recommendation],
    first_rank: int,
    start: int = 1,
    size: int | None = None,
    lang: str = "sv",
) -> dict[str, str]:
    """id -> "rank. title (first unit)" of `size` (CHOOSER_ROWS) of `listed` from position
    `start` (1-based), for the evidence chooser; `listed`'s first is ranked `first_rank`.
    Only these build their texts (an informational one builds them when first read)."""
    size = size or CHOOSER_ROWS
    shown = listed[start - 1 : start - 1 + size]
    return {
        r.id: f"{format_int(rank, lang)}. {r.title} ({r.units[0] if r.units else r.id})"
        for rank, r in enumerate(shown, first_rank + start - 1)
    }


def editor_frame(
    recommendations: Sequence[Recommendation],
    rejected: set[str],
    lang: str = "sv",
    first_rank: int = 1,
) -> pl.DataFrame:
    """One row per recommendation, ranked from `first_rank`, with a tick for accepted and
    its effect."""
    rows = [
        {
            "id": r.id,
            "accepted": r.id not in rejected,
            "rank": n,
            "title": r.title,
            "kind": t(f"reduce.kind.{r.kind}", lang),
            "units": first_of(r.units, EDITOR_UNITS, lang),
            "goals": -r.effect["goals"],
            "indicators": -r.effect["indicators"],
            "occasions": -r.effect["reporting_occasions_per_year"],
            "rationale": r.rationale
            if len(r.rationale) <= EDITOR_RATIONALE
            else r.rationale[:EDITOR_RATIONALE].rstrip() + " …",
        }
        for n, r in enumerate(recommendations, first_rank)
    ]
    return pl.DataFrame(rows, schema=EDITOR_SCHEMA)


def first_of(names: Sequence[str], shown: int, lang: str = "sv") -> str:
    """ "A, B, C … och 3 218 till": a list cut after `shown` names, saying how many more."""
    text = ", ".join(names[:shown])
    if len(names) > shown:
        text += " " + t("reduce.evidence_more", lang, n=format_int(len(names) - shown, lang))
    return text


def references(ranked: Sequence[Recommendation], lang: str = "sv") -> dict[str, str]:
    """Each recommendation's id -> "2. Slå ihop 9 likalydande mål …", how the page names it.

    `ranked` is the page's order or its start: the actionable ones (split()'s first list)
    are enough to name any `covered_by`, since only an actionable recommendation changes
    what another one would, and reading the informational ones' titles builds their texts.
    """
    return {rec.id: f"{format_int(n, lang)}. {rec.title}" for n, rec in enumerate(ranked, 1)}


def reference(rec_id: str | None, ranked: Sequence[Recommendation], lang: str = "sv") -> str:
    """How the page names one other recommendation (its rank and title)."""
    return references(ranked, lang).get(rec_id, rec_id or "") if rec_id else ""


def info_frame(
    info: Sequence[Recommendation], active: Sequence[Recommendation], lang: str = "sv"
) -> pl.DataFrame:
    """Patterns another recommendation handles: what, where, and which one of `active`
    (the actionable ones, ranked) handles it."""
    named = references(active, lang)
    note = t("reduce.info_only", lang)
    return pl.DataFrame(
        {
            "title": [r.title for r in info],
            "kind": [t(f"reduce.kind.{r.kind}", lang) for r in info],
            "units": [", ".join(r.units) for r in info],
            "covered_by": [
                named.get(r.covered_by, r.covered_by) if r.covered_by else note for r in info
            ],
        },
        schema=dict.fromkeys(("title", "kind", "units", "covered_by"), pl.String),
    )


def evidence_text(rec: Recommendation, lang: str = "sv", shown: int = EVIDENCE_SHOWN) -> str:
    """The first `shown` pieces of evidence and how many more: a goal every unit has can
    bring a hundred thousand, too many to read or to send to a browser."""
    text = "; ".join(rec.evidence[:shown])
    more = len(rec.evidence) - shown
    if more > 0:
        text += " " + t("reduce.evidence_more", lang, n=format_int(more, lang))
    return text


def needs_unit_for_picks(doc: GoalDocument) -> bool:
    """Whether goals and indicators to remove by hand are chosen one unit at a time."""
    return doc.goals.height + doc.indicators.height > PICK_LIMIT


def pick_options(
    doc: GoalDocument, unit_id: str | None, rules: Rules
) -> tuple[dict[str, str], dict[str, str]]:
    """Goals and indicators offered for removal by hand: id -> text.

    All of them, or with `unit_id` the unit's own goals and the indicators it owns or
    that measure its goals; those already removed are always offered, so choosing
    another unit keeps them.
    """
    goals, indicators = doc.goals, doc.indicators
    if unit_id is not None:
        own = doc.goal_owners.filter(pl.col("unit_id") == unit_id)["goal_id"].implode()
        linked = doc.goal_indicators.filter(pl.col("goal_id").is_in(own))["indicator_id"].implode()
        goals = goals.filter(
            pl.col("goal_id").is_in(own) | pl.col("goal_id").is_in(list(rules.removed_goals))
        )
        indicators = indicators.filter(
            (pl.col("owner_id") == unit_id).fill_null(False)
            | pl.col("indicator_id").is_in(linked)
            | pl.col("indicator_id").is_in(list(rules.removed_indicators))
        )
    return (
        dict(zip(goals["goal_id"], goals["text"], strict=True)),
        dict(zip(indicators["indicator_id"], indicators["name"], strict=True)),
    )


def rejected_after_edit(shown: pl.DataFrame, edited: pl.DataFrame, rejected: set[str]) -> set[str]:
    """The rejected ids after a person ticked or unticked rows of the editor.

    Rows not shown (filtered away) keep their choice.
    """
    result = set(rejected) - set(shown["id"].to_list())
    ticks = dict(zip(shown["id"].to_list(), edited["accepted"].to_list(), strict=True))
    return result | {i for i, ok in ticks.items() if not ok}


def items_frame(rec: Recommendation, lang: str = "sv", limit: int | None = None) -> pl.DataFrame:
    """The goals, indicators, links and assignments a recommendation touches, as read
    (the first `limit` of them)."""
    rows = []
    for item in rec.items[:limit]:
        action = item.get("action") or "handled_elsewhere"
        what = t(f"reduce.action.{action}", lang) if action in ACTIONS else action
        if item.get("handled_by"):
            what = f"{what} ({item['handled_by']})"
        if item.get("new_frequency"):
            what = f"{what}: {label('frequency', item['new_frequency'], lang).lower()}"
        kind = item.get("type") or ""
        details = []
        if item.get("frequency"):
            details.append(label("frequency", item["frequency"], lang))
        if item.get("source"):
            details.append(str(item["source"]))
        if item.get("lead"):
            details.append(t("reduce.lead", lang, unit=item["lead"]))
        rows.append(
            {
                "type": t(f"reduce.item.{kind}", lang) if kind in ITEM_TYPES else kind,
                "id": item.get("id") or "",
                "text": item.get("text") or "",
                "units": ", ".join(item.get("units") or []),
                "details": ", ".join(details),
                "action": what,
            }
        )
    return pl.DataFrame(
        rows, schema=dict.fromkeys(("type", "id", "text", "units", "details", "action"), pl.String)
    )


def items_workbook(rec: Recommendation, lang: str = "sv") -> bytes:
    """Every item of one recommendation as an Excel sheet, for the lists too long to show."""
    from goalload.export_xlsx import new_workbook, table_sheet, workbook_bytes
    from goalload.report import LONG_TEXT, TEXT, Column, ReportTable

    frame = items_frame(rec, lang)
    columns = tuple(
        Column(c, t(f"reduce.it.{c}", lang), LONG_TEXT if c == "text" else TEXT)
        for c in frame.columns
    )
    wb = new_workbook()
    table_sheet(wb, ReportTable("items", t("reduce.items_sheet", lang), rec.title, columns, frame))
    return workbook_bytes(wb)


def effect_line(effect: dict[str, int], lang: str = "sv") -> str:
    """ "−6 mål, −1 indikator, −132 rapporteringstillfällen per år" for one recommendation."""

    def removed(key: str, noun: str) -> str:
        return counted(effect[key], noun, lang, signed(-effect[key], lang))

    return t(
        "reduce.effect_line",
        lang,
        goals=removed("goals", "goal"),
        indicators=removed("indicators", "indicator"),
        occasions=removed("reporting_occasions_per_year", "occasion"),
    )


def deltas(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """after − before for every document total: negative is load removed."""
    return {k: after[k] - before[k] for k in before}


def headline(change: dict[str, int], lang: str = "sv") -> str:
    """ "−34 mål, −1 120 rapporteringstillfällen per år": what the committee would remove."""
    return t(
        "reduce.headline",
        lang,
        goals=signed(change["goals"], lang),
        occasions=signed(change["reporting_occasions_per_year"], lang),
    )


def before_after(comparison: pl.DataFrame, metric: str, n: int = 15) -> pl.DataFrame:
    """The n units whose `metric` drops most (ties: the largest first), before and after.

    Only units that change, unless none does: then the n largest, so the chart still
    shows where the load is. `comparison` is scenario.compare(before, after); its total
    row is left out.
    """
    units = comparison.filter(pl.col("unit_id").is_not_null())
    if units.filter(pl.col(f"{metric}_delta") != 0).height:
        units = units.filter(pl.col(f"{metric}_delta") != 0)
    return (
        units.select(
            "unit_id",
            "unit",
            "level",
            pl.col(f"{metric}_before").alias("before"),
            pl.col(f"{metric}_after").alias("after"),
            pl.col(f"{metric}_delta").alias("delta"),
        )
        .sort(["delta", "before", "unit"], descending=[False, True, False])
        .head(n)
    )


def type_mix(doc: GoalDocument) -> pl.DataFrame:
    """Goals per owner level and goal type, with each type's share of the level.

    Levels in the organisation's order (council first), every type present as a column
    of the long table so the bars of every level add up to 100 %.
    """
    mix = goal_type_mix(doc)
    levels = [lvl for lvl in UNIT_LEVELS if lvl in set(mix["level"].to_list())]
    grid = pl.DataFrame(
        {
            "level": [lvl for lvl in levels for _ in GOAL_TYPES],
            "goal_type": [gt for _ in levels for gt in GOAL_TYPES],
        },
        schema={"level": pl.String, "goal_type": pl.String},
    )
    return (
        grid.join(mix, on=["level", "goal_type"], how="left")
        .with_columns(pl.col("goals").fill_null(0))
        .with_columns(
            (pl.col("goals") / pl.col("goals").sum().over("level")).fill_nan(0).alias("share")
        )
    )


def hours_table(estimate: dict[str, Any], lang: str = "sv") -> pl.DataFrame:
    """Occasions and hours per year by source before and after (scenario.time_estimate)."""
    before, after = estimate["before"], estimate["after"]
    rows = []
    for key in HOUR_KEYS:
        source = "assignments" if key == "assignment_report_back" else key
        rows.append(
            {
                "source": t(f"reduce.hours.{key}", lang),
                "per_occasion": format_number(estimate["assumptions"][key], lang, 2),
                "occasions_before": format_int(before["occasions"][source], lang),
                "occasions_after": format_int(after["occasions"][source], lang),
                "hours_before": format_int(before["hours"][source], lang),
                "hours_after": format_int(after["hours"][source], lang),
            }
        )
    return pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))


def assumptions_from(values: dict[str, float]) -> TimeAssumptions:
    return TimeAssumptions(**{k: float(values[k]) for k in HOUR_KEYS if k in values})


def _summary_rows(
    doc_name: str,
    before: dict[str, int],
    after: dict[str, int],
    accepted: int,
    goal_cap: int | None,
    rules: Rules,
    lang: str,
) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        (t("reduce.xlsx.document", lang), doc_name),
        (t("reduce.xlsx.date", lang), date.today().isoformat()),
        (t("reduce.xlsx.accepted", lang), accepted),
        (
            t("reduce.goal_cap", lang),
            goal_cap if goal_cap is not None else t("reduce.no_cap", lang),
        ),
        (
            t("reduce.max_frequency", lang),
            label("frequency", rules.max_frequency, lang)
            if rules.max_frequency
            else t("reduce.no_limit", lang),
        ),
        (t("reduce.removed_goals", lang), ", ".join(sorted(rules.removed_goals)) or "–"),
        (t("reduce.removed_indicators", lang), ", ".join(sorted(rules.removed_indicators)) or "–"),
    ]
    for key in HEADLINE:
        name = label("metric", key, lang)
        rows.append((t("reduce.xlsx.before", lang, metric=name), before[key]))
        rows.append((t("reduce.xlsx.after", lang, metric=name), after[key]))
    return rows


CHANGE_COLUMNS = (
    ("recommendation_id", "reduce.col.id", TEXT),
    ("kind", "reduce.col.kind", TEXT),
    ("title", "reduce.col.title", TEXT),
    ("item_type", "reduce.col.item_type", TEXT),
    ("item_id", "reduce.col.item_id", TEXT),
    ("text", "reduce.col.text", LONG_TEXT),
    ("units", "reduce.col.units", TEXT),
    ("action", "reduce.col.action", TEXT),
    ("goals_removed", "reduce.col.goals_removed", INT),
    ("indicators_removed", "reduce.col.indicators_removed", INT),
    ("reporting_occasions_removed", "reduce.col.occasions_removed", INT),
    ("rationale", "reduce.col.rationale", LONG_TEXT),
)


def changes_list(recommendations: Sequence[Recommendation], lang: str = "sv") -> pl.DataFrame:
    """recommend.changes_table with kinds, item types and actions as a reader reads them."""
    table = changes_table(recommendations)
    kinds = {k: t(f"reduce.kind.{k}", lang) for k in table["kind"].unique().to_list()}
    types = {k: t(f"reduce.item.{k}", lang) for k in ITEM_TYPES}
    actions = {k: t(f"reduce.action.{k}", lang) for k in ACTIONS}
    return table.with_columns(
        pl.col("kind").replace(kinds),
        pl.col("item_type").replace(types),
        pl.col("action").replace(actions),
    )


def changes_xlsx(
    doc_name: str,
    recommendations: Sequence[Recommendation],
    before: dict[str, int],
    after: dict[str, int],
    *,
    goal_cap: int | None,
    rules: Rules,
    lang: str = "sv",
) -> bytes:
    """The accepted changes as a workbook: a summary sheet, then one row per item.

    Written with goalload.export_xlsx's cells, so user text can never become a formula.
    """
    # The report's cells and styles: text never becomes a formula, numbers get "1 234".
    from goalload import export_xlsx as xl

    wb = xl.new_workbook()
    ws = wb.create_sheet(t("reduce.xlsx.summary", lang)[:31])
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 60
    ws.append([xl.text_cell(ws, t("reduce.xlsx.title", lang), xl.TITLE_STYLE)])
    ws.append([])
    ws.append(xl.header_cells(ws, [t("reduce.xlsx.item", lang), t("reduce.xlsx.value", lang)]))
    for name, value in _summary_rows(
        doc_name, before, after, len(recommendations), goal_cap, rules, lang
    ):
        kind = INT if isinstance(value, int) else TEXT
        ws.append([xl.text_cell(ws, name), xl.value_cell(ws, value, kind)])
    table = ReportTable(
        key="changes",
        title=t("reduce.xlsx.changes", lang),
        description="",
        columns=tuple(Column(key, t(header, lang), kind) for key, header, kind in CHANGE_COLUMNS),
        frame=changes_list(recommendations, lang),
        note=None if recommendations else t("reduce.xlsx.none", lang),
    )
    xl.table_sheet(wb, table)
    return xl.workbook_bytes(wb)
