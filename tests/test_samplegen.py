"""The seeded sample municipality, the benchmark sizes, the country and the year before.

The sample is the product's demo and the fixture other modules test their detectors
on, so its size, its realism (real Kolada ids and titles) and the patterns planted in
it are pinned here, and the committed sample_data files must match the generator.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from goalload.model import FREQUENCIES, GoalDocument
from goalload.read import read_workbook
from goalload.samplegen import (
    ALL_COMMITTEE_LEVELS,
    KOLADA_KPIS,
    PREVIOUS_NAMES,
    document_to_flat_workbook_bytes,
    generate_country,
    generate_document,
    generate_previous_year,
    generate_with_truth,
    made_up_names,
)
from goalload.template import document_to_workbook_bytes

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = REPO.parent / "shared" / "kolada" / "kpi_catalogue.csv"
TABLES = ["units", "goals", "goal_owners", "indicators", "goal_indicators", "assignments", "assignment_recipients"]
ACTIVITY_START = re.compile(r"^(Genomföra|Ta fram|Införa|Utreda|Bygga|Utveckla|Hålla)\b")


@pytest.fixture(scope="module")
def sample() -> tuple[GoalDocument, dict]:
    return generate_with_truth()


def assert_consistent(doc: GoalDocument) -> None:
    """Ids unique; every reference points at something that exists."""
    for table, key in (("units", "unit_id"), ("goals", "goal_id"), ("indicators", "indicator_id"), ("assignments", "assignment_id")):
        frame = getattr(doc, table)
        assert frame[key].n_unique() == frame.height, f"duplicate {key}"
    units, goals = set(doc.units["unit_id"]), set(doc.goals["goal_id"])
    assert set(doc.units["parent_id"].drop_nulls()) <= units
    assert set(doc.goals["parent_goal_id"].drop_nulls()) <= goals
    assert set(doc.goal_owners["goal_id"]) == goals, "every goal has an owner"
    assert set(doc.goal_owners["unit_id"]) <= units
    assert set(doc.goal_indicators["goal_id"]) <= goals
    assert set(doc.goal_indicators["indicator_id"]) <= set(doc.indicators["indicator_id"])
    assert set(doc.indicators["owner_id"].drop_nulls()) <= units
    assert set(doc.assignment_recipients["unit_id"]) <= units
    assert set(doc.indicators["frequency"]) <= set(FREQUENCIES)
    assert doc.indicators.select((pl.col("occasions_per_year") == pl.col("frequency").replace_strict(FREQUENCIES)).all()).item()


# --- the sample -------------------------------------------------------------------------


def test_same_seed_same_document_other_seed_other_document():
    a, b, c = generate_document(), generate_document(), generate_document(seed=1)
    for table in TABLES:
        assert getattr(a, table).equals(getattr(b, table)), table
    assert not a.goals.equals(c.goals)
    assert generate_document(goals=1_500, seed=3).goals.equals(generate_document(goals=1_500, seed=3).goals)


@pytest.mark.parametrize("seed", [2025, 1, 99])
def test_sample_is_a_60000_municipality_of_the_promised_size(seed):
    doc = generate_document(seed=seed)
    assert_consistent(doc)
    levels = doc.units["level"].value_counts()
    count = dict(zip(levels["level"], levels["count"], strict=True))
    assert count["council"] == 1 and count["board"] == 1
    assert count["committee"] >= 8 and count["company"] >= 1
    assert count["administration"] >= 8 and count["unit"] >= 20
    assert doc.goals.height >= 150 and doc.indicators.height >= 400 and doc.assignments.height >= 40
    assert doc.population == 60_000 and doc.year == 2025
    names = set(doc.units["name"])
    for committee in ("Barn- och utbildningsnämnden", "Socialnämnden", "Kultur- och fritidsnämnden", "Tekniska nämnden",
                      "Miljö- och byggnadsnämnden", "Vård- och omsorgsnämnden", "Arbetsmarknadsnämnden", "Överförmyndarnämnden"):
        assert committee in names
    # Goals at every level of the organisation.
    owner_levels = set(doc.goals_with_owners()["unit_level"])
    assert owner_levels == {"council", "board", "committee", "company", "administration", "unit"}


def test_kolada_indicators_carry_real_ids_and_titles():
    assert 50 <= len(KOLADA_KPIS) <= 80
    doc = generate_document()
    kolada = doc.indicators.filter(pl.col("kolada_id").is_not_null())
    assert kolada["kolada_id"].n_unique() >= 40
    assert (kolada["source_kind"] == "kolada").all()
    assert kolada.select((pl.col("name") == pl.col("kolada_id").replace_strict(KOLADA_KPIS)).all()).item()
    if not CATALOGUE.is_file():
        pytest.skip("Kolada catalogue not available")
    catalogue = pl.read_csv(CATALOGUE, columns=["id", "title"])
    titles = dict(zip(catalogue["id"], catalogue["title"].str.replace_all(r"\s+", " "), strict=True))
    for kpi, title in KOLADA_KPIS.items():
        assert titles.get(kpi) == title, kpi


def test_planted_patterns_are_there_and_are_what_they_claim(sample):
    doc, planted = sample
    text = dict(zip(doc.goals["goal_id"], doc.goals["text"], strict=True))
    owners = doc.goal_owners.group_by("goal_id").agg("unit_id")
    owner_of = {g: set(u) for g, u in zip(owners["goal_id"], owners["unit_id"], strict=True)}
    linked_goals = set(doc.goal_indicators["goal_id"])
    linked_inds = set(doc.goal_indicators["indicator_id"])
    ind = doc.indicators

    assert len(planted["exact_duplicate_goals"]) >= 10
    for group in planted["exact_duplicate_goals"]:
        assert len({text[g] for g in group}) == 1
        assert len(set().union(*(owner_of[g] for g in group))) >= 2
    # Near-duplicates: the same concern (sick leave, staff health) in several phrasings.
    near = planted["near_duplicate_goals"]
    phrasings = {text[g] for g in near}
    assert len(near) >= 10 and len(phrasings) >= 8
    assert any("sjukskrivning" in t.lower() for t in phrasings) and any("hälsa" in t.lower() for t in phrasings)
    assert len({u for g in near for u in owner_of[g] if doc.units.filter(pl.col("unit_id") == u)["level"][0] == "committee"}) >= 5
    # Pass-through: the goal's text repeats its parent's (word for word or nearly).
    assert len(planted["pass_through_goals"]) >= 5
    exact = sum(text[g] == text[p] for g, p in planted["pass_through_goals"])
    assert exact >= 5
    for g, p in planted["pass_through_goals"]:
        words_g, words_p = set(text[g].lower().split()), set(text[p].lower().split())
        assert len(words_g & words_p) / len(words_g) >= 0.6, (text[g], text[p])
    # Activity goals, including at committee level.
    acts = planted["activity_goals"]
    assert len(acts) >= 15 and all(ACTIVITY_START.match(text[g]) for g in acts)
    committees = set(doc.units.filter(pl.col("level") == "committee")["unit_id"])
    assert sum(bool(owner_of[g] & committees) for g in acts) >= 8
    # Unmeasured goals and orphan indicators.
    assert len(planted["unmeasured_goals"]) >= 10 and not set(planted["unmeasured_goals"]) & linked_goals
    assert len(planted["orphan_indicators"]) >= 20 and not set(planted["orphan_indicators"]) & linked_inds
    # Shared indicators: one indicator under several goals, and one name at several units.
    for i in planted["shared_indicators"]:
        assert doc.goal_indicators.filter(pl.col("indicator_id") == i)["goal_id"].n_unique() >= 2
    assert len(planted["shared_indicators"]) >= 5 and len(planted["shared_indicator_names"]) >= 3
    # Monthly manual work and Kolada figures reported more often than Kolada updates.
    monthly = ind.filter(pl.col("indicator_id").is_in(planted["monthly_manual_indicators"]))
    assert monthly.height >= 30 and (monthly["frequency"] == "month").all() and (monthly["source_kind"] == "manual").all()
    often = ind.filter(pl.col("indicator_id").is_in(planted["kolada_reported_too_often"]))
    assert often.height >= 4 and often["kolada_id"].is_not_null().all() and (often["occasions_per_year"] > 1).all()
    # Assignments to all committees and to many.
    every = set(doc.units.filter(pl.col("level").is_in(ALL_COMMITTEE_LEVELS))["unit_id"])
    assert len(planted["all_committee_assignments"]) >= 5
    for a in planted["all_committee_assignments"]:
        assert set(doc.assignment_recipients.filter(pl.col("assignment_id") == a)["unit_id"]) == every
    assert len(planted["multi_recipient_assignments"]) >= 15
    assert planted["multi_owner_goals"] and all(len(owner_of[g]) >= 2 for g in planted["multi_owner_goals"])
    assert planted["detail_steering_goals"]
    assert all(re.search(r"\d+ %", text[g]) for g in planted["detail_steering_goals"])


def test_overlap_detector_finds_planted_duplicates_and_pass_throughs(sample):
    overlap = pytest.importorskip("goalload.overlap")
    doc, planted = sample
    found = overlap.find_overlap(doc)
    pairs = found.pairs
    through = set(zip(*pairs.filter(pl.col("kind") == "pass_through").select("a_goal_id", "b_goal_id"), strict=True))
    exact_through = [(g, p) for g, p in planted["pass_through_goals"]
                     if doc.goals.filter(pl.col("goal_id") == g)["text"][0] == doc.goals.filter(pl.col("goal_id") == p)["text"][0]]
    assert set(exact_through) <= through
    # Every group of identical goals shows up: across units (horizontal) or, where they
    # sit in one chain (KF goal restated by a committee and its administration), as
    # pass-through pairs.
    in_pairs = set(pairs["a_goal_id"]) | set(pairs["b_goal_id"])
    for group in planted["exact_duplicate_goals"]:
        assert set(group) <= in_pairs, group


def test_sample_files_match_the_generator_and_read_without_errors():
    current = REPO / "sample_data" / "exempelkommun.xlsx"
    previous = REPO / "sample_data" / "exempelkommun_2024.xlsx"
    doc = generate_document()
    assert current.read_bytes() == document_to_workbook_bytes(doc), "run: python sample_data/generate.py"
    before, _ = generate_previous_year(doc)
    assert previous.read_bytes() == document_to_workbook_bytes(before), "run: python sample_data/generate.py"
    for path in (current, previous):
        read = read_workbook(path.read_bytes(), path.name)
        assert not read.errors, read.errors[:3]


# --- sizes ------------------------------------------------------------------------------


def test_municipality_size_has_about_2000_goals_and_8000_indicator_rows():
    doc = generate_document(goals=2_000)
    assert_consistent(doc)
    assert 1_950 <= doc.goals.height <= 2_050
    assert 7_000 <= doc.indicators.height <= 9_000
    assert 7_000 <= doc.goal_indicators.height <= 9_000
    assert doc.units.filter(pl.col("level") == "unit")["name"].n_unique() == doc.units.filter(pl.col("level") == "unit").height


def test_large_city_size_has_about_20000_goals_and_80000_rows():
    doc = generate_document(goals=20_000, seed=11)
    assert 19_900 <= doc.goals.height <= 20_100
    assert 70_000 <= doc.indicators.height <= 90_000
    assert doc.units["unit_id"].n_unique() == doc.units.height
    assert doc.indicators["indicator_id"].n_unique() == doc.indicators.height
    # Realistic variety: many distinct goal texts, and activity goals among them.
    assert doc.goals["text"].n_unique() > 5_000
    assert doc.goals.filter(pl.col("text").str.contains(r"^(Genomföra|Ta fram|Införa)")).height > 1_000


def test_scale_multiplies_the_sample():
    base = generate_document()
    doubled = generate_document(scale=3.0)
    assert abs(doubled.goals.height - 3 * base.goals.height) <= 6
    assert_consistent(doubled)


def test_country_sizes_documents_by_population_and_adds_up():
    names = [(f"Kommun {i}", "K") for i in range(12)] + [("Region Test", "L")]
    docs = generate_country(5, names=names, total_rows=12_000)
    assert [d.name for d in docs] == [n for n, _ in names]
    rows = sum(d.indicators.height for d in docs)
    assert 10_800 <= rows <= 13_200
    big = max(docs, key=lambda d: d.population)
    small = min(docs, key=lambda d: d.population)
    assert big.goals.height > small.goals.height
    region = docs[-1]
    assert "Regionfullmäktige" in set(region.units["name"]) and "Hälso- och sjukvårdsnämnden" in set(region.units["name"])
    for d in docs:
        assert_consistent(d)


def test_country_works_without_the_kolada_list():
    docs = generate_country(1, municipalities=6, regions=2, total_rows=5_000)
    assert len(docs) == 8 and len({d.name for d in docs}) == 8
    assert all(d.name.startswith("Region ") for d in docs[-2:])
    assert len(set(made_up_names(311, 1))) == 311


# --- the year before --------------------------------------------------------------------


def test_previous_year_records_its_changes():
    doc = generate_document()
    before, changes = generate_previous_year(doc)
    assert_consistent(before)
    assert before.year == doc.year - 1 == changes["year"]
    now_text = dict(zip(doc.goals["goal_id"], doc.goals["text"], strict=True))
    then_text = dict(zip(before.goals["goal_id"], before.goals["text"], strict=True))
    assert changes["goals_added"] and set(changes["goals_added"]) <= set(now_text) - set(then_text)
    assert changes["goals_removed"] and set(changes["goals_removed"]) <= set(then_text) - set(now_text)
    assert set(now_text) - set(then_text) == set(changes["goals_added"])
    assert set(then_text) - set(now_text) == set(changes["goals_removed"])
    assert changes["goals_reworded"]
    for gid, old, new in changes["goals_reworded"]:
        assert then_text[gid] == old and now_text[gid] == new and old != new
    assert all(then_text[g] == now_text[g] for g in changes["goals_unchanged"])
    assert len(changes["goals_unchanged"]) + len(changes["goals_reworded"]) + len(changes["goals_added"]) == doc.goals.height
    # A committee with its old name, same id: the rename a person confirms in "Jämför".
    then_names = before.unit_names()
    for uid, (old, new) in changes["renamed_units"].items():
        assert then_names[uid] == old and doc.unit_names()[uid] == new and PREVIOUS_NAMES[new] == old
    assert "Utbildningsnämnden" in then_names.values()
    # Last year reported some quarterly indicators monthly, and had more goals.
    freq_then = dict(zip(before.indicators["indicator_id"], before.indicators["frequency"], strict=True))
    freq_now = dict(zip(doc.indicators["indicator_id"], doc.indicators["frequency"], strict=True))
    assert changes["indicators_were_monthly"]
    assert all(freq_then[i] == "month" and freq_now[i] == "quarter" for i in changes["indicators_were_monthly"])
    assert before.goals.height >= doc.goals.height
    assert set(changes["assignments_removed"]) <= set(before.assignments["assignment_id"])
    assert not set(changes["assignments_added"]) & set(before.assignments["assignment_id"])


# --- flat export -----------------------------------------------------------------------


def test_flat_export_reads_back_with_the_same_goals_and_indicators():
    doc = generate_document()
    read = read_workbook(document_to_flat_workbook_bytes(doc), "platt.xlsx")
    assert not read.errors, read.errors[:3]
    assert read.info.layout != "template"
    assert set(read.goals["text"]) == set(doc.goals["text"])
    linked = doc.indicators.filter(pl.col("indicator_id").is_in(doc.goal_indicators["indicator_id"].implode()))
    assert set(read.indicators["name"]) == set(linked["name"])
    assert set(read.units["name"]) == set(doc.units["name"])
    assert read.assignments.height == doc.assignments.height
    # The layout is the messy one: title rows above the header and merged goal cells.
    assert read.info.header_rows[f"Mål och indikatorer {doc.year}"] == 4


def test_flat_export_merges_goal_cells_over_their_rows():
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(document_to_flat_workbook_bytes(generate_document())))
    ws = wb.worksheets[0]
    assert ws["A1"].value.startswith("Exempelkommun") and ws["A4"].value == "Målområde"
    merged = [str(r) for r in ws.merged_cells.ranges]
    assert any(r.startswith("B") for r in merged) and any(r.startswith("C") for r in merged)
    assert wb.sheetnames[1] == "Uppdrag"
