"""The product's own template and the writer for any GoalDocument in that layout.

What must hold: the template opens in Excel-compatible readers with its validation
lists and explanations; what goalload writes, goalload.read reads back as the same
document; and no user text ever becomes a formula or an error value.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import polars as pl
import pytest

from goalload import metrics
from goalload.model import FREQUENCY_LABELS_SV, LEVEL_LABELS_SV, new_document
from goalload.read import read_workbook
from goalload.samplegen import generate_document, generate_previous_year
from goalload.template import (
    ALL_COMMITTEES,
    HEADERS,
    SheetSpec,
    column_letter,
    document_to_workbook_bytes,
    template_bytes,
    write_xlsx,
)

SHEETS = ["Instruktioner", "Dokument", "Enheter", "Mål", "Indikatorer", "Uppdrag"]
TABLES = ["units", "goals", "goal_owners", "indicators", "goal_indicators", "assignments", "assignment_recipients"]


def same_tables(read, generated) -> list[str]:
    """Names of the tables that differ (ignoring sheet/row provenance and row order)."""
    differ = []
    for name in TABLES:
        a = getattr(read, name).drop(["sheet", "row"], strict=False)
        b = getattr(generated, name).drop(["sheet", "row"], strict=False).select(a.columns)
        if not a.sort(a.columns, nulls_last=True).equals(b.sort(a.columns, nulls_last=True)):
            differ.append(name)
    return differ


def sheet_xml(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/")]


# --- the template -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def template_wb():
    return openpyxl.load_workbook(io.BytesIO(template_bytes()))


def test_template_has_the_six_sheets_with_exact_headers(template_wb):
    assert template_wb.sheetnames == SHEETS
    for sheet, headers in HEADERS.items():
        ws = template_wb[sheet]
        assert tuple(c.value for c in ws[1]) == headers
        assert all(c.font.b for c in ws[1]), f"{sheet}: header not bold"
        assert ws.freeze_panes == "A2", f"{sheet}: header row not frozen"
        assert ws.column_dimensions["B"].width >= 30
        assert ws.max_row >= 4 or sheet in ("Dokument", "Uppdrag"), f"{sheet}: no example rows"


def test_template_validation_lists_for_level_and_frequency(template_wb):
    (level,) = template_wb["Enheter"].data_validations.dataValidation
    assert str(level.sqref).startswith("C2:C")
    assert level.formula1.strip('"').split(",") == list(LEVEL_LABELS_SV.values())
    (freq,) = template_wb["Indikatorer"].data_validations.dataValidation
    assert str(freq.sqref).startswith("E2:E")
    assert freq.formula1.strip('"').split(",") == list(FREQUENCY_LABELS_SV.values())
    # Example rows use only words from the lists.
    levels = {r[2] for r in template_wb["Enheter"].iter_rows(min_row=2, values_only=True)}
    assert levels <= set(LEVEL_LABELS_SV.values())
    freqs = {r[4] for r in template_wb["Indikatorer"].iter_rows(min_row=2, values_only=True)}
    assert freqs <= set(FREQUENCY_LABELS_SV.values())


def test_instructions_explain_every_column_lists_and_all_committees(template_wb):
    text = "\n".join(
        " ".join(str(v) for v in row if v) for row in template_wb["Instruktioner"].iter_rows(values_only=True)
    )
    for headers in HEADERS.values():
        for header in headers:
            if header not in ("Uppgift", "Värde"):
                assert header in text, f"instructions do not explain {header}"
    assert ALL_COMMITTEES in text and "semikolon" in text
    for word in FREQUENCY_LABELS_SV.values():
        assert word in text
    assert template_wb["Instruktioner"]["A1"].font.b


def test_english_template_translates_instructions_but_keeps_headers():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("en")))
    first_col = [r[1] for r in wb["Instruktioner"].iter_rows(values_only=True) if len(r) > 1 and r[1]]
    assert any("semicolons" in t for t in first_col)
    assert not any("semikolon" in t for t in first_col)
    assert tuple(c.value for c in wb["Mål"][1]) == HEADERS["Mål"]


def test_template_examples_read_with_zero_errors_and_the_counts_shown():
    doc = read_workbook(template_bytes(), "mall.xlsx")
    assert doc.info.layout == "template"
    assert not doc.errors, doc.errors
    assert (doc.units.height, doc.goals.height, doc.indicators.height, doc.assignments.height) == (6, 6, 4, 3)
    assert (doc.name, doc.year, doc.population) == ("Exempelkommun", 2025, 60000)
    # "Samtliga nämnder" on GEM-1 reaches every committee and the board: KS, SN, KFN.
    owners = doc.goal_owners.filter(pl.col("goal_id") == "GEM-1")["unit_id"].sort().to_list()
    assert owners == ["KFN", "KS", "SN"]
    # I-1 measures two goals; I-4 measures none (an orphan).
    assert sorted(doc.goal_indicators.filter(pl.col("indicator_id") == "I-1")["goal_id"]) == ["IFO-1", "SN-1"]
    assert metrics.document_totals(doc)["orphan_indicators"] == 1


# --- writing any document -----------------------------------------------------------------


RISKY = [
    "=SUM(A1:A3)",
    "=HYPERLINK(\"http://x\",\"klicka\")",
    "+46 8 123 45",
    "-3 % jämfört med i fjol",
    "@Kommunen",
    "\tInledande tabb",
    "\rInledande vagnretur",
    "#N/A",
    "#DIV/0!",
    "Larm\x07 med styrtecken",
    "Öka <andelen> & \"tryggheten\"",
]


def risky_document():
    n = len(RISKY)
    units = pl.DataFrame({
        "unit_id": ["KF", "SN"], "name": ["Kommunfullmäktige", RISKY[0]],
        "level": ["council", "committee"], "parent_id": [None, "KF"],
    })
    goals = pl.DataFrame({"goal_id": [f"G{i}" for i in range(n)], "text": RISKY, "goal_level": ["Nämndmål"] * n, "area": RISKY})
    owners = pl.DataFrame({"goal_id": [f"G{i}" for i in range(n)], "unit_id": ["SN"] * n})
    indicators = pl.DataFrame({
        "indicator_id": [f"I{i}" for i in range(n)], "name": RISKY, "frequency": ["month"] * n,
        "occasions_per_year": [12] * n, "source": RISKY, "source_kind": ["unknown"] * n,
    })
    links = pl.DataFrame({"goal_id": [f"G{i}" for i in range(n)], "indicator_id": [f"I{i}" for i in range(n)], "target_text": RISKY})
    assignments = pl.DataFrame({"assignment_id": ["A1"], "text": [RISKY[0]], "report_back": [RISKY[7]], "report_backs_per_year": [1]})
    recipients = pl.DataFrame({"assignment_id": ["A1"], "unit_id": ["SN"]})
    return new_document("=Kommun", units=units, goals=goals, goal_owners=owners, indicators=indicators,
                        goal_indicators=links, assignments=assignments, assignment_recipients=recipients, year=2025)


def test_user_text_never_becomes_a_formula_or_an_error_value():
    data = document_to_workbook_bytes(risky_document())
    for xml in sheet_xml(data):
        assert "<f>" not in xml and "<f " not in xml
        assert 't="e"' not in xml
    wb = openpyxl.load_workbook(io.BytesIO(data))
    goals = {r[0]: r[1] for r in wb["Mål"].iter_rows(min_row=2, values_only=True)}
    for i, text in enumerate(RISKY):
        cell_text = goals[f"G{i}"]
        assert cell_text == text.replace("\x07", ""), (text, cell_text)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n"), (ws.title, cell.coordinate, cell.data_type)
    assert wb["Dokument"]["B2"].value == "=Kommun"


def test_risky_text_reads_back_as_the_same_text():
    doc = read_workbook(document_to_workbook_bytes(risky_document()), "risk.xlsx")
    assert not doc.errors, doc.errors
    texts = dict(zip(doc.goals["goal_id"], doc.goals["text"], strict=True))
    for i, text in enumerate(RISKY):
        if text.startswith("#"):
            continue  # stored as text (see above); the reader treats error words as errors
        # The reader trims surrounding whitespace and the writer drops control characters.
        assert texts[f"G{i}"] == text.replace("\x07", "").strip()


def test_sample_round_trip_gives_the_same_tables_and_totals():
    generated = generate_document()
    read = read_workbook(document_to_workbook_bytes(generated), "exempelkommun.xlsx")
    assert not read.errors, read.errors[:5]
    assert [f for f in read.findings if f.severity == "warning"] == []
    assert same_tables(read, generated) == []
    assert (read.name, read.year, read.population) == (generated.name, generated.year, generated.population)
    assert metrics.document_totals(read) == metrics.document_totals(generated)
    load_read = metrics.unit_load(read).sort("unit_id")
    load_gen = metrics.unit_load(generated).sort("unit_id")
    assert load_read.equals(load_gen.select(load_read.columns))


def test_previous_year_and_municipality_size_round_trip():
    previous, _ = generate_previous_year(generate_document())
    read = read_workbook(document_to_workbook_bytes(previous), "exempelkommun_2024.xlsx")
    assert not read.errors and same_tables(read, previous) == []
    assert read.year == 2024
    big = generate_document(goals=1_200, seed=7)
    read_big = read_workbook(document_to_workbook_bytes(big), "stor.xlsx")
    assert not read_big.errors and same_tables(read_big, big) == []
    assert metrics.document_totals(read_big) == metrics.document_totals(big)


def test_indicator_with_different_targets_per_goal_keeps_both_targets():
    doc = generate_document()
    first_shared = doc.goal_indicators.group_by("indicator_id").len().filter(pl.col("len") > 1)["indicator_id"].sort()[0]
    # Give the shared indicator a different (non-numeric) target under each of its goals.
    is_shared = pl.col("indicator_id") == first_shared
    links = doc.goal_indicators.with_columns(
        target_text=pl.when(is_shared).then(pl.col("goal_id")).otherwise("target_text"),
        target_value=pl.when(is_shared).then(None).otherwise("target_value"),
    )
    changed = doc.replace(goal_indicators=links)
    read = read_workbook(document_to_workbook_bytes(changed), "x.xlsx")
    got = read.goal_indicators.filter(pl.col("indicator_id") == first_shared).select("goal_id", "target_text").sort("goal_id")
    assert got["goal_id"].to_list() == got["target_text"].to_list()
    assert read.indicators.filter(pl.col("indicator_id") == first_shared).height == 1


def test_all_committees_written_only_when_the_set_is_exactly_every_committee():
    doc = generate_document()
    wb = openpyxl.load_workbook(io.BytesIO(document_to_workbook_bytes(doc)))
    owners = {r[0]: r[2] for r in wb["Mål"].iter_rows(min_row=2, values_only=True)}
    assert owners["KS10"] == ALL_COMMITTEES
    assert owners["SN4"] == "KFN; SN"
    spelled = openpyxl.load_workbook(io.BytesIO(document_to_workbook_bytes(doc, use_all_committees=False)))
    owners_ids = {r[0]: r[2] for r in spelled["Mål"].iter_rows(min_row=2, values_only=True)}
    assert ALL_COMMITTEES not in owners_ids.values()
    assert "KS" in owners_ids["KS10"].split("; ") and "VALN" in owners_ids["KS10"].split("; ")


def test_writer_is_byte_reproducible_and_readable_by_calamine():
    doc = generate_document()
    assert document_to_workbook_bytes(doc) == document_to_workbook_bytes(doc)
    import fastexcel

    reader = fastexcel.read_excel(document_to_workbook_bytes(doc))
    assert reader.sheet_names == SHEETS
    goals = reader.load_sheet("Mål").to_polars()
    assert goals.height == doc.goals.height and goals.columns == list(HEADERS["Mål"])


def test_write_xlsx_merges_numbers_and_column_letters():
    data = write_xlsx([SheetSpec("Blad", [("a", 1, 2.5, True), (None, "b")], merges=["A1:A2"], widths=(10, 20))])
    ws = openpyxl.load_workbook(io.BytesIO(data))["Blad"]
    assert [c.value for c in ws[1]] == ["a", 1, 2.5, True]
    assert ws["B2"].value == "b" and ws["A2"].value is None
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:A2"]
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_write_xlsx_leaves_non_finite_numbers_empty_and_fixes_sheet_names():
    data = write_xlsx([SheetSpec("Mål/indikatorer [2025]: alla nämnder och bolag", [(1.5, float("nan"), float("inf"), 2)])])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Mål_indikatorer _2025__ alla nä"]
    assert [c.value for c in wb.active[1]] == [1.5, None, None, 2]
    frame = pl.DataFrame({"text": ["a", None, "=1+1"], "value": [1.0, float("nan"), None]})
    ws = openpyxl.load_workbook(io.BytesIO(write_xlsx([SheetSpec("F", [("text", "value")], frame=frame)])))["F"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [["a", 1], [None, None], ["=1+1", None]]
    assert ws["A4"].data_type == "s"
