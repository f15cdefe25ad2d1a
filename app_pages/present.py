"""Presentation: the story one slide at a time, for a projector or a shared screen.

One large chart per slide under a headline computed from the data, previous/next (also
the arrow keys) and a slide counter; the sidebar, the header and every other widget are hidden (CSS below,
static: no user data ever goes into unsafe HTML). Dark text on white, large fonts.
The slides are goalload.story's, the same as in the PowerPoint and HTML reports.
"""

from __future__ import annotations

import contextlib

import streamlit as st
from streamlit.errors import StreamlitAPIException

import app_state as state
from goalload.formatting import escape_markdown, format_int
from goalload.i18n import t
from goalload.model import GoalDocument
from goalload.report import with_scenario
from goalload.story import build_story, screen_figure, with_scenario_slide

SLIDE_KEY = "present_slide"  # the slide shown, 0-based; kept when switching language
HOME = "app_pages/overview.py"
# (document token, GoalDocument after the chosen changes), set by the Minska page.
SCENARIO_DOC_KEY = "scenario_after"

# Static CSS for this page only: hide the app's frame, large dark text on white.
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stApp"], [data-testid="stMain"] { background: #FFFFFF !important; color: #1A1A1A !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 1rem !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.7rem !important; line-height: 1.2 !important;
  color: #1A1A1A !important; padding: 0.2rem 0 0.4rem !important; font-weight: 700 !important; }
.st-key-present_caption p { font-size: 1.45rem !important; color: #333333 !important; }
.st-key-present_nav button { min-height: 3.2rem; }
.st-key-present_nav button p { font-size: 1.4rem !important; }
.st-key-present_counter p { font-size: 1.4rem !important;
  text-align: center; color: #1A1A1A !important; margin-top: 0.6rem; }
.st-key-present_missing p { font-size: 1.8rem !important; color: #1A1A1A !important; }
.st-key-present_exit a p { font-size: 1rem !important; color: #555555 !important; }
</style>
"""


def chosen_scenario() -> GoalDocument | None:
    """The scenario the Minska page holds for this document, if the user made one."""
    stored = st.session_state.get(SCENARIO_DOC_KEY)
    return stored[1] if stored and stored[0] == state.doc_token() else None


def _move(step: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 0) + step, 0), total - 1)


st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)

lang = state.lang()
state.progress_until_ready("recommendations_json")
base = state.report_analyses()
slides = state.derived(f"story:{lang}", lambda _doc: build_story(base, lang))
analyses = with_scenario(base, chosen_scenario())
if analyses.has_scenario:
    slides = with_scenario_slide(slides, analyses, lang)
total = len(slides)
index = min(max(st.session_state.get(SLIDE_KEY, 0), 0), total - 1)
st.session_state[SLIDE_KEY] = index
slide = slides[index]

st.title(escape_markdown(slide.headline), anchor=False)
if slide.figure is not None:
    st.plotly_chart(
        screen_figure(slide.figure),
        theme=None,
        config={**state.PLOTLY_CONFIG, "displayModeBar": False},
        key=f"present_chart_{slide.key}",
    )
    with st.container(key="present_caption"):
        st.markdown(escape_markdown(slide.caption))
else:
    with st.container(key="present_missing"):
        st.markdown(escape_markdown(slide.caption))

with st.container(key="present_nav"):
    previous, counter, following = st.columns([1, 2, 1], vertical_alignment="center")
    previous.button(
        t("present.previous", lang),
        key="present_previous",
        disabled=index == 0,
        on_click=_move,
        args=(-1, total),
        width="stretch",
        shortcut="Left",
    )
    counter.container(key="present_counter").markdown(
        t("present.counter", lang, n=format_int(index + 1, lang), total=format_int(total, lang))
    )
    following.button(
        t("present.next", lang),
        key="present_next",
        disabled=index == total - 1,
        on_click=_move,
        args=(1, total),
        width="stretch",
        type="primary",
        shortcut="Right",
    )

# Run on its own (not through app.py) there is no page list to link to.
with st.container(key="present_exit"), contextlib.suppress(StreamlitAPIException):
    st.page_link(HOME, label=t("present.exit", lang), icon=":material/close:")
