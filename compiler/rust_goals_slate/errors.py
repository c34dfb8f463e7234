"""Diagnostics and the one exception family of the compiler.

Stages never print and never exit: they return diagnostics (problems in the user's sources) or raise a
`SlateError` (a condition that stops the run). The CLI alone turns both into text and an exit code.
"""

from __future__ import annotations

import enum
import functools
import re

from rust_goals_slate.records import record


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


# Characters that are not shown as themselves: C0 and C1 controls (but tab and newline), DEL, and the invisible and
# bidirectional formatting characters (zero-width space, joiners' neighbours, marks, embeddings and overrides,
# isolates, word joiner, BOM, soft hyphen). ZWJ and ZWNJ (U+200C, U+200D) are left out: emoji and scripts need them.
_INVISIBLE_CLASS = r"\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
# and lone surrogates: the bytes of a file name that is not UTF-8, as Python decodes it (shown as `\xff`)
UNSHOWN_CLASS = rf"\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE_CLASS}\ud800-\udfff"
INVISIBLE = re.compile(rf"[{_INVISIBLE_CLASS}]")


@functools.cache
def _unshown() -> re.Pattern[str]:
    """Compiled on first use (a class of this size costs ~2.5 M instructions to compile): most texts never need it."""
    return re.compile(f"[{UNSHOWN_CLASS}]")


def shown(text: str, *, newlines: bool = False) -> str:
    """TEXT with every character a terminal would not show as itself escaped (`\\x1b`, `\\u202e`); with
    `newlines`, line breaks too (for a path, which must stay on its line)."""
    if newlines and "\n" in text:
        text = text.replace("\n", "\\n")
    if text.isprintable():  # every character of UNSHOWN_CLASS is unprintable (tests/test_errors_shown.py)
        return text
    unshown = _unshown()
    return unshown.sub(_escape, text) if unshown.search(text) else text


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape)
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@record(order=True)
class Location:
    """A place in a source file; `path` is relative to the input root, lines and columns count from 1."""

    path: str
    line: int = 0
    col: int = 1

    def __str__(self) -> str:
        path = shown(self.path, newlines=True)
        if self.line <= 0:
            return path
        return f"{path}:{self.line}:{self.col}"


@record
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
        """The diagnostic as text for a terminal: characters that would not show as themselves are escaped."""
        loc = self.location
        text = f"{loc}: {self.severity.value}: {shown(self.message)} [{self.code}]"
        if show_source and self.source_line is not None and loc.line > 0:
            gutter = f"{loc.line:>5} | "
            before = shown(self.source_line[: max(loc.col - 1, 0)])
            text += f"\n{gutter}{shown(self.source_line)}"
            text += "\n" + " " * (len(gutter) + len(before)) + "^"
        if self.hint:
            text += f"\n  hint: {shown(self.hint)}"
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
