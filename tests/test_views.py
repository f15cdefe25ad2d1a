"""goalload.views: the tables behind the pages, pinned on a hand-counted document."""

from __future__ import annotations

import polars as pl
import pytest

from goalload import metrics, views
from goalload.model import ReadInfo, new_document


@pytest.fixture
def doc():
    """KF > {Socialnämnden > Socialförvaltningen > Enhet Ett, Barn- och utbildningsnämnden}."""
    units = pl.DataFrame(
        {
            "unit_id": ["KF", "SN", "BUN", "SF", "E1"],
            "name": ["Kommunfullmäktige", "Socialnämnden", "Barn- och utbildningsnämnden",
                     "Socialförvaltningen", "Enhet Ett"],
            "parent_id": [None, "KF", "KF", "SN", "SF"],
            "level": ["council", "committee", "committee", "administration", "unit"],
        }
    )  # fmt: skip
    goals = pl.DataFrame(
        {
            "goal_id": ["G1", "G2", "G3", "G4", "G5", "G6"],
            "text": ["Trygg kommun", "Trygg äldreomsorg", "Fler i arbete", "Kortare väntetid",
                     "Svara inom en dag", "Alla elever når målen"],
            "parent_goal_id": [None, "G1", None, "G2", "G4", "G1"],
            "goal_level": ["KF-mål", "Nämndmål", "Nämndmål", "Förvaltningsmål", "Enhetsmål",
                           "Nämndmål"],
            "area": ["Trygghet", None, "Arbete", None, None, None],
            "row": [2, 3, 4, 5, 6, 7],
        }
    )  # fmt: skip
    owners = pl.DataFrame(
        {
            "goal_id": ["G1", "G2", "G3", "G4", "G5", "G6"],
            "unit_id": ["KF", "SN", "SN", "SF", "E1", "BUN"],
        }
    )
    indicators = pl.DataFrame(
        {
            "indicator_id": ["I1", "I2", "I3", "I4", "I5"],
            "name": ["Sjukfrånvaro", "Antal avvikelser", "Brukarnöjdhet", "Svarstid", "Oanvänd"],
            "frequency": ["month", "quarter", "year", "month", "year"],
            "occasions_per_year": [12, 4, 1, 12, 1],
            "source_kind": ["kolada", "manual", "survey", "system", None],
        }
    )
    links = pl.DataFrame(
        {
            "goal_id": ["G2", "G3", "G3", "G4", "G5", "G6"],
            "indicator_id": ["I1", "I1", "I2", "I3", "I4", "I1"],
        }
    )
    return new_document(
        "Testkommun", units=units, goals=goals, goal_owners=owners, indicators=indicators,
        goal_indicators=links,
    )  # fmt: skip


def test_unit_indicators_are_what_the_views_build_on(doc):
    # The hand count the rest of this file relies on (DOMAIN: distinct per unit).
    pairs = metrics.unit_indicators(doc).sort("unit_id", "indicator_id")
    assert pairs.rows() == [("BUN", "I1"), ("E1", "I4"), ("SF", "I3"), ("SN", "I1"), ("SN", "I2")]


def test_parent_map_cuts_cycles_and_missing_parents():
    units = pl.DataFrame(
        {
            "unit_id": ["A", "B", "C", "D", "E"],
            "parent_id": ["B", "A", "A", "X", "E"],
        }
    )
    assert views.parent_map(units) == {"A": None, "B": None, "C": "A", "D": None, "E": None}


def test_ancestors_nearest_first(doc):
    assert views.ancestors(doc.units, "E1") == ["SF", "SN", "KF"]
    assert views.ancestors(doc.units, "KF") == []


def test_levels_present_in_model_order(doc):
    assert views.levels_present(doc.units) == ["council", "committee", "administration", "unit"]


def test_filter_and_top_units(doc):
    load = metrics.unit_load(doc)
    committees = views.filter_levels(load, ["committee"])
    assert set(committees["unit_id"]) == {"SN", "BUN"}
    assert views.filter_levels(load, None).height == 5
    top = views.top_units(load, "indicators", 2)
    # SN carries two indicators; the others one each, ties broken by name.
    assert top["unit_id"].to_list() == ["SN", "BUN"]


def test_unit_goal_table_own_then_received_nearest_first(doc):
    table = views.unit_goal_table(doc, "E1")
    assert table["goal_id"].to_list() == ["G5", "G4", "G2", "G3", "G1"]
    assert table["relation"].to_list() == ["own", "received", "received", "received", "received"]
    assert table["distance"].to_list() == [0, 1, 2, 2, 3]
    assert table["owner"].to_list()[:2] == ["Enhet Ett", "Socialförvaltningen"]
    counts = dict(zip(table["goal_id"], table["indicator_count"], strict=True))
    assert counts == {"G5": 1, "G4": 1, "G2": 1, "G3": 2, "G1": 0}
    names = dict(zip(table["goal_id"], table["indicator_names"], strict=True))
    assert names["G3"] == "Antal avvikelser; Sjukfrånvaro"
    assert names["G1"] == ""
    # Another branch's goals never reach this unit.
    assert "G6" not in table["goal_id"].to_list()


def test_unit_goal_table_of_the_top(doc):
    table = views.unit_goal_table(doc, "KF")
    assert table["goal_id"].to_list() == ["G1"]


def test_indicator_occasions_by_frequency(doc):
    long = views.indicator_occasions(doc, "frequency")
    got = {
        (u, c): (n, o)
        for u, c, n, o in long.select("unit_id", "category", "indicators", "occasions").iter_rows()
    }
    assert got == {
        ("SN", "month"): (1, 12),
        ("SN", "quarter"): (1, 4),
        ("SF", "year"): (1, 1),
        ("E1", "month"): (1, 12),
        ("BUN", "month"): (1, 12),
    }
    # Per unit, the occasions add up to the indicator part of reporting occasions.
    per_unit = long.group_by("unit_id").agg(pl.col("occasions").sum())
    assert dict(per_unit.iter_rows()) == {"SN": 16, "SF": 1, "E1": 12, "BUN": 12}


def test_indicator_occasions_by_source(doc):
    long = views.indicator_occasions(doc, "source_kind")
    sn = long.filter(pl.col("unit_id") == "SN")
    assert sn["category"].to_list() == ["kolada", "manual"]  # model order
    with pytest.raises(ValueError):
        views.indicator_occasions(doc, "colour")


def test_frequency_matrix(doc):
    matrix = views.frequency_matrix(doc)
    assert matrix.columns[:3] == ["unit_id", "unit", "level"]
    assert matrix.columns[-1] == "total"
    assert set(views.FREQUENCY_ORDER) <= set(matrix.columns)
    assert matrix["unit_id"].to_list()[0] == "SN"
    sn = matrix.row(0, named=True)
    assert (sn["month"], sn["quarter"], sn["year"], sn["total"]) == (1, 1, 0, 2)
    assert matrix["total"].sum() == metrics.unit_indicators(doc).height


def test_frequency_matrix_of_a_document_without_indicators():
    empty = new_document(
        "Tom", units=pl.DataFrame({"unit_id": ["A"], "name": ["A"], "level": ["committee"]})
    )
    matrix = views.frequency_matrix(empty)
    assert matrix.height == 0
    assert "month" in matrix.columns


def test_burdensome_indicators(doc):
    top = views.burdensome_indicators(doc, limit=10)
    assert top["indicator_id"].to_list() == ["I1", "I4", "I2", "I3", "I5"]
    first = top.row(0, named=True)
    assert (first["units"], first["goals"], first["yearly_reports"]) == (2, 3, 24)
    orphan = top.row(4, named=True)
    assert (orphan["units"], orphan["goals"], orphan["yearly_reports"], orphan["source_kind"]) == (
        0,
        0,
        1,
        "unknown",
    )
    assert views.burdensome_indicators(doc, limit=2).height == 2


def test_org_tree(doc):
    tree = views.org_tree(doc, metrics.unit_load(doc))
    parents = dict(zip(tree["id"], tree["parent"], strict=True))
    assert parents == {"KF": "", "SN": "KF", "BUN": "KF", "SF": "SN", "E1": "SF"}
    values = dict(zip(tree["id"], tree["value"], strict=True))
    assert values["SN"] == 2 + 2  # two own goals, two indicators, no assignments


def test_goal_tree_hangs_orphans_under_their_area(doc):
    tree = views.goal_tree(doc)
    parents = dict(zip(tree["id"], tree["parent"], strict=True))
    assert parents["G1"] == "area:Trygghet"
    assert parents["G3"] == "area:Arbete"
    assert parents["G5"] == "G4"
    assert parents["area:Trygghet"] == ""
    ids = set(tree["id"])
    assert all(p == "" or p in ids for p in parents.values())


def test_goal_tree_breaks_cycles():
    goals = pl.DataFrame({"goal_id": ["A", "B"], "text": ["a", "b"], "parent_goal_id": ["B", "A"]})
    tree = views.goal_tree(new_document("x", goals=goals))
    assert dict(zip(tree["id"], tree["parent"], strict=True)) == {"A": "", "B": ""}


def test_sheets_read():
    info = ReadInfo(
        sheets=("Instruktioner", "Mål"),
        sheets_used=("Mål",),
        header_rows={"Mål": 4},
        rows_read={"Mål": 14},
    )
    assert views.sheets_read(info).rows() == [("Mål", 4, 14)]


def test_units_by_occasions(doc):
    load = metrics.unit_load(doc)
    ranked = views.units_by_occasions(views.indicator_occasions(doc, "frequency"), load)
    assert ranked["unit_id"].to_list() == ["SN", "BUN", "E1", "SF"]
    assert ranked["occasions"].to_list() == [16, 12, 12, 1]
