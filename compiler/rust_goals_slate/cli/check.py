"""`slate check`: every problem of a slate, without writing anything, in three output formats.

`check` runs the same `compile_slate` as `slate build` (discover, parse, validate, render), so problems that only
show while rendering (undefined references, missing chapters, unknown directives) are found too. Only the write
step is left out. The formats:

- `text`: `path:line:col: severity: message [code]`, the source line with a caret, and a `hint:` line;
- `json`: a list of objects with `path`, `line`, `col`, `severity`, `code`, `message`, `hint`, `source_line`;
- `github`: GitHub Actions workflow commands (`::error file=...,line=...,col=...,title=...::message`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rust_goals_slate.errors import Diagnostic, InputError, Location, Severity, shown
from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.sources.discover import find_root

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1


def check(request: Request) -> list[Diagnostic]:
    """Every diagnostic of the slate at `request.src`, sorted by path, line and column.

    Unreadable team data or configuration is a diagnostic like any other, so CI always gets a report in the format
    it asked for; a SRC that is not a folder is a usage error and is raised.
    """
    try:
        result = compile_slate(request)
    except InputError as exc:
        where = str(request.teams) if request.teams is not None else str(request.src)
        return [Diagnostic(Location(where), Severity.ERROR, "unreadable-input", str(exc))]
    return _without_cascades(result.diagnostics)  # with their source lines (pipeline.build.located)


# Codes whose verdict depends on book.toml: while it cannot be read, badges and linkifiers are unknown.
_NEEDS_BOOK_TOML = {"unresolved-reference"}


def _without_cascades(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Leave out what only follows from an unreadable book.toml, so that its error is not buried."""
    broken = any(
        d.code in ("config-syntax", "config-unreadable", "symlink-outside") and d.location.path.endswith("book.toml")
        for d in diagnostics
    )
    return [d for d in diagnostics if not (broken and d.code in _NEEDS_BOOK_TOML)]


def from_here(diagnostics: Sequence[Diagnostic], src: Path, readme: Path | None = None) -> list[Diagnostic]:
    """The diagnostics with paths relative to the current folder, for the text a person reads in a terminal (JSON and
    GitHub annotations keep paths relative to the input root, the repository's root). Only when the current folder is
    inside the input root or holds it: from elsewhere, `../../x` would say less than the root-relative path."""
    root = find_root(Path(os.path.abspath(src)))[0]
    here = Path.cwd()
    if here == root or not (here.is_relative_to(root) or root.is_relative_to(here)):
        return list(diagnostics)
    shown = []
    for d in diagnostics:
        path = d.location.path
        if not path or path.startswith("(") or os.path.isabs(path) or (readme is not None and path == str(readme)):
            shown.append(d)  # a README skeleton given with --readme is named as the user named it
        else:
            shown.append(replace(d, location=replace(d.location, path=os.path.relpath(root / path, here))))
    return shown


def exit_code(diagnostics: Sequence[Diagnostic], *, strict: bool = False) -> int:
    """1 when there is an error (or, with `strict`, any warning), else 0."""
    if any(d.is_error for d in diagnostics):
        return EXIT_PROBLEMS
    if strict and diagnostics:
        return EXIT_PROBLEMS
    return EXIT_CLEAN


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "no problems found"
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    """The report in format `fmt` (text, json or github); an empty report is an empty string (or `[]` for json)."""
    if fmt == "text":
        return format_text(diagnostics)
    if fmt == "json":
        return format_json(diagnostics)
    if fmt == "github":
        return format_github(diagnostics)
    raise ValueError(f"unknown format {fmt!r}")


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in diagnostics)


def as_dict(d: Diagnostic) -> dict[str, Any]:
    """The diagnostic as JSON data; its texts escaped as in the other formats (`errors.shown`), since a JSON reader
    prints them as they are."""
    loc = d.location
    return {
        "path": shown(loc.path),
        "line": loc.line if loc.line > 0 else None,
        "col": loc.col if loc.line > 0 else None,
        "severity": d.severity.value,
        "code": d.code,
        "message": shown(d.message),
        "hint": shown(d.hint) if d.hint is not None else None,
        "source_line": shown(d.source_line) if d.source_line is not None and loc.line > 0 else None,
    }


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([as_dict(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """One workflow command per diagnostic; GitHub shows them as annotations on the pull request's files.

    Paths are relative to the input root (the folder holding book.toml), which is the root of a goals repository.
    """
    lines = []
    for d in diagnostics:
        loc = d.location
        props = []
        if loc.path and not loc.path.startswith("("):
            props.append(f"file={_escape_property(shown(loc.path))}")
            if loc.line > 0:
                props.append(f"line={loc.line}")
                props.append(f"col={loc.col}")
        props.append(f"title={_escape_property('slate ' + d.code)}")
        message = shown(d.message if not d.hint else f"{d.message}\nhint: {d.hint}")
        command = "error" if d.is_error else "warning"
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message)}\n")
    return "".join(lines)
