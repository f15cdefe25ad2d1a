"""Browser fixtures: Debian's Chromium (Playwright) against a real `streamlit run app.py`.

A missing /usr/bin/chromium skips these tests on a developer machine and fails them when
GOALLOAD_REQUIRE_BROWSER=1 (`make test`, CI), so CI can never go green without them.
"""

from __future__ import annotations

import os

import pytest
from harness import CHROMIUM, OFFLINE_KOLADA_API, VIEWPORT, launch, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"Chromium saknas ({CHROMIUM}): kör 'make browser' eller 'apt-get install chromium'."
        )
        if os.environ.get("GOALLOAD_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app_url(browser, tmp_path_factory):
    """One server per test module; its log lands in pytest's tmp dir for post-mortems.

    The Kolada page finds no network and an empty disk cache, as on a council's laptop.
    """
    folder = tmp_path_factory.mktemp("streamlit")
    offline = {"GOALLOAD_KOLADA_API": OFFLINE_KOLADA_API, "GOALLOAD_CACHE_DIR": str(folder)}
    with streamlit_server(folder / "server.log", env=offline) as url:
        yield url


@pytest.fixture
def new_page(browser):
    """Factory: a page in its own browser context, i.e. its own Streamlit session."""
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(90_000)  # two shared cores
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
