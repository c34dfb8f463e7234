"""The goals repository as it is today (corpus/head: rust-lang/goals and rust-lang/team of Aug 2026).

Each period builds; tracking issues in rust-lang/goals are in the goals repository; every ask of the archived
libs-api team reaches the output and is reported as archived, once per file; the task table glued to a list item in
Patterns of empty types keeps its asks.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from tests.support import corpus

PERIODS = ("2024h2", "2025h1", "2026")


@cache
def _compiled(period: str) -> Result:
    head = corpus("head")
    return compile_slate(Request(src=head / "src" / period, teams=head / "team"))


@pytest.mark.parametrize("period", PERIODS)
def test_each_period_builds(period: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = corpus("head")
    code = main(["build", str(head / "src" / period), "--teams", str(head / "team"), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 0, [line for line in err.splitlines() if ": error:" in line]
    assert (tmp_path / "rfc.md").is_file() and (tmp_path / "pr-body.md").is_file()


@pytest.mark.parametrize("period", PERIODS)
def test_goals_repository_tracking_issues_are_not_reported(period: str) -> None:
    result = _compiled(period)
    tracked = [g for g in result.slate.goals if g.tracking_issue and "[rust-lang/goals#" in g.tracking_issue.text]
    assert len(tracked) >= 20  # the renamed repository is what the goals use
    wrong = [d for d in result.diagnostics if d.code == "tracking-issue-repository" and "rust-lang/goals#" in d.message]
    assert wrong == []


@pytest.mark.parametrize("period", PERIODS)
def test_libs_api_asks_are_rendered_and_reported_as_archived(period: str, tmp_path: Path) -> None:
    result = _compiled(period)
    asking = {
        g.path: g
        for g in result.slate.goals
        if any(a.team == "libs-api" for a in g.asks) or any(c.team == "libs-api" for c in g.champions)
    }
    assert asking
    assert [d.format(show_source=False) for d in result.diagnostics if d.code == "unknown-team"] == []
    archived = [d for d in result.diagnostics if d.code == "archived-team"]
    # one fact, one line: at the first file that names the team, counting every file
    assert [d.location.path for d in archived] == [min(asking)]
    files = f"{len(asking)} goal file{'s' if len(asking) != 1 else ''}"
    assert f"team 'libs-api' is archived; its work moved to 'libs'; named by {files}: " in archived[0].message
    assert "/" not in archived[0].message  # no path of the team data
    assert all("libs-fcp" not in (d.hint or "") for d in result.diagnostics)
    head = corpus("head")
    assert main(["build", str(head / "src" / period), "--teams", str(head / "team"), "--out", str(tmp_path)]) == 0
    pr_body = (tmp_path / "pr-body.md").read_text(encoding="utf-8")
    rfc = (tmp_path / "rfc.md").read_text(encoding="utf-8")
    in_slate = [g for g in asking.values() if g.in_slate and any(a.team == "libs-api" for a in g.asks)]
    for goal in in_slate:
        url = f"/{period}/{goal.stem}.html)"
        rows = [line for line in pr_body.splitlines() if line.startswith("| [") and url in line]
        assert rows and "[libs-api][]" in rows[0], goal.path
    section = re.search(r"^#+ libs-api team\n(.*?)(?=^#+ |\Z)", rfc, re.M | re.S)
    if period == "2026":  # the only head README that is still an RFC skeleton with TEAM ASKS
        assert section is not None
        for goal in in_slate:
            assert f"/{period}/{goal.stem}.html)" in section.group(1), goal.path


def test_patterns_of_empty_types_keeps_its_asks_and_gets_glued_table() -> None:
    result = _compiled("2024h2")
    goal = next(g for g in result.slate.goals if g.stem == "Patterns-of-empty-types")
    assert sorted({a.team for a in goal.asks}) == ["compiler", "lang"]
    mine = [(d.code, d.location.line) for d in result.diagnostics if d.location.path == goal.path]
    assert ("glued-table", 94) in mine
    assert "missing-team-asks" not in {code for code, _ in mine}


def test_header_rfc_reference_of_2026_is_a_defined_link() -> None:
    text = _compiled("2026").text
    assert text.splitlines()[2] == "- RFC PR: [rust-lang/rfcs#3935](https://github.com/rust-lang/rfcs/pull/3935)"


def test_goals_count_in_the_banner_link_is_expanded() -> None:
    result = _compiled("2024h2")
    count = len(result.slate.slate_goals)
    assert f"[{count} total Rust project goals for 2024H2](" in result.text
    assert "(((" not in result.text
