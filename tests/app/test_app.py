"""AppTest: every page on the sample and on each layout example, uploads, failures, language.

The figures a page shows are compared with goalload computed directly from the same file,
so a page that draws the wrong document, or a stale one, fails here.
"""

from __future__ import annotations

import ast

import polars as pl
import pytest
from app_helpers import (
    APP,
    LAYOUT_EXAMPLES,
    PAGES,
    REPO,
    assert_no_exception,
    figures,
    go,
    metric_values,
    record_calls,
    upload,
)

from goalload import metrics, views
from goalload.formatting import escape_markdown, format_int
from goalload.i18n import label, t
from goalload.read import read_path

# Trace fields plotly renders as text (ids and parents are keys, never drawn).
RENDERED_KEYS = ("labels", "x", "y", "text", "customdata", "hovertext", "name")


def expected_headline(path, lang="sv") -> dict[str, str]:
    totals = metrics.document_totals(read_path(path))
    return {label("metric", k, lang): format_int(totals[k], lang) for k in views.HEADLINE_METRICS}


def scorecard(*rows: list) -> dict[str, list[list]]:
    """A levels-in-rows workbook ("Styrkort"): the council's goal, a committee goal, `rows`."""
    return {
        "Styrkort": [
            ["ID", "Nivå", "Organisation", "Mål", "Kopplat till", "Indikatorer"],
            ["K1", "Kommunfullmäktige", "Kommunfullmäktige", "Trygg kommun", None, "Andel trygga"],
            ["N1", "Nämnd", "Socialnämnden", "Tryggare äldreomsorg", "K1", "Brukarbedömning"],
            *rows,
        ]
    }


def bar_units(spec: dict) -> list[str]:
    """The unit labels on a horizontal bar chart's category axis."""
    return list(spec["data"][0]["y"])


def router_pages() -> list[str]:
    """The scripts listed in app.PAGES, read from the source (importing app.py runs it)."""
    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    node = next(
        n
        for n in tree.body
        if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "PAGES"
    )
    return [entry.elts[0].value for entry in node.value.elts]


def test_no_legacy_pages_folder():
    # A pages/ folder next to app.py switches Streamlit to its legacy multipage mode
    # until st.navigation has run once: the first request would skip the router.
    assert not (REPO / "pages").exists()
    listed = router_pages()
    assert listed[: len(PAGES)] == PAGES
    assert all((REPO / script).is_file() for script in listed)


def test_opens_on_the_sample(app):
    assert app.title[0].value == "Översikt"
    assert metric_values(app) == expected_headline(LAYOUT_EXAMPLES["template"])
    doc = app.session_state["doc"]
    assert doc.info.file_name == "exempelkommun.xlsx"
    # The summary is computed from this document: it names one of its units or counts.
    summary = app.main.markdown[1].value
    assert summary.startswith("- ")
    load = metrics.unit_load(doc).sort(["steering_signals", "unit"], descending=[True, False])
    (chart,) = figures(app)
    assert bar_units(chart) == load["unit"].head(10).to_list()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_sample(app, page):
    go(app, page)
    assert app.title, f"{page} drew no title"
    assert not app.error
    # The router ran too: the sidebar has the language selector and the document name.
    assert app.sidebar.selectbox(key="lang").value == "sv"
    assert "Exempelkommun" in app.sidebar.text_input[0].value
    # One uploader: in the Data page's body there, in the sidebar elsewhere.
    on_data = page.endswith("data.py")
    assert len(app.main.file_uploader) == int(on_data)
    assert len(app.sidebar.file_uploader) == int(not on_data)


def test_the_upload_message_counts_in_the_right_number(app, make_workbook):
    """"1 enhet, 1 mål och 1 indikator", not "1 enheter"."""
    rows = [["ID", "Nivå", "Organisation", "Mål", "Kopplat till", "Indikatorer"]]
    rows.append(["K1", "Kommunfullmäktige", "Kommunfullmäktige", "Trygg kommun", None, "A"])
    upload(app, "en.xlsx", make_workbook({"Styrkort": rows}))
    expected = escape_markdown("1 enhet, 1 mål och 1 indikator.")
    assert any(expected in s.value for s in app.success), [
        s.value for s in app.success
    ]
    go(app, "app_pages/load.py")  # the chosen unit's line: "1 eget mål, 0 mottagna mål, …"
    summary = escape_markdown("Kommunfullmäktige: 1 eget mål, 0 mottagna mål, 1 indikator och 0 uppdrag.")
    assert any(summary in m.value for m in app.markdown), [m.value for m in app.markdown]


@pytest.mark.parametrize("layout", sorted(LAYOUT_EXAMPLES))
def test_uploading_each_layout_changes_every_page(app, layout):
    path = LAYOUT_EXAMPLES[layout]
    if not path.exists():
        pytest.skip(f"{path} is not in this checkout")
    upload(app, path.name, path.read_bytes())
    doc = read_path(path)
    assert app.session_state["doc"].info.layout == layout
    assert metric_values(app) == expected_headline(path)
    assert any(escape_markdown(path.name) in s.value for s in app.success)
    units = set(doc.units["name"].to_list())

    go(app, "app_pages/data.py")
    assert any(escape_markdown(path.name) in m.value for m in app.markdown)
    data_counts = metric_values(app)
    assert data_counts[label("metric", "units", "sv")] == format_int(doc.units.height)
    assert data_counts[label("metric", "goals", "sv")] == format_int(doc.goals.height)

    go(app, "app_pages/load.py")
    bars, hierarchy = figures(app)
    load = metrics.unit_load(doc)
    top = load.sort(["steering_signals", "unit"], descending=[True, False]).head(
        len(bar_units(bars))
    )
    assert bar_units(bars) == top["unit"].to_list()
    own = [trace for trace in bars["data"] if trace["name"] == "Egna mål"][0]
    assert list(own["x"]) == top["own_goals"].to_list()
    assert set(hierarchy["data"][0]["labels"][1:]) == units

    go(app, "app_pages/indicators.py")
    frequency, source, heatmap = figures(app)
    assert set(bar_units(frequency)) <= units
    # Occasions on the bars add up to each unit's reporting occasions from indicators.
    carriers = load.filter(load["indicators"] > 0)
    assert len(bar_units(frequency)) == min(carriers.height, 20)
    assert set(heatmap["data"][0]["y"]) == set(bar_units(frequency))


def test_bar_totals_match_metrics_for_levels_example(app):
    path = LAYOUT_EXAMPLES["levels_in_rows"]
    if not path.exists():
        pytest.skip("levels example missing")
    upload(app, path.name, path.read_bytes())
    go(app, "app_pages/indicators.py")
    frequency = figures(app)[0]
    totals: dict[str, int] = {}
    for trace in frequency["data"]:
        for unit, value in zip(trace["y"], trace["x"], strict=True):
            totals[unit] = totals.get(unit, 0) + value
    doc = read_path(path)
    expected = (
        views.indicator_occasions(doc, "frequency")
        .group_by("unit")
        .agg(occasions=pl.col("occasions").sum())
    )
    assert totals == dict(expected.iter_rows())


def test_broken_upload_keeps_the_previous_document(app):
    before = metric_values(app)
    upload(app, "trasig.xlsx", b"PK\x03\x04 this is not a workbook")
    (error,) = app.error
    assert "trasig" in error.value and "kunde inte läsas" in error.value
    assert "Exempelkommun" in error.value  # names the document still shown
    assert metric_values(app) == before
    assert app.session_state["doc"].info.file_name == "exempelkommun.xlsx"
    # The message stays while moving around, and the app keeps working.
    for page in PAGES:
        go(app, page)
        assert app.error and "trasig" in app.error[0].value
    # A good file afterwards replaces the message and the document.
    path = LAYOUT_EXAMPLES["hierarchy_columns"]
    if path.exists():
        upload(app, path.name, path.read_bytes())
        assert not app.error
        assert app.session_state["doc"].info.file_name == path.name


def test_empty_upload_says_what_to_do(app):
    upload(app, "tom.xlsx", b"")
    assert "tom" in app.error[0].value and "är tom" in app.error[0].value


def test_findings_of_a_file_with_problems_are_listed(app, make_workbook):
    data = make_workbook(scorecard(["N2", "Nämnd", "Socialnämnden", "Fler i arbete", "K9", None]))
    go(app, "app_pages/data.py")
    upload(app, "problem.xlsx", data)
    assert app.session_state["doc"].info.file_name == "problem.xlsx"
    # The router warns that rows could not be interpreted...
    assert any("Data" in w.value for w in app.warning)
    # ...and the Data page lists the finding with sheet, row and column.
    (findings,) = [tbl for tbl in app.table if "Meddelande" in tbl.value.columns]
    rows = findings.value.to_dict("records")
    assert rows[0]["Allvar"] == "Fel"
    assert rows[0]["Blad"] == "Styrkort"
    assert str(rows[0]["Rad"]) == "4"
    assert rows[0]["Kolumn"] == "Kopplat till"
    assert "K9" in rows[0]["Meddelande"]


def test_correcting_the_mapping_reads_again(app):
    path = LAYOUT_EXAMPLES["hierarchy_columns"]
    if not path.exists():
        pytest.skip("flat example missing")
    upload(app, path.name, path.read_bytes())
    go(app, "app_pages/data.py")
    doc = app.session_state["doc"]
    sheet = next(s for s, cols in doc.info.mapping.items() if "Källa" in cols)
    assert doc.indicators["source_kind"].is_in(["kolada"]).any()
    box = next(s for s in app.selectbox if s.label == "Kolumn Källa")
    box.set_value("ignore")
    app.form_submit_button[0].click()
    app.run()
    assert_no_exception(app)
    reread = app.session_state["doc"]
    assert reread.info.mapping[sheet]["Källa"] == "ignore"
    assert reread.indicators["source"].is_null().all()
    assert reread.units.height == doc.units.height
    assert any("tolkning" in s.value for s in app.success)


def test_english_interface(app):
    app.sidebar.selectbox(key="lang").set_value("en")
    app.run()
    assert_no_exception(app)
    assert app.title[0].value == "Overview"
    assert metric_values(app) == expected_headline(LAYOUT_EXAMPLES["template"], "en")
    totals = metrics.document_totals(app.session_state["doc"])
    assert (
        metric_values(app)["Reporting occasions per year"]
        == f"{totals['reporting_occasions_per_year']:,}"
    )
    (chart,) = figures(app)
    assert chart["layout"]["separators"] == ".,"
    go(app, "app_pages/load.py")
    assert app.title[0].value == t("load.title", "en")


def test_level_filter_limits_the_bars(app):
    go(app, "app_pages/load.py")
    levels = next(m for m in app.multiselect if m.label == "Visa nivåer")
    levels.set_value(["committee"])
    app.run()
    assert_no_exception(app)
    doc = app.session_state["doc"]
    committees = set(doc.units.filter(doc.units["level"] == "committee")["name"].to_list())
    bars = figures(app)[0]
    assert set(bar_units(bars)) == committees


def test_a_units_goals_table_lists_own_and_received_goals(app):
    go(app, "app_pages/load.py")
    doc = app.session_state["doc"]
    unit = doc.units.filter(doc.units["level"] == "unit")["unit_id"][0]
    box = next(s for s in app.selectbox if s.label == "Välj enhet")
    box.set_value(unit)
    app.run()
    assert_no_exception(app)
    expected = views.unit_goal_table(doc, unit)
    (shown,) = app.dataframe
    assert len(shown.value) == expected.height
    assert set(shown.value["Mål"]) == set(expected["goal"].to_list())
    assert set(shown.value["Eget eller mottaget"]) <= {"Eget", "Mottaget"}


def test_user_text_is_never_markup(app, make_workbook):
    hostile = "<b>Fet</b> [länk](http://example.com) :red[röd] $x$"
    data = make_workbook(
        scorecard(["N3", "Nämnd", hostile, "Fler i arbete", "K1", "Andel i arbete"])
    )
    upload(app, "elak.xlsx", data)
    for page in PAGES:
        go(app, page)
        for element in [*app.markdown, *app.caption, *app.main.markdown]:
            assert "<b>" not in element.value
            assert "](http" not in element.value
        for spec in figures(app):
            shown = [str(trace.get(k)) for trace in spec["data"] for k in RENDERED_KEYS]
            assert not any("<b>Fet" in text for text in shown)
    go(app, "app_pages/load.py")
    assert "&lt;b&gt;Fet" in str(figures(app)[0]["data"][0]["y"])


def test_sessions_do_not_share_documents():
    from streamlit.testing.v1 import AppTest

    first = AppTest.from_file(str(APP), default_timeout=90).run()
    second = AppTest.from_file(str(APP), default_timeout=90).run()
    path = LAYOUT_EXAMPLES["levels_in_rows"]
    if not path.exists():
        pytest.skip("levels example missing")
    upload(first, path.name, path.read_bytes())
    second.run()
    assert first.session_state["doc"].info.file_name == path.name
    assert second.session_state["doc"].info.file_name == "exempelkommun.xlsx"


def test_name_and_year_edited_in_the_sidebar_follow_into_pages_and_slides(app):
    """Issue 3: the sidebar's name and year are editable; the figures, the document's token
    and a scenario chosen for it stay, while headings and slides show the new name."""
    import hashlib

    from goalload.scenario import Changes, apply_changes

    doc = app.session_state["doc"]
    token = app.session_state["doc_token"]
    after = apply_changes(doc, Changes(remove_goals=tuple(doc.goals["goal_id"].head(4))))
    digest = hashlib.sha256(token.encode()).hexdigest()[:12]
    app.session_state["scenario_after"] = (digest, after)  # as the Minska page keeps it
    before = metric_values(app)
    go(app, "app_pages/present.py")  # the story is built (and kept) under the file's name
    assert doc.name in app.title[0].value.replace("\\", "")
    go(app, "app_pages/overview.py")
    name, year = app.sidebar.text_input[0], app.sidebar.number_input[0]
    assert (name.value, year.value) == (doc.name, doc.year)

    name.set_value("Tallbacka kommun").run()
    app.sidebar.number_input[0].set_value(2031).run()
    assert_no_exception(app)
    assert "**Tallbacka kommun**, 2031" in [m.value for m in app.main.markdown]
    assert metric_values(app) == before
    assert app.session_state["doc_token"] == token
    assert app.session_state["doc"].goals is doc.goals  # renamed, not read again

    go(app, "app_pages/present.py")
    assert "Tallbacka kommun" in app.title[0].value.replace("\\", "")
    while not app.button(key="present_next").disabled:
        app.button(key="present_next").click().run()
    assert_no_exception(app)
    assert app.title[0].value.startswith("De valda ändringarna tar bort 4 mål")

    # the language switch keeps the edit; an emptied name is the file's name again
    app.session_state["lang"] = "en"
    go(app, "app_pages/overview.py")
    assert app.sidebar.text_input[0].value == "Tallbacka kommun"
    app.sidebar.text_input[0].set_value("  ").run()
    assert_no_exception(app)
    assert app.session_state["doc"].name == doc.name
    assert app.sidebar.text_input[0].value == doc.name
    assert f"**{escape_markdown(doc.name)}**, 2031" in [m.value for m in app.main.markdown]


def test_overlap_and_recommendations_are_computed_once_for_every_page(app, monkeypatch):
    """Överlapp (at its default threshold), Minska, Presentation and Rapporter show one
    overlap analysis and one set of recommendations: for a large city each extra
    computation costs seconds."""
    from goalload import overlap, recommend

    calls = record_calls(monkeypatch, overlap, "find_overlap")
    runs = record_calls(monkeypatch, recommend, "_recommend")  # (overlap, goal cap, ...)
    for page in (
        "app_pages/overlap.py",
        "app_pages/reduce.py",
        "app_pages/present.py",
        "app_pages/reports.py",
        "app_pages/overlap.py",
    ):
        go(app, page)
    shared = app.session_state["doc_derived"]["overlap"]
    assert len(calls) == 1
    assert app.session_state["doc_derived"]["report_analyses"].overlap is shared
    assert app.session_state["overlap_results"]["values"][0.55][("views", "sv")].overlap is shared
    # and the recommendations once: Minska's objects and the slides' JSON are one computation
    assert [args[1] for args in runs] == [recommend.DEFAULT_GOAL_CAP]
