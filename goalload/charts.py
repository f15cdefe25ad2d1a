"""Plotly figures from the metric tables, styled once for the whole app.

One colour-blind-safe palette (Okabe & Ito), large fonts that read from the back of a
meeting room, titles and axis labels in the chosen language, Swedish number separators.
Every function takes an already aggregated table (goalload.metrics / goalload.views), so a
figure holds one bar or box per unit and stays small however large the document is.
User text (unit names, goal texts) is escaped, because plotly renders <b>, <a> and
entities in labels.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from goalload.formatting import PLOTLY_SEPARATORS, escape_plotly, format_int, shorten
from goalload.i18n import label, t
from goalload.views import FREQUENCY_ORDER

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#8C8C8C",
}
# The order categories get colours in; yellow last, it is faint on a white projector screen.
PALETTE: tuple[str, ...] = tuple(
    OKABE_ITO[c]
    for c in ("blue", "orange", "green", "vermillion", "sky_blue", "purple", "yellow", "black")
)
METRIC_COLOURS = {
    "own_goals": OKABE_ITO["blue"],
    "received_goals": OKABE_ITO["sky_blue"],
    "indicators": OKABE_ITO["orange"],
    "assignments": OKABE_ITO["green"],
}
# Hot colours for frequent reporting, cool for yearly.
FREQUENCY_COLOURS = {
    "week": OKABE_ITO["purple"],
    "month": OKABE_ITO["vermillion"],
    "quarter": OKABE_ITO["orange"],
    "tertial": OKABE_ITO["yellow"],
    "half_year": OKABE_ITO["sky_blue"],
    "year": OKABE_ITO["blue"],
    "unknown": OKABE_ITO["grey"],
}
# Costly sources hot, automatic ones cool.
SOURCE_COLOURS = {
    "manual": OKABE_ITO["vermillion"],
    "survey": OKABE_ITO["orange"],
    "system": OKABE_ITO["sky_blue"],
    "kolada": OKABE_ITO["green"],
    "unknown": OKABE_ITO["grey"],
}
LEVEL_COLOURS = {
    "council": OKABE_ITO["blue"],
    "board": OKABE_ITO["sky_blue"],
    "committee": OKABE_ITO["orange"],
    "company": OKABE_ITO["purple"],
    "administration": OKABE_ITO["green"],
    "unit": OKABE_ITO["yellow"],
}
# Single-hue sequential scale (light to dark blue): readable by everyone and in greyscale.
SEQUENTIAL = [[0.0, "#F2F7FB"], [0.5, "#6BAED6"], [1.0, "#08306B"]]

FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Segoe UI", Arial, sans-serif'  # Streamlit's font
FONT_SIZE = 18
TITLE_SIZE = 24
TEXT_COLOUR = "#1A1A1A"
BAR_HEIGHT = 38  # pixels per unit in horizontal bar charts


def relayout(fig: go.Figure, **values: Any) -> go.Figure:
    """fig.update_layout(**values) in a fifth of the time: plotly's relayout sets each
    property whole, where update_layout walks every leaf through its validators (15 ms
    of each chart's 25 ms). A dict value is merged into what the property holds, as
    update_layout merges it."""
    merged = {}
    for key, value in values.items():
        if isinstance(value, dict):
            value = _merged(fig.layout[key].to_plotly_json(), value)
        merged[key] = value
    fig.plotly_relayout(merged)
    return fig


def _merged(current: dict, update: dict) -> dict:
    """`update` laid over `current`, nested dicts merged key by key."""
    out = dict(current)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            value = _merged(out[key], value)
        out[key] = value
    return out


def style(fig: go.Figure, title: str, lang: str, height: int = 480) -> go.Figure:
    """The app's look: title, fonts, separators, white background, legend on top,
    numbers in bars upright."""
    relayout(
        fig,
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOUR},
        separators=PLOTLY_SEPARATORS["en" if lang == "en" else "sv"],
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 10, "r": 30, "t": 110, "b": 60},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "left",
            "x": 0,
            "font": {"size": FONT_SIZE},
            "title": {"text": ""},
            "traceorder": "normal",
        },
        hoverlabel={"font": {"size": FONT_SIZE}},
        uniformtext={"mode": "hide", "minsize": 14},
    )
    # Numbers in bars read upright: plotly turns a number sideways in a thin bar (the
    # "auto" angle); upright, a number too wide for its segment is hidden instead.
    fig.update_traces(textangle=0, selector={"type": "bar"})
    fig.update_xaxes(gridcolor="#DDDDDD", zerolinecolor="#999999", automargin=True)
    fig.update_yaxes(gridcolor="#DDDDDD", automargin=True)
    return fig


def unit_labels(
    frame: pl.DataFrame, name: str = "unit", parent: str | None = "parent"
) -> list[str]:
    """Unit names made unique for a category axis ("Förvaltning (Socialnämnden)").

    Two units can share a name; plotly would merge their bars into one.
    """
    names = frame[name].fill_null("?").to_list()
    parents = frame[parent].to_list() if parent and parent in frame.columns else [None] * len(names)
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    result = [
        f"{n} ({p})" if counts[n] > 1 and p else n for n, p in zip(names, parents, strict=True)
    ]
    seen: dict[str, int] = {}
    unique = []
    for text in result:
        seen[text] = seen.get(text, 0) + 1
        unique.append(text if seen[text] == 1 else f"{text} [{seen[text]}]")
    return [escape_plotly(shorten(u, 48)) for u in unique]


def _bar_height(n: int) -> int:
    return max(360, 170 + BAR_HEIGHT * n)


def load_bars(
    load: pl.DataFrame,
    lang: str = "sv",
    parts: tuple[str, ...] = ("own_goals", "indicators", "assignments"),
    title: str | None = None,
) -> go.Figure:
    """Stacked horizontal bars per unit: one segment per part, largest unit on top.

    `load` is goalload.metrics.unit_load (or a filtered, top-N slice of it), in the order
    the bars should appear from the top.
    """
    names = unit_labels(load)
    fig = go.Figure()
    for part in parts:
        values = load[part].fill_null(0).to_list()
        fig.add_bar(
            y=names,
            x=values,
            name=label("metric", part, lang),
            orientation="h",
            marker_color=METRIC_COLOURS.get(part),
            text=values,
            textposition="inside",
            insidetextanchor="middle",
            texttemplate="%{x:,}",
            hovertemplate="%{y}<br>" + label("metric", part, lang) + ": %{x:,}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=t("axis.count", lang))
    return style(fig, title or t("load.bars_title", lang), lang, _bar_height(load.height))


def _category_bars(
    long: pl.DataFrame,
    order: tuple[str, ...],
    kind: str,
    colours: dict[str, str],
    title: str,
    lang: str,
    units: pl.DataFrame,
) -> go.Figure:
    """Stacked bars of occasions per unit and category, units in the order of `units`."""
    names = unit_labels(units)
    label_of = dict(zip(units["unit_id"], names, strict=True))
    fig = go.Figure()
    for category in order:
        part = long.filter(pl.col("category") == category)
        if part.height == 0:
            continue
        values = dict(zip(part["unit_id"], part["occasions"], strict=True))
        xs = [values.get(uid, 0) for uid in units["unit_id"]]
        fig.add_bar(
            y=names,
            x=xs,
            name=label(kind, category, lang),
            orientation="h",
            marker_color=colours.get(category),
            texttemplate="%{x:,}",
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}<br>" + label(kind, category, lang) + ": %{x:,}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(
        autorange="reversed",
        title=None,
        categoryorder="array",
        categoryarray=list(label_of.values()),
    )
    fig.update_xaxes(title=t("axis.occasions", lang))
    return style(fig, title, lang, _bar_height(units.height))


def occasions_by_frequency(long: pl.DataFrame, units: pl.DataFrame, lang: str = "sv") -> go.Figure:
    """Reporting occasions per year per unit, stacked by frequency (views.indicator_occasions)."""
    return _category_bars(
        long,
        FREQUENCY_ORDER,
        "frequency",
        FREQUENCY_COLOURS,
        t("ind.frequency_title", lang),
        lang,
        units,
    )


def occasions_by_source(long: pl.DataFrame, units: pl.DataFrame, lang: str = "sv") -> go.Figure:
    """Reporting occasions per year per unit, stacked by source kind."""
    order = tuple(SOURCE_COLOURS)
    return _category_bars(
        long, order, "source_kind", SOURCE_COLOURS, t("ind.source_title", lang), lang, units
    )


def frequency_heatmap(matrix: pl.DataFrame, lang: str = "sv") -> go.Figure:
    """Unit × frequency heatmap of indicator counts (views.frequency_matrix, already sliced)."""
    # Week and unknown are rare: their columns only when some unit has them.
    columns = [f for f in FREQUENCY_ORDER if f not in ("week", "unknown") or matrix[f].sum() > 0]
    z = matrix.select(columns).to_numpy().tolist()
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[label("frequency", f, lang) for f in columns],
            y=unit_labels(matrix),
            colorscale=SEQUENTIAL,
            zmin=0,
            texttemplate="%{z:,}",
            textfont={"size": FONT_SIZE},
            hovertemplate="%{y}<br>%{x}: %{z:,}<extra></extra>",
            colorbar={"title": {"text": t("axis.count", lang)}},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", title=None, showgrid=False)
    fig.update_xaxes(side="top", title=None, showgrid=False)
    return style(fig, t("ind.heatmap_title", lang), lang, _bar_height(matrix.height))


def org_treemap(tree: pl.DataFrame, lang: str = "sv") -> go.Figure:
    """The organisation as nested boxes sized by steering signals (views.org_tree)."""
    root = "__root__"
    ids = [root, *tree["id"].to_list()]
    parents = ["", *[p or root for p in tree["parent"].to_list()]]
    names = [
        t("load.org_root", lang),
        *[escape_plotly(n or i) for n, i in zip(tree["name"], tree["id"], strict=True)],
    ]
    levels = [None, *tree["level"].to_list()]
    values = [0, *tree["value"].fill_null(0).to_list()]
    level_names = [""] + [label("level", lv, lang) if lv else "" for lv in levels[1:]]
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            parents=parents,
            labels=names,
            values=values,
            branchvalues="remainder",
            customdata=level_names,
            marker={
                "colors": [
                    "#FFFFFF",
                    *[LEVEL_COLOURS.get(lv or "", OKABE_ITO["grey"]) for lv in levels[1:]],
                ]
            },
            texttemplate="<b>%{label}</b><br>%{value:,}",
            hovertemplate="%{label} (%{customdata})<br>"
            + label("metric", "steering_signals", lang)
            + ": %{value:,}<extra></extra>",
            textfont={"size": FONT_SIZE},
            maxdepth=3,
            tiling={"pad": 4},
        )
    )
    fig = style(fig, t("load.treemap_title", lang), lang, 640)
    # Box labels shrink to fit instead of disappearing.
    fig.update_layout(margin={"t": 80}, uniformtext={"mode": False})
    return fig


def goal_sunburst(tree: pl.DataFrame, lang: str = "sv") -> go.Figure:
    """The goal hierarchy as rings: top goals inside, the goals breaking them down outside.

    `tree` is views.goal_tree; each goal counts one, so a slice's width is the number of
    goals beneath it.
    """
    root = "__root__"
    is_area = tree["goal_level"].is_null() & tree["id"].str.starts_with("area:")
    ids = [root, *tree["id"].to_list()]
    parents = ["", *[p or root for p in tree["parent"].to_list()]]
    texts = tree["text"].fill_null("").to_list()
    labels_ = [t("load.goal_root", lang), *[escape_plotly(shorten(x, 28)) for x in texts]]
    hover = [t("load.goal_root", lang), *[escape_plotly(shorten(x, 140)) for x in texts]]
    values = [0, *[0 if a else 1 for a in is_area.to_list()]]
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            parents=parents,
            labels=labels_,
            values=values,
            branchvalues="remainder",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            insidetextorientation="horizontal",
            maxdepth=3,
            textfont={"size": FONT_SIZE - 2},
        )
    )
    fig = style(fig, t("load.sunburst_title", lang), lang, 700)
    fig.update_layout(
        sunburstcolorway=list(PALETTE), extendsunburstcolors=True, uniformtext={"mode": False}
    )
    return fig


def document_bars(
    long: pl.DataFrame,
    categories: dict[str, str],
    documents: list[str],
    title: str,
    axis_title: str,
    lang: str = "sv",
    *,
    horizontal: bool = False,
    decimals: int = 0,
) -> go.Figure:
    """Grouped bars: one bar per document in each category (metric, level or unit).

    `long` is [category, document, value] (goalload.compare_views); `categories` maps
    each category to its label, in the order drawn; `documents` gives the colours'
    order (oldest year first). A unit missing from a document has no bar there.
    """
    names = [escape_plotly(shorten(name, 48)) for name in categories.values()]
    position = {code: name for code, name in zip(categories, names, strict=True)}
    number = f"%{{{'x' if horizontal else 'y'}:,.{decimals}f}}"
    fig = go.Figure()
    for index, document in enumerate(documents):
        part = long.filter((pl.col("document") == document) & pl.col("value").is_not_null())
        values = dict(zip(part["category"], part["value"], strict=True))
        shown = [code for code in categories if code in values]
        axis = [position[code] for code in shown]
        numbers = [values[code] for code in shown]
        fig.add_bar(
            x=numbers if horizontal else axis,
            y=axis if horizontal else numbers,
            name=escape_plotly(document),
            orientation="h" if horizontal else "v",
            marker_color=PALETTE[index % len(PALETTE)],
            texttemplate=number,
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{escape_plotly(document)}<br>%{{{'y' if horizontal else 'x'}}}: "
            f"{number}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargroupgap=0.05)
    category_axis = {"categoryorder": "array", "categoryarray": names, "title": None}
    if horizontal:
        fig.update_yaxes(autorange="reversed", **category_axis)
        fig.update_xaxes(title=axis_title)
        height = max(360, 170 + (BAR_HEIGHT // 2 + 6) * len(categories) * max(len(documents), 1))
    else:
        fig.update_xaxes(**category_axis)
        fig.update_yaxes(title=axis_title)
        height = 480
    return style(fig, title, lang, height)


def kolada_bars(per_unit: pl.DataFrame, lang: str = "sv", title: str | None = None) -> go.Figure:
    """Per unit: indicators Kolada already publishes (green) and those collected by hand.

    `per_unit` is goalload.kolada.per_unit_kolada (or a slice), in the order drawn.
    """
    names = unit_labels(per_unit, parent=None)
    available = per_unit["available_in_kolada"].to_list()
    by_hand = (per_unit["indicators"] - per_unit["available_in_kolada"]).to_list()
    fig = go.Figure()
    for values, key, colour in (
        (available, "kolada.in_kolada", SOURCE_COLOURS["kolada"]),
        (by_hand, "kolada.by_hand", SOURCE_COLOURS["manual"]),
    ):
        fig.add_bar(
            y=names,
            x=values,
            name=t(key, lang),
            orientation="h",
            marker_color=colour,
            texttemplate="%{x:,}",
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}<br>" + t(key, lang) + ": %{x:,}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=t("axis.indicators", lang))
    return style(fig, title or t("kolada.chart_title", lang), lang, _bar_height(per_unit.height))


# --- Minska detaljstyrning: before/after per unit and the goal-type mix per level ----------

# Activity goals high up are detail steering: the hot colour; effect goals the calm one.
GOAL_TYPE_COLOURS = {
    "activity": OKABE_ITO["vermillion"],
    "output": OKABE_ITO["orange"],
    "resource": OKABE_ITO["sky_blue"],
    "effect": OKABE_ITO["blue"],
}
BEFORE_COLOUR = "#B4B4B4"  # grey: what is there today
AFTER_COLOUR = OKABE_ITO["blue"]


def before_after_bars(
    frame: pl.DataFrame, metric_name: str, title: str, lang: str = "sv"
) -> go.Figure:
    """Per unit: the metric today (grey) and with the chosen changes (blue), side by side.

    `frame` is goalload.reduce_views.before_after (unit, before, after), in drawing order.
    """
    names = unit_labels(frame, parent=None)
    fig = go.Figure()
    for column, key, colour in (
        ("before", "reduce.before", BEFORE_COLOUR),
        ("after", "reduce.after", AFTER_COLOUR),
    ):
        fig.add_bar(
            y=names,
            x=frame[column].to_list(),
            name=t(key, lang),
            orientation="h",
            marker_color=colour,
            texttemplate="%{x:,}",
            textposition="outside",
            textfont={"size": 15},
            cliponaxis=False,
            hovertemplate="%{y}<br>" + t(key, lang) + ": %{x:,}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.22, bargroupgap=0.04)
    fig.update_yaxes(autorange="reversed", title=None, categoryorder="array", categoryarray=names)
    fig.update_xaxes(title=metric_name)
    fig = style(fig, title, lang, max(360, 170 + 2 * (BAR_HEIGHT - 6) * frame.height))
    return fig.update_layout(uniformtext={"mode": False})


def goal_type_bars(mix: pl.DataFrame, lang: str = "sv", title: str | None = None) -> go.Figure:
    """Per level (council on top): the share of its goals of each type, stacked to 100 %.

    `mix` is goalload.reduce_views.type_mix (level, goal_type, goals, share).
    """
    levels = list(dict.fromkeys(mix["level"].to_list()))
    totals = dict(mix.group_by("level").agg(pl.col("goals").sum()).iter_rows())
    names = [
        t(
            "reduce.level_goals",
            lang,
            level=label("level", lvl, lang),
            n=format_int(totals[lvl], lang),
        )
        for lvl in levels
    ]
    fig = go.Figure()
    for goal_type, colour in GOAL_TYPE_COLOURS.items():
        part = mix.filter(pl.col("goal_type") == goal_type)
        shares = dict(zip(part["level"], part["share"], strict=True))
        counts = dict(zip(part["level"], part["goals"], strict=True))
        name = t(f"reduce.type.{goal_type}", lang)
        fig.add_bar(
            y=names,
            x=[shares.get(lvl, 0) * 100 for lvl in levels],
            customdata=[counts.get(lvl, 0) for lvl in levels],
            name=name,
            orientation="h",
            marker_color=colour,
            texttemplate="%{x:.0f} %" if lang != "en" else "%{x:.0f}%",
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}<br>" + name + ": %{customdata:,} (%{x:.0f} %)<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=t("reduce.type_axis", lang), range=[0, 100])
    height = max(360, 190 + (BAR_HEIGHT + 16) * len(levels))
    return style(fig, title or t("reduce.type_title", lang), lang, height)


# --- Överlapp: shared goals between units, pass-through goals per level --------------------


def overlap_heatmap(matrix: pl.DataFrame, lang: str = "sv", title: str | None = None) -> go.Figure:
    """Unit × unit: near-duplicate goal pairs between two units (a symmetric square).

    `matrix` is goalload.overlap_views.shared_goal_matrix (unit, parent, pairs: the row).
    Zero cells and the diagonal are left blank, so the eye goes to the overlaps.
    """
    names = unit_labels(matrix)
    short = [shorten(n, 26) for n in names]
    rows = matrix["pairs"].to_list()
    z = [[(v if v and i != j else None) for j, v in enumerate(row)] for i, row in enumerate(rows)]
    text = [["" if v is None else format_int(v, lang) for v in row] for row in z]
    top = max((v for row in z for v in row if v is not None), default=1)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=short,
            y=names,
            text=text,
            texttemplate="%{text}",
            textfont={"size": FONT_SIZE},
            customdata=[names for _ in names],
            colorscale=SEQUENTIAL,
            zmin=0,
            hoverongaps=False,
            hovertemplate="%{y}<br>%{customdata}: %{z:,}<extra></extra>",
            colorbar={
                "title": {"text": t("overlap.heatmap_axis", lang)},
                "tickformat": ",d",
                "dtick": max(1, -(-top // 6)),  # whole pairs: no "2,5" on the scale
            },
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", title=None, showgrid=False, type="category")
    fig.update_xaxes(side="top", title=None, showgrid=False, tickangle=-40, type="category")
    height = max(420, 260 + BAR_HEIGHT * matrix.height)
    fig = style(fig, title or t("overlap.heatmap_title", lang), lang, height)
    return fig.update_layout(margin={"t": 260})


def pass_through_bars(
    by_level: pl.DataFrame, lang: str = "sv", title: str | None = None
) -> go.Figure:
    """Per unit level (council on top): goals that only restate a goal above them.

    `by_level` is goalload.overlap_views.pass_through_by_level (level, goals,
    pass_through); each bar says "n av m" so the level's size is in view.
    """
    names = [label("level", lvl, lang) for lvl in by_level["level"].to_list()]
    counts = by_level["pass_through"].to_list()
    totals = by_level["goals"].to_list()
    fig = go.Figure(
        go.Bar(
            y=names,
            x=counts,
            orientation="h",
            marker_color=OKABE_ITO["vermillion"],
            text=[
                t("overlap.through_bar", lang, n=format_int(n, lang), goals=format_int(m, lang))
                for n, m in zip(counts, totals, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=t("overlap.through_axis", lang), rangemode="tozero")
    top = max(counts or [0])
    fig.update_xaxes(range=[0, max(1, top) * 1.3])
    height = max(320, 190 + (BAR_HEIGHT + 16) * len(names))
    fig = style(fig, title or t("overlap.through_chart_title", lang), lang, height)
    return fig.update_layout(uniformtext={"mode": False}, showlegend=False)
