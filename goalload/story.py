"""The slide story a controller takes to a committee: five steps, one chart each.

overview → load per unit → indicator burden → overlap → what could be reduced.
Each slide has a headline computed from the data ("Tolv av 51 enheter bär 52 % av alla
styrsignaler"), one chart, a one-line caption on how to read it and speaker notes that
explain the figure and its caveats. Presentation mode, the PowerPoint deck and the HTML
report all show these slides, so they say the same thing.

Charts come from goalload.charts where one exists; the overlap and before/after charts
are built here in the same style. A step whose analysis is not in this build (overlap,
recommendations) gets a slide that says so plainly, without a chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from goalload import charts, summary, views
from goalload.formatting import format_decimal, format_int, format_percent
from goalload.i18n import counted, label, t
from goalload.model import GoalDocument
from goalload.report import EFFECT_KEYS, Analyses, analyse, goal_flags

STEPS: tuple[str, ...] = ("overview", "load", "indicators", "overlap", "reduce")
TOP_UNITS = 10  # bars on a slide: readable from the back of the room
MAX_TOP_UNITS = 15
SLIDE_HEIGHT = 620  # pixels: one chart fills a 1080p screen under the headline
REDUCE_PARTS = EFFECT_KEYS  # what a reduction removes, as goalload.recommend counts it


@dataclass(frozen=True)
class Slide:
    """One step of the story. `figure` is None when the step's analysis is missing."""

    key: str
    title: str  # the step's name ("Överlapp")
    headline: str  # a plain sentence computed from the data, no full stop
    figure: go.Figure | None
    caption: str  # one line: how to read the chart
    speaker_notes: str  # what the figure shows and its caveats

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "headline": self.headline,
            "figure": self.figure,
            "caption": self.caption,
            "speaker_notes": self.speaker_notes,
        }


def _sentence(text: str) -> str:
    """A summary sentence as a headline: no trailing full stop."""
    return text.rstrip().rstrip(".")


def _slide_height(fig: go.Figure) -> go.Figure:
    """A chart sized for a slide (charts.style keeps bar labels upright)."""
    fig.update_layout(height=SLIDE_HEIGHT)
    return fig


def _unavailable(key: str, what_key: str, lang: str) -> Slide:
    what = t(what_key, lang)
    return Slide(
        key,
        t(f"story.step.{key}", lang),
        t("story.unavailable.headline", lang, what=what),
        None,
        t("story.unavailable.caption", lang, what=what),
        t("story.unavailable.notes", lang, what=what),
    )


def overview_slide(a: Analyses, lang: str = "sv") -> Slide:
    totals = a.totals
    fig = charts.org_treemap(views.org_tree(a.doc, a.load), lang)
    headline = t(
        "story.overview.headline",
        lang,
        name=a.doc.name,
        goals=counted(totals["goals"], "goal", lang),
        indicators=counted(totals["indicators"], "indicator", lang),
        assignments=counted(totals["assignments"], "assignment", lang),
    )
    notes = t(
        "story.overview.notes",
        lang,
        units=format_int(totals["units"], lang),
        signals=format_int(totals["steering_signals"], lang),
        occasions=format_int(totals["reporting_occasions_per_year"], lang),
    )
    return Slide(
        "overview",
        t("story.step.overview", lang),
        headline,
        _slide_height(fig),
        t("story.overview.caption", lang),
        notes,
    )


def _concentration_count(load: pl.DataFrame, metric: str) -> int | None:
    """How many units carry half of `metric` (what summary.concentration says)."""
    values = load[metric].fill_null(0).sort(descending=True)
    total = values.sum()
    if total <= 0:
        return None
    shares = (values.cum_sum() / total).to_list()
    return next(i + 1 for i, s in enumerate(shares) if s >= 0.5)


def load_slide(a: Analyses, lang: str = "sv") -> Slide:
    load = a.load
    insight = summary.concentration(load, "steering_signals", lang)
    n = TOP_UNITS
    if insight is not None:
        headline = _sentence(insight.text)
        # Show at least the units the headline talks about.
        n = min(max(TOP_UNITS, _concentration_count(load, "steering_signals") or 0), MAX_TOP_UNITS)
    top = views.top_units(load, "steering_signals", n)
    if insight is None:
        first = top.row(0, named=True) if top.height else {"unit": a.doc.name, "steering_signals": 0}
        headline = t(
            "story.load.headline_top",
            lang,
            unit=first["unit"],
            value=format_int(first["steering_signals"], lang),
        )
    fig = charts.load_bars(top, lang)
    notes = t(
        "story.load.notes",
        lang,
        n=format_int(top.height, lang),
        total=format_int(load.height, lang),
    )
    return Slide(
        "load",
        t("story.step.load", lang),
        headline,
        _slide_height(fig),
        t("story.load.caption", lang, n=format_int(top.height, lang)),
        notes,
    )


def indicators_slide(a: Analyses, lang: str = "sv") -> Slide:
    doc = a.doc
    long = views.indicator_occasions(doc, "frequency")
    units = views.units_by_occasions(long, a.load).head(TOP_UNITS)
    occasions = int(long["occasions"].sum())
    frequent = int(long.filter(pl.col("category").is_in(list(summary.FREQUENT)))["occasions"].sum())
    insight = summary.concentration(a.load, "indicators", lang)
    if insight is not None:
        headline = _sentence(insight.text)
    elif occasions and frequent / occasions >= summary.FREQUENT_SHARE:
        share = format_percent(frequent / occasions, lang, 0)
        headline = t("story.indicators.headline_frequent", lang, share=share)
    else:
        headline = t(
            "story.indicators.headline_plain", lang, occasions=format_int(occasions, lang)
        )
    fig = charts.occasions_by_frequency(long, units, lang)
    kolada = int((doc.indicators["source_kind"] == "kolada").sum())
    notes = t(
        "story.indicators.notes",
        lang,
        occasions=format_int(occasions, lang),
        kolada=format_int(kolada, lang),
        indicators=format_int(doc.indicators.height, lang),
    )
    return Slide(
        "indicators",
        t("story.step.indicators", lang),
        headline,
        _slide_height(fig),
        t("story.indicators.caption", lang, n=format_int(units.height, lang)),
        notes,
    )


def overlap_by_unit(doc: GoalDocument, overlap) -> pl.DataFrame:
    """Per unit: own goals restating a parent, and other own goals resembling another unit's.

    The two counts do not overlap (a goal that does both counts as restating its parent),
    so they stack to `flagged`. Columns unit_id, unit, parent, duplicate, pass_through,
    flagged; units with any, most first.
    """
    flags = goal_flags(doc, overlap, similar=False)
    owned = doc.goal_owners.join(flags, on="goal_id", how="inner")
    names = doc.units.select("unit_id", unit="name", parent_id="parent_id")
    parents = doc.units.select(parent_id="unit_id", parent="name")
    return (
        owned.group_by("unit_id")
        .agg(
            duplicate=(pl.col("duplicate") & ~pl.col("pass_through")).sum().cast(pl.Int64),
            pass_through=pl.col("pass_through").sum().cast(pl.Int64),
            flagged=(pl.col("duplicate") | pl.col("pass_through")).sum().cast(pl.Int64),
        )
        .filter(pl.col("flagged") > 0)
        .join(names, on="unit_id", how="left")
        .join(parents, on="parent_id", how="left")
        .sort(["flagged", "unit"], descending=[True, False])
        .select("unit_id", "unit", "parent", "duplicate", "pass_through", "flagged")
    )


def overlap_bars(per_unit: pl.DataFrame, lang: str = "sv") -> go.Figure:
    """Stacked bars per unit: goals like another unit's, goals restating their parent."""
    names = charts.unit_labels(per_unit)
    fig = go.Figure()
    parts = (
        ("duplicate", charts.OKABE_ITO["vermillion"]),
        ("pass_through", charts.OKABE_ITO["sky_blue"]),
    )
    for part, colour in parts:
        name = t(f"story.overlap.{part}", lang)
        fig.add_bar(
            y=names,
            x=per_unit[part].to_list(),
            name=name,
            orientation="h",
            marker_color=colour,
            texttemplate="%{x:,}",
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}<br>" + name + ": %{x:,}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=t("axis.count", lang))
    return charts.style(fig, t("story.overlap.title", lang), lang, SLIDE_HEIGHT)


def overlap_slide(a: Analyses, lang: str = "sv") -> Slide:
    if a.overlap is None:
        return _unavailable("overlap", "rep.what.overlap", lang)
    doc = a.doc
    flags = goal_flags(doc, a.overlap, similar=False)
    flagged = flags.filter(pl.col("duplicate") | pl.col("pass_through")).height
    total = doc.goals.height
    if flagged:
        headline = t(
            "story.overlap.headline",
            lang,
            count=format_int(flagged, lang),
            total=format_int(total, lang),
        )
    else:
        headline = t("story.overlap.headline_none", lang)
    per_unit = overlap_by_unit(doc, a.overlap).head(TOP_UNITS)
    notes = t(
        "story.overlap.notes",
        lang,
        threshold=format_decimal(a.overlap.threshold, lang, 2),
        duplicates=format_int(int(flags["duplicate"].sum()), lang),
        pass_through=format_int(int(flags["pass_through"].sum()), lang),
    )
    return Slide(
        "overlap",
        t("story.step.overlap", lang),
        headline,
        overlap_bars(per_unit, lang),
        t("story.overlap.caption", lang),
        notes,
    )


def before_after_bars(before: dict, after: dict, lang: str = "sv") -> go.Figure:
    """One small panel per metric, before and after side by side (each on its own scale)."""
    # "Rapporteringar per år": the metric's full name does not fit a quarter of a slide.
    titles = [
        t("col.yearly_reports", lang) if p == "reporting_occasions_per_year" else label("metric", p, lang)
        for p in REDUCE_PARTS
    ]
    fig = make_subplots(rows=1, cols=len(REDUCE_PARTS), subplot_titles=titles, horizontal_spacing=0.07)
    names = (t("rep.col.before", lang), t("rep.col.after", lang))
    colours = (charts.OKABE_ITO["grey"], charts.OKABE_ITO["blue"])
    for col, part in enumerate(REDUCE_PARTS, start=1):
        values = [int(before.get(part, 0)), int(after.get(part, 0))]
        change = values[1] - values[0]
        texts = [format_int(values[0], lang), format_int(values[1], lang)]
        if change:
            texts[1] += f" ({format_signed(change, lang)})"
        fig.add_bar(
            x=list(names),
            y=values,
            text=texts,
            marker_color=list(colours),
            texttemplate="%{text}",
            textposition="outside",
            cliponaxis=False,
            showlegend=False,
            hovertemplate="%{x}: %{y:,}<extra></extra>",
            row=1,
            col=col,
        )
        fig.update_yaxes(range=[0, max(values + [1]) * 1.18], showticklabels=False, row=1, col=col)
    fig = charts.style(fig, t("story.reduce.title", lang), lang, SLIDE_HEIGHT)
    fig.update_annotations(font={"size": charts.FONT_SIZE + 2})
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(showgrid=False)
    return fig


def format_signed(value: int, lang: str = "sv") -> str:
    """−122 / +12: a change with its sign (Swedish uses the real minus sign)."""
    return ("+" if value > 0 else "") + format_int(value, lang)


# What a removed part is counted in: "1 indikator", "3 rapporteringstillfällen per år".
_PART_NOUNS = {
    "goals": "goal",
    "indicators": "indicator",
    "assignments": "assignment",
    "reporting_occasions_per_year": "occasion",
}


def _removed_parts(before: dict, after: dict, lang: str) -> list[str]:
    parts = []
    for part in REDUCE_PARTS:
        removed = int(before.get(part, 0)) - int(after.get(part, 0))
        if removed > 0:
            parts.append(counted(removed, _PART_NOUNS[part], lang))
    return parts


def _join(parts: list[str], lang: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + t("story.and", lang) + parts[-1]


def reduce_slide(a: Analyses, lang: str = "sv") -> Slide:
    if a.after_totals is None:
        return _unavailable("reduce", "rep.what.recommendations", lang)
    before, after = a.totals, a.after_totals
    scenario = a.has_scenario
    who = t("story.reduce.who_scenario" if scenario else "story.reduce.who_all", lang)
    what = t("story.reduce.what_scenario" if scenario else "story.reduce.what_all", lang)
    # Two parts at most: a headline is read in one breath.
    parts = _removed_parts(before, after, lang)[:2]
    if parts:
        headline = t("story.reduce.headline", lang, who=who, parts=_join(parts, lang))
    else:
        headline = t("story.reduce.headline_none", lang, who=who)

    def n(totals: dict, key: str) -> str:
        return format_int(totals.get(key, 0), lang)

    notes = t(
        "story.reduce.notes",
        lang,
        what=what,
        g0=n(before, "goals"),
        g1=n(after, "goals"),
        i0=n(before, "indicators"),
        i1=n(after, "indicators"),
        a0=n(before, "assignments"),
        a1=n(after, "assignments"),
        o0=n(before, "reporting_occasions_per_year"),
        o1=n(after, "reporting_occasions_per_year"),
    )
    return Slide(
        "reduce",
        t("story.step.reduce", lang),
        headline,
        before_after_bars(before, after, lang),
        t("story.reduce.caption", lang, what=what),
        notes,
    )


def build_story(
    source: GoalDocument | Analyses, lang: str = "sv", *, scenario: GoalDocument | None = None
) -> list[Slide]:
    """The five slides, in order. Pass Analyses when they are already computed."""
    a = source if isinstance(source, Analyses) else analyse(source, scenario)
    return [
        overview_slide(a, lang),
        load_slide(a, lang),
        indicators_slide(a, lang),
        overlap_slide(a, lang),
        reduce_slide(a, lang),
    ]


def with_scenario_slide(slides: list[Slide], a: Analyses, lang: str = "sv") -> list[Slide]:
    """The story with its last step redone for `a`'s scenario; no other step depends on it."""
    return [reduce_slide(a, lang) if s.key == "reduce" else s for s in slides]


SCREEN_FONT = 24  # presentation mode: read from the back of a meeting room
SCREEN_HEIGHT = 680


def screen_figure(fig: go.Figure, height: int = SCREEN_HEIGHT) -> go.Figure:
    """A copy of a slide's chart for presentation mode: larger text, no title.

    On screen the slide's headline stands above the chart, so the chart's own title
    would say it twice; downloads and the PowerPoint keep the title.
    """
    out = go.Figure(fig)
    out.update_layout(
        title={"text": ""},
        height=height,
        font={"size": SCREEN_FONT},
        legend={"font": {"size": SCREEN_FONT}},
        hoverlabel={"font": {"size": SCREEN_FONT}},
        margin={"t": 60},
    )
    out.update_annotations(font={"size": SCREEN_FONT + 2})  # subplot titles
    out.update_traces(textfont={"size": SCREEN_FONT - 2}, selector={"type": "bar"})
    out.update_traces(textfont={"size": SCREEN_FONT}, selector={"type": "treemap"})
    return out
