"""From file bytes to sheets of text cells with their header row found.

Everything is read as text through calamine (fastexcel): spreadsheets people keep by
hand mix numbers, dates and words in one column, and the reader decides what a cell
means, not the file format. Row numbers are kept as Excel shows them, so findings point
at the right cell even when the table starts below a title.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import polars as pl

from goalload import columns
from goalload.cells import EXCEL_ERROR_PATTERN, clean_text_expr
from goalload.errors import InputError
from goalload.findings import Finding

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
HEADER_SCAN_ROWS = 30
TEXT_ONLY_ROLES = ("goals", "indicators", "assignments", "units", "document")


@dataclass(frozen=True)
class RawSheet:
    """A sheet's cells as text. Column `c{i}` is spreadsheet column `first_col + i`."""

    name: str
    cells: pl.DataFrame
    first_row: int  # the Excel row number of cells' first row
    first_col: int  # 0-based index of cells' first column (A = 0)
    visible: bool = True
    # (row index in cells, column index in cells, Excel error) for formula error values
    errors: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Table:
    """A sheet with its header found: data rows and what each column means."""

    sheet: str
    role: str  # goals | indicators | assignments | units | document
    data: pl.DataFrame  # one column per field (renamed), plus "_row" (Excel row)
    headers: dict[str, str]  # field -> header as written
    mapping: dict[str, str]  # header as written -> field (what a person may correct)
    header_row: int
    letters: dict[str, str]  # field -> column letter, for cell ids and findings
    title: str | None  # text above the header, e.g. "Exempelby kommun – Mål och budget 2025"
    confidence: float


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def suffix_of(file_name: str) -> str:
    return PurePath(file_name or "").suffix.lower()


def load_sheets(data: bytes, file_name: str) -> list[RawSheet]:
    """Every sheet of the file as text; InputError when it is not a readable spreadsheet."""
    suffix = suffix_of(file_name)
    if suffix not in SPREADSHEET_SUFFIXES:
        raise InputError(
            f"Filen '{file_name}' är inte ett kalkylblad som går att läsa "
            f"(filtypen '{suffix or 'saknas'}'). Spara den som .xlsx, .xlsm, .xls, .ods "
            "eller .csv och ladda upp den igen."
        )
    if not data:
        raise InputError(f"Filen '{file_name}' är tom. Välj filen med målen och försök igen.")
    if suffix == ".csv":
        return [_load_csv(data, file_name)]
    return _load_workbook(data, file_name, suffix)


def _load_workbook(data: bytes, file_name: str, suffix: str) -> list[RawSheet]:
    import fastexcel

    first_rows = _xlsx_first_rows(data) if suffix in (".xlsx", ".xlsm") else {}
    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
    except Exception as exc:  # calamine says little that helps a user; we say what to do
        raise InputError(
            f"Filen '{file_name}' går inte att öppna som kalkylblad: den är skadad, "
            "lösenordsskyddad eller inte en riktig Excel-fil. Öppna den i Excel eller "
            "LibreOffice, spara en ny kopia som .xlsx utan lösenord och försök igen."
        ) from exc
    sheets = []
    for index, name in enumerate(names):
        try:
            sheet = reader.load_sheet(index, header_row=None, dtypes="string")
            batch, cell_errors = sheet.to_arrow_with_errors()
            frame = pl.from_arrow(batch)
            errors = tuple(
                (e.position[0], e.position[1], _excel_error(e.detail))
                for e in (cell_errors.errors if cell_errors else [])
            )
            visible = str(sheet.visible) == "visible"
            first_col = min((c.absolute_index for c in sheet.available_columns()), default=0)
        except Exception as exc:
            raise InputError(
                f"Bladet '{name}' i '{file_name}' går inte att läsa. Spara filen på nytt "
                "som .xlsx och försök igen.",
                sheet=name,
            ) from exc
        frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
        sheets.append(
            RawSheet(
                name=name,
                cells=frame,
                first_row=first_rows.get(name, 1),
                first_col=first_col,
                visible=visible,
                errors=errors,
            )
        )
    return sheets


_ERROR_NAMES = {"div0": "#DIV/0!", "ref": "#REF!", "na": "#N/A", "name": "#NAME?",
                "value": "#VALUE!", "num": "#NUM!", "null": "#NULL!"}


def _excel_error(detail: str) -> str:
    """"Expected string but got 'Error(Div0)'" -> "#DIV/0!"."""
    match = re.search(r"Error\((\w+)\)", detail or "")
    word = match.group(1).lower() if match else ""
    return _ERROR_NAMES.get(word, f"#{word.upper() or 'FEL'}")


_SHEET_TAG = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_SHEET_TAG_REV = re.compile(rb'<sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"', re.S)
_REL_TAG = re.compile(rb"<Relationship\b[^>]*>", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_VALUE_CELL = re.compile(rb'<c\b[^>]*?\br="[A-Z]+(\d+)"[^>]*>(?:(?!</c>).)*?<(?:v|is)>', re.S)


def _xlsx_first_rows(data: bytes) -> dict[str, int]:
    """The first row with a value on each sheet: calamine starts its range there."""
    import html

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = {}
            for tag in _REL_TAG.findall(rels):
                attrs = dict(_ATTR.findall(tag))
                targets[attrs.get(b"Id", b"")] = attrs.get(b"Target", b"").decode()
            pairs = [(n, r) for n, r in _SHEET_TAG.findall(workbook)]
            if not pairs:
                pairs = [(n, r) for r, n in _SHEET_TAG_REV.findall(workbook)]
            result = {}
            for raw_name, rel_id in pairs:
                target = targets.get(rel_id, "").lstrip("/")
                path = target if target.startswith("xl/") else f"xl/{target}"
                with archive.open(path) as stream:
                    head = b""
                    while True:
                        chunk = stream.read(1 << 16)
                        head += chunk
                        match = _VALUE_CELL.search(head)
                        if match or not chunk or len(head) > (8 << 20):
                            break
                if match:
                    result[html.unescape(raw_name.decode())] = int(match.group(1))
            return result
    except Exception:  # a damaged file is reported by calamine with a proper message
        return {}


def _load_csv(data: bytes, file_name: str) -> RawSheet:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise InputError(f"Filen '{file_name}' har en teckenkodning som inte går att läsa.")
    if "\x00" in text[:4096]:
        raise InputError(
            f"Filen '{file_name}' är inte en textfil (CSV). Spara den som CSV (UTF-8) "
            "eller som .xlsx och försök igen."
        )
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        separator = dialect.delimiter
    except csv.Error:
        separator = max(";,\t", key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        raise InputError(f"Filen '{file_name}' är tom. Välj filen med målen och försök igen.")
    columns_ = {f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(width)}
    frame = pl.DataFrame(columns_, schema={c: pl.String for c in columns_})
    return RawSheet(name=PurePath(file_name).stem or "CSV", cells=frame, first_row=1, first_col=0)


def clean_cells(sheet: RawSheet, findings: list[Finding]) -> pl.DataFrame:
    """Trim, NFC and blank-to-null every cell; Excel error values become findings."""
    frame = sheet.cells
    if frame.width == 0:
        return frame
    typed = frame.with_row_index("_i").unpivot(index="_i").filter(
        pl.col("value").str.strip_chars().str.contains(EXCEL_ERROR_PATTERN)
    )
    errors = pl.concat([
        typed.select(pl.col("_i").cast(pl.Int64), pl.col("variable"), pl.col("value")),
        pl.DataFrame([(r, f"c{c}", v) for r, c, v in sheet.errors],
                     schema={"_i": pl.Int64, "variable": pl.String, "value": pl.String},
                     orient="row"),
    ]).sort("_i")
    for i, col, value in errors.head(50).iter_rows():
        findings.append(
            Finding(
                "warning",
                sheet.name,
                sheet.first_row + i,
                column_letter(sheet.first_col + int(col[1:])),
                f"Cellen innehåller felvärdet {value.strip()} från en formel och lästes som tom. "
                "Rätta formeln eller skriv in värdet.",
            )
        )
    if errors.height > 50:
        findings.append(
            Finding("warning", sheet.name, None, None,
                    f"Ytterligare {errors.height - 50} celler innehåller felvärden (#REF! m.fl.) "
                    "och lästes som tomma.")
        )
    cleaned = frame.with_columns(clean_text_expr(pl.col(c)).alias(c) for c in frame.columns)
    return cleaned.with_columns(
        pl.when(pl.col(c).str.contains(EXCEL_ERROR_PATTERN)).then(None).otherwise(pl.col(c)).alias(c)
        for c in cleaned.columns
    )


def is_instruction_sheet(sheet_name: str) -> bool:
    """Sheets of instructions are for people; they are not read and not reported."""
    return _role_from_name(sheet_name) == "skip"


def _role_from_name(sheet_name: str) -> str | None:
    name = columns.normalize_header(sheet_name)
    if re.match(r"^(instruktion|instructions?|läs mig|readme|anvisning|hjälp|help)", name):
        return "skip"
    if re.match(r"^(dokument|document|om dokumentet|metadata)$", name):
        return "document"
    return None


GOAL_TEXT_FIELDS = ("goal", *columns.GOAL_LEVEL_FIELDS)


def decide_role(sheet_name: str, headers: list[str]) -> tuple[str | None, dict[str, str]]:
    """Which kind of table a sheet is, and its column mapping."""
    by_name = _role_from_name(sheet_name)
    if by_name == "skip":
        return None, {}
    mappings = {role: columns.map_headers(headers, role) for role in columns.SYNONYMS_BY_ROLE}
    fields = {role: set(m.values()) - {"ignore"} for role, m in mappings.items()}
    name = columns.normalize_header(sheet_name)
    has_goal_text = bool(fields["goals"] & set(GOAL_TEXT_FIELDS))
    has_assignment = "assignment" in fields["assignments"]
    has_indicator_sheet = "indicator" in fields["indicators"] and bool(
        fields["indicators"] & {"indicator_id", "goal_ref"}
    )
    has_unit_tree = {"unit", "parent_unit"} <= fields["units"]
    if by_name == "document" and {"doc_key", "doc_value"} <= fields["document"]:
        return "document", mappings["document"]
    if has_assignment and ("uppdrag" in name or "assignment" in name or not has_goal_text):
        return "assignments", mappings["assignments"]
    if has_indicator_sheet and (
        not has_goal_text or re.search(r"indikator|nyckeltal|mått|indicator", name)
    ):
        return "indicators", mappings["indicators"]
    if has_goal_text:
        return "goals", mappings["goals"]
    if has_unit_tree:
        return "units", mappings["units"]
    if {"doc_key", "doc_value"} <= fields["document"]:
        return "document", mappings["document"]
    return None, mappings["goals"]


def find_header_row(cells: pl.DataFrame) -> int | None:
    """Index (0-based, in `cells`) of the row that names the most known columns."""
    best, best_score = None, 0
    for i, row in enumerate(cells.head(HEADER_SCAN_ROWS).iter_rows()):
        texts = [v for v in row if v is not None]
        if len(texts) < 2 and best is not None:
            continue
        score = max(
            len(set(columns.map_headers(texts, role).values()) - {"ignore"})
            for role in columns.SYNONYMS_BY_ROLE
        )
        if score > best_score:
            best, best_score = i, score
    return best


def _row_with_headers(cells: pl.DataFrame, mapping: dict[str, str]) -> int | None:
    """The row holding most of the headers a person mapped by hand."""
    wanted = set(mapping)
    best, best_hits = None, 0
    for i, row in enumerate(cells.head(HEADER_SCAN_ROWS).iter_rows()):
        hits = len(wanted & {v for v in row if v})
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def unique_headers(values: list[str | None], first_col: int) -> list[str]:
    """Headers as written, made unique and never empty ('Kolumn F' for a blank one)."""
    seen: dict[str, int] = {}
    result = []
    for i, value in enumerate(values):
        header = value if value else f"Kolumn {column_letter(first_col + i)}"
        if header in seen:
            seen[header] += 1
            header = f"{header} ({seen[header]})"
        else:
            seen[header] = 1
        result.append(header)
    return result


def to_table(
    sheet: RawSheet,
    cells: pl.DataFrame,
    findings: list[Finding],
    mapping: dict[str, str] | None = None,
) -> Table | None:
    """Find the header, decide the role and rename columns to fields."""
    if cells.height == 0 or cells.width == 0:
        return None
    header_index = _row_with_headers(cells, mapping) if mapping else find_header_row(cells)
    if header_index is None:
        return None
    header_values = list(cells.row(header_index))
    headers = unique_headers(header_values, sheet.first_col)
    role, detected = decide_role(sheet.name, headers)
    if mapping:
        detected = {h: mapping.get(h, "ignore") for h in headers}
        role = _role_for_mapping(sheet.name, detected) or role
    if role is None:
        return None
    above = [v for row in cells.head(header_index).iter_rows() for v in row if v]
    title = above[0] if above else None
    named = [h for h, v in zip(headers, header_values, strict=True) if v]
    mapped = [h for h in named if detected.get(h, "ignore") != "ignore"]
    confidence = round(len(mapped) / len(named), 2) if named else 0.0
    renames, field_headers, letters = {}, {}, {}
    for i, header in enumerate(headers):
        field = detected.get(header, "ignore")
        if field != "ignore" and field not in field_headers:
            renames[f"c{i}"] = field
            field_headers[field] = header
            letters[field] = column_letter(sheet.first_col + i)
    data = (
        cells.slice(header_index + 1)
        .with_row_index("_i")
        .with_columns((pl.col("_i").cast(pl.Int64) + sheet.first_row + header_index + 1).alias("_row"))
        .select(["_row", *renames])
        .rename(renames)
    )
    # Rows with nothing in any mapped column carry nothing to read.
    fields = list(renames.values())
    if fields:
        data = data.filter(pl.any_horizontal(pl.col(f).is_not_null() for f in fields))
    return Table(
        sheet=sheet.name,
        role=role,
        data=data,
        headers=field_headers,
        mapping=detected,
        header_row=sheet.first_row + header_index,
        letters=letters,
        title=title,
        confidence=confidence,
    )


def _role_for_mapping(sheet_name: str, mapping: dict[str, str]) -> str | None:
    fields = set(mapping.values())
    if fields & set(GOAL_TEXT_FIELDS):
        return "goals"
    if "assignment" in fields:
        return "assignments"
    if "indicator" in fields:
        return "indicators"
    if "unit" in fields:
        return "units"
    if {"doc_key", "doc_value"} <= fields:
        return "document"
    return None
