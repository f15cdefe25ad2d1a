"""Broken and hostile files: each ends in a document or a clear Swedish InputError.

The corpus is tests/data/bad/ (small files, committed, written by make_corpus.py) plus
large ones built in memory (200,000 rows, 16,384 columns, zip bombs, a file above the
upload limit). All of them are read in one child process, one after the other, so a
crash (calamine aborting on a huge allocation), a hang or a memory blow-up shows up as
a failure here instead of taking pytest down: the child reports the file it starts,
then the outcome, the time and its peak memory for that file (VmHWM, reset per file).
A sample also goes through the CLI, which must exit 0 or 2 without a traceback.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.data.bad.make_corpus import large_files, small_files

BAD = REPO / "tests" / "data" / "bad"
PYTHON = sys.executable
SECONDS_PER_FILE = 45  # generous: two cores shared with other jobs; typical is < 1 s
CHILD_TIMEOUT = 600
PEAK_MB = 700  # a file's peak RSS; the child itself starts at ~120 MB

# What each file must end in: "ok" (read, with this many goals when given), or an
# InputError whose message matches the pattern. "any" = either, as long as it is clean.
LIMIT_ROWS = r"gränsen är 100 000 rader"
LIMIT_COLUMNS = r"gränsen är 200 kolumner"
BOMB = r"packas upp till mer än .* gånger sin egen storlek"
DAMAGED = r"är skadad"
NOT_A_SHEET = r"går inte att öppna som kalkylblad"
NO_GOALS = r"Ingen kolumn med mål"
EXPECTED: dict[str, tuple[str, object]] = {
    # not a workbook, or a damaged one
    "random_bytes.xlsx": ("error", NOT_A_SHEET),
    "random_bytes.ods": ("error", NOT_A_SHEET),
    "empty.xlsx": ("error", r"är tom"),
    "empty.csv": ("error", r"är tom"),
    "whitespace_only.csv": ("error", rf"tom|{NO_GOALS}"),
    "truncated.xlsx": ("error", DAMAGED),
    "truncated_head.xlsx": ("error", DAMAGED),
    "corrupted_deflate.xlsx": ("error", DAMAGED),
    "corrupted_central_directory.xlsx": ("error", DAMAGED),
    "zip_without_workbook.xlsx": ("error", r"zip-arkiv utan någon arbetsbok"),
    "empty_zip.xlsx": ("error", r"zip-arkiv utan någon arbetsbok"),
    "zipped_workbook.xlsx": ("error", r"Packa upp arkivet"),
    "zip_password_flag.xlsx": ("error", r"lösenordsskyddad"),
    "bzip2_member.xlsx": ("error", r"packad på ett sätt som Excel"),
    "encrypted.xlsx": ("error", r"lösenordsskyddad \(krypterad\)"),
    "fake_ole.xls": ("error", NOT_A_SHEET),
    "binary_workbook.xlsb": ("error", r"binär Excel-arbetsbok \(\.xlsb\)"),
    "binary_workbook_named.xlsx": ("error", r"binär Excel-arbetsbok \(\.xlsb\)"),
    "document.pdf": ("error", r"är en PDF"),
    "pdf_named.xlsx": ("error", r"är en PDF"),
    "html_named.xlsx": ("error", r"webbsida \(HTML\)"),
    "html_table_export.xls": ("error", r"webbsida \(HTML\)"),
    "spreadsheetml_2003.xls": ("error", r"XML-kalkylblad 2003"),
    "rtf_named.xls": ("error", r"\(RTF\)"),
    "word_document_named.xlsx": ("error", r"Word-dokument"),
    "text_document_named.ods": ("error", r"OpenDocument-dokument men inte ett kalkylblad"),
    "macros.xlsm": ("ok", 3),
    # CSV and text
    "cp1252_semicolon.csv": ("ok", 3),
    "utf8_bom_comma.csv": ("ok", 3),
    "utf16_tab.csv": ("ok", 3),
    "csv_named.xlsx": ("ok", 3),
    "csv_named.xls": ("ok", 3),
    "old_mac_newlines.csv": ("ok", 3),
    "binary_named.csv": ("error", r"inte en textfil \(CSV\)"),
    "nul_bytes.csv": ("error", r"inte en textfil \(CSV\)"),
    "only_header.csv": ("any", None),
    "one_column.csv": ("ok", 2),
    "unbalanced_quotes.csv": ("error", r"citattecken .* på rad 2, kolumn A som aldrig stängs"),
    "huge_field.csv": ("error", r"inte en giltig CSV-fil"),
    "long_cell_100k.csv": ("ok", 1),
    # workbooks with awkward content
    "empty_sheet.xlsx": ("error", r"är tom"),
    "only_headers.xlsx": ("any", None),
    "no_goal_column.xlsx": ("error", NO_GOALS),
    "title_only.xlsx": ("any", None),
    "instructions_only.xlsx": ("error", NO_GOALS),
    "formulas_and_errors.xlsx": ("ok", None),
    "dates_and_numbers.xlsx": ("ok", None),
    "duplicate_headers.xlsx": ("ok", 1),
    "goals_on_hidden_sheet.xlsx": ("ok", 3),
    "goals_on_very_hidden_sheet.xlsx": ("ok", 3),
    "duplicate_ids.xlsx": ("ok", 2),
    "goal_parent_cycle.xlsx": ("ok", 3),
    "goal_self_parent.xlsx": ("ok", 1),
    "unit_parent_cycle.xlsx": ("ok", 1),
    "missing_parents.xlsx": ("ok", 2),
    "levels_in_rows_cycle.xlsx": ("ok", 3),
    "emoji_and_rtl.xlsx": ("ok", 3),
    "html_and_script.xlsx": ("ok", 3),
    "nfd_text.xlsx": ("ok", 2),
    "merged_cells.xlsx": ("ok", 2),
    "long_cells_100k.xlsx": ("ok", 1),
    "control_characters.xlsx": ("ok", 1),
    "weird_sheet_names.xlsx": ("ok", 3),
    "unknown_frequency.xlsx": ("ok", 2),
    "no_owner.xlsx": ("ok", 2),
    "whitespace_cells.xlsx": ("ok", 1),
    "numbers_as_goals.xlsx": ("error", r"inga rader med mål.*tal, datum"),
    "all_committees_without_committees.xlsx": ("ok", 1),
    "junk_rows.xlsx": ("ok", None),
    # reaching for the limits, attacking the parser
    "far_cell.xlsx": ("error", LIMIT_ROWS),
    "far_column.xlsx": ("error", LIMIT_COLUMNS),
    "far_row.xlsx": ("error", LIMIT_ROWS),
    "far_row_without_refs.xlsx": ("error", LIMIT_ROWS),
    "styled_far_cells.xlsx": ("ok", 3),
    "cells_without_refs.xlsx": ("ok", 3),
    "namespace_prefix.xlsx": ("ok", 3),
    "billion_laughs.xlsx": ("any", None),
    "external_entity.xlsx": ("any", None),
    "shared_string_out_of_range.xlsx": ("any", None),
    "wrong_cell_types.xlsx": ("any", None),
    "bad_cell_refs.xlsx": ("any", None),
    "many_sheets.xlsx": ("error", r"har 250 blad; gränsen är 200"),
    "stored_not_compressed.xlsx": ("ok", 3),
    "ods_repeat_bomb.ods": ("error", LIMIT_ROWS),
    "ods_valid.ods": ("ok", 3),
    "ods_trailing_empty_repeats.ods": ("ok", 3),
    # large, built in memory
    "rows_200k.xlsx": ("error", LIMIT_ROWS),
    "rows_200k.csv": ("error", r"fler än 100 000 rader"),
    "columns_16384.xlsx": ("error", LIMIT_COLUMNS),
    "columns_16384.csv": ("error", r"200 kolumner"),
    "zip_bomb_1gb.xlsx": ("error", BOMB),
    "zip_bomb_lying_sizes.xlsx": ("error", BOMB),
    "zip_bomb_overlapping.xlsx": ("error", BOMB),
    "above_upload_limit.xlsx": ("error", r"gränsen är 50 MB"),
    "many_findings.xlsx": ("ok", 3000),
}

# Findings a file must carry (the problem is reported, not dropped).
EXPECTED_FINDINGS: dict[str, str] = {
    "formulas_and_errors.xlsx": r"felvärdet #REF!",
    "duplicate_headers.xlsx": r"Rubriken 'Mål' finns också i kolumn A",
    "goals_on_hidden_sheet.xlsx": r"är dolt i Excel",
    "goals_on_very_hidden_sheet.xlsx": r"är dolt i Excel",
    "duplicate_ids.xlsx": r"'M1' används för flera olika mål",
    "goal_parent_cycle.xlsx": r"under sig själv \(en cirkel\)",
    "goal_self_parent.xlsx": r"en cirkel",
    "unit_parent_cycle.xlsx": r"en cirkel",
    "levels_in_rows_cycle.xlsx": r"en cirkel",
    "missing_parents.xlsx": r"'M99', som inte finns",
    "unknown_frequency.xlsx": r"Frekvensen 'Ibland' känns inte igen",
    "no_owner.xlsx": r"har ingen ansvarig",
    "all_committees_without_committees.xlsx": r"inga nämnder",
    "junk_rows.xlsx": r"upprepar rubrikraden",
    "many_findings.xlsx": r"ytterligare anmärkningar visas inte",
}

# The child: reads every file, prints one JSON line when it starts a file and one with
# the outcome. The document is also run through metrics.unit_load/document_totals (what
# every page shows) and checked for dangling references.
CHILD = r"""
import json, sys, time, traceback
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import polars as pl
from goalload.errors import InputError
from goalload.read import read_workbook
from goalload.metrics import unit_load, document_totals
from tests.data.bad.make_corpus import large_files

def peak_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) // 1024
    return 0

def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass

def emit(**record):
    print(json.dumps(record, ensure_ascii=False), flush=True)

def dangling(doc):
    units = doc.units["unit_id"]
    goals = doc.goals["goal_id"]
    problems = []
    if doc.goal_owners.filter(~pl.col("unit_id").is_in(units.implode())).height:
        problems.append("goal_owners -> unit")
    if doc.goal_owners.filter(~pl.col("goal_id").is_in(goals.implode())).height:
        problems.append("goal_owners -> goal")
    if doc.goal_indicators.filter(~pl.col("goal_id").is_in(goals.implode())).height:
        problems.append("goal_indicators -> goal")
    parents = doc.goals["parent_goal_id"].drop_nulls()
    if parents.filter(~parents.is_in(goals.implode())).len():
        problems.append("goal parent")
    return problems

bad = Path(sys.argv[2])
files = [(p.name, p.read_bytes) for p in sorted(bad.iterdir()) if p.suffix != ".py"]
files += list(large_files().items())
for name, build in files:
    data = build()
    emit(event="start", file=name, size=len(data))
    reset_peak()
    started = time.monotonic()
    record = {"event": "done", "file": name}
    try:
        doc = read_workbook(data, name)
        load = unit_load(doc)
        totals = document_totals(doc, load)
        record.update(outcome="ok", goals=doc.goals.height, units=doc.units["name"].to_list()[:20],
                      goal_texts=[t[:200] for t in doc.goals["text"].to_list()[:20]],
                      totals=totals, dangling=dangling(doc),
                      findings=[f.as_dict() for f in doc.findings])
    except InputError as error:
        record.update(outcome="error", message=error.message, sheet=error.sheet)
    except BaseException:
        record.update(outcome="crash", message=traceback.format_exc()[-3000:])
    record.update(seconds=round(time.monotonic() - started, 2), peak_mb=peak_mb())
    del data
    emit(**record)
"""


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """Run the child over the whole corpus once; file name -> its outcome record."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "POLARS_MAX_THREADS": "2"}
    try:
        done = subprocess.run(
            [PYTHON, "-c", CHILD, str(REPO), str(BAD)],
            capture_output=True, text=True, timeout=CHILD_TIMEOUT, env=env, cwd=REPO,
        )
        stdout, failure = done.stdout, (None if done.returncode == 0 else done.returncode)
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else expired.stdout
        failure = "timeout"
    records: dict[str, dict] = {}
    last_started = None
    for line in (stdout or "").splitlines():
        record = json.loads(line)
        if record["event"] == "start":
            last_started = record["file"]
        else:
            records[record["file"]] = record
            last_started = None
    if failure is not None:
        pytest.fail(f"The reader child ended with {failure} while reading {last_started!r}")
    return records


def corpus_names() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if p.suffix != ".py")


def test_corpus_is_complete_and_small():
    """The issue asks for at least 60 files; the committed ones stay below 2 MB."""
    names = corpus_names() + list(large_files())
    assert len(names) >= 60
    assert set(names) == set(EXPECTED), "update EXPECTED with make_corpus.py"
    assert sorted(small_files()) == corpus_names(), "run tests/data/bad/make_corpus.py"
    assert sum(p.stat().st_size for p in BAD.iterdir()) < 2 * 1024 * 1024


SWEDISH = re.compile(r"\b(och|är|inte|filen|bladet|som|att|för|den|det|kan|gränsen)\b", re.I)
ACTION = re.compile(
    r"\b(spara|öppna|ta bort|välj|dela upp|ge kolumnen|kontrollera|byt|packa upp|för över|"
    r"rätta|skriv|fyll i|lägg till|använd|lämna)\b", re.I)
NOT_FOR_USERS = re.compile(r"Traceback|Exception|calamine|Error\(|errno|\bNone\b|object has")


def assert_clear_swedish(message: str, *, action: bool) -> None:
    assert SWEDISH.search(message), message
    assert not NOT_FOR_USERS.search(message), message
    if action:
        assert ACTION.search(message), f"the message does not say what to do: {message}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_file_ends_cleanly(results, name):
    record = results.get(name)
    assert record is not None, f"{name} was not read"
    assert record["outcome"] != "crash", record["message"]
    assert record["seconds"] < SECONDS_PER_FILE, record
    assert record["peak_mb"] < PEAK_MB, record
    kind, detail = EXPECTED[name]
    if kind == "error":
        assert record["outcome"] == "error", f"{name} was read: {record.get('goals')} goals"
        assert re.search(detail, record["message"]), record["message"]
    elif kind == "ok":
        assert record["outcome"] == "ok", record.get("message")
        if detail is not None:
            assert record["goals"] == detail
    if record["outcome"] == "error":
        assert_clear_swedish(record["message"], action=True)
        return
    assert record["dangling"] == []
    assert record["totals"]["goals"] == record["goals"]
    for finding in record["findings"]:
        assert finding["severity"] in ("error", "warning", "info")
        assert_clear_swedish(finding["message"], action=False)
    if name in EXPECTED_FINDINGS:
        assert any(re.search(EXPECTED_FINDINGS[name], f["message"]) for f in record["findings"]), (
            record["findings"])


def test_text_is_kept_as_written(results):
    """Script, emoji, right-to-left and NFD text arrive verbatim (NFC), never executed,
    expanded or dropped; escaping is the app's job when it draws."""
    script = results["html_and_script.xlsx"]["goal_texts"]
    assert "<script>alert('mål')</script>" in script
    emoji = results["emoji_and_rtl.xlsx"]["goal_texts"]
    assert "🎯 Fler i arbete 👩‍👩‍👧‍👦" in emoji and "تحسين الخدمات للمواطنين" in emoji
    assert results["nfd_text.xlsx"]["units"] == ["Socialnämnden"]  # NFD and NFC: one unit
    assert "Barn- och utbildningsnämnden" in results["cp1252_semicolon.csv"]["units"]
    assert "Socialnämnden" in results["utf16_tab.csv"]["units"]


def test_entities_are_not_expanded(results):
    """No XML entity reaches the document: no file contents (XXE), no exponential text."""
    for name in ("billion_laughs.xlsx", "external_entity.xlsx"):
        record = results[name]
        text = json.dumps(record, ensure_ascii=False)
        assert "root:" not in text
        assert "lollol" not in text


def test_limits_are_checked_before_parsing(results):
    """A 1 KB file with a value in XFD1048576 is refused in milliseconds, with the cell
    named: calamine would have asked for a grid of 17 billion cells."""
    record = results["far_cell.xlsx"]
    assert "XFD1048576" in record["message"]
    assert record["seconds"] < 5
    for name in ("zip_bomb_1gb.xlsx", "zip_bomb_overlapping.xlsx", "ods_repeat_bomb.ods"):
        assert results[name]["peak_mb"] < 400, results[name]


def test_findings_are_capped(results):
    record = results["many_findings.xlsx"]
    assert len(record["findings"]) <= 501


# ------------------------------------------------------------------ the CLI --------------

CLI_SAMPLE = {
    "encrypted.xlsx": 2,
    "far_cell.xlsx": 2,
    "corrupted_deflate.xlsx": 2,
    "document.pdf": 2,
    "html_table_export.xls": 2,
    "empty.csv": 2,
    "cp1252_semicolon.csv": 0,
    "html_and_script.xlsx": 0,
    "goal_parent_cycle.xlsx": 0,
    "emoji_and_rtl.xlsx": 0,
}


@pytest.mark.parametrize(("name", "exit_code"), sorted(CLI_SAMPLE.items()))
def test_cli_exits_0_or_2_without_traceback(name, exit_code):
    done = subprocess.run(
        [PYTHON, "-m", "goalload", "analyze", str(BAD / name)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert done.returncode == exit_code, done.stderr
    assert "Traceback" not in done.stderr
    if exit_code == 2:
        assert done.stderr.startswith("Fel: ")
        assert_clear_swedish(done.stderr, action=True)
        assert done.stdout == ""
    else:
        result = json.loads(done.stdout)
        assert set(result) >= {"units", "totals", "findings"}


def test_cli_refuses_a_zip_bomb_from_disk(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(large_files()["zip_bomb_overlapping.xlsx"]())
    done = subprocess.run(
        [PYTHON, "-m", "goalload", "analyze", str(path)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert done.returncode == 2 and re.search(BOMB, done.stderr), done.stderr


# ------------------------------------------------------------------ limits, directly -----

def test_time_budget(monkeypatch):
    """A read that runs past MAX_READ_SECONDS stops with a message saying so."""
    from goalload import limits
    from goalload.errors import LimitExceeded
    from goalload.read import read_workbook

    monkeypatch.setattr(limits, "MAX_READ_SECONDS", -1.0)
    with pytest.raises(LimitExceeded, match="tog mer än -1 sekunder") as caught:
        read_workbook((BAD / "macros.xlsm").read_bytes(), "macros.xlsm")
    assert_clear_swedish(caught.value.message, action=True)


def test_extent_of_cells_matches_the_layout():
    """inspect_zip measures from the first to the last cell with a value, per sheet."""
    from goalload import limits

    report = limits.inspect_zip((BAD / "styled_far_cells.xlsx").read_bytes(), "x.xlsx")
    extent = report.sheets["Mål"]
    assert (extent.min_row, extent.rows, extent.columns, extent.last_cell) == (1, 4, 5, "E4")
    report = limits.inspect_zip((BAD / "cells_without_refs.xlsx").read_bytes(), "x.xlsx")
    assert (report.sheets["Mål"].rows, report.sheets["Mål"].columns) == (4, 5)


# ------------------------------------------------------------------ safety ---------------

PAGE_FILES = sorted((REPO / "app_pages").glob("*.py")) + sorted((REPO / "pages").glob("*.py"))
APP_FILES = [REPO / "app.py", REPO / "app_state.py", *PAGE_FILES]


def test_the_safety_checks_see_the_pages():
    assert len(PAGE_FILES) >= 4, "the app's pages moved: point PAGE_FILES at them"


def test_streamlit_config_matches_the_limits():
    """The upload limit Streamlit enforces is the one goalload checks again; no usage
    statistics leave the machine; the server listens on this machine only."""
    import tomllib

    from goalload import limits

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == limits.MAX_FILE_BYTES
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"].get("address", "localhost") in ("localhost", "127.0.0.1")
    assert config["server"].get("enableXsrfProtection", True) is True
    assert config.get("client", {}).get("showErrorDetails") in ("none", False)


def test_no_html_from_the_app():
    """User text is drawn as text. unsafe_allow_html is allowed only for a constant
    written in the source (a style sheet), never for anything built at run time; st.html
    and components.html are not used at all."""
    import ast

    for path in APP_FILES:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bst\.html\(|components\.v1\.html\(", source), path
        tree = ast.parse(source)
        constants = {
            target.id for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for target in node.targets if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            unsafe = [k for k in node.keywords if k.arg == "unsafe_allow_html"]
            if not unsafe or (isinstance(unsafe[0].value, ast.Constant) and not unsafe[0].value.value):
                continue
            body = node.args[0] if node.args else None
            literal = isinstance(body, ast.Constant) or (
                isinstance(body, ast.Name) and body.id in constants)
            assert literal, f"{path.name}:{node.lineno} renders HTML built at run time"


def test_uploads_are_never_written_to_disk():
    """The app passes bytes to goalload; nothing in the app or the reader makes files."""
    reading = [REPO / "goalload" / n for n in ("read.py", "sheets.py", "limits.py", "cells.py",
                                              "columns.py", "units.py")]
    for path in APP_FILES + reading:
        source = path.read_text(encoding="utf-8")
        for pattern in (r"\btempfile\b", r"NamedTemporaryFile", r"mkstemp", r"\.write_bytes\(",
                        r"open\([^)]*['\"][wa]b?['\"]"):
            assert not re.search(pattern, source), f"{path.name}: {pattern}"


def test_app_caches_are_per_session_and_bounded():
    """Every st.cache_data / st.cache_resource has max_entries; a cache whose key
    includes uploaded bytes is scope='session', so one user's file never serves another."""
    import ast

    for path in APP_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                name = ast.unparse(decorator.func if isinstance(decorator, ast.Call) else decorator)
                if not name.endswith(("cache_data", "cache_resource")):
                    continue
                keywords = ({k.arg: ast.unparse(k.value) for k in decorator.keywords}
                            if isinstance(decorator, ast.Call) else {})
                assert "max_entries" in keywords, f"{path.name}:{node.name} is unbounded"
                takes_bytes = any(a.annotation is not None and ast.unparse(a.annotation) == "bytes"
                                  for a in node.args.args)
                if takes_bytes:
                    assert keywords.get("scope") == "'session'", f"{path.name}:{node.name}"


def test_exports_neutralise_formula_injection():
    """Goal texts like '=HYPERLINK(...)', '+cmd|...', '@SUM(...)' and '-2+3' from a hostile
    upload come out of the Excel report and the template writer as text, never formulas;
    the HTML report escapes '<script>'."""
    import openpyxl

    from goalload.export import html_report_bytes, xlsx_report_bytes
    from goalload.read import read_workbook
    from goalload.template import document_to_workbook_bytes

    doc = read_workbook((BAD / "html_and_script.xlsx").read_bytes(), "html_and_script.xlsx")
    hostile = [t for t in doc.goals["text"].to_list() + doc.units["name"].to_list()
               if t.startswith(("=", "+", "-", "@", "<"))]
    assert len(hostile) >= 3  # the corpus file really carries them
    for data in (xlsx_report_bytes(doc), document_to_workbook_bytes(doc)):
        book = openpyxl.load_workbook(io.BytesIO(data))
        formulas = [c.coordinate for ws in book for row in ws.iter_rows() for c in row
                    if c.data_type == "f"]
        assert formulas == []
        texts = {c.value for ws in book for row in ws.iter_rows() for c in row}
        assert "@SUM(1+1)" in texts or "+cmd|' /C calc'!A0" in texts
    html = html_report_bytes(doc).decode("utf-8")
    assert "<script>alert('mål')</script>" not in html
