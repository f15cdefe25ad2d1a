"""goalload.compare_views: the screen tables agree with compare/kolada, corrections read back.

Small hand-built documents pin the rules (a rename, a rejected match, a merger); the
Kolada helpers use the shared catalogue.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from goalload import compare, kolada
from goalload import compare_views as views
from goalload.model import new_document

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = REPO.parent / "shared" / "kolada" / "kpi_catalogue.csv"
ALONE = "(alone)"


def _doc(name, year, units, goals, population=None):
    """units: (id, name, level); goals: (id, text, owner)."""
    return new_document(
        name,
        units=pl.DataFrame([dict(unit_id=u, name=n, level=lvl) for u, n, lvl in units]),
        goals=pl.DataFrame([dict(goal_id=g, text=x) for g, x, _ in goals]),
        goal_owners=pl.DataFrame([dict(goal_id=g, unit_id=o) for g, _, o in goals]),
        year=year,
        population=population,
    )


@pytest.fixture
def years():
    before = _doc(
        "Kommunen",
        2024,
        [("KS", "Kommunstyrelsen", "board"), ("UN", "Utbildningsnämnden", "committee")],
        [("1", "Minska sjukfrånvaron", "KS"), ("2", "Öka läsförmågan", "UN")],
        population=10_000,
    )
    after = _doc(
        "Kommunen",
        2025,
        [("KS", "Kommunstyrelsen", "board"), ("UN", "Barn- och utbildningsnämnden", "committee")],
        [
            ("1", "Minska sjukfrånvaron", "KS"),
            ("2", "Öka läsförmågan", "UN"),
            ("3", "Fler elever ska klara kunskapskraven", "UN"),
        ],
    )
    return [after, before]  # given newest first: the page orders them


def test_order_documents_puts_years_oldest_first(years):
    ordered = views.order_documents(years)
    assert [d.year for d in ordered] == [2024, 2025]
    assert views.is_years(ordered)
    no_year = _doc("Grannkommunen", None, [("KS", "Kommunstyrelsen", "board")], [])
    mixed = [years[0], no_year]
    assert views.order_documents(mixed) == mixed  # without every year: as uploaded
    assert not views.is_years(mixed)


def test_signed_writes_the_sign():
    assert views.signed(5, "sv") == "+5"
    assert views.signed(-6, "sv") == "−6"
    assert views.signed(0, "sv") == "0"
    assert views.signed(-1234, "en") == "-1,234"
    assert views.signed(None, "sv") == "–"


def test_tables_carry_compare_json_figures(years):
    docs = views.order_documents(years)
    result = compare.compare_json(docs)
    totals = views.totals_table(result, "sv")
    goals = totals.filter(pl.col("metric") == "Mål").row(0, named=True)
    assert (goals["Kommunen 2024"], goals["Kommunen 2025"], goals["change"]) == ("2", "3", "+1")
    per = views.per_1000_table(result, "sv")
    assert per.row(0) == ("Invånare", "10\u00a0000", "–")
    assert per.filter(pl.col("metric") == "Mål")["Kommunen 2024"].item() == "0,20"
    units = views.units_table(result, "own_goals", "sv")
    renamed = units.filter(pl.col("unit") == "Barn- och utbildningsnämnden").row(0, named=True)
    assert renamed["names"] == "Utbildningsnämnden"
    assert (renamed["Kommunen 2024"], renamed["Kommunen 2025"]) == ("1", "2")
    long = views.units_long(result, "own_goals")
    assert long.filter(pl.col("unit") == "Kommunstyrelsen")["value"].to_list() == [1.0, 1.0]


def test_editor_rows_and_a_rejected_match(years):
    docs = views.order_documents(years)
    labels = compare.document_labels(docs)
    matches = compare.match_units(docs)
    shown = views.match_editor_frame(matches, labels, "sv")
    first = shown.row(0, named=True)
    assert first["unit"] == "Barn- och utbildningsnämnden"
    assert first["method"] == "Förslag: bytt namn?"
    assert first["matched"] == "Utbildningsnämnden (Kommunen 2024)"
    assert ALONE in views.label_options(matches, ALONE)

    untouched = views.mapping_from_editor(shown, shown, ALONE)
    assert untouched == {}
    rejected = shown.with_columns(
        label=pl.when(pl.col("unit") == "Barn- och utbildningsnämnden")
        .then(pl.lit(ALONE))
        .otherwise("label")
    )
    mapping = views.mapping_from_editor(shown, rejected, ALONE)
    assert mapping == {
        "Kommunen 2024::Utbildningsnämnden": "Utbildningsnämnden",
        "Kommunen 2025::Barn- och utbildningsnämnden": "Barn- och utbildningsnämnden",
    }
    split = compare.compare_json(docs, unit_mapping=mapping)
    assert {u["unit"] for u in split["units"]} == {
        "Kommunstyrelsen",
        "Utbildningsnämnden",
        "Barn- och utbildningsnämnden",
    }
    # Rejected, "Öka läsförmågan" at the committee is no longer the same goal.
    assert len(split["changes"]["goals_unchanged"]) == 1


def test_a_confirmed_row_becomes_the_persons(years):
    docs = views.order_documents(years)
    shown = views.match_editor_frame(compare.match_units(docs), compare.document_labels(docs), "en")
    ticked = shown.with_columns(confirmed=pl.col("unit") == "Barn- och utbildningsnämnden")
    assert views.mapping_from_editor(shown, ticked, ALONE) == {
        "Kommunen 2025::Barn- och utbildningsnämnden": "Barn- och utbildningsnämnden"
    }


def test_changes_between_chosen_documents_match_compare(years):
    docs = views.order_documents(years)
    result = compare.compare_json(docs)
    assert views.changes_between(docs, result, 0, 1) == {
        k: v for k, v in result["changes"].items() if k not in ("from", "to")
    }
    table = views.change_table(result["changes"], "goals_added")
    assert table["goal"].to_list() == ["Fler elever ska klara kunskapskraven"]


@pytest.fixture(scope="module")
def catalogue():
    return kolada.Catalogue(frame=kolada.load_catalogue_csv(CATALOGUE), origin="file")


def test_kolada_edits_reject_correct_and_flag_unknown_ids(catalogue):
    doc = new_document(
        "Kommunen",
        units=pl.DataFrame([dict(unit_id="SN", name="Socialnämnden", level="committee")]),
        indicators=pl.DataFrame(
            [
                dict(indicator_id="A", name="Antal hushåll med försörjningsstöd", owner_id="SN"),
                dict(indicator_id="B", name="Meritvärde åk 9", owner_id="SN"),
                dict(indicator_id="C", name="Antal möten med brukarrådet", owner_id="SN"),
            ]
        ),
    )
    matches = kolada.match_indicators(doc, catalogue)
    shown = views.kolada_editor_frame(matches, "sv")
    assert shown.filter(pl.col("kolada_id").is_not_null())["url"].to_list() == [
        kolada.kolada_url(i) for i in shown["kolada_id"].drop_nulls()
    ]
    same, unknown = views.apply_kolada_edits(matches, shown, shown, catalogue.titles())
    assert same.equals(matches) and unknown == []

    claimed = set(matches.filter(pl.col("kolada_id").is_not_null())["indicator_id"])
    target = next(iter(claimed))
    edited = shown.with_columns(
        kolada_id=pl.when(pl.col("indicator_id") == target)
        .then(None)
        .when(pl.col("indicator_id") == "C")
        .then(pl.lit(" n99999 "))
        .otherwise("kolada_id")
    )
    corrected, unknown = views.apply_kolada_edits(matches, shown, edited, catalogue.titles())
    assert unknown == ["N99999"]
    assert corrected.filter(pl.col("indicator_id") == target)["kolada_id"].item() is None
    counts = views.kolada_summary(corrected)
    assert counts["in_kolada"] == len(claimed) - 1
    per_unit = kolada.per_unit_kolada(doc, corrected)
    assert per_unit["available_in_kolada"].item() == len(claimed) - 1
    typed = shown.with_columns(
        kolada_id=pl.when(pl.col("indicator_id") == "C")
        .then(pl.lit("n15419"))
        .otherwise("kolada_id")
    )
    fixed, _ = views.apply_kolada_edits(matches, shown, typed, catalogue.titles())
    row = fixed.filter(pl.col("indicator_id") == "C").row(0, named=True)
    assert (row["kolada_id"], row["method"], row["confirmed"]) == ("N15419", "person", True)
    assert row["title"] == catalogue.titles()["N15419"]
