"""Presentation mode under AppTest: the story's slides, in order, with working buttons.

The page is run on its own file (it needs nothing from app.py but app_state), and through
app.py's navigation as well once app.PAGES lists it. Expected headlines and figures come
from goalload.story on the same sample, so the test follows the data, not fixed strings.
"""

from __future__ import annotations

import json
import re

import pytest
from app_helpers import APP_TIMEOUT, REPO, assert_no_exception, open_app
from streamlit.testing.v1 import AppTest

from goalload import metrics, report, views
from goalload.read import read_path
from goalload.story import build_story

PAGE = REPO / "app_pages" / "present.py"
SAMPLE = REPO / "sample_data" / "exempelkommun.xlsx"


@pytest.fixture(scope="module")
def story_sv():
    return build_story(read_path(SAMPLE), "sv")


def run_page(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=APP_TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    assert_no_exception(at)
    return at


def button(at: AppTest, key: str):
    return at.button(key=key)


def counter(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(("Bild", "Slide")))


def test_clicks_through_the_story_in_order(story_sv):
    at = run_page()
    total = len(story_sv)
    for number, slide in enumerate(story_sv, start=1):
        assert at.title[0].value.replace("\\", "") == slide.headline
        assert counter(at) == f"Bild {number} av {total}"
        assert button(at, "present_previous").disabled == (number == 1)
        assert button(at, "present_next").disabled == (number == total)
        charts = at.get("plotly_chart")
        assert len(charts) == (1 if slide.figure is not None else 0)
        if number < total:
            button(at, "present_next").click().run()
            assert_no_exception(at)
    # back one, and the counter never goes past the ends
    button(at, "present_previous").click().run()
    assert counter(at) == f"Bild {total - 1} av {total}"


def test_the_load_slide_shows_the_unit_load_figures():
    at = run_page()
    button(at, "present_next").click().run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    load = metrics.unit_load(read_path(SAMPLE))
    bars = {trace["name"]: trace["x"] for trace in spec["data"]}
    own = bars["Egna mål"]
    top = views.top_units(load, "steering_signals", len(own))
    assert own == top["own_goals"].to_list()
    assert bars["Indikatorer"] == top["indicators"].to_list()
    # larger text than the app's charts, and no title (the headline says it)
    assert spec["layout"]["font"]["size"] >= 24
    assert not spec["layout"]["title"].get("text")


def test_only_the_pages_own_css_is_unsafe_html():
    at = run_page()
    unsafe = [m for m in at.markdown if m.proto.allow_html]
    assert len(unsafe) == 1
    source = PAGE.read_text(encoding="utf-8")
    css = re.search(r'PRESENTATION_CSS = """(.*?)"""', source, re.S).group(1)
    assert unsafe[0].value.strip() == css.strip()


def test_english_slides():
    at = run_page("en")
    english = build_story(read_path(SAMPLE), "en")
    assert at.title[0].value.replace("\\", "") == english[0].headline
    assert counter(at) == f"Slide 1 of {len(english)}"
    assert button(at, "present_next").label == "Next"


def test_a_missing_analysis_gets_a_plain_slide(monkeypatch, story_sv):
    real = report.optional_module
    monkeypatch.setattr(report, "optional_module", lambda name: None if name == "overlap" else real(name))
    at = run_page()
    keys = [s.key for s in story_sv]
    for _ in range(keys.index("overlap")):
        button(at, "present_next").click().run()
    assert at.title[0].value == "Analysen av överlapp finns inte ännu"
    assert len(at.get("plotly_chart")) == 0
    assert any("kan inte visa överlapp" in m.value for m in at.markdown)


def test_through_the_app_navigation_when_registered(story_sv):
    source = (REPO / "app.py").read_text(encoding="utf-8")
    if "app_pages/present.py" not in source:
        pytest.skip("app.py lists no presentation page yet")
    at = open_app("app_pages/present.py")
    assert at.title[0].value.replace("\\", "") == story_sv[0].headline


def test_the_last_slide_follows_the_scenario_chosen_on_the_reduce_page(story_sv):
    import hashlib

    from goalload.scenario import Changes, apply_changes

    doc = read_path(SAMPLE)
    after = apply_changes(doc, Changes(remove_goals=tuple(doc.goals["goal_id"].head(4))))
    at = run_page()
    token = hashlib.sha256(at.session_state["doc_token"].encode()).hexdigest()[:12]
    at.session_state["scenario_after"] = (token, after)
    for _ in range(len(story_sv) - 1):
        button(at, "present_next").click().run()
    assert_no_exception(at)
    removed = metrics.document_totals(doc)["goals"] - metrics.document_totals(after)["goals"]
    assert at.title[0].value.startswith(f"De valda ändringarna tar bort {removed} mål")
    # a scenario for another document is ignored
    at.session_state["scenario_after"] = ("another", after)
    at.run()
    assert at.title[0].value.replace("\\", "") == story_sv[-1].headline
