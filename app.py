"""Goalload's router: page config, the sidebar (document, upload, language, template), pages.

Run with `make run` (or `streamlit run app.py`). Pages in app_pages/ are thin: they read
the session's GoalDocument through app_state, call goalload and draw.

The folder is deliberately not called `pages/`: Streamlit treats a `pages/` folder next to
the entry script as the legacy multipage mechanism until the first st.navigation call, so
the first request after start (and every AppTest page switch) would run a page without
this router. tests/app/test_app.py guards against the folder coming back.
"""

from __future__ import annotations

import streamlit as st

import app_state as state
from goalload.formatting import escape_markdown

# The page list, top to bottom as in the navigation: (script, i18n title key, URL path,
# icon). Add a page with one line here (and its title in goalload/i18n.py).
PAGES: list[tuple[str, str, str, str]] = [
    ("app_pages/overview.py", "page.overview", "oversikt", ":material/dashboard:"),
    ("app_pages/data.py", "page.data", "data", ":material/upload_file:"),
    ("app_pages/load.py", "page.load", "malborda", ":material/account_tree:"),
    ("app_pages/indicators.py", "page.indicators", "indikatorer", ":material/monitoring:"),
    ("app_pages/overlap.py", "page.overlap", "overlapp", ":material/join_inner:"),
    ("app_pages/reduce.py", "page.reduce", "minska", ":material/content_cut:"),
    ("app_pages/compare.py", "page.compare", "jamfor", ":material/compare_arrows:"),
    ("app_pages/kolada.py", "page.kolada", "kolada", ":material/dataset_linked:"),
    ("app_pages/present.py", "page.present", "presentation", ":material/slideshow:"),
    ("app_pages/reports.py", "page.reports", "rapporter", ":material/download:"),
]
DATA_PAGE = "data"  # this page shows the uploader in its body instead of the sidebar

st.set_page_config(
    page_title="Goalload",
    page_icon=":material/target:",
    layout="wide",
    initial_sidebar_state="expanded",
)

navigation = st.navigation(
    [
        st.Page(script, title=state.tr(title), url_path=path, icon=icon, default=index == 0)
        for index, (script, title, path, icon) in enumerate(PAGES)
    ]
)

with st.sidebar:
    state.language_selector()
    st.subheader(state.tr("sidebar.document"))
    state.document_label_inputs()
    if state.is_sample():
        st.caption(state.tr("sidebar.source_sample"))
    else:
        file_name = st.session_state[state.SOURCE_KEY][0]
        st.caption(state.tr("sidebar.source_upload", file=escape_markdown(file_name)))
        st.button(state.tr("sidebar.use_sample"), on_click=state.use_sample, key="use_sample")
    if navigation.url_path != DATA_PAGE:
        state.uploader()
    state.template_button(key="template_sidebar")

state.show_messages()
with state.page_drawing():  # the background worker waits its turn (app_state)
    navigation.run()
state.prefetch()  # after the page is drawn: a large document's slow analyses start now
