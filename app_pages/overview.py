"""Översikt: the headline figures, what stands out, and the units carrying the most load."""

from __future__ import annotations

import streamlit as st

import app_state as state
from goalload import charts, metrics, summary, views
from goalload.formatting import escape_markdown, format_int
from goalload.i18n import label

TOP_UNITS = 10

lang = state.lang()
doc = state.heading("overview.title")
load = state.derived("unit_load", metrics.unit_load)
totals = state.derived("document_totals", metrics.document_totals)

columns = state.metric_columns(len(views.HEADLINE_METRICS))
for column, key in zip(columns, views.HEADLINE_METRICS, strict=True):
    column.metric(label("metric", key, lang), format_int(totals.get(key, 0), lang))

st.header(state.tr("overview.stands_out"))
insights = state.derived(
    f"summary:{lang}", lambda d: summary.summarize(d, lang, load=load, totals=totals)
)
if insights:
    st.markdown("\n".join(f"- {escape_markdown(i.text)}" for i in insights))
else:
    st.markdown(state.tr("overview.no_summary"))

top = views.top_units(load, "steering_signals", TOP_UNITS)
if top.height:
    state.chart(
        charts.load_bars(top, lang, title=state.tr("overview.top_units")),
        state.tr("overview.top_units_caption", n=format_int(top.height, lang)),
        key="overview_top",
    )
else:
    st.info(state.tr("common.no_data", what=label("metric", "units", lang).lower()))
