"""Goal typology: accuracy on the labelled set, the issue's own examples, the frame API."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from goalload.classify import GOAL_TYPES, classify_goal, classify_goals, goal_type_mix
from goalload.model import new_document

LABELLED = Path(__file__).parent / "data" / "goal_types.csv"


def _rows(split: str | None = None) -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if split is None or r["split"] == split]


def _accuracy(rows: list[dict[str, str]]) -> float:
    return sum(classify_goal(r["text"]).goal_type == r["type"] for r in rows) / len(rows)


def test_labelled_set_is_large_and_well_formed():
    rows = _rows()
    assert len(rows) >= 150
    assert {r["type"] for r in rows} == set(GOAL_TYPES)
    assert all(r["text"].strip() and r["note"].strip() for r in rows)
    assert len({r["text"] for r in rows}) == len(rows), "duplicate goal texts"
    assert {r["split"] for r in rows} == {"dev", "holdout1", "holdout2"}


# Floors just under the figures reported in docs/reduce.md (dev 98,9 %, holdout1 86,7 %,
# holdout2 80,0 %, all 93,1 %): a change to the cues that costs accuracy fails here.
@pytest.mark.parametrize(
    ("split", "floor"),
    [("dev", 0.97), ("holdout1", 0.85), ("holdout2", 0.78), (None, 0.92)],
)
def test_accuracy_floor(split, floor):
    assert _accuracy(_rows(split)) >= floor


def test_confidence_separates_sure_from_unsure():
    rows = _rows()
    results = [(classify_goal(r["text"]), r["type"]) for r in rows]
    sure = [g.goal_type == t for g, t in results if g.confidence >= 0.75]
    unsure = [g.goal_type == t for g, t in results if g.confidence < 0.5]
    assert sure and unsure
    assert sum(sure) / len(sure) > sum(unsure) / len(unsure) + 0.2


@pytest.mark.parametrize(
    ("text", "expected", "trigger"),
    [
        ("Genomföra en inventering av kommunens belysning", "activity", "Genomföra"),
        ("Ta fram en plan för kompetensförsörjning", "activity", "Ta fram"),
        ("Införa digital signering av beslut", "activity", "Införa"),
        ("Minst 90 % av eleverna ska äta skollunch varje dag", "activity", "varje dag"),
        ("Antalet genomförda läxhjälpstillfällen ska öka", "output", "Antalet"),
        ("Bygglov ska beslutas inom tio veckor", "output", "inom tio veckor"),
        ("Öka andelen elever som når kunskapskraven i alla ämnen", "effect", "kunskapskraven"),
        ("Fler invånare ska bli självförsörjande", "effect", "Fler"),
        ("Budgeten ska vara i balans", "resource", "Budgeten"),
        ("Sänka sjukfrånvaron", "resource", "sjukfrånvaron"),
    ],
)
def test_issue_examples_with_their_triggers(text, expected, trigger):
    result = classify_goal(text)
    assert result.goal_type == expected
    assert trigger in result.triggers  # the user's own words, original case
    assert 0 < result.confidence <= 1


def test_goal_without_cues_is_a_low_confidence_effect_goal():
    result = classify_goal("Vision 2030")
    assert result == classify_goal("  Vision   2030 ")
    assert result.goal_type == "effect"
    assert result.triggers == ()
    assert result.confidence < 0.5


def test_empty_and_odd_input_does_not_crash():
    assert classify_goal("").goal_type in GOAL_TYPES
    assert classify_goal("!!!").goal_type in GOAL_TYPES
    assert classify_goal("GENOMFÖRA EN UTREDNING").goal_type == "activity"


def _doc():
    units = pl.DataFrame(
        {
            "unit_id": ["KF", "SN", "SK"],
            "name": ["Kommunfullmäktige", "Socialnämnden", "Solhagens skola"],
            "parent_id": [None, "KF", "SN"],
            "level": ["council", "committee", "unit"],
        }
    )
    goals = pl.DataFrame(
        {
            "goal_id": ["G1", "G2", "G3", "G4"],
            "text": [
                "Ett tryggt samhälle",
                "Ta fram en plan mot hemlöshet",
                "Ta fram en plan mot hemlöshet",
                None,
            ],
        }
    )
    owners = pl.DataFrame(
        {"goal_id": ["G1", "G2", "G3", "G3", "G4"], "unit_id": ["KF", "SN", "SN", "SK", "SK"]}
    )
    return new_document("t", units=units, goals=goals, goal_owners=owners)


def test_classify_goals_frame():
    frame = classify_goals(_doc())
    assert frame.schema == pl.Schema(
        {
            "goal_id": pl.String,
            "goal_type": pl.String,
            "confidence": pl.Float64,
            "triggers": pl.List(pl.String),
        }
    )
    by_id = {r["goal_id"]: r for r in frame.iter_rows(named=True)}
    assert set(by_id) == {"G1", "G2", "G3", "G4"}
    assert by_id["G1"]["goal_type"] == "effect"
    assert by_id["G2"]["goal_type"] == by_id["G3"]["goal_type"] == "activity"
    assert "Ta fram" in by_id["G2"]["triggers"]
    assert by_id["G4"]["goal_type"] in GOAL_TYPES  # a missing text still gets a row


def test_goal_type_mix_counts_each_goal_once_per_level():
    mix = goal_type_mix(_doc())
    counts = {(r["level"], r["goal_type"]): r["goals"] for r in mix.iter_rows(named=True)}
    assert counts[("council", "effect")] == 1
    assert counts[("committee", "activity")] == 2  # G2 and G3, G3 once despite two owners
    assert counts[("unit", "activity")] == 1
    assert sum(counts.values()) == 5
