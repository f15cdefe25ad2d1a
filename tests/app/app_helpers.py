"""AppTest helpers shared by the page tests: paths, upload, page switch, figures.

Import them as `from app_helpers import ...`: every test folder has a conftest.py, so
`from conftest import` picks whichever conftest pytest loaded last.

AppTest runs app.py in-process; its 3 s default timeout is too short for reading Excel
on a shared machine, so every run gets APP_TIMEOUT.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # app.py imports app_state and goalload from the repo root
    sys.path.insert(0, str(REPO))

APP = REPO / "app.py"
APP_TIMEOUT = 90
EXAMPLES = REPO.parent / "shared" / "examples"
LAYOUT_EXAMPLES = {
    "hierarchy_columns": EXAMPLES / "flat_export_example.xlsx",
    "levels_in_rows": EXAMPLES / "levels_in_rows_example.xlsx",
    "template": REPO / "sample_data" / "exempelkommun.xlsx",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = [
    "app_pages/overview.py",
    "app_pages/data.py",
    "app_pages/load.py",
    "app_pages/indicators.py",
]


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def upload(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    """Put a file in the app's one uploader (sidebar or Data page) and rerun."""
    at.file_uploader(key="upload").set_value((name, data, mime))
    at.run()
    assert_no_exception(at)
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert_no_exception(at)
    return at


def expander_key(expander, prefix: str) -> str | None:
    """The widget key of an expander whose key starts with `prefix`, else None: a page
    works out what an expander with a key holds only when it is opened, and AppTest
    opens it through this key."""
    user_key = expander.proto.id.split("-", 2)[-1]
    return user_key if user_key.startswith(prefix) else None


def open_expanders(at: AppTest, prefix: str, which=lambda label: True) -> list:
    """Open the expanders keyed `prefix`... whose label `which` accepts, as a click
    would; the page's expanders after the rerun."""
    for expander in at.main.expander:
        key = expander_key(expander, prefix)
        if key and which(expander.label):
            at.session_state[key] = True
    at.run()
    assert_no_exception(at)
    return list(at.main.expander)


def open_app(page: str | None = None, lang: str | None = None) -> AppTest:
    """A fresh app after its first run on the sample, in `lang`, switched to `page`."""
    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    assert_no_exception(at)
    return go(at, page) if page else at


def figures(at: AppTest) -> list[dict]:
    """The plotly figures on the current page, as their JSON specs."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.main.metric}


def record_calls(monkeypatch, module, name: str) -> list[tuple]:
    """Replace module.name by a wrapper that records each call's arguments (without the
    first, the document) and calls the original; returns the growing list."""
    calls: list[tuple] = []
    real = getattr(module, name)

    def recording(*args, **kwargs):
        calls.append(args[1:] or tuple(kwargs.items()))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, recording)
    return calls
