"""The 2025h2 format, one rule at a time (docs/formats.md): chapter lists, the flagship count and its themes, and
the goal, not-accepted and champions tables of a period whose task-format goals name champions.
Each test builds a small slate of its own."""

from __future__ import annotations

from pathlib import Path

from tests.support import cell_text, sections, tables
from tests.test_legacy_units import SITE, build, codes, goal_file, tasks, write_slate

ASKS = tasks(
    "| Discussion and moral support | ![Team][] [lang] | |",
    "| Standard reviews | ![Team][] [compiler] | |",
    "| Implementation | @haruto-s | |",
)


def goal(title: str, *rows: str, status: str = "Proposed") -> str:
    return goal_file(title, "\n".join(("Point of contact | @sam-achebe", f"Status | {status}", *rows)), ASKS)


def test_prose_bullets_linking_goal_pages_stay_a_list(tmp_path: Path) -> None:
    """Spec 1.13 said a list whose items each hold one `.md` link is a chapter list; 2025h2's prose bullets
    (`* We aim to stabilize [cargo script](./cargo-script.md), a feature…`) are not, and goal pages are never
    inlined, whatever list links them."""
    readme = """\
        # Summary

        * We aim to stabilize [async closures](./closures.md), a feature that is long awaited.

        - [Closures](./closures.md)
        - [Reborrow](./reborrow.md)

        Chapters:

        - [FAQ](./faq.md)

        More:

        - [FAQ again](./faq.md), with more words
        """
    goals = {
        "closures.md": goal("Async closures"),
        "reborrow.md": goal("Reborrow traits"),
        "faq.md": "# FAQ\n\n## Why?\n\nBecause.\n",
    }
    result = build(write_slate(tmp_path, goals, readme))
    text = result.text
    assert not [d for d in result.diagnostics if d.is_error]
    # no goal page is inlined: its metadata table and sections are not in the RFC, its link goes to the site
    assert "| Metadata |" not in text and "Ownership and team asks" not in text
    assert f"* We aim to stabilize [async closures]({SITE}2025h2/closures.html), a feature" in text
    assert f"- [Closures]({SITE}2025h2/closures.html)\n- [Reborrow]({SITE}2025h2/reborrow.html)" in text
    # a list of nothing but chapter links is a chapter list: the chapter is inlined in place of the list
    assert [s.title for s in sections(text)].count("Why?") == 1
    assert "- [FAQ](" not in text
    # an item with more than its link is prose: the list stays, its link points at the inlined chapter
    assert "- [FAQ again](#summary), with more words" in text


README_THEMES = """\
    # Summary

    This period we have (((#FLAGSHIP GOALS))) flagship goals.

    ## "Beyond the `&`"

    (((FLAGSHIP GOALS: Beyond the `&`)))

    ## "Flexible, fast(er) compilation"

    (((FLAGSHIP GOALS: Flexible, fast(er) compilation)))
    """


def test_flagship_count_is_what_the_flagship_tables_list(tmp_path: Path) -> None:
    goals = {
        "a.md": goal("Reborrow traits", "Flagship | Beyond the `&`"),
        "b.md": goal("Parallel front end", "Flagship | Flexible, fast(er) compilation"),
        "c.md": goal("Sanitizers", "Flagship | Flexible, fast(er) builds"),  # names no table's theme
        "d.md": goal("Unsafe fields"),
    }
    result = build(write_slate(tmp_path, goals, README_THEMES))
    assert "This period we have 2 flagship goals." in result.text
    listed = {
        cell_text(row[0])
        for sec in sections(result.text)
        if sec.title.startswith('"')
        for table in tables(sec.tokens)
        for row in table[1:]
    }
    assert listed == {"Reborrow traits", "Parallel front end"}
    found = [d for d in result.diagnostics if d.code == "unknown-flagship-theme"]
    assert [(d.location.path.rsplit("/", 1)[-1], d.location.line) for d in found] == [("c.md", 7)]
    assert found[0].hint is not None and "did you mean 'Flexible, fast(er) compilation'?" in found[0].hint
    assert ("README.md", 3, "count-mismatch") not in codes(result)


def test_an_unthemed_flagship_table_lists_and_counts_every_flagship_goal(tmp_path: Path) -> None:
    readme = README_THEMES.replace("(((FLAGSHIP GOALS: Beyond the `&`)))", "(((FLAGSHIP GOALS)))")
    goals = {
        "a.md": goal("Reborrow traits", "Flagship | Beyond the `&`"),
        "c.md": goal("Sanitizers", "Flagship | Flexible, fast(er) builds"),
    }
    result = build(write_slate(tmp_path, goals, readme))
    assert "This period we have 2 flagship goals." in result.text
    assert not [d for d in result.diagnostics if d.code == "unknown-flagship-theme"]


README_TABLES = """\
    # Summary

    (((GOALS)))

    ## Champions

    (((CHAMPIONS)))

    ## Not accepted

    (((GOALS NOT ACCEPTED)))
    """


def _tables(result_text: str) -> dict[str, list[list[str]]]:
    return {
        sec.title: [[cell_text(c) for c in row] for row in tables(sec.tokens)[0]]
        for sec in sections(result_text)
        if tables(sec.tokens)
    }


def test_goals_that_name_champions_take_the_2025h2_tables(tmp_path: Path) -> None:
    """Task-format goals with `[team] champion` rows: the profile B2 shapes of RFC 3849 (docs/formats.md)."""
    goals = {
        "a.md": goal("Reborrow traits", "[compiler] champion | @priya-raman", "[lang] champion | @mira-okafor"),
        "b.md": goal("Unsafe fields", "[lang] champion | @mira-okafor"),
        "c.md": goal("Delegation", "[compiler] champion | @haruto-s", status="Not accepted"),
    }
    result = build(write_slate(tmp_path, goals, README_TABLES))
    assert not [d for d in result.diagnostics if d.is_error]
    found = _tables(result.text)
    header = ["Goal", "Point of contact", "Team(s) and Champion(s)"]
    assert found["Summary"] == [
        header,
        ["Reborrow traits", "Sam Achebe", "compiler (Priya Raman), lang (Mira Okafor)"],
        ["Unsafe fields", "Sam Achebe", "compiler, lang (Mira Okafor)"],
    ]
    # the goals not accepted: the same shape, with their teams (no Progress column)
    assert found["Not accepted"] == [header, ["Delegation", "Sam Achebe", "compiler (佐藤陽翔), lang"]]
    # one row per champion of the slate, their goals in one cell; the champion of a goal not accepted is not one
    assert found["Champions"] == [
        ["Champion", "#", "Goals"],
        ["Mira Okafor", "2", "° Reborrow traits° Unsafe fields"],
        ["Priya Raman", "1", "° Reborrow traits"],
    ]
    assert f"° [Reborrow traits]({SITE}2025h2/a.html)<br>° [Unsafe fields]({SITE}2025h2/b.html)" in result.text


def test_goals_without_champions_keep_the_2025h1_tables(tmp_path: Path) -> None:
    goals = {"a.md": goal("Reborrow traits"), "c.md": goal("Delegation", status="Not accepted")}
    found = _tables(build(write_slate(tmp_path, goals, README_TABLES)).text)
    assert found["Summary"][0] == ["Goal", "Point of contact", "Team"]
    assert found["Not accepted"][0] == ["Goal", "Point of contact", "Progress"]
