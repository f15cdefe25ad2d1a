"""AppTest: the Minska detaljstyrning page shows goalload.recommend's suggestions and
follows every choice a committee makes.

The expected figures come from goalload.recommend, goalload.scenario and
goalload.metrics on the same sample file, computed here without the page: a page that
counted a rejected suggestion, ignored the goal cap, lost the choice on a page switch
or on a bad scenario file, or saved something it cannot load again, fails.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from app_helpers import (
    APP,
    APP_TIMEOUT,
    REPO,
    assert_no_exception,
    expander_key,
    go,
    open_expanders,
)
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from goalload import metrics, scenario
from goalload import reduce_views as views
from goalload.formatting import NBSP, escape_markdown, format_int
from goalload.i18n import label, t
from goalload.read import read_path
from goalload.recommend import DEFAULT_GOAL_CAP, recommend

PAGE = "app_pages/reduce.py"
SAMPLE = REPO / "sample_data" / "exempelkommun.xlsx"
SCENARIO_KEY = "reduce_scenario"
INFO_KEY = "reduce_info"


@pytest.fixture(scope="module")
def doc():
    return read_path(SAMPLE)


@pytest.fixture(scope="module")
def recs(doc):
    return recommend(doc)


@pytest.fixture
def saved_files(monkeypatch) -> dict[str, bytes]:
    """Every file the page hands to a download button, by media file id."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return files


def open_reduce(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    assert_no_exception(at)
    return go(at, PAGE)


def editor(at: AppTest):
    return next(e for e in at.data_editor if e.key.startswith("reduce_editor:"))


def untick(at: AppTest, *rows: int) -> AppTest:
    """Reject the suggestions on these rows of the table, as a person does, and rerun."""
    at.session_state[editor(at).key] = {
        "edited_rows": {row: {"accepted": False} for row in rows},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_no_exception(at)
    return at


def shown_metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    names = {label("metric", k): k for k in views.HEADLINE}
    return {names[m.label]: (m.value, m.delta) for m in at.main.metric if m.label in names}


def expected_metrics(doc, after) -> dict[str, tuple[str, str]]:
    before, later = metrics.document_totals(doc), metrics.document_totals(after)
    return {
        k: (format_int(later[k]), views.signed(later[k] - before[k], "sv")) for k in views.HEADLINE
    }


def parse_int(text: str) -> int:
    """ "2 529" or "−128" (Swedish format) back to a number."""
    return int(text.replace(NBSP, "").replace("−", "-"))


def headline(at: AppTest) -> str:
    return at.main.subheader[0].value


def rejected(at: AppTest) -> set[str]:
    return at.session_state[SCENARIO_KEY]["rejected"]


def form_widget(widgets, prefix: str):
    return next(w for w in widgets if w.key and w.key.startswith(prefix))


def open_patterns(at: AppTest) -> AppTest:
    """Open the expander listing the patterns that are only information, as a click would."""
    open_expanders(at, f"{INFO_KEY}:")
    return at


def session_recommendations(at: AppTest) -> list:
    """The recommendations the page shows, as the session keeps them (lazy texts)."""
    return at.session_state["doc_derived"]["recommendations"][0]


def unbuilt(recs: list) -> list:
    """The informational recommendations whose texts have not been built yet."""
    return [r for r in views.informational(recs) if "_make_texts" in r.__dict__]


def test_every_kind_of_suggestion_is_shown_with_its_evidence(doc, recs):
    at = open_patterns(open_reduce())
    assert at.title[0].value == "Minska detaljstyrning"
    table = editor(at).value
    active = views.actionable(recs)
    assert table["id"].tolist() == [r.id for r in active]  # ranked as recommend ranks
    assert table["accepted"].all()  # every suggestion chosen at first
    info = next(
        frame.value
        for frame in [*at.table, *at.dataframe]
        if frame.value.columns[0] == t("reduce.ed.title")
    )
    shown_kinds = set(table["kind"]) | set(info[t("reduce.ed.kind")])
    assert shown_kinds == {t(f"reduce.kind.{r.kind}") for r in recs}
    assert len(info) == len(views.informational(recs))
    # each names the suggestion that handles it by its number and title in the table
    numbered = {f"{n}. {r.title}" for n, r in enumerate(active, 1)}
    assert set(info[t("reduce.ed.covered_by")]) <= numbered | {t("reduce.info_only")}
    # the first suggestion's evidence: rationale, its items with ids and texts, its effect
    first = active[0]
    texts = [m.value for m in at.main.markdown]
    assert escape_markdown(first.rationale) in texts
    assert any(views.effect_line(first.effect) in text.replace("\\", "") for text in texts)
    items = at.table[0].value
    assert items[t("reduce.it.id")].tolist() == [i["id"] for i in first.items]
    assert items[t("reduce.it.text")].tolist() == [i["text"] for i in first.items]


def test_accepting_all_gives_the_totals_of_applying_all(doc, recs):
    at = open_reduce()
    after = scenario.apply(doc, recs)
    assert shown_metrics(at) == expected_metrics(doc, after)
    before, later = metrics.document_totals(doc), metrics.document_totals(after)
    goals = later["goals"] - before["goals"]
    occasions = later["reporting_occasions_per_year"] - before["reporting_occasions_per_year"]
    assert goals < 0 and occasions < 0
    assert headline(at) == (
        f"{views.signed(goals, 'sv')} mål, {views.signed(occasions, 'sv')} "
        "rapporteringstillfällen per år"
    )
    # every figure the chart shows is the comparison's, for the units that drop most
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    comparison = scenario.compare(doc, after)
    expected = views.before_after(comparison, "steering_signals", 15)
    assert spec["data"][0]["x"] == expected["before"].to_list()
    assert spec["data"][1]["x"] == expected["after"].to_list()


def test_the_default_scenario_is_not_applied_again(doc, recs, monkeypatch):
    """Minska's first view shows all suggestions accepted: the document the background
    applied them to is reused (0.3 s on a large city), and a changed choice is applied."""
    calls: list[int] = []
    real = views.apply

    def counted(before, accepted, rules=None):
        calls.append(len(accepted))
        return real(before, accepted, rules)

    monkeypatch.setattr(views, "apply", counted)
    monkeypatch.setattr(scenario, "apply", counted)
    at = open_reduce()
    assert calls == []
    assert shown_metrics(at) == expected_metrics(doc, real(doc, recs))
    untick(at, 0)
    active = views.actionable(recs)
    assert calls == [len(active) - 1]
    assert shown_metrics(at) == expected_metrics(doc, real(doc, active[1:]))


def test_rejecting_a_suggestion_changes_the_deltas_by_exactly_its_effect(doc, recs):
    at = open_reduce()
    all_accepted = shown_metrics(at)
    active = views.actionable(recs)
    first, other = active[0], next(r for r in active if r.kind != active[0].kind)
    untick(at, 0, active.index(other))
    assert rejected(at) == {first.id, other.id}
    kept = [r for r in active if r.id not in {first.id, other.id}]
    assert shown_metrics(at) == expected_metrics(doc, scenario.apply(doc, kept))
    for key, effect in (
        ("goals", "goals"),
        ("indicators", "indicators"),
        ("reporting_occasions_per_year", "reporting_occasions_per_year"),
    ):
        before_value = parse_int(all_accepted[key][0])
        after_value = parse_int(shown_metrics(at)[key][0])
        assert after_value - before_value == first.effect[effect] + other.effect[effect], key
    # the presentation and the reports get the same scenario, for this document
    token, after = at.session_state["scenario_after"]
    assert token == hashlib.sha256(at.session_state["doc_token"].encode()).hexdigest()[:12]
    assert metrics.document_totals(after) == metrics.document_totals(scenario.apply(doc, kept))
    # the choice survives another page and coming back
    go(at, "app_pages/overview.py")
    go(at, PAGE)
    assert rejected(at) == {first.id, other.id}
    assert not editor(at).value["accepted"].iloc[0]
    assert shown_metrics(at) == expected_metrics(doc, scenario.apply(doc, kept))


def test_reject_all_then_choose_all(doc, recs):
    at = open_reduce()
    at.button(key="reduce_reject_all").click().run()
    assert_no_exception(at)
    assert not editor(at).value["accepted"].any()
    assert shown_metrics(at) == expected_metrics(doc, doc)  # nothing changes
    captions = [c.value for c in at.caption]
    assert t("reduce.bars_caption_none", n="15") in captions
    at.button(key="reduce_accept_all").click().run()
    assert editor(at).value["accepted"].all()
    assert shown_metrics(at) == expected_metrics(doc, scenario.apply(doc, recs))


def test_goal_cap_and_frequency_rules_change_the_result(doc):
    at = open_reduce()
    default = shown_metrics(at)
    form_widget(at.number_input, "reduce_cap:").set_value(3)
    submit = next(b for b in at.button if b.label == t("reduce.rules_submit"))
    submit.click().run()
    assert_no_exception(at)
    capped = recommend(doc, goal_cap=3)
    assert at.session_state[SCENARIO_KEY]["goal_cap"] == 3
    assert shown_metrics(at) == expected_metrics(doc, scenario.apply(doc, capped))
    assert shown_metrics(at)["goals"] != default["goals"]
    assert "above_goal_cap:" in " ".join(editor(at).value["id"])
    # a highest frequency on top: every indicator reported at most quarterly
    form_widget(at.selectbox, "reduce_max_frequency:").set_value("quarter")
    next(b for b in at.button if b.label == t("reduce.rules_submit")).click().run()
    assert_no_exception(at)
    rules = scenario.Rules(max_frequency="quarter")
    assert shown_metrics(at) == expected_metrics(doc, scenario.apply(doc, capped, rules))
    # the cap's number field still shows 3 after the form was submitted again
    assert form_widget(at.number_input, "reduce_cap:").value == 3


def submit_rules(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == t("reduce.rules_submit")).click().run()
    assert_no_exception(at)
    return at


def test_goals_and_indicators_removed_by_hand(doc, recs):
    at = open_reduce()
    assert not any((w.key or "").startswith("reduce.removed_goals") for w in at.multiselect)
    form_widget(at.toggle, "reduce_by_hand:").set_value(True).run()
    goal, indicator = doc.goals["goal_id"][3], doc.indicators["indicator_id"][7]
    form_widget(at.multiselect, "reduce.removed_goals").set_value([goal])
    form_widget(at.multiselect, "reduce.removed_indicators").set_value([indicator])
    submit_rules(at)
    rules = scenario.Rules(removed_goals=frozenset([goal]), removed_indicators=frozenset([indicator]))
    assert at.session_state[SCENARIO_KEY]["rules"] == rules
    assert shown_metrics(at) == expected_metrics(doc, scenario.apply(doc, views.actionable(recs), rules))
    # the switch stays on while something is removed by hand, and shows what was chosen
    assert form_widget(at.toggle, "reduce_by_hand:").value is True
    assert form_widget(at.multiselect, "reduce.removed_goals").value == [goal]


def test_a_large_document_offers_one_unit_at_a_time_and_keeps_earlier_picks(doc, monkeypatch):
    monkeypatch.setattr(views, "PICK_LIMIT", 100)
    at = open_reduce()
    form_widget(at.toggle, "reduce_by_hand:").set_value(True).run()
    units = form_widget(at.selectbox, "reduce_by_hand_unit:")
    owners = doc.goal_owners.group_by("unit_id").len().sort("len", descending=True)["unit_id"]
    first, second = owners[0], owners[1]
    units.set_value(first).run()
    offered = form_widget(at.multiselect, "reduce.removed_goals").options
    own = doc.goal_owners.filter(unit_id=first)["goal_id"].to_list()
    assert len(offered) == len(own) < doc.goals.height
    goal = own[0]
    form_widget(at.multiselect, "reduce.removed_goals").set_value([goal])
    submit_rules(at)
    form_widget(at.selectbox, "reduce_by_hand_unit:").set_value(second).run()
    assert form_widget(at.multiselect, "reduce.removed_goals").value == [goal]
    assert at.session_state[SCENARIO_KEY]["rules"].removed_goals == frozenset([goal])


def test_saving_then_loading_restores_the_same_choice(doc, recs, saved_files):
    at = open_reduce()
    ids = editor(at).value["id"].tolist()
    untick(at, 0, 2, 5)
    chosen = set(ids) - {ids[0], ids[2], ids[5]}
    assert rejected(at) == {ids[0], ids[2], ids[5]}
    button = next(b for b in at.get("download_button") if b.proto.label == t("reduce.save"))
    data = saved_files[button.proto.url.rsplit("/", 1)[-1].split(".")[0]]
    assert set(json.loads(data)["accepted"]) == chosen

    fresh = open_reduce()
    assert editor(fresh).value["accepted"].all()
    fresh.file_uploader(key="reduce_upload").set_value(("scenario.json", data, "application/json"))
    fresh.run()
    assert_no_exception(fresh)
    assert set(editor(fresh).value.query("accepted")["id"]) == chosen
    assert shown_metrics(fresh) == shown_metrics(at)
    loaded = t("reduce.loaded", file="scenario.json", accepted=format_int(len(chosen)))
    assert [s.value for s in fresh.success] == [escape_markdown(loaded)]
    fresh.run()  # the next click: the note has been read, the choice stays
    assert not fresh.success
    assert set(editor(fresh).value.query("accepted")["id"]) == chosen


def test_a_broken_scenario_file_says_so_in_swedish_and_keeps_the_scenario(doc, recs):
    at = open_reduce()
    untick(at, 1)
    before = shown_metrics(at), rejected(at).copy()
    at.file_uploader(key="reduce_upload").set_value(
        ("trasig.json", b"{ inte json", "application/json")
    )
    at.run()
    assert_no_exception(at)
    errors = [e.value for e in at.error]
    assert any("Scenariofilen går inte att läsa" in e and "trasig" in e for e in errors), errors
    assert (shown_metrics(at), rejected(at)) == before
    assert not editor(at).value["accepted"].iloc[1]


def test_the_excel_list_keeps_user_text_as_text():
    """A goal typed as a formula reaches the meeting's list as the text typed."""
    import io

    import openpyxl
    import polars as pl

    from goalload.model import new_document

    doc = new_document(
        "Formelkommun",
        units=pl.DataFrame({"unit_id": ["KF"], "name": ["Fullmäktige"], "level": ["council"]}),
        goals=pl.DataFrame(
            {"goal_id": ["G1"], "text": ['=HYPERLINK("http://x","Öka tryggheten")']}
        ),
        goal_owners=pl.DataFrame({"goal_id": ["G1"], "unit_id": ["KF"]}),
    )
    recs = views.actionable(recommend(doc))
    assert [r.kind for r in recs] == ["measure_or_drop_unmeasured"]
    after = scenario.apply(doc, recs)
    data = views.changes_xlsx(
        doc.name,
        recs,
        metrics.document_totals(doc),
        metrics.document_totals(after),
        goal_cap=None,
        rules=scenario.Rules(),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data))[t("reduce.xlsx.changes")]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in c.value)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    summary = dict(
        openpyxl.load_workbook(io.BytesIO(data))[t("reduce.xlsx.summary")].iter_rows(
            min_row=4, values_only=True
        )
    )
    assert summary[t("reduce.xlsx.after", metric=label("metric", "goals"))] == 0


def test_many_suggestions_are_shown_a_page_at_a_time_and_keep_their_ticks(doc, recs, monkeypatch):
    """A large city has 4,500 suggestions: the table shows EDITOR_PAGE_ROWS of them at a
    time, numbered as ranked, and a tick on one page counts whichever page is shown."""
    monkeypatch.setattr(views, "EDITOR_PAGE_ROWS", 3)
    active = views.actionable(recs)
    assert len(active) > 6
    at = open_reduce()
    assert editor(at).value["id"].tolist() == [r.id for r in active[:3]]
    pages = form_widget(at.selectbox, "reduce_page:")
    assert pages.options[:2] == [f"1–3 av {len(active)}", f"4–6 av {len(active)}"]
    pages.set_value(4).run()
    assert_no_exception(at)
    assert editor(at).value["id"].tolist() == [r.id for r in active[3:6]]
    assert editor(at).value["rank"].tolist() == [4, 5, 6]
    untick(at, 1)
    assert rejected(at) == {active[4].id}
    form_widget(at.selectbox, "reduce_page:").set_value(1).run()
    assert editor(at).value["accepted"].all()
    kept = [r for r in active if r.id != active[4].id]
    assert shown_metrics(at) == expected_metrics(doc, scenario.apply(doc, kept))
    # "reject all" means every suggestion of the chosen kinds, not only this page
    at.button(key="reduce_reject_all").click().run()
    assert rejected(at) == {r.id for r in active}


def test_a_long_list_of_items_shows_its_start_and_offers_all_in_excel(recs, monkeypatch):
    monkeypatch.setattr(views, "ITEMS_SHOWN", 1)
    first = views.actionable(recs)[0]
    assert len(first.items) > 1
    at = open_reduce()
    items = at.table[0].value
    assert items[t("reduce.it.id")].tolist() == [first.items[0]["id"]]
    total = format_int(len(first.items))
    assert t("reduce.items_more", shown="1", total=total) in [c.value for c in at.caption]
    button = next(
        b for b in at.get("download_button")
        if b.proto.label == t("reduce.items_download", total=total)
    )
    assert button.proto.deferred_file_id  # the workbook is made on click


def test_the_patterns_texts_are_built_only_when_the_user_asks_for_them():
    """A large city has 18,000 informational patterns whose texts take 1.5 s to build:
    the page lists them when their expander is opened, and offers them for the evidence
    when that list is chosen, not before."""
    at = open_reduce()
    recs = session_recommendations(at)
    info = views.informational(recs)
    assert info and len(unbuilt(recs)) == len([r for r in info if r.covered_by])
    patterns = next(e for e in at.main.expander if expander_key(e, f"{INFO_KEY}:"))
    assert patterns.label == t("reduce.info_title", count=format_int(len(info)))
    assert not patterns.children
    chooser = next(s for s in at.selectbox if s.key.startswith("reduce_detail:"))
    assert chooser.options == [f"{n}. {r.title} ({r.units[0] if r.units else r.id})"
                               for n, r in enumerate(views.actionable(recs), 1)]

    open_patterns(at)
    assert not unbuilt(recs)
    table = next(f.value for f in [*at.table, *at.dataframe]
                 if f.value.columns[0] == t("reduce.ed.title"))
    assert table[t("reduce.ed.title")].tolist() == [r.title for r in info]


def test_the_evidence_of_a_pattern_is_chosen_from_the_patterns_list():
    at = open_reduce()
    recs = session_recommendations(at)
    active, info = views.actionable(recs), views.informational(recs)
    lists = next(s for s in at.segmented_control if s.key.startswith("reduce_detail_list:"))
    assert lists.options == [
        t("reduce.detail_list.active", count=format_int(len(active))),
        t("reduce.detail_list.info", count=format_int(len(info))),
    ]
    lists.set_value("info").run()
    assert_no_exception(at)
    chooser = next(s for s in at.selectbox if s.key.startswith("reduce_detail:"))
    assert chooser.label == t("reduce.detail_choose_info")
    covered = next(r for r in info if r.covered_by)
    chooser.set_value(covered.id).run()
    assert_no_exception(at)
    assert at.main.subheader[-1].value == escape_markdown(covered.title)
    rank = {r.id: n for n, r in enumerate(active + info, 1)}
    assert chooser.options[0].startswith(f"{len(active) + 1}. ")
    handler = next(r for r in active if r.id == covered.covered_by)
    status = t("reduce.status_covered", other=f"{rank[handler.id]}. {handler.title}")
    assert any(status in m.value.replace("\\", "") for m in at.main.markdown)


def test_a_long_list_is_offered_for_the_evidence_a_range_at_a_time(monkeypatch):
    """A large city has 6,265 suggestions and 18,198 patterns: the chooser offers
    CHOOSER_ROWS of them at a time, by rank, and builds only those patterns' texts."""
    monkeypatch.setattr(views, "CHOOSER_ROWS", 20)
    at = open_reduce()
    recs = session_recommendations(at)
    active, info = views.actionable(recs), views.informational(recs)
    total = format_int(len(recs))
    ranges = form_widget(at.selectbox, "reduce_detail_range:")
    assert ranges.label == t("reduce.detail_range")
    assert ranges.options[:2] == [f"1–20 av {total}", f"21–40 av {total}"]
    assert len(ranges.options) == -(-len(active) // 20)
    chooser = form_widget(at.selectbox, "reduce_detail:")
    assert chooser.options == list(views.chooser_options(active, 1, 1, 20).values())
    ranges.set_value(21).run()
    assert_no_exception(at)
    chooser = form_widget(at.selectbox, "reduce_detail:")
    assert [o.split(". ", 1)[0] for o in chooser.options] == [str(n) for n in range(21, 41)]
    chooser.set_value(active[24].id).run()
    assert at.main.subheader[-1].value == escape_markdown(active[24].title)

    waiting = len(unbuilt(recs))
    form_widget(at.segmented_control, "reduce_detail_list:").set_value("info").run()
    assert_no_exception(at)
    first = len(active) + 1
    ranges = form_widget(at.selectbox, "reduce_detail_range:")
    assert ranges.options[0] == f"{format_int(first)}–{format_int(first + 19)} av {total}"
    chooser = form_widget(at.selectbox, "reduce_detail:")
    assert chooser.label == t("reduce.detail_choose_info")
    assert chooser.options[0].startswith(f"{first}. ") and len(chooser.options) == 20
    built = waiting - len(unbuilt(recs))
    assert 0 < built <= 20  # the shown range's only, of len(info) patterns
    assert len(info) > 20


def test_the_time_estimate_follows_the_choice_with_the_hours_before_kept(doc, recs):
    """The reporting hours before and after, as scenario.time_estimate gives them; the
    hours before are the same after a tick (kept, not computed again)."""
    from goalload.formatting import format_decimal

    def said(estimate) -> str:
        return t(
            "reduce.time_result",
            before=format_int(estimate["before"]["total_hours"]),
            after=format_int(estimate["after"]["total_hours"]),
            saved=format_decimal(estimate["hours_saved"], "sv", 0),
        )

    def shown(at) -> list[str]:
        return [m.value.replace("\\", "") for m in at.markdown]

    active = views.actionable(recs)
    at = open_reduce()
    everything = scenario.time_estimate(doc, scenario.apply(doc, active))
    assert said(everything) in shown(at)
    untick(at, 0)
    fewer = scenario.time_estimate(doc, scenario.apply(doc, active[1:]))
    assert fewer["before"] == everything["before"] and fewer != everything
    assert said(fewer) in shown(at)
    kept = [k for k in at.session_state[SCENARIO_KEY]["views"] if k[0] == "hours_before"]
    assert kept == [("hours_before", scenario.TimeAssumptions())]


def test_what_every_rerun_reads_stays_kept_while_suggestions_are_browsed(recs):
    """The page keeps a few tables per session, dropping the least recently used: the
    split of a large city's 24,000 recommendations, read on every rerun, is not dropped
    for the items of suggestions looked at once."""
    at = open_reduce()
    split = at.session_state[SCENARIO_KEY]["views"][("split", DEFAULT_GOAL_CAP)]
    for rec in views.actionable(recs)[1:9]:
        form_widget(at.selectbox, "reduce_detail:").set_value(rec.id).run()
        assert_no_exception(at)
    kept = at.session_state[SCENARIO_KEY]["views"]
    assert kept[("split", DEFAULT_GOAL_CAP)] is split  # never dropped and split again
    assert len(kept) <= 6
