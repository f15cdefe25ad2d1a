"""The slide story: five steps in order, headlines that say what the data says.

Each headline's numbers are checked against the metric tables computed independently
(goalload.metrics, goalload.views, goalload.overlap), and each chart against the same
tables, so a headline can never drift from its chart.
"""

from __future__ import annotations

import re

import polars as pl
import pytest

from goalload import metrics, report, views
from goalload.formatting import format_int
from goalload.model import new_document
from goalload.read import read_path
from goalload.report import analyse
from goalload.story import STEPS, build_story, overlap_by_unit, screen_figure
from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, SAMPLE


@pytest.fixture(scope="module")
def doc():
    return read_path(SAMPLE)


@pytest.fixture(scope="module")
def analyses(doc):
    return analyse(doc)


@pytest.fixture(scope="module")
def slides(analyses):
    return {s.key: s for s in build_story(analyses)}


def numbers(text: str) -> list[int]:
    """The whole numbers in a Swedish sentence ("3 528" is one number)."""
    return [int(n.replace("\u00a0", "")) for n in re.findall(r"\d+(?:\u00a0\d{3})*", text)]


def test_five_steps_in_story_order(analyses):
    story = build_story(analyses)
    assert [s.key for s in story] == list(STEPS)
    for slide in story:
        assert slide.headline and not slide.headline.endswith(".")
        assert slide.caption and slide.speaker_notes
        assert len(slide.speaker_notes) > len(slide.caption)


def test_overview_headline_counts_the_document(doc, slides):
    totals = metrics.document_totals(doc)
    headline = slides["overview"].headline
    assert headline.startswith(doc.name)
    assert numbers(headline) == [totals["goals"], totals["indicators"], totals["assignments"]]
    assert format_int(totals["reporting_occasions_per_year"]) in slides["overview"].speaker_notes


def test_load_headline_is_true_of_the_load_table(doc, slides):
    load = metrics.unit_load(doc)
    slide = slides["load"]
    count, total, share = numbers(slide.headline)
    assert total == load.height
    signals = load["steering_signals"].sort(descending=True)
    whole = signals.sum()
    # `count` units carry at least half, one fewer would not
    assert signals.head(count).sum() / whole >= 0.5 > signals.head(count - 1).sum() / whole
    assert share == round(100 * signals.head(count).sum() / whole)
    # the chart shows (at least) those units, largest first
    bars = {t.name: list(t.x) for t in slide.figure.data}
    top = views.top_units(load, "steering_signals", len(bars["Egna mål"]))
    assert len(bars["Egna mål"]) >= count
    assert bars["Egna mål"] == top["own_goals"].to_list()


def test_indicator_headline_share_of_frequent_reporting(doc, slides):
    long = views.indicator_occasions(doc, "frequency")
    frequent = long.filter(pl.col("category").is_in(["week", "month", "quarter"]))["occasions"].sum()
    (share,) = numbers(slides["indicators"].headline)
    assert share == round(100 * frequent / long["occasions"].sum())


def test_overlap_headline_and_chart_agree_with_the_overlap_analysis(doc, analyses, slides):
    if analyses.overlap is None:
        pytest.skip("överlappsanalysen finns inte i den här versionen")
    pairs = analyses.overlap.pairs
    flagged = set(pairs.filter(pl.col("kind") == "horizontal")[["a_goal_id", "b_goal_id"]].to_numpy().ravel())
    flagged |= set(pairs.filter(pl.col("kind") == "pass_through")["a_goal_id"])
    count, total = numbers(slides["overlap"].headline)
    assert (count, total) == (len(flagged), doc.goals.height)
    # per unit, the two stacks never count a goal twice
    per_unit = overlap_by_unit(doc, analyses.overlap)
    owned = doc.goal_owners.filter(pl.col("goal_id").is_in(list(flagged)))
    expected = owned.group_by("unit_id").agg(n=pl.len())
    got = per_unit.select("unit_id", n=pl.col("duplicate") + pl.col("pass_through"))
    assert dict(got.iter_rows()) == dict(expected.iter_rows())


def test_reduce_slide_for_a_chosen_scenario(doc):
    from goalload.scenario import Changes, apply_changes

    remove = doc.goals["goal_id"].head(3).to_list()
    after = apply_changes(doc, Changes(remove_goals=tuple(remove)))
    story = {s.key: s for s in build_story(doc, scenario=after)}
    slide = story["reduce"]
    before_totals, after_totals = metrics.document_totals(doc), metrics.document_totals(after)
    removed = before_totals["goals"] - after_totals["goals"]
    assert removed == 3
    assert slide.headline.startswith(f"De valda ändringarna tar bort {removed} mål")
    panels = [list(t.y) for t in slide.figure.data]
    assert panels[0] == [before_totals["goals"], after_totals["goals"]]
    assert panels[1] == [before_totals["indicators"], after_totals["indicators"]]
    assert "de valda ändringarna" in slide.caption


def test_reduce_slide_without_scenario_uses_all_suggestions(analyses, slides):
    if analyses.recommendations is None:
        pytest.skip("förslagsanalysen finns inte i den här versionen")
    after = analyses.recommendations["totals_after_all"]
    removed = analyses.totals["goals"] - after["goals"]
    assert slides["reduce"].headline.startswith(f"Förslagen tar bort {format_int(removed)} mål")
    assert [list(t.y) for t in slides["reduce"].figure.data][0] == [analyses.totals["goals"], after["goals"]]


def test_missing_analyses_give_plain_slides(monkeypatch, doc):
    monkeypatch.setattr(report, "optional_module", lambda name: None)
    story = {s.key: s for s in build_story(doc)}
    for key, what in (("overlap", "överlapp"), ("reduce", "förslag")):
        assert story[key].figure is None
        assert story[key].headline == f"Analysen av {what} finns inte ännu"
    assert story["load"].figure is not None  # the rest of the story stands


def test_small_document_without_concentration_names_the_top_unit():
    units = pl.DataFrame(
        {"unit_id": ["KF", "A", "B"], "name": ["KF", "Nämnd A", "Nämnd B"],
         "parent_id": [None, "KF", "KF"], "level": ["council", "committee", "committee"]}
    )  # fmt: skip
    goals = pl.DataFrame({"goal_id": ["1", "2", "3"], "text": ["Öka läsningen", "Fler jobb", "Trygg skola"]})
    owners = pl.DataFrame({"goal_id": ["1", "2", "3"], "unit_id": ["A", "A", "B"]})
    doc = new_document("Liten", units=units, goals=goals, goal_owners=owners)
    story = {s.key: s for s in build_story(doc)}
    assert story["load"].headline == "Nämnd A har flest styrsignaler, 2 mål, indikatorer och uppdrag sammanlagt"


def test_what_a_reduction_removes_is_counted_in_the_right_number():
    from goalload.story import _removed_parts

    before = {"goals": 5, "indicators": 3, "assignments": 1, "reporting_occasions_per_year": 13}
    after = {"goals": 4, "indicators": 2, "assignments": 0, "reporting_occasions_per_year": 1}
    assert _removed_parts(before, after, "sv") == [
        "1 mål", "1 indikator", "1 uppdrag", "12 rapporteringstillfällen per år"
    ]
    assert _removed_parts(before, after, "en") == [
        "1 goal", "1 indicator", "1 assignment", "12 reporting occasions per year"
    ]


def test_empty_document_still_tells_a_story():
    story = build_story(new_document("Tom"))
    assert [s.key for s in story] == list(STEPS)
    assert story[0].headline == "Tom styrs med 0 mål, 0 indikatorer och 0 uppdrag"


@pytest.mark.parametrize("path", [FLAT_EXAMPLE, LEVELS_EXAMPLE], ids=["flat", "levels"])
def test_story_on_the_layout_examples(path):
    story = build_story(read_path(path))
    assert [s.key for s in story] == list(STEPS)
    assert all(s.figure is not None for s in story if s.key in ("overview", "load", "indicators"))


def test_english_story(analyses):
    story = build_story(analyses, "en")
    assert story[0].headline.startswith(f"{analyses.doc.name} is steered by")
    assert story[0].title == "Overview"


def test_screen_figure_is_a_larger_copy(slides):
    original = slides["load"].figure
    shown = screen_figure(original)
    assert shown.layout.font.size > original.layout.font.size
    assert not shown.layout.title.text
    assert original.layout.title.text  # the slide's own figure is untouched
    assert [list(t.x) for t in shown.data] == [list(t.x) for t in original.data]
