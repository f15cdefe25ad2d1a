"""Reports to take to the meeting: Excel, HTML and PowerPoint, and chart images.

`write_report(doc, path)` picks the format from the file suffix (the CLI's `report`
command); the `*_report_bytes` functions give the same files for the app's download
buttons. All three start from one `goalload.report.Analyses`, so they hold the same
figures as each other and as the app; pass `analyses=` when the caller already has it.

Chart images (PNG, SVG) are drawn by kaleido in the installed Chromium. Starting the
browser is the slow part (seconds), so `figure_images` renders many figures in one
browser session.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from goalload.errors import GoalloadError, InputError
from goalload.i18n import t
from goalload.model import GoalDocument
from goalload.report import Analyses, analyse

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
IMAGE_WIDTH = 1200  # pixels; chart images for downloads
IMAGE_SCALE = 2  # crisp on a projector and in print
RENDER_TIMEOUT = 90  # seconds per figure
IMAGE_FORMATS = ("png", "svg")

MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def insights(a: Analyses, lang: str = "sv") -> list[str]:
    """The overview page's "what stands out" sentences, for the reports' first page."""
    from goalload.summary import summarize

    return [i.text for i in summarize(a.doc, lang, load=a.load, totals=a.totals)]


def _xlsx(a: Analyses, lang: str) -> bytes:
    from goalload.export_xlsx import xlsx_bytes

    return xlsx_bytes(a, lang, insights(a, lang))


def _html(a: Analyses, lang: str) -> bytes:
    from goalload.export_html import html_bytes

    return html_bytes(a, lang, insights(a, lang))


def _pptx(a: Analyses, lang: str) -> bytes:
    from goalload.export_pptx import pptx_bytes

    return pptx_bytes(a, lang)


BUILDERS: dict[str, Callable[[Analyses, str], bytes]] = {"xlsx": _xlsx, "html": _html, "pptx": _pptx}


def report_bytes(
    doc: GoalDocument,
    fmt: str,
    *,
    scenario: GoalDocument | None = None,
    lang: str = "sv",
    analyses: Analyses | None = None,
) -> bytes:
    """The report in `fmt` ("xlsx", "html" or "pptx") for `doc`.

    `scenario` is the document after the chosen changes (goalload.scenario.apply);
    `analyses` skips recomputing what the caller already has.
    """
    a = analyses if analyses is not None else analyse(doc, scenario)
    return BUILDERS[fmt](a, lang)


def xlsx_report_bytes(doc: GoalDocument, **options: Any) -> bytes:
    """The Excel report: Översikt, then one formatted sheet per table."""
    return report_bytes(doc, "xlsx", **options)


def html_report_bytes(doc: GoalDocument, **options: Any) -> bytes:
    """One self-contained HTML file (plotly.js inline) with the story's charts and the tables."""
    return report_bytes(doc, "html", **options)


def pptx_report_bytes(doc: GoalDocument, **options: Any) -> bytes:
    """A PowerPoint deck: one slide per story step, chart as image, speaker notes."""
    return report_bytes(doc, "pptx", **options)


WRITERS: dict[str, Callable[..., bytes]] = {
    ".xlsx": xlsx_report_bytes,
    ".html": html_report_bytes,
    ".htm": html_report_bytes,
    ".pptx": pptx_report_bytes,
}


def write_report(
    doc: GoalDocument, path: Path, *, scenario: GoalDocument | None = None, lang: str = "sv"
) -> Path:
    """Write the report in the format the suffix names (.xlsx, .html, .pptx)."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise InputError(t("error.suffix", "sv", suffix=path.suffix or path.name))
    data = writer(doc, scenario=scenario, lang=lang)
    path.write_bytes(data)
    return path


# --- chart images ----------------------------------------------------------------------


def chromium_path() -> str | None:
    """The browser kaleido draws with: $BROWSER_PATH, else Debian's Chromium."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured
    return next((p for p in CHROMIUM_CANDIDATES if os.access(p, os.X_OK)), None)


def _size(fig: go.Figure, width: int | None, height: int | None) -> tuple[int, int]:
    return width or IMAGE_WIDTH, height or int(fig.layout.height or 600)


def figure_images(
    figures: Sequence[go.Figure],
    fmt: str = "png",
    *,
    width: int | None = None,
    height: int | None = None,
    scale: float = IMAGE_SCALE,
) -> list[bytes]:
    """Every figure as PNG or SVG bytes, drawn in one Chromium session.

    Runs its own event loop in a thread, so it works inside Streamlit (which has one).
    Raises GoalloadError with a Swedish message when the browser cannot start.
    """
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"fmt must be one of {IMAGE_FORMATS}, not {fmt!r}")
    if not figures:
        return []
    import kaleido

    async def render() -> list[bytes]:
        options: dict[str, Any] = {"n": 1, "mathjax": False, "timeout": RENDER_TIMEOUT}
        path = chromium_path()
        if path:
            options["path"] = path
        async with kaleido.Kaleido(**options) as k:
            images = []
            for fig in figures:
                w, h = _size(fig, width, height)
                opts = {"format": fmt, "width": w, "height": h, "scale": scale}
                images.append(await k.calc_fig(fig, opts=opts))
            return images

    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["images"] = asyncio.run(render())
        except Exception as error:  # noqa: BLE001 - re-raised below in the caller's thread
            result["error"] = error

    thread = threading.Thread(target=run, name="goalload-kaleido")
    thread.start()
    thread.join()
    if "error" in result:
        raise GoalloadError(t("error.image")) from result["error"]
    return result["images"]


def figure_image_bytes(
    fig: go.Figure,
    fmt: str = "png",
    *,
    width: int | None = None,
    height: int | None = None,
    scale: float = IMAGE_SCALE,
) -> bytes:
    """One chart as PNG or SVG, with its title and axis labels as the app shows them."""
    return figure_images([fig], fmt, width=width, height=height, scale=scale)[0]
