"""Diagnostics point at the token's own column, not at column 1 (a few representative rules)."""

from __future__ import annotations

import shutil
from pathlib import Path

from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.pipeline.build import Request, compile_slate
from tests.support import ROOT

GOAL = "src/2027/coherence-model.md"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _diagnostics(tmp_path: Path) -> list[Diagnostic]:
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    _edit(root / GOAL, "| [spec]  | Medium ", "| [spce]  | Medium ")
    _edit(root / GOAL, "| Point of contact | @nvolkova ", "| Point of contact | @nvolkov    ")
    readme = root / "src/2027/README.md"
    _edit(readme, "## Why we set goals\n", "## Why we set goals\n\n  (((GOALS WITH NEEDS: unicorns)))\n")
    result = compile_slate(Request(src=root / "src" / "2027", teams=root / "teams.yaml", out=tmp_path / "out"))
    return result.diagnostics


def _one(diagnostics: list[Diagnostic], code: str, path: str) -> Diagnostic:
    found = [d for d in diagnostics if d.code == code and d.location.path == path]
    assert len(found) == 1, [d.format() for d in diagnostics]
    return found[0]


def _column_of(d: Diagnostic, token: str) -> int:
    assert d.source_line is not None
    return d.source_line.index(token) + 1


def test_unknown_team_points_at_the_name(tmp_path: Path) -> None:
    d = _one(_diagnostics(tmp_path), "unknown-team", GOAL)
    assert d.location.col == _column_of(d, "spce") == 4
    assert d.format().splitlines()[2] == " " * (len(f"{d.location.line:>5} | ") + 3) + "^"


def test_unknown_handle_points_at_the_handle(tmp_path: Path) -> None:
    d = _one(_diagnostics(tmp_path), "unknown-handle", GOAL)
    assert d.location.col == _column_of(d, "@nvolkov") == 22
    assert d.hint == "did you mean @nvolkova?"


def test_directive_points_at_its_opening_parentheses(tmp_path: Path) -> None:
    d = _one(_diagnostics(tmp_path), "empty-directive", "src/2027/README.md")
    assert d.location.col == _column_of(d, "(((") == 3
