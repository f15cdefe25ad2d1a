"""The CLI as a user runs it: a real subprocess, exit codes, stdout/stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, REPO, workbook_bytes


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "goalload", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_analyze_json_on_the_flat_example():
    result = run("analyze", str(FLAT_EXAMPLE))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    units = {u["unit"]: u for u in data["units"]}
    assert units["Socialnämnden"]["own_goals"] == 6
    assert data["totals"]["goals"] == 15 and data["totals"]["indicators"] == 11
    assert [f for f in data["findings"] if f["severity"] == "error"] == []


def test_analyze_table_and_sheet_option():
    result = run("analyze", str(LEVELS_EXAMPLE), "--sheet", "Styrkort", "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "Solhagens skola" in result.stdout and "Egna mål" in result.stdout


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"%PDF-1.7", "dokument.pdf", "inte ett kalkylblad"),
        (b"", "tom.xlsx", "tom"),
        (b"PK\x03\x04broken zip", "trasig.xlsx", "skadad"),
        (None, "tom_arbetsbok.xlsx", "tom"),
        ("nogoal", "utan_mal.xlsx", "Ingen kolumn med mål"),
    ],
)
def test_rejected_input_exits_2_with_swedish_message_and_no_traceback(tmp_path, content, name, expected):
    path = tmp_path / name
    if content is None:
        content = workbook_bytes({"Blad1": []})
    elif content == "nogoal":
        content = workbook_bytes({"Blad1": [["Namn", "Telefon"], ["Anna", "1"]]})
    path.write_bytes(content)
    result = run("analyze", str(path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_file_and_unknown_sheet(tmp_path):
    result = run("analyze", str(tmp_path / "finns_inte.xlsx"))
    assert result.returncode == 2 and "finns inte" in result.stderr
    result = run("analyze", str(FLAT_EXAMPLE), "--sheet", "Saknas")
    assert result.returncode == 2 and "Bladet 'Saknas' finns inte" in result.stderr


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_writes_excel_in_the_chosen_language(tmp_path, lang):
    import openpyxl

    from goalload.i18n import t

    out = tmp_path / f"rapport_{lang}.xlsx"
    result = run("report", str(FLAT_EXAMPLE), "--out", str(out), "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"written": str(out), "lang": lang}
    sheets = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert t("rep.sheet.load", lang) in sheets and t("rep.sheet.definitions", lang) in sheets
    other = "sv" if lang == "en" else "en"
    assert t("rep.sheet.load", other) not in sheets
