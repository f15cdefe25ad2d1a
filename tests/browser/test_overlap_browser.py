"""Överlapp in a real browser: the heatmap draws, and a theme opens to show its goals'
texts side by side with the shared words in bold.

The expected theme and texts come from goalload.overlap.find_overlap on the sample,
computed here without the app.

Run as a script to take docs/screenshots/overlap.png:

    .venv/bin/python tests/browser/test_overlap_browser.py docs/screenshots
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    EXCEPTION,
    FIRST_RUN_TIMEOUT,
    REPO,
    SAMPLE,
    screenshot_of,
    wait_idle,
)

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

pytestmark = pytest.mark.browser

PATH = "overlapp"
CHART = "[data-testid='stPlotlyChart']"
EXPANDER = "[data-testid='stExpander']"


@pytest.fixture(scope="module")
def theme():
    return two_goal_theme()


def two_goal_theme() -> tuple[str, list[str], list[str]]:
    """A two-goal theme of the sample whose texts differ: (cluster id, texts, units)."""
    import polars as pl

    from goalload.overlap import find_overlap
    from goalload.read import read_path

    doc = read_path(SAMPLE)
    clusters = find_overlap(doc).clusters.join(doc.goals_with_owners(), on="goal_id")
    groups = clusters.group_by("cluster_id", maintain_order=True).agg(
        texts=pl.col("text").unique(maintain_order=True), units=pl.col("unit")
    )
    cluster_id, texts, units = next(
        row for row in groups.iter_rows() if len(row[1]) == 2 and len(row[2]) == 2
    )
    return cluster_id, texts, units


def open_theme(page, cluster_id: str):
    """Click a theme's expander open; returns its body once the goals are in it (the
    page works them out on the rerun the click starts)."""
    expander = page.locator(EXPANDER).filter(
        has=page.locator("summary", has_text=f"{cluster_id} · ")
    )
    expander.locator("summary").first.click()
    body = expander.locator("[data-testid='stExpanderDetails']")
    body.locator("[data-testid='stMarkdownContainer'] strong").first.wait_for()
    wait_idle(page)
    return body


def open_overlap(page, url: str) -> None:
    page.goto(f"{url}/{PATH}")
    wait_idle(page, FIRST_RUN_TIMEOUT)
    page.locator(CHART).first.locator(".main-svg").first.wait_for()
    assert page.locator(EXCEPTION).count() == 0


def test_heatmap_draws_and_a_theme_shows_both_texts(app_url, page, theme):
    from goalload.i18n import t

    open_overlap(page, app_url)
    assert page.locator("h1").first.inner_text().strip() == t("overlap.title")
    heatmap = page.locator(CHART).first
    assert heatmap.locator("svg.main-svg").count() > 0
    assert heatmap.locator(".js-plotly-plot").evaluate("el => el.data[0].type") == "heatmap"
    assert heatmap.locator(".hm, .heatmaplayer image, g.hm").count() > 0  # the cells drew

    cluster_id, texts, units = theme
    body = open_theme(page, cluster_id)
    shown = body.inner_text()
    for text in texts:
        assert text in shown
    for unit in units:
        assert unit in shown
    assert body.locator("strong").count() >= 2  # the shared words in bold
    assert page.locator(EXCEPTION).count() == 0


def take_screenshot(out_dir: Path) -> Path:
    """The page on the sample with a two-goal theme open, whole, for docs/screenshots."""
    def prepare(page, url: str) -> None:
        open_overlap(page, url)
        open_theme(page, two_goal_theme()[0])

    return screenshot_of(out_dir / "overlap.png", prepare)


if __name__ == "__main__":
    print(take_screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
