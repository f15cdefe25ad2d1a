"""goalload.read on the shared layout examples and on small hand-made workbooks."""

from __future__ import annotations

import io
import unicodedata

import polars as pl
import pytest

from goalload.errors import InputError
from goalload.read import read_path, read_workbook
from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, workbook_bytes


def owners(doc, goal_id):
    return sorted(doc.goal_owners.filter(pl.col("goal_id") == goal_id)["unit_id"].to_list())


def errors(doc):
    return [f for f in doc.findings if f.severity == "error"]


# ------------------------------------------------------------------ flat export ---------

@pytest.fixture(scope="module")
def flat():
    return read_path(FLAT_EXAMPLE)


def test_flat_example_reads_without_errors(flat):
    assert errors(flat) == []
    assert flat.name == "Exempelby kommun"
    assert flat.year == 2025
    assert flat.info.layout == "hierarchy_columns"
    assert flat.info.header_rows["Mål och indikatorer 2025"] == 4


def test_flat_example_goals_follow_merged_and_blank_cells(flat):
    # 4 KF goals (the repeated "Äldre ska känna sig trygga..." in B12 is the same KF goal
    # as B9) and 11 committee goals, one per committee-goal cell run.
    levels = flat.goals.group_by("goal_level").len().sort("goal_level")
    assert dict(levels.iter_rows()) == {"KF-mål": 4, "Nämndmål": 11}
    by_id = {r["goal_id"]: r for r in flat.goals.to_dicts()}
    # Row 15's KF-mål cell is blank (not merged): it belongs to the KF goal above.
    assert by_id["C15"]["parent_goal_id"] == "B13"
    assert by_id["C12"]["parent_goal_id"] == "B9"
    assert by_id["C12"]["text"] == "Äldre ska känna sig trygga och delaktiga"
    assert by_id["C5"]["area"] == "Utbildning"


def test_flat_example_owners_split_and_expanded(flat):
    assert owners(flat, "C11") == ["Kultur- och fritidsnämnden", "Socialnämnden"]
    committees_and_board = sorted(
        flat.units.filter(pl.col("level").is_in(["committee", "board"]))["unit_id"].to_list()
    )
    assert owners(flat, "C15") == committees_and_board
    assert len(committees_and_board) == 5  # four committees and Kommunstyrelsen
    assert owners(flat, "B5") == ["Kommunfullmäktige"]
    assert sorted(flat.units["level"].to_list()) == sorted(
        ["council", "board", "committee", "committee", "committee", "committee"]
    )


def test_flat_example_indicators(flat):
    ind = {r["name"]: r for r in flat.indicators.to_dicts()}
    assert len(ind) == 11  # "Sjukfrånvaro, andel..." used under two goals is one indicator
    sick = ind["Sjukfrånvaro, andel av ordinarie arbetstid (%)"]
    linked = flat.goal_indicators.filter(pl.col("indicator_id") == sick["indicator_id"])
    assert sorted(linked["goal_id"].to_list()) == ["C16", "C18"]
    assert sorted(linked["target_value"].to_list()) == [6.5, 7.0]
    grades = ind["Elever i åk 9 som uppnått betygskriterierna i alla ämnen, andel (%)"]
    assert grades["kolada_id"] == "N15419" and grades["source_kind"] == "kolada"
    assert ind["Antal avvikelser fall"]["frequency"] == "month"
    assert ind["Antal avvikelser fall"]["occasions_per_year"] == 12
    assert ind["Antal avvikelser fall"]["source_kind"] == "manual"
    assert ind["Andel elever som upplever studiero, elevenkät (%)"]["source_kind"] == "survey"
    targets = dict(flat.goal_indicators.select("target_text", "target_value").iter_rows())
    assert targets["< 40"] == 40 and targets["2 000"] == 2000 and targets["-3 %"] == -3


def test_flat_example_assignments(flat):
    a = flat.assignments.sort("row")
    assert a["report_backs_per_year"].to_list() == [1, 1, 3, 1]
    rec = flat.assignment_recipients
    assert sorted(rec.filter(pl.col("assignment_id") == "3")["unit_id"].to_list()) == [
        "Barn- och utbildningsnämnden", "Socialnämnden"]
    assert rec.filter(pl.col("assignment_id") == "1").height == 5  # samtliga nämnder
    assert rec.filter(pl.col("assignment_id") == "4")["unit_id"].to_list() == ["Kommunstyrelsen"]


# ------------------------------------------------------------------ levels in rows -----

@pytest.fixture(scope="module")
def levels():
    return read_path(LEVELS_EXAMPLE)


def test_levels_example(levels):
    assert errors(levels) == []
    assert levels.info.layout == "levels_in_rows"
    assert levels.goals.height == 12
    parents = dict(levels.goals.select("goal_id", "parent_goal_id").iter_rows())
    assert parents["E1"] == "F1" and parents["N5"] == "KF1" and parents["KF1"] is None
    assert owners(levels, "E3") == ["Solhagens skola"]
    tree = dict(levels.units.select("unit_id", "parent_id").iter_rows())
    assert tree["Solhagens skola"] == "Utbildningsförvaltningen"
    assert levels.indicators.height == 11
    assert levels.goal_indicators.height == 14
    budget = levels.indicators.filter(pl.col("name") == "Budgetavvikelse (tkr)")["indicator_id"][0]
    assert sorted(levels.goal_indicators.filter(pl.col("indicator_id") == budget)["goal_id"]) == ["N3", "N4"]


# ------------------------------------------------------------------ hand-made ----------

def test_title_rows_and_leading_blank_rows_keep_excel_row_numbers():
    data = workbook_bytes({"Mål": [[], [], ["Min kommun – Mål 2026"], [],
                                   ["Nämndmål", "Ansvarig nämnd", "Indikator", "Frekvens"],
                                   ["Öka trivseln", "Socialnämnden", "Trivselindex", "Varannan vecka"]]})
    doc = read_workbook(data, "mal.xlsx")
    assert doc.name == "Min kommun" and doc.year == 2026
    assert doc.goals["row"].to_list() == [6]
    finding = next(f for f in doc.findings if "Frekvensen" in f.message)
    assert (finding.sheet, finding.row, finding.column) == ("Mål", 6, "Frekvens")


def test_unknown_frequency_is_a_finding_naming_the_cell():
    data = workbook_bytes({"Blad1": [["Mål", "Ansvarig", "Indikator", "Uppföljning"],
                                     ["Fler i arbete", "Socialnämnden", "Antal i arbete", "Ibland"]]})
    doc = read_workbook(data, "x.xlsx")
    finding = next(f for f in doc.findings if "Ibland" in f.message)
    assert finding.severity == "warning" and finding.row == 2 and finding.column == "Uppföljning"
    assert doc.indicators["occasions_per_year"].to_list() == [1]


def test_nfd_text_and_stray_whitespace_become_nfc():
    goal = unicodedata.normalize("NFD", "  Öka  tryggheten i särskilt boende ")
    header = unicodedata.normalize("NFD", "Nämndmål")
    data = workbook_bytes({"S": [[header, "Ansvarig nämnd"], [goal, "Socialnämnden\u00a0"]]})
    doc = read_workbook(data, "x.xlsx")
    assert doc.goals["text"].to_list() == ["Öka tryggheten i särskilt boende"]
    assert doc.units.filter(pl.col("level") == "committee")["name"].to_list() == ["Socialnämnden"]


def test_goals_on_a_later_sheet_and_english_headers():
    data = workbook_bytes({
        "Read me": [["This workbook holds our goals"]],
        "Goals": [["Goal", "Responsible", "Indicator", "Frequency", "Target"],
                  ["More residents in work", "Labour market committee", "Share in work", "Quarterly", "70"]],
    })
    doc = read_workbook(data, "goals.xlsx")
    assert doc.goals["text"].to_list() == ["More residents in work"]
    assert doc.indicators["frequency"].to_list() == ["quarter"]
    assert doc.info.sheets_used == ("Goals",)


def test_several_indicators_in_one_cell_and_kolada_id_in_the_name():
    data = workbook_bytes({"Mål": [["Mål", "Ansvarig", "Indikatorer", "Frekvens"],
                                   ["Alla elever ska nå målen", "Barn- och utbildningsnämnden",
                                    "Behörighet gymnasiet (N15428); Meritvärde åk 9\nNöjdhet", "År"]]})
    doc = read_workbook(data, "x.xlsx")
    assert doc.indicators.height == 3
    assert doc.indicators.filter(pl.col("kolada_id") == "N15428").height == 1
    assert doc.goal_indicators.height == 3


def test_duplicate_ids_missing_parent_and_cycle_are_errors_not_crashes():
    data = workbook_bytes({"Styrkort": [
        ["ID", "Nivå", "Organisation", "Mål", "Kopplat till"],
        ["A", "Nämnd", "Socialnämnden", "Mål A", "B"],
        ["B", "Nämnd", "Socialnämnden", "Mål B", "A"],
        ["C", "Nämnd", "Socialnämnden", "Mål C", "FINNS-INTE"],
        ["C", "Nämnd", "Socialnämnden", "Ett annat mål C", None],
        ["D", "Nämnd", None, "Mål utan ägare", None],
    ]})
    doc = read_workbook(data, "x.xlsx")
    messages = " | ".join(f.message for f in doc.findings)
    assert "'C' används för flera olika mål" in messages
    assert "FINNS-INTE" in messages
    assert "cirkel" in messages
    assert "har ingen ansvarig" in messages
    assert doc.goals.height == 5  # nothing dropped: the second C is kept under a new id
    assert "C (rad 5)" in doc.goals["goal_id"].to_list()
    dup = next(f for f in doc.findings if "flera olika mål" in f.message)
    assert (dup.sheet, dup.row, dup.column, dup.severity) == ("Styrkort", 5, "ID", "error")


def test_mapping_override_reads_unrecognised_columns():
    data = workbook_bytes({"Blad1": [["Vad vi vill", "Vem", "Hur vi mäter"],
                                     ["Fler besökare", "Kulturnämnden", "Antal besök"]]})
    with pytest.raises(InputError):
        read_workbook(data, "x.xlsx")
    doc = read_workbook(data, "x.xlsx", mapping={"Blad1": {
        "Vad vi vill": "goal", "Vem": "owner", "Hur vi mäter": "indicator"}})
    assert doc.goals["text"].to_list() == ["Fler besökare"]
    assert doc.info.mapping["Blad1"]["Vem"] == "owner"


def test_hidden_sheet_is_read_and_reported():
    data = workbook_bytes({"Mål": [["Mål", "Ansvarig"], ["Synligt mål", "Socialnämnden"]],
                           "Gömt": [["Mål", "Ansvarig"], ["Dolt mål", "Socialnämnden"]]},
                          hidden=("Gömt",))
    doc = read_workbook(data, "x.xlsx")
    assert doc.goals.height == 2
    assert any(f.sheet == "Gömt" and "dolt" in f.message for f in doc.findings)


def test_sheet_option_reads_goals_from_one_sheet():
    data = workbook_bytes({"A": [["Mål", "Ansvarig"], ["Mål i A", "Socialnämnden"]],
                           "B": [["Mål", "Ansvarig"], ["Mål i B", "Socialnämnden"]]})
    assert read_workbook(data, "x.xlsx", sheet="B").goals["text"].to_list() == ["Mål i B"]
    with pytest.raises(InputError, match="Bladet 'C' finns inte"):
        read_workbook(data, "x.xlsx", sheet="C")


def test_csv_semicolon_cp1252_and_utf8_bom():
    text = "Nämndmål;Ansvarig nämnd;Indikator;Uppföljning\nÖka läsförståelsen;Barn- och utbildningsnämnden;Andel som läser;Månad\n"
    for data in (text.encode("cp1252"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        doc = read_workbook(data, "mal.csv")
        assert doc.goals["text"].to_list() == ["Öka läsförståelsen"]
        assert doc.indicators["occasions_per_year"].to_list() == [12]


def test_ods_and_xlsm_are_read():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"Mål": ["Fler i arbete"], "Ansvarig": ["Arbetsmarknadsnämnden"]})
    out = io.BytesIO()
    frame.to_excel(out, engine="odf", index=False)
    assert read_workbook(out.getvalue(), "mal.ods").goals.height == 1
    xlsm = workbook_bytes({"Mål": [["Mål", "Ansvarig"], ["Fler i arbete", "Socialnämnden"]]})
    assert read_workbook(xlsm, "mal.xlsm").goals.height == 1


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.4 not a sheet", "mal.pdf", "inte ett kalkylblad"),
        (b"", "mal.xlsx", "är tom"),
        (b"\x00\x01garbage" * 100, "mal.xlsx", "går inte att öppna som kalkylblad"),
        (b"<html><body>hej</body></html>", "mal.xlsx", "går inte att öppna som kalkylblad"),
    ],
)
def test_unreadable_files_raise_input_error(data, name, expected):
    with pytest.raises(InputError, match=expected):
        read_workbook(data, name)


def test_empty_workbook_and_no_goal_column():
    with pytest.raises(InputError, match="tom"):
        read_workbook(workbook_bytes({"Blad1": []}), "tom.xlsx")
    with pytest.raises(InputError, match="Ingen kolumn med mål"):
        read_workbook(workbook_bytes({"Blad1": [["Namn", "Telefon"], ["Anna", "123"]]}), "x.xlsx")


def test_formula_error_values_are_findings():
    data = workbook_bytes({"Mål": [["Mål", "Ansvarig", "Indikator", "Målvärde"],
                                   ["Fler i arbete", "Socialnämnden", "Andel", "#DIV/0!"]]})
    doc = read_workbook(data, "x.xlsx")
    finding = next(f for f in doc.findings if "#DIV/0!" in f.message)
    assert (finding.row, finding.column) == (2, "D")
    assert doc.goal_indicators["target_text"].to_list() == [None]


# ---------------------------------------------------------------- cleaning, vectorised --

def _clean_reference(values: pl.Series) -> pl.Series:
    """What clean_text_expr did before it skipped steps that cannot change a column."""
    return (values.str.normalize("NFC").str.replace_all(r"[\u00a0\u202f\u2007 \t]+", " ")
            .str.strip_chars().replace("", None))


CLEAN_PIECES = ["Mål", "a", " ", "  ", "\t", "\u00a0", "\u202f", "\u2007", "\u2003", "\n",
                "e\u0301", "\u00e9", "\u3000", "#REF!", "", "x y", "\u0085", "\u200b", "ÅÄÖ",
                "\u1680", "ö", "\u2028", "\x1f", "\x0b"]


@pytest.mark.parametrize("seed", range(60))
def test_clean_text_skips_only_steps_that_change_nothing(seed):
    import random

    from goalload.cells import clean_text_expr

    rng = random.Random(seed)
    pieces = CLEAN_PIECES if seed % 2 else ["a", "b", "Mål", " ", "c d"]  # some need nothing
    values = [None if rng.random() < 0.1 else
              "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
              for _ in range(rng.randint(0, 30))]
    series = pl.Series("c0", values, dtype=pl.String)
    frame = pl.DataFrame({"c0": series})
    got = frame.select(clean_text_expr(pl.col("c0")))["c0"]
    assert got.to_list() == _clean_reference(series).to_list()
    sliced = frame.slice(1).select(clean_text_expr(pl.col("c0")))["c0"]  # an offset array
    assert sliced.to_list() == _clean_reference(series.slice(1)).to_list()
    chunked = pl.concat([series, series.reverse()], rechunk=False)  # several arrow chunks
    assert chunked.to_frame().select(clean_text_expr(pl.col("c0")))["c0"].to_list() == \
        _clean_reference(chunked).to_list()


@pytest.mark.parametrize("seed", range(30))
def test_clean_text_frame_equals_cleaning_each_column(seed):
    import random

    from goalload.cells import clean_text_frame

    rng = random.Random(seed)
    pieces = CLEAN_PIECES if seed % 3 == 0 else ["a", "Mål", " b", "c d", "", "#N/A"][: 3 + seed % 4]
    frame = pl.DataFrame({
        f"c{i}": pl.Series([None if rng.random() < 0.2 else
                            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
                            for _ in range(12)], dtype=pl.String)
        for i in range(rng.randint(1, 5))
    })
    cleaned, hashes = clean_text_frame(frame)
    assert cleaned.equals(frame.select(_clean_reference(frame[c]) for c in frame.columns))
    assert hashes == any("#" in (v or "") for c in frame.columns for v in frame[c].to_list())


@pytest.mark.parametrize("seed", range(40))
def test_name_key_skips_only_steps_that_change_nothing(seed):
    import random

    from goalload.cells import name_key_expr

    rng = random.Random(seed)
    pieces = CLEAN_PIECES + [".", ",", ":", ";", "Å", "x.", " Nämnd"] if seed % 2 else ["a", "B", "Mål"]
    series = pl.Series("n", [None if rng.random() < 0.1 else
                             "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
                             for _ in range(rng.randint(0, 25))], dtype=pl.String)
    reference = (series.str.normalize("NFC").str.to_lowercase()
                 .str.replace_all(r"[\s\u00a0]+", " ").str.strip_chars(" .:;,"))
    got = series.to_frame().select(name_key_expr(pl.col("n")))["n"]
    assert got.to_list() == reference.to_list()


@pytest.mark.parametrize("parse", ["frequency", "target", "report_back", "source_kind"])
def test_parsers_per_distinct_value_equal_parsing_every_cell(parse):
    import random

    from goalload import cells

    rng = random.Random(parse)
    words = ["Månad", "kvartalsvis", " 2 ggr/år", "< 40", "2 000", "6,5", "-3 %", None, "",
             "Kolada N00945", "Egen enkät", "x", "Årsredovisning", "Delårsrapport", "okänt"]
    for size in (3, 50, 400):  # few rows: parsed per cell; many: per distinct value
        frame = pl.DataFrame({"v": [rng.choice(words) for _ in range(size)],
                              "k": [rng.choice([None, "N00945"]) for _ in range(size)]},
                             schema={"v": pl.String, "k": pl.String})
        fast, each = {
            "frequency": (cells.frequency_expr, cells._frequency),
            "target": (cells.target_value_expr, cells._target_value),
            "report_back": (cells.report_back_expr, cells._report_backs),
            "source_kind": (lambda e: cells.source_kind_expr(e, pl.col("k")),
                            lambda e: pl.when(pl.col("k").is_not_null()).then(pl.lit("kolada"))
                            .otherwise(cells._source_kind(e))),
        }[parse]
        assert frame.select(fast(pl.col("v")).alias("o")).equals(
            frame.select(each(pl.col("v")).alias("o")))


@pytest.mark.parametrize("seed", range(40))
def test_endless_walks_equal_pointer_doubling(seed):
    import random

    from goalload.read import _endless_chains, _endless_walks

    rng = random.Random(seed)
    ids = [f"G{i}" for i in range(rng.randint(1, 60))]
    rows = [(rng.choice(ids), rng.choice([None, "X", *ids])) for _ in range(rng.randint(1, 80))]
    goals = pl.DataFrame(rows, schema={"goal_id": pl.String, "parent_goal_id": pl.String},
                         orient="row")
    pairs = zip(goals["goal_id"].to_list(), goals["parent_goal_id"].to_list(), strict=True)
    parent = {g: p for g, p in pairs if p is not None}
    assert _endless_walks(parent) == _endless_chains(goals)


def test_a_quote_that_never_closes_in_a_csv_is_named_not_swallowed():
    """Python's csv reader would make every row after the quote one cell."""
    from goalload.errors import InputError

    text = "Mål;Ansvarig\nX;Socialnämnden\nY;\"Kultur\nZ;Socialnämnden\n"
    with pytest.raises(InputError) as raised:
        read_workbook(text.encode(), "mal.csv")
    assert (raised.value.row, raised.value.column) == (3, "B")
    assert "rad 3, kolumn B" in raised.value.message
    # a quoted cell over two lines, closed, is a cell like any other
    doc = read_workbook('Mål;Ansvarig\n"Fler\ni arbete";Socialnämnden\n'.encode(), "mal.csv")
    assert doc.goals["text"].to_list() == ["Fler\ni arbete"]
