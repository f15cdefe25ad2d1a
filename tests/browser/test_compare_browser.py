"""Jämför and Kolada in a real browser: the sample's two years, uploads, the Kolada catalogue.

The server runs with the Kolada API pointed at a closed local port and an empty disk
cache, so the Kolada page starts without a catalogue, as on a machine with no network,
and gets one only from the CSV uploaded through its file chooser.

Set GOALLOAD_SCREENSHOT_DIR to also save docs-ready screenshots (compare.png, kolada.png).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from harness import EXCEPTION, REPO, VIEWPORT, open_page, streamlit_server, wait_idle

from goalload import compare, kolada
from goalload import compare_views as views
from goalload.formatting import escape_plotly, format_int, shorten
from goalload.i18n import label, t
from goalload.read import read_path

pytestmark = pytest.mark.browser

FIRST = REPO / "sample_data" / "exempelkommun_2024.xlsx"
LAST = REPO / "sample_data" / "exempelkommun.xlsx"
EXAMPLES = REPO.parent / "shared" / "examples"
UPLOADS = [EXAMPLES / "flat_export_example.xlsx", EXAMPLES / "levels_in_rows_example.xlsx"]
CATALOGUE = REPO.parent / "shared" / "kolada" / "kpi_catalogue.csv"


@pytest.fixture(scope="module")
def app_url(browser, tmp_path_factory):
    """This module's server: no Kolada API, no cached catalogue."""
    cache = tmp_path_factory.mktemp("kolada_cache")
    saved = {k: os.environ.get(k) for k in ("GOALLOAD_CACHE_DIR", "GOALLOAD_KOLADA_API")}
    os.environ["GOALLOAD_CACHE_DIR"] = str(cache)
    os.environ["GOALLOAD_KOLADA_API"] = "http://127.0.0.1:9"
    try:
        with streamlit_server(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
            yield url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def metrics(page) -> dict[str, tuple[str, str]]:
    """label -> (value, delta) of the st.metric figures in the main area."""
    shown = {}
    for metric in page.locator("[data-testid='stMain'] [data-testid='stMetric']").all():
        name = metric.get_by_test_id("stMetricLabel").inner_text().strip()
        value = metric.get_by_test_id("stMetricValue").inner_text().strip()
        delta = metric.get_by_test_id("stMetricDelta")
        shown[name] = (value, delta.inner_text().strip() if delta.count() else "")
    return shown


def chart_traces(page, index: int = 0) -> list[dict]:
    """The data plotly.js drew in the index-th chart: [{name, x, y}] per trace."""
    chart = page.locator("[data-testid='stPlotlyChart']").nth(index)
    chart.locator(".main-svg").first.wait_for()
    return json.loads(
        chart.locator(".js-plotly-plot").evaluate(
            "el => JSON.stringify(el.data.map(t => ({name: t.name, x: t.x, y: t.y})))"
        )
    )


def go(page, title: str) -> None:
    """Click a page in the sidebar navigation (keeps the session)."""
    page.get_by_test_id("stSidebarNavLink").filter(
        has=page.locator(f"span[label='{title}']")
    ).click()
    page.wait_for_function(
        "title => [...document.querySelectorAll("
        "'[data-testid=stSidebarNavLink][aria-current=page] span[label]')]"
        ".some(s => s.getAttribute('label') === title)",
        arg=title,
    )
    wait_idle(page)


def screenshot(page, name: str) -> None:
    """A full-page screenshot into $GOALLOAD_SCREENSHOT_DIR, when it is set."""
    target = os.environ.get("GOALLOAD_SCREENSHOT_DIR")
    if not target:
        return
    page.wait_for_timeout(1500)  # plotly draws after the script is idle
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, 600)})
    page.wait_for_timeout(1000)
    Path(target).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(target) / name))
    page.set_viewport_size(VIEWPORT)


def expected_metrics(result: dict) -> dict[str, tuple[str, str]]:
    """The last document's totals, the change since the first and the goal changes."""
    first = result["totals"][result["documents"][0]["label"]]
    last = result["totals"][result["documents"][-1]["label"]]
    return {
        label("metric", key): (format_int(last[key]), views.signed(last[key] - first[key], "sv"))
        for key in views.HEADLINE_METRICS
    } | {
        t(f"compare.kind.{kind}"): (format_int(len(result["changes"][kind])), "")
        for kind in views.CHANGE_KINDS
    }


def test_compare_shows_both_years_and_uploaded_workbooks(app_url, page):
    open_page(page, app_url, "jamfor")
    assert page.locator("h1").first.inner_text() == "Jämför år och kommuner"
    result = compare.compare_json([read_path(FIRST), read_path(LAST)])
    assert metrics(page) == expected_metrics(result)
    # The totals chart: one trace per year, its bars the year's totals.
    traces = chart_traces(page, 0)
    assert [t["name"] for t in traces] == ["Exempelkommun 2024", "Exempelkommun 2025"]
    for trace in traces:
        assert trace["y"] == [result["totals"][trace["name"]][m] for m in views.TOTAL_CHART_METRICS]
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "compare.png")

    # Two workbooks through the page's own file chooser (not the sidebar's).
    page.locator(".st-key-compare_upload input[type='file']").set_input_files(
        [str(p) for p in UPLOADS]
    )
    caption = page.get_by_text(re.compile(r"^Jämför: .+, .+")).first
    caption.wait_for()
    wait_idle(page)
    docs = {compare.document_labels([d])[0]: d for d in map(read_path, UPLOADS)}
    shown_order = caption.inner_text().removeprefix("Jämför: ").split(", ")
    assert sorted(shown_order) == sorted(docs)
    uploaded = compare.compare_json([docs[n] for n in shown_order])
    assert metrics(page) == expected_metrics(uploaded)
    traces = chart_traces(page, 0)
    assert [t["name"] for t in traces] == [d["label"] for d in uploaded["documents"]]
    assert page.locator(EXCEPTION).count() == 0


def test_kolada_page_without_and_with_the_catalogue(app_url, page):
    open_page(page, app_url, "kolada")
    warning = page.locator("[data-testid='stAlert']", has_text="Kolada-katalogen finns inte")
    warning.wait_for()
    assert "Ladda upp katalogen som CSV" in warning.inner_text()

    page.locator(".st-key-kolada_csv input[type='file']").set_input_files(str(CATALOGUE))
    page.locator("[data-testid='stMetric']").first.wait_for()
    wait_idle(page)
    doc = read_path(LAST)
    catalogue = kolada.Catalogue(frame=kolada.load_catalogue_csv(CATALOGUE), origin="file")
    matches = kolada.match_indicators(doc, catalogue)
    per_unit = kolada.per_unit_kolada(doc, matches)
    shown = metrics(page)
    assert shown["Finns i Kolada"][0] == format_int(matches["kolada_id"].is_not_null().sum())
    assert shown["Indikatorer"][0] == format_int(matches.height)
    traces = chart_traces(page, 0)
    green = next(t for t in traces if t["name"] == "Finns i Kolada")
    drawn = [escape_plotly(shorten(u, 48)) for u in per_unit["unit"]]
    counts = dict(zip(drawn, per_unit["available_in_kolada"], strict=True))
    assert green["x"] == sorted(green["x"], reverse=True)
    assert [counts[u] for u in green["y"]] == green["x"]
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "kolada.png")
