"""Limits on what goalload reads, checked before the expensive work starts.

A municipality's goal document is at most a few MB and some thousands of rows; a file
far beyond that is a mistake or an attack, and is refused with a message that says the
limit and what to do instead. The checks run before calamine parses anything, because
calamine builds a dense grid from the first to the last cell with a value: a 1 KB
workbook with values in A1 and XFD1048576 asks it for 17 billion cells and takes the
whole server down. So every zip-based workbook is unpacked here once, as a stream that
stops at the limit, counting the real bytes (declared sizes can lie) and the extent of
the cells on every sheet.

The time budget is checked between the stages of reading (unpacking, each sheet loaded,
cleaned, its header found); the size limits keep every single stage short. It counts the
CPU time the process spends, not only the wall clock, so a valid read on a busy machine
is not stopped for waiting.
"""

from __future__ import annotations

import html
import io
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from goalload.errors import InputError, LimitExceeded

MAX_FILE_BYTES = 50 * 1024 * 1024  # also server.maxUploadSize (MB) in .streamlit/config.toml
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # applies once the archive unpacks to more than RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000  # per sheet, from the first to the last row with a value
MAX_COLUMNS = 200  # per sheet, from the first to the last column with a value
MAX_CELLS = 3_000_000  # rows x columns summed over the sheets (calamine's grid)
MAX_SHEETS = 200
MAX_READ_SECONDS = 60.0

_CHUNK = 1 << 20


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f}".replace(",", " ") + " MB"


def _int(n: int) -> str:
    return f"{n:,}".replace(",", " ")


# ------------------------------------------------------------------ time budget ----------

@dataclass(frozen=True)
class Deadline:
    """When a read must be done, by the process's CPU time and by the wall clock.

    A read stops only when both have run out: on a loaded machine a valid read waits for
    a core (wall time passes, CPU time does not), and polars' threads can spend CPU time
    faster than the wall clock runs; a read that really works too long exceeds both."""

    cpu: float  # time.process_time()
    wall: float  # time.monotonic()

    def passed(self) -> bool:
        # The wall clock first: it is cheap to read, the process's CPU time is a syscall.
        return time.monotonic() > self.wall and time.process_time() > self.cpu


def deadline() -> Deadline:
    """The deadline of a read that starts now."""
    return Deadline(time.process_time() + MAX_READ_SECONDS, time.monotonic() + MAX_READ_SECONDS)


def check_time(until: Deadline | None, stage: str = "") -> None:
    """LimitExceeded when the read is past its deadline; cheap, call it between stages.

    The deadline travels with the read (goalload.sheets puts it on every RawSheet), so
    one session's slow file never stops another's."""
    if until is None or not until.passed():
        return
    where = f" (vid {stage})" if stage else ""
    raise LimitExceeded(
        f"Inläsningen tog mer än {MAX_READ_SECONDS:.0f} sekunder och avbröts{where}. "
        "Dokumentet är för stort eller för invecklat: ta bort blad och kolumner som inte "
        "hör till målen, eller dela upp det i flera filer."
    )


# ------------------------------------------------------------------ whole file -----------

def check_file_limits(data: bytes, file_name: str) -> None:
    """Size and, for zip-based workbooks, what the archive declares it unpacks to.

    The declared sizes are checked here because it is instant; inspect_zip() later
    unpacks the archive for real and checks again, because declared sizes can lie.
    """
    if len(data) > MAX_FILE_BYTES:
        raise LimitExceeded(
            f"Filen '{file_name}' är {_mb(len(data))}; gränsen är {_mb(MAX_FILE_BYTES)}. "
            "Dela upp dokumentet i flera filer eller ta bort bilder och blad som inte behövs."
        )
    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception:  # noqa: BLE001 - any unreadable zip
        return  # not a readable zip: the loading layer says the file is damaged
    _check_unpacked_size(sum(m.file_size for m in members), len(data), file_name)


def _check_unpacked_size(total: int, packed: int, file_name: str) -> None:
    ratio = total / max(packed, 1)
    if total > MAX_UNCOMPRESSED_BYTES or (
        total > RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO
    ):
        raise LimitExceeded(
            f"Filen '{file_name}' packas upp till mer än {_mb(total)} "
            f"({_int(round(ratio))} gånger sin egen storlek; gränserna är "
            f"{_mb(MAX_UNCOMPRESSED_BYTES)} och {MAX_COMPRESSION_RATIO} gånger). Det är inte "
            "ett vanligt måldokument: öppna filen i Excel, ta bort det som inte hör till målen "
            "och spara en ny kopia."
        )


# ------------------------------------------------------------------ zip inspection -------

@dataclass
class Extent:
    """Where the cells with values lie on one sheet (1-based rows, 0-based columns)."""

    min_row: int | None = None
    max_row: int = 0
    min_col: int | None = None
    max_col: int = -1
    last_cell: str = ""  # the cell furthest down or right, e.g. "XFD1048576"

    def add(self, row: int, col: int) -> None:
        if self.min_row is None or row < self.min_row:
            self.min_row = row
        if self.min_col is None or col < self.min_col:
            self.min_col = col
        if row > self.max_row or col > self.max_col:
            self.last_cell = f"{column_letters(max(col, self.max_col))}{max(row, self.max_row)}"
        self.max_row = max(self.max_row, row)
        self.max_col = max(self.max_col, col)

    @property
    def rows(self) -> int:
        return 0 if self.min_row is None else self.max_row - self.min_row + 1

    @property
    def columns(self) -> int:
        return 0 if self.min_col is None else self.max_col - self.min_col + 1


@dataclass
class ZipReport:
    """What a zip-based file holds: its kind, and for workbooks their sheets' extents."""

    kind: str  # xlsx | xlsb | ods | docx | pptx | odf_other | other
    names: list[str]
    sheets: dict[str, Extent] = field(default_factory=dict)  # sheet name -> extent
    unpacked_bytes: int = 0
    macros: bool = False


def column_letters(index: int) -> str:
    """0 -> 'A', 16383 -> 'XFD'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _damaged(file_name: str) -> InputError:
    return InputError(
        f"Filen '{file_name}' är skadad: den är en ofullständig eller trasig zip-fil (så "
        "sparas .xlsx och .ods). Den kan ha avbrutits vid nedladdning eller kopiering. Öppna "
        "originalet i Excel eller LibreOffice, spara en ny kopia som .xlsx och försök igen."
    )


def _kind(names: set[str], data: bytes) -> str:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "content.xml" in names:
        return "ods" if b"opendocument.spreadsheet" in data[:200] or "mimetype" not in names \
            else "odf_other"
    return "other"


def inspect_zip(data: bytes, file_name: str, until: Deadline | None = None) -> ZipReport:
    """Unpack a zip-based workbook as a stream and check it against every limit.

    Raises InputError when the zip is damaged and LimitExceeded when it unpacks to too
    much or a sheet reaches too far; returns the kind of file and each sheet's extent.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # noqa: BLE001 - zipfile raises many kinds on garbage
        raise _damaged(file_name) from exc
    names = {m.filename for m in members}
    kind = _kind(names, data)
    report = ZipReport(kind=kind, names=sorted(names),
                       macros=any(n.lower().endswith("vbaproject.bin") for n in names))
    if kind not in ("xlsx", "ods"):
        return report
    _check_unpacked_size(sum(m.file_size for m in members), len(data), file_name)
    if any(m.flag_bits & 0x1 for m in members):
        raise InputError(
            f"Filen '{file_name}' är lösenordsskyddad. Öppna den, ta bort lösenordet "
            "(Arkiv > Info > Skydda arbetsbok i Excel), spara och försök igen."
        )
    sheet_parts = _xlsx_sheet_parts(archive) if kind == "xlsx" else {}
    if len(sheet_parts) > MAX_SHEETS:
        raise LimitExceeded(
            f"Filen '{file_name}' har {_int(len(sheet_parts))} blad; gränsen är {MAX_SHEETS}. "
            "Ta bort blad som inte hör till måldokumentet."
        )
    counter = _Counter(len(data), file_name)
    for member in members:
        stream = counter.count(_unpack(data, member, file_name))
        if member.filename in sheet_parts:
            extent = _xlsx_extent_fast(stream)
            if extent is None:  # not the usual layout: the general scan, from the start
                extent = _xlsx_extent(_unpack(data, member, file_name))
            report.sheets[sheet_parts[member.filename]] = extent
        elif kind == "ods" and member.filename == "content.xml":
            report.sheets.update(_ods_extents(stream))
        else:
            for _ in stream:
                pass
        check_time(until, "uppackning")
    report.unpacked_bytes = counter.total
    _check_extents(report.sheets, file_name)
    return report


class _Counter:
    """Counts the bytes unpacked so far and stops at the limits."""

    def __init__(self, packed: int, file_name: str) -> None:
        self.packed, self.file_name, self.total = packed, file_name, 0

    def count(self, stream: Iterator[bytes]) -> Iterator[bytes]:
        for chunk in stream:
            self.total += len(chunk)
            if self.total > MAX_UNCOMPRESSED_BYTES or (
                self.total > RATIO_FLOOR_BYTES
                and self.total / self.packed > MAX_COMPRESSION_RATIO
            ):
                _check_unpacked_size(self.total, self.packed, self.file_name)
            yield chunk


def _unpack(data: bytes, member: zipfile.ZipInfo, file_name: str) -> Iterator[bytes]:
    """A member's real content, in chunks, from its local header on: no declared size
    is trusted (the deflate stream says where it ends)."""
    offset = member.header_offset
    header = data[offset: offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _damaged(file_name)
    method = struct.unpack("<H", header[8:10])[0]
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_len + extra_len
    view = memoryview(data)
    if method == zipfile.ZIP_STORED:
        end = start + member.compress_size
        if end > len(data):
            raise _damaged(file_name)
        for pos in range(start, end, _CHUNK):
            yield bytes(view[pos: min(pos + _CHUNK, end)])
        return
    if method != zipfile.ZIP_DEFLATED:
        raise InputError(
            f"Filen '{file_name}' är packad på ett sätt som Excel och LibreOffice inte "
            f"använder (komprimeringsmetod {method}). Öppna den och spara en ny kopia som "
            ".xlsx."
        )
    inflater = zlib.decompressobj(-15)
    pos = start
    try:
        while not inflater.eof:
            if pos >= len(data):
                raise _damaged(file_name)
            pending = bytes(view[pos: pos + _CHUNK])
            pos += len(pending)
            while pending and not inflater.eof:
                out = inflater.decompress(pending, _CHUNK)
                if out:
                    yield out
                pending = inflater.unconsumed_tail
    except zlib.error as exc:
        raise _damaged(file_name) from exc


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>", re.S)
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>", re.S)
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part path -> sheet name, following xl/_rels/workbook.xml.rels."""
    try:
        workbook = archive.read("xl/workbook.xml")[: 8 << 20]
        rels = archive.read("xl/_rels/workbook.xml.rels")[: 8 << 20]
    except Exception:  # noqa: BLE001 - unpacking below reports a damaged archive
        rels = b""
        workbook = b""
    targets = {}
    for tag in _REL_TAG.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attrs.get(b"Id", b"")] = target
    parts = {}
    for tag in _SHEET_TAG.findall(workbook):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(tag)}
        name = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        target = targets.get(attrs.get(b"id", b""))
        if target:
            parts[target] = name
    # Worksheets the workbook does not list are not read by calamine; anything under
    # xl/worksheets/ is still measured, to be safe.
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and name not in parts:
            parts[name] = name
    return parts


# Every cell's start tag with what follows it: an optional formula, then <v> or <is>
# when the cell has a value. Matched by polars (Rust regex): tens of MB per second.
_NS = r"(?:[A-Za-z0-9_]+:)?"  # a namespace prefix; ASCII classes keep the regex fast
_WS = r"[ \t\r\n]"
# A start tag's attributes: a quoted value may hold ">" (<c r="XFD1048576" a=">">), which
# must not end the tag early and hide the cell's value from these scans.
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_CELL_START = (
    rf"<{_NS}c(?:{_WS}{_ATTRS})?>(?:{_WS}*<{_NS}f(?:[ \t\r\n/>]{_ATTRS})?(?:/>|>[^<]*</{_NS}f>))?"
    rf"{_WS}*(?:<{_NS}(?:v|is)[ \t\r\n/>])?"
)
_ROW_OR_CELL = re.compile(
    rb"""<(?:\w+:)?(row|c)\b((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>|<(?:\w+:)?(v|is)\b|</(?:\w+:)?(c)>"""
)
_R_ATTR = re.compile(rb'\br="([A-Z]*)([0-9]*)"')


def _chunks_at_tags(stream: Iterator[bytes]) -> Iterator[bytes]:
    """Re-cut a byte stream so that no chunk ends inside a tag."""
    carry = b""
    for chunk in stream:
        buf = carry + chunk
        cut = buf.rfind(b">") + 1
        if cut == 0 and len(buf) < (16 << 20):
            carry = buf
            continue
        cut = cut or len(buf)
        carry = buf[cut:]
        yield buf[:cut]
    if carry:
        yield carry


def _xlsx_extent(stream: Iterator[bytes]) -> Extent:
    """The extent of the cells with values in a worksheet's XML, read in chunks."""
    import polars as pl

    extent = Extent()
    slow = None
    for chunk in _chunks_at_tags(stream):
        if slow is None:
            tags = pl.Series([chunk.decode("utf-8", "replace")]).str.extract_all(_CELL_START)
            tag = pl.col("tag")
            cells = pl.DataFrame({"tag": tags.explode().drop_nulls()}).select(
                tag.str.contains(' r="', literal=True).alias("has_ref"),
                pl.any_horizontal(tag.str.strip_chars_end(" \t\r\n/>").str.ends_with(end)
                                  for end in ("<v", ":v", "<is", ":is")).alias("value"),
                tag.str.extract_groups(r'\sr="(?<col>[A-Z]{1,3})(?<row>[0-9]{1,7})"')
                .alias("ref"),
            ).unnest("ref").with_columns(pl.col("row").cast(pl.Int64, strict=False))
            if cells.height and not cells["has_ref"].all():
                slow = _SlowCells(extent)  # cells placed by order, not by reference
            else:
                values = cells.filter(pl.col("value") & pl.col("row").is_not_null()
                                      & pl.col("col").is_not_null())
                if values.height:
                    letters = [s.encode() for s in values["col"].unique().to_list()]
                    columns = [_column_index(c) for c in letters]
                    extent.add(values["row"].min(), min(columns))
                    extent.add(values["row"].max(), max(columns))
                continue
        slow.feed(chunk)
    return extent


_CELL_START_RE = re.compile(_CELL_START.encode())
_VALUE_END = (b"<v", b":v", b"<is", b":is")
_TAG_END = np.zeros(256, dtype=bool)  # byte -> is one of " \t\r\n/>" (a lookup table)
_TAG_END[[32, 9, 13, 10, 47, 62]] = True
_WINDOW = 40  # bytes looked at from each cell's "<c": reference, attributes, next tag
# '<c r="' and a capital letter, as the first 8 bytes of a cell read little-endian.
_OPEN_MASK = int.from_bytes(b"\xff" * 6 + b"\xe0", "little")  # A-Z: 0x41-0x5A
_OPEN_WORD = int.from_bytes(b'<c r="\x40', "little")  # = '<c r="A' & _OPEN_MASK


def _xlsx_extent_fast(stream: Iterator[bytes]) -> Extent | None:
    """_xlsx_extent for the layout Excel and most writers use (every cell `<c r="A1"`,
    no namespace prefix), in numpy over the raw bytes: no string or regex per cell.

    Returns None, after draining the stream, when a chunk is not in that layout; the
    caller then runs _xlsx_extent, which reads any layout."""
    extent = Extent()
    usual = True
    carry = b""
    for chunk in stream:
        if not usual:
            continue  # keep unpacking: the bytes are counted against the limits
        buf = carry + chunk
        cut = buf.rfind(b"row>") + 4  # cut after a row ends: no cell is split
        if cut == 3:
            if len(buf) < (16 << 20):
                carry = buf
                continue
            cut = len(buf)
        carry = buf[cut:]
        usual = _add_cells(buf[:cut], extent)
    if usual and carry:
        usual = _add_cells(carry, extent)
    return extent if usual else None


def _add_cells(buf: bytes, extent: Extent) -> bool:
    """Add the cells with a value in `buf` to `extent`, as _xlsx_extent would; False
    when `buf` has a cell this fast path does not read."""
    n = len(buf)
    raw = np.frombuffer(buf + bytes(_WINDOW), dtype=np.uint8)  # zero padding: windows fit
    colons = np.flatnonzero(raw[:n] == 58)
    if colons.size and ((raw[colons + 1] == 99) & _TAG_END[raw[colons + 2]]).any():
        return False  # "<x:c": cells with a namespace prefix
    # Every "<c", found as one 16-bit compare at even and at odd offsets.
    even = np.frombuffer(buf, dtype="<u2", count=n // 2)
    odd = np.frombuffer(buf, dtype="<u2", count=(n - 1) // 2, offset=1)
    starts = np.concatenate([np.flatnonzero(even == 0x633C) * 2,
                             np.flatnonzero(odd == 0x633C) * 2 + 1])
    if not starts.size:
        return True
    win = np.lib.stride_tricks.sliding_window_view(raw, _WINDOW)[starts]
    # '<c r="' and (roughly, checked below) a capital letter as one 8-byte word per cell.
    usual = (win.view("<u8")[:, 0] & _OPEN_MASK) == _OPEN_WORD
    if not usual.all():
        odd_ones = ~usual
        if (_TAG_END[win[odd_ones, 2]] & (win[odd_ones, 2] != 47)).any():
            return False  # a cell ("<c" + space or ">") without r="..." first
        win, starts = win[usual], starts[usual]  # "<col", "<cfRule", ...: not cells
        if not starts.size:
            return True
    # The reference: one to three capital letters (the first is checked above), one to
    # seven digits without a leading zero, then the closing quote.
    second, third = win[:, 7], win[:, 8]
    two = (second >= 65) & (second <= 90)
    n_letters = 1 + two + (two & (third >= 65) & (third <= 90))
    steps = np.arange(7, 18)  # a reference is at most 10 characters, from byte 6
    digits = ((win[:, 7:18] - 48) < 10) | (steps < 6 + n_letters[:, None])
    ref_end = np.argmin(digits, axis=1) + 7
    index = np.arange(len(win))
    n_digits = ref_end - 6 - n_letters
    if not ((n_digits >= 1) & (n_digits <= 7) & (win[index, ref_end] == 34)
            & (win[index, 6 + n_letters] != 48) & (win[:, 6] - 65 < 26)).all():
        return False  # a reference the general scan reads (or skips) its own way
    # What follows each start tag decides whether the cell has a value.
    closes = np.argmax(win[:, 6:] == 62, axis=1) + 6  # the start tag's ">"
    inside = closes + 4 < _WINDOW
    flat = win.reshape(-1)
    at = index * _WINDOW + np.where(inside, closes, 0)
    n1, n2, n3, n4 = flat[at + 1], flat[at + 2], flat[at + 3], flat[at + 4]
    opens = inside & (flat[at] == 62) & (n1 == 60)
    valued = opens & (((n2 == 118) & _TAG_END[n3])
                      | ((n2 == 105) & (n3 == 115) & _TAG_END[n4]))
    # A closing tag or the next cell: no value. Anything else (a formula, whitespace,
    # a prefixed <x:v>, a long start tag) is matched with the general pattern, and so is
    # a cell without a value whose ">" may lie inside a quoted attribute (a="/></c>"
    # would hide the real <v>): an odd number of '"', or any "'", before it.
    plain = valued | (opens & ((n2 == 47) | ((n2 == 99) & _TAG_END[n3])))
    empty = np.flatnonzero(plain & ~valued)
    if empty.size:
        tags = win[empty]
        inside_tag = np.arange(_WINDOW) < closes[empty][:, None]
        quoted = ((tags == 34) & inside_tag).sum(axis=1) % 2 == 1
        plain[empty[quoted | ((tags == 39) & inside_tag).any(axis=1)]] = False
    if not plain.all():
        unusual = np.flatnonzero(~plain)
        if unusual.size > 1000 and unusual.size * 2 > plain.size:
            return False  # mostly formulas: the general scan matches them in bulk
        for i in unusual.tolist():
            valued[i] = _has_value(buf, int(starts[i]))
    if valued.any():
        if valued.all():
            chosen, letters, numbers = index * _WINDOW, n_letters, n_digits
        else:
            chosen = np.flatnonzero(valued) * _WINDOW
            letters, numbers = n_letters[valued], n_digits[valued]
        row_lo, row_hi = _spelled(flat, chosen + 6 + letters, numbers, 10, 48)
        col_lo, col_hi = _spelled(flat, chosen + 6, letters, 26, 64)
        extent.add(row_lo, col_lo - 1)
        extent.add(row_hi, col_hi - 1)
    return True


def _has_value(buf: bytes, start: int) -> bool:
    match = _CELL_START_RE.match(buf, start)
    return bool(match) and match.group(0).rstrip(b" \t\r\n/>").endswith(_VALUE_END)


def _spelled(flat: np.ndarray, first: np.ndarray, length: np.ndarray, base: int, zero: int):
    """The smallest and largest number spelled by `length` bytes from `first` in `flat`
    (digits, or letters as column numbers). More digits or letters means larger (there
    are no leading zeros), so only the shortest and the longest are compared, byte by
    byte from the left, keeping the smallest (largest) at each byte."""
    result = []
    for pick, width in ((np.min, int(length.min())), (np.max, int(length.max()))):
        at = first[length == width]
        value = 0
        for k in range(width):
            byte = flat[at + k]
            best = pick(byte)
            at = at[byte == best]
            value = value * base + int(best) - zero
        result.append(value)
    return result


class _SlowCells:
    """Cells without r="" references (some exporters): follow rows and cells in order."""

    def __init__(self, extent: Extent) -> None:
        self.extent = extent
        self.row = 0
        self.col = -1
        self.cell: tuple[int, int] | None = None

    def feed(self, chunk: bytes) -> None:
        for match in _ROW_OR_CELL.finditer(chunk):
            tag, attrs, closed, value, end = match.groups()
            if tag == b"row":
                ref = _R_ATTR.search(attrs)
                self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
                self.col = -1
            elif tag == b"c":
                ref = _R_ATTR.search(attrs)
                if ref and ref.group(1):
                    self.col = _column_index(ref.group(1))
                    self.row = int(ref.group(2) or self.row)
                else:
                    self.col += 1
                self.cell = None if closed else (self.row, self.col)
            elif value and self.cell:
                self.extent.add(*self.cell)
                self.cell = None
            elif end:
                self.cell = None


_ODS_TOKEN = re.compile(
    rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
    rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>"""  # a quoted ">" does not end the tag
    rb"|</table:(table-row|table-cell|covered-table-cell)>|<text:"
)
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_ROWS = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_COLS = re.compile(rb'table:number-columns-repeated="(\d+)"')


def _ods_extents(stream: Iterator[bytes]) -> dict[str, Extent]:
    """ODS repeats rows and cells by count ("number-rows-repeated"); a few bytes can
    stand for billions of cells. Measure the cells with values, repeats included."""
    extents: dict[str, Extent] = {}
    extent = Extent()
    row = 0  # rows before the current one
    repeat_rows = 1
    col = 0
    row_cols: list[tuple[int, int]] = []  # (first col, last col) of value runs in this row
    cell: tuple[int, int, bool] | None = None  # (first col, repeat, has value)

    def close_cell() -> None:
        nonlocal cell, col
        if cell is None:
            return
        first, repeat, has_value = cell
        if has_value:
            row_cols.append((first, first + repeat - 1))
        col = first + repeat
        cell = None

    for chunk in _chunks_at_tags(stream):
        for match in _ODS_TOKEN.finditer(chunk):
            tag, attrs, closed, end = match.group(1), match.group(2), match.group(3), match.group(4)
            if tag == b"table":
                name = _ODS_NAME.search(attrs)
                extent = extents.setdefault(
                    html.unescape(name.group(1).decode("utf-8", "replace")) if name
                    else f"Blad{len(extents) + 1}", Extent())
                row, col = 0, 0
            elif tag == b"table-row":
                rep = _ODS_ROWS.search(attrs)
                repeat_rows = int(rep.group(1)) if rep else 1
                col, row_cols = 0, []
                if closed:
                    row += repeat_rows
            elif tag in (b"table-cell", b"covered-table-cell"):
                close_cell()
                rep = _ODS_COLS.search(attrs)
                repeat = int(rep.group(1)) if rep else 1
                cell = (col, repeat, b"value-type" in attrs)
                if closed:
                    close_cell()
            elif end in (b"table-cell", b"covered-table-cell"):
                close_cell()
            elif end == b"table-row":
                close_cell()
                if row_cols:
                    first = min(a for a, _ in row_cols)
                    last = max(b for _, b in row_cols)
                    extent.add(row + 1, first)
                    extent.add(row + repeat_rows, last)
                row += repeat_rows
            elif match.group(0) == b"<text:" and cell is not None and not cell[2]:
                cell = (cell[0], cell[1], True)
    return extents


def _check_extents(sheets: dict[str, Extent], file_name: str) -> None:
    total = 0
    for name, extent in sheets.items():
        if extent.rows > MAX_ROWS:
            raise LimitExceeded(
                f"Bladet '{name}' har innehåll på {_int(extent.rows)} rader (ned till cell "
                f"{extent.last_cell}); gränsen är {_int(MAX_ROWS)} rader. Ta bort det som står "
                "längst ned (Ctrl+End i Excel visar den sista cellen) eller dela upp dokumentet.",
                sheet=name,
            )
        if extent.columns > MAX_COLUMNS:
            raise LimitExceeded(
                f"Bladet '{name}' har innehåll i {_int(extent.columns)} kolumner (till cell "
                f"{extent.last_cell}); gränsen är {MAX_COLUMNS} kolumner. Ta bort kolumner som "
                "inte hör till måldokumentet (Ctrl+End i Excel visar den sista cellen).",
                sheet=name,
            )
        total += extent.rows * extent.columns
    if total > MAX_CELLS:
        raise LimitExceeded(
            f"Filen '{file_name}' har {_int(total)} celler räknat från första till sista "
            f"ifyllda cell på varje blad; gränsen är {_int(MAX_CELLS)}. Ta bort blad, rader och "
            "kolumner som inte hör till måldokumentet, eller dela upp det i flera filer."
        )


# ------------------------------------------------------------------ one sheet ------------

def check_sheet_limits(sheet) -> None:
    """Rows and columns of one loaded sheet (CSV and .xls are measured only here)."""
    check_time(getattr(sheet, "deadline", None), f"bladet '{sheet.name}'")
    rows, cols = sheet.cells.height, sheet.cells.width
    if rows > MAX_ROWS:
        raise LimitExceeded(
            f"Bladet '{sheet.name}' har {_int(rows)} rader; gränsen är {_int(MAX_ROWS)}. "
            "Dela upp dokumentet eller ta bort tomma rader längst ned.",
            sheet=sheet.name,
        )
    if cols > MAX_COLUMNS:
        raise LimitExceeded(
            f"Bladet '{sheet.name}' har {_int(cols)} kolumner; gränsen är {MAX_COLUMNS}. "
            "Ta bort kolumner som inte hör till måldokumentet.",
            sheet=sheet.name,
        )
