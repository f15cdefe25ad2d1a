"""AppTest: the Överlapp page shows goalload.overlap.find_overlap's figures and follows
the threshold slider.

The expected figures are computed here from find_overlap's frames (and overlap_json
for the shared indicators) on the same file, without the page or overlap_views: a page
that counted pass-through pairs instead of goals, ignored the slider, or lost the
threshold on a page switch fails.
"""

from __future__ import annotations

import polars as pl
import pytest
from app_helpers import (
    APP,
    APP_TIMEOUT,
    LAYOUT_EXAMPLES,
    assert_no_exception,
    expander_key,
    figures,
    go,
    metric_values,
    open_expanders,
    record_calls,
    upload,
)
from streamlit.testing.v1 import AppTest

from goalload.formatting import NBSP, escape_markdown, format_int, format_percent
from goalload.i18n import t
from goalload.overlap import DEFAULT_THRESHOLD, find_overlap, overlap_json
from goalload.overlap_views import NB_HYPHEN
from goalload.read import read_path

PAGE = "app_pages/overlap.py"
SLIDER = "overlap_threshold_slider"
SAMPLE = LAYOUT_EXAMPLES["template"]


def expected_metrics(path, threshold: float = DEFAULT_THRESHOLD, lang: str = "sv") -> dict:
    """The headline as the page must show it, straight from find_overlap."""
    doc = read_path(path)
    overlap = find_overlap(doc, threshold)
    pairs = overlap.pairs
    horizontal = pairs.filter(pl.col("kind") == "horizontal")
    through = pairs.filter(pl.col("kind") == "pass_through")
    flagged = (
        set(horizontal["a_goal_id"]) | set(horizontal["b_goal_id"]) | set(through["a_goal_id"])
    )
    goals = doc.goals["goal_id"].n_unique()
    values = {
        "horizontal_pairs": format_int(horizontal.height, lang),
        "clusters": format_int(len(set(overlap.clusters["cluster_id"])), lang),
        "pass_through_goals": format_int(len(set(through["a_goal_id"])), lang),
        "shared_indicators": format_int(
            len(overlap_json(doc, threshold)["shared_indicators"]), lang
        ),
        "overlap_share": format_percent(len(flagged) / goals, lang, 0),
    }
    return {t(f"overlap.metric.{k}", lang): v for k, v in values.items()}


def open_overlap(lang: str | None = None, path=None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    assert_no_exception(at)
    if path is not None and path != SAMPLE:
        upload(at, path.name, path.read_bytes())
    return go(at, PAGE)


def theme_key(expander) -> str | None:
    return expander_key(expander, "overlap_theme:")


def open_themes(at: AppTest, which=lambda label: True) -> list:
    """Open the themes whose label `which` accepts, as a click would."""
    return open_expanders(at, "overlap_theme:", which)


def set_threshold(at: AppTest, value: float) -> AppTest:
    at.select_slider(key=SLIDER).set_value(value)
    at.run()
    assert_no_exception(at)
    return at


@pytest.mark.parametrize("layout", ["template", "hierarchy_columns", "levels_in_rows"])
def test_headline_equals_find_overlap(layout):
    path = LAYOUT_EXAMPLES[layout]
    at = open_overlap(path=path)
    assert at.select_slider(key=SLIDER).value == DEFAULT_THRESHOLD
    assert metric_values(at) == expected_metrics(path)
    doc = read_path(path)
    overlap = find_overlap(doc)
    # One expander per theme (up to the page's 40), each with every member's goal id.
    clusters = overlap.clusters.group_by("cluster_id", maintain_order=True).agg("goal_id")
    shown = [e for e in open_themes(at) if e.label.startswith("K")]
    assert len(shown) == min(40, clusters.height)
    for expander, (cluster_id, goal_ids) in zip(shown, clusters.iter_rows(), strict=False):
        assert expander.label.startswith(f"{cluster_id} · ")
        inside = "\n".join(m.value for m in expander.markdown)
        for goal_id in goal_ids:
            assert escape_markdown(goal_id).replace("\\-", NB_HYPHEN) in inside
    heat = figures(at)[0]["data"][0]
    assert heat["type"] == "heatmap"
    assert len(heat["y"]) == len(heat["x"]) > 0


def test_planted_duplicate_shows_both_texts_with_evidence_in_bold():
    at = open_overlap(path=LAYOUT_EXAMPLES["hierarchy_columns"])
    text = "Öka andelen elever som når kunskapskraven i alla ämnen"
    expander = next(e for e in open_themes(at, lambda label: text in label) if text in e.label)
    # Two goals: two cards next to each other, then the shared words.
    assert len(expander.columns) == 2
    cards = [column.markdown[0].value for column in expander.columns]
    assert "Barn\\- och utbildningsnämnden" in cards[0] + cards[1]
    assert "Kultur\\- och fritidsnämnden" in cards[0] + cards[1]
    assert all("**kunskapskraven**" in card and "**elever**" in card for card in cards)
    common = expander.markdown[-1].value
    assert common.startswith("Gemensamt: ") and "kunskapskraven" in common


def test_a_theme_is_worked_out_only_when_opened(monkeypatch):
    """The themes are listed without their goals; a theme's goals are worked out and sent
    when the user opens it (a large city's 40 themes took 40-140 ms of every new
    threshold), that theme's only, once per threshold."""
    from goalload import overlap_views

    calls = record_calls(monkeypatch, overlap_views, "theme")
    at = open_overlap()
    themes = [e for e in at.main.expander if theme_key(e)]
    assert len(themes) > 2 and calls == []
    assert not any(e.children for e in themes)
    second = themes[1].label
    after = [e for e in open_themes(at, lambda label: label == second) if theme_key(e)]
    assert [call[2]["cluster_id"] for call in calls] == [second.split(" · ")[0]]
    assert [bool(e.children) for e in after] == [e.label == second for e in after]
    at.run()  # another rerun, the theme still open: kept, not worked out again
    assert len(calls) == 1 and [e for e in at.main.expander if theme_key(e)][1].children
    set_threshold(at, 0.8)  # another threshold, other themes: listed closed
    assert not any(e.children for e in at.main.expander if theme_key(e))
    assert len(calls) == 1


def test_slider_changes_the_pair_count_as_find_overlap_does():
    at = open_overlap()
    label = t("overlap.metric.horizontal_pairs")
    before = metric_values(at)[label]
    set_threshold(at, 0.8)
    assert metric_values(at) == expected_metrics(SAMPLE, 0.8)
    assert metric_values(at)[label] != before  # the sample has looser pairs than 0,8
    set_threshold(at, 0.3)
    assert metric_values(at) == expected_metrics(SAMPLE, 0.3)
    assert "0,3" in " ".join(c.value for c in at.main.caption)


def test_threshold_survives_a_page_switch():
    at = open_overlap()
    set_threshold(at, 0.8)
    go(at, "app_pages/load.py")
    go(at, PAGE)
    assert at.select_slider(key=SLIDER).value == 0.8
    assert metric_values(at) == expected_metrics(SAMPLE, 0.8)


def test_returning_to_a_threshold_reuses_its_results_and_memory_stays_bounded():
    """Moving the slider back and forth must not recompute the overlap (a large city's
    takes seconds), and the kept results stay bounded per session."""
    at = open_overlap()
    results = lambda: at.session_state["overlap_results"]["values"]  # noqa: E731
    first = results()[DEFAULT_THRESHOLD][("views", "sv")]
    set_threshold(at, 0.8)
    set_threshold(at, DEFAULT_THRESHOLD)
    assert results()[DEFAULT_THRESHOLD][("views", "sv")] is first
    assert metric_values(at) == expected_metrics(SAMPLE)
    for value in (0.3, 0.4, 0.5, 0.6, 0.7):
        set_threshold(at, value)
    assert len(results()) <= 4
    assert DEFAULT_THRESHOLD not in results()


def test_english_labels_and_number_format():
    at = open_overlap(lang="en")
    assert metric_values(at) == expected_metrics(SAMPLE, lang="en")
    assert at.title[0].value == t("overlap.title", "en")
    headers = [h.value for h in at.main.header]
    assert t("overlap.heatmap_header", "en") in headers
    assert t("overlap.indicators_header", "en") in headers


def test_hostile_goal_texts_are_shown_as_typed(make_workbook):
    hostile = "<b>Fet</b> [länk](http://example.com) :red[röd] $x$ sjukfrånvaron | rör"
    unit = "Nämnd <i>kursiv</i>"
    data = make_workbook(
        {
            "Styrkort": [
                ["ID", "Nivå", "Organisation", "Mål", "Kopplat till", "Indikatorer"],
                ["K1", "Kommunfullmäktige", "Kommunfullmäktige", "Trygg kommun", None, "A"],
                ["N1", "Nämnd", "Socialnämnden", hostile, "K1", "Sjukfrånvaro <b>%</b>"],
                ["N2", "Nämnd", unit, hostile, "K1", "Sjukfrånvaro <b>%</b>"],
            ]
        }
    )
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    at.run()
    upload(at, "elak.xlsx", data)
    go(at, PAGE)
    expander = next(e for e in open_themes(at) if "Fet" in e.label)
    shown = [expander.label, *(m.value for m in at.main.markdown), *(c.value for c in at.caption)]
    for text in shown:
        assert "<b>" not in text and "<i>" not in text
        assert "](http" not in text and ":red[" not in text
    card = expander.markdown[0].value
    # Every word of the identical texts is shared, so bold; the markup around stays escaped.
    assert "\\<**b**\\>**Fet**\\</**b**\\>" in card and "**sjukfrånvaron**" in card
    for spec in figures(at):
        for trace in spec["data"]:
            labels = str(trace.get("x")) + str(trace.get("y"))
            assert "<i>" not in labels
    assert any("&lt;i&gt;" in str(trace.get("y")) for trace in figures(at)[0]["data"])


def test_pass_through_table_one_level_at_a_time():
    path = LAYOUT_EXAMPLES["levels_in_rows"]
    at = open_overlap(path=path)
    doc = read_path(path)
    pairs = find_overlap(doc).pairs.filter(pl.col("kind") == "pass_through")
    # N2 (Socialnämnden) restates KF1; E1 and E2 (units) restate F1 and N5.
    assert set(zip(pairs["a_goal_id"], pairs["b_goal_id"], strict=True)) == {
        ("N2", "KF1"),
        ("E1", "F1"),
        ("E2", "N5"),
    }
    control = at.segmented_control[0]
    assert control.options == ["Nämnd (1)", "Enhet (2)"]
    header = t("overlap.tcol.goal_id")

    def shown_ids() -> set[str]:
        tables = [tbl.value for tbl in at.main.table if header in tbl.value.columns]
        return set(tables[0][header])

    assert shown_ids() == {"N2"}  # the top level with pass-through goals first
    control.set_value("unit")
    at.run()
    assert_no_exception(at)
    assert shown_ids() == {"E1", "E2"}


def test_a_document_without_overlap_says_so(make_workbook):
    data = make_workbook(
        {
            "Styrkort": [
                ["ID", "Nivå", "Organisation", "Mål", "Kopplat till", "Indikatorer"],
                ["K1", "Kommunfullmäktige", "Kommunfullmäktige", "Trygg kommun", None, "A"],
                ["N1", "Nämnd", "Socialnämnden", "Fler i egen försörjning", "K1", "B"],
                ["N2", "Nämnd", "Tekniska nämnden", "Bygg säkra cykelvägar", "K1", "C"],
            ]
        }
    )
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    at.run()
    upload(at, "ren.xlsx", data)
    go(at, PAGE)
    assert set(metric_values(at).values()) == {"0", f"0{NBSP}%"}
    infos = {i.value for i in at.main.info}
    for key in ("heatmap_none", "clusters_none", "through_none", "indicators_none"):
        assert t(f"overlap.{key}") in infos
    assert not at.main.expander and not figures(at)  # no heatmap, no bars of zeros
    assert at.main.subheader[0].value == escape_markdown(t("overlap.summary_none", goals="3"))


def test_a_very_large_theme_lists_its_first_goals_and_says_how_many(make_workbook):
    rows = [["ID", "Nivå", "Organisation", "Mål", "Kopplat till", "Indikatorer"]]
    rows.append(["K1", "Kommunfullmäktige", "Kommunfullmäktige", "Trygg kommun", None, "A"])
    count = 65
    rows += [
        [f"N{i}", "Nämnd", f"Nämnd {i}", "Sänka sjukfrånvaron", "K1", "Sjukfrånvaro"]
        for i in range(1, count + 1)
    ]
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    at.run()
    upload(at, "stor.xlsx", make_workbook({"Styrkort": rows}))
    go(at, PAGE)
    (expander,) = open_themes(at)
    assert f"{count} mål i {count} enheter" in expander.label
    table = expander.markdown[0].value
    listed = table.splitlines()[2:]
    assert 0 < len(listed) < count
    assert expander.caption[0].value == t(
        "overlap.members_showing", shown=str(len(listed)), total=str(count)
    )


def test_moving_the_slider_never_computes_the_overlap_again(monkeypatch):
    """The page computes the overlap once, at the lowest threshold, and derives every
    threshold from it (equal to computing it: test_slider_changes_..., and
    tests/test_overlap_thresholds.py); a large city's overlap takes seconds."""
    from goalload import overlap

    calls = record_calls(monkeypatch, overlap, "find_overlap")
    at = open_overlap()
    by_page = list(calls)
    for value in (0.8, 0.2, 0.35, DEFAULT_THRESHOLD, 1.0):
        set_threshold(at, value)
        by_page += calls[len(by_page) :]
        assert metric_values(at) == expected_metrics(SAMPLE, value)  # find_overlap here
        del calls[len(by_page) :]
    assert by_page == [(overlap.MIN_THRESHOLD,)]


# --- the neighbouring thresholds, worked out while the user reads -------------------------


@pytest.fixture
def ahead(monkeypatch):
    """The sample is below PREFETCH_MIN_GOALS: lowered so it takes the background path."""
    import app_state

    monkeypatch.setattr(app_state, "PREFETCH_MIN_GOALS", 1)
    return app_state


def _once_the_background_is_done(at: AppTest) -> AppTest:
    """The page after the document's background chain finished (until then it shows its
    progress, app_state.progress_until_ready)."""
    from concurrent.futures import Future

    for value in list(at.session_state["doc_derived"].values()):
        if isinstance(value, Future):
            value.result(timeout=120)
    at.run()
    assert_no_exception(at)
    return at


def _kept(at: AppTest, threshold: float):
    return at.session_state["overlap_results"]["values"].get(threshold, {}).get(("views", "sv"))


def test_the_next_thresholds_are_worked_out_ahead_and_shown_unchanged(ahead, monkeypatch):
    """Once the page is drawn, the worker computes the thresholds one slider step either
    side; moving there shows them without computing, with find_overlap's figures."""
    import threading
    from concurrent.futures import Future

    from goalload import overlap, overlap_views

    at = _once_the_background_is_done(open_overlap())
    options = overlap_views.threshold_options()
    at_default = options.index(DEFAULT_THRESHOLD)
    below, above = options[at_default - 1], options[at_default + 1]
    futures = {t: _kept(at, t) for t in (below, above)}
    assert all(isinstance(f, Future) for f in futures.values())
    ready = {t: f.result(timeout=120) for t, f in futures.items()}

    def only_on_the_worker(real):
        def run(*args, **kwargs):
            if not threading.current_thread().name.startswith("goalload-ahead"):
                raise AssertionError("computed again on the page although the worker had it")
            return real(*args, **kwargs)

        return run

    monkeypatch.setattr(overlap, "at_threshold", only_on_the_worker(overlap.at_threshold))
    monkeypatch.setattr(
        overlap_views, "threshold_views", only_on_the_worker(overlap_views.threshold_views)
    )
    set_threshold(at, above)
    assert _kept(at, above) is ready[above]
    assert metric_values(at) == expected_metrics(SAMPLE, above)
    # from there, the step beyond is worked out ahead; the one below is still kept
    assert isinstance(_kept(at, options[at_default + 2]), Future)
    assert _kept(at, DEFAULT_THRESHOLD) is not None
    _kept(at, options[at_default + 2]).result(timeout=120)
    set_threshold(at, below)  # not a neighbour of `above`, but kept from before
    assert _kept(at, below) is ready[below]
    assert metric_values(at) == expected_metrics(SAMPLE, below)
    assert len(at.session_state["overlap_results"]["values"]) <= 4


def test_a_step_before_the_worker_gets_to_it_is_computed_on_the_page(ahead):
    """Work ahead still queued (its worker busy with another session's) is cancelled and
    done by the page, with the same figures."""
    from concurrent.futures import Future

    from goalload.overlap_views import threshold_options

    blocker_started, release = Future(), Future()

    def block() -> None:
        blocker_started.set_result(True)
        release.result(timeout=120)

    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    at.run()
    for value in at.session_state["doc_derived"].values():
        if isinstance(value, Future):
            value.result(timeout=120)  # the document's own background chain
    ahead._AHEAD.submit(block)
    try:
        blocker_started.result(timeout=120)
        go(at, PAGE)
        options = threshold_options()
        above = options[options.index(DEFAULT_THRESHOLD) + 1]
        queued, below = _kept(at, above), _kept(at, options[options.index(DEFAULT_THRESHOLD) - 1])
        assert isinstance(queued, Future) and not queued.running()
        set_threshold(at, above)
        assert queued.cancelled()
        assert below.cancelled()  # no longer next to the threshold shown: not worked out
        assert metric_values(at) == expected_metrics(SAMPLE, above)
    finally:
        release.set_result(True)


def test_work_ahead_for_a_replaced_document_is_abandoned(ahead):
    """A new upload stops the previous document's work ahead: queued, it is cancelled
    (running, it stops at its next pause)."""
    from concurrent.futures import Future

    from goalload.overlap_views import threshold_options

    blocker_started, release = Future(), Future()

    def block() -> None:
        blocker_started.set_result(True)
        release.result(timeout=120)

    at = _once_the_background_is_done(open_overlap())
    ahead._AHEAD.submit(block)
    try:
        blocker_started.result(timeout=120)
        options = threshold_options()
        set_threshold(at, options[options.index(DEFAULT_THRESHOLD) + 2])
        queued = [
            value
            for results in at.session_state["overlap_results"]["values"].values()
            for value in results.values()
            if isinstance(value, Future) and not value.done()
        ]
        assert queued and all(value.wanted.is_set() for value in queued)
        flat = LAYOUT_EXAMPLES["hierarchy_columns"]
        upload(at, flat.name, flat.read_bytes())
        assert all(value.cancelled() and not value.wanted.is_set() for value in queued)
    finally:
        release.set_result(True)


def test_small_documents_are_not_worked_out_ahead():
    at = open_overlap()
    assert list(at.session_state["overlap_results"]["values"]) == [DEFAULT_THRESHOLD]
