"""A failed upload changes nothing but the message: the document and the user's choices stay.

Each hostile file from the bad-input corpus is uploaded into a session that has made
choices (levels, how many units to show, and whatever else lives in session state,
such as a scenario). The app must show a Swedish message naming the file, keep the
very same document object, keep every choice, and never keep the rejected bytes.
"""

from __future__ import annotations

import re

import pytest

from tests.app.conftest import APP, APP_TIMEOUT, assert_no_exception, go, upload
from tests.data.bad.make_corpus import large_files
from tests.test_bad_input import BAD, EXPECTED

# Keys that a failed upload is allowed (and expected) to change.
UPLOAD_KEYS = {"upload", "load_error", "load_notice"}
HOSTILE = [
    "encrypted.xlsx",
    "far_cell.xlsx",
    "pdf_named.xlsx",
    "html_named.xlsx",
    "corrupted_deflate.xlsx",
    "binary_workbook_named.xlsx",
    "ods_repeat_bomb.ods",
    "empty.csv",
]


def unescape(markdown: str) -> str:
    """The app escapes Markdown in messages (user text is never markup); read it plain."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _state(at) -> dict:
    """What the user has: every session-state value except the upload's own keys."""
    state = at.session_state._state  # AppTest's proxy has no public listing of keys
    return {k: v for k, v in state.filtered_state.items() if k not in UPLOAD_KEYS}


@pytest.fixture
def chosen():
    """The app on the sample, on the load page, with choices the user has made."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    at.run()
    assert_no_exception(at)
    go(at, "app_pages/load.py")
    levels = next(m for m in at.multiselect if m.key and m.key.startswith("load_levels"))
    levels.set_value(levels.value[:-1] or levels.value).run()
    top = at.slider(key="load_top_n")  # after the levels: its range follows them
    top.set_value(7 if top.value != 7 else 8).run()
    assert_no_exception(at)
    return at


def _files():
    for name in HOSTILE:
        yield name, (BAD / name).read_bytes()
    yield "zip_bomb_overlapping.xlsx", large_files()["zip_bomb_overlapping.xlsx"]()


def test_failed_uploads_keep_document_and_choices(chosen):
    at = chosen
    doc = at.session_state["doc"]
    before = _state(at)
    top = at.slider(key="load_top_n").value
    assert top in (7, 8)
    for name, data in _files():
        upload(at, name, data)
        assert at.error, f"no message for {name}"
        message = unescape(at.error[0].value)
        assert name in message
        kind, pattern = EXPECTED[name]
        assert kind == "error" and re.search(pattern, message), message
        assert "Traceback" not in message and "calamine" not in message
        # The same document object, the same choices, nothing of the rejected file kept.
        assert at.session_state["doc"] is doc
        assert _state(at) == before, name
        assert at.slider(key="load_top_n").value == top
        assert at.session_state["doc_source"] is None  # still the sample; no bytes kept


def test_failed_upload_after_a_good_one_keeps_the_good_one(chosen, make_workbook):
    at = chosen
    good = make_workbook({"Mål": [["Mål", "Ansvarig nämnd", "Indikator"],
                                  ["Fler i arbete", "Socialnämnden", "Andel i arbete"],
                                  ["Trygg skola", "Barn- och utbildningsnämnden", "Trygghet"]]})
    upload(at, "bra.xlsx", good)
    assert not at.error
    doc, source = at.session_state["doc"], at.session_state["doc_source"]
    assert doc.info.file_name == "bra.xlsx" and source[0] == "bra.xlsx"
    before = _state(at)
    upload(at, "far_cell.xlsx", (BAD / "far_cell.xlsx").read_bytes())
    assert "far_cell.xlsx" in unescape(at.error[0].value)
    assert at.session_state["doc"] is doc
    assert at.session_state["doc_source"] == source
    assert _state(at) == before
    # Every page still draws the kept document.
    for page in ("app_pages/overview.py", "app_pages/data.py", "app_pages/indicators.py"):
        go(at, page)
        assert at.session_state["doc"] is doc
