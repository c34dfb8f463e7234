"""Shapes seen on the goals repository of today: linkifier references in the header, directives in link text, the
the support level Vibes (an error since Feb 2026), and `slate build` given the repository root or its src/ folder."""

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
        "src/2099/README.md:8:47: error: unknown directive '(((#NOPE)))' [unknown-directive]"
    ]


def test_vibes_is_an_unknown_level_whose_hint_says_it_became_small(tmp_path: Path) -> None:
    # the goals repository removed Vibes in Feb 2026 (91f16d4, #544) and its tool rejects it; so does slate
    root = _slate(tmp_path)
    alpha = root / "src" / "2099" / "alpha.md"
    _edit(
        alpha, "| [compiler] | Small         |", "| [cargo] | vibes | Moral support |\n| [compiler] | Small         |"
    )
    line = alpha.read_text(encoding="utf-8").splitlines().index("| [cargo] | vibes | Moral support |") + 1
    result = compile_slate(Request(src=root / "src" / "2099", teams=root / "teams.yaml"))
    found = [d for d in result.diagnostics if d.code == "unknown-support-level"]
    assert [(d.location.line, d.is_error, d.message, d.hint) for d in found] == [
        (
            line,
            True,
            "unknown support level 'vibes'",
            "'Vibes' became 'Small' in Feb 2026 (removed by commit 91f16d4, rust-lang/goals#544): write Small",
        )
    ]
    goal = next(g for g in result.slate.goals if g.stem == "alpha")
    assert "cargo" not in {a.team for a in goal.asks}  # the row is not an ask of any level
    assert {level.label for level in Level} == {"Small", "Medium", "Large"}


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
