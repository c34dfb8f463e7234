"""A period folder without README.md compiles through the built-in skeleton `templates/rfc.md.j2`.

The skeleton is assembled like a README of the period, so the result must hold the sections a slate RFC needs, with
every directive expanded and every link resolved, in each profile.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import replace
from pathlib import Path

from syrupy.assertion import SnapshotAssertion

from rust_goals_slate.model import Options
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from rust_goals_slate.resources import templates_dir
from tests.support import cell_text, check_links, first_table_stems, links_in, sections, tables

DATA = Path(__file__).resolve().parent / "data" / "no-readme"
OPTIONS = Options(site_url="https://example.org/goals/", rfc_number="4242", start_date="2025-07-01")


def build(src: Path, templates: Path | None = None) -> Result:
    return compile_slate(Request(src=src, teams=DATA / "teams.yaml", options=OPTIONS, templates=templates))


def titles(text: str) -> list[tuple[int, str]]:
    return [(s.level, s.title) for s in sections(text)]


def section_stems(text: str, title: str) -> set[str]:
    return first_table_stems(next(s for s in sections(text) if s.title == title))


def test_no_readme_snapshot(md_snapshot: SnapshotAssertion) -> None:
    assert build(DATA / "src" / "2025h2").text == md_snapshot


def test_no_readme_profile_b_sections() -> None:
    result = build(DATA / "src" / "2025h2")
    text = result.text
    assert [d.format() for d in result.diagnostics] == []
    assert titles(text) == [
        (2, "Summary"),
        (2, "Motivation"),
        (3, "How the goal process works"),
        (2, "Guide-level explanation"),
        (3, "Flagship goals"),
        (3, "Project goals"),
        (2, "Reference-level explanation"),
        (3, "cargo team"),
        (3, "compiler team"),
        (3, "lang team"),
        (3, "rustdoc team"),
        (3, "What do the column names mean?"),
        (2, "Frequently asked questions"),
        (3, "What goals were not accepted?"),
    ]
    slate = result.slate
    assert f"{len(slate.slate_goals)} project goals, including 1 flagship goal." in text
    assert section_stems(text, "Project goals") == {g.stem for g in slate.slate_goals}
    assert section_stems(text, "Flagship goals") == {g.stem for g in slate.slate_goals if g.is_flagship}
    assert section_stems(text, "What goals were not accepted?") == {g.stem for g in slate.not_accepted}
    assert "(((" not in text and "<!--" not in text
    assert "[valid_team_asks]: #what-do-the-column-names-mean" in text.splitlines()
    assert check_links(text).defects() == {}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body), encoding="utf-8")
    (root / "book.toml").write_text((DATA / "book.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return root / "src" / "2027"


NEW_GOAL = """\
    # {title}

    | Metadata         |              |
    | ---------------- | ------------ |
    | Point of contact | @{poc}       |
    | Status           | Proposed     |
    | Roadmap          | {roadmap}    |
    | [lang] champion  | @mira-okafor |

    ## Summary

    {title} in one sentence.

    ## Team asks

    | Team       | Support level | Notes           |
    | ---------- | ------------- | --------------- |
    | [lang]     | {level}       | Design meetings |
    | [compiler] | Small         |                 |
    """

ROADMAP = """\
    # Faster builds

    | Metadata         |                          |
    | ---------------- | ------------------------ |
    | Short title      | Faster builds            |
    | What and why     | Builds that do not wait. |
    | Point of contact | @priya-raman             |
    """


def test_no_readme_profile_c_has_roadmaps_sizes_champions_and_levels(tmp_path: Path) -> None:
    src = write(
        tmp_path,
        {
            "src/2027/cache.md": NEW_GOAL.format(
                title="Build cache", poc="lindqvist", roadmap="Faster builds", level="Large"
            ),
            "src/2027/docs.md": NEW_GOAL.format(
                title="Doc search", poc="fatima-zahra", roadmap="Faster builds", level="Medium"
            ).replace("| Roadmap          | Faster builds    |\n", ""),
            "src/2027/roadmap-faster-builds.md": ROADMAP,
        },
    )
    result = build(src)
    text = result.text
    assert [d.format() for d in result.diagnostics if d.is_error] == []
    assert (3, "Roadmaps") in titles(text) and (4, "Faster builds") in titles(text)
    assert (3, "Flagship goals") not in titles(text)
    assert "2027: 2 project goals, and 1 roadmap that 1 of them advances." in text
    assert section_stems(text, "Faster builds") == {"cache"}
    assert section_stems(text, "Large goals") == {"cache"}
    assert section_stems(text, "Medium goals") == {"docs"}
    champions = next(s for s in sections(text) if s.title == "Goals by champion")
    assert [cell_text(c) for c in tables(champions.tokens)[0][1]][:2] == ["Mira Okafor", "2"]
    lang = next(s for s in sections(text) if s.title == "lang team")
    assert [cell_text(c) for c in tables(lang.tokens)[0][0]] == ["Goal", "Level", "Champion", "Notes"]
    assert "(((" not in text
    assert check_links(text).defects() == {}


SUBGOAL_GOAL = """\
    # {title}

    | Metadata |            |
    | -------- | ---------- |
    | Owner(s) | @{owner}   |
    | Status   | {status}   |

    ## Summary

    {title}.

    ## Ownership and team asks

    | Subgoal          | Owner(s) or team(s) | Notes |
    | ---------------- | ------------------- | ----- |
    | Implementation   | @{owner}            |       |
    | ↳ Standard reviews | ![Team][] [cargo] |       |
    """


def test_no_readme_profile_a_has_grouped_asks_and_definitions(tmp_path: Path) -> None:
    src = write(
        tmp_path,
        {
            "src/2027/cache.md": SUBGOAL_GOAL.format(title="Build cache", owner="lindqvist", status="Flagship"),
            "src/2027/lint.md": SUBGOAL_GOAL.format(title="Lint", owner="diegomartin", status="Proposed"),
        },
    )
    result = build(src)
    text = result.text
    assert [d.format() for d in result.diagnostics if d.is_error] == []
    assert (3, "Flagship goals") in titles(text) and (3, "Definitions") in titles(text)
    assert "(((" not in text and "valid_team_asks" not in text
    cargo = next(s for s in sections(text) if s.title == "cargo team")
    rows = [[cell_text(c) for c in row] for row in tables(cargo.tokens)[0]]
    assert rows == [
        ["Goal", "Owner", "Notes"],
        ["Standard reviews", "", ""],
        ["↳ Implementation", "Elin Lindqvist", ""],
        ["↳ Implementation", "Diego Martín", ""],
    ]
    assert [u.rsplit("/", 1)[-1] for u in links_in(tables(cargo.tokens)[0][2][0])] == [
        "cache.html#ownership-and-team-asks"
    ]
    assert check_links(text).defects() == {}


def test_no_readme_override_template_problems_name_the_template(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "rfc.md.j2").write_text("## Summary\n\n{{ period }}: (((#GOALS))) goals.\n\n(((NOPE)))\n")
    result = build(DATA / "src" / "2025h2", templates=templates)
    assert "2025h2: 3 goals." in result.text
    errors = [(d.location.path, d.location.line, d.code) for d in result.diagnostics if d.is_error]
    assert errors == [(str(templates / "rfc.md.j2"), 5, "unknown-directive")]


def test_no_readme_skeleton_is_the_readme_of_the_model_checked_by_validate(tmp_path: Path) -> None:
    """The built-in skeleton is parsed once, before validate, into the slate's `Readme`: validate checks it exactly as
    it checks a README.md of that text (a link to a missing file, an unresolved reference: while the render wrote and
    parsed the skeleton itself, nothing checked its links), and its problems name the template."""
    text = "## Summary\n\n(((#GOALS))) goals, see [the plan](./nowhere.md) and [plann].\n\n(((GOALS)))\n"
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "rfc.md.j2").write_text(text)
    result = build(DATA / "src" / "2025h2", templates=templates)
    readme = result.slate.readme
    assert readme is not None and readme.builtin and readme.template == str(templates / "rfc.md.j2")
    assert readme.path in result.slate.documents and [d.name for d in readme.directives] == ["#GOALS", "GOALS"]
    found = [(d.location.path, d.location.line, d.code) for d in result.diagnostics]
    assert found == [
        (str(templates / "rfc.md.j2"), 3, "missing-link-target"),
        (str(templates / "rfc.md.j2"), 3, "unresolved-reference"),
    ]
    shutil.copytree(DATA, tmp_path / "copy")
    (tmp_path / "copy" / "src" / "2025h2" / "README.md").write_text(text)
    as_readme = build(tmp_path / "copy" / "src" / "2025h2")
    assert [replace(d, location=replace(d.location, path="")) for d in as_readme.diagnostics] == [
        replace(d, location=replace(d.location, path="")) for d in result.diagnostics
    ]
    assert as_readme.text == result.text


def test_no_readme_skeleton_names_its_template_file_even_when_precompiled() -> None:
    # the built-in templates may be loaded from precompiled modules (render/precompiled.py); the skeleton's problems
    # still name the template file a user can read and override
    readme = build(DATA / "src" / "2025h2").slate.readme
    assert readme is not None and readme.template == str(templates_dir() / "rfc.md.j2")
