"""pr-body.md: under GitHub's limit for every corpus and the example, well-formed, naming every goal and team."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from rust_goals_slate.model import Slate
from rust_goals_slate.pipeline.build import Request, build, read_slate
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.review import pr_body
from rust_goals_slate.review.pr_body import LIMIT, PrBodyTooLong, render_pr_body
from tests.support import ROOT, check_links, corpus, goal_stem, links_in, sections, tables

EXAMPLE = ROOT / "goals"


def _source(name: str) -> tuple[Path, Path]:
    if name == "example":
        return EXAMPLE / "src" / "2027", EXAMPLE / "teams.yaml"
    root = corpus(name)
    return root / "src" / name, root / "team"


@cache
def _slate(name: str) -> Slate:
    src, teams = _source(name)
    return read_slate(Request(src=src, teams=teams))[0]


def _body(name: str) -> str:
    return render_pr_body(_slate(name), template_env()).text


@pytest.mark.parametrize("name", ["example", "2024h2", "2025h1", "2026"])
def test_under_the_github_limit_and_well_formed(name: str) -> None:
    text = _body(name)
    assert len(text) < LIMIT
    report = check_links(text)
    assert not report.undefined_refs
    assert not report.unused_defs
    assert not report.duplicate_defs
    assert not report.missing_anchors
    assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize("name", ["example", "2026"])
def test_no_relative_links(name: str) -> None:
    # 2025h1's README summary has a broken `./build-std.html` link of its own; the RFC keeps it too
    assert check_links(_body(name)).relative_links == []


def _goal_table_stems(text: str) -> list[str]:
    goals = next(s for s in sections(text) if s.title == "Goals")
    stems = []
    for row in tables(goals.tokens)[0][1:]:
        stems += [s for s in (goal_stem(u) for u in links_in(row[0])) if s]
    return stems


@pytest.mark.parametrize("name", ["example", "2025h1", "2026"])
def test_the_goal_table_names_every_goal_of_the_slate_once(name: str) -> None:
    slate = _slate(name)
    expected = sorted(Path(g.path).stem for g in slate.goals if g.status.value != "Not accepted")
    assert sorted(_goal_table_stems(_body(name))) == expected


def test_2026_names_all_66_goals() -> None:
    stems = _goal_table_stems(_body("2026"))
    assert len(stems) == len(set(stems)) == 66  # spec 1.1: 67 goals, one not accepted


def test_one_line_per_team_with_its_goal_count() -> None:
    slate = _slate("example")
    per_team: dict[str, set[str]] = {}
    for g in slate.goals:
        if g.status.value == "Not accepted":
            continue
        for ask in g.asks:
            per_team.setdefault(ask.team, set()).add(g.path)
    section = _body("example").split("## What each team is asked for", 1)[1]
    lines = re.findall(r"^- \*\*\[([a-z-]+)\]\[\]\*\*: (\d+) goals?", section, re.M)
    assert [team for team, _ in lines] == sorted(per_team)
    assert {team: int(n) for team, n in lines} == {team: len(paths) for team, paths in per_team.items()}


def test_says_where_the_full_text_lives() -> None:
    text = _body("example")
    assert "`text/0000-project_goals_2027.md`" in text
    assert "(https://goals.rust-lang.org/2027/)" in text  # the default site: goals/book.toml names none


def test_build_writes_pr_body_next_to_the_rfc(tmp_path: Path) -> None:
    src, teams = _source("example")
    result = build(Request(src=src, teams=teams, out=tmp_path))
    assert (tmp_path / "pr-body.md") in result.written
    written = (tmp_path / "pr-body.md").read_text(encoding="utf-8")
    assert written == _body("example")
    assert not list(tmp_path.glob(".*.tmp"))


def test_drops_the_team_column_when_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    full = render_pr_body(_slate("example"), template_env())
    assert not full.compact
    monkeypatch.setattr(pr_body, "LIMIT", len(full.text))
    compact = render_pr_body(_slate("example"), template_env())
    assert compact.compact and len(compact.text) < len(full.text)
    assert "| Goal | Point of contact | Size |\n" in compact.text
    assert not check_links(compact.text).defects()


def test_refuses_a_body_that_cannot_fit(tmp_path: Path) -> None:
    copy = tmp_path / "goals"
    shutil.copytree(EXAMPLE, copy)
    readme = copy / "src" / "2027" / "README.md"
    text = readme.read_text(encoding="utf-8")
    filler = "\n\n".join("A paragraph of the summary that goes on and on. " * 20 for _ in range(80))
    readme.write_text(text.replace("# Motivation", filler + "\n\n# Motivation", 1), encoding="utf-8")
    slate = read_slate(Request(src=copy / "src" / "2027", teams=copy / "teams.yaml"))[0]
    with pytest.raises(PrBodyTooLong, match="65,536"):
        render_pr_body(slate, template_env())
    with pytest.raises(PrBodyTooLong):
        build(Request(src=copy / "src" / "2027", teams=copy / "teams.yaml", out=tmp_path / "out"))
    assert not (tmp_path / "out" / "rfc.md").exists()
