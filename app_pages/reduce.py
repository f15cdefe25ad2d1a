"""Minska detaljstyrning: what a committee could cut, with the evidence, and the effect.

goalload.recommend's ranked recommendations, each accepted or rejected in a table (all
accepted at first: "untick what you do not want"); the headline changes and the
before/after bars per unit follow every tick (goalload.scenario.apply + compare). Rules
(goal cap, highest frequency, goals or indicators removed by hand) in a form; an
optional time estimate under editable, labelled assumptions; the scenario saved to a
file and loaded again, and the accepted changes as an Excel list for the meeting.

The scenario lives in st.session_state[SCENARIO_KEY] (not in widget state, which
Streamlit drops when another page is shown), for the document it was made for.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import polars as pl
import streamlit as st

import app_state as state
from goalload import charts, metrics, scenario
from goalload import reduce_views as views
from goalload.errors import InputError
from goalload.formatting import escape_markdown, format_decimal, format_int
from goalload.i18n import label
from goalload.model import FREQUENCIES
from goalload.recommend import (
    DEFAULT_GOAL_CAP,
    RECOMMENDATION_KINDS,
    recommend,
)

# Session key: {"token", "rejected", "goal_cap", "rules", "assumptions", "version",
# "error", "notice", "recs", "memo", "views", "editor"}: the committee's choices for the
# document `token`, the recommendations per goal cap, the scenarios computed from them and
# tables shown from them (each bounded).
SCENARIO_KEY = "reduce_scenario"
UPLOAD_KEY = "reduce_upload"
INFO_KEY = "reduce_info"  # the patterns' expander, with the document token and goal cap
# (document token, GoalDocument after the chosen changes): the presentation and the
# reports show the scenario chosen here (app_pages/present.py, app_pages/reports.py).
SCENARIO_DOC_KEY = "scenario_after"
MEMO_SIZE = 6  # scenarios (choice + rules) kept computed per session
FIGURES_SIZE = 4  # figures kept: building one with plotly takes 0.05-0.2 s on every rerun
RECS_SIZE = 3  # recommendation lists (one per goal cap) kept per session
TOP_UNITS = 15
EDITOR_HEIGHT = 460
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

lang = state.lang()
tr = state.tr


def fresh(token: str) -> dict[str, Any]:
    return {
        "token": token,
        "rejected": set(),
        "goal_cap": DEFAULT_GOAL_CAP,
        "rules": scenario.Rules(),
        "assumptions": scenario.TimeAssumptions(),
        "version": 0,
        "error": None,
        "notice": None,
        "recs": {},
        "memo": {},
        "views": {},
        "editor": {},
        "figures": {},
    }


def current() -> dict[str, Any]:
    """This session's scenario for the shown document (a new one for a new document)."""
    token = state.doc_token()
    stored = st.session_state.get(SCENARIO_KEY)
    if stored is None or stored["token"] != token:
        stored = fresh(token)
        st.session_state[SCENARIO_KEY] = stored
    return stored


def remember(key: Any, compute, store: str = "memo", size: int = MEMO_SIZE) -> Any:
    """compute(), kept in the scenario's `store`; the least recently used dropped beyond
    `size` (what every rerun reads, such as the split, stays)."""
    memo = current()[store]
    if key in memo:
        memo[key] = memo.pop(key)
    else:
        if len(memo) >= size:
            memo.pop(next(iter(memo)))
        memo[key] = compute()
    return memo[key]


def recommendations(goal_cap: int | None) -> list:
    if goal_cap == DEFAULT_GOAL_CAP:  # shared with Presentation and Rapporter
        return state.recommendations()
    overlap = state.overlap()
    return remember(
        goal_cap,
        lambda: recommend(state.document(), overlap=overlap, goal_cap=goal_cap),
        "recs",
        RECS_SIZE,
    )


def changed(**values: Any) -> None:
    """Replace parts of the scenario from outside the table: the table starts afresh."""
    scene = current()
    scene.update(values)
    scene["version"] += 1


def set_all(accept: bool, ids: list[str]) -> None:
    rejected = current()["rejected"]
    changed(rejected=(rejected - set(ids)) if accept else (rejected | set(ids)))


def on_load() -> None:
    """Read an uploaded scenario file; a bad file leaves the scenario as it was."""
    scene = current()
    uploaded = st.session_state.get(UPLOAD_KEY)
    scene["error"] = scene["notice"] = None
    if uploaded is None:
        return
    try:
        loaded = scenario.load_scenario(uploaded.getvalue())
    except InputError as error:
        scene["error"] = tr("reduce.load_failed", file=uploaded.name, message=error.message)
        return
    cap = loaded.rules.goal_cap
    recs = recommendations(cap)
    chosen, missing = scenario.choose(views.actionable(recs), loaded.accepted)
    taken = {r.id for r in chosen}
    changed(
        goal_cap=cap,
        rules=replace(loaded.rules, goal_cap=None),
        assumptions=loaded.assumptions,
        rejected={r.id for r in views.actionable(recs)} - taken,
    )
    notes = [tr("reduce.loaded", file=uploaded.name, accepted=format_int(len(chosen), lang))]
    if missing:
        notes.append(
            tr("reduce.missing_ids", count=format_int(len(missing), lang), ids=", ".join(missing))
        )
    if loaded.document and loaded.document != state.document().name:
        notes.append(
            tr("reduce.other_document", saved=loaded.document, current=state.document().name)
        )
    scene["notice"] = " ".join(notes)


def pick(title: str, names: dict[str, str], chosen: frozenset[str], version: str) -> list:
    """Goals or indicators picked by hand, shown as "id: text"."""
    return st.multiselect(
        tr(title),
        options=list(names),
        default=[i for i in sorted(chosen) if i in names],
        format_func=lambda i: f"{i}: {names[i]}",
        key=f"{title}:{version}",
        placeholder=tr("reduce.choose_many"),
    )


def scenario_key(accepted: list, rules: scenario.Rules) -> tuple:
    """What a scenario's results depend on: the accepted ids, the rules, the goal cap."""
    return ("apply", tuple(r.id for r in accepted), rules, current()["goal_cap"])


def applied(key: tuple, accepted: list, rules: scenario.Rules, active: list):
    """The document with the accepted recommendations and rules, its totals, the comparison.
    At the default goal cap, all of `active` accepted is the background's document."""

    def compute():
        before = state.document()
        default = current()["goal_cap"] == DEFAULT_GOAL_CAP
        everything = (active, state.recommendations_applied()) if default else None
        after = views.scenario_applied(before, accepted, rules, everything)
        load = state.derived("unit_load", metrics.unit_load)
        return after, metrics.document_totals(after), scenario.compare(before, after, load)

    return remember(key, compute)


doc = state.heading("reduce.title")
st.markdown(tr("reduce.intro"))
state.progress_until_ready("recommendations")
scene = current()
goal_cap = scene["goal_cap"]
rules: scenario.Rules = scene["rules"]

with st.spinner(tr("reduce.computing")):
    recs = recommendations(goal_cap)
# what can be chosen and what is only information, with an index by id: kept per goal cap,
# the large city has 24,000 recommendations
active, info, by_id = remember(("split", goal_cap), lambda: views.split(recs), "views")

if scene["error"]:
    st.error(escape_markdown(scene["error"]))
if scene["notice"]:  # once: the next click is about the loaded scenario, not the loading
    st.success(escape_markdown(scene["notice"]))
    scene["notice"] = None

# The headline goes first but follows the ticks made in the table below it.
top = st.container()

# --- the recommendations ---------------------------------------------------------------------
st.header(tr("reduce.recs_title"))
if not active:
    st.info(tr("reduce.no_recs"))
else:
    st.caption(tr("reduce.recs_caption"))
    present = [k for k in RECOMMENDATION_KINDS if any(r.kind == k for r in active)]
    kinds = (
        st.pills(
            tr("reduce.filter_kinds"),
            options=present,
            default=present,
            selection_mode="multi",
            format_func=lambda k: tr(f"reduce.kind.{k}"),
            key=f"reduce_kinds:{scene['token']}",
        )
        or []
    )
    shown_recs = [r for r in active if r.kind in kinds]
    shown_ids = [r.id for r in shown_recs]
    middle, right, _ = st.columns([1, 1, 4])
    middle.button(
        tr("reduce.accept_all"),
        on_click=set_all,
        args=(True, shown_ids),
        key="reduce_accept_all",
        width="stretch",
    )
    right.button(
        tr("reduce.reject_all"),
        on_click=set_all,
        args=(False, shown_ids),
        key="reduce_reject_all",
        width="stretch",
    )
    # A new key whenever the rows or the choice change from outside the table.
    kinds_key = hashlib.sha256(",".join(kinds).encode()).hexdigest()[:8]
    first = 1
    if len(shown_recs) > views.EDITOR_PAGE_ROWS:
        pages = {
            a: tr(
                "reduce.editor_page_option",
                first=format_int(a, lang),
                last=format_int(b, lang),
                total=format_int(len(shown_recs), lang),
            )
            for a, b in views.editor_pages(len(shown_recs))
        }
        first = st.selectbox(
            tr("reduce.editor_page"),
            options=list(pages),
            format_func=pages.__getitem__,
            key=f"reduce_page:{scene['token']}:{goal_cap}:{kinds_key}",
        )
    page_recs = shown_recs[first - 1 : first - 1 + views.EDITOR_PAGE_ROWS]
    shown = remember(
        ("editor", goal_cap, tuple(kinds), first, lang, frozenset(scene["rejected"])),
        lambda: views.editor_frame(page_recs, scene["rejected"], lang, first),
        "editor",
        2,  # the table before and after the last tick
    )
    edited = st.data_editor(
        shown,
        key=f"reduce_editor:{scene['token']}:{goal_cap}:{kinds_key}:{first}:{scene['version']}",
        hide_index=True,
        width="stretch",
        height=EDITOR_HEIGHT,
        column_order=[
            "accepted",
            "rank",
            "title",
            "units",
            "goals",
            "indicators",
            "occasions",
            "rationale",
        ],
        disabled=[c for c in shown.columns if c != "accepted"],
        column_config={
            "accepted": st.column_config.CheckboxColumn(tr("reduce.ed.accepted")),
            "rank": st.column_config.NumberColumn(tr("reduce.ed.rank"), width="small"),
            "title": st.column_config.TextColumn(tr("reduce.ed.title"), width="large"),
            "kind": st.column_config.TextColumn(tr("reduce.ed.kind"), width="medium"),
            "units": st.column_config.TextColumn(tr("reduce.ed.units"), width="medium"),
            "goals": st.column_config.NumberColumn(tr("reduce.ed.goals"), format="localized"),
            "indicators": st.column_config.NumberColumn(
                tr("reduce.ed.indicators"), format="localized"
            ),
            "occasions": st.column_config.NumberColumn(
                tr("reduce.ed.occasions"), format="localized"
            ),
            "rationale": st.column_config.TextColumn(tr("reduce.ed.rationale"), width="large"),
        },
    )
    scene["rejected"] = views.rejected_after_edit(shown, pl.DataFrame(edited), scene["rejected"])

accepted = views.accepted_of(active, scene["rejected"])
chosen = scenario_key(accepted, rules)
after, totals_after, comparison = applied(chosen, accepted, rules, active)
st.session_state[SCENARIO_DOC_KEY] = (state.doc_token(), after)
totals_before = state.derived("document_totals", metrics.document_totals)
change = views.deltas(totals_before, totals_after)

with top:
    st.subheader(escape_markdown(views.headline(change, lang)))
    st.caption(
        tr(
            "reduce.headline_caption",
            accepted=format_int(len(accepted), lang),
            total=format_int(len(active), lang),
        )
    )
    columns = state.metric_columns(len(views.HEADLINE))
    for column, key in zip(columns, views.HEADLINE, strict=True):
        delta = change[key]
        column.metric(
            label("metric", key, lang),
            format_int(totals_after[key], lang),
            delta=views.signed(delta, lang),
            delta_color="gray" if delta == 0 else ("green" if delta < 0 else "red"),
            delta_arrow="off" if delta == 0 else ("down" if delta < 0 else "up"),
        )
    st.caption(tr("reduce.metrics_caption"))

# --- the evidence behind one recommendation --------------------------------------------------
if recs:
    st.header(tr("reduce.detail_title"))
    # The suggestions and the patterns that are only information are chosen from apart: a
    # large city has 18,000 of the latter, whose texts are built when first read (1.5 s).
    listing = "active" if active else "info"
    if active and info:
        listing = (
            st.segmented_control(
                tr("reduce.detail_list"),
                options=["active", "info"],
                default="active",
                format_func=lambda w: tr(
                    f"reduce.detail_list.{w}",
                    count=format_int(len(active if w == "active" else info), lang),
                ),
                key=f"reduce_detail_list:{scene['token']}",
            )
            or "active"
        )
    listed, first_rank = (active, 1) if listing == "active" else (info, len(active) + 1)
    # a long list is offered views.CHOOSER_ROWS at a time, by rank
    ranges = views.editor_pages(len(listed), views.CHOOSER_ROWS)
    start, choose_in = 1, st.container()
    if len(ranges) > 1:
        range_in, choose_in = st.columns([1, 3], vertical_alignment="bottom")
        total, shift = format_int(len(recs), lang), first_rank - 1
        labels = {
            a: tr(
                "reduce.editor_page_option",
                first=format_int(a + shift, lang),
                last=format_int(b + shift, lang),
                total=total,
            )
            for a, b in ranges
        }
        start = range_in.selectbox(
            tr("reduce.detail_range"),
            options=list(labels),
            format_func=labels.__getitem__,
            key=f"reduce_detail_range:{scene['token']}:{goal_cap}:{listing}",
        )
    choices = remember(
        ("choices", goal_cap, listing, start, lang),
        lambda: views.chooser_options(listed, first_rank, start, lang=lang),
        "views",
    )
    chosen_id = choose_in.selectbox(
        tr("reduce.detail_choose" if listing == "active" else "reduce.detail_choose_info"),
        options=list(choices),
        format_func=choices.__getitem__,
        key=f"reduce_detail:{scene['token']}:{listing}:{start}",
    )
    rec = by_id[chosen_id]
    if rec.covered_by:
        status = tr("reduce.status_covered", other=views.reference(rec.covered_by, active, lang))
    elif rec.changes.is_empty():
        status = tr("reduce.info_only").lower()
    elif rec.id in scene["rejected"]:
        status = tr("reduce.status_rejected")
    else:
        status = tr("reduce.status_accepted")
    st.subheader(escape_markdown(rec.title), anchor=False)
    st.markdown(
        escape_markdown(
            tr("reduce.detail_kind", kind=tr(f"reduce.kind.{rec.kind}"), status=status)
            + " "
            + tr("reduce.detail_effect", effect=views.effect_line(rec.effect, lang))
        )
    )
    st.markdown(escape_markdown(tr("reduce.detail_units", units=", ".join(rec.units) or "–")))
    st.markdown(escape_markdown(rec.rationale))
    items = remember(
        ("items", rec.id, goal_cap, lang),
        lambda: views.items_frame(rec, lang, views.ITEMS_SHOWN),
        "views",
    )
    state.table(
        items,
        {c: tr(f"reduce.it.{c}") for c in items.columns},
        static=True,
        width="stretch",
    )
    if len(rec.items) > items.height:
        all_items = format_int(len(rec.items), lang)
        st.caption(tr("reduce.items_more", shown=format_int(items.height, lang), total=all_items))
        st.download_button(
            tr("reduce.items_download", total=all_items),
            data=lambda rec=rec: views.items_workbook(rec, lang),
            file_name=f"{state.file_slug(doc.name)}_{state.file_slug(rec.id)}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            key=f"reduce_items_download:{rec.id}",
        )
    if rec.evidence:
        st.caption(escape_markdown(tr("reduce.detail_evidence") + ": " + views.evidence_text(rec, lang)))
    if info:
        # Listed when opened (the page reruns): the texts of a large city's 18,000 patterns
        # are built on first read.
        patterns = st.expander(
            tr("reduce.info_title", count=format_int(len(info), lang)),
            key=f"{INFO_KEY}:{scene['token']}:{goal_cap}",
            on_change="rerun",
        )
        if patterns.open:
            with patterns:
                st.caption(tr("reduce.info_caption"))
                shown_info = remember(
                    ("info", goal_cap, lang), lambda: views.info_frame(info, active, lang), "views"
                )
                state.table(
                    shown_info,
                    {c: tr(f"reduce.ed.{c}") for c in shown_info.columns},
                    width="stretch",
                )

# --- before and after per unit ---------------------------------------------------------------
st.header(tr("reduce.bars_title"))
metric = (
    st.segmented_control(
        tr("reduce.bars_metric"),
        options=list(views.BAR_METRICS),
        default=views.BAR_METRICS[0],
        format_func=lambda m: label("metric", m, lang),
        key="reduce_bars_metric",
    )
    or views.BAR_METRICS[0]
)
metric_name = label("metric", metric, lang)
bars = views.before_after(comparison, metric, TOP_UNITS)
state.chart(
    remember(
        (*chosen, "bars", metric, lang),
        lambda: charts.before_after_bars(
            bars, metric_name, tr("reduce.bars_chart_title", metric=metric_name), lang
        ),
        "figures",
        FIGURES_SIZE,
    ),
    tr(
        "reduce.bars_caption" if bars["delta"].ne(0).any() else "reduce.bars_caption_none",
        n=format_int(bars.height, lang),
    ),
    key="reduce_bars",
)

# --- rules -----------------------------------------------------------------------------------
st.header(tr("reduce.rules_title"))
st.caption(tr("reduce.rules_caption", default=format_int(DEFAULT_GOAL_CAP, lang)))
version = f"{scene['token']}:{scene['version']}"
by_hand = st.toggle(
    tr("reduce.by_hand"),
    value=bool(rules.removed_goals or rules.removed_indicators),
    key=f"reduce_by_hand:{version}",
)
unit_id = None
if by_hand and views.needs_unit_for_picks(doc):
    unit_names = dict(zip(doc.units["unit_id"], doc.units["name"], strict=True))
    unit_id = st.selectbox(
        tr("reduce.by_hand_unit"),
        options=list(unit_names),
        format_func=unit_names.__getitem__,
        key=f"reduce_by_hand_unit:{scene['token']}",
        help=tr("reduce.by_hand_unit_help"),
    )
if by_hand:
    goal_names, indicator_names = remember(
        ("picks", unit_id, rules), lambda: views.pick_options(doc, unit_id, rules), "views"
    )
with st.form(f"reduce_rules:{version}"):
    cap_on, cap_value, frequency = st.columns(3)
    use_cap = cap_on.checkbox(
        tr("reduce.use_cap"), value=goal_cap is not None, key=f"reduce_use_cap:{version}"
    )
    cap = cap_value.number_input(
        tr("reduce.goal_cap"),
        min_value=1,
        max_value=500,
        value=goal_cap if goal_cap is not None else DEFAULT_GOAL_CAP,
        step=1,
        help=tr("reduce.goal_cap_help", default=format_int(DEFAULT_GOAL_CAP, lang)),
        key=f"reduce_cap:{version}",
    )
    options = [None, *FREQUENCIES]
    max_frequency = frequency.selectbox(
        tr("reduce.max_frequency"),
        options=options,
        index=options.index(rules.max_frequency),
        format_func=lambda f: tr("reduce.no_limit") if f is None else label("frequency", f, lang),
        key=f"reduce_max_frequency:{version}",
    )
    removed_goals, removed_indicators = rules.removed_goals, rules.removed_indicators
    if by_hand:
        where = f"{version}:{unit_id}"
        removed_goals = pick("reduce.removed_goals", goal_names, removed_goals, where)
        removed_indicators = pick(
            "reduce.removed_indicators", indicator_names, removed_indicators, where
        )
    if st.form_submit_button(tr("reduce.rules_submit"), type="primary"):
        changed(
            goal_cap=int(cap) if use_cap else None,
            rules=scenario.Rules(
                max_frequency=max_frequency,
                removed_goals=frozenset(removed_goals),
                removed_indicators=frozenset(removed_indicators),
            ),
        )
        st.rerun()

# --- the goal-type mix per level -------------------------------------------------------------
st.header(tr("reduce.type_title"))
mix = state.derived("reduce:type_mix", views.type_mix)
if mix.height:
    state.chart(
        state.derived(
            f"reduce:type_figure:{lang}",
            lambda _doc: charts.goal_type_bars(mix, lang, tr("reduce.type_chart_title")),
        ),
        tr("reduce.type_caption"),
        key="reduce_types",
    )
else:
    st.info(tr("common.no_data", what=label("metric", "goals", lang).lower()))

# --- time estimate under assumptions ---------------------------------------------------------
with st.expander(tr("reduce.time_title")):
    st.caption(tr("reduce.time_caption"))
    assumptions: scenario.TimeAssumptions = scene["assumptions"]
    with st.form(f"reduce_hours:{version}"):
        grid = st.columns(3)
        values = {}
        for index, key in enumerate(views.HOUR_KEYS):
            values[key] = grid[index % 3].number_input(
                tr(f"reduce.hours.{key}"),
                min_value=0.0,
                max_value=1000.0,
                value=float(getattr(assumptions, key)),
                step=0.25,
                format="%.2f",
                key=f"reduce_hours:{key}:{version}",
            )
        if st.form_submit_button(tr("reduce.time_submit")):
            changed(assumptions=views.assumptions_from(values))
            st.rerun()
    hours_before = remember(
        ("hours_before", assumptions),
        lambda: scenario.reporting_hours(doc, assumptions),
        "views",
    )
    estimate = remember(
        ("hours", tuple(r.id for r in accepted), rules, goal_cap, assumptions),
        lambda: scenario.time_estimate(doc, after, assumptions, hours_before),
    )
    st.markdown(
        escape_markdown(
            tr(
                "reduce.time_result",
                before=format_int(estimate["before"]["total_hours"], lang),
                after=format_int(estimate["after"]["total_hours"], lang),
                saved=format_decimal(estimate["hours_saved"], lang, 0),
            )
        )
    )
    hours = views.hours_table(estimate, lang)
    st.dataframe(
        hours,
        hide_index=True,
        width="stretch",
        column_config={
            c: st.column_config.TextColumn(
                tr(f"reduce.hcol.{c}"), alignment="left" if c == "source" else "right"
            )
            for c in hours.columns
        },
    )

# --- save, load, export ----------------------------------------------------------------------
st.header(tr("reduce.files_title"))
st.caption(tr("reduce.files_caption"))
saved_rules = replace(rules, goal_cap=goal_cap)
save, export = st.columns(2)
save.download_button(
    tr("reduce.save"),
    data=scenario.save_scenario(
        [r.id for r in accepted], saved_rules, scene["assumptions"], document=doc.name
    ),
    file_name="goalload_scenario.json",
    mime="application/json",
    key="reduce_save",
    on_click="ignore",
    icon=":material/save:",
    width="stretch",
)
export.download_button(
    tr("reduce.export"),
    help=tr("reduce.export_help"),
    data=lambda: views.changes_xlsx(
        doc.name, accepted, totals_before, totals_after, goal_cap=goal_cap, rules=rules, lang=lang
    ),
    file_name="goalload_andringar.xlsx" if lang == "sv" else "goalload_changes.xlsx",
    mime=XLSX,
    key="reduce_export",
    on_click="ignore",
    icon=":material/table_view:",
    width="stretch",
)
st.file_uploader(
    tr("reduce.load"),
    type=["json"],
    key=UPLOAD_KEY,
    help=tr("reduce.load_help"),
    on_change=on_load,
    max_upload_size=max(1, scenario.MAX_SCENARIO_BYTES // (1024 * 1024)),
)
