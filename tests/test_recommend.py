"""Recommendations: each kind on hand-built documents, the planted patterns in the layout
examples, no double counting (identity and hypothesis property), the CLI JSON."""

from __future__ import annotations

import dataclasses
from collections import Counter

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from goalload import metrics
from goalload.overlap import find_overlap
from goalload.read import read_path
from goalload.recommend import (
    DEFAULT_GOAL_CAP,
    EFFECT_KEYS,
    RECOMMENDATION_KINDS,
    changes_table,
    measured_through_children,
    recommend,
    recommend_json,
    render_table,
)
from goalload.samplegen import generate_with_truth
from goalload.scenario import apply
from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, SAMPLE
from tests.test_scenario import UNITS, build_doc


def _by_kind(recs, kind, *, accepted=True):
    return [r for r in recs if r.kind == kind and (r.covered_by is None) == accepted]


def _removed_by(doc, rec):
    """What the rec removes when applied alone, measured with goalload.metrics."""
    before, after = metrics.document_totals(doc), metrics.document_totals(apply(doc, [rec]))
    return {k: before[k] - after[k] for k in EFFECT_KEYS}


# --- one kind at a time ----------------------------------------------------------


def test_lower_frequency_for_yearly_sources_only():
    doc = build_doc(
        units=UNITS,
        goals=[("G1", "Öka andelen nöjda brukare", None, ["SN", "BUN"])],
        indicators=[
            ("I1", "Nöjd brukarindex", "month", "kolada", ["G1"], None, "U23471"),
            ("I2", "Elevenkät trygghet", "quarter", "survey", ["G1"]),
            ("I3", "Sjukfrånvaro", "month", "system", ["G1"]),  # own system: can update monthly
            ("I4", "Kostnad per brukare", "year", "kolada", ["G1"]),  # already yearly
        ],
    )
    recs = _by_kind(recommend(doc, overlap=None), "lower_frequency")
    assert len(recs) == 1
    rec = recs[0]
    changed = dict(rec.changes.set_frequency)
    assert changed == {"I1": "year", "I2": "year"}
    # carried by two units each: (12 - 1) * 2 + (4 - 1) * 2
    assert rec.effect["reporting_occasions_per_year"] == 28
    assert rec.effect == _removed_by(doc, rec)
    assert "Kolada U23471" in rec.rationale and "en gång per år" in rec.rationale


def test_joint_assignment_led_by_the_board():
    doc = build_doc(
        units=UNITS,
        assignments=[
            ("A1", "Redovisa åtgärder för minskad sjukfrånvaro", 3, ["SN", "BUN", "KS"]),
            ("A2", "Utreda samlokalisering", 1, ["SN", "BUN"]),  # two recipients: below the default
        ],
    )
    recs = _by_kind(recommend(doc, overlap=None), "joint_assignment")
    assert [r.id for r in recs] == ["joint_assignment:A1"]
    rec = recs[0]
    assert set(rec.changes.remove_recipients) == {("A1", "SN"), ("A1", "BUN")}
    assert rec.effect == {
        "goals": 0,
        "indicators": 0,
        "assignments": 0,
        "reporting_occasions_per_year": 6,
    }
    assert rec.effect == _removed_by(doc, rec)
    assert "Kommunstyrelsen samordnar" in rec.rationale
    two = recommend(doc, overlap=None, joint_min_recipients=2)
    assert {r.id for r in _by_kind(two, "joint_assignment")} == {
        "joint_assignment:A1",
        "joint_assignment:A2",
    }


def test_unmeasured_skips_goals_measured_through_children():
    doc = build_doc(
        units=UNITS,
        goals=[
            ("KF1", "Ett tryggt samhälle", None, ["KF"]),  # measured through G2
            ("G2", "Fler invånare ska känna sig trygga", "KF1", ["SN"]),
            ("KF2", "En hållbar kommun", None, ["KF"]),  # nothing below it is measured
            ("G3", "Minska utsläppen", "KF2", ["SN"]),
        ],
        indicators=[("I1", "Andel trygga", "year", "survey", ["G2"])],
    )
    recs = recommend(doc, overlap=None)
    unmeasured = {r.id for r in _by_kind(recs, "measure_or_drop_unmeasured")}
    assert unmeasured == {"measure_or_drop_unmeasured:KF2", "measure_or_drop_unmeasured:G3"}
    rec = next(r for r in recs if r.id == "measure_or_drop_unmeasured:G3")
    assert rec.effect["goals"] == 1
    assert "ingen indikator" in rec.rationale and "inget mål under det" in rec.rationale


def test_activity_goal_at_committee_moves_down_but_not_a_units_own_activity():
    doc = build_doc(
        units=UNITS,
        goals=[
            ("G1", "Ta fram en handlingsplan mot hemlöshet", None, ["SN"]),
            (
                "G2",
                "Genomföra brandövning",
                None,
                ["SK"],
            ),  # a unit's own activity, outside the chain
            ("G3", "Fler invånare ska ha ett eget boende", None, ["SN"]),
        ],
        indicators=[
            ("I1", "Antal möten om planen", "quarter", "manual", ["G1"]),
            ("I2", "Andel med eget boende", "year", "system", ["G1", "G3"]),
        ],
    )
    recs = _by_kind(recommend(doc, overlap=None), "move_activity_goal_down")
    assert [r.id for r in recs] == ["move_activity_goal_down:G1"]
    rec = recs[0]
    assert rec.changes.remove_goals == ("G1",)
    assert rec.changes.remove_indicators == ("I1",)  # I2 also measures G3: it stays
    assert rec.effect == {
        "goals": 1,
        "indicators": 1,
        "assignments": 0,
        "reporting_occasions_per_year": 4,
    }
    assert rec.effect == _removed_by(doc, rec)
    assert "«Ta fram»" in rec.rationale and "detaljstyrning" in rec.rationale


DISTINCT_GOALS = [
    "Fler invånare ska bli självförsörjande",
    "Minska ensamheten bland äldre",
    "Barn och unga ska ha en meningsfull fritid",
    "Vattenkvaliteten i sjöarna ska förbättras",
    "Fler företag ska starta i kommunen",
    "Minska den psykiska ohälsan bland unga",
    "Äldre ska kunna bo kvar hemma",
    "Andelen anmälda brott ska minska",
    "Elevernas meritvärde ska öka",
    "Befolkningen ska öka med en procent per år",
    "Invånarnas förtroende för kommunen ska öka",
    "Luftkvaliteten i centrum ska förbättras",
]


def test_goal_cap_cuts_activity_goals_first_down_to_the_cap():
    goals = [(f"G{i}", text, None, ["BUN"]) for i, text in enumerate(DISTINCT_GOALS[:11])]
    goals += [
        ("GA", "Införa ett nytt ärendesystem", None, ["BUN"]),
        ("GB", "Antalet besök ska öka", None, ["BUN"]),
    ]
    indicators = [(f"I{i}", f"Nöjdhet {i}", "year", "survey", [f"G{i}"]) for i in range(11)]
    indicators += [
        ("IA", "System infört", "year", "manual", ["GA"]),
        ("IB", "Besök", "year", "system", ["GB"]),
    ]
    doc = build_doc(units=UNITS, goals=goals, indicators=indicators)
    recs = recommend(doc, overlap=None, goal_cap=10)
    moved = _by_kind(recs, "move_activity_goal_down")
    assert [r.id for r in moved] == ["move_activity_goal_down:GA"]
    cap = _by_kind(recs, "above_goal_cap")
    assert len(cap) == 1
    # 13 goals; the activity goal already goes; 2 more to reach 10, the output goal first
    removed = cap[0].changes.remove_goals
    assert len(removed) == 2 and removed[0] == "GB"
    after = apply(doc, [r for r in recs if r.covered_by is None])
    assert after.goal_owners.filter(pl.col("unit_id") == "BUN").height == 10
    assert "taket på 10" in cap[0].rationale
    assert not _by_kind(recommend(doc, overlap=None, goal_cap=20), "above_goal_cap")


def test_default_goal_cap_applies_without_arguments():
    goals = [(f"G{i}", text, None, ["SN"]) for i, text in enumerate(DISTINCT_GOALS)]
    indicators = [(f"I{i}", f"Mått {i}", "year", "system", [f"G{i}"]) for i in range(12)]
    doc = build_doc(units=UNITS, goals=goals, indicators=indicators)
    cap = _by_kind(recommend(doc), "above_goal_cap")
    assert DEFAULT_GOAL_CAP == 10  # Upplands Väsby's 10 (see the constant's docstring)
    assert len(cap) == 1 and len(cap[0].changes.remove_goals) == 12 - DEFAULT_GOAL_CAP
    assert cap[0].effect["goals"] == 2


# --- overlap-based kinds, with the real overlap analysis ----------------------------


def _overlap_doc():
    return build_doc(
        units=UNITS,
        goals=[
            ("KF1", "Äldre ska känna sig trygga och delaktiga", None, ["KF"]),
            ("N1", "Äldre ska känna sig trygga och delaktiga", "KF1", ["SN"]),  # pass-through
            ("N2", "Minska sjukfrånvaron bland medarbetarna", None, ["SN"]),
            ("N3", "Sänka sjukfrånvaron", None, ["BUN"]),  # near-duplicate of N2
            ("N4", "Öka andelen elever som når kunskapskraven", None, ["BUN"]),
        ],
        indicators=[
            ("I1", "Sjukfrånvaro, andel av arbetstid", "month", "system", ["N2", "N3"]),
            ("I2", "Trygghet i äldreomsorgen", "year", "kolada", ["N1"], None, "U21468"),
            ("I3", "Behörighet gymnasiet", "year", "kolada", ["N4"], None, "N15428"),
            ("I4", "Frisknärvaro", "quarter", "manual", ["N3"]),
        ],
    )


def test_merge_pass_through_and_shared_indicator_on_a_built_document():
    doc = _overlap_doc()
    recs = recommend(doc)
    ids = {r.id: r for r in recs}
    pass_through = ids["drop_pass_through:N1"]
    assert pass_through.changes.remove_goals == ("N1",)
    assert pass_through.changes.move_links == (("I2", "N1", "KF1"),)  # the measurement goes up
    assert "ordagrant" in pass_through.rationale
    merge = next(r for r in recs if r.kind == "merge_duplicates")
    assert {g for g, _ in merge.changes.merge_goals} | {merge.changes.merge_goals[0][1]} == {
        "N2",
        "N3",
    }
    assert "sjukfrånvaron" in merge.rationale.lower() and "likhet" in merge.rationale
    for rec in recs:
        if rec.covered_by is None:
            assert rec.effect == _removed_by(doc, rec), rec.id
    # the shared sick-leave indicator is handled by the merge, and says so
    shared = [r for r in recs if r.kind == "report_shared_indicator_once"]
    assert shared and all(r.covered_by == merge.id for r in shared)
    assert all(r.effect == dict.fromkeys(EFFECT_KEYS, 0) for r in shared)


def test_shared_indicator_reported_once_when_nothing_else_covers_it():
    doc = build_doc(
        units=UNITS,
        goals=[
            ("G1", "Fler invånare ska känna sig trygga", None, ["KS"]),
            ("G2", "Barn ska växa upp under goda förhållanden", None, ["BUN"]),
            ("G3", "Äldre ska ha en meningsfull vardag", None, ["SN"]),
        ],
        indicators=[
            ("I1", "Invånare som känner sig trygga, andel", "month", "manual", ["G1", "G2", "G3"]),
            ("I2", "Nöjdhet med förskolan", "year", "survey", ["G2"]),
        ],
    )
    recs = recommend(doc)
    shared = _by_kind(recs, "report_shared_indicator_once")
    assert len(shared) == 1
    rec = shared[0]
    # the board reports it; the committees' goals refer to its figure
    assert set(rec.changes.remove_links) == {("G2", "I1"), ("G3", "I1")}
    assert rec.effect["reporting_occasions_per_year"] == 24
    assert rec.effect == _removed_by(doc, rec)
    assert "Kommunstyrelsen" in rec.rationale and "hänvisa till samma siffra" in rec.rationale


# --- the layout examples: every planted pattern, with its evidence --------------------


@pytest.fixture(scope="module")
def flat():
    doc = read_path(FLAT_EXAMPLE)
    return doc, recommend(doc)


@pytest.fixture(scope="module")
def levels():
    doc = read_path(LEVELS_EXAMPLE)
    return doc, recommend(doc)


def _texts(doc, rec):
    return {i["text"] for i in rec.items}


def test_flat_example_planted_patterns(flat):
    doc, recs = flat
    kinds = Counter(r.kind for r in recs)
    # same committee goal at two committees (horizontal overlap)
    horizontal = [
        r for r in recs if r.kind == "merge_duplicates" and "kunskapskraven" in r.rationale
    ]
    assert horizontal and "Kultur- och fritidsnämnden" in horizontal[0].rationale
    # a committee goal restating its council goal word for word
    passthrough = [r for r in recs if r.kind == "drop_pass_through"]
    assert any(
        "Äldre ska känna sig trygga och delaktiga" in r.rationale and "ordagrant" in r.rationale
        for r in passthrough
    )
    # near-duplicate pair
    near = [
        r for r in recs if r.kind == "merge_duplicates" and "Sänka sjukfrånvaron" in _texts(doc, r)
    ]
    assert near and "Minska sjukfrånvaron bland medarbetarna" in _texts(doc, near[0])
    assert "likhet 0," in near[0].rationale
    # one indicator under two goals
    shared = [r for r in recs if r.kind == "report_shared_indicator_once"]
    assert any("Sjukfrånvaro, andel av ordinarie arbetstid (%)" in r.rationale for r in shared)
    # activity goal with no indicator
    activity = [r for r in recs if r.kind == "move_activity_goal_down"]
    assert any(
        "Genomföra en inventering av kommunens belysning" in r.rationale
        and "«Genomföra»" in r.rationale
        for r in activity
    )
    assert any(
        "Genomföra en inventering" in r.rationale
        for r in recs
        if r.kind == "measure_or_drop_unmeasured"
    )
    # an assignment to all committees
    assert any(r.kind == "joint_assignment" and "kompetensförsörjning" in r.rationale for r in recs)
    assert set(kinds) <= set(RECOMMENDATION_KINDS)
    # council goals carry no indicators but are measured through committee goals
    assert not any(
        r.kind == "measure_or_drop_unmeasured" and r.items[0]["id"].startswith("B") for r in recs
    )


def test_levels_example_planted_patterns(levels):
    doc, recs = levels
    passthrough = [r for r in recs if r.kind == "drop_pass_through"]
    removed = {g for r in passthrough for g in r.changes.remove_goals}
    texts = dict(doc.goals.select("goal_id", "text").iter_rows())
    # identical goals at different levels
    assert {texts[g] for g in removed} >= {
        "Ett tryggt och inkluderande samhälle",
        "Alla elever ska känna sig trygga i skolan",
    }
    # "Budgeten ska vara i balans" at two committees with the same indicator
    budget = [
        r
        for r in recs
        if r.kind == "merge_duplicates" and "Budgeten ska vara i balans" in r.rationale
    ]
    assert budget and "Barn- och utbildningsnämnden" in budget[0].rationale
    assert any(
        r.kind == "report_shared_indicator_once" and "Budgetavvikelse (tkr)" in r.rationale
        for r in recs
    )
    # the school's activity goal with a precise number
    school = [r for r in recs if r.kind == "move_activity_goal_down" and "skollunch" in r.rationale]
    assert school and "«varje dag»" in school[0].rationale and "90 %" in school[0].rationale


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample municipality not generated yet")
def test_sample_municipality_gets_every_kind():
    doc = read_path(SAMPLE)
    recs = recommend(doc)
    kinds = {r.kind for r in recs}
    for kind in (
        "merge_duplicates",
        "drop_pass_through",
        "report_shared_indicator_once",
        "measure_or_drop_unmeasured",
        "move_activity_goal_down",
        "joint_assignment",
    ):
        assert kind in kinds, kind
    result = recommend_json(doc)
    after = apply(doc, recs)
    assert result["totals_after_all"] == metrics.document_totals(after)


def test_generated_municipality_every_planted_pattern_is_recommended():
    """The sample generator records what it planted; each instance must show up in a
    recommendation of its kind (accepted, or listed as handled by another one)."""
    doc, truth = generate_with_truth()
    overlap = find_overlap(doc)
    recs = recommend(doc, overlap=overlap)

    def ids(kind, item_type):
        return {i["id"] for r in recs if r.kind == kind for i in r.items if i["type"] == item_type}

    merged = ids("merge_duplicates", "goal") | ids("drop_pass_through", "goal")
    activity = ids("move_activity_goal_down", "goal")
    for group in truth["exact_duplicate_goals"]:
        assert len(set(group) & merged) >= 2 or set(group) <= activity, group
    paired = set(overlap.pairs["a_goal_id"]) | set(overlap.pairs["b_goal_id"])
    for goal in truth["near_duplicate_goals"]:
        if goal in paired:  # what the overlap analysis found; its recall is tested there
            assert goal in merged, goal
    assert {g for g, _ in truth["pass_through_goals"]} <= ids("drop_pass_through", "goal")
    assert set(truth["detail_steering_goals"]) <= activity
    caught = set(truth["activity_goals"]) & activity
    assert len(caught) >= 0.9 * len(truth["activity_goals"])
    through_children = measured_through_children(doc)
    assert {g for g in truth["unmeasured_goals"] if g not in through_children} <= ids(
        "measure_or_drop_unmeasured", "goal"
    )
    assert set(truth["shared_indicators"]) <= ids("report_shared_indicator_once", "indicator")
    assert set(truth["kolada_reported_too_often"]) <= ids("lower_frequency", "indicator")
    assert set(truth["all_committee_assignments"]) <= ids("joint_assignment", "assignment")
    for rec in recs:
        assert rec.evidence and rec.rationale, rec.id


# --- no double counting ---------------------------------------------------------------


def _check_reconciled(doc, recs):
    before = metrics.document_totals(doc)
    removed_goals = Counter(
        g for r in recs for g in (*r.changes.remove_goals, *(a for a, _ in r.changes.merge_goals))
    )
    assert all(n == 1 for n in removed_goals.values()), removed_goals
    removed_ind = Counter(
        i
        for r in recs
        for i in (*r.changes.remove_indicators, *(d for d, _ in r.changes.replace_indicators))
    )
    assert all(n == 1 for n in removed_ind.values()), removed_ind
    after_all = metrics.document_totals(apply(doc, recs))
    for key in EFFECT_KEYS:
        assert before[key] - after_all[key] == sum(r.effect[key] for r in recs), key


@pytest.mark.parametrize("which", ["flat", "levels"])
def test_identity_on_examples(which, flat, levels):
    doc, recs = {"flat": flat, "levels": levels}[which]
    _check_reconciled(doc, recs)
    result = recommend_json(doc)
    assert result["totals_before"] == metrics.document_totals(doc)
    assert result["totals_after_all"] == metrics.document_totals(apply(doc, recs))
    assert [r["id"] for r in result["recommendations"]] == [
        r.id for r in recs
    ]  # stable ids, same order
    for rec in result["recommendations"]:
        assert set(rec) >= {"id", "kind", "units", "items", "rationale", "effect"}
        assert set(rec["effect"]) == set(EFFECT_KEYS)
        assert all({"type", "id", "text"} <= set(item) for item in rec["items"])
        assert rec["rationale"]


def test_ranked_by_effect(levels):
    _, recs = levels
    scores = [r.score for r in recs if r.covered_by is None]
    assert scores == sorted(scores, reverse=True)
    assert all(r.covered_by is not None for r in recs[len(scores) :])


_TEXTS = [
    "Sänka sjukfrånvaron",
    "Minska sjukfrånvaron bland medarbetarna",
    "Budgeten ska vara i balans",
    "Genomföra en inventering av belysningen",
    "Ta fram en plan för kompetensförsörjning",
    "Öka andelen elever som når kunskapskraven",
    "Alla elever ska känna sig trygga i skolan",
    "Fler invånare ska bli självförsörjande",
    "Minst 90 % av eleverna ska äta skollunch varje dag",
    "Minska koldioxidutsläppen från fordonen",
]
_IND = ["Sjukfrånvaro", "Budgetavvikelse", "Trygghet", "Meritvärde", "Utsläpp", "Antal ärenden"]
_KINDS = ["kolada", "system", "survey", "manual", "unknown"]
_FREQS = ["month", "quarter", "tertial", "half_year", "year", "week"]


@st.composite
def documents(draw):
    units = [("KF", "council", None), ("KS", "board", "KF")]
    for c in range(draw(st.integers(1, 3))):
        units.append((f"C{c}", "committee", "KF"))
    for a in range(draw(st.integers(0, 2))):
        units.append(
            (
                f"A{a}",
                "administration",
                draw(st.sampled_from([u[0] for u in units if u[1] == "committee"])),
            )
        )
    for e in range(draw(st.integers(0, 2))):
        units.append(
            (f"E{e}", "unit", draw(st.sampled_from([u[0] for u in units if u[1] != "council"])))
        )
    unit_ids = [u[0] for u in units]
    goals = []
    for g in range(draw(st.integers(1, 12))):
        parent = draw(st.sampled_from([None] + [x[0] for x in goals])) if goals else None
        owners = draw(st.lists(st.sampled_from(unit_ids), min_size=1, max_size=3, unique=True))
        goals.append((f"G{g}", draw(st.sampled_from(_TEXTS)), parent, owners))
    goal_ids = [g[0] for g in goals]
    indicators = []
    for i in range(draw(st.integers(0, 8))):
        indicators.append(
            (
                f"I{i}",
                draw(st.sampled_from(_IND)),
                draw(st.sampled_from(_FREQS)),
                draw(st.sampled_from(_KINDS)),
                draw(st.lists(st.sampled_from(goal_ids), max_size=3, unique=True)),
                draw(st.sampled_from([None, None, *unit_ids])),
                draw(st.sampled_from([None, "N15419", "U23471"])),
            )
        )
    assignments = []
    for a in range(draw(st.integers(0, 3))):
        recipients = draw(
            st.lists(st.sampled_from(unit_ids), min_size=1, max_size=len(unit_ids), unique=True)
        )
        assignments.append((f"U{a}", "Redovisa åtgärder", draw(st.integers(1, 12)), recipients))
    return build_doc(units=units, goals=goals, indicators=indicators, assignments=assignments)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(), data=st.data(), cap=st.integers(1, 4))
def test_any_subset_changes_totals_by_exactly_its_effects(doc, data, cap):
    recs = recommend(doc, goal_cap=cap)
    accepted = [r for r in recs if r.covered_by is None]
    _check_reconciled(doc, accepted)
    subset = [r for r in accepted if data.draw(st.booleans())]
    before = metrics.document_totals(doc)
    after = metrics.document_totals(apply(doc, subset))
    for key in EFFECT_KEYS:
        assert before[key] - after[key] == sum(r.effect[key] for r in subset), key
    # informational recommendations change nothing
    covered = [r for r in recs if r.covered_by is not None]
    assert metrics.document_totals(apply(doc, covered)) == before


def test_render_table(levels):
    doc, _ = levels
    text = render_table(recommend_json(doc))
    assert "Förslag" in text and "Rapporteringar per år" in text
    assert "move_activity_goal_down:" in text
    assert "−12" in text  # Swedish minus sign, as the UI writes it


def test_changes_table_lists_every_item_and_sums_to_the_effects(levels):
    doc, recs = levels
    accepted = [r for r in recs if r.covered_by is None]
    table = changes_table(accepted)
    assert table.height == sum(len(r.items) for r in accepted)
    assert table["goals_removed"].sum() == sum(r.effect["goals"] for r in accepted)
    assert table["reporting_occasions_removed"].sum() == sum(
        r.effect["reporting_occasions_per_year"] for r in accepted
    )
    school = table.filter(pl.col("text").str.contains("skollunch"))
    assert school["action"].to_list()[0] == "move_to_operational_plan"
    assert school["units"].to_list()[0] == "Solhagens skola"


# --- merge candidates: the polars/scipy path against the per-goal reference ----------


def _reference_merge(ctx, overlap):
    """The merge groups and evidence lines worked out goal by goal: a per-goal dict of
    every pair, components by depth-first search within each cluster, and in each
    component the groups around the best-ranked goals (recommend._merge_groups): the
    kept goal with its near-duplicates, a goal left alone joining its most similar one's
    group."""
    from goalload.recommend import _merge_rank

    evidence = {}
    for a, b, score, words in overlap.pairs.select(
        "a_goal_id", "b_goal_id", "score", "evidence"
    ).iter_rows():
        evidence.setdefault(a, []).append((b, score, list(words or [])))
        evidence.setdefault(b, []).append((a, score, list(words or [])))
    edges = {}
    for a, b in (
        overlap.pairs.filter(pl.col("kind") == "horizontal")
        .select("a_goal_id", "b_goal_id")
        .iter_rows()
    ):
        edges.setdefault(a, set()).add(b)
        edges.setdefault(b, set()).add(a)
    result = []
    for _cid, goals in (
        overlap.clusters.group_by("cluster_id", maintain_order=True).agg("goal_id").iter_rows()
    ):
        members = [g for g in dict.fromkeys(goals) if g in ctx.goal_text]
        remaining = set(members)
        for start in members:
            if start not in remaining:
                continue
            stack, component = [start], []
            remaining.discard(start)
            while stack:
                goal = stack.pop()
                component.append(goal)
                for other in edges.get(goal, ()):
                    if other in remaining:
                        remaining.discard(other)
                        stack.append(other)
            if len(component) < 2:
                continue
            result += [(group, evidence) for group in _star_groups(ctx, component, overlap, _merge_rank)]
    return result


def _star_groups(ctx, component, overlap, rank):
    """The merge groups of one component, pair by pair (texts here are all distinct)."""
    score = {}
    for a, b, s in (
        overlap.pairs.filter(pl.col("kind") == "horizontal")
        .select("a_goal_id", "b_goal_id", "score")
        .iter_rows()
    ):
        if a == b:  # a goal paired with itself says nothing about grouping
            continue
        for one, other in ((a, b), (b, a)):
            score[one, other] = max(score.get((one, other), 0.0), s or 0.0)
    groups, group_of = [], {}
    for kept in sorted(component, key=lambda g: rank(ctx, g)):
        if kept in group_of:
            continue
        members = [kept] + [g for g in component if (kept, g) in score and g not in group_of]
        index = len(groups) if len(members) >= 2 else -1
        group_of.update(dict.fromkeys(members, index))
        if index >= 0:
            groups.append(set(members))
    for alone in [g for g, index in group_of.items() if index < 0]:
        near = [g for g in component if (alone, g) in score and group_of[g] >= 0]
        if near:
            nearest = max(near, key=lambda g: (score[alone, g], -group_of[g]))
            groups[group_of[nearest]].add(alone)
    return groups


def _lines(ctx, evidence, goals):
    from goalload.recommend import _evidence_words, _score_sv

    members = set(goals)
    return [
        f"{a} ↔ {b}: likhet {_score_sv(score)}; gemensamt: {_evidence_words(words)}"
        for a in goals
        for b, score, words in evidence.get(a, [])
        if b in members and ctx.goal_order.get(a, 0) < ctx.goal_order.get(b, 0)
    ]


_GOALS = [f"G{n}" for n in range(7)]
_PAIR = st.tuples(
    st.sampled_from([*_GOALS, "GX"]),
    st.sampled_from([*_GOALS, "GX"]),
    st.sampled_from(["horizontal", "pass_through"]),
    st.sampled_from([0.61, 0.875, 1.0, None]),
    st.sampled_from([None, [], ["a"], ["a", "b", "c", "d", "e", "f", "g"]]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clusters=st.lists(st.lists(st.sampled_from([*_GOALS, "GX"]), max_size=6), max_size=3),
    pairs=st.lists(_PAIR, max_size=14),
    drop=st.sets(st.integers(0, 6)),
)
@example(  # goals paired with themselves, G1 alone beside G0's group: one group of three
    clusters=[["G0", "G1", "G2"]],
    pairs=[
        ("G0", "G0", "horizontal", 0.61, None),
        ("G0", "G2", "horizontal", 0.61, None),
        ("G1", "G1", "horizontal", 0.61, None),
        ("G1", "G2", "horizontal", 0.61, None),
    ],
    drop=set(),
)
def test_merge_candidates_match_the_reference(clusters, pairs, drop):
    from goalload.recommend import _Context, _merge

    doc = build_doc(
        units=UNITS,
        goals=[(g, f"Mål {g}", None, [UNITS[n % len(UNITS)][0]]) for n, g in enumerate(_GOALS)],
    )
    overlap = _overlap_of(
        [(f"K{c}", g) for c, goals in enumerate(clusters) for g in goals], pairs
    )
    ctx = _Context(doc)
    found = _merge(ctx, overlap) if overlap.clusters.height else []
    reference = _reference_merge(ctx, overlap) if overlap.clusters.height else []
    assert len(found) == len(reference)
    for cand, (component, evidence) in zip(found, reference, strict=True):
        kept = cand.parts[0].data["kept"]
        goals = [kept] + [p.data["goal"] for p in cand.parts]
        assert set(goals) == component
        assert cand.describe(cand.parts)[4] == tuple(_lines(ctx, evidence, goals))
        # some goals handled elsewhere: the lines of the rest only
        some = [p for n, p in enumerate(cand.parts) if n not in drop] or cand.parts[:1]
        kept_goals = [kept] + [p.data["goal"] for p in some]
        assert cand.describe(some)[4] == tuple(_lines(ctx, evidence, kept_goals))


def _overlap_of(members: list[tuple[str, str]], pairs: list[tuple]):
    """An overlap result as _merge reads it: (cluster id, goal id) members and (a, b,
    kind, score, evidence) pairs."""
    from types import SimpleNamespace

    return SimpleNamespace(
        clusters=pl.DataFrame(
            members, schema={"cluster_id": pl.String, "goal_id": pl.String}, orient="row"
        ),
        pairs=pl.DataFrame(
            pairs,
            schema={
                "a_goal_id": pl.String,
                "b_goal_id": pl.String,
                "kind": pl.String,
                "score": pl.Float64,
                "evidence": pl.List(pl.String),
            },
            orient="row",
        ),
    )


def _chain_overlap(goals, scores):
    """An overlap of one cluster whose horizontal pairs link goals[i] and goals[i + 1]."""
    links = zip(goals, goals[1:], strict=False)
    return _overlap_of(
        [("K1", g) for g in goals],
        [(a, b, "horizontal", score, ["a"]) for (a, b), score in zip(links, scores, strict=True)],
    )


def test_a_chain_of_near_duplicates_is_not_merged_into_one_goal():
    """G0 ~ G1 ~ G2 ~ G3 ~ G4, each only like its neighbours: G0 (the council's, kept
    first) merges with G1; G2 starts the next group with G3, and G4 is G3's near-duplicate.
    A component would merge all five, and at scale 963 different texts into one."""
    from goalload.recommend import _Context, _merge

    doc = build_doc(
        units=UNITS,
        goals=[(g, f"Mål {g}", None, [UNITS[n][0]]) for n, g in enumerate(_GOALS[:5])],
    )
    found = _merge(_Context(doc), _chain_overlap(_GOALS[:5], [0.9, 0.8, 0.7, 0.9]))
    groups = [(c.parts[0].data["kept"], [p.data["goal"] for p in c.parts]) for c in found]
    assert groups == [("G0", ["G1"]), ("G2", ["G3", "G4"])]


def test_a_goal_left_alone_joins_its_most_similar_group():
    """G2 is like G1 only, and G1 is already merged with G0: G2 joins that group rather
    than being left out of every merge."""
    from goalload.recommend import _Context, _merge

    doc = build_doc(
        units=UNITS,
        goals=[(g, f"Mål {g}", None, [UNITS[n][0]]) for n, g in enumerate(_GOALS[:3])],
    )
    found = _merge(_Context(doc), _chain_overlap(_GOALS[:3], [0.9, 0.8]))
    assert [(c.parts[0].data["kept"], [p.data["goal"] for p in c.parts]) for c in found] == [
        ("G0", ["G1", "G2"])
    ]


def test_merged_goals_of_a_generated_municipality_say_what_the_kept_goal_says():
    """Every goal merged is a near-duplicate of the kept goal, or of a goal that is (the
    pairs of the overlap, at the level of normalised texts); goals with the same text as
    the kept goal are merged with it."""
    from goalload.text import normalize

    doc, _truth = generate_with_truth()
    overlap = find_overlap(doc)
    text = dict(doc.goals.select("goal_id", "text").iter_rows())
    near = set()
    for a, b in overlap.pairs.filter(pl.col("kind") == "horizontal").select(
        "a_goal_id", "b_goal_id"
    ).iter_rows():
        near |= {(normalize(text[a]), normalize(text[b])), (normalize(text[b]), normalize(text[a]))}
    merges = [r for r in recommend(doc, overlap=overlap) if r.kind == "merge_duplicates"]
    assert merges
    for rec in merges:
        goals = [i for i in rec.items if i["type"] == "goal"]
        kept = normalize(text[next(i["id"] for i in goals if i["action"] == "keep_shared")])
        members = {normalize(text[i["id"]]) for i in goals}
        one_step = {kept} | {t for t in members if (kept, t) in near}
        for member in members:
            assert member in one_step or any((member, t) in near for t in one_step), rec.id


def test_recommend_with_json_is_recommend_and_recommend_json_in_one():
    from goalload.read import read_path
    from goalload.recommend import recommend_json, recommend_with_json
    from tests.conftest import LEVELS_EXAMPLE

    doc = read_path(LEVELS_EXAMPLE)
    recs, result = recommend_with_json(doc, goal_cap=3)
    assert [r.to_dict() for r in recs] == [r.to_dict() for r in recommend(doc, goal_cap=3)]
    assert result == recommend_json(doc, goal_cap=3)


def test_lazy_texts_equal_the_eager_ones():
    """recommend() builds the texts of informational recommendations on first access;
    the values, equality, pickling, copying and dataclasses.replace are as before."""
    import copy
    import pickle

    from goalload.recommend import recommend_with_json

    doc = read_path(SAMPLE)
    found = find_overlap(doc)
    lazy = recommend(doc, overlap=found)
    eager, _ = recommend_with_json(doc, overlap=found)
    covered = [r for r in lazy if r.covered_by is not None]
    assert covered, "the sample should have informational recommendations"
    assert all("_make_texts" in vars(r) for r in covered)
    first = covered[0]
    assert first.title  # builds all five texts at once
    assert "_make_texts" not in vars(first)
    assert {"title", "units", "items", "rationale", "evidence"} <= set(vars(first))
    assert all(r.covered_by is None for r in lazy[: len(lazy) - len(covered)])
    untouched = covered[-1]
    assert pickle.loads(pickle.dumps(untouched)) == untouched
    assert copy.deepcopy(untouched) == untouched
    assert lazy == eager and eager == lazy
    assert [r.to_dict() for r in lazy] == [r.to_dict() for r in eager]
    changed = dataclasses.replace(covered[1], evidence=("a",))
    assert changed.evidence == ("a",) and changed.title == covered[1].title
    assert changed != covered[1]
    assert [f.name for f in dataclasses.fields(first)][:3] == ["id", "kind", "title"]


@pytest.mark.parametrize("cap", [DEFAULT_GOAL_CAP, 3, None])
def test_recommendations_json_from_recommend_with_after(cap):
    """The JSON built later from recommend_with_after's objects is recommend_json's."""
    import json

    from goalload.recommend import recommend_with_after, recommendations_json

    doc = read_path(SAMPLE)
    found = find_overlap(doc)
    recs, after = recommend_with_after(doc, overlap=found, goal_cap=cap)
    built = recommendations_json(doc, recs, metrics.document_totals(after), cap)
    want = recommend_json(doc, overlap=found, goal_cap=cap)
    assert json.dumps(built, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)


@pytest.mark.parametrize("cap", [DEFAULT_GOAL_CAP, 3, None])
@pytest.mark.parametrize("path", [SAMPLE, FLAT_EXAMPLE, LEVELS_EXAMPLE], ids=lambda p: p.stem)
def test_recommend_with_after_gives_the_document_with_all_of_them_applied(path, cap):
    """Minska starts its default scenario from this document instead of applying all
    actionable recommendations again: it must be that document, frame for frame."""
    from goalload.recommend import recommend_with_after

    doc = read_path(path)
    recs, after = recommend_with_after(doc, goal_cap=cap)
    actionable = [r for r in recs if r.covered_by is None]
    again = apply(doc, actionable)
    assert after.goals.height < doc.goals.height or cap is None
    for field in dataclasses.fields(doc):
        mine, theirs = getattr(after, field.name), getattr(again, field.name)
        if isinstance(mine, pl.DataFrame):
            assert mine.equals(theirs), field.name
        else:
            assert mine == theirs, field.name


def test_recommendations_json_pauses_between_chunks(monkeypatch):
    """The app's worker waits in `pause` while a page is drawn: it is called every
    JSON_PAUSE_EVERY recommendations, and the JSON is the same."""
    import goalload.recommend as rec

    doc = read_path(SAMPLE)
    recs, after = rec.recommend_with_after(doc)
    totals_after = metrics.document_totals(after)
    monkeypatch.setattr(rec, "JSON_PAUSE_EVERY", 10)
    pauses: list[None] = []
    built = rec.recommendations_json(doc, recs, totals_after, pause=lambda: pauses.append(None))
    assert len(recs) > 30 and len(pauses) == len(recs) // 10
    assert built == rec.recommendations_json(doc, recs, totals_after)


def test_merge_lines_among_small_and_large_paths_agree(monkeypatch):
    """_Lines.among filters in Python below _MANY_LINES and in polars above: same lines."""
    import goalload.recommend as rec

    xs = [f"G{i % 7}" for i in range(50)]
    ys = [f"G{(i * 3) % 11}" for i in range(50)]
    lines = [f"{x} ↔ {y}: {n}" for n, (x, y) in enumerate(zip(xs, ys, strict=True))]
    frame = pl.DataFrame({"comp": [0], "line": [lines], "x": [xs], "y": [ys]})
    members = {"G0", "G1", "G3", "G9", "G10"}
    small = rec._Lines(lines, frame, 0).among(members)
    monkeypatch.setattr(rec, "_MANY_LINES", 0)
    large = rec._Lines(lines, frame, 0).among(members)
    assert small == large
    assert small == [
        ln for ln, x, y in zip(lines, xs, ys, strict=True) if x in members and y in members
    ]


def test_recommendations_leave_the_collector_on_and_what_is_frozen_frozen():
    """The objects built while the collector is paused go to the oldest generation
    unwalked, unless something else is frozen (the app's document): that stays frozen."""
    import gc

    doc = read_path(SAMPLE)
    gc.unfreeze()  # what an app test of this process froze: only a matter of speed
    gc.collect()
    recs = recommend(doc)
    assert recs and gc.isenabled() and gc.get_freeze_count() == 0
    # promoted to the oldest generation, not walked by a young collection
    assert any(o is recs for o in gc.get_objects(generation=2))
    marker = [recs]
    gc.freeze()  # as the app freezes its long-lived objects
    try:
        recommend(doc)
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert not any(o is marker for o in gc.get_objects())  # still frozen
    finally:
        gc.unfreeze()
    gc.disable()  # off before: left off
    try:
        recommend(doc)
        assert not gc.isenabled()
    finally:
        gc.enable()
