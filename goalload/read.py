"""Read a municipal goal document (xlsx, xlsm, xls, ods, csv) into a GoalDocument.

Two families of layout are read without the user editing the file:
- the product's own template (sheets Enheter, Mål, Indikatorer, Uppdrag, with ids), and
- real exports and hand-kept documents: a title above the header, goals as hierarchy
  columns (Målområde > KF-mål > Nämndmål) with cells merged or left blank over their
  indicator rows, or one goal per row with a level, an owner and a parent reference,
  several indicators or owners in one cell, "Samtliga nämnder".

Everything the reader could not use becomes a Finding with sheet, row and column, so
nothing is dropped silently. A file that cannot be read at all raises InputError.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import polars as pl

from goalload import units as unit_names
from goalload.cells import (
    INDICATOR_LIST_SEPARATORS,
    NAME_LIST_SEPARATORS,
    frequency_expr,
    kolada_id_expr,
    name_key_expr,
    report_back_expr,
    source_kind_expr,
    split_list,
    target_value_expr,
)
from goalload.columns import GOAL_LEVEL_FIELDS, GOAL_LEVEL_WORDS
from goalload.errors import InputError
from goalload.findings import Finding
from goalload.limits import check_file_limits, check_sheet_limits
from goalload.model import FREQUENCIES, GoalDocument, ReadInfo, new_document
from goalload.sheets import Table, clean_cells, is_instruction_sheet, load_sheets, to_table

MAX_FINDINGS = 500
SEP = "\u241f"  # joins the parts of a composite key; never typed by people


@dataclass
class _Parts:
    """What the sheets of one workbook contributed, before units are resolved."""

    goals: list[pl.DataFrame] = field(default_factory=list)  # + owner_refs list column
    indicators: list[pl.DataFrame] = field(default_factory=list)  # + key, goal_refs
    links: list[pl.DataFrame] = field(default_factory=list)  # goal_id, indicator key, target
    assignments: list[pl.DataFrame] = field(default_factory=list)  # + recipient_refs
    units: list[pl.DataFrame] = field(default_factory=list)
    owner_levels: list[pl.DataFrame] = field(default_factory=list)  # ref, level word
    document: dict[str, str] = field(default_factory=dict)
    implicit_council: bool = False
    implicit_board: bool = False


def read_path(path: str | Path, **options) -> GoalDocument:
    """Read a file from disk (the CLI and tests; the app passes bytes)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"Filen '{path}' finns inte. Kontrollera sökvägen.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"'{path}' är en mapp, inte en fil. Ange arbetsboken.") from exc
    except OSError as exc:
        raise InputError(f"Filen '{path}' går inte att öppna (behörighet eller låst fil).") from exc
    return read_workbook(data, path.name, **options)


def read_workbook(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    mapping: dict[str, dict[str, str]] | None = None,
) -> GoalDocument:
    """Read a goal document from the bytes of a file.

    `sheet` restricts goal reading to one sheet (others still give units and
    assignments); `mapping` ({sheet: {header: field}}) overrides column detection.
    """
    check_file_limits(data, file_name)
    raw_sheets = load_sheets(data, file_name)
    findings: list[Finding] = []
    if sheet is not None and sheet not in [s.name for s in raw_sheets]:
        names = ", ".join(f"'{s.name}'" for s in raw_sheets)
        raise InputError(f"Bladet '{sheet}' finns inte i filen. Bladen heter {names}.")
    tables: list[Table] = []
    for raw in raw_sheets:
        check_sheet_limits(raw)
        cells = clean_cells(raw, findings)
        table = to_table(raw, cells, findings, (mapping or {}).get(raw.name))
        if table is None:
            if cells.height and raw.visible and not is_instruction_sheet(raw.name):
                findings.append(
                    Finding("info", raw.name, None, None,
                            f"Bladet '{raw.name}' lästes inte: ingen kolumn med mål, "
                            "indikatorer, uppdrag eller organisation känns igen.")
                )
            continue
        if sheet is not None and table.role == "goals" and table.sheet != sheet:
            continue
        if not raw.visible:
            findings.append(
                Finding("warning", raw.name, None, None,
                        f"Bladet '{raw.name}' är dolt i Excel men lästes ändå. "
                        "Ta bort det eller visa det om innehållet inte ska räknas.")
            )
        tables.append(table)
    goal_tables = [t for t in tables if t.role == "goals"]
    if not goal_tables:
        _raise_no_goals(raw_sheets, tables, file_name)
    parts = _Parts()
    multi = len(goal_tables) > 1
    for table in tables:
        prefix = f"{table.sheet}!" if multi and table.role == "goals" else ""
        if table.role == "goals":
            _read_goal_table(table, prefix, parts, findings)
        elif table.role == "indicators":
            _read_indicator_table(table, parts, findings)
        elif table.role == "assignments":
            _read_assignment_table(table, parts, findings)
        elif table.role == "units":
            parts.units.append(_read_unit_table(table))
        elif table.role == "document":
            parts.document.update(_read_document_table(table))
    if not any(frame.height for frame in parts.goals):
        sheets_ = ", ".join(f"'{t.sheet}' (rubrikrad {t.header_row})" for t in goal_tables)
        skipped = sum("är ingen målformulering" in f.message for f in findings)
        why = (f" ({skipped} celler i målkolumnen innehöll tal, datum eller summor i stället "
               "för mål)" if skipped else "")
        raise InputError(
            f"Bladet {sheets_} har rubriker men inga rader med mål{why}. Skriv målen i "
            "raderna under rubrikraden och ladda upp filen igen.",
            sheet=goal_tables[0].sheet,
            row=goal_tables[0].header_row,
        )
    doc = _assemble(parts, findings, file_name, raw_sheets, tables)
    return doc


def _raise_no_goals(raw_sheets, tables, file_name: str) -> None:
    if all(s.cells.height == 0 for s in raw_sheets):
        raise InputError(
            f"Arbetsboken '{file_name}' är tom: inget blad innehåller några celler. "
            "Fyll i målen (gärna i mallen från appen) och försök igen."
        )
    seen = "; ".join(
        f"'{s.name}'" for s in raw_sheets if s.cells.height
    )
    raise InputError(
        f"Ingen kolumn med mål hittades i '{file_name}' (bladen {seen}). Ge kolumnen med "
        "målen en rubrik som 'Mål', 'Nämndmål', 'KF-mål' eller 'Verksamhetsmål' i en rad "
        "överst i tabellen, eller använd mallen från appen.",
        sheet=raw_sheets[0].name if raw_sheets else None,
    )


# ---------------------------------------------------------------- goals ---------------

def _norm(col: str) -> pl.Expr:
    return name_key_expr(pl.col(col)).fill_null("")


def _cell_id(table: Table, field_name: str, prefix: str = "") -> pl.Expr:
    """A stable id for a row's cell in a column: 'C5', or 'Blad!C5' across sheets."""
    letter = table.letters.get(field_name, "?")
    return pl.concat_str([pl.lit(f"{prefix}{letter}"), pl.col("_row").cast(pl.String)])


# Cells in a goal column that are not goals: sums and page footers from printed exports,
# and bare numbers, dates or booleans (a column shifted, or a value typed in the wrong cell).
NOT_A_GOAL = (
    r"(?i)^(summa|totalt|total|sum|delsumma|sida \d+( av \d+)?|page \d+( of \d+)?)$"
    r"|^-?\d[\d\s.,:%\-]*$|^(?i:true|false|sant|falskt)$"
)


def _drop_non_goals(table: Table, goal_fields: list[str], findings: list[Finding]) -> Table:
    """Blank out goal cells that hold no goal text, each with a finding naming the cell."""
    data = table.data
    for field_name in goal_fields:
        bad = data.filter(pl.col(field_name).str.contains(NOT_A_GOAL))
        header = table.headers.get(field_name, field_name)
        for row, value in bad.select("_row", field_name).head(100).iter_rows():
            findings.append(Finding(
                "warning", table.sheet, row, header,
                f"'{_short(value, 40)}' är ingen målformulering (en summa, ett sidhuvud, ett tal "
                "eller ett datum) och lästes inte som mål. Ta bort raden eller skriv målet i cellen."))
        if bad.height:
            data = data.with_columns(
                pl.when(pl.col(field_name).str.contains(NOT_A_GOAL)).then(None)
                .otherwise(pl.col(field_name)).alias(field_name))
    return dataclasses.replace(table, data=data)


def _read_goal_table(table: Table, prefix: str, parts: _Parts, findings: list[Finding]) -> None:
    levels = [f for f in ("goal_area", *GOAL_LEVEL_FIELDS, "goal") if f in table.data.columns]
    goal_levels = [f for f in levels if f != "goal_area"]
    table = _drop_non_goals(table, goal_levels, findings)
    if goal_levels == ["goal"] or not goal_levels:
        rows = _goal_per_row(table, prefix, parts, findings)
    else:
        rows = _goal_hierarchy(table, levels, goal_levels, prefix, parts, findings)
    _read_inline_indicators(table, rows, parts, findings)


def _fill_hierarchy(data: pl.DataFrame, levels: list[str]) -> pl.DataFrame:
    """Merged or blank goal cells belong to the goal above, within the same parent.

    A blank cell takes the value above it unless a higher column changed on that row
    (a new målområde starts with a blank KF-mål means: no KF-mål there)."""
    for k, level in enumerate(levels):
        if k == 0:
            data = data.with_columns(pl.col(level).forward_fill().alias(f"_f_{level}"))
            continue
        changed = pl.any_horizontal(
            pl.col(f"_f_{up}").ne_missing(pl.col(f"_f_{up}").shift(1)) for up in levels[:k]
        ).fill_null(True)
        data = data.with_columns(changed.cum_sum().alias("_grp")).with_columns(
            pl.col(level).forward_fill().over("_grp").alias(f"_f_{level}")
        )
    return data.drop("_grp", strict=False)


def _goal_hierarchy(table, levels, goal_levels, prefix, parts, findings) -> pl.DataFrame:
    """Hierarchy columns (Målområde > KF-mål > Nämndmål): one goal per distinct cell run."""
    data = _fill_hierarchy(table.data, levels)
    has_owner = "owner" in data.columns
    deepest_present = goal_levels[-1]
    # The goal a row's indicator belongs to: the deepest goal filled on that row.
    data = data.with_columns(
        pl.coalesce([pl.when(pl.col(f"_f_{lv}").is_not_null()).then(pl.lit(lv))
                     for lv in reversed(goal_levels)]).alias("_row_level")
    )
    changed_any = pl.any_horizontal(
        pl.col(f"_f_{lv}").ne_missing(pl.col(f"_f_{lv}").shift(1)) for lv in goal_levels
    ).fill_null(True)
    if has_owner:
        data = data.with_columns(changed_any.cum_sum().alias("_ogrp")).with_columns(
            pl.col("owner").forward_fill().over("_ogrp").alias("_f_owner")
        )
    else:
        data = data.with_columns(pl.lit(None, dtype=pl.String).alias("_f_owner"))
    area = pl.col("_f_goal_area") if "goal_area" in levels else pl.lit(None, dtype=pl.String)
    instances = []
    for k, level in enumerate(goal_levels):
        above = goal_levels[:k]
        key_parts = [pl.lit(level)]
        if "goal_area" in levels:
            key_parts.append(_norm("_f_goal_area"))
        key_parts += [_norm(f"_f_{up}") for up in above] + [_norm(f"_f_{level}")]
        owned_by_row = level not in ("council_goal", "board_goal") and (
            level == deepest_present
        )
        if owned_by_row:
            key_parts.append(_norm("_f_owner"))
        parent_key = (
            pl.lit(None, dtype=pl.String) if not above else
            pl.concat_str(
                [pl.lit(above[-1])]
                + ([_norm("_f_goal_area")] if "goal_area" in levels else [])
                + [_norm(f"_f_{up}") for up in above],
                separator=SEP,
            )
        )
        instances.append(
            data.filter(pl.col(f"_f_{level}").is_not_null()).select(
                pl.concat_str(key_parts, separator=SEP).alias("_key"),
                pl.lit(level).alias("_level"),
                pl.col(f"_f_{level}").alias("text"),
                area.alias("area"),
                parent_key.alias("_parent_key"),
                pl.col("_f_owner").alias("_owner"),
                pl.col("_row"),
                (pl.col("_row_level") == level).alias("_is_row_goal"),
                _cell_id(table, level, prefix).alias("_cell"),
            )
        )
    long = pl.concat(instances)
    goals = (
        long.group_by("_key", maintain_order=True)
        .agg(
            pl.col("_level").first(),
            pl.col("text").first(),
            pl.col("area").first(),
            pl.col("_parent_key").first(),
            pl.col("_owner").drop_nulls().first(),
            pl.col("_row").min(),
            pl.col("_cell").first(),
        )
        .with_columns(pl.col("_cell").alias("goal_id"))
    )
    # Parent keys were built without owners; goal keys of intermediate levels too.
    key_to_id = goals.select(
        pl.col("_key").alias("_parent_key"), pl.col("goal_id").alias("parent_goal_id")
    )
    goals = goals.join(key_to_id, on="_parent_key", how="left")
    council = goals["_level"] == "council_goal"
    board = goals["_level"] == "board_goal"
    if council.any():
        parts.implicit_council = True
    if board.any():
        parts.implicit_board = True
    goals = goals.with_columns(
        pl.when(pl.col("_level") == "council_goal").then(pl.lit(["@council"]))
        .when(pl.col("_level") == "board_goal").then(pl.lit(["@board"]))
        .otherwise(split_list(pl.col("_owner"), NAME_LIST_SEPARATORS))
        .alias("owner_refs"),
        pl.col("_level").replace_strict(GOAL_LEVEL_WORDS, default="Mål").alias("goal_level"),
        pl.lit(table.sheet).alias("sheet"),
    )
    _warn_unowned(goals, table, findings)
    parts.goals.append(
        goals.select("goal_id", "text", "parent_goal_id", "goal_level", "area", "sheet",
                     "_row", "owner_refs").rename({"_row": "row"})
    )
    # Rows -> the goal their indicator belongs to (the deepest goal on the row).
    row_keys = []
    for k, level in enumerate(goal_levels):
        key_parts = [pl.lit(level)]
        if "goal_area" in levels:
            key_parts.append(_norm("_f_goal_area"))
        key_parts += [_norm(f"_f_{up}") for up in goal_levels[:k]] + [_norm(f"_f_{level}")]
        if level not in ("council_goal", "board_goal") and level == deepest_present:
            key_parts.append(_norm("_f_owner"))
        row_keys.append(pl.when(pl.col("_row_level") == level).then(
            pl.concat_str(key_parts, separator=SEP)))
    return data.with_columns(pl.coalesce(row_keys).alias("_key")).join(
        goals.select("_key", pl.col("goal_id").alias("_goal")), on="_key", how="left"
    )


def _warn_unowned(goals: pl.DataFrame, table: Table, findings: list[Finding]) -> None:
    """`goals` has columns _row, text and owner_refs."""
    header = table.headers.get("owner", "Ansvarig")
    unowned = goals.filter(pl.col("owner_refs").list.len().fill_null(0) == 0)
    for row, text in unowned.select("_row", "text").iter_rows():
        findings.append(
            Finding("warning", table.sheet, row, header,
                    f"Målet '{_short(text)}' har ingen ansvarig. Skriv nämnd, förvaltning "
                    f"eller enhet i kolumnen '{header}'. Målet räknas i totalen men inte "
                    "för någon enhet.")
        )


def _short(text: str | None, width: int = 60) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _goal_per_row(table: Table, prefix: str, parts: _Parts, findings) -> pl.DataFrame:
    """One goal per row (levels layout and the template), with ids and parent refs."""
    data = table.data
    for optional in ("goal_id", "parent_goal_id", "owner", "level", "goal_level", "goal_area"):
        if optional not in data.columns:
            data = data.with_columns(pl.lit(None, dtype=pl.String).alias(optional))
    # Indicator rows under a merged or blank goal cell belong to the goal above.
    data = data.with_columns(pl.col("goal").is_not_null().cum_sum().alias("_grp"))
    level_of_row = name_key_expr(pl.col("level")).replace_strict(
        unit_names.LEVEL_WORDS, default=None, return_dtype=pl.String)
    starts = data.filter(pl.col("goal").is_not_null()).with_columns(
        pl.coalesce(pl.col("goal_id"), _cell_id(table, "goal", prefix)).alias("_id"),
        pl.concat_str([_norm("goal_id"), _norm("goal"), _norm("owner"), _norm("parent_goal_id")],
                      separator=SEP).alias("_key"),
        level_of_row.alias("_unit_level"),
    )
    # The same goal written again on the next rows (one per indicator) is one goal.
    if starts["_key"].n_unique() == starts.height:  # each goal once: nothing to group
        firsts = starts.select("_key", pl.exclude("_key"))
    else:
        firsts = starts.group_by("_key", maintain_order=True).agg(pl.all().first())
    goals = _dedupe_ids(firsts, table, findings)
    goals = goals.with_columns(
        pl.when(pl.col("owner").is_not_null())
        .then(split_list(pl.col("owner"), NAME_LIST_SEPARATORS))
        .when(pl.col("_unit_level").is_in(["council", "board"]))
        .then(pl.concat_list(pl.concat_str([pl.lit("@"), pl.col("_unit_level")])))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("owner_refs"),
    )
    implicit = goals.filter(pl.col("owner").is_null())["_unit_level"].to_list()
    parts.implicit_council |= "council" in implicit
    parts.implicit_board |= "board" in implicit
    _warn_unowned(goals.rename({"goal": "text"}), table, findings)
    parts.owner_levels.append(
        goals.filter(pl.col("owner").is_not_null() & pl.col("level").is_not_null())
        .select(pl.col("owner").alias("ref"), pl.col("level").alias("level_word"))
    )
    parts.goals.append(
        goals.select(
            pl.col("_id").alias("goal_id"),
            pl.col("goal").alias("text"),
            pl.col("parent_goal_id"),
            pl.coalesce(pl.col("goal_level"), pl.col("level")).alias("goal_level"),
            pl.col("goal_area").alias("area"),
            pl.lit(table.sheet).alias("sheet"),
            pl.col("_row").alias("row"),
            pl.col("owner_refs"),
        )
    )
    group_key = starts.select("_grp", "_key")
    return data.join(group_key, on="_grp", how="left").join(
        goals.select("_key", pl.col("_id").alias("_goal")), on="_key", how="left")


def _dedupe_ids(goals: pl.DataFrame, table: Table, findings: list[Finding]) -> pl.DataFrame:
    """Two different goals with one id: keep both, rename the later, report it."""
    if not goals["_id"].is_duplicated().any():
        return goals
    counts = goals.with_columns(pl.col("_id").cum_count().over("_id").alias("_n"))
    dupes = counts.filter(pl.col("_n") > 1)
    header = table.headers.get("goal_id", "ID")
    for goal_id, row in dupes.select("_id", "_row").iter_rows():
        findings.append(
            Finding("error", table.sheet, row, header,
                    f"Mål-ID '{goal_id}' används för flera olika mål. Ge varje mål ett eget "
                    f"ID. Målet på rad {row} läses som '{goal_id} (rad {row})' tills vidare.")
        )
    return counts.with_columns(
        pl.when(pl.col("_n") > 1)
        .then(pl.concat_str([pl.col("_id"), pl.lit(" (rad "), pl.col("_row").cast(pl.String), pl.lit(")")]))
        .otherwise(pl.col("_id")).alias("_id")
    ).drop("_n")


# ------------------------------------------------------------ indicators --------------

def _indicator_columns(data: pl.DataFrame) -> pl.DataFrame:
    for optional in ("frequency", "source", "kolada_id", "target", "owner", "indicator_id"):
        if optional not in data.columns:
            data = data.with_columns(pl.lit(None, dtype=pl.String).alias(optional))
    return data


def _read_inline_indicators(table: Table, rows: pl.DataFrame, parts: _Parts, findings) -> None:
    """Indicators written on the goal sheet, one or several per cell."""
    if "indicator" not in rows.columns:
        return
    # On a goal sheet the owner column names the goal's owner, not the indicator's.
    rows = _indicator_columns(rows.filter(pl.col("indicator").is_not_null()).drop("owner", strict=False))
    if rows.height == 0:
        return
    exploded = (
        rows.with_columns(split_list(pl.col("indicator"), INDICATOR_LIST_SEPARATORS).alias("_names"))
        .explode("_names")
        .filter(pl.col("_names").is_not_null())
        .with_columns(pl.col("_names").alias("name"))
    )
    exploded = exploded.with_columns(
        _cell_id(table, "indicator", "I-").alias("_cell"),
        pl.int_range(pl.len()).over("_row").alias("_nth"),
    ).with_columns(
        pl.when(pl.col("_nth") > 0)
        .then(pl.concat_str([pl.col("_cell"), pl.lit("#"), (pl.col("_nth") + 1).cast(pl.String)]))
        .otherwise(pl.col("_cell")).alias("_cell")
    )
    _collect_indicators(table, exploded, parts, findings, goal_col="_goal", key_by="name")


def _read_indicator_table(table: Table, parts: _Parts, findings) -> None:
    """The template's Indikatorer sheet: one indicator per row with the goals it measures."""
    data = _indicator_columns(table.data.filter(pl.col("indicator").is_not_null()))
    if "goal_ref" not in data.columns:
        data = data.with_columns(pl.lit(None, dtype=pl.String).alias("goal_ref"))
    data = data.with_columns(
        pl.col("indicator").alias("name"),
        pl.coalesce(pl.col("indicator_id"), _cell_id(table, "indicator", "I-")).alias("_cell"),
        split_list(pl.col("goal_ref"), NAME_LIST_SEPARATORS).alias("_refs"),
    )
    exploded = data.explode("_refs").rename({"_refs": "_goal"})
    _collect_indicators(table, exploded, parts, findings, goal_col="_goal", key_by="id")


def _collect_indicators(table, rows: pl.DataFrame, parts: _Parts, findings, *, goal_col, key_by):
    """Distinct indicators (by id, or by normalised name) and their goal links."""
    rows = rows.with_columns(
        frequency_expr(pl.col("frequency")).alias("_freq"),
        kolada_id_expr(pl.col("kolada_id"), pl.col("source"), pl.col("name")).alias("_kolada"),
        (pl.col("_cell") if key_by == "id" else name_key_expr(pl.col("name"))).alias("_ikey"),
    )
    unknown = rows.filter(pl.col("frequency").is_not_null() & pl.col("_freq").is_null()).unique("_row", maintain_order=True)
    header = table.headers.get("frequency", "Frekvens")
    for row, word in unknown.select("_row", "frequency").head(200).iter_rows():
        findings.append(
            Finding("warning", table.sheet, row, header,
                    f"Frekvensen '{word}' känns inte igen. Skriv Månad, Kvartal, Tertial, "
                    "Halvår eller År. Indikatorn räknas som en gång per år tills vidare.")
        )
    occasions = pl.col("_freq").replace_strict(FREQUENCIES, default=None, return_dtype=pl.Int64)
    rows = rows.with_columns(occasions.alias("_occ"))
    if key_by == "id" and rows["_ikey"].n_unique() == rows["_row"].n_unique():
        # One id per row, each on its own row (the template; rows are exploded only by
        # the goals they measure): the group_by below would take that row's values.
        firsts = rows.filter(pl.col("_row").ne_missing(pl.col("_row").shift(1)))  # explode
        indicators = firsts.select(  # keeps a row's copies together
            "_ikey",
            pl.col("_cell").alias("indicator_id"),
            "name",
            pl.col("_kolada").alias("kolada_id"),
            pl.col("_freq").alias("frequency"),
            pl.col("_occ").alias("occasions_per_year"),
            pl.col("_freq").is_not_null().cast(pl.UInt32).alias("_n_freq"),
            "source",
            pl.col("owner").alias("_owner"),
            pl.col("_row").alias("row"),
        )
    else:
        indicators = rows.group_by("_ikey", maintain_order=True).agg(
            pl.col("_cell").first().alias("indicator_id"),
            pl.col("name").first(),
            pl.col("_kolada").drop_nulls().first().alias("kolada_id"),
            pl.col("_freq").sort_by(pl.col("_occ"), descending=True, nulls_last=True).first().alias("frequency"),
            pl.col("_occ").max().alias("occasions_per_year"),
            pl.col("_freq").drop_nulls().n_unique().alias("_n_freq"),
            pl.col("source").drop_nulls().first(),
            pl.col("owner").drop_nulls().first().alias("_owner"),
            pl.col("_row").min().alias("row"),
        )
    indicators = (
        indicators.with_columns(
            pl.col("occasions_per_year").fill_null(1),
            source_kind_expr(pl.col("source"), pl.col("kolada_id")).alias("source_kind"),
            pl.lit(table.sheet).alias("sheet"),
        )
    )
    for name, row in indicators.filter(pl.col("_n_freq") > 1).select("name", "row").iter_rows():
        findings.append(
            Finding("info", table.sheet, row, header,
                    f"Indikatorn '{_short(name)}' har olika frekvens på olika rader; "
                    "den tätaste räknas.")
        )
    parts.indicators.append(indicators.drop("_n_freq"))
    links = rows.filter(pl.col(goal_col).is_not_null()).select(
        pl.col(goal_col).alias("goal_id"),
        pl.col("_ikey"),
        pl.col("target").alias("target_text"),
        target_value_expr(pl.col("target")).alias("target_value"),
        pl.lit(table.sheet).alias("sheet"),
        pl.col("_row").alias("row"),
    )
    parts.links.append(links)


# ------------------------------------------------------------ assignments -------------

def _read_assignment_table(table: Table, parts: _Parts, findings) -> None:
    data = table.data.filter(pl.col("assignment").is_not_null())
    for optional in ("assignment_id", "recipient", "issuer", "report_back"):
        if optional not in data.columns:
            data = data.with_columns(pl.lit(None, dtype=pl.String).alias(optional))
    header = table.headers.get("recipient", "Mottagare")
    for row, text in data.filter(pl.col("recipient").is_null()).select("_row", "assignment").iter_rows():
        findings.append(
            Finding("warning", table.sheet, row, header,
                    f"Uppdraget '{_short(text)}' har ingen mottagare. Skriv nämnden eller "
                    f"'Samtliga nämnder' i kolumnen '{header}'.")
        )
    assignments = data.select(
        pl.coalesce(pl.col("assignment_id"), pl.concat_str(
            [pl.lit("Uppdrag rad "), pl.col("_row").cast(pl.String)])).alias("assignment_id"),
        pl.col("assignment").alias("text"),
        pl.col("issuer").alias("_issuer"),
        pl.col("report_back"),
        report_back_expr(pl.col("report_back")).alias("report_backs_per_year"),
        pl.lit(table.sheet).alias("sheet"),
        pl.col("_row").alias("row"),
        split_list(pl.col("recipient"), NAME_LIST_SEPARATORS).fill_null(
            pl.lit([], dtype=pl.List(pl.String))).alias("recipient_refs"),
    )
    counts = assignments.with_columns(pl.col("assignment_id").cum_count().over("assignment_id").alias("_n"))
    for aid, row in counts.filter(pl.col("_n") > 1).select("assignment_id", "row").iter_rows():
        findings.append(
            Finding("error", table.sheet, row, table.headers.get("assignment_id", "Nr"),
                    f"Uppdrags-ID '{aid}' används för flera uppdrag. Ge varje uppdrag ett eget "
                    f"nummer; uppdraget på rad {row} läses som '{aid} (rad {row})'.")
        )
    assignments = counts.with_columns(
        pl.when(pl.col("_n") > 1).then(pl.concat_str(
            [pl.col("assignment_id"), pl.lit(" (rad "), pl.col("row").cast(pl.String), pl.lit(")")]))
        .otherwise(pl.col("assignment_id")).alias("assignment_id")
    ).drop("_n")
    parts.assignments.append(assignments)


# ------------------------------------------------------------ units, document --------

def _read_unit_table(table: Table) -> pl.DataFrame:
    data = table.data.filter(pl.col("unit").is_not_null())
    for optional in ("unit_id", "parent_unit", "level"):
        if optional not in data.columns:
            data = data.with_columns(pl.lit(None, dtype=pl.String).alias(optional))
    return data.select(
        pl.coalesce(pl.col("unit_id"), pl.col("unit")).alias("unit_id"),
        pl.col("unit").alias("name"),
        pl.col("parent_unit").alias("_parent_ref"),
        pl.col("level").alias("_level_word"),
        pl.lit(table.sheet).alias("sheet"),
        pl.col("_row").alias("row"),
    )


def _read_document_table(table: Table) -> dict[str, str]:
    if "doc_key" not in table.data.columns or "doc_value" not in table.data.columns:
        return {}
    result = {}
    for k, v in table.data.select("doc_key", "doc_value").iter_rows():
        if k and v:
            result[unit_names.key(k)] = v
    return result


# ------------------------------------------------------------ assembly ---------------

def _assemble(parts: _Parts, findings, file_name, raw_sheets, tables) -> GoalDocument:
    units, resolve = _build_units(parts, findings)
    goals = pl.concat(parts.goals, how="diagonal_relaxed")
    goal_owners, goals = _resolve_goal_owners(goals, units, resolve, findings)
    goals = _check_goal_parents(goals, findings)
    indicators, goal_indicators = _finish_indicators(parts, goals, units, resolve, findings)
    assignments, recipients = _finish_assignments(parts, units, resolve, findings)
    name, year, population = _document_identity(parts, tables, raw_sheets, file_name)
    info = ReadInfo(
        file_name=file_name,
        layout=_layout_name(tables),
        sheets=tuple(s.name for s in raw_sheets),
        sheets_used=tuple(t.sheet for t in tables),
        header_rows={t.sheet: t.header_row for t in tables},
        rows_read={t.sheet: t.data.height for t in tables},
        mapping={t.sheet: dict(t.mapping) for t in tables},
        confidence=min((t.confidence for t in tables if t.role == "goals"), default=0.0),
    )
    if info.confidence < 0.6:
        findings.append(
            Finding("info", None, None, None,
                    f"Kolumnerna känns bara delvis igen (säkerhet {round(info.confidence * 100)} %). "
                    "Kontrollera kolumnmappningen på sidan Data och rätta den vid behov.")
        )
    return new_document(
        name,
        year=year,
        population=population,
        units=units.select("unit_id", "name", "parent_id", "level", "sheet", "row"),
        goals=goals,
        goal_owners=goal_owners,
        indicators=indicators,
        goal_indicators=goal_indicators,
        assignments=assignments,
        assignment_recipients=recipients,
        findings=tuple(_cap(findings)),
        info=info,
    )


def _layout_name(tables: list[Table]) -> str:
    roles = {t.role for t in tables}
    goal_fields = set().union(*(t.headers for t in tables if t.role == "goals"))
    if "indicators" in roles and "units" in roles:
        return "template"
    if goal_fields & set(GOAL_LEVEL_FIELDS):
        return "hierarchy_columns"
    if "parent_goal_id" in goal_fields or "level" in goal_fields:
        return "levels_in_rows"
    return "goal_list"


def _cap(findings: list[Finding]) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS:
        return findings
    order = {"error": 0, "warning": 1, "info": 2}
    kept = sorted(findings, key=lambda f: order[f.severity])[:MAX_FINDINGS]
    kept.append(Finding("warning", None, None, None,
                        f"{len(findings) - MAX_FINDINGS} ytterligare anmärkningar visas inte. "
                        "Rätta de som visas och läs in filen igen."))
    return kept


def _build_units(parts: _Parts, findings):
    """Units from the organisation sheet plus every unit a goal or assignment names."""
    listed = (
        pl.concat(parts.units, how="vertical_relaxed") if parts.units
        else pl.DataFrame(schema={"unit_id": pl.String, "name": pl.String, "_parent_ref": pl.String,
                                  "_level_word": pl.String, "sheet": pl.String, "row": pl.Int64})
    )
    listed = listed.unique("unit_id", keep="first", maintain_order=True)
    by_id: dict[str, str] = {}
    by_key: dict[str, str] = {}
    records: list[dict] = []
    for uid, name, parent_ref, level_word, sheet, row in listed.iter_rows():
        records.append({"unit_id": uid, "name": name, "_parent_ref": parent_ref,
                        "level": unit_names.level_from_word(level_word)
                        or unit_names.level_from_name(name), "sheet": sheet, "row": row})
        by_id[uid] = uid
        by_key.setdefault(unit_names.key(name), uid)
        by_key.setdefault(unit_names.key(uid), uid)
    level_words = {}
    for frame in parts.owner_levels:
        # Each (owner, level) pair once: the first of each is what setdefault keeps.
        for ref, word in frame.unique(maintain_order=True).iter_rows():
            for one in re.split(NAME_LIST_SEPARATORS, ref):
                level_words.setdefault(unit_names.key(one), unit_names.level_from_word(word))

    def add(name: str, level: str | None = None, *, first: bool = False) -> str:
        record = {"unit_id": name, "name": name, "_parent_ref": None,
                  "level": level or level_words.get(unit_names.key(name))
                  or unit_names.level_from_name(name), "sheet": None, "row": None,
                  "_implicit": True}
        records.insert(0 if first else len(records), record)
        by_id[name] = name
        by_key[unit_names.key(name)] = name
        return name

    def lookup(ref: str) -> str | None:
        return by_id.get(ref) or by_key.get(unit_names.key(ref))

    # Every name referenced anywhere becomes a unit (the order they appear in).
    named = [frame["owner_refs"].explode() for frame in parts.goals]
    named += [frame["_owner"] for frame in parts.indicators]
    for frame in parts.assignments:
        named += [frame["recipient_refs"].explode(), frame["_issuer"]]
    # Each distinct name once, in first-seen order: a unit named on 100,000 rows is one
    # lookup (after the first, lookup() finds the unit anyway).
    referenced = pl.concat([s.rename("ref").cast(pl.String) for s in named]) if named else None
    referenced = [] if referenced is None else referenced.filter(
        referenced.is_not_null() & (referenced != "")).unique(maintain_order=True).to_list()
    council = next((r["unit_id"] for r in records if r["level"] == "council"), None)
    board = next((r["unit_id"] for r in records if r["level"] == "board"), None)
    for ref in referenced:
        if ref.startswith("@") or unit_names.is_all_committees(ref) or lookup(ref):
            continue
        if listed.height:
            findings.append(Finding(
                "warning", None, None, None,
                f"Enheten '{ref}' nämns men finns inte i organisationsbladet. Den lades till "
                "utan överordnad enhet; lägg till den i organisationen om den ska räknas rätt."))
        add(ref)
    council = next((r["unit_id"] for r in records if r["level"] == "council"), None)
    board = next((r["unit_id"] for r in records if r["level"] == "board"), None)
    region = any("region" in unit_names.key(r["name"]) for r in records)
    if parts.implicit_board and board is None:
        board = add("Regionstyrelsen" if region else "Kommunstyrelsen", "board", first=True)
    if parts.implicit_council and council is None:
        council = add("Regionfullmäktige" if region else "Kommunfullmäktige", "council", first=True)
    # Parents: as listed, else guessed from the name for units the document only names.
    by_level: dict[str, list[str]] = {}
    for r in records:
        by_level.setdefault(r["level"], []).append(r["unit_id"])
    for r in records:
        ref = r.get("_parent_ref")
        if ref:
            parent = lookup(ref)
            if parent is None:
                findings.append(Finding(
                    "error", r["sheet"], r["row"], "Tillhör",
                    f"Överordnad enhet '{ref}' för '{r['name']}' finns inte. Skriv namnet "
                    "(eller ID) på en enhet som finns på bladet, eller lämna cellen tom."))
            r["parent_id"] = parent
        elif r.get("_implicit") or not listed.height:
            r["parent_id"] = unit_names.guess_parent(r["unit_id"], r["level"], by_level)
        else:
            r["parent_id"] = None
    _break_unit_cycles(records, findings)
    units = pl.DataFrame(
        {k: [r.get(k) for r in records]
         for k in ("unit_id", "name", "parent_id", "level", "sheet", "row")},
        schema={"unit_id": pl.String, "name": pl.String, "parent_id": pl.String,
                "level": pl.String, "sheet": pl.String, "row": pl.Int64},
    )
    committees = [r["unit_id"] for r in records if r["level"] in ("committee", "board")]
    special = {"@council": [council] if council else [], "@board": [board] if board else []}

    resolved: dict[str, list[str]] = {}  # goal owners, indicator owners and recipients repeat

    def resolve(ref: str) -> list[str]:
        if ref in resolved:
            return resolved[ref]
        if ref in special:
            result = special[ref]
        elif unit_names.is_all_committees(ref):
            result = committees
        else:
            found = lookup(ref)
            result = [found] if found else []
        resolved[ref] = result
        return result

    return units, resolve


def _break_unit_cycles(records: list[dict], findings) -> None:
    parent = {r["unit_id"]: r.get("parent_id") for r in records}
    by_id = {r["unit_id"]: r for r in records}
    ends: set[str] = set()  # units whose chain of parents reaches the top
    for start in parent:
        seen, node = set(), start
        while node is not None and node not in seen and node not in ends:
            seen.add(node)
            node = parent.get(node)
        if node is None or node in ends:
            ends |= seen
        elif node == start:
            r = by_id[start]
            findings.append(Finding(
                "error", r["sheet"], r["row"], "Tillhör",
                f"Enheten '{r['name']}' ligger under sig själv via 'Tillhör' (en cirkel). "
                "Rätta den överordnade enheten; kopplingen bröts tills vidare."))
            r["parent_id"] = None
            parent[start] = None


def _resolve_goal_owners(goals: pl.DataFrame, units, resolve, findings):
    exploded = goals.select("goal_id", "owner_refs", "sheet", "row").explode("owner_refs").filter(
        pl.col("owner_refs").is_not_null())
    refs = exploded["owner_refs"].unique().to_list()
    mapping = {ref: resolve(ref) for ref in refs}
    owners = exploded.join(_ref_units(mapping, "owner_refs"), on="owner_refs", maintain_order="left_right")
    for ref in refs:
        if not mapping[ref] and unit_names.is_all_committees(ref):
            findings.append(Finding("warning", None, None, None,
                                    f"'{ref}' kunde inte tolkas: dokumentet nämner inga nämnder."))
    owners = owners.select("goal_id", "unit_id").unique(maintain_order=True)
    return owners, goals.drop("owner_refs")


def _ref_units(mapping: dict[str, list[str]], ref_col: str) -> pl.DataFrame:
    """[ref_col, unit_id]: each reference with the units it resolved to, in that order.

    Joined rather than replace_strict to a list column, which is slow on large frames;
    a reference that resolved to nothing has no row, so its rows drop out of the join.
    """
    pairs = [(ref, unit) for ref, units in mapping.items() for unit in units]
    return pl.DataFrame(pairs, schema={ref_col: pl.String, "unit_id": pl.String}, orient="row")


def _endless_chains(goals: pl.DataFrame) -> set[str]:
    """Goals whose chain of parents never ends: on a cycle or leading into one.

    Pointer doubling: after k rounds each row links a goal to its ancestor 2**k steps up;
    a chain longer than the number of goals must loop. Usually the frame empties at once.
    """
    up = goals.select("goal_id", up="parent_goal_id").filter(pl.col("up").is_not_null())
    up = up.unique("goal_id", keep="last")  # as dict() keeps the last parent of an id
    reach, span = up, 1
    while reach.height and span <= up.height:
        reach = reach.join(reach.rename({"goal_id": "up", "up": "up2"}), on="up").select(
            "goal_id", up="up2")
        span *= 2
    return set(reach["goal_id"].to_list())


def _endless_walks(parent: dict[str, str]) -> set[str]:
    """_endless_chains for a few thousand goals, walking goal -> parent (ids without a
    parent left out): each goal is visited once, cheaper than polars' joins at this size."""
    endless: set[str] = set()
    ends: set[str] = set()
    for start in parent:
        path: list[str] = []
        seen: set[str] = set()
        node = start
        while node is not None and node in parent and node not in ends:
            if node in endless or node in seen:
                endless.update(path)
                break
            path.append(node)
            seen.add(node)
            node = parent[node]
        else:
            ends.update(path)
    return endless


def _check_goal_parents(goals: pl.DataFrame, findings) -> pl.DataFrame:
    """Parent references must exist and must not loop."""
    missing = goals.filter(
        pl.col("parent_goal_id").is_not_null()
        & ~pl.col("parent_goal_id").is_in(goals["goal_id"].implode())
    )
    by_text: dict[str, str] = {}
    if missing.height:  # parents written as goal text: key every goal's text only then
        for gid, text in goals.select("goal_id", "text").iter_rows():
            by_text.setdefault(unit_names.key(text), gid)
    fixed = {}
    for gid, parent, sheet, row in missing.select("goal_id", "parent_goal_id", "sheet", "row").iter_rows():
        via_text = by_text.get(unit_names.key(parent))
        if via_text:
            fixed[gid] = via_text
            continue
        fixed[gid] = None
        findings.append(Finding(
            "error", sheet, row, "Kopplat till",
            f"Målet '{gid}' pekar på överordnat mål '{parent}', som inte finns. Skriv ID:t "
            "på ett mål som finns i dokumentet, eller lämna cellen tom."))
    if fixed:
        goals = goals.with_columns(
            pl.when(pl.col("goal_id").is_in(list(fixed)))
            .then(pl.col("goal_id").replace_strict(fixed, default=None, return_dtype=pl.String))
            .otherwise(pl.col("parent_goal_id")).alias("parent_goal_id"))
    ids, ups = goals["goal_id"].to_list(), goals["parent_goal_id"].to_list()
    parent = dict(zip(ids, ups, strict=True))
    broken = []
    state: dict[str, int] = {}
    # Only chains that never end can hold a cycle; their walks never leave the set.
    if len(parent) <= 5000:
        # As _endless_chains: the last parent given for an id, ids without one left out.
        endless = _endless_walks({g: p for g, p in zip(ids, ups, strict=True) if p is not None})
    else:
        endless = _endless_chains(goals)
    for start in (g for g in parent if g in endless):
        path, node = [], start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1 and node in path:
            broken.append(node)
        for p in path:
            state[p] = 2
    if broken:
        rows = goals.filter(pl.col("goal_id").is_in(broken)).select("goal_id", "sheet", "row")
        where = {gid: (sheet, row) for gid, sheet, row in rows.iter_rows()}
    for gid in broken:
        sheet, row = where[gid]
        findings.append(Finding(
            "error", sheet, row, "Kopplat till",
            f"Målet '{gid}' ligger via sina överordnade mål under sig själv (en cirkel). Rätta "
            "kolumnen för överordnat mål; kopplingen bröts tills vidare."))
    if broken:
        goals = goals.with_columns(
            pl.when(pl.col("goal_id").is_in(broken)).then(None)
            .otherwise(pl.col("parent_goal_id")).alias("parent_goal_id"))
    return goals


def _finish_indicators(parts: _Parts, goals, units, resolve, findings):
    if not parts.indicators:
        return None, None
    indicators = pl.concat(parts.indicators, how="diagonal_relaxed")
    # The same indicator on two goal sheets is one indicator (each sheet's own rows
    # are already one per key: _collect_indicators groups by it).
    if len(parts.indicators) > 1:
        indicators = indicators.unique("_ikey", keep="first", maintain_order=True)
    owner_map = {r: (resolve(r) or [None])[0] for r in indicators["_owner"].drop_nulls().unique().to_list()}
    indicators = indicators.with_columns(
        pl.col("_owner").replace_strict(owner_map, default=None, return_dtype=pl.String).alias("owner_id")
    )
    links = pl.concat(parts.links, how="diagonal_relaxed") if parts.links else None
    if links is None or links.height == 0:
        return indicators, None
    if indicators["_ikey"].equals(indicators["indicator_id"]):
        # Indicators keyed by their id (the template): the join below would copy the key.
        links = links.with_columns(pl.col("_ikey").alias("indicator_id"))
    else:
        links = links.join(indicators.select("_ikey", "indicator_id"), on="_ikey", how="left")
    known = pl.col("goal_id").is_in(goals["goal_id"].implode())
    unknown = links.filter(~known)
    for goal_ref, sheet, row in unknown.select("goal_id", "sheet", "row").head(200).iter_rows():
        findings.append(Finding(
            "error", sheet, row, "Mål-ID",
            f"Indikatorn på rad {row} pekar på mål '{goal_ref}', som inte finns på målbladet. "
            "Rätta Mål-ID så att det matchar ett mål."))
    links = links.filter(known)
    if links.select(pl.struct("goal_id", "indicator_id").is_duplicated().any()).item():
        links = links.unique(["goal_id", "indicator_id"], keep="first", maintain_order=True)
    return indicators, links


def _finish_assignments(parts: _Parts, units, resolve, findings):
    if not parts.assignments:
        return None, None
    assignments = pl.concat(parts.assignments, how="diagonal_relaxed")
    issuers = {r: (resolve(r) or [None])[0] for r in assignments["_issuer"].drop_nulls().unique().to_list()}
    assignments = assignments.with_columns(
        pl.col("_issuer").replace_strict(issuers, default=None, return_dtype=pl.String).alias("issuer_id"))
    exploded = assignments.select("assignment_id", "recipient_refs").explode("recipient_refs").filter(
        pl.col("recipient_refs").is_not_null())
    refs = exploded["recipient_refs"].unique().to_list()
    mapping = {ref: resolve(ref) for ref in refs}
    recipients = exploded.join(
        _ref_units(mapping, "recipient_refs"), on="recipient_refs", maintain_order="left_right"
    ).select("assignment_id", "unit_id").unique(maintain_order=True)
    return assignments, recipients


def _document_identity(parts: _Parts, tables, raw_sheets, file_name):
    doc = parts.document
    name = doc.get("namn") or doc.get("kommun") or doc.get("region") or doc.get("name")
    year_text = doc.get("år") or doc.get("year")
    population_text = doc.get("invånare") or doc.get("folkmängd") or doc.get("population")
    title = next((t.title for t in tables if t.title), None)
    if not name and title:
        name = re.split(r"\s+[–—-]\s+|:", title)[0].strip()
    if not name:
        name = PurePath(file_name).stem.replace("_", " ")
    year = None
    for text in [year_text, title, *[s.name for s in raw_sheets], file_name]:
        match = re.search(r"\b(19[5-9]\d|20\d\d)\b", text or "")
        if match:
            year = int(match.group(1))
            break
    population = None
    if population_text:
        digits = re.sub(r"[^\d]", "", population_text.split(".")[0])
        population = int(digits) if digits else None
    return name, year, population
