"""The app in a real browser: sample on open, every page, uploads, failures, sessions apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from harness import EXCEPTION, FIRST_RUN_TIMEOUT, PAGES, REPO, SAMPLE, open_page, wait_idle

from goalload import metrics, views
from goalload.errors import InputError
from goalload.formatting import format_int
from goalload.i18n import label, t
from goalload.read import read_path, read_workbook

pytestmark = pytest.mark.browser

EXAMPLES = REPO.parent / "shared" / "examples"
FLAT = EXAMPLES / "flat_export_example.xlsx"
LEVELS = EXAMPLES / "levels_in_rows_example.xlsx"


def headline(page) -> dict[str, str]:
    """The st.metric figures on the page: label -> value as shown (waits until the whole
    headline has been drawn: under load the figures arrive one by one)."""
    figures = page.locator("[data-testid='stMetric']")
    for _ in range(150):
        if figures.count() >= len(views.HEADLINE_METRICS):
            break
        page.wait_for_timeout(200)
    shown = {}
    for metric in figures.all():
        name = metric.get_by_test_id("stMetricLabel").inner_text().strip()
        shown[name] = metric.get_by_test_id("stMetricValue").inner_text().strip()
    return shown


def expected_headline(path: Path) -> dict[str, str]:
    totals = metrics.document_totals(read_path(path))
    return {label("metric", k): format_int(totals[k]) for k in views.HEADLINE_METRICS}


def unit_names(path: Path) -> set[str]:
    return set(read_path(path).units["name"].to_list())


def upload(page, path: Path | None = None, *, name: str = "", data: bytes = b"") -> None:
    """Choose a file in the page's uploader, as a person does, and wait for the rerun."""
    chooser = page.locator("[data-testid='stFileUploader'] input[type='file']")
    if path is not None:
        chooser.set_input_files(str(path))
    else:
        chooser.set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": data}
        )
    expected = path.name if path is not None else name
    page.get_by_text(
        re.compile(re.escape(expected) + r".*(lästes in|kunde inte läsas)")
    ).first.wait_for()
    wait_idle(page)


def charts_drawn(page) -> int:
    """How many plotly charts the page drew (plotly.js draws after the script is idle)."""
    charts = page.locator("[data-testid='stPlotlyChart']")
    for chart in charts.all():
        chart.locator(".main-svg").first.wait_for()
    return charts.count()


def nav_titles(page) -> list[str]:
    return [
        link.locator("span[label]").get_attribute("label")
        for link in page.get_by_test_id("stSidebarNavLink").all()
    ]


def go(page, title: str) -> None:
    """Click a page in the sidebar navigation (keeps the session, unlike a reload)."""
    link = page.get_by_test_id("stSidebarNavLink").filter(
        has=page.locator(f"span[label='{title}']")
    )
    link.click()
    page.wait_for_function(
        "title => [...document.querySelectorAll('[data-testid=stSidebarNavLink][aria-current=page] span[label]')]"
        ".some(s => s.getAttribute('label') === title)",
        arg=title,
    )
    wait_idle(page, FIRST_RUN_TIMEOUT)


def bar_labels(page) -> set[str]:
    """Category labels drawn on the first chart's y axis."""
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".ytick text").first.wait_for()
    return {t.strip() for t in chart.locator(".ytick text").all_text_contents()}


def test_opens_on_the_sample(app_url, page):
    open_page(page, app_url)
    assert page.locator("h1").first.inner_text() == "Översikt"
    assert headline(page) == expected_headline(SAMPLE)
    assert charts_drawn(page) == 1
    assert page.locator(EXCEPTION).count() == 0


def expected_heading(heading: str | None) -> str:
    """The page's fixed heading, or for Presentation the first slide's headline."""
    if heading is not None:
        return heading
    from goalload.story import build_story

    return build_story(read_path(SAMPLE))[0].headline


def test_every_page_in_the_navigation_renders(app_url, page):
    open_page(page, app_url)
    titles = nav_titles(page)
    # Every page of the navigation, in order; a page added later must be listed in PAGES.
    assert titles == [title for title, _ in PAGES.values()]
    headings = {title: expected_heading(heading) for title, heading in PAGES.values()}
    for title, heading in PAGES.values():
        go(page, title)  # within one session: overlap and recommendations computed once
        assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
        assert page.locator("h1").first.inner_text() == headings[title], title
        if heading is None:  # Presentation hides the sidebar: back to the app's frame
            open_page(page, app_url)
    # Deep links work on a fresh session too, with the router around them.
    for path, (title, _) in PAGES.items():
        open_page(page, app_url, path, FIRST_RUN_TIMEOUT)
        assert page.locator("h1").first.inner_text() == headings[title], path
        assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
        assert page.locator("[data-testid='stSidebarNav']").count() == 1, path


@pytest.mark.skipif(not FLAT.exists(), reason="layout example missing")
def test_an_uploaded_workbook_changes_the_figures(app_url, page):
    open_page(page, app_url)
    before = headline(page)
    upload(page, FLAT)
    after = headline(page)
    assert after == expected_headline(FLAT) != before
    go(page, "Målbörda")
    assert bar_labels(page) <= unit_names(FLAT)
    assert "Kultur- och fritidsnämnden" in bar_labels(page)
    go(page, "Data")
    assert page.get_by_text(FLAT.name).count() > 0


def test_a_broken_file_shows_the_swedish_message_and_the_app_keeps_working(app_url, page):
    open_page(page, app_url)
    before = headline(page)
    broken = b"PK\x03\x04 inte en arbetsbok"
    with pytest.raises(InputError) as reader:
        read_workbook(broken, "trasig.xlsx")
    upload(page, name="trasig.xlsx", data=broken)
    error = page.locator("[data-testid='stAlert']", has_text="kunde inte läsas").inner_text()
    # The reader's own Swedish message, and which document is still shown.
    assert reader.value.message in error
    assert "Det tidigare dokumentet (Exempelkommun) visas fortfarande." in error
    assert headline(page) == before
    go(page, "Indikatorbörda")
    assert page.locator(EXCEPTION).count() == 0
    assert charts_drawn(page) == 3
    if LEVELS.exists():
        go(page, "Data")
        upload(page, LEVELS)
        assert page.locator("[data-testid='stAlert']", has_text="kunde inte läsas").count() == 0
        go(page, "Översikt")
        assert headline(page) == expected_headline(LEVELS)


@pytest.mark.skipif(not (FLAT.exists() and LEVELS.exists()), reason="layout examples missing")
def test_two_sessions_never_see_each_others_units(app_url, new_page):
    first, second, third = new_page(), new_page(), new_page()
    for page in (first, second, third):
        open_page(page, app_url)
    upload(first, FLAT)
    upload(second, LEVELS)
    flat_only = unit_names(FLAT) - unit_names(LEVELS)
    levels_only = unit_names(LEVELS) - unit_names(FLAT)
    for page, own, other in ((first, FLAT, levels_only), (second, LEVELS, flat_only)):
        assert headline(page) == expected_headline(own)
        go(page, "Målbörda")
        shown = bar_labels(page)
        assert shown <= unit_names(own)
        assert not shown & other
    # A session that uploaded nothing still has the sample.
    go(third, "Översikt")
    assert headline(third) == expected_headline(SAMPLE)


def test_a_large_upload_is_analysed_in_the_background_and_minska_shows_it(app_url, page):
    """A document above app_state.PREFETCH_MIN_GOALS: its overlap and recommendations are
    computed by the server's worker thread after Översikt is drawn. Minska opened at once
    shows the step the worker is on instead of blocking, then draws itself when they are
    ready without a click (app_state.progress_until_ready); Överlapp and Minska show
    exactly what goalload computes without the app."""
    from app_state import PREFETCH_MIN_GOALS
    from goalload import reduce_views
    from goalload.recommend import recommend
    from goalload.samplegen import generate_document
    from goalload.template import document_to_workbook_bytes

    # Large enough that the worker is still busy when Minska opens. At three times the
    # threshold the chain (about 2 s) once finished before the click on a loaded machine.
    data = document_to_workbook_bytes(generate_document(goals=6 * PREFETCH_MIN_GOALS))
    doc = read_workbook(data, "stor_kommun.xlsx")
    assert doc.goals.height >= PREFETCH_MIN_GOALS
    active = reduce_views.actionable(recommend(doc))
    open_page(page, app_url)
    upload(page, name="stor_kommun.xlsx", data=data)
    go(page, "Minska detaljstyrning")
    page.get_by_text(re.compile(r"^Steg \d av 3: ")).first.wait_for(timeout=10_000)
    assert page.locator(EXCEPTION).count() == 0
    n = format_int(len(active))
    caption = t("reduce.headline_caption", "sv", accepted=n, total=n)
    page.get_by_text(caption).first.wait_for(timeout=120_000)  # no click in between
    assert page.get_by_text(re.compile(r"^Steg \d av 3: ")).count() == 0
    assert page.locator(EXCEPTION).count() == 0
    go(page, "Överlapp")
    assert page.locator(EXCEPTION).count() == 0
    assert charts_drawn(page) >= 1


# Labels Streamlit cuts with an ellipsis when their column is too narrow.
CUT_LABELS = """() => [...document.querySelectorAll(
    '[data-testid=stMain] [data-testid=stMetricLabel] *, [data-testid=stMain] [data-testid=stDownloadButton] *')]
  .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText)"""


def test_headline_labels_and_download_buttons_are_whole_on_a_laptop_screen(app_url, page):
    """On a 1280-pixel screen with the sidebar open, no headline figure's label and no
    chart's download button is cut short ("Nästan likadana m…", "Ladda ned P…")."""
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in ("oversikt", "data", "malborda", "indikatorer", "overlapp", "minska", "kolada"):
        open_page(page, app_url, path, FIRST_RUN_TIMEOUT)  # the script has run: all drawn
        assert page.evaluate(CUT_LABELS) == [], path
