"""A real `streamlit run app.py` on a free loopback port, driven by Debian's Chromium.

Used by the browser tests (through conftest.py) and, run as a script, to take the
screenshots in docs/screenshots:

    .venv/bin/python tests/browser/harness.py docs/screenshots

Playwright cannot download its own browser here, so it launches /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SAMPLE = REPO / "sample_data" / "exempelkommun.xlsx"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
VIEWPORT = {"width": 1600, "height": 1000}
STARTUP_TIMEOUT = 90  # seconds; two shared cores and a cold import of polars/plotly
# A fresh session's first run of Överlapp, Minska or Presentation computes overlap and
# recommendations on the sample: minutes on busy shared cores.
FIRST_RUN_TIMEOUT = 180_000  # ms
# The pages in the navigation (app.PAGES) by URL path: the title the sidebar lists and the
# heading (h1) the page shows, in Swedish, on the sample. None: the heading is content,
# not a fixed title (Presentation shows the current slide's headline).
PAGES: dict[str, tuple[str, str | None]] = {
    "": ("Översikt", "Översikt"),  # the default page lives at the root
    "data": ("Data", "Data"),
    "malborda": ("Målbörda", "Målbörda"),
    "indikatorer": ("Indikatorbörda", "Indikatorbörda"),
    "overlapp": ("Överlapp", "Överlapp"),
    "minska": ("Minska detaljstyrning", "Minska detaljstyrning"),
    "jamfor": ("Jämför", "Jämför år och kommuner"),
    "kolada": ("Kolada", "Indikatorer som finns i Kolada"),
    "presentation": ("Presentation", None),
    "rapporter": ("Rapporter", "Rapporter"),
}
# No test may reach the Kolada API: the discard port refuses at once.
OFFLINE_KOLADA_API = "http://127.0.0.1:9"


def python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


@contextlib.contextmanager
def streamlit_server(
    log_path: Path | None = None, *, script: str = "app.py", env: dict[str, str] | None = None
) -> Iterator[str]:
    """Start `streamlit run script`, wait for its health endpoint, yield its URL, stop it.

    `script` is app.py, or a page run on its own (the repo is put on PYTHONPATH so it
    finds app_state and goalload); `env` adds to the server's environment.
    """
    with streamlit_process(log_path, script=script, env=env) as (url, _process):
        yield url


@contextlib.contextmanager
def streamlit_process(
    log_path: Path | None = None,
    *,
    script: str = "app.py",
    env: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
    startup_timeout: float = STARTUP_TIMEOUT,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """streamlit_server's server with more command-line `options`, yielding (url, process)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        python(), "-m", "streamlit", "run", script,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        # Tests must see an exception if a page raises one.
        "--client.showErrorDetails", "full",
        # Other work in the tree must not reload modules under a running test.
        "--server.fileWatcherType", "none",
        *options,
    ]  # fmt: skip
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO), **(env or {})}
    process = subprocess.Popen(
        command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=environment
    )
    try:
        deadline = time.monotonic() + startup_timeout
        while not _healthy(url):
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not answer on {url} in {startup_timeout} s")
            time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log is not subprocess.DEVNULL:
            log.close()


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the script has run and stopped: the app's idle state with content drawn."""
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=timeout)
    # A rerun triggered by the last action may start a moment later; give it a beat.
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)


def open_page(page, url: str, path: str = "", timeout: float = 60_000) -> None:
    page.goto(f"{url}/{path}")
    wait_idle(page, timeout)


def whole_page_screenshot(page, target: Path) -> Path:
    """The page from top to bottom: the app scrolls inside its main pane, so the window
    grows to the content first; plotly draws after the script is idle."""
    page.wait_for_timeout(1500)
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, 600)})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(target))
    return target


def screenshot_of(target: Path, prepare: Callable[[Any, str], None]) -> Path:
    """A whole-page screenshot after prepare(page, url) on a fresh server with the sample."""
    from playwright.sync_api import sync_playwright

    target.parent.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(viewport=VIEWPORT, locale="sv-SE").new_page()
        page.set_default_timeout(FIRST_RUN_TIMEOUT)
        prepare(page, url)
        whole_page_screenshot(page, target)
        browser.close()
    return target


def take_screenshots(out_dir: Path) -> list[Path]:
    """One full-page screenshot per page of the navigation, on the sample."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    offline = {"GOALLOAD_KOLADA_API": OFFLINE_KOLADA_API}
    with streamlit_server(env=offline) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
        page = context.new_page()
        for path in PAGES:
            page.set_viewport_size(VIEWPORT)
            open_page(page, url, path, FIRST_RUN_TIMEOUT)
            written.append(whole_page_screenshot(page, out_dir / f"{path or 'oversikt'}.png"))
        browser.close()
    return written


if __name__ == "__main__":
    for shot in take_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(shot)
