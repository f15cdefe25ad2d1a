"""Many documents at once (goalload.survey and `python -m goalload survey`): one row per
document with the figures goalload computes for it alone, a rejected file named in its
row, the same rows from a pool of worker processes as from one."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import polars as pl
import pytest
from openpyxl import load_workbook

from goalload import metrics, survey
from goalload.read import read_path
from goalload.recommend import recommend_json
from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, REPO, SAMPLE


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Three documents, a broken workbook, and files a folder of documents also holds."""
    path = tmp_path_factory.mktemp("kommuner")
    for source in (SAMPLE, FLAT_EXAMPLE, LEVELS_EXAMPLE):
        shutil.copy(source, path / source.name)
    (path / "trasig.xlsx").write_bytes(b"PK\x03\x04 inte en arbetsbok")
    (path / "README.md").write_text("inte ett måldokument")
    (path / "~$exempelkommun.xlsx").write_bytes(b"Excel's lock file")
    return path


def test_a_folder_gives_its_workbooks_in_name_order(folder):
    names = [p.name for p in survey.documents_in([folder])]
    assert names == sorted([SAMPLE.name, FLAT_EXAMPLE.name, LEVELS_EXAMPLE.name, "trasig.xlsx"])


def test_a_row_has_the_figures_of_the_document_alone():
    row = survey.survey_document(SAMPLE)
    doc = read_path(SAMPLE)
    totals = metrics.document_totals(doc)
    alone = recommend_json(doc)
    assert row["file"] == SAMPLE.name and row["name"] == doc.name and row["year"] == doc.year
    assert {k: row[k] for k in totals if k in row} == {k: totals[k] for k in totals if k in row}
    assert row["goals_after"] == alone["totals_after_all"]["goals"] < row["goals"]
    assert (
        row["reporting_occasions_after"]
        == alone["totals_after_all"]["reporting_occasions_per_year"]
    )
    changing = [r for r in alone["recommendations"] if r["covered_by"] is None
                and any(v for v in r["changes"].values())]
    assert row["recommendations"] == len(changing)
    assert 0 < row["goals_with_overlap"] < row["goals"]
    assert row["overlap_share"] == round(row["goals_with_overlap"] / row["goals"], 4)
    assert row["error"] is None


def test_a_rejected_file_is_named_in_its_row_and_the_others_are_read(folder):
    result = survey.survey_json([folder], workers=1)
    rows = {r["file"]: r for r in result["documents"]}
    assert "skadad" in rows["trasig.xlsx"]["error"] and rows["trasig.xlsx"]["goals"] is None
    assert rows[SAMPLE.name]["error"] is None
    assert result["totals"]["documents"] == 4
    assert (result["totals"]["read"], result["totals"]["failed"]) == (3, 1)
    assert result["totals"]["goals"] == sum(
        read_path(p).goals.height for p in (SAMPLE, FLAT_EXAMPLE, LEVELS_EXAMPLE)
    )


def test_worker_processes_give_the_same_rows_in_the_same_order(folder):
    files = survey.documents_in([folder])
    assert survey.survey(files, workers=2) == survey.survey(files, workers=1)


def test_the_table_as_excel_and_as_csv(folder, tmp_path):
    result = survey.survey_json([folder], workers=1)
    survey.write_table(result, tmp_path / "kommuner.xlsx")
    sheet = load_workbook(tmp_path / "kommuner.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(survey.HEADERS_SV[c] for c in survey.COLUMNS)
    assert [r[0] for r in rows[1:]] == [r["file"] for r in result["documents"]]
    survey.write_table(result, tmp_path / "kommuner.csv")
    data = (tmp_path / "kommuner.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with the mark
    frame = pl.read_csv(io.BytesIO(data[3:]), separator=";")
    assert frame["Mål"].to_list() == [r["goals"] for r in result["documents"]]


def test_the_cli_on_a_folder(folder):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "goalload", "survey", *args], cwd=REPO,
                              capture_output=True, text=True, timeout=300)

    table = run(str(folder), "--format", "table", "--workers", "2")
    assert table.returncode == 0, table.stderr
    assert "Exempelkommun" in table.stdout and "3 av 4 dokument lästes" in table.stdout
    as_json = json.loads(run(str(folder / SAMPLE.name)).stdout)
    assert as_json["documents"][0]["name"] == "Exempelkommun"
    empty = folder / "tom"
    empty.mkdir()
    nothing = run(str(empty))
    assert nothing.returncode == 2 and "Hittade inga arbetsböcker" in nothing.stderr
