"""goalload.limits: the numpy fast path measures sheets exactly as the general scan does."""

from __future__ import annotations

import random
import time

import pytest

from goalload import limits

HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="x">'
        b'<cols><col min="1" max="2" width="9"/></cols><sheetData>')
TAIL = b"</sheetData><mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>"

CELLS = [
    b'<c r="{ref}" t="s"><v>1</v></c>',
    b'<c r="{ref}"><v>2025</v></c>',
    b'<c r="{ref}" s="3"/>',  # styled, empty: not counted
    b'<c r="{ref}" s="3"></c>',
    b'<c r="{ref}" t="inlineStr"><is><t>M\xc3\xa5l row> &gt;</t></is></c>',
    b'<c r="{ref}"><f>SUM(A1:A3)</f><v>6</v></c>',
    b'<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    b'<c r="{ref}"><f t="shared" si="0"/><v>3</v></c>',
    b'<c r="{ref}"><f>A1</f></c>',  # a formula without a cached value
    b'<c r="{ref}">\n  <v>7</v>\n</c>',
    b'<c r="{ref}" s="1" t="str" cm="1" vm="1" customAttribute="long long long"><v>x</v></c>',
]


def _sheet(cells: list[tuple[int, int, bytes]]) -> bytes:
    rows: dict[int, list[bytes]] = {}
    for row, col, template in cells:
        ref = f"{limits.column_letters(col)}{row}".encode()
        rows.setdefault(row, []).append(template.replace(b"{ref}", ref))
    body = b"".join(b'<row r="%d">' % r + b"".join(c) + b"</row>" for r, c in sorted(rows.items()))
    return HEAD + body + TAIL


def _both(xml: bytes, chunk: int):
    pieces = [xml[i: i + chunk] for i in range(0, len(xml), chunk)]
    return limits._xlsx_extent(iter(pieces)), limits._xlsx_extent_fast(iter(pieces))


@pytest.mark.parametrize("seed", range(40))
def test_fast_extent_equals_the_general_scan(seed):
    rng = random.Random(seed)
    rows, cols = [(30, 5), (3000, 120), (1048576, 16383)][seed % 3]  # 1-3 letters, 1-7 digits
    cells = [(rng.randint(1, rows), rng.randint(0, cols), rng.choice(CELLS))
             for _ in range(rng.randint(1, 400))]
    xml = _sheet(cells)
    slow, fast = _both(xml, 1 << 20)  # one chunk: the general scan sees every cell whole
    assert fast == slow
    _, small_chunks = _both(xml, rng.randint(50, 900))
    assert small_chunks == slow


def test_fast_extent_far_cells_and_empty_sheets():
    far = _sheet([(1, 0, CELLS[0]), (1048576, 16383, CELLS[1])])
    assert _both(far, 4096)[1] == _both(far, 1 << 20)[0]
    assert _both(far, 4096)[1].last_cell == "XFD1048576"
    styled_only = _sheet([(5, 3, CELLS[2]), (900000, 16000, CELLS[2])])
    assert _both(styled_only, 100)[1] == limits.Extent()
    assert _both(HEAD + TAIL, 10)[1] == limits.Extent()


@pytest.mark.parametrize("odd", [
    b'<c r="A01"><v>1</v></c>',  # a leading zero: the general scan reads it as row 1
    b'<c><v>1</v></c>',  # placed by order
    b'<c s="1" r="B2"><v>1</v></c>',  # r not first
    b'<c r="ABCD2"><v>1</v></c>',  # four letters: skipped by the general scan
    b'<c r="A123456789"><v>1</v></c>',
])
def test_unusual_cells_go_to_the_general_scan(odd):
    xml = HEAD + b'<row r="1"><c r="A1"><v>1</v></c>' + odd + b"</row>" + TAIL
    assert limits._xlsx_extent_fast(iter([xml])) is None


def test_prefixed_cells_go_to_the_general_scan():
    xml = (b'<x:worksheet xmlns:x="x"><x:sheetData><x:row r="1"><x:c r="C3"><x:v>1</x:v>'
           b"</x:c></x:row></x:sheetData></x:worksheet>")
    assert limits._xlsx_extent_fast(iter([xml])) is None
    assert limits._xlsx_extent(iter([xml])).last_cell == "C3"


def test_the_time_budget_is_cpu_time(monkeypatch):
    """Waiting for a core (wall time without CPU time) does not stop a read; a read
    stops when it has used its CPU seconds and its wall seconds."""
    from goalload.errors import LimitExceeded

    clock = {"cpu": 100.0, "wall": 1000.0}
    monkeypatch.setattr(limits.time, "process_time", lambda: clock["cpu"])
    monkeypatch.setattr(limits.time, "monotonic", lambda: clock["wall"])
    until = limits.deadline()
    clock["wall"] += 10 * limits.MAX_READ_SECONDS  # a loaded machine: wall time only
    limits.check_time(until, "test")
    clock["wall"] -= 10 * limits.MAX_READ_SECONDS
    clock["cpu"] += limits.MAX_READ_SECONDS + 1  # polars' threads: CPU faster than wall
    limits.check_time(until, "test")
    clock["wall"] += limits.MAX_READ_SECONDS + 1
    with pytest.raises(LimitExceeded, match="tog mer än 60 sekunder"):
        limits.check_time(until, "test")
    limits.check_time(None, "test")


def test_a_read_measures_its_own_start():
    until = limits.deadline()
    assert until.cpu - time.process_time() <= limits.MAX_READ_SECONDS
    assert until.wall - time.monotonic() <= limits.MAX_READ_SECONDS


def test_a_sheet_of_formulas_is_measured_like_the_general_scan():
    cells = [(r, c, CELLS[5 + (r + c) % 4]) for r in range(1, 700) for c in range(4)]
    xml = _sheet(cells + [(800, 9, CELLS[0])])
    slow = limits._xlsx_extent(iter([xml]))
    fast = limits._xlsx_extent_fast(iter([xml]))
    assert fast is None or fast == slow  # many formulas may go to the general scan
    assert slow.last_cell == "J800"


def test_cells_outside_rows_are_measured_too():
    """No row element to cut at: the whole sheet is scanned at the end of the stream."""
    for xml in (b'<worksheet><sheetData><c r="C3"><v>1</v></c></sheetData></worksheet>',
                b'<x:worksheet xmlns:x="x"><x:sheetData><x:c r="XFD9"><x:v>1</x:v></x:c>'
                b"</x:sheetData></x:worksheet>"):
        slow = limits._xlsx_extent(iter([xml]))
        fast = limits._xlsx_extent_fast(iter([xml]))
        assert fast is None or fast == slow
        assert slow.last_cell in ("C3", "XFD9")


@pytest.mark.parametrize("attribute", [b' a=">"', b' a="/></c>"', b" a='></c>'", b' a="><v>"',
                                       b' a="&quot;/></c>"'])
def test_a_quoted_greater_than_sign_does_not_hide_a_far_cell(attribute):
    """calamine reads the value of <c r="XFD1048576" a="/></c>"><v>1</v></c>; so must the scans."""
    xml = (HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"'
           + attribute + b"><v>1</v></c></row>" + TAIL)
    for pieces in ([xml], [xml[i: i + 37] for i in range(0, len(xml), 37)]):
        slow = limits._xlsx_extent(iter(pieces))
        fast = limits._xlsx_extent_fast(iter(pieces))
        assert (fast or slow).last_cell == "XFD1048576"
        assert limits._xlsx_extent(iter([xml])).last_cell == "XFD1048576"


def test_a_quoted_greater_than_sign_does_not_hide_an_ods_repeat():
    xml = (b'<office:document-content><table:table table:name="M"><table:table-row>'
           b'<table:table-cell a=">" table:number-columns-repeated="16384" '
           b'office:value-type="string"><text:p>x</text:p></table:table-cell>'
           b"</table:table-row></table:table></office:document-content>")
    assert limits._ods_extents(iter([xml]))["M"].columns == 16384
