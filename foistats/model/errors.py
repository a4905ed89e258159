"""The project's own error types, each tied to the exit code scripts rely on.

Library code raises these; only the CLI turns them into a one-line message and an
exit status. Anything else escaping a command is a bug and shows as one.
"""

from __future__ import annotations

from pathlib import Path

# Exit codes are a public interface (README "Exit codes").
EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_UNCHECKED = 4


class FoistatsError(Exception):
    """Base class: an expected failure that deserves a one-line message, not a traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class UsageError(FoistatsError):
    """The user asked for something that cannot be done as asked (exit 2)."""

    exit_code = EXIT_USAGE


class InputError(FoistatsError):
    """An input file could not be read or understood (exit 3).

    Carries where the problem is, so the message can name file, sheet and cell.
    """

    exit_code = EXIT_INPUT

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.sheet = sheet
        self.cell = cell
        where = ""
        if self.path:
            where = self.path
            if sheet:
                where += f" [{sheet}]"
            if cell:
                where += f" {cell}"
            where += ": "
        super().__init__(where + message, hint=hint)
        self.reason = message


class CheckFailed(FoistatsError):
    """A check ran and found a problem (exit 1): an inconsistent claim, or --strict warnings."""

    exit_code = EXIT_CHECK_FAILED


class NotChecked(FoistatsError):
    """Nothing was inconsistent, but something could not be checked (exit 4).

    A claim with no figures to check it against, a figure no claim used, or a passage with
    no claim at all: a CI gate must not read any of these as "the copy is right".
    """

    exit_code = EXIT_UNCHECKED
