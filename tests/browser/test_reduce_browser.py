"""Minska detaljstyrning in a real browser: tick a suggestion off, see the headline follow,
and download the Excel list of changes for the meeting.

The expected figures come from goalload.recommend, goalload.scenario and
goalload.metrics on the sample, computed here without the app.

Run as a script to take docs/screenshots/reduce.png:

    .venv/bin/python tests/browser/test_reduce_browser.py docs/screenshots
"""

from __future__ import annotations

import io
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

PATH = "minska"
HEADLINE = "[data-testid='stMainBlockContainer'] h3"
EDITOR = "[data-testid='stDataFrame']"
ROW_HEIGHT = 35  # Streamlit's data grid: header and rows


@pytest.fixture(scope="module")
def expected():
    """Headlines with every suggestion chosen and with the first one rejected."""
    from goalload import metrics, scenario
    from goalload import reduce_views as views
    from goalload.read import read_path
    from goalload.recommend import recommend

    doc = read_path(SAMPLE)
    recs = views.actionable(recommend(doc))
    before = metrics.document_totals(doc)

    def headline(chosen):
        after = metrics.document_totals(scenario.apply(doc, chosen))
        return views.headline(views.deltas(before, after))

    return {
        "all": headline(recs),
        "without_first": headline(recs[1:]),
        "first": recs[0],
        "kept": [r.id for r in recs[1:]],
        "goals_after": metrics.document_totals(scenario.apply(doc, recs[1:]))["goals"],
    }


def open_reduce(page, url: str) -> None:
    page.goto(f"{url}/{PATH}")
    wait_idle(page, FIRST_RUN_TIMEOUT)
    page.locator(EDITOR).first.wait_for()
    assert page.locator(EXCEPTION).count() == 0


def headline(page) -> str:
    return page.locator(HEADLINE).first.inner_text().strip()


def toggle_first_row(page) -> None:
    """Select the first suggestion's tick and press Space, as a keyboard user does.

    The grid is a canvas: the cell is found by position (first column, first row).
    """
    grid = page.locator(EDITOR).first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + ROW_HEIGHT + ROW_HEIGHT / 2)
    page.wait_for_timeout(300)
    page.keyboard.press("Space")
    wait_idle(page, FIRST_RUN_TIMEOUT)


def test_untick_a_suggestion_and_download_the_list(app_url, page, expected, tmp_path):
    import openpyxl

    from goalload.i18n import t

    open_reduce(page, app_url)
    assert headline(page) == expected["all"]

    toggle_first_row(page)
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel)?.innerText.trim() === text",
        arg=[HEADLINE, expected["without_first"]],
        timeout=60_000,
    )
    assert headline(page) == expected["without_first"]
    assert page.locator(EXCEPTION).count() == 0

    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name=t("reduce.export")).click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.suffix == ".xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    rows = list(wb[t("reduce.xlsx.changes")].iter_rows(values_only=True))
    assert rows[0][0] == t("reduce.col.id")
    listed = list(dict.fromkeys(r[0] for r in rows[1:]))
    assert listed == expected["kept"]  # the rejected one is not on the list
    summary = dict(wb[t("reduce.xlsx.summary")].iter_rows(min_row=4, values_only=True))
    assert summary[t("reduce.xlsx.after", metric="Mål")] == expected["goals_after"]
    assert summary[t("reduce.xlsx.accepted")] == len(expected["kept"])


def test_the_patterns_are_listed_and_chosen_when_asked_for(app_url, page):
    """The patterns that are only information are listed when their expander is clicked
    open, and their evidence is chosen from their own list."""
    from goalload import reduce_views as views
    from goalload.formatting import format_int
    from goalload.i18n import t
    from goalload.read import read_path
    from goalload.recommend import recommend

    recs = recommend(read_path(SAMPLE))
    active, info = views.actionable(recs), views.informational(recs)
    open_reduce(page, app_url)
    title = t("reduce.info_title", count=format_int(len(info)))
    patterns = page.locator("[data-testid='stExpander']").filter(has_text=title)
    table = patterns.locator("[data-testid='stTable'], [data-testid='stDataFrame']")
    assert table.count() == 0  # nothing listed (nor built) until it is opened
    page.get_by_text(title).click()
    table.first.wait_for(timeout=60_000)
    wait_idle(page, FIRST_RUN_TIMEOUT)
    assert patterns.get_by_text(t("reduce.info_caption")[:40]).count() == 1

    page.get_by_text(t("reduce.detail_list.info", count=format_int(len(info)))).click()
    wait_idle(page, FIRST_RUN_TIMEOUT)
    chooser = page.locator("[data-testid='stSelectbox']").filter(
        has_text=t("reduce.detail_choose_info")
    )
    chooser.click()
    options = page.get_by_role("option")
    options.first.wait_for()
    first = info[0]
    assert options.first.inner_text().startswith(f"{len(active) + 1}. {first.title}")
    page.keyboard.press("Escape")
    heading = page.locator("[data-testid='stMainBlockContainer'] h3", has_text=first.title)
    heading.first.wait_for(timeout=60_000)
    assert page.locator(EXCEPTION).count() == 0


def take_screenshot(out_dir: Path) -> Path:
    """The page on the sample with every suggestion chosen, whole, for docs/screenshots."""
    return screenshot_of(out_dir / "reduce.png", open_reduce)


if __name__ == "__main__":
    print(take_screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
