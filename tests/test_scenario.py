"""Scenarios: apply edits and rules to a new document, compare, estimate time, save/load."""

from __future__ import annotations

import json

import polars as pl
import pytest

from goalload import metrics
from goalload.errors import InputError
from goalload.model import FREQUENCIES, new_document
from goalload.scenario import (
    Changes,
    Rules,
    Scenario,
    TimeAssumptions,
    apply,
    apply_changes,
    choose,
    compare,
    compare_totals,
    exclusive_indicators,
    load_scenario,
    reporting_hours,
    save_scenario,
    time_estimate,
)


def build_doc(units=(), goals=(), indicators=(), assignments=(), name="Testkommun"):
    """A GoalDocument from plain tuples, so each test states its data in a few lines.

    units: (unit_id, level, parent_id); goals: (goal_id, text, parent_goal_id, [owner ids]);
    indicators: (indicator_id, name, frequency, source_kind, [goal ids], owner_id, kolada_id);
    assignments: (assignment_id, text, report_backs_per_year, [recipient ids]).
    """
    units_df = pl.DataFrame(
        {
            "unit_id": [u[0] for u in units],
            "name": [f"Enhet {u[0]}" if len(u) < 4 else u[3] for u in units],
            "level": [u[1] for u in units],
            "parent_id": [u[2] for u in units],
        },
        schema={
            "unit_id": pl.String,
            "name": pl.String,
            "level": pl.String,
            "parent_id": pl.String,
        },
    )
    goals_df = pl.DataFrame(
        {
            "goal_id": [g[0] for g in goals],
            "text": [g[1] for g in goals],
            "parent_goal_id": [g[2] for g in goals],
        },
        schema={"goal_id": pl.String, "text": pl.String, "parent_goal_id": pl.String},
    )
    owners = pl.DataFrame(
        [(g[0], u) for g in goals for u in g[3]],
        schema={"goal_id": pl.String, "unit_id": pl.String},
        orient="row",
    )
    ind_df = pl.DataFrame(
        {
            "indicator_id": [i[0] for i in indicators],
            "name": [i[1] for i in indicators],
            "frequency": [i[2] for i in indicators],
            "occasions_per_year": [FREQUENCIES.get(i[2], 1) for i in indicators],
            "source": [i[3] for i in indicators],
            "source_kind": [i[3] for i in indicators],
            "owner_id": [i[5] if len(i) > 5 else None for i in indicators],
            "kolada_id": [i[6] if len(i) > 6 else None for i in indicators],
        },
        schema={
            "indicator_id": pl.String,
            "name": pl.String,
            "frequency": pl.String,
            "occasions_per_year": pl.Int64,
            "source": pl.String,
            "source_kind": pl.String,
            "owner_id": pl.String,
            "kolada_id": pl.String,
        },
    )
    links = pl.DataFrame(
        [(g, i[0]) for i in indicators for g in i[4]],
        schema={"goal_id": pl.String, "indicator_id": pl.String},
        orient="row",
    )
    asg = pl.DataFrame(
        {
            "assignment_id": [a[0] for a in assignments],
            "text": [a[1] for a in assignments],
            "report_backs_per_year": [a[2] for a in assignments],
        },
        schema={"assignment_id": pl.String, "text": pl.String, "report_backs_per_year": pl.Int64},
    )
    recipients = pl.DataFrame(
        [(a[0], u) for a in assignments for u in a[3]],
        schema={"assignment_id": pl.String, "unit_id": pl.String},
        orient="row",
    )
    return new_document(
        name,
        units=units_df,
        goals=goals_df,
        goal_owners=owners,
        indicators=ind_df,
        goal_indicators=links,
        assignments=asg,
        assignment_recipients=recipients,
    )


UNITS = [
    ("KF", "council", None, "Kommunfullmäktige"),
    ("KS", "board", "KF", "Kommunstyrelsen"),
    ("SN", "committee", "KF", "Socialnämnden"),
    ("BUN", "committee", "KF", "Barn- och utbildningsnämnden"),
    ("SF", "administration", "SN", "Socialförvaltningen"),
    ("SK", "unit", "SF", "Solhagens skola"),
]


def small_doc():
    return build_doc(
        units=UNITS,
        goals=[
            ("G1", "Ett tryggt samhälle", None, ["KF"]),
            ("G2", "Fler invånare ska bli självförsörjande", "G1", ["SN"]),
            ("G3", "Korta handläggningstiden", "G2", ["SF"]),
            ("G4", "Alla elever ska känna sig trygga", "G1", ["BUN", "SN"]),
            ("G5", "Handläggningstiden ska kortas", "G3", ["SK"]),
        ],
        indicators=[
            ("I1", "Andel självförsörjande", "month", "system", ["G2"]),
            ("I2", "Handläggningstid", "month", "manual", ["G3", "G5"]),
            ("I3", "Trygghet i skolan", "year", "survey", ["G4"]),
            ("I4", "Antal ärenden", "quarter", "manual", ["G5"]),
            ("I5", "Oanvänd", "tertial", "kolada", [], None, "N00001"),
        ],
        assignments=[("A1", "Ta fram en plan", 3, ["SN", "BUN", "KS"])],
    )


def _frames(doc):
    return [
        doc.units,
        doc.goals,
        doc.goal_owners,
        doc.indicators,
        doc.goal_indicators,
        doc.assignments,
        doc.assignment_recipients,
    ]


def test_apply_changes_never_mutates_and_does_what_it_says():
    doc = small_doc()
    copies = [f.clone() for f in _frames(doc)]
    after = apply_changes(
        doc,
        Changes(
            remove_goals=("G3",),
            move_links=(("I4", "G5", "G2"),),
            remove_indicators=("I5",),
            set_frequency=(("I1", "quarter"),),
            remove_recipients=(("A1", "BUN"),),
        ),
    )
    for before, original in zip(_frames(doc), copies, strict=True):
        assert before.equals(original)
    assert set(after.goals["goal_id"]) == {"G1", "G2", "G4", "G5"}
    # G5's parent G3 went: it hangs under G3's parent now
    assert dict(after.goals.select("goal_id", "parent_goal_id").iter_rows())["G5"] == "G2"
    assert ("G2", "I4") in set(after.goal_indicators.select("goal_id", "indicator_id").iter_rows())
    assert ("G3", "I2") not in set(
        after.goal_indicators.select("goal_id", "indicator_id").iter_rows()
    )
    assert "I5" not in set(after.indicators["indicator_id"])
    i1 = after.indicators.filter(pl.col("indicator_id") == "I1").row(0, named=True)
    assert (i1["frequency"], i1["occasions_per_year"]) == ("quarter", 4)
    assert set(after.assignment_recipients["unit_id"]) == {"SN", "KS"}


def test_merge_hands_owners_and_children_to_the_goal_that_stays():
    doc = small_doc()
    after = apply_changes(doc, Changes(merge_goals=(("G3", "G2"),)))
    owners = set(after.goal_owners.select("goal_id", "unit_id").iter_rows())
    assert {("G2", "SN"), ("G2", "SF")} <= owners
    assert "G3" not in set(after.goals["goal_id"])
    assert dict(after.goals.select("goal_id", "parent_goal_id").iter_rows())["G5"] == "G2"


def test_chain_of_removed_goals_reattaches_to_nearest_survivor():
    doc = small_doc()
    after = apply_changes(doc, Changes(remove_goals=("G2", "G3")))
    assert dict(after.goals.select("goal_id", "parent_goal_id").iter_rows())["G5"] == "G1"


def test_replace_indicators_keeps_one_link_per_goal():
    doc = build_doc(
        units=UNITS,
        goals=[("G1", "Mål", None, ["SN"])],
        indicators=[("I1", "X", "year", "kolada", ["G1"]), ("I2", "X", "year", "kolada", ["G1"])],
    )
    after = apply_changes(doc, Changes(replace_indicators=(("I2", "I1"),)))
    assert after.goal_indicators.select("goal_id", "indicator_id").rows() == [("G1", "I1")]
    assert after.indicators["indicator_id"].to_list() == ["I1"]


def test_exclusive_indicators():
    doc = small_doc()
    assert exclusive_indicators(doc, ["G5"]) == ["I4"]  # I2 is also under G3
    assert exclusive_indicators(doc, ["G3", "G5"]) == ["I2", "I4"]


def test_rules_max_frequency_and_removed_items():
    doc = small_doc()
    after = apply(doc, [], Rules(max_frequency="quarter", removed_goals=frozenset({"G4"})))
    occ = dict(after.indicators.select("indicator_id", "occasions_per_year").iter_rows())
    assert occ["I1"] == 4 and occ["I2"] == 4  # monthly -> quarterly
    assert occ["I4"] == 4 and occ["I5"] == 3  # already at or below the ceiling
    assert "G4" not in set(after.goals["goal_id"])
    assert "I3" not in occ  # measured only G4, so it went with it
    # the rules never touch the input
    assert "G4" in set(doc.goals["goal_id"])


def test_rules_goal_cap_per_unit():
    goals = [(f"G{i}", f"Öka andelen nöjda brukare {i}", None, ["SN"]) for i in range(6)]
    goals.append(("GA", "Genomföra en utbildning för all personal", None, ["SN"]))
    doc = build_doc(units=UNITS, goals=goals)
    after = apply(doc, [], Rules(goal_cap=4))
    own = after.goal_owners.filter(pl.col("unit_id") == "SN")
    assert own.height == 4
    assert "GA" not in set(own["goal_id"])  # the activity goal goes first
    capped = apply(doc, [], Rules(goal_cap=4, unit_goal_caps=(("SN", 6),)))
    assert capped.goal_owners.filter(pl.col("unit_id") == "SN").height == 6


def test_compare_per_unit_and_total():
    doc = small_doc()
    after = apply_changes(doc, Changes(remove_goals=("G5",), remove_indicators=("I4",)))
    table = compare(doc, after)
    assert table.height == doc.units.height + 1
    for metric in metrics.LOAD_COLUMNS:
        assert {f"{metric}_before", f"{metric}_after", f"{metric}_delta"} <= set(table.columns)
    sk = table.filter(pl.col("unit_id") == "SK").row(0, named=True)
    assert (sk["own_goals_before"], sk["own_goals_after"], sk["own_goals_delta"]) == (1, 0, -1)
    # SK carried I2 (12/yr) and I4 (4/yr)
    assert sk["reporting_occasions_per_year_delta"] == -16
    total = table.filter(pl.col("unit") == "Totalt").row(0, named=True)
    units = table.filter(pl.col("unit_id").is_not_null())
    assert (
        total["reporting_occasions_per_year_delta"]
        == units["reporting_occasions_per_year_delta"].sum()
    )
    assert compare(doc, after, metrics.unit_load(doc)).equals(table)
    totals = dict(compare_totals(doc, after).select("metric", "delta").iter_rows())
    assert totals["goals"] == -1 and totals["indicators"] == -1
    assert totals["reporting_occasions_per_year"] == -16


def test_time_estimate_uses_the_assumptions_and_says_so():
    doc = build_doc(
        units=UNITS,
        goals=[("G1", "Mål", None, ["SN", "BUN"])],
        indicators=[("I1", "X", "month", "manual", ["G1"]), ("I2", "Y", "year", "kolada", ["G1"])],
        assignments=[("A1", "Uppdrag", 2, ["SN"])],
    )
    after = apply_changes(doc, Changes(set_frequency=(("I1", "year"),)))
    assumptions = TimeAssumptions(manual=2.0, kolada=0.5, assignment_report_back=10.0)
    est = time_estimate(doc, after, assumptions)
    assert est["is_assumption"] is True and "Antaganden" in est["label"]
    # before: I1 12/yr × 2 units × 2 h + I2 1 × 2 × 0.5 h + A1 2 × 10 h = 48 + 1 + 20
    assert est["before"]["total_hours"] == 69.0
    # after: I1 1 × 2 × 2 h = 4
    assert est["after"]["total_hours"] == 25.0
    assert est["hours_saved"] == 44.0
    assert est["before"]["occasions"]["manual"] == 24
    assert est["assumptions"]["manual"] == 2.0
    # the app keeps the hours before (they do not change with a tick)
    kept = reporting_hours(doc, assumptions)
    assert kept == est["before"] and time_estimate(doc, after, assumptions, kept) == est


def test_scenario_roundtrip():
    rules = Rules(
        goal_cap=8,
        max_frequency="quarter",
        removed_goals=frozenset({"G1"}),
        removed_indicators=frozenset({"I9"}),
        unit_goal_caps=(("SN", 5),),
    )
    assumptions = TimeAssumptions(manual=4.0)
    data = save_scenario(["a:1", "b:2", "a:1"], rules, assumptions, document="Exempelby")
    json.loads(data)  # plain JSON, readable in any editor
    loaded = load_scenario(data)
    assert loaded == Scenario(
        accepted=("a:1", "b:2"), rules=rules, assumptions=assumptions, document="Exempelby"
    )


def test_scenario_accepts_swedish_frequency_label():
    payload = {"format": "goalload-scenario", "version": 1, "rules": {"max_frequency": "Kvartal"}}
    assert load_scenario(json.dumps(payload).encode()).rules.max_frequency == "quarter"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "JSON"),
        (b"not json at all", "JSON"),
        (b"[1, 2]", "scenariomärkning"),
        (json.dumps({"format": "något annat"}).encode(), "scenariomärkning"),
        (json.dumps({"format": "goalload-scenario", "version": 99}).encode(), "version"),
        (
            json.dumps({"format": "goalload-scenario", "version": 1, "accepted": "a"}).encode(),
            "lista",
        ),
        (
            json.dumps(
                {"format": "goalload-scenario", "version": 1, "rules": {"goal_cap": -1}}
            ).encode(),
            "heltal",
        ),
        (
            json.dumps(
                {"format": "goalload-scenario", "version": 1, "rules": {"goal_cap": True}}
            ).encode(),
            "heltal",
        ),
        (
            json.dumps(
                {"format": "goalload-scenario", "version": 1, "rules": {"max_frequency": "Dag"}}
            ).encode(),
            "frekvens",
        ),
        (
            json.dumps(
                {
                    "format": "goalload-scenario",
                    "version": 1,
                    "rules": {"unit_goal_caps": {"SN": None}},
                }
            ).encode(),
            "heltal",
        ),
        (
            json.dumps(
                {"format": "goalload-scenario", "version": 1, "assumptions": {"manual": "x"}}
            ).encode(),
            "timmar",
        ),
        (
            json.dumps(
                {"format": "goalload-scenario", "version": 1, "assumptions": {"hack": 1}}
            ).encode(),
            "okänt",
        ),
        (b" " * (3 * 1024 * 1024), "2 MB"),
    ],
)
def test_bad_scenario_files_raise_input_error_in_swedish(data, fragment):
    with pytest.raises(InputError) as info:
        load_scenario(data)
    assert fragment in info.value.message
    assert info.value.message.startswith("Scenariofilen går inte att läsa")


def test_choose_maps_saved_ids_back_and_reports_missing_ones():
    from goalload.recommend import recommend

    doc = build_doc(
        units=UNITS,
        goals=[("G1", "Ta fram en plan mot hemlöshet", None, ["SN"])],
        assignments=[("A1", "Redovisa", 2, ["SN", "BUN", "KS"])],
    )
    recs = recommend(doc)
    ids = [r.id for r in recs if r.covered_by is None]
    assert "joint_assignment:A1" in ids
    saved = load_scenario(save_scenario(["joint_assignment:A1", "merge_duplicates:X9"]))
    chosen, missing = choose(recs, saved.accepted)
    assert [r.id for r in chosen] == ["joint_assignment:A1"]
    assert missing == ["merge_duplicates:X9"]
    after = apply(doc, chosen)
    assert (
        metrics.document_totals(doc)["reporting_occasions_per_year"]
        - metrics.document_totals(after)["reporting_occasions_per_year"]
        == chosen[0].effect["reporting_occasions_per_year"]
        == 4
    )


def test_unknown_max_frequency_is_an_input_error():
    with pytest.raises(InputError, match="Okänd högsta frekvens"):
        apply(small_doc(), [], Rules(max_frequency="fortnight"))
