"""AppTest: the Kolada page with and without a catalogue, and a person's corrections.

The catalogue is the shared one (../shared/kolada/kpi_catalogue.csv), uploaded through
the page's uploader as its bytes; the API is pointed at a closed local port and the
disk cache at an empty folder, so "no network" is what every run sees. Expected
counts come from goalload.kolada on the same document and catalogue.
"""

from __future__ import annotations

import polars as pl
import pytest
from app_helpers import REPO, assert_no_exception, figures, go, open_app
from streamlit.testing.v1 import AppTest

from goalload import kolada
from goalload.formatting import escape_markdown, format_int
from goalload.i18n import t
from goalload.read import read_path

PAGE = "app_pages/kolada.py"
CATALOGUE = REPO.parent / "shared" / "kolada" / "kpi_catalogue.csv"
SAMPLE = REPO / "sample_data" / "exempelkommun.xlsx"
OFFLINE_API = "http://127.0.0.1:9"  # the discard port: connection refused at once


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("GOALLOAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GOALLOAD_KOLADA_API", OFFLINE_API)
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def expected():
    doc = read_path(SAMPLE)
    catalogue = kolada.Catalogue(frame=kolada.load_catalogue_csv(CATALOGUE), origin="file")
    matches = kolada.match_indicators(doc, catalogue)
    return doc, catalogue, matches, kolada.per_unit_kolada(doc, matches)


def open_kolada(catalogue: bool = True) -> AppTest:
    at = open_app(PAGE)
    if catalogue:
        at.file_uploader(key="kolada_csv").set_value(
            (CATALOGUE.name, CATALOGUE.read_bytes(), "text/csv")
        )
        at.run()
        assert_no_exception(at)
    return at


def per_unit_shown(at: AppTest) -> pl.DataFrame:
    frame = next(f for f in at.dataframe if f.editing_mode == "read_only").value
    return pl.from_pandas(frame)


def editor(at: AppTest):
    return at.data_editor[0]


def edit(at: AppTest, cells_by_row: dict[int, dict]) -> AppTest:
    at.session_state[editor(at).key] = {
        "edited_rows": cells_by_row,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_no_exception(at)
    return at


def test_without_a_catalogue_the_page_says_so_and_offers_the_upload(offline):
    at = open_kolada(catalogue=False)
    _, reason = kolada.get_catalogue(None, offline, base_url=OFFLINE_API)
    assert reason.startswith("Kolada-katalogen finns inte")
    assert [w.value for w in at.warning] == [escape_markdown(reason)]
    assert at.file_uploader(key="kolada_csv").label == t("kolada.csv_label")
    assert at.button(key="kolada_retry").label == t("kolada.retry")
    assert not at.get("plotly_chart") and not at.data_editor


def test_per_unit_counts_equal_per_unit_kolada(expected):
    doc, catalogue, matches, per_unit = expected
    at = open_kolada()
    assert any(f"{format_int(len(catalogue))} nyckeltal" in c.value for c in at.caption)

    shown = per_unit_shown(at)
    assert shown.height == per_unit.height
    want = {
        row["unit"]: (format_int(row["indicators"]), format_int(row["available_in_kolada"]))
        for row in per_unit.iter_rows(named=True)
    }
    got = {
        row["unit"]: (row["indicators"], row["available_in_kolada"])
        for row in shown.iter_rows(named=True)
    }
    assert got == want
    assert any(int(a) > 0 for _, a in got.values())

    metrics = {m.label: m.value for m in at.main.metric}
    assert metrics[t("kolada.metric.indicators")] == format_int(matches.height)
    assert metrics[t("kolada.metric.in_kolada")] == format_int(
        matches["kolada_id"].is_not_null().sum()
    )
    assert metrics[t("kolada.metric.by_id")] == format_int((matches["method"] == "id").sum())

    # The chart: green bars are the units' Kolada counts, most first.
    spec = next(f for f in figures(at) if f["data"][0]["name"] == t("kolada.in_kolada"))
    top = per_unit.sort(
        ["available_in_kolada", "indicators", "unit"], descending=[True, True, False]
    ).head(len(spec["data"][0]["x"]))
    assert spec["data"][0]["x"] == top["available_in_kolada"].to_list()

    # Every claimed match links to its KPI's public page.
    table = pl.from_pandas(editor(at).value)
    assert table.height == matches.height
    linked = table.filter(pl.col("kolada_id").is_not_null())
    assert linked.height == matches["kolada_id"].is_not_null().sum()
    assert linked["url"].to_list() == [kolada.kolada_url(i) for i in linked["kolada_id"]]
    fuzzy = table.filter(pl.col("method") == t("kolada.method.fuzzy"))
    assert fuzzy.height == (matches["method"] == "fuzzy").sum()
    assert table["method"].head(fuzzy.height).to_list() == fuzzy["method"].to_list()  # first


def test_removing_and_correcting_matches_changes_the_counts(expected):
    doc, catalogue, matches, per_unit = expected
    at = open_kolada()
    table = pl.from_pandas(editor(at).value).with_row_index("row")
    removed = table.filter(pl.col("method") == t("kolada.method.fuzzy")).row(0, named=True)
    none = table.filter(pl.col("method") == t("kolada.method.none")).head(2)
    added, bogus = none.row(0, named=True), none.row(1, named=True)
    edit(
        at,
        {
            removed["row"]: {"kolada_id": ""},  # a person rejects a suggestion
            added["row"]: {"kolada_id": "n15419", "confirmed": True},  # and types an id
            bogus["row"]: {"kolada_id": "N99999"},  # an id Kolada does not have
        },
    )
    corrected = matches.with_columns(
        kolada_id=pl.when(pl.col("indicator_id") == removed["indicator_id"])
        .then(None)
        .when(pl.col("indicator_id") == added["indicator_id"])
        .then(pl.lit("N15419"))
        .otherwise("kolada_id")
    )
    want = kolada.per_unit_kolada(doc, corrected)
    assert not want.equals(per_unit)
    shown = per_unit_shown(at)
    assert {r["unit"]: r["available_in_kolada"] for r in shown.iter_rows(named=True)} == {
        r["unit"]: format_int(r["available_in_kolada"]) for r in want.iter_rows(named=True)
    }
    assert any("N99999" in w.value for w in at.warning)

    # Another page and back: the corrections are still there.
    go(at, "app_pages/overview.py")
    go(at, PAGE)
    assert per_unit_shown(at).equals(shown)
    claimed = corrected["kolada_id"].is_not_null().sum()
    assert any(c.value == f"1 av {format_int(claimed)} träffar bekräftade." for c in at.caption)
