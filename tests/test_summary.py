"""goalload.summary: sentences said only when the figures support them, with those figures."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from goalload import metrics, summary
from goalload.formatting import NBSP
from goalload.model import new_document
from goalload.read import read_path

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "exempelkommun.xlsx"


def load(values: list[int], level: str = "committee", metric: str = "indicators") -> pl.DataFrame:
    n = len(values)
    return pl.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(n)],
            "unit": [f"Nämnd {chr(65 + i)}" for i in range(n)],
            "level": [level] * n,
            metric: values,
        }
    )


@pytest.mark.parametrize(
    ("ratio", "sv", "en"),
    [
        (2.0, "dubbelt", "twice"),
        (2.1, "dubbelt", "twice"),
        (3.0, "tre gånger", "three times"),
        (3.2, "tre gånger", "three times"),
        (2.6, "2,6 gånger", "2.6 times"),
        (14.0, "14 gånger", "14 times"),
    ],
)
def test_ratio_words(ratio, sv, en):
    assert summary.ratio_words(ratio, "sv") == sv
    assert summary.ratio_words(ratio, "en") == en


def test_times_median_names_the_unit_and_its_figures():
    insight = summary.times_median(load([4, 4, 4, 12]), "indicators")
    assert insight.text == (
        "Nämnd D har tre gånger så många indikatorer som medianen för nämnderna (12 mot 4)."
    )
    assert insight.subject == "u3"
    assert insight.weight == pytest.approx(3.0)
    english = summary.times_median(load([4, 4, 4, 12]), "indicators", "en")
    assert english.text == (
        "Nämnd D has three times as many indicators as the median for committees (12 against 4)."
    )


def test_three_units_on_a_level_are_enough():
    assert summary.times_median(load([4, 4, 12]), "indicators") is not None


@pytest.mark.parametrize(
    "values",
    [
        [4, 12],  # too few peers for a median to mean anything
        [4, 4, 4, 7],  # under twice the median
        [1, 1, 1, 2],  # twice, but only one more: noise
        [0, 0, 0, 5],  # a median of zero gives no ratio
    ],
)
def test_times_median_stays_quiet(values):
    assert summary.times_median(load(values), "indicators") is None


def test_peers_are_units_on_the_same_level():
    frame = pl.concat(
        [load([4, 4, 4, 4]), load([40, 40, 40], level="unit").with_columns(unit_id=pl.lit("x"))]
    )
    # The units' 40 is not compared with the committees' median.
    assert summary.times_median(frame, "indicators") is None


def test_concentration():
    insight = summary.concentration(load([30, 2, 2, 2, 2, 2, 2, 2]))
    assert insight.text == f"En av 8 enheter bär 68{NBSP}% av alla indikatorer."
    assert summary.concentration(load([5, 5, 5, 5, 5, 5, 5, 5])) is None
    assert summary.concentration(load([30, 2, 2])) is None  # too few units to say it


def make_doc():
    units = pl.DataFrame(
        {"unit_id": list("ABCDEF"), "name": list("ABCDEF"), "level": ["committee"] * 6}
    )
    goals = pl.DataFrame({"goal_id": ["g1", "g2", "g3", "g4"], "text": ["a", "b", "c", "d"]})
    owners = pl.DataFrame({"goal_id": ["g1", "g2", "g3", "g4"], "unit_id": ["A", "A", "B", "C"]})
    indicators = pl.DataFrame(
        {
            "indicator_id": ["i1", "i2", "i3", "i4"],
            "name": ["x", "y", "z", "w"],
            "frequency": ["month", "month", "year", "year"],
            "occasions_per_year": [12, 12, 1, 1],
            "source_kind": ["manual", "survey", "kolada", "kolada"],
        }
    )
    links = pl.DataFrame({"goal_id": ["g1", "g1", "g2"], "indicator_id": ["i1", "i2", "i3"]})
    assignments = pl.DataFrame({"assignment_id": ["u1", "u2"], "text": ["alla", "en"]})
    recipients = pl.DataFrame({"assignment_id": ["u1"] * 6 + ["u2"], "unit_id": [*"ABCDEF", "A"]})
    return new_document(
        "Testkommun", units=units, goals=goals, goal_owners=owners, indicators=indicators,
        goal_indicators=links, assignments=assignments, assignment_recipients=recipients,
    )  # fmt: skip


def test_document_level_sentences():
    doc = make_doc()
    totals = metrics.document_totals(doc)
    assert summary.unmeasured(totals).text == (
        f"2 av 4 mål (50{NBSP}%) saknar indikator, så det går inte att följa upp om de nås."
    )
    assert summary.orphans(totals).text == "1 indikator är inte kopplad till något mål."
    assert (
        summary.orphans({"orphan_indicators": 40}).text
        == "40 indikatorer är inte kopplade till något mål."
    )
    frequent = summary.frequent_reporting(doc)
    assert f"92{NBSP}%" in frequent.text and "26 rapporteringstillfällen" in frequent.text
    assert summary.manual_sources(doc).text == (
        f"50{NBSP}% av indikatorerna samlas in manuellt eller med enkät; 2 finns i Kolada."
    )
    assert summary.broad_assignments(doc).text == "1 uppdrag går till fem eller fler enheter."
    assert summary.broad_assignments(doc, "en").text == "1 assignment goes to five or more units."


def test_summarize_orders_by_weight_and_limits():
    insights = summary.summarize(make_doc())
    weights = [i.weight for i in insights]
    assert weights == sorted(weights, reverse=True)
    assert len(summary.summarize(make_doc(), limit=2)) == 2


def test_a_quiet_document_gets_no_sentences():
    units = pl.DataFrame(
        {"unit_id": ["A", "B", "C"], "name": list("ABC"), "level": ["committee"] * 3}
    )
    goals = pl.DataFrame({"goal_id": ["g1", "g2", "g3"], "text": list("abc")})
    owners = pl.DataFrame({"goal_id": ["g1", "g2", "g3"], "unit_id": ["A", "B", "C"]})
    indicators = pl.DataFrame(
        {"indicator_id": ["i1", "i2", "i3"], "name": list("xyz"), "frequency": ["year"] * 3,
         "occasions_per_year": [1] * 3, "source_kind": ["kolada"] * 3}
    )  # fmt: skip
    links = pl.DataFrame({"goal_id": ["g1", "g2", "g3"], "indicator_id": ["i1", "i2", "i3"]})
    doc = new_document("Lugn", units=units, goals=goals, goal_owners=owners, indicators=indicators,
                       goal_indicators=links)  # fmt: skip
    assert summary.summarize(doc) == []


def test_one_sentence_per_unit():
    frame = load([4, 4, 4, 12])
    frame = frame.with_columns(
        own_goals=pl.Series([2, 2, 2, 10]), reporting_occasions_per_year=pl.Series([10, 10, 10, 60])
    )
    doc = new_document("x")
    insights = summary.summarize(doc, load=frame, totals={})
    about_d = [i for i in insights if i.subject == "u3"]
    assert len(about_d) == 1
    assert "rapporteringstillfällen" in about_d[0].text  # the strongest of the three (6x)


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample workbook missing")
def test_the_sample_says_something_computed():
    doc = read_path(SAMPLE)
    sv = summary.summarize(doc)
    en = summary.summarize(doc, "en")
    assert sv and len(sv) == len(en)
    assert [i.kind for i in sv] == [i.kind for i in en]
    totals = metrics.document_totals(doc)
    texts = " ".join(i.text for i in sv)
    # Figures in the sentences are the document's own.
    assert any(
        f"{totals[k]:,}".replace(",", NBSP) in texts
        for k in ("goals", "orphan_indicators", "unmeasured_goals")
    )
