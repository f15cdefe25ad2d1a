"""What people type into goal-document cells, parsed as polars expressions.

Frequencies as Swedish words ("Månad", "kvartalsvis", "2 ggr/år"), targets as typed text
("< 40", "2 000", "6,5", "-3 %"), several names in one cell ("Socialnämnden, Kultur- och
fritidsnämnden"), Kolada ids anywhere in a cell, and sources in free text. Each parser is
an expression so it runs over a whole column at once.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pyarrow as pa

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


def per_distinct(expr: pl.Expr, parse, dtype) -> pl.Expr:
    """parse(expr), computed once per distinct value: a column of 80,000 cells often holds
    a few dozen words ("Månad", "Kolada"), and regexes cost per cell. `parse` must be
    elementwise (each cell's result depends on that cell alone)."""

    def run(values: pl.Series) -> pl.Series:
        frame = values.rename("v").to_frame()
        if values.approx_n_unique() * 4 > len(values):  # mostly distinct: parse each
            return frame.select(parse(pl.col("v")).alias("o"))["o"]
        distinct = values.unique()
        parsed = distinct.rename("v").to_frame().with_columns(parse(pl.col("v")).alias("o"))
        return frame.join(parsed, on="v", how="left", nulls_equal=True,
                          maintain_order="left")["o"]

    return expr.map_batches(run, return_dtype=dtype, is_elementwise=True)


def frequency_expr(expr: pl.Expr) -> pl.Expr:
    """A frequency word -> the frequency key (null when blank or unknown)."""
    return per_distinct(expr, _frequency, pl.String)


def _frequency(expr: pl.Expr) -> pl.Expr:
    return _fold(expr).replace_strict(FREQUENCY_WORDS, default=None, return_dtype=pl.String)


def report_back_expr(expr: pl.Expr) -> pl.Expr:
    """Report-backs per year of an assignment: a frequency word gives its occasions; a
    date, a report name or anything else is a one-off report-back and counts 1."""
    return per_distinct(expr, _report_backs, pl.Int64)


def _report_backs(expr: pl.Expr) -> pl.Expr:
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
    return per_distinct(expr, _target_value, pl.Float64)


def _target_value(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.extract(_NUMBER, 1)
        .str.replace_all(r"[\s\u00a0\u202f]", "")
        .str.replace_all("[−–]", "-")
        .str.replace(",", ".", literal=True)
        .cast(pl.Float64, strict=False)
    )


def kolada_id_expr(*exprs: pl.Expr) -> pl.Expr:
    """The first Kolada id (N12345 / U12345) found in any of the given cells."""
    return pl.coalesce([per_distinct(e, _kolada_id, pl.String) for e in exprs])


def _kolada_id(expr: pl.Expr) -> pl.Expr:
    return expr.str.extract(KOLADA_ID_PATTERN, 1)


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
    kind = per_distinct(source, _source_kind, pl.String)
    return pl.when(kolada_id.is_not_null()).then(pl.lit("kolada")).otherwise(kind)


def _source_kind(source: pl.Expr) -> pl.Expr:
    folded = source.str.to_lowercase()
    kind = pl.lit("unknown")
    for pattern, key in reversed(SOURCE_KIND_PATTERNS):
        kind = pl.when(folded.str.contains(pattern)).then(pl.lit(key)).otherwise(kind)
    return kind


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
# most expensive step of reading a large workbook. In UTF-8 a character from U+0300 on
# starts with a byte >= 0xCC, and no byte of a smaller character is that large.
_FIRST_BYTE_FROM_U0300 = 0xCC


def _utf8(values: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string column and where each cell starts (arrow's layout),
    so that whole columns can be checked in numpy instead of a regex per cell."""
    array = values.to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    _, offsets, data = array.buffers()
    starts = np.frombuffer(offsets, dtype=np.int64, count=len(array) + 1,
                           offset=array.offset * 8)
    text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return text[starts[0]: starts[-1]], starts - starts[0]


def _nfc_series(values: pl.Series) -> pl.Series:
    text, _ = _utf8(values)
    if (text >= _FIRST_BYTE_FROM_U0300).any():
        return values.str.normalize("NFC")
    return values


def nfc_expr(expr: pl.Expr) -> pl.Expr:
    """expr.str.normalize("NFC"), skipped for a column that cannot change by it."""
    return expr.map_batches(_nfc_series, return_dtype=pl.String, is_elementwise=True)


_ODD_SPACES = r"[\u00a0\u202f\u2007 \t]+"


# First bytes of the UTF-8 whitespace characters above ASCII (regex \s is Unicode's
# White_Space: U+0085 and U+00A0 start with C2, U+1680 with E1, U+2000-U+205F with E2,
# U+3000 with E3).
_WHITESPACE_LEADS = np.zeros(256, dtype=bool)  # byte -> is such a first byte
_WHITESPACE_LEADS[[0xC2, 0xE1, 0xE2, 0xE3]] = True


def _two_spaces(text: np.ndarray) -> bool:
    """Whether two spaces follow each other: 16-bit compares at even and odd offsets."""
    pairs = text[: text.size // 2 * 2].view("<u2")
    odd = text[1: 1 + (text.size - 1) // 2 * 2].view("<u2")
    return bool((pairs == 0x2020).any() or (odd == 0x2020).any())


def _needs_cleaning(text: np.ndarray, starts: np.ndarray) -> tuple[bool, bool, bool]:
    """(NFC, odd spaces, trim): which cleaning steps can change text with these bytes."""
    if not text.size:
        return False, False, False
    high, low = int(text.max()), int(text.min())
    nfc = high >= _FIRST_BYTE_FROM_U0300
    # Tab (or any control byte), U+00A0 (C2 A0), U+2007 and U+202F (E2 80 .., so
    # nfc) or two spaces in a row.
    spaces = nfc or low < 32 or (high >= 0xA0 and bool((text == 0xA0).any())) or _two_spaces(text)
    # Whitespace is ASCII up to the space, or a character whose first byte is one of
    # _WHITESPACE_LEADS (2 bytes after C2, 3 after E1-E3): look at the first byte of
    # each cell, and at the last three when the cell ends in a longer character.
    filled = starts[1:] > starts[:-1]
    first = text[starts[:-1][filled]]
    end = starts[1:][filled]
    last = text[end - 1]
    wide = last >= 0x80
    lead = np.concatenate([text[np.maximum(end[wide] - 2, 0)], text[np.maximum(end[wide] - 3, 0)]])
    trim = spaces or bool((first <= 32).any() or (last <= 32).any()
                          or _WHITESPACE_LEADS[first].any()
                          or _WHITESPACE_LEADS[lead].any())
    return nfc, spaces, trim


def _clean_series(values: pl.Series) -> pl.Series:
    """NFC, odd spaces and runs to one space, trimmed, empty -> null; each step runs only
    when the column's bytes show it can change something (most columns need none)."""
    nfc, spaces, trim = _needs_cleaning(*_utf8(values))
    if nfc:
        values = values.str.normalize("NFC")
    if spaces:
        values = values.str.replace_all(_ODD_SPACES, " ")
    if trim:
        values = values.str.strip_chars()
    return values.replace("", None)


def clean_text_expr(expr: pl.Expr) -> pl.Expr:
    """NFC, no stray or non-breaking whitespace, empty -> null."""
    return expr.map_batches(_clean_series, return_dtype=pl.String, is_elementwise=True)


def clean_text_frame(frame: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """clean_text_expr on every (string) column, and whether any cell holds a "#" (where
    Excel error values can be). The whole sheet's bytes are checked at once: a small
    sheet that needs no cleaning costs one check, not one per column."""
    if not all(dtype == pl.String for dtype in frame.dtypes):
        return frame.with_columns(clean_text_expr(pl.col(c)).alias(c) for c in frame.columns), True
    text, starts = _utf8(pl.concat([frame[c] for c in frame.columns]))
    hashes = bool((text == 35).any())
    if any(_needs_cleaning(text, starts)):
        return frame.with_columns(clean_text_expr(pl.col(c)).alias(c) for c in frame.columns), hashes
    empty = np.flatnonzero(starts[1:] == starts[:-1])  # "" or null
    if empty.size and frame.select(pl.any_horizontal(pl.all() == "").any()).item():
        frame = frame.with_columns(pl.col(c).replace("", None) for c in frame.columns)
    return frame, hashes


def name_key_expr(expr: pl.Expr) -> pl.Expr:
    """The key two spellings of one name share: casefolded, single-spaced, no end dots."""
    return expr.map_batches(_name_key_series, return_dtype=pl.String, is_elementwise=True)


_KEY_ENDS = np.zeros(256, dtype=bool)
_KEY_ENDS[list(b" .:;,")] = True


def _name_key_series(values: pl.Series) -> pl.Series:
    """nfc, lowercase, whitespace runs to one space, strip " .:;,"; the whitespace and
    strip steps run only when the column's bytes show they can change something."""
    text, starts = _utf8(values)
    nfc = bool((text >= _FIRST_BYTE_FROM_U0300).any())
    if nfc:
        values = values.str.normalize("NFC")
    values = values.str.to_lowercase()
    # Without bytes >= 0xCC, whitespace beyond ASCII can only be U+0085 or U+00A0 (C2 ..).
    spaces = nfc or bool((text < 32).any() or (text == 0xC2).any()
                         or ((text[:-1] == 32) & (text[1:] == 32)).any())
    if spaces:
        values = values.str.replace_all(r"[\s\u00a0]+", " ")
    filled = starts[1:] > starts[:-1]
    ends = np.concatenate([text[starts[:-1][filled]], text[starts[1:][filled] - 1]])
    if spaces or _KEY_ENDS[ends].any():
        values = values.str.strip_chars(" .:;,")
    return values
