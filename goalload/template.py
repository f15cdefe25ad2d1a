"""The product's own Excel layout: the downloadable template and any document written in it.

One layout for both directions: `template_bytes()` hands a controller an empty-but-
explained workbook (instructions, validation lists, example rows), and
`document_to_workbook_bytes()` writes any GoalDocument in the same layout, so what
goalload.read reads back is the same document (tables, counts, ids).

User text is always written as a shared-string cell: a goal that begins with "=" must
never become a formula in someone's Excel (formula injection), and "#N/A" must not
become an error value. The writer is a small streaming SpreadsheetML writer (see
write_xlsx) because openpyxl is ten times slower at the benchmark sizes.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import polars as pl
from openpyxl.utils import get_column_letter

from goalload.model import FREQUENCIES, FREQUENCY_LABELS_SV, LEVEL_LABELS_SV, GoalDocument

ALL_COMMITTEES = "Samtliga nämnder"
# What "Samtliga nämnder" expands to: every committee and the executive board (goalload.read).
ALL_COMMITTEE_LEVELS = ("committee", "board")

# Sheet name -> headers, in order. goalload.read recognises exactly these.
SHEET_INSTRUCTIONS = "Instruktioner"
SHEET_DOCUMENT = "Dokument"
SHEET_UNITS = "Enheter"
SHEET_GOALS = "Mål"
SHEET_INDICATORS = "Indikatorer"
SHEET_ASSIGNMENTS = "Uppdrag"

HEADERS: dict[str, tuple[str, ...]] = {
    SHEET_DOCUMENT: ("Uppgift", "Värde"),
    SHEET_UNITS: ("Enhet-ID", "Enhet", "Nivå", "Överordnad enhet-ID"),
    SHEET_GOALS: ("Mål-ID", "Mål", "Ansvarig enhet-ID", "Överordnat mål-ID", "Målnivå", "Målområde"),
    SHEET_INDICATORS: ("Indikator-ID", "Indikator", "Mål-ID", "Ansvarig enhet-ID", "Frekvens", "Källa", "Kolada-ID", "Målvärde"),
    SHEET_ASSIGNMENTS: ("Uppdrag-ID", "Uppdrag", "Mottagare", "Givet av", "Återrapportering"),
}
COLUMN_WIDTHS: dict[str, tuple[int, ...]] = {
    SHEET_DOCUMENT: (16, 40),
    SHEET_UNITS: (14, 44, 14, 22),
    SHEET_GOALS: (12, 70, 26, 18, 16, 34),
    SHEET_INDICATORS: (14, 70, 20, 20, 12, 30, 12, 12),
    SHEET_ASSIGNMENTS: (12, 70, 34, 12, 24),
}
LEVEL_WORDS = tuple(LEVEL_LABELS_SV.values())  # Fullmäktige, Styrelse, Nämnd, Bolag, Förvaltning, Enhet
FREQUENCY_WORDS = tuple(FREQUENCY_LABELS_SV.values())  # Månad, Kvartal, Tertial, Halvår, År
LIST_SEPARATOR = ";"

_ILLEGAL = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")  # also valid in polars (Rust) regex

INSTRUCTIONS_SV: list[tuple[str, str]] = [
    ("Goalload – mall för mål, indikatorer och uppdrag", ""),
    ("", ""),
    ("Så här använder du mallen", ""),
    ("1.", "Fyll i bladen Dokument, Enheter, Mål, Indikatorer och Uppdrag. Exempelraderna visar formen – skriv över dem eller ta bort dem."),
    ("2.", "Varje rad på ett blad är en sak: en enhet, ett mål, en indikator eller ett uppdrag. Rubrikraden (rad 1) får inte ändras."),
    ("3.", "ID:n är korta koder som du hittar på själv (till exempel KF, SN, KF-1, I-12). De måste vara unika på sitt blad och används för att koppla ihop bladen."),
    ("4.", "Flera ID i samma cell skrivs med semikolon emellan, till exempel: SN; KFN"),
    ("5.", f"Skriv \"{ALL_COMMITTEES}\" som ansvarig eller mottagare när något gäller alla nämnder. Det räknas som varje enhet med nivån Nämnd eller Styrelse."),
    ("6.", "Spara som .xlsx och ladda upp filen i Goalload."),
    ("", ""),
    ("Dokument", "Uppgifter om hela dokumentet: Namn (kommunens eller regionens namn), År (budgetåret) och Invånare (antal, används för jämförelser per 1 000 invånare)."),
    ("", ""),
    ("Enheter", "Organisationen, uppifrån och ned."),
    ("  Enhet-ID", "Kort unik kod för enheten, till exempel KF, KS, SN, SOF, SOF-IFO."),
    ("  Enhet", "Namnet som det står i era dokument, till exempel Socialnämnden."),
    ("  Nivå", "En av: " + ", ".join(LEVEL_WORDS) + ". Välj i listan."),
    ("  Överordnad enhet-ID", "Enheten ovanför: en nämnds överordnade är KF, en förvaltnings är nämnden, en skolas är förvaltningen. Tomt för fullmäktige."),
    ("", ""),
    ("Mål", "Alla mål på alla nivåer: KF-mål, nämndmål, förvaltningsmål, verksamhetsmål."),
    ("  Mål-ID", "Kort unik kod, till exempel KF-1 eller SN-3."),
    ("  Mål", "Målet som det är formulerat i beslutet."),
    ("  Ansvarig enhet-ID", f"Enhet-ID för den som äger målet. Flera ägare skrivs med semikolon (SN; KFN) eller \"{ALL_COMMITTEES}\"."),
    ("  Överordnat mål-ID", "Målet en nivå upp som detta mål bryter ned. Tomt för fullmäktiges mål."),
    ("  Målnivå", "Ert eget ord för nivån, till exempel KF-mål, Nämndmål, Verksamhetsmål (fri text)."),
    ("  Målområde", "Målområde eller perspektiv, om ni använder sådana (fri text)."),
    ("", ""),
    ("Indikatorer", "Det som mäter målen: indikatorer, nyckeltal, mått."),
    ("  Indikator-ID", "Kort unik kod, till exempel I-1."),
    ("  Indikator", "Indikatorns namn."),
    ("  Mål-ID", "Målet eller målen som indikatorn mäter, med semikolon emellan. Lämna tomt om indikatorn inte mäter något mål – den räknas då som fristående."),
    ("  Ansvarig enhet-ID", "Enheten som tar fram och rapporterar värdet (frivilligt om målet redan har en ägare)."),
    ("  Frekvens", "Hur ofta indikatorn rapporteras: " + ", ".join(f"{w} ({FREQUENCIES[k]} gånger per år)" for k, w in FREQUENCY_LABELS_SV.items()).replace("(1 gånger", "(1 gång") + ". Välj i listan."),
    ("  Källa", "Var värdet kommer ifrån, till exempel Kolada, Personalsystemet, Egen enkät, Manuell sammanställning."),
    ("  Kolada-ID", "Nyckeltalets ID i Kolada (till exempel N15419) om indikatorn finns där."),
    ("  Målvärde", "Målvärdet som det skrivs, till exempel 78, < 40, 2 000, 6,5 eller -3 %."),
    ("", ""),
    ("Uppdrag", "Uppdrag som fullmäktige eller styrelsen ger nämnder och bolag."),
    ("  Uppdrag-ID", "Kort unik kod, till exempel UPP-1."),
    ("  Uppdrag", "Uppdraget som det står i beslutet."),
    ("  Mottagare", f"Enhet-ID för mottagarna, med semikolon emellan, eller \"{ALL_COMMITTEES}\"."),
    ("  Givet av", "Enhet-ID för den som gav uppdraget, oftast KF eller KS."),
    ("  Återrapportering", "När uppdraget ska redovisas: ett datum (2025-06-30), en rapport (Delårsrapport augusti) eller en frekvens (Månad, Kvartal, Tertial, Halvår, År)."),
]

INSTRUCTIONS_EN: list[tuple[str, str]] = [
    ("Goalload – template for goals, indicators and assignments", ""),
    ("", ""),
    ("How to use the template", ""),
    ("1.", "Fill in the sheets Dokument, Enheter, Mål, Indikatorer and Uppdrag. The example rows show the form – overwrite or delete them."),
    ("2.", "Each row is one thing: a unit, a goal, an indicator or an assignment. Do not change the header row (row 1); Swedish headers are expected."),
    ("3.", "IDs are short codes you choose (e.g. KF, SN, KF-1, I-12). They must be unique within their sheet and link the sheets together."),
    ("4.", "Several IDs in one cell are separated by semicolons, e.g.: SN; KFN"),
    ("5.", f"Write \"{ALL_COMMITTEES}\" as owner or recipient when something applies to all committees; it counts as every unit with level Nämnd or Styrelse."),
    ("6.", "Save as .xlsx and upload the file to Goalload."),
    ("", ""),
    ("Dokument", "About the whole document: Namn (name of the municipality or region), År (budget year), Invånare (inhabitants, used for comparisons per 1,000 inhabitants)."),
    ("", ""),
    ("Enheter", "The organisation, top down (units)."),
    ("  Enhet-ID", "Short unique code, e.g. KF, KS, SN, SOF, SOF-IFO."),
    ("  Enhet", "The name as written in your documents, e.g. Socialnämnden."),
    ("  Nivå", "Level, one of: Fullmäktige (council), Styrelse (executive board), Nämnd (committee), Bolag (company), Förvaltning (administration), Enhet (unit). Pick from the list."),
    ("  Överordnad enhet-ID", "The unit above: a committee's parent is KF, an administration's is its committee, a school's is its administration. Empty for the council."),
    ("", ""),
    ("Mål", "All goals at every level: council goals, committee goals, administration and unit goals."),
    ("  Mål-ID", "Short unique code, e.g. KF-1 or SN-3."),
    ("  Mål", "The goal as worded in the decision."),
    ("  Ansvarig enhet-ID", f"Unit ID of the goal's owner. Several owners separated by semicolons (SN; KFN) or \"{ALL_COMMITTEES}\"."),
    ("  Överordnat mål-ID", "The goal one level up that this goal breaks down. Empty for council goals."),
    ("  Målnivå", "Your own word for the level, e.g. KF-mål, Nämndmål, Verksamhetsmål (free text)."),
    ("  Målområde", "Goal area or perspective, if you use them (free text)."),
    ("", ""),
    ("Indikatorer", "What measures the goals: indicators, key figures, measures."),
    ("  Indikator-ID", "Short unique code, e.g. I-1."),
    ("  Indikator", "The indicator's name."),
    ("  Mål-ID", "The goal or goals the indicator measures, separated by semicolons. Leave empty if it measures no goal (it then counts as an orphan indicator)."),
    ("  Ansvarig enhet-ID", "The unit that produces and reports the value (optional when the goal has an owner)."),
    ("  Frekvens", "Reporting frequency: " + ", ".join(f"{w} ({FREQUENCIES[k]}/yr)" for k, w in FREQUENCY_LABELS_SV.items()) + ". Pick from the list."),
    ("  Källa", "Where the value comes from, e.g. Kolada, Personalsystemet (HR system), Egen enkät (own survey), Manuell sammanställning (manual)."),
    ("  Kolada-ID", "The KPI's Kolada ID (e.g. N15419) when the indicator is in Kolada."),
    ("  Målvärde", "The target as you write it, e.g. 78, < 40, 2 000, 6,5 or -3 %."),
    ("", ""),
    ("Uppdrag", "Assignments given by the council or the executive board to committees and companies."),
    ("  Uppdrag-ID", "Short unique code, e.g. UPP-1."),
    ("  Uppdrag", "The assignment as worded in the decision."),
    ("  Mottagare", f"Recipients' unit IDs separated by semicolons, or \"{ALL_COMMITTEES}\"."),
    ("  Givet av", "Unit ID of the issuer, usually KF or KS."),
    ("  Återrapportering", "Report-back: a date (2025-06-30), a report (Delårsrapport augusti) or a frequency (Månad, Kvartal, Tertial, Halvår, År)."),
]

# Example rows of the template: a tiny municipality that shows every feature once.
EXAMPLE_ROWS: dict[str, list[tuple]] = {
    SHEET_DOCUMENT: [("Namn", "Exempelkommun"), ("År", 2025), ("Invånare", 60000)],
    SHEET_UNITS: [
        ("KF", "Kommunfullmäktige", "Fullmäktige", None),
        ("KS", "Kommunstyrelsen", "Styrelse", "KF"),
        ("SN", "Socialnämnden", "Nämnd", "KF"),
        ("KFN", "Kultur- och fritidsnämnden", "Nämnd", "KF"),
        ("SOF", "Socialförvaltningen", "Förvaltning", "SN"),
        ("SOF-IFO", "Barn- och familjeenheten", "Enhet", "SOF"),
    ],
    SHEET_GOALS: [
        ("KF-1", "Barn och unga ska ha en trygg uppväxt", "KF", None, "KF-mål", "Trygghet"),
        ("KF-2", "Kommunen ska vara en attraktiv arbetsgivare", "KF", None, "KF-mål", "Medarbetare"),
        ("SN-1", "Barn och unga som far illa ska få stöd i tid", "SN", "KF-1", "Nämndmål", "Trygghet"),
        ("GEM-1", "Sänka sjukfrånvaron", ALL_COMMITTEES, "KF-2", "Nämndmål", "Medarbetare"),
        ("SN-2", "Minska ensamheten bland äldre", "SN; KFN", "KF-1", "Nämndmål", "Trygghet"),
        ("IFO-1", "Minska handläggningstiden för utredningar", "SOF-IFO", "SN-1", "Verksamhetsmål", None),
    ],
    SHEET_INDICATORS: [
        ("I-1", "Andel barnavårdsutredningar avslutade inom fyra månader (%)", "SN-1; IFO-1", "SN", "Månad", "Verksamhetssystemet", None, "95"),
        ("I-2", "Sjukfrånvaro totalt bland anställda, kommun, andel (%)", "GEM-1", "KS", "Kvartal", "Kolada", "N00090", "6,5"),
        ("I-3", "Antal deltagare i träffpunkter", "SN-2", "KFN", "Tertial", "Manuell sammanställning", None, "2 000"),
        ("I-4", "Antal orosanmälningar", None, "SN", "Månad", "Verksamhetssystemet", None, None),
    ],
    SHEET_ASSIGNMENTS: [
        ("UPP-1", "Ta fram en plan för kompetensförsörjning", ALL_COMMITTEES, "KF", "Delårsrapport augusti"),
        ("UPP-2", "Redovisa åtgärder för minskad sjukfrånvaro", "SN; KFN", "KS", "Tertial"),
        ("UPP-3", "Utreda samlokalisering av fritidsgård och bibliotek", "KFN", "KF", "2025-06-30"),
    ],
}


def safe_text(value: str) -> str:
    """Drop the control characters Excel cannot store (keeps tab, newline, CR)."""
    return _ILLEGAL.sub("", value)


# ---------------------------------------------------------------------------------------
# A small streaming xlsx writer. openpyxl spends ~35 µs per cell, which makes the
# benchmark sizes (80,000-300,000 rows) take minutes; writing SpreadsheetML directly is
# ten times faster, every string is a shared-string cell (never a formula, never an
# error value), and the bytes are the same for the same content (fixed zip dates).


class Styled(NamedTuple):
    """A cell value with one of the STYLE_* ids."""

    value: object
    style: int


STYLE_DEFAULT, STYLE_HEADER, STYLE_TITLE, STYLE_WRAP, STYLE_BOLD = range(5)

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES_XML = (
    _XML_HEAD + f'<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F0"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})


def _xml(text: str) -> str:
    return safe_text(text)[:32767].translate(_ESCAPES)


@lru_cache(maxsize=256)
def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (0-based, as the writer counts columns)."""
    return get_column_letter(index + 1)


@dataclass
class SheetSpec:
    """One worksheet: rows (tuples of values or Styled), and how it should look."""

    name: str
    rows: Iterable[Sequence]
    widths: Sequence[float] = ()
    freeze_rows: int = 0  # rows kept visible at the top (the header)
    header_row: int | None = None  # 1-based row drawn bold with a fill
    merges: Sequence[str] = ()  # "A5:A7"
    validations: Sequence[tuple[str, Sequence[str], str]] = ()  # (sqref, words, prompt)
    frame: pl.DataFrame | None = None  # data rows after `rows`, written vectorised
    rows_written: int = 0  # set while writing: how many `rows` there were


_FRAME_ROWS = "\x00FRAME-ROWS\x00"  # placeholder; cannot occur in escaped XML


class _Strings:
    """The shared-string table: each distinct text stored once.

    Texts from Python rows get indices as they come (a dict); texts from DataFrames are
    registered afterwards, in bulk, in a polars table (`registry`) whose indices follow.
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0
        self.registry = pl.DataFrame(schema={"text": pl.String, "i": pl.Int64})  # DataFrame texts

    def get(self, text: str) -> int:
        self.count += 1
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.index)
        return i

    def lookup(self, values: pl.Series) -> pl.DataFrame:
        """Register the distinct texts of `values`; returns (text, i) for just those texts."""
        values = values.drop_nulls()
        self.count += values.len()
        wanted = values.unique(maintain_order=True).to_frame("text")
        known = pl.concat([
            pl.DataFrame({"text": list(self.index), "i": list(self.index.values())}, schema={"text": pl.String, "i": pl.Int64}),
            self.registry,
        ])
        found = wanted.join(known, on="text", how="left", maintain_order="left")
        start = len(self.index) + self.registry.height
        new = found.filter(pl.col("i").is_null()).with_columns(i=pl.int_range(0, pl.len(), dtype=pl.Int64) + start)
        self.registry = pl.concat([self.registry, new])
        return pl.concat([found.filter(pl.col("i").is_not_null()), new])

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_xml(t)}</t></si>' for t in self.index)
        bulk = ""
        if self.registry.height:
            escaped = _xml_expr(self.registry.lazy().select(pl.col("text"))).collect()["text"]
            bulk = ("<si><t xml:space=\"preserve\">" + escaped + "</t></si>").str.join("").item()
        unique = len(self.index) + self.registry.height
        return _XML_HEAD + f'<sst xmlns="{_MAIN_NS}" count="{self.count}" uniqueCount="{unique}">{items}{bulk}</sst>'


def _xml_expr(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The vectorised _xml(): drop illegal control characters, truncate, escape."""
    text = pl.col("text").str.replace_all(_ILLEGAL.pattern, "").str.slice(0, 32767)
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;")):
        text = text.str.replace_all(raw, escaped, literal=True)
    return frame.with_columns(text)


def _frame_rows_xml(frame: pl.DataFrame, strings: _Strings, first_row: int) -> str:
    """<row> elements for a whole DataFrame as polars expressions (no per-cell Python).

    String cells become shared strings (indices from `strings`), numbers stay numbers;
    null and NaN cells are left out, as in the row-by-row path.
    """
    names = [f"c{j}" for j in range(frame.width)]
    work = frame.rename(dict(zip(frame.columns, names, strict=True)))
    text_cols = [n for n, t in work.schema.items() if t == pl.String]
    if text_cols:
        lookup = strings.lookup(pl.concat([work[c] for c in text_cols]))
        for c in text_cols:
            work = work.join(lookup.rename({"text": c, "i": f"_i_{c}"}), on=c, how="left", maintain_order="left")
            work = work.with_columns(pl.col(f"_i_{c}").alias(c)).drop(f"_i_{c}")
    row = pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).cast(pl.String)
    cells = []
    for j, (col, dtype) in enumerate(frame.schema.items()):
        name, letter = names[j], column_letter(j)
        value = pl.col(name)
        if dtype == pl.String:
            tail = '" t="s"><v>'
        elif dtype.is_numeric():
            tail = '"><v>'
            if dtype.is_float():
                value = pl.when(value.is_nan()).then(None).otherwise(value)
        else:
            raise TypeError(f"column {col!r}: write {dtype} as text or numbers")
        cells.append(
            pl.when(value.is_not_null())
            .then(pl.concat_str([pl.lit(f'<c r="{letter}'), row, pl.lit(tail), value.cast(pl.String), pl.lit("</v></c>")]))
            .otherwise(pl.lit(""))
        )
    xml = work.select(pl.concat_str([pl.lit('<row r="'), row, pl.lit('">'), *cells, pl.lit("</row>")]).alias("x"))
    return xml["x"].str.join("").item()


def _sheet_xml(spec: SheetSpec, strings: _Strings, selected: bool) -> str:
    parts: list[str] = [_XML_HEAD, f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheetViews><sheetView workbookViewId="0"']
    parts.append(' tabSelected="1">' if selected else ">")
    if spec.freeze_rows:
        top = f"A{spec.freeze_rows + 1}"
        parts.append(
            f'<pane ySplit="{spec.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        )
    parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
    if spec.widths:
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(spec.widths, start=1))
        parts.append(f"<cols>{cols}</cols>")
    parts.append("<sheetData>")
    get = strings.get
    r = 0
    for r, values in enumerate(spec.rows, start=1):
        row_style = STYLE_HEADER if r == spec.header_row else STYLE_DEFAULT
        cells: list[str] = []
        for c, value in enumerate(values):
            style = row_style
            if isinstance(value, Styled):
                value, style = value.value, value.style
            if value is None:
                continue
            ref = f"{column_letter(c)}{r}"
            s_attr = f' s="{style}"' if style else ""
            if isinstance(value, str):
                cells.append(f'<c r="{ref}"{s_attr} t="s"><v>{get(value)}</v></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}"{s_attr} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                if isinstance(value, float) and not math.isfinite(value):
                    continue  # NaN and infinities have no cell form: leave the cell empty
                cells.append(f'<c r="{ref}"{s_attr}><v>{value!r}</v></c>')
            else:
                cells.append(f'<c r="{ref}"{s_attr} t="s"><v>{get(str(value))}</v></c>')
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    spec.rows_written = r
    parts.append(_FRAME_ROWS)  # filled in by write_xlsx once every Python row is written
    parts.append("</sheetData>")
    if spec.merges:
        merged = "".join(f'<mergeCell ref="{m}"/>' for m in spec.merges)
        parts.append(f'<mergeCells count="{len(spec.merges)}">{merged}</mergeCells>')
    if spec.validations:
        parts.append(f'<dataValidations count="{len(spec.validations)}">')
        for sqref, words, prompt in spec.validations:
            parts.append(
                '<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" '
                f'errorTitle="Ogiltigt värde" error="Välj ett värde i listan." promptTitle="{_xml(spec.name)}" '
                f'prompt="{_xml(prompt)}" sqref="{sqref}"><formula1>"{_xml(",".join(words))}"</formula1></dataValidation>'
            )
        parts.append("</dataValidations>")
    parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    return "".join(parts)


def sheet_name(name: str) -> str:
    """What Excel accepts as a sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")[:31] or "Blad"


def write_xlsx(sheets: Sequence[SheetSpec]) -> bytes:
    """A complete .xlsx from sheet specs (what Excel, LibreOffice, calamine and openpyxl read)."""
    strings = _Strings()
    # Python rows first (their texts take the first shared-string indices), then the
    # DataFrames in bulk.
    bodies = [_sheet_xml(spec, strings, i == 0) for i, spec in enumerate(sheets)]
    for i, spec in enumerate(sheets):
        rows_xml = ""
        if spec.frame is not None and spec.frame.height:
            rows_xml = _frame_rows_xml(spec.frame, strings, first_row=spec.rows_written + 1)
        bodies[i] = bodies[i].replace(_FRAME_ROWS, rows_xml, 1)
    n = len(sheets)
    sheet_entries = "".join(
        f'<sheet name="{_xml(sheet_name(spec.name))}" sheetId="{i}" r:id="rId{i}"/>' for i, spec in enumerate(sheets, start=1)
    )
    workbook = _XML_HEAD + (
        f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheet_entries}</sheets></workbook>"
    )
    ws_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    rels = "".join(f'<Relationship Id="rId{i}" Type="{ws_type}" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    rels += (
        f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    )
    sheet_ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_ct}"/>' for i in range(1, n + 1))
    content_types = _XML_HEAD + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}"
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )
    root_rels = _XML_HEAD + (
        f'<Relationships xmlns="{_PKG_REL_NS}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )
    core = _XML_HEAD + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Goalload</dc:creator></cp:coreProperties>'
    )
    app = _XML_HEAD + (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Goalload</Application></Properties>"
    )
    files = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("docProps/core.xml", core),
        ("docProps/app.xml", app),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>'),
        ("xl/styles.xml", _STYLES_XML),
        *((f"xl/worksheets/sheet{i}.xml", body) for i, body in enumerate(bodies, start=1)),
        ("xl/sharedStrings.xml", strings.xml()),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"), compresslevel=1)  # speed over size
    return buffer.getvalue()


def _instructions_sheet(lang: str) -> SheetSpec:
    rows_in = INSTRUCTIONS_EN if lang == "en" else INSTRUCTIONS_SV
    rows: list[tuple] = []
    for i, (a, b) in enumerate(rows_in):
        if i == 0:
            rows.append((Styled(a, STYLE_TITLE),))
            continue
        is_heading = bool(a) and not a.startswith(" ") and not a[0].isdigit()
        first = Styled(a.strip() or None, STYLE_BOLD if is_heading else STYLE_DEFAULT)
        rows.append((first, Styled(b or None, STYLE_WRAP)))
    return SheetSpec(SHEET_INSTRUCTIONS, rows, widths=(24, 110))


def _validations(title: str, last_row: int) -> list[tuple[str, Sequence[str], str]]:
    """Drop-down lists: Nivå on Enheter, Frekvens on Indikatorer (at least 1,000 rows)."""
    end = max(last_row, 1001)
    if title == SHEET_UNITS:
        return [(f"C2:C{end}", LEVEL_WORDS, "Välj nivå: " + ", ".join(LEVEL_WORDS))]
    if title == SHEET_INDICATORS:
        return [(f"E2:E{end}", FREQUENCY_WORDS, "Välj frekvens: " + ", ".join(FREQUENCY_WORDS))]
    return []


def _table_sheets(tables: dict[str, list[tuple] | pl.DataFrame]) -> list[SheetSpec]:
    """The five data sheets; a table is either rows (tuples) or a DataFrame (fast path)."""
    specs = []
    for title in (SHEET_DOCUMENT, SHEET_UNITS, SHEET_GOALS, SHEET_INDICATORS, SHEET_ASSIGNMENTS):
        table = tables.get(title, [])
        frame = table if isinstance(table, pl.DataFrame) else None
        rows = [HEADERS[title]] + ([] if frame is not None else list(table))
        n = frame.height if frame is not None else len(rows) - 1
        specs.append(
            SheetSpec(
                title,
                rows,
                widths=COLUMN_WIDTHS[title],
                freeze_rows=1,
                header_row=1,
                validations=_validations(title, n + 1),
                frame=frame,
            )
        )
    return specs


def template_bytes(lang: str = "sv") -> bytes:
    """The downloadable template: instructions, five sheets, validation lists, examples."""
    return write_xlsx([_instructions_sheet(lang), *_table_sheets(EXAMPLE_ROWS)])


# ---------------------------------------------------------------------------------------
# Any GoalDocument -> template layout


def _joined(frame: pl.DataFrame, key: str, value: str, alias: str) -> pl.DataFrame:
    """key -> "v1; v2" (sorted, so the output is stable)."""
    return frame.group_by(key).agg(pl.col(value).drop_nulls().unique().sort().str.join(f"{LIST_SEPARATOR} ").alias(alias))


def _all_committees_label(joined: pl.DataFrame, ids_col: str, committees: list[str]) -> pl.DataFrame:
    """Write "Samtliga nämnder" where the ids are exactly every committee (2 or more)."""
    if len(committees) < 2:
        return joined
    every = f"{LIST_SEPARATOR} ".join(sorted(committees))
    return joined.with_columns(
        pl.when(pl.col(ids_col) == every).then(pl.lit(ALL_COMMITTEES)).otherwise(pl.col(ids_col)).alias(ids_col)
    )


def document_tables(doc: GoalDocument, *, use_all_committees: bool = True) -> dict[str, list[tuple] | pl.DataFrame]:
    """The document as the template's sheets (without headers): Dokument as rows, the rest
    as DataFrames in sheet column order."""
    committees = doc.units.filter(pl.col("level").is_in(ALL_COMMITTEE_LEVELS))["unit_id"].to_list()
    label = {k: v for k, v in LEVEL_LABELS_SV.items()}
    units = doc.units.select(
        "unit_id", "name", pl.col("level").replace_strict(label, default=pl.col("level")), "parent_id"
    )
    owners = _joined(doc.goal_owners, "goal_id", "unit_id", "owners")
    if use_all_committees:
        owners = _all_committees_label(owners, "owners", committees)
    goals = doc.goals.join(owners, on="goal_id", how="left").select(
        "goal_id", "text", "owners", "parent_goal_id", "goal_level", "area"
    )
    # One row per (indicator, target): an indicator whose goals share a target is one row
    # with its goal ids joined; differing targets need one row each.
    links = (
        doc.goal_indicators.group_by("indicator_id", "target_text", maintain_order=True)
        .agg(pl.col("goal_id").unique(maintain_order=True).str.join(f"{LIST_SEPARATOR} ").alias("goal_ids"))
    )
    freq = FREQUENCY_LABELS_SV
    inds = (
        doc.indicators.join(links, on="indicator_id", how="left", maintain_order="left")
        .select(
            "indicator_id",
            "name",
            "goal_ids",
            "owner_id",
            pl.col("frequency").replace_strict(freq, default=None),
            "source",
            "kolada_id",
            "target_text",
        )
    )
    recipients = _joined(doc.assignment_recipients, "assignment_id", "unit_id", "recipients")
    if use_all_committees:
        recipients = _all_committees_label(recipients, "recipients", committees)
    assignments = doc.assignments.join(recipients, on="assignment_id", how="left").select(
        "assignment_id", "text", "recipients", "issuer_id", "report_back"
    )
    info = [("Namn", doc.name)]
    if doc.year is not None:
        info.append(("År", doc.year))
    if doc.population is not None:
        info.append(("Invånare", doc.population))
    return {
        SHEET_DOCUMENT: info,
        SHEET_UNITS: units,
        SHEET_GOALS: goals,
        SHEET_INDICATORS: inds,
        SHEET_ASSIGNMENTS: assignments,
    }


def document_to_workbook_bytes(doc: GoalDocument, *, lang: str = "sv", use_all_committees: bool = True) -> bytes:
    """Write any GoalDocument in the template layout, so goalload.read reads it back."""
    tables = document_tables(doc, use_all_committees=use_all_committees)
    return write_xlsx([_instructions_sheet(lang), *_table_sheets(tables)])
