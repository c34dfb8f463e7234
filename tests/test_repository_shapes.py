"""Shapes seen on the goals repository of today: linkifier references in the header, directives in link text, the
support level Vibes, and `slate build` given the repository root or its src/ folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.model import Level, Options
from rust_goals_slate.pipeline.build import Request, compile_slate
from tests.check_cases import BASE
from tests.support import parse, walk

HEADER = "- RFC PR: [rust-lang/rfcs#4242](https://github.com/rust-lang/rfcs/pull/4242)"


def _slate(tmp_path: Path) -> Path:
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _compile(root: Path) -> tuple[str, list[str]]:
    result = compile_slate(Request(src=root / "src" / "2099", teams=root / "teams.yaml"))
    return result.text, [d.format(show_source=False) for d in result.diagnostics]


@pytest.mark.parametrize("written", ["[RFC #3935]", "[rust-lang/rfcs#3935]", "[RFC #3935][]"])
def test_rfc_pr_written_as_a_linkifier_reference_comes_out_as_a_link(tmp_path: Path, written: str) -> None:
    root = _slate(tmp_path)
    _edit(root / "src" / "2099" / "README.md", HEADER, f"- RFC PR: {written}")
    text, problems = _compile(root)
    assert text.splitlines()[2] == "- RFC PR: [rust-lang/rfcs#3935](https://github.com/rust-lang/rfcs/pull/3935)"
    assert problems == []


def test_rfc_number_option_wins_over_the_readme_reference(tmp_path: Path) -> None:
    root = _slate(tmp_path)
    _edit(root / "src" / "2099" / "README.md", HEADER, "- RFC PR: [RFC #3935]")
    result = compile_slate(
        Request(src=root / "src" / "2099", teams=root / "teams.yaml", options=Options(rfc_number="7"))
    )
    assert result.text.splitlines()[2] == "- RFC PR: [rust-lang/rfcs#7](https://github.com/rust-lang/rfcs/pull/7)"


def test_count_directive_in_link_text_is_expanded(tmp_path: Path) -> None:
    root = _slate(tmp_path)
    readme = root / "src" / "2099" / "README.md"
    _edit(
        readme, "# Summary\n", "# Summary\n\nSee [all (((#GOALS))) goals](./alpha.md) and [(((#NOPE)))](./beta.md).\n"
    )
    text, problems = _compile(root)
    tokens, _ = parse(text)
    links = [t for t in walk(tokens) if t["type"] == "link"]
    texts = ["".join(c.get("raw", "") for c in t["children"]) for t in links]
    assert "all 2 goals" in texts
    assert [p for p in problems if "unknown-directive" in p] == [
        "src/2099/README.md:8:1: error: unknown directive '(((#NOPE)))' [unknown-directive]"
    ]


def test_vibes_is_a_level_below_small_that_sizes_nothing(tmp_path: Path) -> None:
    root = _slate(tmp_path)
    alpha = root / "src" / "2099" / "alpha.md"
    # alpha comes first in title order; beta asks cargo for Small, alpha asks it for Vibes (written lowercase)
    _edit(
        alpha, "| [compiler] | Small         |", "| [cargo] | vibes | Moral support |\n| [compiler] | Small         |"
    )
    text, problems = _compile(root)
    assert problems == []
    cargo = text.split("\n#### cargo team\n", 1)[1].split("\n#### ", 1)[0]
    rows = [line.split(" | ") for line in cargo.splitlines() if line.startswith("| [")]
    assert [(row[0].split("](")[0], row[1]) for row in rows] == [
        ("| [Stable build script API", "Small"),
        ("| [Faster incremental builds", "Vibes"),
    ]
    slate = compile_slate(Request(src=root / "src" / "2099", teams=root / "teams.yaml")).slate
    goal = next(g for g in slate.goals if g.stem == "alpha")
    assert goal.size is Level.MEDIUM and Level.VIBES in {a.level for a in goal.asks}  # Vibes sizes nothing


def test_a_goal_asking_only_vibes_has_no_size(tmp_path: Path) -> None:
    root = _slate(tmp_path)
    alpha = root / "src" / "2099" / "alpha.md"
    _edit(alpha, "| [lang]     | Medium        |", "| [lang]     | Vibes        |")
    _edit(alpha, "| [compiler] | Small         |", "| [compiler] | Vibes         |")
    _, problems = _compile(root)
    assert (
        "src/2099/alpha.md:1:1: error: goal has no sized team ask (Small, Medium or Large), so it belongs to no size "
        "table [missing-size]\n  hint: Vibes asks need no action, so they size nothing" in problems
    )


def test_build_of_the_repository_root_or_src_builds_the_newest_period_only_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _slate(tmp_path)
    shutil.copytree(root / "src" / "2099", root / "src" / "2098")
    (root / "src" / "about").mkdir()
    (root / "src" / "about" / "index.md").write_text("# About\n", encoding="utf-8")
    alone = tmp_path / "alone"
    assert main(["build", str(root / "src" / "2099"), "--teams", str(root / "teams.yaml"), "--out", str(alone)]) == 0
    capsys.readouterr()
    for given in (root, root / "src"):
        out = tmp_path / given.name
        code = main(["build", str(given), "--teams", str(root / "teams.yaml"), "--out", str(out)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 0
        newest = os.path.relpath(root / "src" / "2099")
        assert err[0] == f"slate build: reading {newest} (the newest period of the repository at {given})"
        assert (out / "rfc.md").read_text(encoding="utf-8") == (alone / "rfc.md").read_text(encoding="utf-8")
