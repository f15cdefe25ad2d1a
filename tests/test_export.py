"""Reports: Excel, HTML and PowerPoint hold the app's figures, and user text stays text.

Every figure is compared with goalload.metrics on the same document (what the app
shows); nothing here is a hard-coded count. The injection tests build real workbooks
whose cells begin with "=", "+", "-", "@" and read them through goalload.read first.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from goalload import cli, export, metrics
from goalload.errors import InputError
from goalload.i18n import label
from goalload.model import new_document
from goalload.read import read_path, read_workbook
from goalload.report import analyse
from goalload.story import build_story
from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("GOALLOAD_REQUIRE_BROWSER"),
    reason="Chromium saknas (/usr/bin/chromium)",
)

# Every prefix a spreadsheet reads as a formula, plus an error literal.
DANGEROUS = [
    "=HYPERLINK(\"http://evil.example\",\"Klicka\")",
    "=1+1",
    "+SUM(A1:A3)",
    "-2+3",
    "@SUM(A1)",
]
# Texts the reader trims or drops, but a document built another way may hold.
DANGEROUS_UNREAD = ["\t=1+2", "\r=3+4", "#N/A", "#DIV/0!"]


@pytest.fixture(scope="module")
def sample_doc():
    return read_path(SAMPLE)


@pytest.fixture(scope="module")
def sample_analyses(sample_doc):
    return analyse(sample_doc)


@pytest.fixture(scope="module")
def sample_xlsx(sample_doc, sample_analyses):
    data = export.xlsx_report_bytes(sample_doc, analyses=sample_analyses)
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(ws) -> tuple[list[str], list[dict]]:
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    body = [dict(zip(header, r, strict=True)) for r in rows[1:] if any(v is not None for v in r)]
    return header, body


# --- Excel ----------------------------------------------------------------------------


def test_xlsx_load_sheet_holds_the_unit_load_the_app_shows(sample_doc, sample_xlsx):
    load = metrics.unit_load(sample_doc)
    ws = sample_xlsx["Belastning per enhet"]
    header, body = sheet_rows(ws)
    assert len(body) == load.height
    for row, expected in zip(body, load.iter_rows(named=True), strict=True):
        assert row["Enhet"] == expected["unit"]
        for column in metrics.LOAD_COLUMNS:
            assert row[label("metric", column)] == expected[column], (expected["unit"], column)
    # a sheet made for filtering and scrolling
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{load.height + 1}"
    assert ws.column_dimensions["A"].width >= len("Barn- och utbildningsnämnden")
    assert ws["D2"].number_format == "#,##0"
    assert ws["A1"].font.bold


def test_xlsx_overview_totals_equal_document_totals(sample_doc, sample_xlsx):
    totals = metrics.document_totals(sample_doc)
    ws = sample_xlsx["Översikt"]
    values: dict = {}
    for row in ws.iter_rows(values_only=True):  # first occurrence: the contents list repeats names
        if row and row[0]:
            values.setdefault(row[0], row[1])
    for key, value in totals.items():
        assert values[label("metric", key)] == value, key
    assert values["Dokument"] == sample_doc.name


def test_xlsx_has_a_sheet_per_table_and_the_definitions(sample_doc, sample_xlsx):
    names = sample_xlsx.sheetnames
    for sheet in ("Översikt", "Belastning per enhet", "Mål", "Indikatorer", "Uppdrag",
                  "Anmärkningar", "Förslag", "Definitioner"):  # fmt: skip
        assert sheet in names
    _, goals = sheet_rows(sample_xlsx["Mål"])
    assert len(goals) == sample_doc.goals.height
    _, indicators = sheet_rows(sample_xlsx["Indikatorer"])
    assert len(indicators) == sample_doc.indicators.height
    _, assignments = sheet_rows(sample_xlsx["Uppdrag"])
    assert len(assignments) == sample_doc.assignments.height
    _, definitions = sheet_rows(sample_xlsx["Definitioner"])
    defined = {d["Mått"]: d["Definition"] for d in definitions}
    assert "Egna mål + indikatorer + uppdrag" in defined["Styrsignaler"]
    assert "Månad 12" in defined["Rapporteringstillfällen per år"]


def test_xlsx_goal_rows_carry_owners_type_and_overlap_flags(sample_doc, sample_analyses, sample_xlsx):
    _, goals = sheet_rows(sample_xlsx["Mål"])
    by_id = {g["Mål-ID"]: g for g in goals}
    owners = sample_doc.goals_with_owners()
    one = owners.row(0, named=True)
    assert one["unit"] in by_id[one["goal_id"]]["Ansvarig enhet"]
    assert all(g["Måltyp"] in {"Resursmål", "Aktivitetsmål", "Prestationsmål", "Effektmål"} for g in goals)
    overlap = sample_analyses.overlap
    if overlap is None:
        pytest.skip("överlappsanalysen finns inte i den här versionen")
    through = set(overlap.pairs.filter(pl.col("kind") == "pass_through")["a_goal_id"])
    flagged = {gid for gid, g in by_id.items() if g["Upprepar överordnat mål"] == "Ja"}
    assert flagged == through and through


def test_analyse_with_the_overlap_and_recommendations_given_equals_computing_them(sample_doc):
    from goalload.overlap import find_overlap
    from goalload.recommend import recommend_json

    found = find_overlap(sample_doc)
    given = analyse(sample_doc, overlap=found, recommendations=recommend_json(sample_doc, overlap=found))
    computed = analyse(sample_doc)
    assert given.overlap is found
    assert given.recommendations == computed.recommendations
    assert given.totals == computed.totals and given.after_totals == computed.after_totals
    assert given.load.equals(computed.load)


def test_goal_flags_without_the_similar_lists_flag_the_same_goals(sample_doc, sample_analyses):
    from goalload.report import goal_flags

    full = goal_flags(sample_doc, sample_analyses.overlap).sort("goal_id")
    counted = goal_flags(sample_doc, sample_analyses.overlap, similar=False).sort("goal_id")
    assert counted.drop("similar").equals(full.drop("similar"))
    assert counted["similar"].null_count() == counted.height
    pairs = sample_analyses.overlap.pairs
    some = pairs["a_goal_id"][0]
    listed = full.filter(goal_id=some)["similar"][0].split("; ")
    assert pairs["b_goal_id"][0] in listed and listed == sorted(set(listed))


def test_xlsx_recommendations_sheet_matches_recommend_json(sample_analyses, sample_xlsx):
    recs = sample_analyses.recommendations
    if recs is None:
        pytest.skip("förslagsanalysen finns inte i den här versionen")
    _, rows = sheet_rows(sample_xlsx["Förslag"])
    assert [r["Förslag-ID"] for r in rows] == [r["id"] for r in recs["recommendations"]]
    assert sum(r["Färre mål"] for r in rows) == sum(
        r["effect"]["goals"] for r in recs["recommendations"]
    )


def _text_workbook(texts: list[str]) -> bytes:
    """A template-layout workbook whose unit, goal, indicator and assignment texts are `texts`.

    The cells are written as text (not formulas), as a user's Excel holds them when the
    cell is formatted as text or the value was pasted.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {
        "Enheter": [["Enhet-ID", "Enhet", "Nivå", "Överordnad enhet-ID"], ["KF", "Kommunfullmäktige", "Fullmäktige", None]]
        + [[f"N{i}", text, "Nämnd", "KF"] for i, text in enumerate(texts)],
        "Mål": [["Mål-ID", "Mål", "Ansvarig enhet-ID", "Överordnat mål-ID", "Målnivå", "Målområde"]]
        + [[f"M{i}", text, f"N{i}", None, text, text] for i, text in enumerate(texts)],
        "Indikatorer": [["Indikator-ID", "Indikator", "Mål-ID", "Ansvarig enhet-ID", "Frekvens", "Källa", "Kolada-ID", "Målvärde"]]
        + [[f"I{i}", text, f"M{i}", f"N{i}", "Månad", text, None, text] for i, text in enumerate(texts)],
        "Uppdrag": [["Uppdrag-ID", "Uppdrag", "Mottagare", "Givet av", "Återrapportering"]]
        + [[f"U{i}", text, f"N{i}", "KF", text] for i, text in enumerate(texts)],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                cell.data_type = "s"  # text, as typed in a text-formatted cell
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _assert_no_formulas(path: Path, texts: list[str]) -> None:
    wb = openpyxl.load_workbook(path)
    seen: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    seen.add(cell.value)
                    if cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                        assert cell.quotePrefix, (ws.title, cell.coordinate)
    assert set(texts) <= seen  # written as typed, not dropped
    # and no formula element anywhere in the package's sheet XML
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name


def test_a_workbook_whose_texts_begin_with_formula_characters_exports_no_formula(tmp_path):
    doc = read_workbook(_text_workbook(DANGEROUS), "injektion.xlsx")
    # the reader kept the texts as typed, so the export really sees them
    assert set(DANGEROUS) <= set(doc.goals["text"].to_list())
    _assert_no_formulas(export.write_report(doc, tmp_path / "rapport.xlsx"), DANGEROUS)


def test_tab_cr_and_error_literals_stay_text(tmp_path):
    texts = DANGEROUS_UNREAD
    ids = [f"G{i}" for i in range(len(texts))]
    doc = new_document(
        texts[0],
        units=pl.DataFrame({"unit_id": ["N"], "name": [texts[1]], "level": ["committee"]}),
        goals=pl.DataFrame({"goal_id": ids, "text": texts, "goal_level": texts}),
        goal_owners=pl.DataFrame({"goal_id": ids, "unit_id": ["N"] * len(ids)}),
    )
    _assert_no_formulas(export.write_report(doc, tmp_path / "rapport.xlsx"), texts)


# --- HTML -----------------------------------------------------------------------------


def test_html_report_is_self_contained_and_holds_the_apps_figures(sample_doc, sample_analyses):
    data = export.html_report_bytes(sample_doc, analyses=sample_analyses).decode("utf-8")
    # plotly.js is inline: no script or stylesheet is fetched from anywhere
    assert not re.search(r"<script[^>]+src=", data)
    assert not re.search(r"<link[^>]+href=", data)
    assert data.count("Plotly.newPlot") == sum(
        s.figure is not None for s in build_story(sample_analyses)
    )
    # the load chart's bars are the unit_load figures of the top units
    load = metrics.unit_load(sample_doc)
    top = load.sort(["steering_signals", "unit"], descending=[True, False]).head(10)
    spec = _figure_json(data, "chart-load")
    own = next(t for t in spec["data"] if t["name"] == label("metric", "own_goals"))
    assert own["x"][: top.height] == top["own_goals"].to_list()
    # the tables: every unit, figures in Swedish format
    totals = metrics.document_totals(sample_doc)
    occasions = f"{totals['reporting_occasions_per_year']:,}".replace(",", "\u00a0")
    assert f"<dd>{occasions}</dd>" in data
    assert data.count("<tr>") >= load.height + sample_doc.goals.height


def _figure_json(html_text: str, div_id: str) -> dict:
    start = html_text.index(f'"{div_id}"')
    call = html_text.index("Plotly.newPlot(", start - 200)
    decoder = json.JSONDecoder()
    rest = html_text[call + len("Plotly.newPlot(") :].lstrip()
    _, offset = decoder.raw_decode(rest)  # the div id
    rest = rest[offset:].lstrip(", \n")
    traces, offset = decoder.raw_decode(rest)
    return {"data": traces}


def test_html_escapes_user_text():
    units = pl.DataFrame(
        {
            "unit_id": ["KF", "X"],
            "name": ["Kommunfullmäktige", "<script>alert('x')</script>"],
            "parent_id": [None, "KF"],
            "level": ["council", "committee"],
        }
    )
    goals = pl.DataFrame({"goal_id": ["G1"], "text": ['<img src=x onerror="alert(1)">']})
    doc = new_document(
        "<b>Kommun</b>",
        units=units,
        goals=goals,
        goal_owners=pl.DataFrame({"goal_id": ["G1"], "unit_id": ["X"]}),
    )
    data = export.html_report_bytes(doc).decode("utf-8")
    assert "<script>alert" not in data
    assert "<img src=x" not in data
    assert "<b>Kommun</b>" not in data
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in data
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in data


def test_html_long_tables_are_cut_with_a_note(monkeypatch):
    from goalload import export_html

    monkeypatch.setattr(export_html, "MAX_TABLE_ROWS", 20)
    n = 25
    ids = [f"G{i}" for i in range(n)]
    doc = new_document(
        "Stor",
        units=pl.DataFrame({"unit_id": ["N"], "name": ["Nämnden"], "level": ["committee"]}),
        goals=pl.DataFrame({"goal_id": ids, "text": [f"Mål om ämne {i}" for i in range(n)]}),
        goal_owners=pl.DataFrame({"goal_id": ids, "unit_id": ["N"] * n}),
    )
    data = export.html_report_bytes(doc).decode("utf-8")
    start = data.index('<section id="goals">')
    goals = data[start : data.index("</section>", start)]
    assert goals.count("<tr>") == 1 + 20  # header and the first 20 goals
    assert ">G0<" in goals and ">G19<" in goals and ">G20<" not in goals
    assert "de första 20 av 25 raderna" in goals


# --- write_report and the CLI ---------------------------------------------------------


def test_write_report_chooses_the_format_by_suffix(tmp_path, sample_doc):
    xlsx = export.write_report(sample_doc, tmp_path / "r.XLSX")
    assert xlsx.read_bytes()[:2] == b"PK"
    html = export.write_report(sample_doc, tmp_path / "r.html")
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(InputError) as error:
        export.write_report(sample_doc, tmp_path / "r.pdf")
    assert ".pdf" in error.value.message and ".xlsx" in error.value.message
    assert not (tmp_path / "r.pdf").exists()


def test_cli_report_writes_the_file(tmp_path, capsys):
    out = tmp_path / "rapport.xlsx"
    assert cli.main(["report", str(FLAT_EXAMPLE), "--out", str(out)]) == 0
    doc = read_path(FLAT_EXAMPLE)
    wb = openpyxl.load_workbook(out)
    _, body = sheet_rows(wb["Belastning per enhet"])
    load = metrics.unit_load(doc)
    assert [r["Styrsignaler"] for r in body] == load["steering_signals"].to_list()


@pytest.mark.parametrize("example", [FLAT_EXAMPLE, LEVELS_EXAMPLE], ids=["flat", "levels"])
def test_reports_on_the_layout_examples(example, tmp_path):
    doc = read_path(example)
    a = analyse(doc)
    wb = openpyxl.load_workbook(io.BytesIO(export.xlsx_report_bytes(doc, analyses=a)))
    _, body = sheet_rows(wb["Belastning per enhet"])
    assert [r["Indikatorer"] for r in body] == metrics.unit_load(doc)["indicators"].to_list()
    html = export.html_report_bytes(doc, analyses=a).decode("utf-8")
    assert html.count("<section") >= 8


def test_english_report_uses_english_labels(sample_doc, sample_analyses):
    wb = openpyxl.load_workbook(
        io.BytesIO(export.xlsx_report_bytes(sample_doc, analyses=sample_analyses, lang="en"))
    )
    assert "Load per unit" in wb.sheetnames and "Definitions" in wb.sheetnames
    header, _ = sheet_rows(wb["Load per unit"])
    assert header[:4] == ["Unit", "Level", "Parent unit", "Own goals"]


# --- the HTML report in a browser -----------------------------------------------------


@pytest.mark.browser
@needs_chromium
def test_html_report_renders_its_charts_in_chromium(tmp_path, sample_doc, sample_analyses):
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS

    path = tmp_path / "rapport.html"
    path.write_bytes(export.html_report_bytes(sample_doc, analyses=sample_analyses))
    expected = sum(s.figure is not None for s in build_story(sample_analyses))
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        # offline: any request that leaves the file would fail the test
        context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {expected}",
            timeout=60_000,
        )
        plots = page.locator(".js-plotly-plot")
        assert plots.count() == expected
        # each chart drew its marks (bars, treemap boxes), not just an empty frame
        for i in range(expected):
            marks = plots.nth(i).locator("g.point, g.slice")
            assert marks.count() > 0, i
        assert page.title().endswith(sample_doc.name)
        browser.close()
    assert not errors, errors


# --- PowerPoint and chart images (kaleido in Chromium) --------------------------------


@needs_chromium
def test_pptx_has_one_slide_per_story_step_with_chart_and_notes(sample_doc, sample_analyses):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from goalload.export_pptx import IMAGE_PX, IMAGE_SCALE

    story = build_story(sample_analyses)
    deck = Presentation(io.BytesIO(export.pptx_report_bytes(sample_doc, analyses=sample_analyses)))
    assert len(deck.slides) == len(story)
    assert deck.slide_width * 9 == deck.slide_height * 16  # 16:9
    for page, slide in zip(deck.slides, story, strict=True):
        assert page.shapes.title.text == slide.headline
        assert page.notes_slide.notes_text_frame.text == slide.speaker_notes
        texts = [s.text_frame.text for s in page.shapes if s.has_text_frame]
        assert slide.caption in texts
        pictures = [s for s in page.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == (1 if slide.figure is not None else 0)
        for picture in pictures:
            blob = picture.image.blob
            assert blob[:8] == b"\x89PNG\r\n\x1a\n"
            width = int.from_bytes(blob[16:20], "big")
            height = int.from_bytes(blob[20:24], "big")
            assert (width, height) == (IMAGE_PX[0] * IMAGE_SCALE, IMAGE_PX[1] * IMAGE_SCALE)
            # inside the slide
            assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
            assert picture.top + picture.height <= deck.slide_height
    # the overview headline carries the document's totals
    totals = metrics.document_totals(sample_doc)
    assert f"{totals['goals']} mål" in deck.slides[0].shapes.title.text


@needs_chromium
def test_chart_downloads_as_svg_and_png_with_title_and_axis_labels(sample_doc):
    from goalload import charts, views

    load = metrics.unit_load(sample_doc)
    for lang, title, axis in (("sv", "Mål, indikatorer och uppdrag per enhet", "Antal"),
                              ("en", "Goals, indicators and assignments per unit", "Count")):  # fmt: skip
        fig = charts.load_bars(views.top_units(load, n=5), lang)
        svg, png = export.figure_images([fig, fig], "svg")[0], export.figure_image_bytes(fig, "png", scale=1)
        text = svg.decode("utf-8")
        assert text.startswith("<svg") and title in text and axis in text
        top = views.top_units(load, n=1)["unit"][0]
        assert top in text
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == export.IMAGE_WIDTH


def test_unknown_image_format_is_refused():
    with pytest.raises(ValueError):
        export.figure_images([], "gif")
