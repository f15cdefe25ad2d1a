"""Data: upload a workbook, see what was read, correct the column mapping, read the findings."""

from __future__ import annotations

import polars as pl
import streamlit as st

import app_state as state
from goalload import views
from goalload.findings import findings_frame
from goalload.formatting import escape_markdown, format_int, format_percent
from goalload.i18n import label, labels

MAPPING_COLUMNS = 3  # selectboxes side by side in the mapping form

lang = state.lang()
doc = state.heading("data.title")
st.markdown(state.tr("data.intro"))
state.uploader()

st.header(state.tr("data.what_was_read"))
info = doc.info
layout = label("layout", info.layout, lang) if info.layout else "–"
st.markdown(
    f"**{state.tr('data.file')}:** {escape_markdown(info.file_name or '–')}  \n"
    f"**{state.tr('data.layout')}:** {escape_markdown(layout)}  \n"
    f"**{state.tr('data.confidence')}:** {format_percent(info.confidence, lang, 0)}"
)
counts = st.columns(4)
for column, key, frame in zip(
    counts,
    ("units", "goals", "indicators", "assignments"),
    (doc.units, doc.goals, doc.indicators, doc.assignments),
    strict=True,
):
    column.metric(label("metric", key, lang), format_int(frame.height, lang))

sheets = views.sheets_read(info)
if sheets.height:
    state.table(
        sheets,
        {c: state.tr(f"data.{c}") for c in ("sheet", "header_row", "rows_read")},
        static=True,
    )
    st.caption(state.tr("data.sheets_caption"))
if info.sheets:
    st.caption(
        state.tr("data.sheets_all") + ": " + ", ".join(escape_markdown(s) for s in info.sheets)
    )

st.header(state.tr("data.mapping"))
if not info.mapping:
    st.markdown(state.tr("data.mapping_none"))
else:
    st.caption(state.tr("data.mapping_caption"))
    # Open when the reader was unsure; otherwise out of the way.
    mapping_box = st.expander(state.tr("data.mapping_open"), expanded=info.confidence < 0.8)
    field_labels = labels("field", lang)
    token = state.doc_token()  # new document, fresh widgets: no choices carried over
    with mapping_box, st.form(f"mapping:{token}"):
        chosen: dict[str, dict[str, str]] = {}
        for sheet_index, (sheet, columns) in enumerate(info.mapping.items()):
            st.subheader(f"{state.tr('data.sheet')}: {escape_markdown(sheet)}")
            grid = st.columns(MAPPING_COLUMNS)
            chosen[sheet] = {}
            for index, (header, field) in enumerate(columns.items()):
                options = list(field_labels) + ([field] if field not in field_labels else [])
                chosen[sheet][header] = grid[index % MAPPING_COLUMNS].selectbox(
                    state.tr("data.mapping_column", header=escape_markdown(header)),
                    options=options,
                    index=options.index(field),
                    format_func=lambda code: field_labels.get(code, code),
                    key=f"mapping:{token}:{sheet_index}:{index}",
                )
        submitted = st.form_submit_button(state.tr("data.mapping_submit"), type="primary")
    if submitted:
        file_name, data = state.current_source()
        if state.read_into_session(file_name, data, chosen):
            st.session_state[state.NOTICE_KEY] = state.tr("data.mapping_reread")
        st.rerun()

st.header(state.tr("data.findings"))
findings = findings_frame(doc.findings)
if findings.height == 0:
    st.success(state.tr("data.no_findings"))
else:
    by_severity = dict(findings.group_by("severity").len().iter_rows())
    st.markdown(
        state.tr(
            "data.findings_count",
            errors=format_int(by_severity.get("error", 0), lang),
            warnings=format_int(by_severity.get("warning", 0), lang),
            infos=format_int(by_severity.get("info", 0), lang),
        )
    )
    st.caption(state.tr("data.findings_caption"))
    state.table(
        findings.with_columns(pl.col("severity").replace(labels("severity", lang))),
        {c: state.tr(f"finding.{c}") for c in findings.columns},
        static=True,
        width="stretch",
    )

st.header(state.tr("data.template"))
st.markdown(state.tr("data.template_text"))
state.template_button(key="template_page")
