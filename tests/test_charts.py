"""goalload.charts: the figures hold the table's numbers, in the chosen language, one palette."""

from __future__ import annotations

import json
import re
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest

from goalload import charts, metrics, views
from goalload.formatting import PLOTLY_SEPARATORS
from goalload.model import new_document
from goalload.read import read_path

REPO_SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "exempelkommun.xlsx"


def load_frame(n: int = 3) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(n)],
            "unit": [f"Nämnd {i}" for i in range(n)],
            "level": ["committee"] * n,
            "parent": ["KF"] * n,
            "own_goals": list(range(n, 0, -1)),
            "received_goals": [1] * n,
            "indicators": [2 * i for i in range(n)],
            "assignments": [1] * n,
        }
    )


def colours(fig: go.Figure) -> set[str]:
    """Every colour the traces use, upper-cased."""
    found = set()
    for trace in fig.to_plotly_json()["data"]:
        found |= {
            c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}", json.dumps(trace.get("marker", {})))
        }
    return found


@pytest.fixture(scope="module")
def sample():
    if not REPO_SAMPLE.exists():
        pytest.skip("sample workbook missing")
    return read_path(REPO_SAMPLE)


def test_load_bars_hold_the_table():
    load = load_frame()
    fig = charts.load_bars(load, "sv")
    names = [t.name for t in fig.data]
    assert names == ["Egna mål", "Indikatorer", "Uppdrag"]
    assert list(fig.data[0].y) == ["Nämnd 0", "Nämnd 1", "Nämnd 2"]
    assert list(fig.data[0].x) == [3, 2, 1]
    assert list(fig.data[1].x) == [0, 2, 4]
    assert fig.layout.barmode == "stack"
    assert fig.layout.yaxis.autorange == "reversed"  # first row on top
    assert fig.layout.title.text == "Mål, indikatorer och uppdrag per enhet"
    assert fig.layout.xaxis.title.text == "Antal"
    assert fig.layout.separators == PLOTLY_SEPARATORS["sv"]


def test_english_titles_axes_and_separators():
    fig = charts.load_bars(load_frame(), "en")
    assert [t.name for t in fig.data] == ["Own goals", "Indicators", "Assignments"]
    assert fig.layout.title.text == "Goals, indicators and assignments per unit"
    assert fig.layout.xaxis.title.text == "Count"
    assert fig.layout.separators == ".,"


def test_projector_sized_text():
    fig = charts.load_bars(load_frame(), "sv")
    assert fig.layout.font.size >= 18
    assert fig.layout.title.font.size >= 22
    # Bars get taller room as units are added, so labels never overlap.
    assert charts.load_bars(load_frame(30), "sv").layout.height > fig.layout.height


def test_unit_labels_disambiguate_and_escape():
    frame = pl.DataFrame(
        {
            "unit": ["Förvaltning", "Förvaltning", "<b>Skola</b>", "X", "X"],
            "parent": ["Socialnämnden", "Tekniska nämnden", None, "P", "P"],
        }
    )
    assert charts.unit_labels(frame) == [
        "Förvaltning (Socialnämnden)",
        "Förvaltning (Tekniska nämnden)",
        "&lt;b&gt;Skola&lt;/b&gt;",
        "X (P)",
        "X (P) [2]",
    ]


def test_one_colour_blind_safe_palette(sample):
    okabe_ito = {c.upper() for c in charts.OKABE_ITO.values()}
    load = metrics.unit_load(sample)
    units = views.units_by_occasions(views.indicator_occasions(sample, "frequency"), load).head(20)
    figures = [
        charts.load_bars(views.top_units(load, n=20), "sv"),
        charts.occasions_by_frequency(views.indicator_occasions(sample, "frequency"), units, "sv"),
        charts.occasions_by_source(views.indicator_occasions(sample, "source_kind"), units, "sv"),
        charts.org_treemap(views.org_tree(sample, load), "sv"),
    ]
    for fig in figures:
        assert colours(fig) <= okabe_ito | {"#FFFFFF"}
        assert set(fig.layout.colorway) <= okabe_ito


def test_occasion_bars_sum_to_the_units_occasions(sample):
    long = views.indicator_occasions(sample, "frequency")
    load = metrics.unit_load(sample)
    units = views.units_by_occasions(long, load).head(10)
    fig = charts.occasions_by_frequency(long, units, "sv")
    totals = [sum(values) for values in zip(*(t.x for t in fig.data), strict=True)]
    assert totals == units["occasions"].to_list()
    assert {t.name for t in fig.data} <= {
        "Vecka",
        "Månad",
        "Kvartal",
        "Tertial",
        "Halvår",
        "År",
        "Okänd",
    }


def test_heatmap_is_the_matrix(sample):
    matrix = views.frequency_matrix(sample).head(8).with_columns(parent=pl.lit(None, pl.String))
    fig = charts.frequency_heatmap(matrix, "sv")
    (heat,) = fig.data
    shown = list(heat.x)
    codes = [
        c for c in views.FREQUENCY_ORDER if c not in ("week", "unknown") or matrix[c].sum() > 0
    ]
    assert len(shown) == len(codes)
    assert [list(row) for row in heat.z] == [list(row) for row in matrix.select(codes).rows()]
    assert list(heat.y) == matrix["unit"].to_list()


def test_heatmap_hides_empty_rare_columns():
    matrix = pl.DataFrame(
        {"unit_id": ["a"], "unit": ["A"], "parent": [None], "week": [0], "month": [2], "quarter": [0],
         "tertial": [0], "half_year": [0], "year": [1], "unknown": [0], "total": [3]}
    )  # fmt: skip
    fig = charts.frequency_heatmap(matrix, "en")
    assert list(fig.data[0].x) == ["Month", "Quarter", "Four-monthly", "Half-year", "Year"]


def test_treemap_has_one_root_and_known_parents(sample):
    fig = charts.org_treemap(views.org_tree(sample, metrics.unit_load(sample)), "sv")
    (tree,) = fig.data
    ids = list(tree.ids)
    assert len(ids) == len(set(ids)) == sample.units.height + 1
    assert [p for p in tree.parents if p == ""] == [""]
    assert set(tree.parents) - {""} <= set(ids)
    assert tree.labels[0] == "Hela organisationen"


def test_sunburst_is_a_tree(sample):
    fig = charts.goal_sunburst(views.goal_tree(sample), "sv")
    (sun,) = fig.data
    ids = list(sun.ids)
    assert len(ids) == len(set(ids))
    assert set(sun.parents) - {""} <= set(ids)
    # Each goal counts one: the root's total is the number of goals.
    assert sum(sun.values) == sample.goals.height
    assert all(len(label) <= 28 for label in sun.labels[1:])


def test_figures_stay_small_for_a_large_document():
    n = 3000
    units = pl.DataFrame({"unit_id": [f"u{i}" for i in range(n)], "name": [f"Enhet {i}" for i in range(n)],
                          "parent_id": [None] + ["u0"] * (n - 1), "level": ["council"] + ["unit"] * (n - 1)})  # fmt: skip
    goals = pl.DataFrame({"goal_id": [f"g{i}" for i in range(n)], "text": ["Mål"] * n})
    owners = pl.DataFrame(
        {"goal_id": [f"g{i}" for i in range(n)], "unit_id": [f"u{i}" for i in range(n)]}
    )
    doc = new_document("Stor", units=units, goals=goals, goal_owners=owners)
    load = metrics.unit_load(doc)
    fig = charts.load_bars(views.top_units(load, n=25), "sv")
    assert len(fig.data[0].y) == 25
    assert len(fig.to_json()) < 30_000


def test_numbers_in_bars_stay_upright(sample):
    """Plotly's default "auto" angle turns a number sideways in a thin bar segment."""
    load = metrics.unit_load(sample)
    long = views.indicator_occasions(sample, "frequency")
    units = views.units_by_occasions(long, load)
    figures = [charts.load_bars(load), charts.occasions_by_frequency(long, units)]
    bars = [trace for fig in figures for trace in fig.data if trace.type == "bar"]
    assert bars and all(trace.textangle == 0 for trace in bars)


def test_relayout_equals_update_layout_with_nested_values_merged():
    """style() sets the layout with plotly's relayout (faster); the figure must be the one
    update_layout would give, nested dicts merged into what is already set."""

    def figure() -> go.Figure:
        fig = go.Figure(go.Bar(x=[1, 2], y=["a", "b"]))
        fig.update_layout(
            legend={"traceorder": "reversed", "font": {"color": "red"}},
            margin={"t": 5},
            title={"text": "old", "font": {"family": "serif"}},
            barmode="stack",
        )
        return fig

    values = {
        "legend": {"orientation": "h", "font": {"size": 18}},
        "margin": {"l": 10, "r": 30},
        "title": {"text": "Ny titel", "x": 0},
        "height": 420,
        "colorway": ["#000000", "#E69F00"],
        "separators": ", ",
    }
    want = figure().update_layout(**values).to_plotly_json()
    got = charts.relayout(figure(), **values).to_plotly_json()
    assert got == want
    assert got["layout"]["legend"] == {
        "traceorder": "reversed",
        "font": {"color": "red", "size": 18},
        "orientation": "h",
    }
