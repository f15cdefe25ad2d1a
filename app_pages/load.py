"""Målbörda: goals, indicators and assignments per unit, the hierarchy, one unit's goals."""

from __future__ import annotations

import polars as pl
import streamlit as st

import app_state as state
from goalload import charts, metrics, views
from goalload.formatting import escape_markdown
from goalload.i18n import counted

lang = state.lang()
doc = state.heading("load.title")
load = state.derived("unit_load", metrics.unit_load)

levels = state.level_filter(doc, "load_levels")
shown = views.filter_levels(load, levels)
if shown.height == 0:
    st.info(state.tr("common.no_units_selected"))
    st.stop()

n = state.top_n(shown.height, "load_top_n")
top = views.top_units(shown, "steering_signals", n)
state.chart(charts.load_bars(top, lang), state.tr("load.bars_caption"), key="load_bars")
state.showing_top(top.height, shown.height)

st.header(state.tr("load.hierarchy"))
view = st.segmented_control(
    state.tr("load.hierarchy"),
    options=["org", "goals"],
    default="org",
    format_func=lambda v: state.tr("load.hierarchy_org" if v == "org" else "load.hierarchy_goals"),
    key="load_hierarchy",
    label_visibility="collapsed",
)
if view == "goals":
    tree = state.derived("goal_tree", views.goal_tree)
    state.chart(
        charts.goal_sunburst(tree, lang), state.tr("load.sunburst_caption"), key="load_sunburst"
    )
else:
    tree = state.derived("org_tree", lambda d: views.org_tree(d, load))
    state.chart(
        charts.org_treemap(tree, lang), state.tr("load.treemap_caption"), key="load_treemap"
    )

st.header(state.tr("load.unit_goals"))
names = dict(zip(shown["unit_id"], shown["unit"], strict=True))
ordered = views.top_units(shown, "steering_signals", shown.height)["unit_id"].to_list()
unit_id = st.selectbox(
    state.tr("load.choose_unit"),
    options=ordered,
    format_func=lambda uid: names.get(uid) or uid,
    key=f"load_unit:{state.doc_token()}",
)
row = shown.filter(pl.col("unit_id") == unit_id).row(0, named=True)
st.markdown(
    escape_markdown(
        state.tr(
            "load.unit_summary",
            unit=row["unit"],
            own=counted(row["own_goals"], "own_goal", lang),
            received=counted(row["received_goals"], "received_goal", lang),
            indicators=counted(row["indicators"], "indicator", lang),
            assignments=counted(row["assignments"], "assignment", lang),
        )
    )
)
table = views.unit_goal_table(doc, unit_id)
relation = {"own": state.tr("load.own"), "received": state.tr("load.received")}
state.table(
    table.with_columns(pl.col("relation").replace(relation)),
    {c: state.tr(f"col.{c}") for c in table.columns if c not in ("distance", "goal_id")},
    width="stretch",
)
st.caption(state.tr("load.unit_goals_caption"))
