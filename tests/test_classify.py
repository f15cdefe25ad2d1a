"""Goal typology: accuracy on the labelled set, the issue's own examples, the frame API."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalload.classify import (
    GOAL_TYPES,
    classify_goal,
    classify_goals,
    goal_type_mix,
    goal_types,
)
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


# --- classify_goals (polars) gives classify_goal's result on every text -------------

_WORDS = (
    "Genomföra",
    "ta fram",
    "en plan",
    "Alla",
    "planera",
    "Skolgårdarna",
    "städa",
    "öka",
    "Sverigebästa",
    "sverige",
    "kostnader",
    "nettokostnad",
    "personal",
    "personalen",
    "lön",
    "chefer",
    "skollokaler",
    "lokal",
    "hälsa",
    "folkhälsa",
    "olyckor",
    "bostadsbrand",
    "brand",
    "antal",
    "antalet",
    "minska",
    "inom",
    "tio",
    "dagar",
    "3",
    "km",
    "hög",
    "kvalitet",
    "ska",
    "genomföra",
    "invånare",
    "fler",
    "i balans",
    "behöriga",
    "lärare",
    "varje",
    "vecka",
    "dagligen",
    "erbjuda",
    "Öppna",
    "na",
    "ana",
    "éna",
    "x",
    "_",
)
# separators, and characters that classify_goals maps to E / \x01 (ü, ø, ×, –) or that
# send a text to classify_goal (², İ, a zero-width joiner)
_GLUE = (
    " ",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "-",
    ",",
    ".",
    "²",
    "İ",
    "é",
    "\u200d",
    "–",
    "",
    "ü",
    "ø",
    "×",
    "Å",
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "Genomföra x",
        "Sverigeledande",
        "Alla ska",
        "Städa  parken\u00a0dagligen",
        "  ÖKA andelen ",
        "İstanbul öka",
        "x²a",
        "Ta fram en plan\tför",
        "Skolgårdarna",
        "planera",
        "Upphandla",
        "organisera² bla",
        "Genomföra\u2028x",
        "Halvera antalet",
        "Öppna 3 km",
        "e\u0301tablera",
        "Minska kostnaderna för lokaler",
    ],
)
def test_classify_goals_equals_classify_goal_on_odd_texts(text):
    _assert_same_as_classify_goal([text])


def test_classify_goals_equals_classify_goal_on_the_labelled_set():
    _assert_same_as_classify_goal([r["text"] for r in _rows()])


def _assert_same_as_classify_goal(texts):
    ids = [f"G{n}" for n in range(len(texts))]
    units = pl.DataFrame({"unit_id": ["U"], "name": ["U"], "parent_id": [None], "level": ["unit"]})
    goals = pl.DataFrame(
        {"goal_id": ids, "text": texts}, schema={"goal_id": pl.String, "text": pl.String}
    )
    doc = new_document(
        "t",
        units=units,
        goals=goals,
        goal_owners=pl.DataFrame({"goal_id": ids, "unit_id": ["U"] * len(ids)}),
    )
    frame = classify_goals(doc)
    assert frame["goal_id"].to_list() == ids
    assert goal_types(doc).equals(frame.select("goal_id", "goal_type"))
    for text, goal_type, confidence, triggers in zip(
        texts, frame["goal_type"], frame["confidence"], frame["triggers"].to_list(), strict=True
    ):
        expected = classify_goal(text)
        assert (goal_type, confidence, tuple(triggers)) == (
            expected.goal_type,
            expected.confidence,
            expected.triggers,
        ), text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GLUE)), max_size=6).map(
            lambda ws: "".join(w + g for w, g in ws)
        ),
        min_size=1,
        max_size=20,
    )
)
def test_classify_goals_equals_classify_goal_property(texts):
    _assert_same_as_classify_goal(texts)


def test_safe_characters_mean_the_same_to_both_regex_engines():
    """The characters classify_goals hands to polars: \\w, \\d and \\s agree with Python's
    re, lower case is one and the same character, NFC leaves them alone."""
    import re
    import unicodedata

    from goalload.classify import _SAFE_RANGES, _SAFE_TEXT

    chars = [chr(c) for a, b in _SAFE_RANGES for c in range(a, b + 1)]
    series = pl.Series(chars)
    assert series.str.contains(_SAFE_TEXT).all()
    for cls in (r"\w", r"\d", r"\s"):
        ours = series.str.contains(f"^{cls}$").to_list()
        assert ours == [bool(re.fullmatch(cls, c)) for c in chars], cls
    assert series.str.to_lowercase().to_list() == [c.lower() for c in chars]
    assert all(len(c.lower()) == 1 for c in chars)
    assert all(unicodedata.normalize("NFC", c) == c and not unicodedata.combining(c) for c in chars)
    # and what is outside is outside
    assert not pl.Series(["x²", "İ", "a\u203fb", "e\u0301"]).str.contains(_SAFE_TEXT).any()
