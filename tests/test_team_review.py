"""`slate team NAME [SRC]`: the review document of the goals repository's `cargo rpg review`, on the 2026 corpus.

Expected sets come from the model (which goals ask the team, which name its champion) or from the source files;
the snapshot is the whole lang document, read against the sources when it was written.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from rust_goals_slate.cli.main import main
from rust_goals_slate.model import Level, Slate
from rust_goals_slate.pipeline.build import Request, read_slate
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.review.team_report import team_report, team_report_json
from tests.check_cases import BASE
from tests.support import cell_text, check_links, corpus, goal_stem, links_in, parse, sections, tables, walk


def _slate_2026() -> Slate:
    root = corpus("2026")
    return read_slate(Request(src=root / "src" / "2026", teams=root / "team"))[0]


def _lang() -> str:
    return team_report(_slate_2026(), "lang", template_env())


def _involved(slate: Slate, team: str) -> set[str]:
    return {
        Path(g.path).stem
        for g in slate.slate_goals
        if any(a.team == team for a in g.asks) or g.champion_for(team) is not None
    }


def _detail_sections(text: str) -> dict[str, str]:
    """goal stem -> the Markdown of its `### [Title](url)` section under Goal details."""
    body = text.split("\n## Goal details\n", 1)[1]
    out = {}
    for chunk in re.split(r"\n(?=### )", body)[1:]:
        m = re.match(r"### \[[^\n]*?\]\(([^)]+)\)", chunk)
        assert m, chunk[:80]
        stem = goal_stem(m.group(1))
        assert stem
        out[stem] = chunk
    return out


def test_snapshot_of_the_lang_review(md_snapshot: SnapshotAssertion) -> None:
    assert _lang() == md_snapshot


def test_every_goal_involving_lang_has_its_details() -> None:
    slate = _slate_2026()
    details = _detail_sections(_lang())
    assert set(details) == _involved(slate, "lang")
    # 35 goals ask the lang team (counted with grep over `| [lang]` rows of the Team asks tables)
    assert len(details) == 35
    for stem, chunk in details.items():
        goal = next(g for g in slate.goals if Path(g.path).stem == stem)
        assert "**Discussion:**" in chunk and "*(space for the team's discussion)*" in chunk
        assert "\n> " in chunk  # the summary, quoted
        levels = [a.level for a in goal.asks if a.team == "lang" and a.level is not None]
        assert f"- **Support level:** {max(levels).label}" in chunk
        champion = goal.champion_for("lang")
        if champion is None and max(levels) >= Level.MEDIUM:
            assert "- **Champion:** TBD" in chunk
        elif champion is None:
            assert "**Champion:**" not in chunk
        help_wanted = "![Help Wanted][]" in chunk.splitlines()[0]
        assert help_wanted == goal.needs_contributor, stem


def test_help_wanted_goals_of_lang_are_badged() -> None:
    details = _detail_sections(_lang())
    badged = {stem for stem, chunk in details.items() if "![Help Wanted][]" in chunk.splitlines()[0]}
    # of the eight `Needs | Contributor` goals of 2026, these three ask the lang team
    assert badged == {"afidt-box", "ergonomic-rc", "rtn"}


def test_by_champion_table_puts_no_champion_last() -> None:
    text = _lang()
    section = next(s for s in sections(text) if s.title == "Champions")
    rows = [[cell_text(c) for c in r] for r in tables(section.tokens)[0]]
    assert rows[0] == ["Champion", "Goal", "Level"]
    names = [r[0] for r in rows[1:] if r[0]]
    assert names[-1] == "(no champion)" and names.count("(no champion)") == 1
    assert len(names) == len(set(names))  # one group per champion
    slate = _slate_2026()
    unchampioned = sum(
        1 for g in slate.slate_goals if any(a.team == "lang" for a in g.asks) and g.champion_for("lang") is None
    )
    start = [r[0] for r in rows[1:]].index("(no champion)")
    assert len(rows[1:]) - start == unchampioned == 6


def test_roadmaps_of_the_lang_goals() -> None:
    text = _lang()
    slate = _slate_2026()
    tokens, _ = parse(text)
    roadmap_links = {
        str(t["attrs"]["url"]).rsplit("/", 1)[-1]
        for t in walk(tokens)
        if t.get("type") == "link" and "/roadmap-" in str(t["attrs"]["url"])
    }
    themes = {
        t.casefold() for g in slate.slate_goals if Path(g.path).stem in _involved(slate, "lang") for t in g.all_themes
    }
    expected = {Path(r.path).stem + ".html" for r in slate.roadmaps if r.short_title.casefold() in themes}
    assert roadmap_links == expected
    assert "> Smart pointers that feel as natural as `&` and `&mut`." in text  # roadmap-beyond-the-ampersand.md Summary
    # the one defect is the source's: `[RFC3458](rust-lang/rfcs/3458)` in the summary of unsafe-fields.md:13
    assert check_links(text).defects() == {"relative_links": ["rust-lang/rfcs/3458"]}


def test_json_has_the_same_goals_in_the_same_order() -> None:
    slate = _slate_2026()
    data = json.loads(team_report_json(slate, "lang", template_env()))
    md_order = list(_detail_sections(_lang()))
    assert [goal_stem(g["url"]) for g in data["goals"]] == md_order
    assert data["team"] == "lang" and data["period"] == "2026"
    assert sum(data["totals"].values()) == 35
    rtn = next(g for g in data["goals"] if g["path"].endswith("/rtn.md"))
    assert rtn["help_wanted"] is True and rtn["champion"] == "traviscross" and rtn["level"] == "Medium"


def test_goal_with_only_a_champion_from_the_team_is_reviewed(tmp_path: Path) -> None:
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    beta = root / "src" / "2099" / "beta.md"
    text = beta.read_text(encoding="utf-8").replace(
        "| Needs            | Funding                          |",
        "| Needs            | Funding                          |\n| [compiler] champion | @alice-a |",
    )
    beta.write_text(text, encoding="utf-8")
    slate = read_slate(Request(src=root / "src" / "2099", teams=root / "teams.yaml"))[0]
    report = team_report(slate, "compiler", template_env())
    details = _detail_sections(report)
    assert "beta" in details
    assert "- **Support level:** champion only, no ask" in details["beta"]
    assert re.search(r"1 more names a champion from the team without an ask: \[Stable build script API\]", report)
    goals_table = next(s for s in sections(report) if s.title == "Goals")
    assert "beta" not in {goal_stem(u) for r in tables(goals_table.tokens)[0][1:] for u in links_in(r[0])}


def test_src_defaults_to_the_newest_period_of_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = corpus("2026")
    assert main(["team", "lang", str(root / "src" / "2026")]) == 0
    explicit = capsys.readouterr().out
    monkeypatch.chdir(root / "src" / "2026")
    assert main(["team", "lang"]) == 0
    assert capsys.readouterr().out == explicit
    monkeypatch.chdir(tmp_path)
    assert main(["team", "lang"]) == 2
    assert "no goals repository" in capsys.readouterr().err


def test_a_repository_root_means_its_newest_period(capsys: pytest.CaptureFixture[str]) -> None:
    head = corpus("head")
    assert main(["team", "lang", str(head)]) == 0
    assert capsys.readouterr().out.startswith("# What the lang team is asked for in the 2026 slate\n")
