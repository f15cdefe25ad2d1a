"""Limits on what goalload reads, checked before the expensive work starts.

A municipality's goal document is at most a few MB and tens of thousands of rows; a
file far beyond that is a mistake or an attack (a zip bomb), and is refused with a
message that says the limit and what to do instead.
"""

from __future__ import annotations

import io
import zipfile

from goalload.errors import LimitExceeded

MAX_FILE_BYTES = 50 * 1024 * 1024  # also server.maxUploadSize in .streamlit/config.toml
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ROWS = 500_000
MAX_COLUMNS = 200


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f}".replace(",", " ") + " MB"


def check_file_limits(data: bytes, file_name: str) -> None:
    """Size and, for zip-based workbooks, what the archive would unpack to."""
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
    except zipfile.BadZipFile:
        return  # not a zip after all: the reader reports a damaged file
    total = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO and total > 10 * 1024 * 1024:
        raise LimitExceeded(
            f"Filen '{file_name}' packas upp till {_mb(total)} "
            f"({total / packed:,.0f} gånger sin egen storlek). Det är för stort för ett "
            "måldokument; spara om filen i Excel och försök igen."
        )


def check_sheet_limits(sheet) -> None:
    """Rows and columns of one sheet."""
    rows, cols = sheet.cells.height, sheet.cells.width
    if rows > MAX_ROWS:
        raise LimitExceeded(
            f"Bladet '{sheet.name}' har {rows:,} rader; gränsen är {MAX_ROWS:,}. ".replace(",", " ")
            + "Dela upp dokumentet eller ta bort tomma rader längst ned.",
            sheet=sheet.name,
        )
    if cols > MAX_COLUMNS:
        raise LimitExceeded(
            f"Bladet '{sheet.name}' har {cols} kolumner; gränsen är {MAX_COLUMNS}. "
            "Ta bort kolumner som inte hör till måldokumentet.",
            sheet=sheet.name,
        )
