"""Rapporter: the Excel, HTML and PowerPoint reports and the story's charts as images.

Every file is made when its button is clicked (deferred download data), so opening the
page costs only the analyses, which the presentation page shares.
"""

from __future__ import annotations

import streamlit as st

import app_state as state
from goalload import export
from goalload.export_html import slug
from goalload.formatting import escape_markdown
from goalload.i18n import t
from goalload.report import with_scenario
from goalload.story import build_story, with_scenario_slide

lang = state.lang()
doc = state.document()
st.title(t("reports.title", lang), anchor=False)
year = f", {doc.year}" if doc.year else ""
st.markdown(f"**{escape_markdown(doc.name)}**{escape_markdown(year)}")
st.markdown(t("reports.intro", lang))

# (document token, GoalDocument after the chosen changes), set by the Minska page.
stored = st.session_state.get("scenario_after")
chosen = stored[1] if stored and stored[0] == state.doc_token() else None
state.progress_until_ready("recommendations_json")
base = state.report_analyses()
analyses = with_scenario(base, chosen)
name = slug(doc.name)

st.header(t("reports.files", lang), anchor=False)
st.caption(t("reports.made_on_click", lang))
columns = st.columns(3)
files = (
    ("xlsx", "Excel (.xlsx)", export.xlsx_report_bytes, ":material/table_view:"),
    ("html", "HTML (.html)", export.html_report_bytes, ":material/language:"),
    ("pptx", "PowerPoint (.pptx)", export.pptx_report_bytes, ":material/slideshow:"),
)
for column, (suffix, button_label, make, icon) in zip(columns, files, strict=True):
    column.download_button(
        button_label,
        help=t(f"download.{suffix}", lang),
        data=lambda make=make: make(doc, lang=lang, analyses=analyses),
        file_name=f"{name}_goalload.{suffix}",
        mime=export.MIME_TYPES[suffix],
        key=f"report_{suffix}",
        icon=icon,
        on_click="ignore",
        width="stretch",
    )

st.header(t("reports.charts", lang), anchor=False)
st.caption(t("reports.charts_caption", lang))
slides = state.derived(f"story:{lang}", lambda _doc: build_story(base, lang))
if analyses.has_scenario:
    slides = with_scenario_slide(slides, analyses, lang)
for slide in slides:
    if slide.figure is None:
        continue
    label, png, svg = st.columns([4, 1, 1], vertical_alignment="center")
    label.markdown(f"**{escape_markdown(slide.title)}**: {escape_markdown(slide.headline)}")
    for column, fmt in ((png, "png"), (svg, "svg")):
        column.download_button(
            fmt.upper(),
            help=t(f"download.{fmt}", lang),
            data=lambda fig=slide.figure, fmt=fmt: export.figure_image_bytes(fig, fmt),
            file_name=f"{name}_{slide.key}.{fmt}",
            mime=export.MIME_TYPES[fmt],
            key=f"chart_{slide.key}_{fmt}",
            on_click="ignore",
            icon=":material/image:",
            width="stretch",
        )
