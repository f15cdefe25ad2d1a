"""One exception tree: the library raises, only the CLI and the app turn it into text.

Every message is Swedish, names what went wrong (sheet, row, column where known) and
what the user can do about it.
"""

from __future__ import annotations


class GoalloadError(Exception):
    """Base of everything goalload raises on purpose."""


class InputError(GoalloadError):
    """The user's file cannot be read; the message says what to fix.

    `sheet`, `row` and `column` locate the problem where that is possible, so the app
    can show it beside the findings table.
    """

    def __init__(
        self,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row
        self.column = column


class LimitExceeded(InputError):
    """The file is larger than goalload accepts (size, rows, columns, time)."""
