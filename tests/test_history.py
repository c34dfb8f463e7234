"""Any commit of the goals repository's history reads (issue 21, item 3): both layouts of rust-project-goals.toml,
the goal template kept in a period folder, and configuration problems reported at the line of their key."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from rust_goals_slate.model import repository_format as rf
from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.sources.toml_keys import key_positions
from tests.check_cases import BASE
from tests.test_legacy_units import build, goal_file, tasks, team_table, write_slate

# rust-project-goals.toml as the goals repository wrote it from Dec 2024 (3103a7e) to Feb 2025 (0e23b14)
STRING_LAYOUT = """\
    # Configuration for the project-goals code

    [team_asks]
    "Discussion and moral support" = "approve of this direction and be prepared for light discussion on Zulip"
    "Standard reviews" = "review PRs (PRs are not expected to be unduly large or complicated)"
    "RFC decision" = "review an RFC and deciding whether to accept"
"""
README = """\
    # Summary

    We propose <!-- #GOALS --> goals.

    <!-- GOALS -->

    # Reference-level explanation

    <!-- TEAM ASKS -->

    ## What do the column names mean?
    [valid_team_asks]: #what-do-the-column-names-mean

    <!-- VALID TEAM ASKS -->
"""


def _goals(*asks: str) -> dict[str, str]:
    return {
        "alpha.md": goal_file("Alpha", "Point of contact | @sam-achebe\nStatus | Proposed", tasks(*asks)),
    }


def test_a_period_with_the_older_string_layout_reads(tmp_path: Path) -> None:
    assert rf.ASK_KIND_LAYOUTS[0].text == '"Kind" = "description"'
    src = write_slate(
        tmp_path,
        _goals("| Standard reviews | ![Team][] [compiler] | |", "| RFC decision | ![Team][] [lang] | soon |"),
        README,
        toml=textwrap.dedent(STRING_LAYOUT),
        period="2025h1",
    )
    result = build(src)
    assert [d.format() for d in result.diagnostics if d.is_error] == []
    assert [d for d in result.diagnostics if d.code == "bad-ask-kind"] == []
    config = result.slate.config
    assert config.ask_kinds_configured
    assert [(k.name, k.short, k.about[:17]) for k in config.ask_kinds] == [
        ("Discussion and moral support", "Discussion and moral support", "approve of this d"),
        ("Standard reviews", "Standard reviews", "review PRs (PRs a"),
        ("RFC decision", "RFC decision", "review an RFC and"),
    ]
    # the team tables have a column per kind asked, named by the kind (its own short form in this layout)
    assert team_table(result.text, "lang") == [["Goal", "RFC decision"], ["Alpha", "soon"]]
    assert team_table(result.text, "compiler") == [["Goal", "Standard reviews"], ["Alpha", "✅"]]
    assert '| "RFC decision" | RFC decision | review an RFC and deciding whether to accept |' in result.text


def test_an_ask_of_a_kind_the_string_layout_does_not_name_is_reported(tmp_path: Path) -> None:
    src = write_slate(
        tmp_path,
        _goals("| Design meeting | ![Team][] [lang] | |"),
        README,
        toml=textwrap.dedent(STRING_LAYOUT),
        period="2025h1",
    )
    assert "unknown-ask-kind" in {d.code for d in build(src).diagnostics}


@pytest.mark.parametrize("name", ["TEMPLATE.md", "0000-TEMPLATE.md", "goal-TEMPLATE.md"])
def test_the_goal_template_in_a_period_folder_is_not_a_goal(tmp_path: Path, name: str) -> None:
    assert [f.text for f in rf.TEMPLATE_FILES] == ["0000-TEMPLATE.md", "TEMPLATE.md"]
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    src = root / "src" / "2099"
    # a template looks like a goal: a title and a metadata table, with placeholders and no status
    (src / name).write_text(
        "# Goal title\n\n| Metadata | |\n| --- | --- |\n| Point of contact | *must be a single Github username* |\n"
        "| Teams | *Names of teams being asked to commit to the goal* |\n\n## Summary\n\n*Short description*\n",
        encoding="utf-8",
    )
    result = compile_slate(Request(src=src, teams=root / "teams.yaml"))
    assert name not in {g.path.rsplit("/", 1)[-1] for g in result.slate.goals}
    assert [d.format() for d in result.diagnostics if name in d.location.path] == []
    assert f"src/2099/{name}" in result.slate.documents  # still a page of the book


def test_a_goal_named_like_a_template_but_not_one_is_a_goal() -> None:
    assert not rf.is_template("TEMPLATES.md") and not rf.is_template("template-goal.md")
    assert rf.is_template("TEMPLATE.md") and rf.is_template("0000-TEMPLATE.md")


def test_configuration_problems_are_at_the_line_of_their_key(tmp_path: Path) -> None:
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    book = root / "book.toml"
    # the bad pattern's text also appears earlier, in a comment and in another key's value: only the key counts
    book.write_text(
        book.read_text(encoding="utf-8").replace(
            "[preprocessor.goals.linkifiers]\n",
            '# "RFC #([0-9+" is a pattern\n[preprocessor.goals.linkifiers]\n"x" = "RFC #([0-9+"\n'
            '"RFC #([0-9+" = "https://github.com/rust-lang/rfcs/pull/$1"\n'
            '"  #([0-9]+)" = "https://github.com/rust-lang/rust/issue/$1"\n',
        )
        + '\n[output.html]\n\ngit-repository-url = "https://example.org/goals"\n',
        encoding="utf-8",
    )
    (root / "rust-project-goals.toml").write_text(
        '[team_asks]\n"Standard reviews" = "review PRs"\n\n"RFC decision" = ["RFC"]\n', encoding="utf-8"
    )
    lines = book.read_text(encoding="utf-8").splitlines()
    result = compile_slate(Request(src=root / "src" / "2099", teams=root / "teams.yaml"))
    found = {
        (d.location.path, d.location.line, d.location.col, d.code, d.source_line)
        for d in result.diagnostics
        if d.location.path.endswith(".toml")
    }
    assert found == {
        ("book.toml", n, 1, code, lines[n - 1])
        for n, code in (
            (lines.index('"RFC #([0-9+" = "https://github.com/rust-lang/rfcs/pull/$1"') + 1, "bad-linkifier"),
            # a template that cannot be a link target (a blank, brackets): tests/hostile/test_shapes.py
            (lines.index('"x" = "RFC #([0-9+"') + 1, "config-shape"),
            (lines.index('"  #([0-9]+)" = "https://github.com/rust-lang/rust/issue/$1"') + 1, "dead-link-template"),
            (lines.index('git-repository-url = "https://example.org/goals"') + 1, "goals-repository-url"),
        )
    } | {("rust-project-goals.toml", 4, 1, "bad-ask-kind", '"RFC decision" = ["RFC"]')}


def test_key_positions_read_quoted_dotted_and_inline_keys() -> None:
    keys = key_positions('[a]\nx = 1\n  "y z" = """\nk = 2\n"""\n[b . "c.d"]\n e.f = { g = 1 }\n[[h]]\n\'i\' = 2\n')
    assert keys.find("a", "x") == (2, 1)
    assert keys.find("a", "y z") == (3, 3)
    assert keys.find("a", "k") == (1, 1)  # inside a multi-line string: not a key; its table's line
    assert keys.find("b", "c.d", "e", "f") == (7, 2)
    assert keys.find("b", "c.d", "e", "f", "g") == (7, 2)  # inside an inline table: its parent's line
    assert keys.find("h", "i") == (9, 1)
    assert keys.find("nowhere") == (0, 1)
