"""Diagnostics point at the token's own column, not at column 1 (a few representative rules)."""

from __future__ import annotations

import shutil
from pathlib import Path

from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.pipeline.build import Request, compile_slate
from tests.diagnostic_helpers import column_of, edit, only
from tests.support import ROOT

GOAL = "src/2027/coherence-model.md"


def _diagnostics(tmp_path: Path) -> list[Diagnostic]:
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    edit(root / GOAL, "| [spec]  | Medium ", "| [spce]  | Medium ")
    edit(root / GOAL, "| Point of contact | @nvolkova ", "| Point of contact | @nvolkov    ")
    readme = root / "src/2027/README.md"
    edit(readme, "## Why we set goals\n", "## Why we set goals\n\n  (((GOALS WITH NEEDS: unicorns)))\n")
    result = compile_slate(Request(src=root / "src" / "2027", teams=root / "teams.yaml", out=tmp_path / "out"))
    return result.diagnostics


def test_unknown_team_points_at_the_name(tmp_path: Path) -> None:
    d = only(_diagnostics(tmp_path), "unknown-team", GOAL)
    assert d.location.col == column_of(d, "spce") == 4
    assert d.format().splitlines()[2] == " " * (len(f"{d.location.line:>5} | ") + 3) + "^"


def test_unknown_handle_points_at_the_handle(tmp_path: Path) -> None:
    d = only(_diagnostics(tmp_path), "unknown-handle", GOAL)
    assert d.location.col == column_of(d, "@nvolkov") == 22
    assert d.hint == "did you mean @nvolkova?"


def test_directive_points_at_its_opening_parentheses(tmp_path: Path) -> None:
    d = only(_diagnostics(tmp_path), "empty-directive", "src/2027/README.md")
    assert d.location.col == column_of(d, "(((") == 3
