"""Writes the corpus of broken and hostile files in this folder (seeded content; the
openpyxl-written files and the encrypted one differ in timestamps and salt on every run).

    .venv/bin/python tests/data/bad/make_corpus.py

The small files are committed; the large ones (200,000 rows, 16,384 columns, zip bombs,
a file above the upload limit) are built in memory by `large_files()` when the tests
run, so the repository stays small. The encrypted workbook needs msoffcrypto-tool
(only to regenerate it; the committed file is what the tests read).
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from goalload.limits import column_letters as letters  # noqa: E402
from tests.conftest import workbook_bytes  # noqa: E402

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

GOAL_ROWS = [
    ["Mål", "Ansvarig nämnd", "Indikator", "Frekvens", "Målvärde"],
    ["Fler elever ska klara skolan", "Barn- och utbildningsnämnden", "Andel behöriga (%)", "År", "90"],
    ["Minskad sjukfrånvaro", "Socialnämnden", "Sjukfrånvaro (%)", "Kvartal", "6,5"],
    ["Ekonomi i balans", "Samtliga nämnder", "Resultat (mnkr)", "Månad", "0"],
]


# ------------------------------------------------------------------ builders -------------

def cell(ref: str, value: object) -> str:
    """One cell of SpreadsheetML: inline text, or a number."""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def rows_xml(rows: list[list[object]], first_row: int = 1) -> str:
    out = []
    for r, row in enumerate(rows, start=first_row):
        cells = "".join(cell(f"{letters(c)}{r}", v) for c, v in enumerate(row) if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def sheet_xml(body: str, head: str = "", prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN_NS}">'
            f"{head}<sheetData>{body}</sheetData></worksheet>")


def raw_xlsx(
    sheets: dict[str, str],
    extra: dict[str, bytes | str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
    macro: bool = False,
) -> bytes:
    """An .xlsx from worksheet XML written by hand (for what openpyxl will not write)."""
    main = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macro else
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    ws_ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ws_ct}"/>'
        for i in range(1, len(sheets) + 1))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Default Extension="bin" ContentType="application/'
        f'vnd.ms-office.vbaProject"/><Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
        f"{overrides}</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_NS}">'
                 f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" '
                 'Target="xl/workbook.xml"/></Relationships>')
    entries = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, name in enumerate(sheets, start=1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
                f'xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>')
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
    wb_rels = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_NS}">{rels}</Relationships>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels),
                           ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", wb_rels)]:
            z.writestr(_info(name), data)
        for i, xml in enumerate(sheets.values(), start=1):
            z.writestr(_info(f"xl/worksheets/sheet{i}.xml"), xml)
        for name, data in (extra or {}).items():
            z.writestr(_info(name), data)
    return out.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def goals_xlsx(rows: list[list[object]] | None = None, name: str = "Mål") -> bytes:
    return raw_xlsx({name: sheet_xml(rows_xml(rows or GOAL_ROWS))})


def zip_of(members: dict[str, bytes | str], *, first_stored: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = _info(name)
            if name == first_stored:
                info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, data)
    return out.getvalue()


def ods(tables: str) -> bytes:
    """An .ods with the given <table:table> elements."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>')
    return zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                   "META-INF/manifest.xml": manifest, "content.xml": content},
                  first_stored="mimetype")


def ods_cell(text: str, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="string"{rep}><text:p>{escape(text)}'
            "</text:p></table:table-cell>")


def ods_rows(rows: list[list[str]]) -> str:
    return "".join("<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>"
                   for row in rows)


def template_book(
    units: list[list[object]], goals: list[list[object]], indicators: list[list[object]] | None = None
) -> bytes:
    """The product's template layout, as openpyxl writes it."""
    sheets = {
        "Enheter": [["Enhet-ID", "Enhet", "Nivå", "Överordnad enhet-ID"], *units],
        "Mål": [["Mål-ID", "Mål", "Ansvarig enhet-ID", "Överordnat mål-ID", "Målnivå", "Målområde"],
                *goals],
    }
    if indicators is not None:
        sheets["Indikatorer"] = [["Indikator-ID", "Indikator", "Mål-ID", "Ansvarig enhet-ID",
                                  "Frekvens", "Källa", "Kolada-ID", "Målvärde"], *indicators]
    return workbook_bytes(sheets)


UNITS = [["KF", "Kommunfullmäktige", "Fullmäktige", None],
         ["KS", "Kommunstyrelsen", "Styrelse", "KF"],
         ["SN", "Socialnämnden", "Nämnd", "KF"],
         ["BUN", "Barn- och utbildningsnämnden", "Nämnd", "KF"]]


def _patch_flags(data: bytes, flag: int) -> bytes:
    """Set a general-purpose flag bit on every local and central header of a zip."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = out.find(sig)
        while pos != -1:
            flags = struct.unpack_from("<H", out, pos + offset)[0]
            struct.pack_into("<H", out, pos + offset, flags | flag)
            pos = out.find(sig, pos + 4)
    return bytes(out)


def _minimal_pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
            b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _encrypted(plain: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile  # only needed to regenerate this file

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("hemligt", out)
    return out.getvalue()


# ------------------------------------------------------------------ the corpus -----------

def small_files() -> dict[str, Callable[[], bytes]]:
    """File name -> how to build it. Every one is below 300 KB."""
    rng = random.Random(7)
    good = goals_xlsx()
    files: dict[str, Callable[[], bytes]] = {}

    def add(name: str):
        def register(fn: Callable[[], bytes]) -> Callable[[], bytes]:
            files[name] = fn
            return fn
        return register

    # --- not a workbook at all, or a damaged one
    files["random_bytes.xlsx"] = lambda: bytes(rng.randrange(1, 256) for _ in range(4096))
    files["random_bytes.ods"] = lambda: bytes(rng.randrange(1, 256) for _ in range(2048))
    files["empty.xlsx"] = lambda: b""
    files["empty.csv"] = lambda: b""
    files["whitespace_only.csv"] = lambda: b"   \r\n\r\n \t \n"
    files["truncated.xlsx"] = lambda: good[: len(good) * 6 // 10]
    files["truncated_head.xlsx"] = lambda: good[:100]
    files["corrupted_deflate.xlsx"] = lambda: _corrupt_member(good, "xl/worksheets/sheet1.xml")
    files["corrupted_central_directory.xlsx"] = lambda: good[:-22] + b"PK\x05\x06" + b"\xff" * 18
    files["zip_without_workbook.xlsx"] = lambda: zip_of({"anteckningar.txt": "Mål 2025\n"})
    files["empty_zip.xlsx"] = lambda: zip_of({})
    files["zipped_workbook.xlsx"] = lambda: zip_of({"mal_2025.xlsx": good})
    files["zip_password_flag.xlsx"] = lambda: _patch_flags(good, 0x1)
    files["bzip2_member.xlsx"] = lambda: _bzip2_workbook()
    files["encrypted.xlsx"] = lambda: _encrypted(good)
    files["fake_ole.xls"] = lambda: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                                     + bytes(rng.randrange(256) for _ in range(1024)))
    files["binary_workbook.xlsb"] = lambda: zip_of({"xl/workbook.bin": b"\x83\x01\x00",
                                                   "[Content_Types].xml": "<Types/>"})
    files["binary_workbook_named.xlsx"] = files["binary_workbook.xlsb"]
    files["document.pdf"] = _minimal_pdf
    files["pdf_named.xlsx"] = _minimal_pdf
    files["html_named.xlsx"] = lambda: (b"<!DOCTYPE html><html><body><h1>M\xc3\xa5l</h1>"
                                        b"</body></html>")
    files["html_table_export.xls"] = lambda: (
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>Mål</td><td>Ansvarig"
        "</td></tr><tr><td>Fler i arbete</td><td>Socialnämnden</td></tr></table></body></html>"
    ).encode()
    files["spreadsheetml_2003.xls"] = lambda: (
        '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns='
        '"urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Mål"><Table><Row>'
        '<Cell><Data ss:Type="String">Mål</Data></Cell></Row></Table></Worksheet></Workbook>'
    ).encode()
    files["rtf_named.xls"] = lambda: b"{\\rtf1\\ansi M\\'e5l 2025}"
    files["word_document_named.xlsx"] = lambda: zip_of({
        "[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    files["text_document_named.ods"] = lambda: zip_of(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"},
        first_stored="mimetype")
    files["macros.xlsm"] = lambda: raw_xlsx(
        {"Mål": sheet_xml(rows_xml(GOAL_ROWS))},
        extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Sub Auto_Open() Shell \"calc\" End Sub"},
        macro=True)

    # --- CSV and text
    csv_rows = "\n".join(";".join(r) for r in GOAL_ROWS)
    files["cp1252_semicolon.csv"] = lambda: csv_rows.replace("\n", "\r\n").encode("cp1252")
    files["utf8_bom_comma.csv"] = lambda: ("\ufeff" + "\n".join(
        ",".join(f'"{v}"' for v in r) for r in GOAL_ROWS)).encode("utf-8")
    files["utf16_tab.csv"] = lambda: "\n".join("\t".join(r) for r in GOAL_ROWS).encode("utf-16")
    files["csv_named.xlsx"] = lambda: csv_rows.encode("utf-8")
    files["csv_named.xls"] = lambda: csv_rows.encode("cp1252")
    files["binary_named.csv"] = lambda: bytes(rng.randrange(256) for _ in range(2048))
    files["nul_bytes.csv"] = lambda: b"M\xc3\xa5l;Ansvarig\n\x00\x00Fler\x00;SN\n"
    files["only_header.csv"] = lambda: b"M\xc3\xa5l;Ansvarig n\xc3\xa4mnd;Indikator\n"
    files["one_column.csv"] = lambda: "Mål\nFler i arbete\nTrygg äldreomsorg\n".encode()
    files["unbalanced_quotes.csv"] = lambda: 'Mål;Ansvarig\n"Fler i arbete;Socialnämnden\nX;Y\n'.encode()
    files["old_mac_newlines.csv"] = lambda: csv_rows.replace("\n", "\r").encode("utf-8")
    files["huge_field.csv"] = lambda: ("Mål;Ansvarig\n\"" + "a" * 140_000 + "\";SN\n").encode()
    files["long_cell_100k.csv"] = lambda: ("Mål;Ansvarig\n" + "Mål " * 25_000 + ";SN\n").encode()

    # --- workbooks with awkward content
    files["empty_sheet.xlsx"] = lambda: workbook_bytes({"Blad1": []})
    files["only_headers.xlsx"] = lambda: goals_xlsx(GOAL_ROWS[:1])
    files["no_goal_column.xlsx"] = lambda: goals_xlsx([["Namn", "Telefon"], ["Anna", "070-123"]])
    files["title_only.xlsx"] = lambda: goals_xlsx([["Mål och budget 2025"], [], ["Antagen av KF"]])
    files["instructions_only.xlsx"] = lambda: goals_xlsx(
        [["Instruktioner"], ["Fyll i målen på bladet Mål."]], name="Instruktioner")
    files["formulas_and_errors.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS[:2])
        + '<row r="3"><c r="A3" t="e"><f>#REF!</f><v>#REF!</v></c>'
        '<c r="B3" t="str"><f>"Social"&amp;"nämnden"</f><v>Socialnämnden</v></c>'
        '<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D3"><f>SUM(A1:A2)</f></c>'
        '<c r="E3" t="e"><v>#N/A</v></c></row>'
        '<row r="4"><c r="A4" t="str"><f>HYPERLINK("http://example.invalid","Klicka")</f>'
        '<v>Klicka</v></c><c r="B4" t="inlineStr"><is><t>#VALUE!</t></is></c></row>')})
    files["dates_and_numbers.xlsx"] = lambda: _dates_and_numbers()
    files["duplicate_headers.xlsx"] = lambda: goals_xlsx([
        ["Mål", "Mål", "Ansvarig", "Ansvarig", "Indikator", "Indikator"],
        ["Fler i arbete", "Trygghet", "Socialnämnden", "KS", "Andel", "Antal"]])
    files["goals_on_hidden_sheet.xlsx"] = lambda: workbook_bytes(
        {"Framsida": [["Välkommen"]], "Mål": GOAL_ROWS}, hidden=("Mål",))
    files["goals_on_very_hidden_sheet.xlsx"] = lambda: _very_hidden()
    files["duplicate_ids.xlsx"] = lambda: template_book(
        [*UNITS, ["SN", "Socialnämnden igen", "Nämnd", "KF"]],
        [["M1", "Trygg vård", "SN", None], ["M1", "Trygg skola", "BUN", None]],
        [["I1", "Andel nöjda", "M1", "SN", "År", "Enkät", None, "80"],
         ["I1", "Andel trygga", "M1", "SN", "År", "Enkät", None, "90"]])
    files["goal_parent_cycle.xlsx"] = lambda: template_book(UNITS, [
        ["M1", "Mål ett", "KF", "M3"], ["M2", "Mål två", "SN", "M1"], ["M3", "Mål tre", "BUN", "M2"]])
    files["goal_self_parent.xlsx"] = lambda: template_book(UNITS, [["M1", "Mål ett", "KF", "M1"]])
    files["unit_parent_cycle.xlsx"] = lambda: template_book(
        [["A", "Socialnämnden", "Nämnd", "B"], ["B", "Socialförvaltningen", "Förvaltning", "A"]],
        [["M1", "Trygg vård", "A", None]])
    files["missing_parents.xlsx"] = lambda: template_book(
        [*UNITS, ["E1", "Enhet Solgläntan", "Enhet", "FINNS_INTE"]],
        [["M1", "Trygg vård", "SN", "M99"], ["M2", "Trygg skola", "OKÄND", None]],
        [["I1", "Andel nöjda", "M42", "SN", "År", "Enkät", None, "80"]])
    files["levels_in_rows_cycle.xlsx"] = lambda: workbook_bytes({"Styrkort": [
        ["ID", "Nivå", "Organisation", "Mål", "Kopplat till", "Indikatorer"],
        ["1", "Kommunfullmäktige", "Kommunfullmäktige", "Hållbar kommun", "3", "Andel; Antal"],
        ["2", "Nämnd", "Socialnämnden", "Trygg vård", "1", ""],
        ["3", "Förvaltning", "Socialförvaltningen", "Bra arbetsmiljö", "2", "Sjukfrånvaro"]]})
    files["emoji_and_rtl.xlsx"] = lambda: goals_xlsx([
        GOAL_ROWS[0],
        ["🎯 Fler i arbete 👩‍👩‍👧‍👦", "Socialnämnden 🏛️", "Andel 📈", "År", "90"],
        ["تحسين الخدمات للمواطنين", "מועצת העיר", "\u202eredro\u202c", "Kvartal", "٣"],
        ["Mål\u200bmed\u200dosynliga\ufefftecken", "Kultur- och fritidsnämnden", "X", "År", ""]])
    files["html_and_script.xlsx"] = lambda: goals_xlsx([
        GOAL_ROWS[0],
        ["<script>alert('mål')</script>", "<b>Socialnämnden</b>", "<img src=x onerror=alert(1)>",
         "År", "1"],
        ["[klicka här](javascript:alert(1)) **fet** $x$", "Barn- och utbildningsnämnden",
         "=HYPERLINK(\"http://example.invalid\";\"x\")", "Kvartal", "=1+1"],
        ["+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "Månad", "\"><svg onload=alert(1)>"]])
    files["nfd_text.xlsx"] = lambda: goals_xlsx([
        GOAL_ROWS[0],
        ["Fler ska kunna försörja sig", "Socialna\u0308mnden", "Andel i arbete", "A\u030ar", "5"],
        ["Trygg äldreomsorg", "Socialnämnden", "Nöjdhet", "År", "80"]])
    files["merged_cells.xlsx"] = lambda: workbook_bytes(
        {"Mål": [["Mål och budget 2025", None, None, None], GOAL_ROWS[0][:4],
                 ["Fler i arbete", "Socialnämnden", "Andel", "År"], [None, None, "Antal", "Kvartal"],
                 [None, None, None, None], ["Trygg skola", "Barn- och utbildningsnämnden", "Nöjdhet",
                                            "År"]]},
        merges={"Mål": ["A1:D1", "A3:A5", "B3:B5", "C4:D5"]})
    files["long_cells_100k.xlsx"] = lambda: goals_xlsx([
        GOAL_ROWS[0], ["Fler i arbete " * 7_200, "Socialnämnden " * 100, "Andel " * 20_000, "År", "1"]])
    files["control_characters.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS[:1]) + '<row r="2"><c r="A2" t="inlineStr"><is><t>Fler_x0001_ i '
        'arbete_x001B_[31m</t></is></c><c r="B2" t="inlineStr"><is><t>Social&#9;nämnden'
        '</t></is></c></row>')})
    files["weird_sheet_names.xlsx"] = lambda: raw_xlsx({
        "Mål & <\"budget\"> 'för' 2025": sheet_xml(rows_xml(GOAL_ROWS)),
        "   ": sheet_xml(rows_xml([["x"]])), "Uppdrag ⚠": sheet_xml(rows_xml(
            [["Uppdrag", "Mottagare"], ["Utred X", "Alla nämnder"]]))})
    files["unknown_frequency.xlsx"] = lambda: goals_xlsx([
        GOAL_ROWS[0], ["Fler i arbete", "Socialnämnden", "Andel", "Ibland", "9"],
        ["Trygg skola", "Barn- och utbildningsnämnden", "Nöjdhet", "42 gånger", "x"]])
    files["no_owner.xlsx"] = lambda: goals_xlsx([
        ["Mål", "Ansvarig"], ["Fler i arbete", None], ["Trygg skola", "  "]])
    files["whitespace_cells.xlsx"] = lambda: goals_xlsx([
        ["  Mål  ", "\u00a0Ansvarig\u00a0"], ["\u00a0\u00a0", " "], ["  Fler   i arbete ", "SN "]])
    files["numbers_as_goals.xlsx"] = lambda: goals_xlsx([
        ["Mål", "Ansvarig"], [1, 2], [3.5, "Socialnämnden"], [-1e308, 1e308]])
    files["all_committees_without_committees.xlsx"] = lambda: goals_xlsx([
        ["Mål", "Ansvarig"], ["Ekonomi i balans", "Samtliga nämnder"]])
    files["junk_rows.xlsx"] = lambda: goals_xlsx([
        ["Kommunens mål"], ["Utskriven 2025-01-01 av Kalle"], [], GOAL_ROWS[0], GOAL_ROWS[1],
        ["Summa", None, None, None, "=SUMMA()"], [], ["Sida 1 av 2"], GOAL_ROWS[0], GOAL_ROWS[2]])

    # --- workbooks that reach for the limits or attack the parser
    files["far_cell.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS) + '<row r="1048576">' + cell("XFD1048576", "x") + "</row>")})
    files["far_column.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS[:1]).replace("</row>", cell("XFD1", "slut") + "</row>")
        + rows_xml(GOAL_ROWS[1:], 2))})
    files["far_row.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS) + '<row r="1048576">' + cell("A1048576", "slut") + "</row>")})
    files["far_row_without_refs.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS) + '<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>')})
    files["styled_far_cells.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS) + '<row r="1048576" s="1" customFormat="1"><c r="XFD1048576" s="1"/>'
        '</row>', head='<dimension ref="A1:XFD1048576"/>')})
    files["cells_without_refs.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml("".join(
        "<row>" + "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in row)
        + "</row>" for row in GOAL_ROWS))})
    files["namespace_prefix.xlsx"] = lambda: raw_xlsx({"Mål": (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>'
        + rows_xml(GOAL_ROWS).replace("<row", "<x:row").replace("</row", "</x:row")
        .replace("<c ", "<x:c ").replace("</c>", "</x:c>").replace("<is>", "<x:is>")
        .replace("</is>", "</x:is>").replace("<t ", "<x:t ").replace("</t>", "</x:t>")
        .replace("<v>", "<x:v>").replace("</v>", "</x:v>") + "</x:sheetData></x:worksheet>")})
    files["billion_laughs.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS).replace("Ekonomi i balans", "&lol9;"), prolog=(
            '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                      for i in range(1, 10)) + "]>"))})
    files["external_entity.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS).replace("Ekonomi i balans", "&xxe;"),
        prolog='<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')})
    files["shared_string_out_of_range.xlsx"] = lambda: raw_xlsx(
        {"Mål": sheet_xml(rows_xml(GOAL_ROWS[:1]) + '<row r="2"><c r="A2" t="s"><v>999999</v></c>'
                          '<c r="B2" t="s"><v>-1</v></c></row>')},
        extra={"xl/sharedStrings.xml": f'<sst xmlns="{MAIN_NS}"><si><t>a</t></si></sst>'})
    files["wrong_cell_types.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        rows_xml(GOAL_ROWS[:1]) + '<row r="2"><c r="A2"><v>inte ett tal</v></c>'
        '<c r="B2" t="b"><v>2</v></c><c r="C2" t="d"><v>igår</v></c><c r="D2" t="n"><v>1e99999</v>'
        '</c><c r="E2" t="zz"><v>?</v></c></row>')})
    files["bad_cell_refs.xlsx"] = lambda: raw_xlsx({"Mål": sheet_xml(
        '<row r="0"><c r="A0" t="inlineStr"><is><t>Mål</t></is></c></row>'
        '<row r="2"><c r="a2" t="inlineStr"><is><t>x</t></is></c><c r="ZZZZ2" t="inlineStr"><is>'
        '<t>y</t></is></c><c r="B99999999999" t="inlineStr"><is><t>z</t></is></c></row>')})
    files["many_sheets.xlsx"] = lambda: raw_xlsx(
        {f"Blad{i}": sheet_xml(rows_xml([["x"]])) for i in range(250)})
    files["stored_not_compressed.xlsx"] = lambda: raw_xlsx(
        {"Mål": sheet_xml(rows_xml(GOAL_ROWS))}, compression=zipfile.ZIP_STORED)
    files["ods_repeat_bomb.ods"] = lambda: ods(
        '<table:table table:name="Mål"><table:table-row>' + ods_cell("Mål") + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048575">' + ods_cell("x", 16384)
        + "</table:table-row></table:table>")
    files["ods_valid.ods"] = lambda: ods(f'<table:table table:name="Mål">{ods_rows(GOAL_ROWS)}'
                                         "</table:table>")
    files["ods_trailing_empty_repeats.ods"] = lambda: ods(
        f'<table:table table:name="Mål">{ods_rows(GOAL_ROWS)}'
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row></table:table>')
    return files


def _corrupt_member(data: bytes, member: str) -> bytes:
    """Overwrite bytes in the middle of one member's compressed data."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out = bytearray(data)
    for i in range(start + 5, min(start + info.compress_size - 2, start + 60)):
        out[i] = 0xFF
    return bytes(out)


def _bzip2_workbook() -> bytes:
    out = io.BytesIO()
    source = goals_xlsx()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            new.compress_type = zipfile.ZIP_BZIP2
            dst.writestr(new, src.read(info.filename))
    return out.getvalue()


def _dates_and_numbers() -> bytes:
    import datetime

    return workbook_bytes({"Mål": [
        ["Mål", "Ansvarig", "Indikator", "Frekvens", "Målvärde"],
        [datetime.date(2025, 1, 1), 12345, datetime.datetime(2025, 3, 4, 5, 6), 4, 0.65],
        [True, False, 3.14159, datetime.time(12, 30), datetime.date(1900, 1, 1)],
        ["Fler i arbete", "Socialnämnden", 42, "År", -3]]})


def _very_hidden() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Framsida"
    wb.active.append(["Välkommen"])
    ws = wb.create_sheet("Mål")
    for row in GOAL_ROWS:
        ws.append(row)
    ws.sheet_state = "veryHidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ large, in memory -----

def deflate_repeated(head: bytes, block: bytes, count: int, tail: bytes) -> bytes:
    """Raw deflate data for head + block * count + tail, made in milliseconds.

    A full flush ends the block's deflate segment on a byte boundary with no reference
    to what came before, so the same compressed segment can be repeated `count` times."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    segment = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    return start + segment * count + end


def deflate_bomb_member(size: int, filler: bytes = b" ") -> bytes:
    """Raw deflate data that unpacks to `size` bytes of filler (rounded to MB)."""
    return deflate_repeated(b"", filler * (1 << 20), size >> 20, b"")


def _zip_with_raw(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, raw deflate data, crc, declared size, local copy of) entries.

    An entry whose last field is >= 0 reuses that entry's local header and data
    (overlapping entries, as in a non-recursive zip bomb)."""
    out = bytearray()
    central = bytearray()
    offsets: list[int] = []
    for name, raw, crc, declared, same_as in members:
        encoded = name.encode()
        if same_as >= 0:  # point at the earlier local header, under our own name
            offset = offsets[same_as]
        else:
            offset = len(out)
            out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc,
                               len(raw), declared, len(encoded), 0) + encoded + raw
        offsets.append(offset)
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21,
                               crc, len(raw), declared, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    start = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members),
                       len(central), start, 0)
    return bytes(out)


def _workbook_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(goals_xlsx())) as z:
        return {n: z.read(n) for n in z.namelist()}


def zip_bomb(size: int = 1 << 30, *, lying: bool = False) -> bytes:
    """A workbook whose sheet unpacks to `size` bytes (1 GB of spaces by default).

    lying=True declares the sheet as 100 bytes in both headers, as an attacker would."""
    entries = []
    for name, data in _workbook_parts().items():
        if name == "xl/worksheets/sheet1.xml":
            continue
        raw = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = raw.compress(data) + raw.flush()
        entries.append((name, packed, zlib.crc32(data), len(data), -1))
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    body = deflate_repeated(head, b" " * (1 << 20), size >> 20, tail)
    entries.append(("xl/worksheets/sheet1.xml", body, 0, 100 if lying else
                    len(head) + (size >> 20 << 20) + len(tail), -1))
    return _zip_with_raw(entries)


def overlapping_bomb(copies: int = 400, each: int = 8 << 20) -> bytes:
    """Many central-directory entries sharing one compressed member (Fifield's trick):
    small on disk, `copies * each` bytes unpacked."""
    entries = []
    for name, data in _workbook_parts().items():
        raw = zlib.compressobj(9, zlib.DEFLATED, -15)
        entries.append((name, raw.compress(data) + raw.flush(), zlib.crc32(data), len(data), -1))
    packed = deflate_bomb_member(each)
    entries.append(("xl/media/image0.bin", packed, 0, each, -1))
    first = len(entries) - 1
    entries += [(f"xl/media/image{i}.bin", packed, 0, each, first) for i in range(1, copies)]
    return _zip_with_raw(entries)


def many_rows_xlsx(rows: int = 200_000) -> bytes:
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Mål nummer {r}</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>Nämnd {r % 40}</t></is></c></row>'
        for r in range(2, rows + 2))
    return raw_xlsx({"Mål": sheet_xml(rows_xml([["Mål", "Ansvarig"]]) + body)})


def many_columns_xlsx(columns: int = 16_384) -> bytes:
    header = [f"Kolumn {i}" for i in range(columns)]
    header[0], header[1] = "Mål", "Ansvarig"
    return raw_xlsx({"Mål": sheet_xml(rows_xml([header, ["Fler i arbete", "Socialnämnden"]]))})


def many_rows_csv(rows: int = 200_000) -> bytes:
    lines = ["Mål;Ansvarig"] + [f"Mål {i};Nämnd {i % 40}" for i in range(rows)]
    return "\n".join(lines).encode()


def many_findings_xlsx(rows: int = 3_000) -> bytes:
    body = [GOAL_ROWS[0]] + [[f"Mål {i}", None, f"Indikator {i}", "Ibland", "?"] for i in range(rows)]
    return goals_xlsx(body)


def large_files() -> dict[str, Callable[[], bytes]]:
    """Built when the tests run; too large (or too hostile) to commit."""
    return {
        "rows_200k.xlsx": many_rows_xlsx,
        "rows_200k.csv": many_rows_csv,
        "columns_16384.xlsx": many_columns_xlsx,
        "columns_16384.csv": lambda: (";".join(["Mål"] + [f"K{i}" for i in range(16_383)])
                                      + "\nFler i arbete\n").encode(),
        "zip_bomb_1gb.xlsx": zip_bomb,
        "zip_bomb_lying_sizes.xlsx": lambda: zip_bomb(lying=True),
        "zip_bomb_overlapping.xlsx": overlapping_bomb,
        "above_upload_limit.xlsx": lambda: goals_xlsx() + b"\0" * (51 << 20),
        "many_findings.xlsx": many_findings_xlsx,
    }


def main() -> None:
    for old in HERE.iterdir():
        if old.is_file() and old.suffix != ".py":
            old.unlink()
    total = 0
    for name, build in small_files().items():
        data = build()
        (HERE / name).write_bytes(data)
        total += len(data)
    print(f"{len(small_files())} files, {total / 1024:.0f} KB in {HERE}")


if __name__ == "__main__":
    main()
