"""Many goal documents at once: one row per municipality or region.

A researcher with every municipality's documents, or a region comparing its
municipalities, wants each one's load side by side, not 290 runs of the app. Every
document is read and analysed (metrics, overlap, recommendations) in a pool of worker
processes, one per core, each with one polars thread (polars' default thread per core in
every worker makes the workers fight over the cores). A document that cannot be read
gets its Swedish message in its row; the others are not held up by it.

    python -m goalload survey MAPP [--workers 2] [--out kommuner.xlsx]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from goalload.i18n import label
from goalload.metrics import TOTALS
from goalload.sheets import SPREADSHEET_SUFFIXES

# What each row says, in order: the document, its totals (goalload.metrics), its overlap
# and what is left with every recommendation accepted.
COUNT_COLUMNS = (
    *TOTALS,
    "goals_with_overlap",
    "recommendations",
    "goals_after",
    "reporting_occasions_after",
)
COLUMNS = (
    "file",
    "name",
    "year",
    "population",
    *COUNT_COLUMNS,
    "overlap_share",
    "steering_signals_per_1000",
    "error",
)
HEADERS_SV = {
    **{k: label("metric", k, "sv") for k in TOTALS},
    "file": "Fil",
    "name": "Dokument",
    "year": "År",
    "population": "Invånare",
    "goals_with_overlap": "Mål med överlapp",
    "recommendations": "Förslag",
    "goals_after": "Mål efter alla förslag",
    "reporting_occasions_after": "Rapporteringstillfällen efter alla förslag",
    "overlap_share": "Andel mål med överlapp",
    "steering_signals_per_1000": "Styrsignaler per 1 000 invånare",
    "error": "Fel",
}
TABLE_COLUMNS = ("name", "year", "goals", "indicators", "reporting_occasions_per_year",
                 "overlap_share", "recommendations", "goals_after", "error")


def documents_in(paths: Iterable[str | Path]) -> list[Path]:
    """The workbooks named, folders opened one level deep, in name order; anything else
    that is not a workbook is left out (a folder's README, a lock file)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
        else:
            found.append(path)
    return found


def survey_document(path: str | Path) -> dict[str, Any]:
    """One document's row: what it carries, how much of it overlaps, and what is left
    with every recommendation accepted. A rejected file gives its message instead."""
    from goalload.errors import InputError
    from goalload.metrics import document_totals, unit_load
    from goalload.overlap import find_overlap
    from goalload.overlap_views import figures
    from goalload.read import read_path
    from goalload.recommend import recommend_with_after
    from goalload.reduce_views import actionable

    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row["file"] = Path(path).name
    try:
        doc = read_path(path)
    except InputError as error:
        row["error"] = error.message
        return row
    totals = document_totals(doc, unit_load(doc))
    found = find_overlap(doc) if doc.goals.height else None
    shown = figures(doc, found) if found is not None else {"goals_with_overlap": 0}
    recs, applied = recommend_with_after(doc, overlap=found)
    after = document_totals(applied)
    row.update(
        name=doc.name,
        year=doc.year,
        population=doc.population,
        **{k: totals[k] for k in TOTALS},
        goals_with_overlap=shown["goals_with_overlap"],
        recommendations=len(actionable(recs)),
        goals_after=after["goals"],
        reporting_occasions_after=after["reporting_occasions_per_year"],
        overlap_share=round(shown["goals_with_overlap"] / totals["goals"], 4)
        if totals["goals"]
        else 0.0,
        steering_signals_per_1000=round(totals["steering_signals"] * 1000 / doc.population, 2)
        if doc.population
        else None,
    )
    return row


@contextlib.contextmanager
def _one_polars_thread_per_worker() -> Iterator[None]:
    """Workers are started with POLARS_MAX_THREADS=1 (read when polars is imported)."""
    before = os.environ.get("POLARS_MAX_THREADS")
    os.environ["POLARS_MAX_THREADS"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["POLARS_MAX_THREADS"]
        else:
            os.environ["POLARS_MAX_THREADS"] = before


def survey(paths: Sequence[str | Path], workers: int | None = None) -> list[dict[str, Any]]:
    """survey_document for every path, in the given order; `workers` processes (one per
    core by default; 1 runs here, without a pool)."""
    paths = [str(p) for p in paths]
    workers = min(workers or os.cpu_count() or 1, max(len(paths), 1))
    if workers <= 1:
        return [survey_document(p) for p in paths]
    # spawn: a fresh interpreter per worker, not a fork of one with polars' threads running
    context = multiprocessing.get_context("spawn")
    with _one_polars_thread_per_worker(), ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(survey_document, paths, chunksize=4))


def survey_json(paths: Sequence[str | Path], workers: int | None = None) -> dict[str, Any]:
    """The CLI's JSON: a row per document and the totals over those that could be read."""
    files = documents_in(paths)
    rows = survey(files, workers)
    read = [r for r in rows if r["error"] is None]
    sums = {k: sum(r[k] or 0 for r in read) for k in COUNT_COLUMNS}
    return {
        "documents": rows,
        "totals": {"documents": len(rows), "read": len(read), "failed": len(rows) - len(read),
                   **sums},
    }


def render_table(result: dict[str, Any]) -> str:
    from goalload.tables import text_table

    rows = [{**r, "year": "" if r["year"] is None else str(r["year"])} for r in result["documents"]]
    table = text_table(rows, [(c, HEADERS_SV[c]) for c in TABLE_COLUMNS])
    totals = result["totals"]
    return (
        f"{table}\n\n{totals['read']} av {totals['documents']} dokument lästes"
        + (f", {totals['failed']} kunde inte läsas (se kolumnen Fel)." if totals["failed"] else ".")
    )


def write_table(result: dict[str, Any], out: Path) -> None:
    """The rows as an Excel sheet (.xlsx) or a CSV with ";" for Swedish Excel (.csv)."""
    import polars as pl

    frame = pl.DataFrame(result["documents"], schema=_schema()).rename(HEADERS_SV)
    if out.suffix.lower() == ".csv":
        out.write_bytes(b"\xef\xbb\xbf" + frame.write_csv(separator=";").encode())
        return
    from goalload.export_xlsx import new_workbook, table_sheet, workbook_bytes
    from goalload.report import INT, LONG_TEXT, PERCENT, TEXT, Column, ReportTable

    kinds = {**dict.fromkeys(COUNT_COLUMNS, INT), "population": INT,
             "overlap_share": PERCENT, "error": LONG_TEXT}
    columns = tuple(Column(HEADERS_SV[c], HEADERS_SV[c], kinds.get(c, TEXT)) for c in COLUMNS)
    wb = new_workbook()
    table_sheet(wb, ReportTable("survey", "Kommuner", "", columns, frame))
    out.write_bytes(workbook_bytes(wb))


def _schema() -> dict:
    import polars as pl

    floats = ("overlap_share", "steering_signals_per_1000")
    text = ("file", "name", "error")
    return {
        c: pl.String if c in text else pl.Float64 if c in floats else pl.Int64 for c in COLUMNS
    }
