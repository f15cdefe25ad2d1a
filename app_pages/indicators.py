"""Indikatorbörda: reporting occasions by frequency and source, unit × frequency, worst indicators."""

from __future__ import annotations

import polars as pl
import streamlit as st

import app_state as state
from goalload import charts, metrics, views
from goalload.i18n import label, labels

TOP_INDICATORS = 15

lang = state.lang()
doc = state.heading("ind.title")
load = state.derived("unit_load", metrics.unit_load)
by_frequency = state.derived(
    "occasions:frequency", lambda d: views.indicator_occasions(d, "frequency")
)
by_source = state.derived(
    "occasions:source_kind", lambda d: views.indicator_occasions(d, "source_kind")
)
matrix = state.derived("frequency_matrix", views.frequency_matrix)

levels = state.level_filter(doc, "ind_levels")
ranked = views.units_by_occasions(by_frequency, views.filter_levels(load, levels))
if ranked.height == 0:
    st.info(state.tr("common.no_data", what=label("metric", "indicators", lang).lower()))
    st.stop()

n = state.top_n(ranked.height, "ind_top_n")
units = ranked.head(n)
state.showing_top(units.height, ranked.height)
state.chart(
    charts.occasions_by_frequency(by_frequency, units, lang),
    state.tr("ind.frequency_caption"),
    key="ind_frequency",
)
state.chart(
    charts.occasions_by_source(by_source, units, lang),
    state.tr("ind.source_caption"),
    key="ind_source",
)
heat = units.select("unit_id", "parent").join(
    matrix, on="unit_id", how="left", maintain_order="left"
)
state.chart(
    charts.frequency_heatmap(heat, lang), state.tr("ind.heatmap_caption"), key="ind_heatmap"
)

st.header(state.tr("ind.top_title"))
st.caption(state.tr("ind.top_caption"))
top = state.derived(
    "burdensome_indicators", lambda d: views.burdensome_indicators(d, TOP_INDICATORS)
)
state.table(
    top.with_columns(
        pl.col("frequency").replace(labels("frequency", lang)),
        pl.col("source_kind").replace(labels("source_kind", lang)),
    ),
    # The columns that explain the burden; the source's own wording stays out to fit a screen.
    {"name": state.tr("col.indicator")}
    | {
        c: state.tr(f"col.{c}")
        for c in (
            "frequency",
            "source_kind",
            "occasions_per_year",
            "units",
            "goals",
            "yearly_reports",
        )
    },
    width="stretch",
)
