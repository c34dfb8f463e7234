"""Problems the render reports point at the token's own column (the `[` of a link, the `@` of a handle, the `[` of
a definition), also in text lifted from a goal file (a metadata cell), as validate's diagnostics do."""

from __future__ import annotations

import shutil
from pathlib import Path

from rust_goals_slate.cli.check import check
from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.pipeline.build import Request, compile_slate
from tests.check_cases import materialize, src_of
from tests.diagnostic_helpers import column_of, edit, only
from tests.support import ROOT

GOAL = "src/2027/coherence-model.md"
README = "src/2027/README.md"
WHAT_AND_WHY = "| What and why     | State precisely when two impls overlap, and test rustc against it |"


def _diagnostics(tmp_path: Path, goal_cell: str = "", readme: tuple[str, str] = ("", "")) -> list[Diagnostic]:
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    if goal_cell:
        edit(root / GOAL, WHAT_AND_WHY, f"| What and why     | {goal_cell} |")
    if readme[0]:
        edit(root / README, *readme)
    (root / "slate.toml").write_text('[severity]\nunlisted-handle = "warning"\n', encoding="utf-8")
    result = compile_slate(Request(src=root / "src" / "2027", teams=root / "teams.yaml", out=tmp_path / "out"))
    return result.diagnostics


def test_relative_link_in_a_goal_cell_points_at_its_bracket(tmp_path: Path) -> None:
    d = only(_diagnostics(tmp_path, "Test rustc, see [the site](./index.html)"), "relative-link", GOAL)
    assert d.location.col == column_of(d, "[the site]") == 38
    assert d.format().splitlines()[2] == " " * (len(f"{d.location.line:>5} | ") + 37) + "^"


def test_unknown_handle_in_a_goal_cell_points_at_the_at_sign(tmp_path: Path) -> None:
    d = only(_diagnostics(tmp_path, "Test rustc with @zed-z and @zed-z"), "unlisted-handle", GOAL)
    assert d.location.col == column_of(d, "@zed-z") == 38


def test_missing_anchor_points_at_the_link(tmp_path: Path) -> None:
    old = "## Why we set goals\n"
    added = old + "\nSee (((#GOALS))) goals [below](#nowhere).\n"
    d = only(_diagnostics(tmp_path, readme=(old, added)), "missing-anchor", README)
    assert d.location.col == column_of(d, "[below]") == 24


def test_renamed_definition_points_at_its_bracket(tmp_path: Path) -> None:
    root = materialize("renamed-definition", tmp_path)
    edit(root / "src/2099/highlights.md", "\n[docs]: https://example.org/b", "\n  [docs]: https://example.org/b")
    found = [d for d in check(Request(src=src_of(root), teams=root / "teams.yaml")) if d.code == "renamed-definition"]
    assert len(found) == 1
    assert found[0].location.path == "src/2099/highlights.md"
    assert found[0].location.col == column_of(found[0], "[docs]:") == 3


def test_no_valid_team_asks_anchor_points_at_the_directive(tmp_path: Path) -> None:
    root = materialize("no-valid-team-asks-anchor", tmp_path)
    edit(root / "src/2099/README.md", "\n(((TEAM ASKS)))\n", "\n  (((TEAM ASKS)))\n")
    found = [
        d for d in check(Request(src=src_of(root), teams=root / "teams.yaml")) if d.code == "no-valid-team-asks-anchor"
    ]
    assert len(found) == 1
    assert found[0].location.col == column_of(found[0], "(((") == 3


def test_a_token_in_a_later_cell_points_at_that_cell_not_at_the_same_token_earlier_on_the_line(tmp_path: Path) -> None:
    # lifted cells keep the column they start at (Fragment.col, set by the parse stage), so the render looks for the
    # link from there: the sponsors cell's link (lifted into the funding table) is its own problem at its own
    # column; searching the line from the cell's column in the lifted text found the purpose cell's link first and
    # merged the two problems into one
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    old = "| Storage and egress for one year             | $40K     | Partial | Example Corp |"
    new = "| Storage, see [the page](./x.html) | $40K | Partial | Example Corp, [the page](./x.html) |"
    edit(root / "src/2027/ci-build-cache.md", old, new)
    result = compile_slate(Request(src=root / "src" / "2027", teams=root / "teams.yaml", out=tmp_path / "out"))
    found = [d for d in result.diagnostics if d.code == "relative-link"]
    assert [(d.location.path, d.location.line, d.location.col) for d in found] == [
        ("src/2027/ci-build-cache.md", 45, new.index("[the page]") + 1),
        ("src/2027/ci-build-cache.md", 45, new.rindex("[the page]") + 1),
    ]
