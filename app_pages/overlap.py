"""Överlapp: how much of the goal document says the same thing twice.

A threshold slider; the headline figures with one computed sentence; a unit × unit
heatmap of near-duplicate goals; the clusters (themes), each opening to its goals' texts
side by side with the shared words in bold (worked out when opened); the pass-through
goals per level; the indicators followed up in several places. goalload.overlap finds
it all, goalload.overlap_views shapes it for the screen.

The threshold is kept under THRESHOLD_KEY (Streamlit drops a slider's own state when
another page is shown); find_overlap's result and the views of it are kept together per
threshold for the shown document under RESULTS_KEY, so moving the slider back to a
threshold seen before redraws without computing; beyond MAX_THRESHOLDS the oldest goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import streamlit as st

import app_state as state
from goalload import charts
from goalload import overlap_views as views
from goalload.formatting import escape_markdown, format_int, format_number
from goalload.i18n import counted, label
from goalload.overlap import DEFAULT_THRESHOLD, Overlap, at_threshold, find_overlap

THRESHOLD_KEY = "overlap_threshold"  # the chosen threshold, kept across pages
SLIDER_KEY = "overlap_threshold_slider"
# {"token", "values": {threshold: {name: result}}} for the shown document
RESULTS_KEY = "overlap_results"
THEME_KEY = "overlap_theme"  # + document, threshold and theme: whether it is open
MAX_THRESHOLDS = 4  # thresholds whose results are kept per document
MAX_CLUSTERS = 40  # themes listed; the largest first
MAX_MEMBERS = 60  # goals listed per theme (a goal every unit has can fill thousands of rows)
TOP_UNITS = 20
# The pass-through table's columns on screen (one level at a time): the goal and the goal
# above it that it restates.
THROUGH_COLUMNS = ("unit", "goal_id", "goal", "parent_goal", "parent_unit", "score")

lang = state.lang()
tr = state.tr


def remember(key: tuple, compute: Callable[[], Any]) -> Any:
    """compute(), kept with the other results for key's threshold (key = (name, threshold, ...));
    a result being worked out ahead (`work_ahead`) is waited for, or computed here."""
    name, threshold, *rest = key
    results = state.memo(RESULTS_KEY, state.doc_token(), threshold, dict, MAX_THRESHOLDS)
    key = (name, *rest)
    if key not in results:
        results[key] = compute()
    else:
        results[key] = state.settle(results[key], compute)
    return results[key]


def views_at(find: Callable[[], Overlap]) -> Callable[..., views.ThresholdViews]:
    """What the page shows for the overlap find() returns, as a function that touches no
    session state: the background worker may run it (with its pause, app_state.ahead)."""
    levels = state.derived("overlap:goal_levels", views.goal_levels)  # the same at every threshold

    def compute(pause: Callable[[], None] = lambda: None) -> views.ThresholdViews:
        return views.threshold_views(
            doc, find(), lang, levels, max_clusters=MAX_CLUSTERS, pause=pause
        )

    return compute


def shared_or_derived(threshold: float):
    """The overlap the pages share at the default threshold; any other derived from the
    overlap at the lowest threshold (a fraction of the time of computing it)."""
    base = state.overlap_base()
    if base is None:  # a document without goals: an empty result at this threshold
        return find_overlap(doc, threshold)
    if threshold == DEFAULT_THRESHOLD:
        return state.overlap()
    return at_threshold(base, doc, threshold)


def work_ahead(threshold: float) -> None:
    """Have the thresholds next to this one worked out in the background while the user
    reads the page: one step of the slider then redraws without computing (a large city's
    new threshold took 0.5-0.6 s). Large documents only; at most MAX_THRESHOLDS kept."""
    base = state.overlap_base()
    if base is None or doc.goals.height < state.PREFETCH_MIN_GOALS:
        return
    at = options.index(threshold)
    neighbours = [options[i] for i in (at + 1, at - 1) if 0 <= i < len(options)]
    # Work ahead for the neighbours of a threshold the user has left is not needed now
    # (computed on the page if it is asked for after all).
    for kept, results in st.session_state[RESULTS_KEY]["values"].items():
        if kept not in neighbours:
            for value in results.values():
                state.abandon(value)
    for near in neighbours:
        results = state.memo(
            RESULTS_KEY, state.doc_token(), near, dict, MAX_THRESHOLDS, keep=threshold
        )
        if ("views", lang) not in results:
            results[("views", lang)] = state.ahead(
                views_at(lambda near=near: at_threshold(base, doc, near))
            )


doc = state.heading("overlap.title")
st.markdown(tr("overlap.intro"))
state.progress_until_ready("overlap")

options = views.threshold_options()
if SLIDER_KEY not in st.session_state:  # first visit, or back from another page
    kept = st.session_state.get(THRESHOLD_KEY, DEFAULT_THRESHOLD)
    st.session_state[SLIDER_KEY] = min(options, key=lambda x: abs(x - kept))
threshold = st.select_slider(
    tr("overlap.threshold"),
    options=options,
    format_func=lambda x: format_number(x, lang, 2),
    key=SLIDER_KEY,
    help=tr("overlap.threshold_help", default=format_number(DEFAULT_THRESHOLD, lang, 2)),
)
st.session_state[THRESHOLD_KEY] = threshold

with st.spinner(tr("overlap.computing")):
    shown_views = remember(
        ("views", threshold, lang),
        lambda: views_at(lambda: shared_or_derived(threshold))(),
    )
overlap, figs = shown_views.overlap, shown_views.figures

# --- headline --------------------------------------------------------------------------------
st.subheader(escape_markdown(views.summary(figs, lang)), anchor=False)
columns = state.metric_columns(len(views.HEADLINE))
for column, key in zip(columns, views.HEADLINE, strict=True):
    column.metric(
        tr(f"overlap.metric.{key}"),
        views.figure_text(key, figs, lang),
        help=tr(f"overlap.help.{key}"),
    )
st.caption(tr("overlap.metrics_caption", threshold=format_number(threshold, lang, 2)))

# --- unit × unit -----------------------------------------------------------------------------
st.header(tr("overlap.heatmap_header"))
units = shown_views.units
units_total = units.height
if units_total == 0:
    st.info(tr("overlap.heatmap_none"))
else:
    n = state.top_n(units_total, "overlap_top_n", TOP_UNITS)
    matrix = remember(
        ("matrix", threshold, n),
        lambda: views.shared_goal_matrix(
            doc, overlap, top=n, pairs=shown_views.unit_pairs, units=units
        ),
    )
    state.showing_top(matrix.height, units_total)
    heatmap = remember(
        ("heatmap", threshold, n, lang),
        lambda: charts.overlap_heatmap(matrix, lang, tr("overlap.heatmap_title")),
    )
    state.chart(
        heatmap,
        tr("overlap.heatmap_caption"),
        key="overlap_heatmap",
    )

# --- clusters --------------------------------------------------------------------------------
st.header(tr("overlap.clusters_header"))
clusters = shown_views.clusters
if clusters.is_empty():
    st.info(tr("overlap.clusters_none"))
else:
    st.caption(tr("overlap.clusters_caption"))
    if len(shown_views.shown) < clusters.height:
        st.caption(
            tr(
                "overlap.clusters_showing",
                shown=format_int(len(shown_views.shown), lang),
                total=format_int(clusters.height, lang),
            )
        )
    headers = (tr("overlap.col.unit"), tr("overlap.col.goal_id"), tr("overlap.col.goal"))
    theme_key = f"{THEME_KEY}:{state.doc_token()}:{threshold}"
    for row in shown_views.shown:
        title = tr(
            "overlap.cluster_label",
            label=escape_markdown(row["label"]),
            goals=format_int(row["goals"], lang),
            units=counted(row["units"], "unit", lang),
        )
        # A theme's goals are worked out and sent when it is opened (the page reruns).
        theme = st.expander(
            f"{row['cluster_id']} · {title}",
            key=f"{theme_key}:{row['cluster_id']}",
            on_change="rerun",
        )
        if not theme.open:
            continue
        cluster = remember(
            ("theme", threshold, row["cluster_id"], lang),
            lambda row=row: views.theme(
                doc, overlap, lang, row, headers, max_members=MAX_MEMBERS
            ),
        )
        if cluster.table is None:  # the texts next to each other
            for column, card in zip(theme.columns(len(cluster.cards)), cluster.cards, strict=True):
                column.container(border=True).markdown(card)
        else:
            theme.markdown(cluster.table)
            if row["goals"] > cluster.members_shown:
                theme.caption(
                    tr(
                        "overlap.members_showing",
                        shown=format_int(cluster.members_shown, lang),
                        total=format_int(row["goals"], lang),
                    )
                )
        if row["evidence"]:
            words = "; ".join(escape_markdown(w) for w in row["evidence"])
            theme.markdown(tr("overlap.cluster_common", words=words))

# --- pass-through goals per level ------------------------------------------------------------
st.header(tr("overlap.through_header"))
by_level, through = shown_views.by_level, shown_views.through
if not through.is_empty():  # bars of zeros say nothing: the message below does
    bars = remember(
        ("through_bars", threshold, lang),
        lambda: charts.pass_through_bars(by_level, lang, tr("overlap.through_chart_title")),
    )
    state.chart(
        bars,
        tr("overlap.through_caption"),
        key="overlap_through",
    )
if through.is_empty():
    st.info(tr("overlap.through_none"))
else:
    # One level at a time: a table short enough to be drawn whole, every text wrapped.
    counts = dict(
        by_level.filter(pl.col("pass_through") > 0).select("level", "pass_through").iter_rows()
    )
    level = st.segmented_control(
        tr("overlap.through_level"),
        options=list(counts),
        default=next(iter(counts)),
        format_func=lambda code: tr(
            "overlap.through_level_option",
            level=label("level", code, lang),
            n=format_int(counts[code], lang),
        ),
        key=f"overlap_through_level:{state.doc_token()}",
    ) or next(iter(counts))
    st.caption(tr("overlap.through_table_caption"))
    state.table(
        through.filter(pl.col("level_code") == level),
        {c: tr(f"overlap.tcol.{c}") for c in THROUGH_COLUMNS},
        static=True,
        width="stretch",
    )


# --- shared indicators -----------------------------------------------------------------------
st.header(tr("overlap.indicators_header"))
# Shared indicators do not depend on the threshold: one table per document and language.
indicators = state.derived(
    f"overlap:indicators:{lang}", lambda d: views.shared_indicator_table(d, overlap, lang)
)
if indicators.is_empty():
    st.info(tr("overlap.indicators_none"))
else:
    st.caption(tr("overlap.indicators_caption"))
    state.table(
        indicators,
        {c: tr(f"overlap.icol.{c}") for c in indicators.columns},
        static=True,
        width="stretch",
    )

work_ahead(threshold)
