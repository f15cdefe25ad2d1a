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
from dataclasses import dataclass, replace
from pathlib import PurePath

import polars as pl

from goalload import columns, limits
from goalload.cells import EXCEL_ERROR_PATTERN, clean_text_frame
from goalload.errors import InputError, LimitExceeded
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
    # by when the read that loaded this sheet must be done (limits.Deadline)
    deadline: limits.Deadline | None = None


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


column_letter = limits.column_letters  # 0 -> 'A', 27 -> 'AB'


def suffix_of(file_name: str) -> str:
    return PurePath(file_name or "").suffix.lower()


def load_sheets(data: bytes, file_name: str) -> list[RawSheet]:
    """Every sheet of the file as text; InputError when it is not a readable spreadsheet.

    What the file really is decides how it is read (a CSV saved as .xls is read as CSV);
    the name only decides what is refused outright. Zip-based workbooks are unpacked
    and measured against goalload.limits before calamine sees them.
    """
    suffix = suffix_of(file_name)
    if suffix not in SPREADSHEET_SUFFIXES:
        raise InputError(_unsupported_suffix(file_name, suffix))
    if not data:
        raise InputError(f"Filen '{file_name}' är tom. Välj filen med målen och försök igen.")
    limits.check_file_limits(data, file_name)
    until = limits.deadline()
    kind = sniff(data)
    if kind in _REFUSED:
        raise InputError(_REFUSED[kind].format(file=file_name))
    if kind == "zip":
        report = limits.inspect_zip(data, file_name, until)
        if report.kind in _REFUSED_ZIP:
            raise InputError(_REFUSED_ZIP[report.kind].format(file=file_name))
        first_rows = {n: e.min_row for n, e in report.sheets.items() if e.min_row}
        rows = first_rows if report.kind == "xlsx" else {}
        return _load_workbook(data, file_name, rows, until)
    if kind == "cfb":
        return _load_workbook(data, file_name, {}, until)
    if suffix == ".csv" or kind == "text":
        return [replace(_load_csv(data, file_name), deadline=until)]
    raise InputError(
        f"Filen '{file_name}' går inte att öppna som kalkylblad: innehållet är inte "
        f"{suffix} utan ser ut som slumpvisa eller skadade data. Kontrollera att du valt "
        "rätt fil; öppna annars originalet i Excel och spara en ny kopia som .xlsx."
    )


_ENCRYPTED_NAMES = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the file is called.

    zip (xlsx/xlsm/ods and other zips) | cfb (.xls) | encrypted (a password-protected
    Office file: an OLE container with EncryptionInfo) | pdf | html | xml2003 | rtf |
    text (CSV and other plain text) | binary.
    """
    head = data[:4096]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "zip"
    if head.startswith(_CFB_MAGIC):
        return "encrypted" if any(name in data for name in _ENCRYPTED_NAMES) else "cfb"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = _decode_head(head)
    if text is None:
        return "binary"
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return "xml2003"
    if lowered.startswith(("<!doctype html", "<html", "<head", "<body", "<table", "<meta")) or (
        lowered.startswith("<") and re.search(r"<(html|table|body)\b", lowered)
    ):
        return "html"
    return "text"


def _decode_head(head: bytes) -> str | None:
    """The start of a text file as text, or None when it is binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the sample
            text = head[: exc.start].decode("utf-8")
        else:
            text = head.decode("cp1252", "replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\x0c")
    return None if controls > max(2, len(text) // 100) else text


_SAVE_AS = "Öppna den i Excel eller LibreOffice och spara den som .xlsx (Arkiv > Spara som)."
_REFUSED = {
    "encrypted": "Filen '{file}' är lösenordsskyddad (krypterad) och kan inte läsas. Öppna "
    "den i Excel, ta bort lösenordet under Arkiv > Info > Skydda arbetsbok > Kryptera med "
    "lösenord, spara och försök igen.",
    "pdf": "Filen '{file}' är en PDF, inte ett kalkylblad. Använd originalet i Excel, eller "
    "för över tabellen till Excel (eller mallen från appen) och spara som .xlsx.",
    "html": "Filen '{file}' går inte att öppna som kalkylblad: den är en webbsida (HTML) "
    "med en kalkylbladsändelse, så som vissa system exporterar. " + _SAVE_AS,
    "xml2003": "Filen '{file}' är i det gamla formatet XML-kalkylblad 2003. " + _SAVE_AS,
    "rtf": "Filen '{file}' är ett textdokument (RTF), inte ett kalkylblad. För över "
    "tabellen till Excel och spara som .xlsx.",
}
_REFUSED_ZIP = {
    "xlsb": "Filen '{file}' är en binär Excel-arbetsbok (.xlsb), som inte läses. " + _SAVE_AS,
    "docx": "Filen '{file}' är ett Word-dokument, inte ett kalkylblad. För över målen till "
    "Excel (gärna mallen från appen) och spara som .xlsx.",
    "pptx": "Filen '{file}' är en PowerPoint-presentation, inte ett kalkylblad. För över "
    "målen till Excel (gärna mallen från appen) och spara som .xlsx.",
    "odf_other": "Filen '{file}' är ett OpenDocument-dokument men inte ett kalkylblad "
    "(.ods). Spara tabellen som .ods eller .xlsx.",
    "other": "Filen '{file}' är ett zip-arkiv utan någon arbetsbok i (varken .xlsx eller "
    ".ods). Packa upp arkivet och ladda upp arbetsboken som ligger i det.",
}


def _unsupported_suffix(file_name: str, suffix: str) -> str:
    if suffix == ".xlsb":
        return _REFUSED_ZIP["xlsb"].format(file=file_name)
    if suffix == ".pdf":
        return _REFUSED["pdf"].format(file=file_name)
    return (
        f"Filen '{file_name}' är inte ett kalkylblad som går att läsa "
        f"(filtypen '{suffix or 'saknas'}'). Spara den som .xlsx, .xlsm, .xls, .ods "
        "eller .csv och ladda upp den igen."
    )


def _load_workbook(
    data: bytes, file_name: str, first_rows: dict[str, int], until: limits.Deadline
) -> list[RawSheet]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
    except Exception as exc:  # calamine says little that helps a user; we say what to do
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise InputError(_REFUSED["encrypted"].format(file=file_name)) from exc
        raise InputError(
            f"Filen '{file_name}' går inte att öppna som kalkylblad: den är skadad, "
            "lösenordsskyddad eller inte en riktig Excel-fil. Öppna den i Excel eller "
            "LibreOffice, spara en ny kopia som .xlsx utan lösenord och försök igen."
        ) from exc
    if len(names) > limits.MAX_SHEETS:
        raise LimitExceeded(
            f"Filen '{file_name}' har {len(names)} blad; gränsen är {limits.MAX_SHEETS}. "
            "Ta bort blad som inte hör till måldokumentet."
        )
    sheets = []
    for index, name in enumerate(names):
        limits.check_time(until, f"bladet '{name}'")
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
                deadline=until,
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


def _load_csv(data: bytes, file_name: str) -> RawSheet:
    """A CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or cp1252,
    separated by ";", "," or tab; rows and columns are counted while reading, so a huge
    file stops at the limit instead of filling the memory."""
    text = _decode_text(data, file_name)
    separator = _csv_separator(text)
    name = PurePath(file_name).stem or "CSV"
    rows: list[list[str]] = []
    width = 0
    try:
        # newline=None: "\r" alone (old Mac) ends a line as "\r\n" and "\n" do.
        for row in csv.reader(io.StringIO(text, newline=None), delimiter=separator):
            rows.append(row)
            width = max(width, len(row))
            if len(rows) > limits.MAX_ROWS or width > limits.MAX_COLUMNS:
                raise LimitExceeded(
                    f"Filen '{file_name}' har fler än {limits.MAX_ROWS:,} rader eller "
                    f"{limits.MAX_COLUMNS} kolumner (gränserna). ".replace(",", " ")
                    + "Dela upp den eller ta bort det som inte hör till måldokumentet.",
                    sheet=name,
                )
    except csv.Error as exc:
        raise InputError(
            f"Filen '{file_name}' är inte en giltig CSV-fil (rad {len(rows) + 1}: {exc}). "
            "Öppna den i Excel och spara den som .xlsx eller som CSV (UTF-8).",
            row=len(rows) + 1,
        ) from exc
    if width == 0:
        raise InputError(f"Filen '{file_name}' är tom. Välj filen med målen och försök igen.")
    _check_closed_quote(rows, text, file_name, name)
    columns_ = {f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(width)}
    frame = pl.DataFrame(columns_, schema={c: pl.String for c in columns_})
    return RawSheet(name=name, cells=frame, first_row=1, first_col=0)


def _check_closed_quote(rows: list[list[str]], text: str, file_name: str, sheet: str) -> None:
    """A quote that never closes makes the rest of the file one cell: the rows after it
    would be lost without a word. Python's csv reader ends such a field at the end of the
    text; it is the last field of the last row, it spans lines, and the text does not
    end with the closing quote."""
    last = rows[-1][-1] if rows and rows[-1] else ""
    if "\n" not in last.strip("\n") or text.rstrip("\r\n").endswith('"'):
        return
    row, column = len(rows), len(rows[-1])
    raise InputError(
        f"Filen '{file_name}' har ett citattecken (\") på rad {row}, kolumn "
        f"{limits.column_letters(column - 1)} som aldrig stängs, så allt efter det skulle bli "
        "en enda cell. Lägg till det avslutande citattecknet (eller ta bort det inledande) "
        "och ladda upp filen igen.",
        sheet=sheet,
        row=row,
        column=limits.column_letters(column - 1),
    )


def _csv_separator(text: str) -> str:
    """The header line decides: Swedish CSV puts decimal commas in the data ("6,5"), so
    a sniffer reading the whole sample can pick "," for a ";" file."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", 50)
    header = next((line for line in lines if line.strip()), "")
    counts = {sep: header.count(sep) for sep in ";\t,"}
    best = max(counts, key=counts.get)
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=";,\t").delimiter
    except csv.Error:
        return ";"


def _decode_text(data: bytes, file_name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text[:4096]:
                return text
    raise InputError(
        f"Filen '{file_name}' är inte en textfil (CSV) som går att läsa. Spara den som CSV "
        "(UTF-8) eller som .xlsx och försök igen."
    )


def clean_cells(sheet: RawSheet, findings: list[Finding]) -> pl.DataFrame:
    """Trim, NFC and blank-to-null every cell; Excel error values become findings."""
    limits.check_time(sheet.deadline, f"bladet '{sheet.name}'")
    frame = sheet.cells
    if frame.width == 0:
        return frame
    cleaned, hashes = clean_text_frame(frame)
    # Excel errors start with "#": only columns with a "#" anywhere are looked at cell
    # by cell (in the layout of the whole sheet, so the findings keep their order).
    suspects = []
    if hashes:
        found = frame.select(pl.col(c).str.contains("#", literal=True).any() for c in frame.columns)
        suspects = [c for c, hit in zip(frame.columns, found.row(0), strict=True) if hit]
    if not suspects and not sheet.errors:
        return cleaned
    typed = frame.select(suspects).with_row_index("_i").unpivot(index="_i").filter(
        pl.col("value").str.strip_chars().str.contains(EXCEL_ERROR_PATTERN)
    ) if suspects else pl.DataFrame(schema={"_i": pl.UInt32, "variable": pl.String,
                                            "value": pl.String})
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
    if not suspects:
        return cleaned
    return cleaned.with_columns(
        pl.when(pl.col(c).str.contains(EXCEL_ERROR_PATTERN)).then(None).otherwise(pl.col(c)).alias(c)
        for c in suspects
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


_ROLES = len(columns.SYNONYMS_BY_ROLE)


def find_header_row(cells: pl.DataFrame) -> int | None:
    """Index (0-based, in `cells`) of the row that names the most known columns."""
    best, best_score = None, 0
    for i, row in enumerate(cells.head(HEADER_SCAN_ROWS).iter_rows()):
        # Once each: map_headers keys by header, so a repeated "Mål" would unmap the first.
        texts = list(dict.fromkeys(v for v in row if v is not None))
        if len(texts) < 2 and (best is not None or not all(map(columns.known_in_any_role, texts))):
            # A lone cell is a title ("Mål och budget 2025") unless it is exactly a header.
            continue
        # = len(set(map_headers(texts, role).values()) - {"ignore"}), without the mapping
        fields = [columns.fields_by_role(t) for t in texts]
        score = max(len({f[k] for f in fields} - {None, "comment"}) for k in range(_ROLES))
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
    limits.check_time(sheet.deadline, f"bladet '{sheet.name}'")
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
    _report_repeated_headers(sheet, header_values, sheet.first_row + header_index,
                             set(letters.values()), findings)
    data = cells.slice(header_index + 1).select(
        (pl.int_range(pl.len(), dtype=pl.Int64) + sheet.first_row + header_index + 1).alias("_row"),
        *(pl.col(c).alias(f) for c, f in renames.items()),
    )
    # Rows with nothing in any mapped column carry nothing to read.
    fields = list(renames.values())
    if fields:
        data = data.filter(pl.any_horizontal(pl.col(f).is_not_null() for f in fields))
    if len(fields) >= 2:
        data = _drop_repeated_header_rows(data, sheet.name, field_headers, findings)
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


def _drop_repeated_header_rows(
    data: pl.DataFrame, sheet_name: str, headers: dict[str, str], findings: list[Finding]
) -> pl.DataFrame:
    """Exports repeat the header row on every printed page; such a row is not a goal."""
    same = pl.sum_horizontal(pl.col(f).eq_missing(pl.lit(h)).cast(pl.Int32) for f, h in headers.items())
    repeated = data.select(same >= min(2, len(headers))).to_series()
    if not repeated.any():
        return data
    rows = data["_row"].filter(repeated).to_list()
    for row in rows[:20]:
        findings.append(Finding(
            "info", sheet_name, row, None,
            f"Rad {row} upprepar rubrikraden och lästes inte som data."))
    return data.filter(~repeated)


def _report_repeated_headers(
    sheet: RawSheet,
    values: list[str | None],
    header_row: int,
    read_letters: set[str],
    findings: list[Finding],
) -> None:
    """A header written twice: only the first column is read, and the user is told."""
    first: dict[str, str] = {}
    for i, value in enumerate(values):
        if not value:
            continue
        letter = column_letter(sheet.first_col + i)
        if value in first and first[value] in read_letters:
            findings.append(Finding(
                "warning", sheet.name, header_row, letter,
                f"Rubriken '{value}' finns också i kolumn {first[value]}; bara den första "
                "kolumnen lästes. Byt namn på den här kolumnen (eller ta bort den) om den ska "
                "räknas."))
        else:
            first.setdefault(value, letter)


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
