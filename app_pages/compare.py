"""Jämför: years of one municipality, or municipalities side by side.

Several workbooks are uploaded at once (the sample's two years until then); units are
matched across the documents and a person confirms or corrects the matches; then
every metric in total, per 1,000 inhabitants, per unit level and per unit, and the
goals added, removed and reworded between two chosen documents. The computing is
goalload.compare; goalload.compare_views shapes it for the screen.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

import polars as pl
import streamlit as st

import app_state as state
from goalload import charts, compare
from goalload import compare_views as views
from goalload.errors import InputError
from goalload.formatting import escape_markdown, format_int
from goalload.i18n import label
from goalload.model import GoalDocument

UPLOAD_KEY = "compare_upload"
# Session keys: the uploads read in this session ({sha256: GoalDocument or error
# message}) and the tables computed for the documents compared now.
READ_KEY = "compare_read"
FILES_KEY = "compare_files"  # [(file name, bytes)] chosen in the uploader, kept across pages
MEMO_KEY = "compare_memo"
# A person's corrections of the unit matches ({"document::unit": {column: value}}), per
# document set: kept here because Streamlit forgets an editor's edits on another page.
EDITS_KEY = "compare_edits"
MATCH_KEYS = ("document", "unit")
MATCH_EDITABLE = ("label", "confirmed")
SAMPLE_YEARS = (
    state.ROOT / "sample_data" / "exempelkommun_2024.xlsx",
    state.ROOT / "sample_data" / "exempelkommun.xlsx",
)
TOP_UNITS = 15
EDITOR_HEIGHT = 320
MAX_RESULTS = 8  # comparisons kept per document set (one per set of corrections)

log = logging.getLogger("goalload.app")
lang = state.lang()
tr = state.tr


def remember_uploads() -> None:
    """Keep the chosen files: Streamlit empties the uploader when another page is opened."""
    files = st.session_state.get(UPLOAD_KEY) or []
    st.session_state[FILES_KEY] = [(file.name, file.getvalue()) for file in files]


def read_uploads(files: list[tuple[str, bytes]]) -> tuple[list[GoalDocument], list[str], list[str]]:
    """The uploaded workbooks read (each once per session), the failures, their digests."""
    memo: dict[str, GoalDocument | str] = st.session_state.setdefault(READ_KEY, {})
    docs, errors, digests, seen = [], [], [], set()
    for name, data in files:
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:  # the same file twice compares nothing
            continue
        seen.add(digest)
        if digest not in memo:
            try:
                memo[digest] = state.read_cached(data, name)
            except InputError as error:
                memo[digest] = tr("upload.failed", file=name, message=error.message)
            except Exception:  # a reader bug must not take the page down
                log.exception("Unexpected failure reading %s", name)
                memo[digest] = tr("upload.unexpected")
        read = memo[digest]
        if isinstance(read, str):
            errors.append(read)
        else:
            docs.append(read)
            digests.append(digest)
    for stale in set(memo) - seen:
        del memo[stale]  # removed from the uploader: not kept
    return docs, errors, digests


def sample_years() -> list[GoalDocument]:
    paths = [p for p in SAMPLE_YEARS if p.exists()]
    return [state.sample_document(p) for p in paths]


def memo(token: str, name: str, compute: Callable[[], Any]) -> Any:
    """compute(), kept for this set of documents (dropped when the set changes)."""
    return state.memo(MEMO_KEY, token, name, compute, MAX_RESULTS, keep="matches")


def text_table(frame: pl.DataFrame, names: dict[str, str], first_left: int = 1) -> None:
    """Numbers written as text (Swedish format), right-aligned; the first columns left."""
    config = {
        column: st.column_config.TextColumn(
            names.get(column, column), alignment="left" if i < first_left else "right"
        )
        for i, column in enumerate(frame.columns)
    }
    st.dataframe(frame, hide_index=True, column_config=config, width="stretch")


st.title(tr("compare.title"))
st.markdown(tr("compare.intro"))
uploads = st.file_uploader(
    tr("compare.upload_label"),
    type=state.UPLOAD_TYPES,
    accept_multiple_files=True,
    key=UPLOAD_KEY,
    help=tr("compare.upload_help"),
    on_change=remember_uploads,
)
files = st.session_state.get(FILES_KEY, [])
if files and not uploads:  # back from another page: the files chosen before
    st.caption(
        tr("compare.kept_files", files=", ".join(escape_markdown(name) for name, _ in files))
    )
uploaded, errors, digests = read_uploads(files)
for error in errors:
    st.error(escape_markdown(error))

if len(uploaded) >= 2:
    docs = views.order_documents(uploaded)
    order = {id(d): digest for d, digest in zip(uploaded, digests, strict=True)}
    token = hashlib.sha256(":".join(order[id(d)] for d in docs).encode()).hexdigest()[:12]
else:
    docs = views.order_documents(sample_years())
    token = "sample"
labels = compare.document_labels(docs)
if len(docs) < 2:  # the bundled sample years are missing from this checkout
    st.warning(tr("compare.need_two"))
    st.stop()
documents_text = ", ".join(escape_markdown(x) for x in labels)
if token == "sample":
    st.info(tr("compare.need_two" if uploads else "compare.using_sample", documents=documents_text))
else:
    st.caption(tr("compare.comparing", documents=documents_text))

# --- which unit is which: suggestions a person confirms or corrects ------------------------
matches = memo(token, "matches", lambda: compare.match_units(docs))
shown = views.match_editor_frame(matches, labels, lang)
edits_key = f"{EDITS_KEY}:{token}"
alone = tr("compare.alone")
to_confirm = shown.filter(
    (pl.col("method") == tr("compare.method.suggested")) & ~pl.col("confirmed")
)
open_matches = st.empty()  # filled once the editor has said what is still open
with st.expander(tr("compare.units_title"), expanded=to_confirm.height > 0):
    st.caption(tr("compare.units_caption"))
    edited = st.data_editor(
        views.with_edits(shown, st.session_state.get(edits_key, {}), MATCH_KEYS),
        key=f"compare_matches:{token}",
        hide_index=True,
        column_order=[
            "unit",
            "matched",
            "label",
            "confirmed",
            "method",
            "score",
            "document",
            "level",
        ],
        width="stretch",
        height=EDITOR_HEIGHT,
        disabled=["document", "unit", "level", "method", "score", "matched"],
        column_config={
            "document": st.column_config.TextColumn(tr("compare.col.document"), width=170),
            "unit": st.column_config.TextColumn(tr("compare.col.unit"), width="medium"),
            "level": st.column_config.TextColumn(tr("compare.col.level"), width="small"),
            "method": st.column_config.TextColumn(tr("compare.col.method")),
            "score": st.column_config.TextColumn(
                tr("compare.col.score"), width="small", alignment="right"
            ),
            "matched": st.column_config.TextColumn(tr("compare.col.matched"), width="medium"),
            "label": st.column_config.SelectboxColumn(
                tr("compare.col.label"),
                options=views.label_options(matches, alone),
                required=True,
                width="medium",
            ),
            "confirmed": st.column_config.CheckboxColumn(tr("compare.col.confirmed"), width=105),
        },
    )
edited = pl.DataFrame(edited)
st.session_state[edits_key] = views.edits_between(shown, edited, MATCH_KEYS, MATCH_EDITABLE)
mapping = views.mapping_from_editor(shown, edited, alone)
mapping_key = json.dumps(mapping, sort_keys=True, ensure_ascii=False)
result = memo(
    token, f"result:{mapping_key}", lambda: compare.compare_json(docs, unit_mapping=mapping)
)
still_open = [
    f"{row['matched']} → {row['unit']}"
    for row in to_confirm.iter_rows(named=True)
    if f"{row['document']}::{row['unit']}" not in mapping
]
if still_open:
    open_matches.markdown(
        escape_markdown(
            tr(
                "compare.to_confirm",
                count=format_int(len(still_open), lang),
                names="; ".join(still_open),
            )
        )
    )

# --- in total ------------------------------------------------------------------------------
st.header(tr("compare.totals_title"))
first, last = labels[0], labels[-1]
columns = st.columns(len(views.HEADLINE_METRICS))
for column, key in zip(columns, views.HEADLINE_METRICS, strict=True):
    now, before = result["totals"][last][key], result["totals"][first][key]
    change = now - before
    column.metric(
        label("metric", key, lang),
        format_int(now, lang),
        delta=views.signed(change, lang),
        delta_color="gray" if change == 0 else ("green" if change < 0 else "red"),
        delta_arrow="off" if change == 0 else ("down" if change < 0 else "up"),
    )
delta_caption = "compare.delta_caption" if views.is_years(docs) else "compare.delta_caption_other"
st.caption(tr(delta_caption, first=escape_markdown(first), last=escape_markdown(last)))
metric_names = {m: label("metric", m, lang) for m in views.TOTAL_CHART_METRICS}
state.chart(
    charts.document_bars(
        views.totals_long(result),
        metric_names,
        labels,
        tr("compare.totals_chart_title"),
        tr("axis.count"),
        lang,
    ),
    tr("compare.totals_caption"),
    key="compare_totals",
)
text_table(
    views.totals_table(result, lang),
    {"metric": tr("compare.col.metric"), "change": tr("compare.col.change")},
)

st.header(tr("compare.per_1000_title"))
missing = [d["label"] for d in result["documents"] if not d["population"]]
if missing:
    st.caption(
        tr("compare.no_population", documents=", ".join(escape_markdown(m) for m in missing))
    )
if views.has_population(result):
    state.chart(
        charts.document_bars(
            views.per_1000_long(result),
            {m: label("metric", m, lang) for m in compare.PER_1000_METRICS},
            [x for x in labels if x not in missing],
            tr("compare.per_1000_chart_title"),
            tr("compare.per_1000_title"),
            lang,
            decimals=1,
        ),
        tr("compare.per_1000_caption"),
        key="compare_per_1000",
    )
    text_table(views.per_1000_table(result, lang), {"metric": tr("compare.col.metric")})

# --- per unit level and per unit -------------------------------------------------------------
metric = st.selectbox(
    tr("compare.metric_choice"),
    options=list(views.UNIT_METRICS),
    index=list(views.UNIT_METRICS).index("steering_signals"),
    format_func=lambda m: label("metric", m, lang),
    key="compare_metric",
)
metric_name = label("metric", metric, lang)

st.header(tr("compare.level_title"))
levels = views.levels_present(result)
state.chart(
    charts.document_bars(
        views.by_level_long(result, metric),
        {lvl: label("level", lvl, lang) for lvl in levels},
        labels,
        tr("compare.level_chart_title", metric=metric_name),
        metric_name,
        lang,
        decimals=1,
    ),
    tr("compare.level_caption"),
    key="compare_levels",
)
level_columns = {"level": tr("compare.col.level")}
for doc_label in labels:
    level_columns[f"units:{doc_label}"] = tr("compare.col.units_in", document=doc_label)
    level_columns[f"per_unit:{doc_label}"] = tr("compare.col.per_unit_in", document=doc_label)
text_table(views.by_level_table(result, metric, lang), level_columns)

st.header(tr("compare.unit_title"))
top = views.top_compared_units(result, metric, TOP_UNITS)
state.chart(
    charts.document_bars(
        views.units_long(result, metric)
        .filter(pl.col("unit").is_in(top))
        .rename({"unit": "category"}),
        {u: u for u in top},
        labels,
        tr("compare.unit_chart_title", metric=metric_name),
        metric_name,
        lang,
        horizontal=True,
    ),
    tr("compare.unit_caption"),
    key="compare_units",
)
text_table(
    views.units_table(result, metric, lang),
    {
        "unit": tr("compare.col.unit_compared"),
        "names": tr("compare.col.other_names"),
        "level": tr("compare.col.level"),
        "change": tr("compare.col.change"),
    },
    first_left=3,
)
st.caption(tr("compare.unit_table_caption"))

# --- goal changes between two chosen documents --------------------------------------------
st.header(tr("compare.changes_title"))
positions = list(range(len(labels)))
left, right = st.columns(2)
start = left.selectbox(
    tr("compare.changes_from"),
    positions,
    index=0,
    format_func=labels.__getitem__,
    key=f"compare_from:{token}",
)
end = right.selectbox(
    tr("compare.changes_to"),
    positions,
    index=len(labels) - 1,
    format_func=labels.__getitem__,
    key=f"compare_to:{token}",
)
if start == end:
    st.info(tr("compare.changes_same"))
    st.stop()
if (start, end) == (0, len(labels) - 1):
    changes = result["changes"]
else:
    changes = memo(
        token,
        f"changes:{start}:{end}:{mapping_key}",
        lambda: views.changes_between(docs, result, start, end),
    )
st.caption(tr("compare.changes_caption"))
counts = st.columns(len(views.CHANGE_KINDS))
for column, kind in zip(counts, views.CHANGE_KINDS, strict=True):
    column.metric(tr(f"compare.kind.{kind}"), format_int(len(changes[kind]), lang))
goal_columns = {
    "goal_id": tr("compare.col.goal_id"),
    "goal": tr("compare.col.goal"),
    "goal_id_before": tr("compare.col.goal_id_before"),
    "goal_before": tr("compare.col.goal_before"),
    "unit": tr("compare.col.goal_units"),
}
tabs = st.tabs([tr(f"compare.kind.{kind}") for kind in views.CHANGE_KINDS])
for tab, kind in zip(tabs, views.CHANGE_KINDS, strict=True):
    with tab:
        table = views.change_table(changes, kind)
        if table.is_empty():
            st.caption(tr("compare.no_goals"))
        else:
            state.table(table, {c: goal_columns[c] for c in table.columns}, width="stretch")
