"""Rapporter under AppTest: three report downloads and PNG/SVG for every story chart.

The files themselves are made on click (deferred download data); the browser test
downloads and opens them (tests/browser/test_present_browser.py).
"""

from __future__ import annotations

from app_helpers import APP_TIMEOUT, REPO, assert_no_exception
from streamlit.testing.v1 import AppTest

from goalload.read import read_path
from goalload.story import build_story

PAGE = REPO / "app_pages" / "reports.py"
SAMPLE = REPO / "sample_data" / "exempelkommun.xlsx"


def test_reports_page_offers_every_file_and_chart_image():
    at = AppTest.from_file(str(PAGE), default_timeout=APP_TIMEOUT)
    at.run()
    assert_no_exception(at)
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels[:3] == ["Excel (.xlsx)", "HTML (.html)", "PowerPoint (.pptx)"]
    charts = [s for s in build_story(read_path(SAMPLE)) if s.figure is not None]
    assert labels[3:] == ["PNG", "SVG"] * len(charts)
    # made on click, not on every run of the page
    assert all(b.proto.deferred_file_id for b in buttons)
    assert at.title[0].value == "Rapporter"
