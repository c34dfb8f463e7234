"""Helpers of the column tests: edit a copied source file, pick the one diagnostic of a code, find a token's column."""

from __future__ import annotations

from pathlib import Path

from rust_goals_slate.errors import Diagnostic


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file (which must hold it) by `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only(diagnostics: list[Diagnostic], code: str, path: str) -> Diagnostic:
    found = [d for d in diagnostics if d.code == code and d.location.path == path]
    assert len(found) == 1, [d.format() for d in diagnostics]
    return found[0]


def column_of(d: Diagnostic, token: str) -> int:
    """The 1-based column of `token` in the diagnostic's source line."""
    assert d.source_line is not None
    return d.source_line.index(token) + 1
