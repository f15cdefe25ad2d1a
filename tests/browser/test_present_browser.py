"""Presentation mode in a real browser: click through every slide of the sample's story.

Through app.py when the page is in its navigation (app.PAGES), otherwise the page run on
its own (it reads the same session state helpers), so the test means something either way.

Run as a script to take the screenshots in docs/presentation (1920×1080, a projector):

    .venv/bin/python tests/browser/test_present_browser.py docs/presentation
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402 - run as a script too
    CHROMIUM,
    EXCEPTION,
    FIRST_RUN_TIMEOUT,
    REPO,
    SAMPLE,
    launch,
    streamlit_server,
    wait_idle,
)

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

pytestmark = pytest.mark.browser

PAGE = "app_pages/present.py"
REPORTS_PAGE = "app_pages/reports.py"
COUNTER = ".st-key-present_counter"
PROJECTOR = {"width": 1920, "height": 1080}


def registered_path(script: str = PAGE) -> str | None:
    """The URL path app.py gives a page, or None when its navigation does not list it."""
    source = (REPO / "app.py").read_text(encoding="utf-8")
    match = re.search(r'\(\s*"' + re.escape(script) + r'"\s*,\s*"[^"]*"\s*,\s*"([^"]*)"', source)
    return match.group(1) if match else None


@contextlib.contextmanager
def presentation_url(script: str = PAGE) -> Iterator[str]:
    """The page's address: through app.py when it lists the page, else the page on its own."""
    path = registered_path(script)
    if path is not None:
        with streamlit_server() as url:
            yield f"{url}/{path}"
    else:
        with streamlit_server(script=script) as url:
            yield url


def expected_story(lang: str = "sv"):
    from goalload.read import read_path
    from goalload.story import build_story

    return build_story(read_path(SAMPLE), lang)


def wait_slide(page, number: int, total: int) -> None:
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel); return e && e.innerText.trim() === text; }",
        arg=[COUNTER, f"Bild {number} av {total}"],
        timeout=60_000,
    )
    wait_idle(page)


def wait_chart(page) -> None:
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot g.point, .js-plotly-plot g.slice').length > 0",
        timeout=60_000,
    )


@pytest.fixture(scope="module")
def url(browser):
    with presentation_url() as address:
        yield address


def test_click_through_every_slide(url, new_page):
    slides = expected_story()
    total = len(slides)
    page = new_page()
    page.set_viewport_size(PROJECTOR)
    page.goto(url)
    wait_idle(page, FIRST_RUN_TIMEOUT)

    # the app's frame is out of view: no sidebar, no header, two buttons and nothing to type in
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator("[data-testid='stHeader']").is_visible()
    main = page.locator("[data-testid='stMain']")
    assert main.locator("button:visible").count() == 2
    assert main.locator("input:visible, select:visible, textarea:visible").count() == 0

    # dark text on a light background, large headline
    style = page.evaluate(
        """() => { const h = document.querySelector("[data-testid='stMainBlockContainer'] h1");
        const s = getComputedStyle(h); const app = getComputedStyle(document.querySelector("[data-testid='stApp']"));
        return {colour: s.color, size: parseFloat(s.fontSize), background: app.backgroundColor}; }"""
    )
    assert style["colour"] == "rgb(26, 26, 26)"
    assert style["background"] == "rgb(255, 255, 255)"
    assert style["size"] >= 40

    previous = page.get_by_role("button", name=re.compile("Föregående"))
    following = page.get_by_role("button", name=re.compile("Nästa"))
    for number, slide in enumerate(slides, start=1):
        wait_slide(page, number, total)
        assert page.locator("h1").first.inner_text().strip() == slide.headline
        if slide.figure is not None:
            wait_chart(page)
        assert page.locator(EXCEPTION).count() == 0
        assert previous.is_disabled() == (number == 1)
        assert following.is_disabled() == (number == total)
        if number < total:
            if number == 2:
                page.keyboard.press("ArrowRight")  # the arrow keys move too
            else:
                following.click()

    previous.click()
    wait_slide(page, total - 1, total)
    assert page.locator("h1").first.inner_text().strip() == slides[-2].headline


def test_download_and_open_every_report(browser, new_page, tmp_path):
    """What a director does after the meeting: download the three reports and open each."""
    import io

    import openpyxl
    from pptx import Presentation

    from goalload import metrics
    from goalload.read import read_path

    doc = read_path(SAMPLE)
    load = metrics.unit_load(doc)
    with presentation_url(REPORTS_PAGE) as address:
        page = new_page()
        page.goto(address)
        wait_idle(page, FIRST_RUN_TIMEOUT)
        files = {}
        for suffix, name in (
            ("xlsx", "Excel"),
            ("html", "HTML"),
            ("pptx", "PowerPoint"),
            ("png", "PNG"),
        ):
            with page.expect_download(timeout=180_000) as download:
                page.get_by_role("button", name=re.compile(f"^{name}")).first.click()
            target = tmp_path / download.value.suggested_filename
            download.value.save_as(target)
            assert target.suffix == f".{suffix}"
            files[suffix] = target.read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    rows = list(wb["Belastning per enhet"].iter_rows(values_only=True))
    assert [r[8] for r in rows[1:]] == load["steering_signals"].to_list()
    assert "Plotly.newPlot" in files["html"].decode("utf-8")
    deck = Presentation(io.BytesIO(files["pptx"]))
    assert len(deck.slides) == len(expected_story())
    assert files["png"][:8] == b"\x89PNG\r\n\x1a\n"


def take_screenshots(out_dir: Path) -> list[Path]:
    """One screenshot per slide at projector size, on the sample."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    slides = expected_story()
    written = []
    with presentation_url() as address, sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport=PROJECTOR, locale="sv-SE")
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(address)
        wait_idle(page, FIRST_RUN_TIMEOUT)
        for number, slide in enumerate(slides, start=1):
            wait_slide(page, number, len(slides))
            if slide.figure is not None:
                wait_chart(page)
            page.wait_for_timeout(1200)  # plotly's transitions settle
            target = out_dir / f"{number:02d}_{slide.key}.png"
            page.screenshot(path=str(target))
            written.append(target)
            if number < len(slides):
                page.get_by_role("button", name=re.compile("Nästa")).click()
        browser.close()
    return written


if __name__ == "__main__":
    if not CHROMIUM.exists():
        sys.exit(f"Chromium saknas ({CHROMIUM})")
    for shot in take_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/presentation")):
        print(shot)
