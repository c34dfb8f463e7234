"""Old formats, one rule at a time: statuses and rows of every era, `Ownership and team asks` tables, legacy markers,
the profile A/B shapes, the built-in ask kinds and `--readme`. Each test builds a small slate of its own."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.model import AskFormat, AskKind, Config, Goal, Options, Status
from rust_goals_slate.parse.goals import parse_goal
from rust_goals_slate.parse.markdown import parse_document
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from rust_goals_slate.sources.config import DEFAULT_ASK_KINDS
from tests.support import cell_text, check_links, links_in, sections, tables

DATA = Path(__file__).resolve().parent / "data" / "no-readme"
TEAMS = DATA / "teams.yaml"
SITE = "https://example.org/goals/"
BOOK = (DATA / "book.toml").read_text(encoding="utf-8")


def goal_file(title: str, metadata: str, asks: str, summary: str = "A goal.") -> str:
    rows = "\n".join(
        f"| {line.split('|')[0].strip()} | {line.split('|')[1].strip()} |" for line in metadata.strip().splitlines()
    )
    return f"# {title}\n\n| Metadata | |\n| --- | --- |\n{rows}\n\n## Summary\n\n{summary}\n\n" + textwrap.dedent(asks)


TASKS = """\
    ## Ownership and team asks

    | Task | Owner(s) or team(s) | Notes |
    | --- | --- | --- |
    {rows}
    """


def tasks(*rows: str) -> str:
    return TASKS.format(rows="\n    ".join(rows))


def write_slate(
    root: Path, goals: dict[str, str], readme: str | None, toml: str | None = None, period: str = "2025h2"
) -> Path:
    src = root / "src" / period
    src.mkdir(parents=True)
    (root / "book.toml").write_text(BOOK, encoding="utf-8")
    if toml is not None:
        (root / "rust-project-goals.toml").write_text(toml, encoding="utf-8")
    for name, text in goals.items():
        (src / name).write_text(text, encoding="utf-8")
    if readme is not None:
        (src / "README.md").write_text(textwrap.dedent(readme), encoding="utf-8")
    return src


def build(src: Path, readme: Path | None = None) -> Result:
    options = Options(site_url=SITE, rfc_number="1", start_date="2025-07-01")
    return compile_slate(Request(src=src, teams=TEAMS, options=options, readme=readme))


def codes(result: Result) -> set[tuple[str, int, str]]:
    return {(d.location.path.rsplit("/", 1)[-1], d.location.line, d.code) for d in result.diagnostics}


def parsed(text: str, config: Config | None = None) -> tuple[Goal, list[Diagnostic]]:
    cfg = config or Config(period="2025h2", ask_kinds=DEFAULT_ASK_KINDS)
    goal, problems = parse_goal(parse_document("src/2025h2/g.md", text), cfg)
    assert goal is not None
    return goal, problems


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` that contains `needle`."""
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def team_table(text: str, team: str) -> list[list[str]]:
    sec = next(s for s in sections(text) if s.title == f"{team} team")
    return [[cell_text(c) for c in row] for row in tables(sec.tokens)[0]]


# --------------------------------------------------------------------------------------------------------------
# statuses and metadata rows of every era


@pytest.mark.parametrize(
    ("written", "status", "flagship", "contributor"),
    [
        ("Accepted", Status.ACCEPTED, False, False),
        ("Proposed", Status.PROPOSED, False, False),
        ("Not accepted", Status.NOT_ACCEPTED, False, False),
        ("Flagship", Status.ACCEPTED, True, False),
        ("Proposed for flagship", Status.PROPOSED, True, False),
        ("Orphaned", Status.PROPOSED, False, True),
        ("Proposed for mentorship", Status.PROPOSED, False, True),
        ("Invited", Status.PROPOSED, False, True),
        ("proposed FOR   mentorship", Status.PROPOSED, False, True),
    ],
)
def test_legacy_statuses(written: str, status: Status, flagship: bool, contributor: bool) -> None:
    goal, problems = parsed(goal_file("G", f"Point of contact | @sam-achebe\nStatus | {written}", tasks()))
    assert (goal.status, goal.is_flagship, goal.needs_contributor) == (status, flagship, contributor)
    assert goal.in_slate is (status is not Status.NOT_ACCEPTED)
    assert problems == []


def test_unknown_status_lists_the_valid_ones() -> None:
    _, problems = parsed(goal_file("G", "Point of contact | @a\nStatus | Maybe", tasks()))
    assert [p.code for p in problems] == ["unknown-status"]
    assert problems[0].hint is not None and "Proposed for mentorship" in problems[0].hint


def test_rows_of_every_era() -> None:
    metadata = """
        Point of contact | @sam-achebe
        Status | Proposed
        Short title | Closures
        Flagship | Yes
        Needs | Contributor
        Teams | <!-- TEAMS WITH ASKS -->
        Task owners | <!-- TASK OWNERS -->
        Tracking issue | [rust-lang/rust-project-goals#1]
    """
    goal, problems = parsed(goal_file("Async closures", metadata, tasks()))
    assert problems == []
    assert goal.short_title == "Closures"
    assert goal.is_flagship and goal.flagship_yes and goal.needs_contributor
    assert goal.tracking_issue is not None and goal.tracking_issue.text == "[rust-lang/rust-project-goals#1]"


def test_owners_key_of_2024h2_and_help_wanted_owner() -> None:
    goal, _ = parsed(goal_file("G", "Owner(s) | @estebank, @Muscraft\nStatus | Proposed", tasks()))
    assert [h.login for h in goal.points_of_contact] == ["estebank", "Muscraft"]
    orphan, _ = parsed(goal_file("G", "Owner(s) | ![Help wanted][]\nStatus | Orphaned", tasks()))
    assert orphan.points_of_contact == () and orphan.poc_help_wanted and orphan.needs_contributor


# --------------------------------------------------------------------------------------------------------------
# `Ownership and team asks`: the task format (2025h1)


def test_task_tables_subgoals_kinds_and_owners() -> None:
    text = goal_file(
        "G",
        "Point of contact | @a\nStatus | Proposed",
        """\
        ## Ownership and team asks

        | Task | Owner(s) or team(s) | Notes |
        | --- | --- | --- |
        | Discussion and moral support | ![Team][] [lang][] [compiler] | |
        | Overall program management | @sam-achebe, @haruto-s | |

        ### Stabilize it

        | Task | Owner(s) or team(s) | Notes |
        |---|---|---|
        | Implementation | ![Help Wanted][] | |
        | ↳ standard REVIEWS | ![Team]  [compiler] | @priya-raman |
        | ~~RFC decision~~ | ![Team][] [lang] | done |
        """,
    )
    goal, problems = parsed(text)
    assert problems == []
    assert goal.ask_format is AskFormat.TASKS
    assert [(a.team, a.kind, a.subgoal, a.notes.text) for a in goal.asks] == [
        ("lang", "Discussion and moral support", None, ""),
        ("compiler", "Discussion and moral support", None, ""),
        ("compiler", "Standard reviews", "Stabilize it", "@priya-raman"),
        ("lang", "RFC decision", "Stabilize it", "done"),
    ]
    assert [h.login for h in goal.task_owners] == ["sam-achebe", "haruto-s"]


def test_task_table_problems_are_reported() -> None:
    text = goal_file(
        "G",
        "Point of contact | @a\nStatus | Proposed",
        """\
        ## Ownership and team asks

        | Task | Owner(s) or team(s) | Notes |
        | --- | --- | --- |
        | Vibes | ![Team][] [lang] | |
        | Standard reviews | ![Team][] | |

        | Who | What |
        | --- | --- |
        | a | b |
        """,
    )
    goal, problems = parsed(text)
    assert goal.asks == ()
    assert {(p.code, p.location.line) for p in problems} == {
        ("unknown-ask-kind", line_of(text, "| Vibes")),
        ("ask-without-team", line_of(text, "| Standard reviews")),
        ("unexpected-table", line_of(text, "| Who")),
    }
    unknown = next(p for p in problems if p.code == "unknown-ask-kind")
    assert unknown.is_error and unknown.hint is not None and "Discussion and moral support" in unknown.hint


def test_ask_text_is_free_without_configured_kinds() -> None:
    config = Config(period="2025h2", ask_kinds=())
    goal, problems = parsed(
        goal_file(
            "G", "Point of contact | @a\nStatus | Proposed", tasks("| Try it out in crates.io | ![Team][] [cargo] | |")
        ),
        config,
    )
    assert problems == [] and [a.kind for a in goal.asks] == ["Try it out in crates.io"]


# --------------------------------------------------------------------------------------------------------------
# `Ownership and team asks`: the subgoal format (2024h2)

SUBGOALS = """\
    ## Ownership and team asks

    | Subgoal | Owner(s) or team(s) | Notes |
    | --- | --- | --- |
    | Overall program management | @sam-achebe | |
    | Standard reviews | ![Team][] [compiler] | |
    | "Send bound" problem | @haruto-s | |
    | ↳ ~~Implementation~~ | ~~@priya-raman~~ | ![Complete][] |
    | ↳ RFC decision | ![Team][] [lang] | ![Complete][] |
    | ↳ Stabilization decision | ![Team][] [lang] [cargo] | |
    | Async drop | ![Help wanted][] | |
    | ↳ Design meeting | ![Team][] [lang] | 2 meetings expected |
    | Yank with a reason | | |
    | ↳ Approve RFC | ![Team][] [cargo], [rustdoc] | |
    """


def test_subgoal_rows_belong_to_their_parent() -> None:
    goal, problems = parsed(goal_file("G", "Owner(s) | @sam-achebe\nStatus | Proposed", SUBGOALS))
    assert problems == []
    assert goal.ask_format is AskFormat.SUBGOALS
    asks = [(a.team, a.kind, a.subgoal, tuple(h.login for h in a.owners), a.help_wanted_owner) for a in goal.asks]
    assert asks == [
        ("compiler", "Standard reviews", None, (), False),
        ("lang", "RFC decision", '"Send bound" problem', ("haruto-s",), False),
        ("lang", "Stabilization decision", '"Send bound" problem', ("haruto-s",), False),
        ("cargo", "Stabilization decision", '"Send bound" problem', ("haruto-s",), False),
        ("lang", "Design meeting", "Async drop", (), True),
        ("cargo", "Approve RFC", "Yank with a reason", (), False),
        ("rustdoc", "Approve RFC", "Yank with a reason", (), False),
    ]
    assert [h.login for h in goal.task_owners] == ["sam-achebe", "haruto-s", "priya-raman"]


def test_profile_a_team_tables(tmp_path: Path) -> None:
    goals = {
        "send.md": goal_file("Bring async closer to sync", "Owner(s) | @sam-achebe\nStatus | Flagship", SUBGOALS),
        "other.md": goal_file(
            "A compiler goal",
            "Owner(s) | @priya-raman, @haruto-s\nStatus | Proposed",
            SUBGOALS.replace("Standard reviews", "standard reviews"),
        ),
    }
    result = build(write_slate(tmp_path, goals, "# Summary\n\n<!-- TEAM ASKS -->\n"))
    assert not [d for d in result.diagnostics if d.is_error]
    lang = team_table(result.text, "lang")
    assert lang[0] == ["Goal", "Owner", "Notes"]
    groups = [row[0] for row in lang[1:] if row[1:] == ["", ""] and not row[0].startswith("↳")]
    assert groups == ["Design meeting", "RFC decision", "Stabilization decision"]
    assert lang[1:4] == [
        ["Design meeting", "", ""],
        ["↳ Async drop", "Help wanted", "2 meetings expected"],
        ["↳ Async drop", "Help wanted", "2 meetings expected"],
    ]
    compiler = team_table(result.text, "compiler")
    # one group for both spellings (written as in the first goal, by title); rows by link text; a top-level ask
    # row names the goal and its owners
    assert compiler == [
        ["Goal", "Owner", "Notes"],
        ["standard reviews", "", ""],
        ["↳ A compiler goal", "Priya Raman, 佐藤陽翔", ""],
        ["↳ Bring async closer to sync", "Sam Achebe", ""],
    ]
    links = [u for u in re.findall(r"\]\((https://[^)]+)\)", result.text) if "#" in u]
    assert links and all(u.endswith("#ownership-and-team-asks") for u in links)
    assert check_links(result.text).defects() == {}


# --------------------------------------------------------------------------------------------------------------
# profile B shapes and the legacy markers

README_B = """\
    > *banner that stays on the website*

    ## Summary

    We propose <!-- #GOALS --> goals, <!-- #FLAGSHIP GOALS --> of them flagship.

    ### Flagship goals

    <!-- FLAGSHIP GOALS -->

    ### Other goals

    <!-- OTHER GOALS -->

    ### Looking for an owner

    <!-- GOALS `Proposed for mentorship` -->

    <!-- TEAMS WITH ASKS -->

    <!-- Goals -->

    # Reference-level explanation

    <!-- TEAM ASKS -->

    # Frequently asked questions

    ## What goals were not accepted?

    <!-- GOALS NOT ACCEPTED -->

    ## What do the column names mean?
    [valid_team_asks]: #what-do-the-column-names-mean

    <!-- VALID TEAM ASKS -->
    """


def test_legacy_markers_expand(tmp_path: Path) -> None:
    result = build(DATA / "src" / "2025h2", readme=_write(tmp_path, README_B))
    assert not [d for d in result.diagnostics if d.is_error]
    text = result.text
    assert "<!--" not in text and "banner" not in text
    assert "We propose 3 goals, 1 of them flagship." in text

    def stems(title: str) -> list[str]:
        sec = next(s for s in sections(text) if s.title == title)
        return [links_in(row[0])[0].rsplit("/", 1)[-1] for row in tables(sec.tokens)[0][1:]]

    assert stems("Flagship goals") == ["async-closures.html"]
    assert stems("Other goals") == ["doc-search.html", "build-cache.html"]
    assert stems("Looking for an owner") == ["build-cache.html"]
    assert stems("What goals were not accepted?") == ["spec-tests.html"]
    not_accepted = next(s for s in sections(text) if s.title == "What goals were not accepted?")
    assert [cell_text(c) for c in tables(not_accepted.tokens)[0][0]] == ["Goal", "Point of contact", "Progress"]
    kinds = next(s for s in sections(text) if s.title == "What do the column names mean?")
    rows = tables(kinds.tokens)[0]
    assert [cell_text(c) for c in rows[0]] == ["Ask", "aka", "Description"]
    assert [cell_text(r[0]) for r in rows[1:]] == [f'"{k.name}"' for k in DEFAULT_ASK_KINDS]
    assert check_links(text).defects() == {}


def _write(folder: Path, text: str, name: str = "skeleton.md") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_profile_b_team_table_cells(tmp_path: Path) -> None:
    result = build(DATA / "src" / "2025h2", readme=_write(tmp_path, README_B))
    lang = team_table(result.text, "lang")
    # columns in rust-project-goals order (here the built-in kinds), linked to the definitions
    assert lang[0] == ["Goal", "Good vibes", "Design mtg.", "RFC", "Stabilize."]
    assert "| Goal | [Good vibes][valid_team_asks] | [Design mtg.][valid_team_asks] |" in result.text
    # the short title names the goal row; subgoal rows follow in document order; two notes of a kind are joined
    assert lang[1:] == [
        ["Async closures", "✅", "", "", ""],
        ["↳ Stabilize async \\|\\|", "", "", "", "✅"],  # mistune keeps GFM's `\|` inside code spans
        ["↳ AsyncFn bounds in the standard library", "", "1 meeting; a second one if needed", "Stretch goal", ""],
    ]
    assert "| ↳ Stabilize `async \\|\\|` |  |  |  | ✅ |" in result.text.splitlines()
    compiler = team_table(result.text, "compiler")
    assert compiler[2] == ["↳ Stabilize async \\|\\|", "Priya Raman will review, see the plan", "✅"]
    assert "[the plan]: https://hackmd.io/@rust-lang-team/async-closures-plan" in result.text.splitlines()


def test_profile_b_elided_kinds_and_missing_anchor(tmp_path: Path) -> None:
    toml = """
        [team_asks]
        "Discussion and moral support" = { short = "Good vibes", about = "approve", elide = true }
        "Standard reviews" = { short = "r?", about = "review PRs" }
        "RFC decision" = { short = "RFC", about = "decide" }
    """
    goals = {
        "a.md": goal_file(
            "Alpha",
            "Point of contact | @sam-achebe\nStatus | Proposed",
            tasks(
                "| Discussion and moral support | ![Team][] [lang] | |",
                "| RFC decision | ![Team][] [compiler] | first |",
                "| RFC decision | ![Team][] [compiler] | |",
                "| RFC decision | ![Team][] [compiler] | first |",
            ),
        ),
    }
    readme = "# Summary\n\nText.\n\n# Reference\n\n<!-- TEAM ASKS -->\n"
    result = build(write_slate(tmp_path, goals, readme, toml=textwrap.dedent(toml)))
    assert team_table(result.text, "lang") == [["Goal"], ["Alpha"]]
    assert team_table(result.text, "compiler") == [["Goal", "RFC"], ["Alpha", "first"]]
    assert ("README.md", line_of(readme, "TEAM ASKS"), "no-valid-team-asks-anchor") in codes(result)
    assert check_links(result.text).defects() == {}


def test_block_marker_inside_a_sentence_is_an_error(tmp_path: Path) -> None:
    readme = "# Summary\n\nSee the list: <!-- GOALS --> and <!-- #GOALS --> goals.\n"
    result = build(
        write_slate(
            tmp_path,
            {
                "a.md": goal_file(
                    "A", "Point of contact | @a\nStatus | Proposed", tasks("| Standard reviews | ![Team][] [lang] | |")
                )
            },
            readme,
        )
    )
    errors = [(d.location.line, d.code) for d in result.diagnostics if d.is_error]
    assert errors == [(3, "block-directive-inline")]
    assert "and 1 goals" in result.text


# --------------------------------------------------------------------------------------------------------------
# built-in ask kinds, profile choice, --readme


def test_default_ask_kinds_only_without_configured_ones(tmp_path: Path) -> None:
    assert [k.short for k in DEFAULT_ASK_KINDS][:4] == ["Alloc funds", "Good vibes", "Deploy", "r?"]
    assert len({k.name.casefold() for k in DEFAULT_ASK_KINDS}) == len(DEFAULT_ASK_KINDS) == 19
    assert all(k.about and not k.elide for k in DEFAULT_ASK_KINDS)
    with_toml = build(
        write_slate(
            tmp_path,
            {
                "a.md": goal_file(
                    "A", "Point of contact | @a\nStatus | Proposed", tasks("| Standard reviews | ![Team][] [lang] | |")
                )
            },
            "# S\n\n<!-- VALID TEAM ASKS -->\n",
            toml='[team_asks]\n"Standard reviews" = { short = "r?", about = "review" }\n',
        )
    )
    assert with_toml.slate.config.ask_kinds == (AskKind("Standard reviews", "r?", "review"),)
    assert '| "Standard reviews" | r? | review |' in with_toml.text


def test_readme_skeleton_resolves_like_the_period_readme(tmp_path: Path) -> None:
    skeleton = tmp_path / "elsewhere" / "skeleton.md"
    skeleton.parent.mkdir()
    skeleton.write_text(
        "# Summary\n\nSee [the cache](./build-cache.md) and [a typo](./nope.md).\n\n<!-- GOALS -->\n", encoding="utf-8"
    )
    result = build(DATA / "src" / "2025h2", readme=skeleton)
    assert f"[the cache]({SITE}2025h2/build-cache.html)" in result.text
    assert (str(skeleton), 3, "missing-link-target") in {
        (d.location.path, d.location.line, d.code) for d in result.diagnostics
    }
    assert not [d for d in result.diagnostics if d.location.path.endswith("README.md")]


def test_cli_readme_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    skeleton = tmp_path / "skeleton.md"
    skeleton.write_text("# Summary\n\n<!-- #GOALS --> goals.\n\n<!-- GOALS -->\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = [
        "build",
        str(DATA / "src" / "2025h2"),
        "--teams",
        str(TEAMS),
        "--out",
        str(out),
        "--rfc-number",
        "1",
        "--start-date",
        "2025-07-01",
    ]
    assert main([*argv, "--readme", str(skeleton)]) == 0
    text = (out / "rfc.md").read_text(encoding="utf-8")
    assert "3 goals." in text and "How the goal process works" not in text
    capsys.readouterr()
    assert main([*argv, "--readme", str(tmp_path / "missing.md")]) == 2  # the user's typo: a usage error (issue 23)
    assert "argument --readme: " in capsys.readouterr().err


def test_team_spelling_is_read_as_the_key_and_kept_as_written() -> None:
    # validate/names.py reports `[Compiler]` (team-spelling; the check case team-spelling), from the labels kept
    row = "| Standard reviews | ![Team][] [Compiler][], [lang] |"
    goal, problems = parsed(goal_file("G", "Point of contact | @a\nStatus | Proposed", tasks(row)))
    assert [a.team for a in goal.asks] == ["compiler", "lang"]
    assert [a.labels for a in goal.asks] == [("Compiler", "lang")] * 2
    assert problems == []


def test_mixed_formats_write_old_tables_first_and_profile_c_lists(tmp_path: Path) -> None:
    new = """\
        # New goal

        | Metadata         |              |
        | ---------------- | ------------ |
        | Point of contact | @sam-achebe  |
        | Status           | Proposed     |

        ## Summary

        New.

        ## Team asks

        | Team   | Support level | Notes |
        | ------ | ------------- | ----- |
        | [lang] | Small         |       |
        """
    old = goal_file(
        "Old goal",
        "Point of contact | @lindqvist\nStatus | Proposed",
        tasks("| Standard reviews | ![Team][] [lang] | |"),
    )
    readme = "# Summary\n\n(((GOALS)))\n\n# Reference\n\n(((TEAM ASKS)))\n"
    result = build(write_slate(tmp_path, {"new.md": textwrap.dedent(new), "old.md": old}, readme))
    assert not [d for d in result.diagnostics if d.is_error]
    lang = [s for s in sections(result.text) if s.title == "lang team"]
    assert len(lang) == 2
    assert [cell_text(c) for c in tables(lang[0].tokens)[0][0]] == ["Goal", "r?"]
    assert [cell_text(c) for c in tables(lang[1].tokens)[0][0]] == ["Goal", "Level", "Champion", "Notes"]
    goals = next(s for s in sections(result.text) if s.title == "Summary")
    assert [cell_text(c) for c in tables(goals.tokens)[0][0]] == [
        "Goal",
        "Point of contact",
        "Task Owners and Champions",
    ]
