"""`slate team NAME SRC`: one team's asks, levels, champions, notes and totals."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from rust_goals_slate.cli.main import main
from rust_goals_slate.model import Slate, Status
from rust_goals_slate.pipeline.build import Request, read_slate
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.review.team_report import team_report
from tests.support import ROOT, cell_text, check_links, corpus, goal_stem, links_in, sections, tables

EXAMPLE = ROOT / "goals"
LEVELS = {"Large": 3, "Medium": 2, "Small": 1}


def _slate(src: Path, teams: Path) -> Slate:
    return read_slate(Request(src=src, teams=teams))[0]


def _example() -> Slate:
    return _slate(EXAMPLE / "src" / "2027", EXAMPLE / "teams.yaml")


def _table(text: str, title: str) -> list[list[str]]:
    section = next(s for s in sections(text) if s.title == title)
    return [[cell_text(c) for c in row] for row in tables(section.tokens)[0]]


def _goal_rows(text: str) -> list[tuple[str, list[str]]]:
    section = next(s for s in sections(text) if s.title == "Goals")
    rows = tables(section.tokens)[0][1:]
    return [(next((s for s in map(goal_stem, links_in(r[0])) if s), ""), [cell_text(c) for c in r]) for r in rows]


def _expected_levels(slate: Slate, team: str) -> dict[str, str]:
    """goal stem -> the team's highest level in it, from the model."""
    found = {}
    for g in slate.goals:
        levels = [a.level for a in g.asks if a.team == team and a.level is not None]
        if g.status is not Status.NOT_ACCEPTED and levels:
            found[Path(g.path).stem] = max(levels).label
    return found


@pytest.mark.parametrize("team", ["compiler", "lang", "types", "libs"])
def test_every_goal_with_its_level_in_team_table_order(team: str) -> None:
    slate = _example()
    text = team_report(slate, team, template_env())
    rows = _goal_rows(text)
    assert {stem: cells[1] for stem, cells in rows} == _expected_levels(slate, team)
    levels = [LEVELS[cells[1]] for _, cells in rows]
    assert levels == sorted(levels, reverse=True)
    totals = {level: int(n) for level, n in _table(text, "Totals")[1:]}
    assert totals == {level: n for level in LEVELS if (n := [c[1] for _, c in rows].count(level))}
    assert not check_links(text).defects()


def test_champions_and_notes() -> None:
    slate = _example()
    text = team_report(slate, "types", template_env())
    rows = dict(_goal_rows(text))
    haruto = slate.teams.person("haruto-s")
    assert haruto is not None
    assert rows["coherence-model"][2] == haruto.name  # `| [types] champion | @haruto-s |`
    assert rows["coherence-model"][3] == "Design meetings on the model; decisions on any rule changes"
    champions = next(s for s in sections(text) if s.title == "Champions")
    assert any(haruto.name in cell_text(t) for t in champions.tokens)


def test_medium_goal_without_a_champion_is_flagged(tmp_path: Path) -> None:
    copy = tmp_path / "goals"
    shutil.copytree(EXAMPLE, copy)
    path = copy / "src" / "2027" / "coherence-model.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^\| \[spec\] champion .*\n", "", text, flags=re.M), encoding="utf-8")
    report = team_report(_slate(copy / "src" / "2027", copy / "teams.yaml"), "spec", template_env())
    line = next(x for x in report.splitlines() if x.startswith("Medium and large goals without a champion"))
    assert "coherence-model.html" in line
    assert team_report(_example(), "spec", template_env()).count("without a champion") == 0


def test_old_format_lists_ask_kinds() -> None:
    root = corpus("2025h1")
    slate = _slate(root / "src" / "2025h1", root / "team")
    text = team_report(slate, "T-spec", template_env())
    asks = [a for g in slate.goals if g.status is not Status.NOT_ACCEPTED for a in g.asks if a.team == "spec"]
    kinds = sorted(" ".join((a.kind or "").split()) for a in asks)
    assert _table(text, "Goals")[0] == ["Goal", "Ask", "Notes"]
    assert sorted(c[1] for _, c in _goal_rows(text) if c[1]) == kinds
    assert sum(int(n) for _, n in _table(text, "Totals")[1:]) == len(asks)
    assert not check_links(text).defects()


def test_snapshot(md_snapshot: SnapshotAssertion) -> None:
    assert team_report(_example(), "compiler", template_env()) == md_snapshot


def test_cli_on_the_2026_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    root = corpus("2026")
    assert main(["team", "lang", str(root)]) == 0
    out = capsys.readouterr().out
    slate = _slate(root / "src" / "2026", root / "team")
    assert {stem: cells[1] for stem, cells in _goal_rows(out)} == _expected_levels(slate, "lang")


def test_unknown_team(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["team", "lnag", str(EXAMPLE / "src" / "2027"), "--teams", str(EXAMPLE / "teams.yaml")]) == 2
    assert "did you mean lang?" in capsys.readouterr().err


def test_team_without_asks() -> None:
    root = corpus("2025h1")
    slate = _slate(root / "src" / "2025h1", root / "team")
    assert "rustup" in slate.teams.teams and all(a.team != "rustup" for g in slate.goals for a in g.asks)
    text = team_report(slate, "rustup", template_env())
    assert "No goal of the 2025h1 slate asks anything of the [rustup][] team." in text
    assert "## Goals" not in text
