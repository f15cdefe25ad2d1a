"""What people type into goal-document cells, parsed as polars expressions.

Frequencies as Swedish words ("Månad", "kvartalsvis", "2 ggr/år"), targets as typed text
("< 40", "2 000", "6,5", "-3 %"), several names in one cell ("Socialnämnden, Kultur- och
fritidsnämnden"), Kolada ids anywhere in a cell, and sources in free text. Each parser is
an expression so it runs over a whole column at once.
"""

from __future__ import annotations

import re

import polars as pl

KOLADA_ID_PATTERN = r"\b([NU]\d{5})\b"
KOLADA_ID_RE = re.compile(KOLADA_ID_PATTERN)

# Excel error values that arrive as text; they mean "no value" and deserve a finding.
EXCEL_ERROR_PATTERN = r"^#(REF!|DIV/0!|N/A|NAME\?|VALUE!|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$"

# Word -> frequency. Matched on the casefolded, trimmed cell; then on a word inside it.
FREQUENCY_WORDS: dict[str, str] = {
    "vecka": "week", "veckovis": "week", "varje vecka": "week", "weekly": "week",
    "week": "week", "52": "week",
    "månad": "month", "månader": "month", "månadsvis": "month", "mån": "month",
    "varje månad": "month", "per månad": "month", "månatligen": "month",
    "monthly": "month", "month": "month", "12": "month", "12 ggr år": "month",
    "kvartal": "quarter", "kvartalsvis": "quarter", "varje kvartal": "quarter",
    "per kvartal": "quarter", "quarterly": "quarter", "quarter": "quarter", "4": "quarter",
    "4 ggr år": "quarter",
    "tertial": "tertial", "tertialvis": "tertial", "varje tertial": "tertial",
    "per tertial": "tertial", "tertiary": "tertial", "3": "tertial", "3 ggr år": "tertial",
    "halvår": "half_year", "halvårsvis": "half_year", "varje halvår": "half_year",
    "per halvår": "half_year", "två gånger per år": "half_year", "2 ggr år": "half_year",
    "half-year": "half_year", "half year": "half_year", "semiannual": "half_year",
    "semi-annually": "half_year", "biannual": "half_year", "2": "half_year",
    "år": "year", "årsvis": "year", "årligen": "year", "varje år": "year",
    "per år": "year", "helår": "year", "en gång per år": "year", "1 gång år": "year",
    "årsredovisning": "year", "bokslut": "year", "yearly": "year", "annual": "year",
    "annually": "year", "year": "year", "1": "year",
}

_FREQUENCY_IN_TEXT = [
    (r"\bmånad|\bmonthly\b", "month"),
    (r"\bkvartal|\bquarter", "quarter"),
    (r"\btertial", "tertial"),
    (r"\bhalvår|\bhalf.?year", "half_year"),
    (r"\bvecka|\bveckovis|\bweekly", "week"),
]


def _fold(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.to_lowercase()
        .str.replace_all(r"[./]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" .:-")
    )


def frequency_expr(expr: pl.Expr) -> pl.Expr:
    """A frequency word -> the frequency key (null when blank or unknown)."""
    return _fold(expr).replace_strict(FREQUENCY_WORDS, default=None, return_dtype=pl.String)


def report_back_expr(expr: pl.Expr) -> pl.Expr:
    """Report-backs per year of an assignment: a frequency word gives its occasions; a
    date, a report name or anything else is a one-off report-back and counts 1."""
    from goalload.model import FREQUENCIES

    folded = _fold(expr)
    exact = folded.replace_strict(FREQUENCY_WORDS, default=None, return_dtype=pl.String)
    inside = pl.lit(None, dtype=pl.String)
    for pattern, key in reversed(_FREQUENCY_IN_TEXT):
        inside = pl.when(folded.str.contains(pattern)).then(pl.lit(key)).otherwise(inside)
    # "Delårsrapport" and "Årsredovisning" are one report each year, not a cadence word.
    key = pl.coalesce(exact, inside)
    return key.replace_strict(FREQUENCIES, default=1, return_dtype=pl.Int64)


_NUMBER = r"([-−–+]?\s?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|[-−–+]?\s?\d+(?:[.,]\d+)?)"


def target_value_expr(expr: pl.Expr) -> pl.Expr:
    """'< 40' -> 40, '2 000' -> 2000, '6,5' -> 6.5, '-3 %' -> -3; null when no number."""
    return (
        expr.str.extract(_NUMBER, 1)
        .str.replace_all(r"[\s\u00a0\u202f]", "")
        .str.replace_all("[−–]", "-")
        .str.replace(",", ".", literal=True)
        .cast(pl.Float64, strict=False)
    )


def kolada_id_expr(*exprs: pl.Expr) -> pl.Expr:
    """The first Kolada id (N12345 / U12345) found in any of the given cells."""
    return pl.coalesce([e.str.extract(KOLADA_ID_PATTERN, 1) for e in exprs])


SOURCE_KIND_PATTERNS: list[tuple[str, str]] = [
    (r"kolada|\b[nu]\d{5}\b|\brka\b", "kolada"),
    (
        r"enkät|undersökning|survey|brukarbedömning|medarbetarundersökning|"
        r"elevenkät|medborgarundersökning|scb:s medborgar|skolenkät|\bhme\b",
        "survey",
    ),
    (r"manuell|manuellt|hand|egen sammanställning|egen räkning|excel|manual|räknas", "manual"),
    (
        r"system|register|statistik|scb|ekonomi|personal|lön|hr\b|procapita|treserva|"
        r"lifecare|visma|agresso|raindance|heroma|skolverket|socialstyrelsen|database|bi\b",
        "system",
    ),
]


def source_kind_expr(source: pl.Expr, kolada_id: pl.Expr) -> pl.Expr:
    """Classify a free-text source as kolada, survey, manual, system or unknown."""
    folded = source.str.to_lowercase()
    kind = pl.lit("unknown")
    for pattern, key in reversed(SOURCE_KIND_PATTERNS):
        kind = pl.when(folded.str.contains(pattern)).then(pl.lit(key)).otherwise(kind)
    return pl.when(kolada_id.is_not_null()).then(pl.lit("kolada")).otherwise(kind)


# Several names in one cell. Commas separate unit names ("Socialnämnden, Kultur- och
# fritidsnämnden") but not indicator names ("Sjukfrånvaro, andel av arbetstid (%)").
NAME_LIST_SEPARATORS = r"\s*(?:;|,|\n|\r|\t|•)\s*"
INDICATOR_LIST_SEPARATORS = r"\s*(?:;|\n|\r|•)\s*"

ALL_COMMITTEES_PATTERN = (
    r"^(samtliga|alla|varje)\s+(nämnder|nämnderna|förvaltningar|förvaltningarna|"
    r"nämnder och styrelser|nämnder och bolag|nämnder och styrelsen|nämnder och förvaltningar)$"
    r"|^all committees$|^every committee$"
)


def split_list(expr: pl.Expr, separators: str) -> pl.Expr:
    """A cell with several items -> a list of trimmed, non-empty items."""
    parts = expr.str.replace_all(separators, "\u0001").str.split("\u0001")
    return parts.list.eval(pl.element().str.strip_chars()).list.eval(
        pl.element().filter(pl.element() != "")
    )


# Every character below U+0300 is its own NFC form and none of them combines with
# another (combining marks start at U+0300), so text made only of them (all Swedish
# and English text) is already NFC: normalising it is pure cost, and polars' NFC is the
# most expensive step of reading a large workbook.
_MAY_NEED_NFC = r"[^\x00-\x{2FF}]"


def _nfc_series(values: pl.Series) -> pl.Series:
    if values.str.contains(_MAY_NEED_NFC).any():
        return values.str.normalize("NFC")
    return values


def nfc_expr(expr: pl.Expr) -> pl.Expr:
    """expr.str.normalize("NFC"), skipped for a column that cannot change by it."""
    return expr.map_batches(_nfc_series, return_dtype=pl.String, is_elementwise=True)


def clean_text_expr(expr: pl.Expr) -> pl.Expr:
    """NFC, no stray or non-breaking whitespace, empty -> null."""
    # One regex pass for both the odd spaces and the runs; replace() rather than
    # when/then, which evaluates `cleaned` twice in eager frames (no CSE there).
    cleaned = (
        nfc_expr(expr)
        .str.replace_all(r"[\u00a0\u202f\u2007 \t]+", " ")
        .str.strip_chars()
    )
    return cleaned.replace("", None)


def name_key_expr(expr: pl.Expr) -> pl.Expr:
    """The key two spellings of one name share: casefolded, single-spaced, no end dots."""
    return (
        nfc_expr(expr)
        .str.to_lowercase()
        .str.replace_all(r"[\s\u00a0]+", " ")
        .str.strip_chars(" .:;,")
    )
