"""Diagnostics and the one exception family of the compiler.

Stages never print and never exit: they return diagnostics (problems in the user's sources) or raise a
`SlateError` (a condition that stops the run). The CLI alone turns both into text and an exit code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; `path` is relative to the input root, lines and columns count from 1."""

    path: str
    line: int = 0
    col: int = 1

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """A problem at a place in the sources: what is wrong, how to fix it, and the offending line."""

    location: Location
    severity: Severity
    code: str
    message: str
    hint: str | None = None
    source_line: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code, self.message)

    def format(self, *, show_source: bool = True) -> str:
        loc = self.location
        text = f"{loc}: {self.severity.value}: {self.message} [{self.code}]"
        if show_source and self.source_line is not None and loc.line > 0:
            gutter = f"{loc.line:>5} | "
            text += f"\n{gutter}{self.source_line}"
            text += "\n" + " " * (len(gutter) + max(loc.col - 1, 0)) + "^"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class SlateError(Exception):
    """Base of every condition that stops a command; the CLI prints it and exits with `exit_code`."""

    exit_code = 1


class UsageError(SlateError):
    """The command line or an option is wrong."""

    exit_code = 2


class InputError(SlateError):
    """An input cannot be read at all (missing folder, unreadable team data)."""


class OutputError(SlateError):
    """An output cannot be written although `--out` passed its checks (the disk is full, a permission changed)."""


class BuildFailed(SlateError):
    """Errors in the sources stopped the build before anything was written."""

    def __init__(self, diagnostics: list[Diagnostic], team_source: str = "", team_origin: str = "") -> None:
        errors = sum(1 for d in diagnostics if d.is_error)
        super().__init__(f"{errors} error(s); nothing was written")
        self.diagnostics = diagnostics
        self.team_source, self.team_origin = team_source, team_origin  # for the CLI's summary line


class ToolError(SlateError):
    """An external tool (pandoc, typst) failed; the message quotes what it said. `location` is the place in the
    sources it concerns, when that is known (an image that cannot be used, for instance)."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.location = location
