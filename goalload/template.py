"""The product's own Excel layout: the downloadable template and any document written in it.

One layout for both directions: `template_bytes()` hands a controller an empty-but-
explained workbook (instructions, validation lists, example rows), and
`document_to_workbook_bytes()` writes any GoalDocument in the same layout, so what
goalload.read reads back is the same document (tables, counts, ids).

User text is always written as text: a goal that begins with "=" must never become a
formula in someone's Excel (formula injection), and "#N/A" must not become an error.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

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

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")

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


def _text_cell(ws, value: str) -> Cell:
    """A cell that is text whatever the text looks like ("=SUM(A1)", "#N/A", "+46 ...")."""
    cell = WriteOnlyCell(ws)
    cell._value = safe_text(value)[:32767]
    cell.data_type = "s"
    return cell


def _row(ws, values: Iterable) -> list:
    """Row values for write-only append; risky strings become explicit text cells."""
    out: list = []
    for v in values:
        if isinstance(v, str):
            if v[:1] in ("=", "+", "-", "@", "\t", "\r") or v in ERROR_CODES or _ILLEGAL.search(v):
                out.append(_text_cell(ws, v))
            else:
                out.append(v)
        else:
            out.append(v)
    return out


def _header_cells(ws, headers: Sequence[str]) -> list[Cell]:
    cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = _HEADER_FONT
        c.fill = _HEADER_FILL
        cells.append(c)
    return cells


def _new_sheet(wb: Workbook, title: str):
    """A write-only sheet with widths, frozen header and bold header row."""
    ws = wb.create_sheet(title)
    for i, width in enumerate(COLUMN_WIDTHS[title], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    return ws


def _instructions(wb: Workbook, lang: str) -> None:
    ws = wb.create_sheet(SHEET_INSTRUCTIONS)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    rows = INSTRUCTIONS_EN if lang == "en" else INSTRUCTIONS_SV
    heading = {r[0] for r in rows if r[0] and not r[0].startswith((" ", "1", "2", "3", "4", "5", "6"))}
    for i, (a, b) in enumerate(rows):
        if i == 0:
            c = WriteOnlyCell(ws, value=a)
            c.font = Font(bold=True, size=14)
            ws.append([c])
            continue
        first = WriteOnlyCell(ws, value=a.strip() if a else None)
        if a in heading:
            first.font = _HEADER_FONT
        second = WriteOnlyCell(ws, value=b or None)
        second.alignment = Alignment(wrap_text=True, vertical="top")
        ws.append([first, second])


def _validations(ws, title: str, first_row: int, last_row: int) -> None:
    """Drop-down lists: Nivå on Enheter, Frekvens on Indikatorer."""
    if title == SHEET_UNITS:
        words, col = LEVEL_WORDS, "C"
        prompt = "Välj nivå: " + ", ".join(words)
    elif title == SHEET_INDICATORS:
        words, col = FREQUENCY_WORDS, "E"
        prompt = "Välj frekvens: " + ", ".join(words)
    else:
        return
    dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
    dv.error = "Välj ett värde i listan."
    dv.errorTitle = "Ogiltigt värde"
    dv.prompt = prompt
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.add(f"{col}{first_row}:{col}{max(last_row, first_row + 999)}")
    ws.data_validations.append(dv)  # write-only sheets have no add_data_validation()


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_tables(wb: Workbook, tables: dict[str, list[tuple]]) -> None:
    for title in (SHEET_DOCUMENT, SHEET_UNITS, SHEET_GOALS, SHEET_INDICATORS, SHEET_ASSIGNMENTS):
        ws = _new_sheet(wb, title)
        rows = tables.get(title, [])
        _validations(ws, title, 2, len(rows) + 1)
        ws.append(_header_cells(ws, HEADERS[title]))
        for r in rows:
            ws.append(_row(ws, r))


def template_bytes(lang: str = "sv") -> bytes:
    """The downloadable template: instructions, five sheets, validation lists, examples."""
    wb = Workbook(write_only=True)
    _instructions(wb, lang)
    _write_tables(wb, EXAMPLE_ROWS)
    return _save(wb)


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


def document_tables(doc: GoalDocument, *, use_all_committees: bool = True) -> dict[str, list[tuple]]:
    """The document as rows of the template's sheets (without headers)."""
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
        SHEET_UNITS: units.rows(),
        SHEET_GOALS: goals.rows(),
        SHEET_INDICATORS: inds.rows(),
        SHEET_ASSIGNMENTS: assignments.rows(),
    }


def document_to_workbook_bytes(doc: GoalDocument, *, lang: str = "sv", use_all_committees: bool = True) -> bytes:
    """Write any GoalDocument in the template layout (write-only mode: fast at any size)."""
    wb = Workbook(write_only=True)
    _instructions(wb, lang)
    _write_tables(wb, document_tables(doc, use_all_committees=use_all_committees))
    return _save(wb)
