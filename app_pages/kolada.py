"""Kolada: which of the document's indicators Kolada already publishes, and per unit how many.

The catalogue comes from a CSV the user uploads, else from the Kolada API v3 (cached on
disk with its date by goalload.kolada); with neither the page says so and offers the
upload. Matches are goalload.kolada's; a person confirms, corrects or removes them in
the table, and the counts per unit follow.
"""

from __future__ import annotations

import hashlib
import os

import polars as pl
import streamlit as st

import app_state as state
from goalload import charts, kolada
from goalload import compare_views as views
from goalload.errors import InputError
from goalload.formatting import escape_markdown, format_decimal, format_int

CSV_KEY = "kolada_csv"
KEPT_CSV_KEY = "kolada_csv_kept"  # (file name, bytes) of the chosen catalogue file
# A person's corrections ({indicator_id: {column: value}}) per document and catalogue,
# kept because Streamlit forgets an editor's edits when another page is opened.
EDITS_KEY = "kolada_edits"
# The API's address; a test or an offline installation points it elsewhere.
API_ENV = "GOALLOAD_KOLADA_API"
TOP_UNITS = 20
EDITOR_HEIGHT = 420

lang = state.lang()
tr = state.tr


@st.cache_resource(show_spinner=False, max_entries=2, scope="session")
def catalogue_from_csv(data: bytes) -> kolada.Catalogue:
    """The user's catalogue file, parsed and indexed once per content in this session."""
    catalogue, _ = kolada.get_catalogue(data)
    return catalogue


@st.cache_resource(show_spinner=False, max_entries=1, ttl=3600)
def catalogue_online(base_url: str) -> tuple[kolada.Catalogue | None, str]:
    """Kolada's catalogue (disk cache, else the API), shared: it is the same public list
    for everyone, and its index takes a second or two to build. Kept an hour, so a
    failed fetch is not retried on every click (the retry button clears it)."""
    return kolada.get_catalogue(None, base_url=base_url)


def remember_csv() -> None:
    """Keep the chosen file: Streamlit empties the uploader when another page is opened."""
    upload = st.session_state.get(CSV_KEY)
    if upload is None:  # the person removed it
        st.session_state.pop(KEPT_CSV_KEY, None)
    else:
        st.session_state[KEPT_CSV_KEY] = (upload.name, upload.getvalue())


def describe(catalogue: kolada.Catalogue) -> str:
    when = tr("kolada.fetched", date=catalogue.fetched.isoformat()) if catalogue.fetched else ""
    if catalogue.stale:
        when += tr("kolada.stale")
    return tr(
        "kolada.catalogue_line",
        count=format_int(len(catalogue), lang),
        origin=tr(f"kolada.origin.{catalogue.origin}"),
        when=when,
    )


doc = state.heading("kolada.title")
st.markdown(tr("kolada.intro"))
upload = st.file_uploader(
    tr("kolada.csv_label"),
    type=["csv"],
    key=CSV_KEY,
    help=tr("kolada.csv_help"),
    on_change=remember_csv,
)

catalogue: kolada.Catalogue | None = None
kept = st.session_state.get(KEPT_CSV_KEY)
if kept is not None:
    name, data = kept
    if upload is None:  # back from another page: the file chosen before
        st.caption(tr("compare.kept_files", files=escape_markdown(name)))
    try:
        catalogue = catalogue_from_csv(data)
        token = "csv:" + hashlib.sha256(data).hexdigest()[:12]
    except InputError as error:
        st.error(escape_markdown(tr("kolada.csv_failed", file=name, message=error.message)))
if catalogue is None:
    catalogue, reason = catalogue_online(os.environ.get(API_ENV, kolada.API_BASE_URL))
    if catalogue is None:
        if lang == "sv":
            st.warning(escape_markdown(reason))
        else:
            st.warning(tr("kolada.no_catalogue"))
            st.caption(escape_markdown(tr("kolada.reason", reason=reason)))
        st.button(tr("kolada.retry"), on_click=catalogue_online.clear, key="kolada_retry")
        st.stop()
    token = f"{catalogue.origin}:{catalogue.fetched}:{len(catalogue)}"
st.caption(escape_markdown(describe(catalogue)))

if doc.indicators.is_empty():
    st.info(tr("kolada.no_indicators"))
    st.stop()

with st.spinner(tr("kolada.matching")):
    matches = state.derived(f"kolada:{token}", lambda d: kolada.match_indicators(d, catalogue))

# The counts and the chart go above the table but follow its corrections.
summary = st.container()

st.header(tr("kolada.matches_title"))
st.caption(
    tr("kolada.matches_caption", threshold=format_decimal(kolada.DEFAULT_MATCH_THRESHOLD, lang, 2))
)
shown = views.kolada_editor_frame(matches, lang)
edits_key = f"{EDITS_KEY}:{state.doc_token()}:{token}"
edited = st.data_editor(
    views.with_edits(shown, st.session_state.get(edits_key, {}), ["indicator_id"]),
    key=f"kolada_matches:{state.doc_token()}:{token}",
    hide_index=True,
    width="stretch",
    height=EDITOR_HEIGHT,
    column_order=[
        "indicator",
        "kolada_id",
        "title",
        "score",
        "confirmed",
        "url",
        "method",
        "unit",
        "candidates",
    ],
    disabled=["indicator_id", "indicator", "unit", "title", "score", "method", "candidates", "url"],
    column_config={
        "indicator": st.column_config.TextColumn(tr("kolada.col.indicator"), width=280),
        "unit": st.column_config.TextColumn(tr("kolada.col.unit"), width="medium"),
        "kolada_id": st.column_config.TextColumn(
            tr("kolada.col.kolada_id"), width=100, max_chars=6
        ),
        "title": st.column_config.TextColumn(tr("kolada.col.title"), width=280),
        "score": st.column_config.TextColumn(tr("kolada.col.score"), width=70, alignment="right"),
        "method": st.column_config.TextColumn(tr("kolada.col.method"), width="small"),
        "url": st.column_config.LinkColumn(
            tr("kolada.col.url"), display_text=r"kpis=(.*)$", width=100
        ),
        "confirmed": st.column_config.CheckboxColumn(tr("kolada.col.confirmed"), width=105),
        "candidates": st.column_config.TextColumn(tr("kolada.col.candidates"), width="large"),
    },
)
edited = pl.DataFrame(edited)
st.session_state[edits_key] = views.edits_between(
    shown, edited, ["indicator_id"], ["kolada_id", "confirmed"]
)
corrected, unknown = views.apply_kolada_edits(matches, shown, edited, catalogue.titles())
if unknown:
    st.warning(escape_markdown(tr("kolada.unknown_ids", ids=", ".join(unknown))))
claimed = corrected.filter(pl.col("kolada_id").is_not_null())
st.caption(
    tr(
        "kolada.confirmed_count",
        confirmed=format_int(claimed["confirmed"].sum(), lang),
        claimed=format_int(claimed.height, lang),
    )
)

per_unit = kolada.per_unit_kolada(doc, corrected)
counts = views.kolada_summary(corrected)
with summary:
    columns = st.columns(4)
    for column, key in zip(columns, ("indicators", "in_kolada", "by_id", "by_name"), strict=True):
        column.metric(tr(f"kolada.metric.{key}"), format_int(counts[key], lang))
    table = views.per_unit_table(per_unit, lang)
    ranked = per_unit.sort(
        ["available_in_kolada", "indicators", "unit"], descending=[True, True, False]
    )
    top = ranked.head(TOP_UNITS)
    state.chart(charts.kolada_bars(top, lang), tr("kolada.chart_caption"), key="kolada_units")
    state.showing_top(top.height, ranked.height)
    st.subheader(tr("kolada.per_unit_title"))
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "unit": st.column_config.TextColumn(tr("kolada.col.unit")),
            **{
                c: st.column_config.TextColumn(tr(f"kolada.col.{name}"), alignment="right")
                for c, name in (
                    ("indicators", "indicators"),
                    ("available_in_kolada", "available"),
                    ("by_hand", "by_hand"),
                    ("share", "share"),
                )
            },
        },
    )
