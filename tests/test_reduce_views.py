"""reduce_views: the Minska page's tables and texts, without Streamlit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from goalload import reduce_views as views
from goalload.i18n import t
from goalload.read import read_path
from goalload.recommend import recommend

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "exempelkommun.xlsx"


@pytest.fixture(scope="module")
def recs():
    return recommend(read_path(SAMPLE))


def test_info_frame_names_the_recommendation_that_covers_each_pattern(recs):
    active, info = views.actionable(recs), views.informational(recs)
    ranked = active + info
    frame = views.info_frame(info, active)
    assert frame.height == len(info) > 0
    assert any(rec.covered_by for rec in info)
    rank = {r.id: n for n, r in enumerate(ranked, 1)}
    by_id = {r.id: r for r in ranked}
    for rec, shown in zip(info, frame["covered_by"], strict=True):
        if rec.covered_by:
            assert shown == f"{rank[rec.covered_by]}. {by_id[rec.covered_by].title}"
            assert shown == views.reference(rec.covered_by, active)
        else:
            assert shown == t("reduce.info_only", "sv")


def test_naming_the_handling_recommendation_leaves_the_patterns_texts_unbuilt():
    """An informational recommendation builds its texts when first read (a large city has
    18,000): naming the one that handles it reads the actionable ones only."""
    from goalload.recommend import recommend_with_after

    lazy, _ = recommend_with_after(read_path(SAMPLE))
    active, info = views.actionable(lazy), views.informational(lazy)
    covered = [r for r in info if r.covered_by]
    assert covered and all("_make_texts" in r.__dict__ for r in covered)
    names = [views.reference(r.covered_by, active) for r in covered]
    assert all(name.split(". ", 1)[0].isdigit() for name in names)
    assert all("_make_texts" in r.__dict__ for r in covered)


def test_reference_to_an_unknown_or_missing_recommendation(recs):
    assert views.reference("R-nothing", recs) == "R-nothing"
    assert views.reference(None, recs) == ""


def test_evidence_is_cut_after_the_first_pieces_and_says_how_many_more(recs):
    rec = replace(recs[0], evidence=[f"bevis {i}" for i in range(1234)])
    text = views.evidence_text(rec, "sv", shown=20)
    assert text.startswith("bevis 0; bevis 1; ") and "bevis 19" in text and "bevis 20" not in text
    assert text.endswith("… och 1\u00a0214 till")
    assert views.evidence_text(rec, "en", shown=20).endswith("… and 1,214 more")
    few = replace(recs[0], evidence=["a", "b"])
    assert views.evidence_text(few, "sv") == "a; b"


def test_pick_options_for_one_unit_are_its_goals_and_their_indicators_plus_earlier_picks():
    from goalload.scenario import Rules

    doc = read_path(SAMPLE)
    unit = doc.goal_owners.group_by("unit_id").len().sort("len", descending=True)["unit_id"][0]
    everything = views.pick_options(doc, None, Rules())
    assert len(everything[0]) == doc.goals.height and len(everything[1]) == doc.indicators.height
    own = set(doc.goal_owners.filter(unit_id=unit)["goal_id"])
    measuring = set(doc.goal_indicators.filter(pl.col("goal_id").is_in(list(own)))["indicator_id"])
    owned = set(doc.indicators.filter(owner_id=unit)["indicator_id"])
    goals, indicators = views.pick_options(doc, unit, Rules())
    assert set(goals) == own and set(indicators) == measuring | owned
    assert goals[next(iter(own))] == doc.goals.filter(goal_id=next(iter(own)))["text"][0]
    other = next(g for g in doc.goals["goal_id"] if g not in own)
    kept = views.pick_options(doc, unit, Rules(removed_goals=frozenset([other])))[0]
    assert set(kept) == own | {other}
    assert views.needs_unit_for_picks(doc) is (doc.goals.height + doc.indicators.height > views.PICK_LIMIT)


def test_the_editor_shows_the_start_of_long_cells(recs):
    many = replace(recs[0], units=tuple(f"Enhet {i}" for i in range(40)), rationale="ord " * 400)
    row = views.editor_frame([many], set()).row(0, named=True)
    assert row["units"] == ", ".join(f"Enhet {i}" for i in range(views.EDITOR_UNITS)) + " … och 28 till"
    assert row["rationale"].endswith(" …") and len(row["rationale"]) <= views.EDITOR_RATIONALE + 2
    brief = next(r for r in recs if len(r.rationale) <= views.EDITOR_RATIONALE)
    assert views.editor_frame([brief], set()).row(0, named=True)["rationale"] == brief.rationale
    assert views.first_of(["A", "B"], 12, "en") == "A, B"


def test_editor_pages_cover_every_rank_once():
    assert views.editor_pages(0) == []
    assert views.editor_pages(3, 3) == [(1, 3)]
    assert views.editor_pages(7, 3) == [(1, 3), (4, 6), (7, 7)]
    pages = views.editor_pages(4_508)
    ranks = [n for first, last in pages for n in range(first, last + 1)]
    assert ranks == list(range(1, 4_509))


def test_a_page_of_the_editor_is_numbered_from_its_first_rank(recs):
    frame = views.editor_frame(recs[3:5], set(), "sv", first_rank=4)
    assert frame["rank"].to_list() == [4, 5]
    assert frame["id"].to_list() == [r.id for r in recs[3:5]]


def test_items_workbook_lists_every_item_under_swedish_headers(recs):
    from io import BytesIO

    from openpyxl import load_workbook

    rec = max(recs, key=lambda r: len(r.items))
    assert views.items_frame(rec, "sv", 1).height == 1
    sheet = load_workbook(BytesIO(views.items_workbook(rec, "sv"))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(t(f"reduce.it.{c}") for c in views.items_frame(rec).columns)
    assert [r[1] for r in rows[1:]] == [i["id"] for i in rec.items]


def test_split_is_actionable_then_informational_with_an_index(recs):
    active, info, by_id = views.split(recs)
    assert active == views.actionable(recs) and info == views.informational(recs)
    assert sorted(r.id for r in active + info) == sorted(r.id for r in recs)
    assert all(by_id[r.id] is r for r in recs)


def test_accepted_of_keeps_the_ranked_order_without_the_rejected(recs):
    active = views.actionable(recs)
    assert views.accepted_of(active, {active[0].id}) == active[1:]
    assert views.accepted_of(active, set()) == active


def test_the_default_scenario_is_the_document_with_all_of_them_applied():
    """All actionable recommendations accepted and no rule: the background's document is
    the answer as it is; anything else is applied afresh, the same as scenario.apply."""
    from goalload.recommend import recommend_with_after
    from goalload.scenario import Rules, apply

    doc = read_path(SAMPLE)
    recs, after = recommend_with_after(doc)
    active = views.actionable(recs)
    everything = (active, after)
    assert views.scenario_applied(doc, list(active), Rules(), everything) is after
    assert views.scenario_applied(doc, active[::-1], Rules(), everything) is after  # any order
    some = views.accepted_of(active, {active[0].id})
    fewer = views.scenario_applied(doc, some, Rules(), everything)
    assert fewer is not after and fewer.goals.equals(apply(doc, some).goals)
    assert fewer.goals.height > after.goals.height
    capped = Rules(goal_cap=1)
    with_rule = views.scenario_applied(doc, active, capped, everything)
    assert with_rule is not after and with_rule.goals.equals(apply(doc, active, capped).goals)
    alone = views.scenario_applied(doc, active, Rules(), None)
    assert alone is not after and alone.goals.equals(after.goals)


def test_an_effect_line_counts_in_the_right_number():
    from goalload.reduce_views import effect_line

    one = {"goals": 6, "indicators": 1, "reporting_occasions_per_year": 1}
    assert effect_line(one) == "−6 mål, −1 indikator, −1 rapporteringstillfälle per år"
    assert effect_line(one, "en") == "-6 goals, -1 indicator, -1 reporting occasion per year"


def test_chooser_options_are_a_range_numbered_by_rank():
    from goalload.recommend import recommend_with_after

    recs, _ = recommend_with_after(read_path(SAMPLE))
    active, info = views.actionable(recs), views.informational(recs)
    whole = views.chooser_options(active, 1)
    assert list(whole) == [r.id for r in active]
    assert whole[active[0].id] == f"1. {active[0].title} ({active[0].units[0]})"
    part = views.chooser_options(active, 1, start=11, size=5)
    assert list(part.values()) == list(whole.values())[10:15]
    waiting = sum("_make_texts" in r.__dict__ for r in info)
    patterns = views.chooser_options(info, len(active) + 1, start=6, size=3)
    assert list(patterns) == [r.id for r in info[5:8]]
    assert next(iter(patterns.values())).startswith(f"{len(active) + 6}. ")
    assert sum("_make_texts" in r.__dict__ for r in info) >= waiting - 3  # only those built
    assert views.chooser_options(active, 1, start=len(active) + 1) == {}


def test_ranks_from_a_thousand_on_are_written_in_swedish():
    """A large city has 24,463 recommendations: "6 266. Rapportera …", not "6266."."""
    from goalload.formatting import NBSP

    recs = recommend(read_path(SAMPLE))
    active = views.actionable(recs)
    labels = list(views.chooser_options(active, 995, size=10).values())
    assert labels[4].startswith("999. ") and labels[5].startswith(f"1{NBSP}000. ")
    assert list(views.chooser_options(active, 995, size=10, lang="en").values())[5].startswith(
        "1,000. "
    )
    many = active * 11  # ranks past 1,000, as the references of a large city
    named = views.references(many)  # the last of each id's places
    assert len(many) > 1000
    assert named[many[-1].id] == f"{len(many):,}. {many[-1].title}".replace(",", NBSP)
