"""Property-based tests: workbooks of every layout, with random damage, never break the reader.

Hypothesis draws a small municipality (committees, council goals, committee goals with
one or more owners, indicators), writes it in one of the four layouts the reader knows
(the template, hierarchy columns as in flat_export_example.xlsx, levels in rows as in
levels_in_rows_example.xlsx, CSV), then damages it: blank cells, shuffled rows, merged
cells, junk rows, wrong types, NFD, emoji, right-to-left text, formulas, duplicate
headers. Whatever comes out, the reader either raises InputError or returns a document
whose tables hang together and whose findings are Swedish and located. Undamaged
workbooks must come back with exactly the goals and indicators that were written.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from dataclasses import dataclass

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalload.errors import InputError
from goalload.metrics import document_totals, unit_load
from goalload.read import read_workbook
from tests.conftest import workbook_bytes

SETTINGS = settings(
    max_examples=int(os.environ.get("GOALLOAD_PROPERTY_EXAMPLES", "18")),  # more for a deep run
    deadline=None,  # two shared cores: a read can take a second under load
    database=None,  # nothing written into the work tree
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

COMMITTEES = [
    "Socialnämnden", "Barn- och utbildningsnämnden", "Kultur- och fritidsnämnden",
    "Tekniska nämnden", "Miljö- och byggnämnden", "Vård- och omsorgsnämnden",
]
AREAS = ["Utbildning", "Trygghet", "Ekonomi", "Miljö", "Hälsa"]
WORDS = ["fler", "elever", "trygg", "äldreomsorg", "hållbar", "minskad", "sjukfrånvaro",
         "nöjda", "invånare", "förskola", "cykelvägar", "ekonomi", "balans", "öppen",
         "delaktighet", "företag", "kultur", "bibliotek", "vatten", "energi"]
FREQUENCIES = ["Månad", "Kvartal", "Tertial", "Halvår", "År"]
TARGETS = ["78", "< 40", "2 000", "6,5", "-3 %", "Öka", ""]


@dataclass
class Goal:
    text: str
    owners: list[str]
    indicators: list[tuple[str, str, str]]  # name, frequency, target


@dataclass
class Council:
    text: str
    area: str
    goals: list[Goal]


@st.composite
def municipalities(draw) -> list[Council]:
    """Council goals, each with committee goals; every text and indicator name unique."""
    committees = draw(st.lists(st.sampled_from(COMMITTEES), min_size=1, max_size=4, unique=True))
    counter = iter(range(1, 10_000))

    def text(kind: str) -> str:
        words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=5))
        return f"{' '.join(words).capitalize()} {kind} {next(counter)}"

    councils = []
    for _ in range(draw(st.integers(1, 3))):
        goals = []
        for _ in range(draw(st.integers(1, 3))):
            owners = draw(st.lists(st.sampled_from(committees), min_size=1, max_size=2, unique=True))
            indicators = [
                (text("andel"), draw(st.sampled_from(FREQUENCIES)), draw(st.sampled_from(TARGETS)))
                for _ in range(draw(st.integers(0, 3)))
            ]
            goals.append(Goal(text("mål"), owners, indicators))
        councils.append(Council(text("KF-mål"), draw(st.sampled_from(AREAS)), goals))
    return councils


# ------------------------------------------------------------------ layouts ---------------

@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    header: int = 0  # index of the header row in rows


def template_layout(councils: list[Council]) -> list[Sheet]:
    committees = sorted({o for c in councils for g in c.goals for o in g.owners})
    ids = {name: f"N{i}" for i, name in enumerate(committees, start=1)}
    units = [["Enhet-ID", "Enhet", "Nivå", "Överordnad enhet-ID"], ["KF", "Kommunfullmäktige",
             "Fullmäktige", None]] + [[ids[n], n, "Nämnd", "KF"] for n in committees]
    goals = [["Mål-ID", "Mål", "Ansvarig enhet-ID", "Överordnat mål-ID", "Målnivå", "Målområde"]]
    indicators = [["Indikator-ID", "Indikator", "Mål-ID", "Ansvarig enhet-ID", "Frekvens", "Källa",
                   "Kolada-ID", "Målvärde"]]
    for k, council in enumerate(councils, start=1):
        goals.append([f"KF{k}", council.text, "KF", None, "KF-mål", council.area])
        for j, goal in enumerate(council.goals, start=1):
            gid = f"M{k}.{j}"
            goals.append([gid, goal.text, ";".join(ids[o] for o in goal.owners), f"KF{k}",
                          "Nämndmål", council.area])
            for name, freq, target in goal.indicators:
                indicators.append([f"I{len(indicators)}", name, gid, ids[goal.owners[0]], freq,
                                   "Manuell", None, target])
    return [Sheet("Enheter", units), Sheet("Mål", goals), Sheet("Indikatorer", indicators)]


def hierarchy_layout(councils: list[Council], blank_repeats: bool) -> list[Sheet]:
    header = ["Målområde", "KF-mål", "Nämndmål", "Ansvarig nämnd", "Indikator", "Målvärde",
              "Uppföljning"]
    rows: list[list[object]] = [["Exempelby kommun – Mål och budget 2025"], [], header]
    for council in councils:
        first_council = True
        for goal in council.goals:
            first_goal = True
            for name, freq, target in goal.indicators or [(None, None, None)]:
                keep_council = first_council or not blank_repeats
                keep_goal = first_goal or not blank_repeats
                rows.append([council.area if keep_council else None,
                             council.text if keep_council else None,
                             goal.text if keep_goal else None,
                             ", ".join(goal.owners) if keep_goal else None, name, target, freq])
                first_council = first_goal = False
    return [Sheet("Mål och indikatorer 2025", rows, header=2)]


def levels_layout(councils: list[Council]) -> list[Sheet]:
    rows: list[list[object]] = [["ID", "Nivå", "Organisation", "Mål", "Kopplat till",
                                 "Indikatorer", "Frekvens"]]
    for k, council in enumerate(councils, start=1):
        rows.append([f"KF{k}", "Kommunfullmäktige", "Kommunfullmäktige", council.text, None,
                     None, None])
        for j, goal in enumerate(council.goals, start=1):
            names = "; ".join(name for name, _, _ in goal.indicators) or None
            freq = goal.indicators[0][1] if goal.indicators else None
            rows.append([f"N{k}.{j}", "Nämnd", goal.owners[0], goal.text, f"KF{k}", names, freq])
    committees = sorted({g.owners[0] for c in councils for g in c.goals})
    org = [["Enhet", "Tillhör"], ["Kommunfullmäktige", None]] + [[n, "Kommunfullmäktige"]
                                                                 for n in committees]
    return [Sheet("Styrkort", rows), Sheet("Organisation", org)]


def csv_layout(councils: list[Council]) -> list[Sheet]:
    rows: list[list[object]] = [["Mål", "Ansvarig", "Indikator", "Frekvens", "Målvärde"]]
    for council in councils:
        for goal in council.goals:
            for name, freq, target in goal.indicators or [(None, None, None)]:
                rows.append([goal.text, ", ".join(goal.owners), name, freq, target])
    return [Sheet("mal", rows)]


def expected_counts(layout: str, councils: list[Council]) -> tuple[int, int]:
    """Goals and indicators an undamaged workbook of this layout holds."""
    committee_goals = sum(len(c.goals) for c in councils)
    indicators = sum(len(g.indicators) for c in councils for g in c.goals)
    if layout == "csv":
        return committee_goals, indicators
    return committee_goals + len(councils), indicators


# ------------------------------------------------------------------ damage ----------------

JUNK_ROWS = [["Summa"], ["Sida 2 av 3"], [], ["Utskrivet 2025-01-01", None, "av Kalle"],
             [None, None, None, None, "#REF!"]]
ODD_TEXT = ["🎯 Trygghet för alla 👩‍👩‍👧", "تحسين الخدمات", "שירות טוב יותר", "\u202egnirts\u202c",
            "<script>alert(1)</script>", "=1/0", "=A1&\"x\"", "+cmd|' /C calc'!A0", "#N/A", " ",
            "x" * 5000]
WRONG_TYPES = [0, -1.5, 1e12, True, datetime.date(2025, 1, 1), datetime.datetime(1900, 1, 1, 12)]


@st.composite
def damaged(draw, sheets: list[Sheet], spreadsheet: bool) -> tuple[list[Sheet], dict, list[str]]:
    """Apply 0-4 random kinds of damage; returns sheets, merges and what was done."""
    done: list[str] = []
    merges: dict[str, list[str]] = {}
    for _ in range(draw(st.integers(0, 4))):
        sheet = draw(st.sampled_from(sheets))
        rows = sheet.rows
        data = list(range(sheet.header + 1, len(rows)))
        kind = draw(st.sampled_from(["blank", "shuffle", "junk", "type", "nfd", "odd", "dup_header",
                                     "merge"] if spreadsheet else
                                    ["blank", "shuffle", "junk", "nfd", "odd", "dup_header"]))
        width = max(len(r) for r in rows)
        if kind in ("blank", "type", "nfd", "odd") and data:
            r = draw(st.sampled_from(data))
            c = draw(st.integers(0, width - 1))
            while len(rows[r]) <= c:
                rows[r].append(None)
            value = rows[r][c]
            if kind == "blank":
                rows[r][c] = None
            elif kind == "type":
                rows[r][c] = draw(st.sampled_from(WRONG_TYPES))
            elif kind == "nfd" and isinstance(value, str):
                rows[r][c] = unicodedata.normalize("NFD", value)
            elif kind == "odd":
                rows[r][c] = draw(st.sampled_from(ODD_TEXT))
        elif kind == "shuffle" and len(data) > 1:
            body = rows[sheet.header + 1:]
            rows[sheet.header + 1:] = draw(st.permutations(body))
        elif kind == "junk":
            at = draw(st.integers(0, len(rows)))
            rows.insert(at, list(draw(st.sampled_from(JUNK_ROWS))))
            if at <= sheet.header:
                sheet.header += 1
        elif kind == "dup_header":
            header = rows[sheet.header]
            a, b = draw(st.integers(0, len(header) - 1)), draw(st.integers(0, len(header) - 1))
            header[b] = header[a]
        elif kind == "merge" and data:
            r = draw(st.sampled_from(data))
            c = draw(st.integers(0, width - 1))
            letter = chr(65 + c)
            merges.setdefault(sheet.name, []).append(f"{letter}{r + 1}:{letter}{r + 2}")
        done.append(kind)
    return sheets, merges, done


def render(layout: str, sheets: list[Sheet], merges: dict[str, list[str]]) -> tuple[bytes, str]:
    if layout == "csv":
        def text(value: object) -> str:
            value = "" if value is None else str(value)
            return f'"{value}"' if re.search(r'[;"\n]', value) else value

        body = "\n".join(";".join(text(v) for v in row) for row in sheets[0].rows)
        return body.encode("utf-8"), "mal.csv"
    merged = {n: _valid_merges(ranges) for n, ranges in merges.items()}
    return workbook_bytes({s.name: s.rows for s in sheets}, merges=merged), "mal.xlsx"


def _valid_merges(ranges: list[str]) -> list[str]:
    """openpyxl refuses overlapping merges; keep the first of any that overlap."""
    kept, used = [], set()
    for cell_range in ranges:
        first, last = cell_range.split(":")
        cells = {first, last}
        if not cells & used:
            kept.append(cell_range)
            used |= cells
    return kept


# ------------------------------------------------------------------ the invariants --------

SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|är|inte|som|att|för|den|det|kan|rad|bladet|målet)\b", re.I)


def check_document(doc) -> None:
    """Every reference points at something that exists; parents never loop; findings
    are Swedish and say where; the load table agrees with the document."""
    units = set(doc.units["unit_id"].to_list())
    goals = set(doc.goals["goal_id"].to_list())
    indicators = set(doc.indicators["indicator_id"].to_list())
    assert len(goals) == doc.goals.height, "goal ids are unique"
    assert len(units) == doc.units.height, "unit ids are unique"
    assert set(doc.goal_owners["goal_id"].to_list()) <= goals
    assert set(doc.goal_owners["unit_id"].to_list()) <= units
    assert set(doc.goal_indicators["goal_id"].to_list()) <= goals
    assert set(doc.goal_indicators["indicator_id"].to_list()) <= indicators
    assert set(doc.assignment_recipients["unit_id"].to_list()) <= units
    assert_tree(dict(doc.goals.select("goal_id", "parent_goal_id").iter_rows()))
    assert_tree(dict(doc.units.select("unit_id", "parent_id").iter_rows()))
    for finding in doc.findings:
        assert finding.severity in ("error", "warning", "info")
        assert finding.message and SWEDISH.search(finding.message), finding
        if finding.row is not None or finding.column is not None:
            assert finding.sheet is not None, finding
    load = unit_load(doc)
    assert load.height == doc.units.height
    totals = document_totals(doc, load)
    assert totals["goals"] == doc.goals.height
    assert totals["indicators"] == doc.indicators.height
    assert load.filter(pl.col("own_goals") < 0).height == 0


def assert_tree(parent: dict[str, str | None]) -> None:
    for start in parent:
        seen, node = set(), start
        while node is not None:
            assert node in parent, f"parent {node!r} does not exist"
            assert node not in seen, f"cycle through {node!r}"
            seen.add(node)
            node = parent[node]


def read_and_check(data: bytes, name: str):
    try:
        doc = read_workbook(data, name)
    except InputError as error:
        assert error.message and SWEDISH.search(error.message), error.message
        return None
    check_document(doc)
    return doc


LAYOUTS = ["template", "hierarchy", "levels", "csv"]


@st.composite
def workbooks(draw, layout: str):
    councils = draw(municipalities())
    if layout == "template":
        sheets = template_layout(councils)
    elif layout == "hierarchy":
        sheets = hierarchy_layout(councils, blank_repeats=draw(st.booleans()))
    elif layout == "levels":
        sheets = levels_layout(councils)
    else:
        sheets = csv_layout(councils)
    sheets, merges, done = draw(damaged(sheets, spreadsheet=layout != "csv"))
    return councils, sheets, merges, done


def _property(layout: str):
    @SETTINGS
    @given(case=workbooks(layout))
    def check(case):
        councils, sheets, merges, damage = case
        data, name = render(layout, sheets, merges)
        doc = read_and_check(data, name)
        if not damage:
            assert doc is not None, "an undamaged workbook must be read"
            goals, indicators = expected_counts(layout, councils)
            assert doc.goals.height == goals
            assert doc.indicators.height == indicators
            assert [f for f in doc.findings if f.severity == "error"] == []

    check.__name__ = f"test_{layout}_layout_with_random_damage"
    return check


test_template_layout_with_random_damage = _property("template")
test_hierarchy_layout_with_random_damage = _property("hierarchy")
test_levels_layout_with_random_damage = _property("levels")
test_csv_layout_with_random_damage = _property("csv")


@SETTINGS
@given(st.binary(min_size=0, max_size=2048), st.sampled_from([".xlsx", ".xls", ".ods", ".csv"]))
def test_arbitrary_bytes(data, suffix):
    """Any bytes under any accepted name: a document or an InputError, nothing else."""
    read_and_check(data, f"fil{suffix}")


# Built once: openpyxl stamps the time into the file, and the strategy must not vary.
ZIP_BASE = workbook_bytes({"Mål": [["Mål", "Ansvarig"], ["Fler i arbete", "Socialnämnden"]]})


@SETTINGS
@given(st.data())
def test_damaged_zip_bytes(data):
    """A real workbook with bytes flipped or cut: a document or an InputError."""
    blob = bytearray(ZIP_BASE)
    for _ in range(data.draw(st.integers(1, 8))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(blob) // 2, len(blob)))
    read_and_check(bytes(blob[:cut]), "mal.xlsx")


def test_the_strategies_cover_every_layout():
    """Guard against a strategy that silently stops producing a layout's headers."""
    councils = [Council("Trygg kommun KF-mål 1", "Trygghet",
                        [Goal("Fler i arbete mål 2", ["Socialnämnden"], [("Andel 3", "År", "5")])])]
    for layout, sheets in [("template", template_layout(councils)),
                           ("hierarchy", hierarchy_layout(councils, True)),
                           ("levels", levels_layout(councils)), ("csv", csv_layout(councils))]:
        data, name = render(layout, sheets, {})
        doc = read_workbook(data, name)
        assert (doc.goals.height, doc.indicators.height) == expected_counts(layout, councils)
        assert doc.info.layout == {"template": "template", "hierarchy": "hierarchy_columns",
                                   "levels": "levels_in_rows", "csv": "goal_list"}[layout]
