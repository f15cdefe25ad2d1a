"""goalload.metrics pinned on a small template workbook whose counts are worked out by hand.

The organisation: KF > {KS, SN, BUN}; SN > SF (förvaltning) > HEM (enhet).
"""

from __future__ import annotations

import polars as pl
import pytest

from goalload.metrics import analyze, document_totals, unit_load
from goalload.read import read_path, read_workbook
from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, SAMPLE, workbook_bytes

TEMPLATE_SHEETS = {
    "Instruktioner": [["Fyll i bladen Enheter, Mål, Indikatorer och Uppdrag."]],
    "Dokument": [["Uppgift", "Värde"], ["Namn", "Testkommun"], ["År", 2026], ["Invånare", "12 345"]],
    "Enheter": [
        ["Enhet-ID", "Enhet", "Nivå", "Överordnad enhet-ID"],
        ["KF", "Kommunfullmäktige", "Fullmäktige", None],
        ["KS", "Kommunstyrelsen", "Styrelse", "KF"],
        ["SN", "Socialnämnden", "Nämnd", "KF"],
        ["BUN", "Barn- och utbildningsnämnden", "Nämnd", "KF"],
        ["SF", "Socialförvaltningen", "Förvaltning", "SN"],
        ["HEM", "Hemtjänst Norr", "Enhet", "SF"],
    ],
    "Mål": [
        ["Mål-ID", "Mål", "Ansvarig enhet-ID", "Överordnat mål-ID", "Målnivå", "Målområde"],
        ["K1", "Alla ska ha en trygg vardag", "KF", None, "KF-mål", "Trygghet"],
        ["K2", "God ekonomisk hushållning", "KF", None, "KF-mål", "Ekonomi"],
        ["S1", "Öka tryggheten i hemtjänsten", "SN", "K1", "Nämndmål", "Trygghet"],
        ["S2", "Budgeten ska vara i balans", "Samtliga nämnder", "K2", "Nämndmål", "Ekonomi"],
        ["F1", "Kortare väntetider till hemtjänst", "SF", "S1", "Förvaltningsmål", None],
        ["H1", "Genomföra brukarmöten varje månad", "HEM", "F1", "Verksamhetsmål", None],
        ["H2", "Fler nöjda brukare", "HEM", "S1", "Verksamhetsmål", None],
    ],
    "Indikatorer": [
        ["Indikator-ID", "Indikator", "Mål-ID", "Ansvarig enhet-ID", "Frekvens", "Källa",
         "Kolada-ID", "Målvärde"],
        ["I1", "Andel trygga brukare", "S1; H2", None, "År", "Kolada", "U21468", "90 %"],
        ["I2", "Budgetavvikelse", "S2", None, "Månad", "Ekonomisystem", None, "0"],
        ["I3", "Väntetid i dagar", "F1", None, "Kvartal", "Verksamhetssystem", None, "< 10"],
        ["I4", "Antal brukarmöten", "H1", None, "Månad", "Manuell räkning", None, "12"],
        ["I5", "Antal klagomål", None, "SF", "Tertial", "Manuell", None, None],
        ["I6", "Sjuktal", None, None, "Halvår", "Personalsystem", None, None],
    ],
    "Uppdrag": [
        ["Uppdrag-ID", "Uppdrag", "Mottagare", "Givet av", "Återrapportering"],
        ["U1", "Ta fram en plan för kompetensförsörjning", "Samtliga nämnder", "KF", "Delårsrapport"],
        ["U2", "Redovisa väntetiderna", "SN; BUN", "KS", "Kvartal"],
        ["U3", "Utreda samlokalisering", "HEM", "SN", "2026-06-30"],
    ],
}

# unit: own, received, indicators, assignments, occasions, signals, unmeasured
EXPECTED = {
    "Kommunfullmäktige": (2, 0, 0, 0, 0, 2, 2),
    "Kommunstyrelsen": (1, 2, 1, 1, 13, 3, 0),
    "Socialnämnden": (2, 2, 2, 2, 18, 6, 0),
    "Barn- och utbildningsnämnden": (1, 2, 1, 2, 17, 4, 0),
    "Socialförvaltningen": (1, 4, 2, 0, 7, 3, 0),
    "Hemtjänst Norr": (2, 5, 2, 1, 14, 5, 0),
}


@pytest.fixture(scope="module")
def template_doc():
    return read_workbook(workbook_bytes(TEMPLATE_SHEETS), "testkommun.xlsx")


def test_template_reads_cleanly(template_doc):
    assert [f for f in template_doc.findings if f.severity != "info"] == []
    assert template_doc.info.layout == "template"
    assert (template_doc.name, template_doc.year, template_doc.population) == ("Testkommun", 2026, 12345)


def test_unit_load_matches_hand_counts(template_doc):
    load = unit_load(template_doc)
    got = {
        r["unit"]: (r["own_goals"], r["received_goals"], r["indicators"], r["assignments"],
                    r["reporting_occasions_per_year"], r["steering_signals"], r["unmeasured_goals"])
        for r in load.to_dicts()
    }
    assert got == EXPECTED
    assert load.filter(pl.col("unit") == "Hemtjänst Norr")["parent"].to_list() == ["Socialförvaltningen"]


def test_totals_match_hand_counts(template_doc):
    assert document_totals(template_doc) == {
        "units": 6,
        "goals": 7,
        "indicators": 6,
        "assignments": 3,
        # 69 over units + Sjuktal (twice a year), which no unit carries
        "reporting_occasions_per_year": 71,
        "orphan_indicators": 2,
        "unmeasured_goals": 2,
        "steering_signals": 16,
    }


def test_flat_example_hand_counts():
    load = {r["unit"]: r for r in unit_load(read_path(FLAT_EXAMPLE)).to_dicts()}
    social = load["Socialnämnden"]
    # own: C9 C11 C12 C18 + the two "Samtliga nämnder" goals; indicators E9 E10 E11 E15
    # E16 E17 (E16 under two of its goals counts once); occasions 1+12+3+4+12+1 + 1 + 3.
    assert (social["own_goals"], social["received_goals"], social["indicators"],
            social["assignments"], social["reporting_occasions_per_year"],
            social["unmeasured_goals"]) == (6, 4, 6, 2, 37, 1)
    assert load["Kommunfullmäktige"]["own_goals"] == 4
    assert load["Tekniska nämnden"]["unmeasured_goals"] == 1  # the inventory activity goal


def test_levels_example_received_goals_follow_the_tree():
    load = {r["unit"]: r for r in unit_load(read_path(LEVELS_EXAMPLE)).to_dicts()}
    # Socialförvaltningen 2 + Socialnämnden 3 + Kommunfullmäktige 2
    assert load["Enheten för ekonomiskt bistånd"]["received_goals"] == 7
    assert load["Socialnämnden"]["reporting_occasions_per_year"] == 12 + 12 + 12
    assert load["Socialnämnden"]["unmeasured_goals"] == 1  # N2 has no indicator


def test_analyze_json_has_the_stable_keys(template_doc):
    result = analyze(template_doc)
    unit_keys = {"unit", "level", "parent", "own_goals", "received_goals", "indicators",
                 "assignments", "reporting_occasions_per_year", "steering_signals",
                 "unmeasured_goals"}
    assert unit_keys <= set(result["units"][0])
    assert {"units", "goals", "indicators", "assignments", "reporting_occasions_per_year",
            "orphan_indicators"} <= set(result["totals"])
    assert isinstance(result["findings"], list)


@pytest.mark.parametrize("path", [FLAT_EXAMPLE, LEVELS_EXAMPLE, SAMPLE])
def test_totals_without_the_unit_table_equal_the_sum_over_units(path):
    """document_totals(doc) sums reporting occasions without building unit_load; it must
    give what the unit table adds up to."""
    doc = read_path(path)
    load = unit_load(doc)
    assert document_totals(doc) == document_totals(doc, load)
    assert document_totals(doc)["reporting_occasions_per_year"] >= int(
        load["reporting_occasions_per_year"].sum()
    )
