"""What the goals repository changed after Aug 2026, and before, that slate follows (issue 21, item 2): the site moved
to goals.rust-lang.org (book.toml or --site-url still win), the goals tool's funding-table directives
`(((FUNDING TABLE GROUPED)))`, `… GROUPED BY GOAL)))` and `… GROUPED BY POC)))`. (Vibes, removed in Feb 2026, is
tests/data/invalid/unknown-support-level-vibes and test_repository_shapes.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.model import Options
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from tests.check_cases import BASE

BETA = "beta.html#funding"


def _slate(tmp_path: Path, readme_tail: str = "", book_tail: str = "", beta_rows: str = "") -> Path:
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    src = root / "src" / "2099"
    for path, tail in ((src / "README.md", readme_tail), (root / "book.toml", book_tail)):
        path.write_text(path.read_text(encoding="utf-8") + tail, encoding="utf-8")
    if beta_rows:
        beta = src / "beta.md"
        needs = "| Needs            | Funding                          |"
        text = beta.read_text(encoding="utf-8")
        assert needs in text
        beta.write_text(text.replace(needs, needs + "\n" + beta_rows), encoding="utf-8")
    return root


def _compile(root: Path, options: Options | None = None) -> Result:
    return compile_slate(Request(src=root / "src" / "2099", teams=root / "teams.yaml", options=options or Options()))


def _goal_links(text: str) -> set[str]:
    return {line.split("](", 1)[1].split("alpha.html")[0] for line in text.splitlines() if "alpha.html)" in line}


# --------------------------------------------------------------------------------------------------------------
# the site


@pytest.mark.parametrize(
    ("html", "site"),
    [
        ("", "https://goals.rust-lang.org/"),  # no [output.html]: the repository's site of today
        ('site-url = "/goals/"\n', "https://goals.rust-lang.org/"),  # a path names no host
        ('site-url = "/"\ncname = "goals.example.org"\n', "https://goals.example.org/"),
        ('site-url = "/goals/"\ncname = "example.org"\n', "https://example.org/goals/"),
        ('site-url = "https://example.org/our-goals"\n', "https://example.org/our-goals/"),
    ],
)
def test_the_site_is_book_toml_s_else_goals_rust_lang_org(tmp_path: Path, html: str, site: str) -> None:
    root = _slate(tmp_path, book_tail=f"\n[output.html]\n{html}" if html else "")
    result = _compile(root)
    assert result.slate.config.site_url == site
    assert _goal_links(result.text) == {site + "2099/"}


def test_site_url_option_wins_over_book_toml(tmp_path: Path) -> None:
    root = _slate(tmp_path, book_tail='\n[output.html]\ncname = "goals.example.org"\n')
    out = tmp_path / "out"
    src = str(root / "src" / "2099")
    teams = str(root / "teams.yaml")
    assert main(["build", src, "--teams", teams, "--out", str(out), "--site-url", "https://mirror.example/g"]) == 0
    assert _goal_links((out / "rfc.md").read_text(encoding="utf-8")) == {"https://mirror.example/g/2099/"}
    assert main(["build", src, "--teams", teams, "--out", str(out)]) == 0
    assert _goal_links((out / "rfc.md").read_text(encoding="utf-8")) == {"https://goals.example.org/2099/"}


# --------------------------------------------------------------------------------------------------------------
# the goals tool's funding tables


def _funding_lines(text: str, heading: str) -> list[str]:
    section = text.split(f"\n### {heading}\n", 1)[1].split("\n#", 1)[0]  # the README's ## is the RFC's ###
    return [line for line in section.splitlines() if line.startswith("|")]


def test_funding_table_grouped_by_roadmap_and_by_contact(tmp_path: Path) -> None:
    readme = "".join(
        f"\n## {name}\n\n((({name})))\n"
        for name in ("FUNDING TABLE GROUPED", "FUNDING TABLE GROUPED BY GOAL", "FUNDING TABLE GROUPED BY POC")
    )
    root = _slate(tmp_path, readme_tail=readme, beta_rows="| Roadmap | Faster builds |")
    result = _compile(root)
    assert [d.format() for d in result.diagnostics if d.code in ("unknown-directive", "empty-directive")] == []
    site = "https://goals.rust-lang.org/2099/"
    by_roadmap = _funding_lines(result.text, "FUNDING TABLE GROUPED")
    assert by_roadmap[0] == "|  | Goal | Cost | Funding contact | Sponsor(s) |"
    assert by_roadmap[2] == f"| - | **[Faster builds]({site}roadmap-faster-builds.html)** | -- | -- | -- |"
    assert [line.split(" | ")[1] for line in by_roadmap[3:]] == [f"[Stable build script API]({site}{BETA})"]
    assert _funding_lines(result.text, "FUNDING TABLE GROUPED BY GOAL") == by_roadmap
    by_contact = _funding_lines(result.text, "FUNDING TABLE GROUPED BY POC")
    assert by_contact[2] == (
        "| - | **[Funding team](https://rust-lang.org/governance/teams/launching-pad/#team-funding)** | -- | -- | -- |"
    )
    assert [line.split(" | ")[1] for line in by_contact[3:]] == [f"[Stable build script API]({site}{BETA})"]


def test_funding_table_grouped_puts_goals_of_no_roadmap_under_other_goals(tmp_path: Path) -> None:
    root = _slate(tmp_path, readme_tail="\n## Funding\n\n(((FUNDING TABLE GROUPED)))\n")
    lines = _funding_lines(_compile(root).text, "Funding")
    assert lines[2] == "| - | **Other goals** | -- | -- | -- |"
    assert BETA in lines[3] and len(lines) == 4


def test_the_colon_form_names_a_roadmap_as_the_goals_tool_reads_it(tmp_path: Path) -> None:
    root = _slate(tmp_path, readme_tail="\n## Funding\n\n(((FUNDING TABLE: GROUPED)))\n")
    result = _compile(root)
    line = (root / "src" / "2099" / "README.md").read_text(encoding="utf-8").splitlines().index(
        "(((FUNDING TABLE: GROUPED)))"
    ) + 1
    assert [(d.location.line, d.code, d.message, d.hint) for d in result.diagnostics] == [
        (
            line,
            "empty-directive",
            "'FUNDING TABLE: GROUPED' matches no goal",
            "to group the table, write `(((FUNDING TABLE GROUPED)))`, without a colon",
        )
    ]
    assert "*No goals are seeking funding.*" in result.text.split("\n### Funding\n", 1)[1]
