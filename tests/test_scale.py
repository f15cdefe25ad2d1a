"""Correctness beyond toy size: generated documents round-trip through the reader.

The speed of these sizes is measured by `make bench` (benchmarks/), not asserted here;
these tests check that what is read at a few hundred goals and on long chains is exactly
what was written, so an optimisation that changes results fails.
"""

from __future__ import annotations

import polars as pl
import pytest

from goalload import metrics
from goalload.model import new_document
from goalload.read import read_workbook
from goalload.samplegen import generate_document
from goalload.template import document_to_workbook_bytes


@pytest.fixture(scope="module")
def generated():
    """A 500-goal municipality (bulk units and goals on top of the hand-written sample)."""
    return generate_document(goals=500, seed=7)


@pytest.fixture(scope="module")
def read_back(generated):
    return read_workbook(document_to_workbook_bytes(generated), "kommun_500.xlsx")


def test_generated_document_is_larger_than_the_sample(generated):
    assert generated.goals.height >= 480
    assert generated.indicators.height > 1000
    assert generated.units.height > 60


def test_read_back_has_no_errors_or_warnings(read_back):
    assert [f for f in read_back.findings if f.severity in ("error", "warning")] == []


def test_read_back_has_the_same_totals(generated, read_back):
    assert metrics.document_totals(read_back) == metrics.document_totals(generated)


def test_read_back_has_the_same_load_for_every_unit(generated, read_back):
    def load(doc):
        return metrics.unit_load(doc).drop("parent").sort("unit_id")

    assert load(read_back).equals(load(generated))


def test_read_back_has_the_same_links_and_owners(generated, read_back):
    def pairs(frame, a, b):
        return sorted(frame.select(a, b).iter_rows())

    assert pairs(read_back.goal_owners, "goal_id", "unit_id") == pairs(generated.goal_owners, "goal_id", "unit_id")
    assert pairs(read_back.goal_indicators, "goal_id", "indicator_id") == pairs(
        generated.goal_indicators, "goal_id", "indicator_id"
    )
    assert pairs(read_back.goals, "goal_id", "parent_goal_id") == pairs(generated.goals, "goal_id", "parent_goal_id")


def _chain_document(n: int, loop_back: int | None):
    """Goals G1 -> G2 -> ... -> Gn (each the parent of the one before); Gn's parent is
    G{loop_back} when given, which closes a cycle at the top of a long chain."""
    ids = [f"G{i}" for i in range(1, n + 1)]
    parents = ids[1:] + [f"G{loop_back}" if loop_back else None]
    goals = pl.DataFrame({"goal_id": ids, "text": [f"Mål nummer {i}" for i in range(1, n + 1)],
                          "parent_goal_id": parents})
    units = pl.DataFrame({"unit_id": ["KF"], "name": ["Kommunfullmäktige"], "level": ["council"]})
    owners = pl.DataFrame({"goal_id": ids, "unit_id": ["KF"] * n})
    return new_document("Kedjan", units=units, goals=goals, goal_owners=owners)


def _cycle_errors(doc):
    return [f for f in doc.findings if f.severity == "error" and "cirkel" in f.message]


def test_long_chain_without_cycle_reads_without_errors():
    doc = read_workbook(document_to_workbook_bytes(_chain_document(1500, None)), "kedja.xlsx")
    assert _cycle_errors(doc) == []
    assert doc.goals.filter(pl.col("parent_goal_id").is_null())["goal_id"].to_list() == ["G1500"]


def test_cycle_at_the_top_of_a_long_chain_is_found_once_and_broken():
    doc = read_workbook(document_to_workbook_bytes(_chain_document(1500, 1497)), "kedja.xlsx")
    found = _cycle_errors(doc)
    # The walk from G1 climbs 1,496 goals before it meets G1497 again: one cycle, one finding.
    assert len(found) == 1
    assert "G1497" in found[0].message
    parent = dict(doc.goals.select("goal_id", "parent_goal_id").iter_rows())
    assert parent["G1497"] is None  # the link that closed the cycle is cut
    assert parent["G1500"] == "G1497" and parent["G1"] == "G2"
