"""Comparing documents: unit matching across renames, metrics side by side, goal changes.

The small documents pin the rules; the last tests compare the two sample years the
generator writes (sample_data/) against the record of what it changed between them.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from goalload import compare, metrics, samplegen
from goalload.model import new_document

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "exempelkommun.xlsx"
SAMPLE_PREVIOUS = REPO / "sample_data" / "exempelkommun_2024.xlsx"


def _doc(name, year, units, goals, *, population=None, indicators=(), links=(), assignments=()):
    """units: (id, name, level, parent); goals: (id, text, owner ids...)."""
    return new_document(
        name,
        units=pl.DataFrame(
            [dict(unit_id=u, name=n, level=lvl, parent_id=p) for u, n, lvl, p in units]
        ),
        goals=pl.DataFrame([dict(goal_id=g[0], text=g[1]) for g in goals]),
        goal_owners=pl.DataFrame(
            [dict(goal_id=g[0], unit_id=o) for g in goals for o in g[2:]],
            schema={"goal_id": pl.String, "unit_id": pl.String},
        ),
        indicators=pl.DataFrame(
            [dict(indicator_id=i, name=n, occasions_per_year=o) for i, n, o in indicators],
            schema={"indicator_id": pl.String, "name": pl.String, "occasions_per_year": pl.Int64},
        ),
        goal_indicators=pl.DataFrame(
            [dict(goal_id=g, indicator_id=i) for g, i in links],
            schema={"goal_id": pl.String, "indicator_id": pl.String},
        ),
        assignments=pl.DataFrame(
            [dict(assignment_id=a, text=t, report_backs_per_year=1) for a, t, _ in assignments],
            schema={
                "assignment_id": pl.String,
                "text": pl.String,
                "report_backs_per_year": pl.Int64,
            },
        ),
        assignment_recipients=pl.DataFrame(
            [dict(assignment_id=a, unit_id=r) for a, _, rs in assignments for r in rs],
            schema={"assignment_id": pl.String, "unit_id": pl.String},
        ),
        year=year,
        population=population,
    )


UNITS_2024 = [
    ("KF", "Kommunfullmäktige", "council", None),
    ("UN", "Utbildningsnämnden", "committee", "KF"),
    ("UF", "Utbildningsförvaltningen", "administration", "UN"),
    ("SN", "Socialnämnden", "committee", "KF"),
    ("MN", "Miljö- och byggnämnden", "committee", "KF"),
]
UNITS_2025 = [
    ("KF", "Kommunfullmäktige", "council", None),
    ("BUN", "Barn- och utbildningsnämnden", "committee", "KF"),
    ("BUF", "Barn- och utbildningsförvaltningen", "administration", "BUN"),
    ("SN", "Socialnämnden", "committee", "KF"),
    ("BMN", "Bygg- och miljönämnden", "committee", "KF"),
    ("TN", "Tekniska nämnden", "committee", "KF"),
]


@pytest.fixture()
def two_years():
    before = _doc(
        "Exempelby",
        2024,
        UNITS_2024,
        [
            ("G1", "Alla elever ska nå kunskapsmålen", "UN"),
            ("G2", "Minska sjukfrånvaron", "UN", "SN"),
            ("G3", "Öka andelen ekologisk mat", "SN"),
            ("G4", "Genomföra en inventering av lekplatser", "MN"),
        ],
        population=10_000,
        indicators=[("I1", "Meritvärde åk 9", 1), ("I2", "Sjukfrånvaro", 12)],
        links=[("G1", "I1"), ("G2", "I2")],
        assignments=[("A1", "Redovisa lokalkostnader", ["UN", "SN"])],
    )
    after = _doc(
        "Exempelby",
        2025,
        UNITS_2025,
        [
            ("M1", "Alla elever ska nå kunskapsmålen.", "BUN"),  # same, punctuation aside
            ("M2", "Sänka sjukfrånvaron", "BUN", "SN"),  # reworded
            ("M5", "Fler ska cykla till skolan", "BUN"),  # new
            ("M6", "Genomföra en inventering av lekplatser", "BMN"),  # same at renamed unit
        ],
        population=12_500,
        indicators=[("I1", "Meritvärde åk 9", 1), ("I2", "Sjukfrånvaro", 4)],
        links=[("M1", "I1"), ("M2", "I2")],
    )
    return before, after


def test_document_labels_are_distinct():
    a = new_document("Exempelby", year=2024)
    b = new_document("Exempelby", year=2025)
    c = new_document("Exempelby", year=2025)
    assert compare.document_labels([a, b, c]) == [
        "Exempelby 2024",
        "Exempelby 2025",
        "Exempelby 2025 (2)",
    ]


def test_match_units_tolerates_renames_and_respects_levels(two_years):
    matches = compare.match_units(list(two_years))
    assert matches.columns == list(compare.MATCH_SCHEMA)
    now = {
        r["unit"]: r
        for r in matches.filter(pl.col("document") == "Exempelby 2025").iter_rows(named=True)
    }
    before = {
        r["unit"]: r
        for r in matches.filter(pl.col("document") == "Exempelby 2024").iter_rows(named=True)
    }

    renamed = now["Barn- och utbildningsnämnden"]
    assert renamed["method"] == "suggested" and not renamed["confirmed"]
    assert compare.UNIT_MATCH_THRESHOLD <= renamed["score"] < 1.0
    # both years are compared under the current name
    assert before["Utbildningsnämnden"]["label"] == "Barn- och utbildningsnämnden"
    # the committee's administration is matched to the administration, not the committee
    assert before["Utbildningsförvaltningen"]["label"] == "Barn- och utbildningsförvaltningen"
    # word order does not matter: "Miljö- och bygg" = "Bygg- och miljö"
    assert before["Miljö- och byggnämnden"]["label"] == "Bygg- och miljönämnden"
    assert now["Socialnämnden"]["method"] == "same_name" and now["Socialnämnden"]["score"] == 1.0
    assert now["Tekniska nämnden"]["method"] == "new"
    assert matches["label"].n_unique() == 6


def test_unrelated_units_are_not_matched():
    a = _doc("A", 2024, [("X", "Socialnämnden", "committee", None)], [])
    b = _doc(
        "A",
        2025,
        [
            ("Y", "Tekniska nämnden", "committee", None),
            ("Z", "Socialförvaltningen", "administration", None),
        ],
        [],
    )
    matches = compare.match_units([a, b])
    assert matches["label"].n_unique() == 3
    assert set(matches["method"]) == {"new"}


def test_a_person_corrects_and_merges_units(two_years):
    before, after = two_years
    matches = compare.match_units([before, after])
    fixed = compare.apply_unit_mapping(
        matches,
        {
            "Tekniska nämnden": "Socialnämnden",  # say the committees were merged
            "Exempelby 2024::Utbildningsnämnden": "Utbildningsnämnden",  # reject the suggestion
        },
    )
    row = fixed.filter(pl.col("unit") == "Tekniska nämnden").row(0, named=True)
    assert (row["label"], row["method"], row["confirmed"]) == ("Socialnämnden", "person", True)
    old = fixed.filter(pl.col("unit") == "Utbildningsnämnden").row(0, named=True)
    assert old["label"] == "Utbildningsnämnden"
    untouched = fixed.filter(pl.col("unit") == "Barn- och utbildningsnämnden").row(0, named=True)
    assert untouched["method"] == "suggested"

    result = compare.compare_json(
        [before, after], unit_mapping={"Tekniska nämnden": "Socialnämnden"}
    )
    social = next(u for u in result["units"] if u["unit"] == "Socialnämnden")
    load = metrics.unit_load(after).filter(pl.col("unit_id").is_in(["SN", "TN"]))
    assert social["values"]["Exempelby 2025"]["own_goals"] == load["own_goals"].sum()
    assert not any(u["unit"] == "Tekniska nämnden" for u in result["units"])


def test_compare_json_values_come_from_metrics(two_years):
    before, after = two_years
    result = compare.compare_json([before, after])
    json.dumps(result)
    assert [d["label"] for d in result["documents"]] == ["Exempelby 2024", "Exempelby 2025"]
    expected = metrics.document_totals(after)
    assert {k: result["totals"]["Exempelby 2025"][k] for k in expected} == expected
    per_1000 = result["totals"]["Exempelby 2024"]["per_1000_inhabitants"]
    assert per_1000["goals"] == pytest.approx(4 * 1000 / 10_000)
    assert per_1000["steering_signals"] == pytest.approx(
        metrics.document_totals(before)["steering_signals"] * 1000 / 10_000
    )

    units = {u["unit"]: u for u in result["units"]}
    bun = units["Barn- och utbildningsnämnden"]
    assert bun["names"] == {
        "Exempelby 2024": "Utbildningsnämnden",
        "Exempelby 2025": "Barn- och utbildningsnämnden",
    }
    load_before = metrics.unit_load(before).filter(pl.col("unit_id") == "UN").row(0, named=True)
    load_after = metrics.unit_load(after).filter(pl.col("unit_id") == "BUN").row(0, named=True)
    for metric in metrics.LOAD_COLUMNS:
        assert bun["values"]["Exempelby 2024"][metric] == load_before[metric]
        assert bun["values"]["Exempelby 2025"][metric] == load_after[metric]
    assert set(units["Tekniska nämnden"]["values"]) == {"Exempelby 2025"}

    committees = result["by_level"]["Exempelby 2025"]["committee"]
    assert committees["units"] == 4
    assert committees["own_goals"] == 5  # M1, M2 twice (BUN and SN), M5, M6
    assert committees["per_unit"]["own_goals"] == pytest.approx(1.25)


def test_goal_changes_by_text_and_matched_unit(two_years):
    changes = compare.compare_json(list(two_years))["changes"]
    assert (changes["from"], changes["to"]) == ("Exempelby 2024", "Exempelby 2025")
    assert [g["goal_id"] for g in changes["goals_unchanged"]] == ["M1", "M6"]
    assert [g["goal_id"] for g in changes["goals_added"]] == ["M5"]
    assert changes["goals_added"][0] == {
        "goal_id": "M5",
        "goal": "Fler ska cykla till skolan",
        "unit": "Barn- och utbildningsnämnden",
    }
    assert [g["goal_id"] for g in changes["goals_removed"]] == ["G3"]
    reworded = changes["goals_reworded"]
    assert [(g["goal_id_before"], g["goal_id"]) for g in reworded] == [("G2", "M2")]
    assert reworded[0]["goal_before"] == "Minska sjukfrånvaron"


def test_without_the_unit_match_the_renamed_units_goals_would_change(two_years):
    before, after = two_years
    result = compare.compare_json(
        [before, after],
        unit_mapping={
            "Utbildningsnämnden": "Utbildningsnämnden",
            "Miljö- och byggnämnden": "Miljö- och byggnämnden",
        },
    )
    changes = result["changes"]
    assert "M6" in [g["goal_id"] for g in changes["goals_added"]]
    assert "G4" in [g["goal_id"] for g in changes["goals_removed"]]


def test_a_duplicate_goal_at_the_same_unit_is_not_counted_twice():
    units = [
        ("KS", "Kommunstyrelsen", "board", None),
        ("TN", "Tekniska nämnden", "committee", "KS"),
    ]
    before = _doc(
        "K",
        2024,
        units,
        [("S1", "Sänka sjukfrånvaron", "KS", "TN"), ("T1", "Minska sjukfrånvaron", "TN")],
    )
    after = _doc(
        "K",
        2025,
        units,
        [("S1", "Sänka sjukfrånvaron", "KS", "TN"), ("T1", "Sänka sjukfrånvaron", "TN")],
    )
    changes = compare.compare_json([before, after])["changes"]
    assert [g["goal_id"] for g in changes["goals_unchanged"]] == ["S1"]
    assert [(g["goal_id_before"], g["goal_id"]) for g in changes["goals_reworded"]] == [
        ("T1", "T1")
    ]
    assert changes["goals_added"] == [] and changes["goals_removed"] == []


def test_municipalities_side_by_side_per_1000_inhabitants():
    units = [("KS", "Kommunstyrelsen", "board", None), ("SN", "Socialnämnden", "committee", "KS")]
    small = _doc("Lillby", 2025, units, [("A", "Trygg omsorg", "SN")], population=5_000)
    large = _doc(
        "Storstad",
        2025,
        units,
        [("A", "Trygg omsorg", "SN"), ("B", "Fler jobb", "SN")],
        population=100_000,
    )
    nameless = _doc("Utanby", 2025, units, [("A", "Trygg omsorg", "SN")])
    result = compare.compare_json([small, large, nameless])
    assert result["totals"]["Lillby 2025"]["per_1000_inhabitants"]["goals"] == pytest.approx(0.2)
    assert result["totals"]["Storstad 2025"]["per_1000_inhabitants"]["goals"] == pytest.approx(0.02)
    assert result["totals"]["Utanby 2025"]["per_1000_inhabitants"] is None
    social = next(u for u in result["units"] if u["unit"] == "Socialnämnden")
    assert [
        social["values"][d]["own_goals"] for d in ("Lillby 2025", "Storstad 2025", "Utanby 2025")
    ] == [1, 2, 1]
    table = compare.render_table(result)
    assert "Per 1 000 invånare" in table and "Storstad 2025" in table


def test_render_table_in_swedish(two_years):
    table = compare.render_table(compare.compare_json(list(two_years)))
    assert "Styrsignaler" in table and "Nya: 1" in table and "Borttagna: 1" in table
    assert "Utbildningsnämnden → Barn- och utbildningsnämnden" in table
    assert "+ Fler ska cykla till skolan (Barn- och utbildningsnämnden)" in table


def test_no_documents():
    assert compare.compare_json([])["units"] == []


# --- the two sample years ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_years():
    if not (SAMPLE.exists() and SAMPLE_PREVIOUS.exists()):
        pytest.fail("sample_data/exempelkommun*.xlsx missing: run `make sample`")
    from goalload.read import read_path

    return read_path(SAMPLE_PREVIOUS), read_path(SAMPLE)


@pytest.fixture(scope="module")
def planted():
    current, _ = samplegen.generate_with_truth()
    return samplegen.generate_previous_year(current)[1]


def test_sample_years_goal_changes_match_what_the_generator_planted(sample_years, planted):
    result = compare.compare_json(list(sample_years))
    changes = result["changes"]
    assert changes["from"].endswith(str(planted["year"]))
    ids = {
        key: sorted(g["goal_id"] for g in changes[key])
        for key in ("goals_added", "goals_removed", "goals_unchanged")
    }
    assert ids["goals_added"] == sorted(planted["goals_added"])
    assert ids["goals_removed"] == sorted(planted["goals_removed"])
    assert ids["goals_unchanged"] == sorted(planted["goals_unchanged"])
    assert sorted(g["goal_id"] for g in changes["goals_reworded"]) == sorted(
        g[0] for g in planted["goals_reworded"]
    )


def test_sample_years_renamed_units_are_suggested(sample_years, planted):
    matches = compare.match_units(list(sample_years))
    suggested = matches.filter(pl.col("method") == "suggested")
    pairs = {
        (old, new)
        for new, old in zip(
            suggested["unit"],
            suggested["unit_id"].replace_strict(
                dict(
                    zip(
                        sample_years[0].units["unit_id"], sample_years[0].units["name"], strict=True
                    )
                )
            ),
            strict=True,
        )
    }
    assert pairs == {tuple(v) for v in planted["renamed_units"].values()}
    assert (
        matches.filter(pl.col("document").str.ends_with("2025"))["label"].n_unique()
        == sample_years[1].units.height
    )


def test_sample_years_totals_are_the_documents_totals(sample_years):
    before, after = sample_years
    result = compare.compare_json([before, after])
    for doc, label in zip(sample_years, compare.document_labels(sample_years), strict=True):
        totals = result["totals"][label]
        assert {k: totals[k] for k in metrics.document_totals(doc)} == metrics.document_totals(doc)
        assert sum(
            u["values"][label]["own_goals"] for u in result["units"] if label in u["values"]
        ) == int(metrics.unit_load(doc)["own_goals"].sum())
