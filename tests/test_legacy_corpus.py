"""The 2024h2 and 2025h1 corpora (profiles A and B): our RFC agrees with the published one on the facts.

Facts are extracted from both documents with the same Markdown parser (mistune, through `tests.support`) and compared
as sets. The only differences allowed are those the spec lists as defects of the published text (spec §4 and
Appendix A); each allowance below names the defect it stands for and checks that it really is that defect.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from rust_goals_slate.codes import Level
from rust_goals_slate.model import Options
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from tests.support import (
    PUBLISHED,
    PUBLISHED_SITE,
    SHARED,
    Section,
    cell_text,
    check_links,
    corpus,
    first_table_stems,
    goal_stem,
    links_in,
    parse,
    sections,
    tables,
    walk,
)

SEED = SHARED / "seeds" / "004_5301419d824db4fd.txt"
# The one line of the 2025h1 README that is broken in the source itself (spec §3.5, Appendix A): a relative `.html`
# link and the site URL glued onto an absolute URL. Both stay as written and are reported.
BROKEN_SOURCE_LINKS = {
    "./build-std.html",
    "https://rust-lang.github.io/rust-project-goals/2025h1/https://doc.rust-lang.org/cargo/reference/unstable.html"
    "#build-std",
}


@cache
def _build(period: str, readme: Path | None = None, severity: tuple[tuple[str, Level], ...] = ()) -> Result:
    root = corpus(period)
    number, date = PUBLISHED[period]
    options = Options(site_url=PUBLISHED_SITE, rfc_number=number, start_date=date)
    src = root / "src" / period
    return compile_slate(Request(src=src, teams=root / "team", options=options, readme=readme, severity=severity))


def ours(period: str) -> str:
    return _build(period).text


def published(period: str) -> str:
    return (corpus(period) / "published-rfc.md").read_text(encoding="utf-8")


def stem(url: str) -> str | None:
    """The goal page a URL points to; the published `…/2024h2/./x.html` (spec §4.6) is read as `…/2024h2/x.html`."""
    return goal_stem(url.replace("/./", "/"))


def section(text: str, title: str) -> Section:
    found = [s for s in sections(text) if s.title.startswith(title)]
    assert found, f"no section {title!r}"
    return found[0]


def strong_link_stems(sec: Section) -> set[str]:
    """Goals linked with bold text (`[**Release the Rust 2024 edition**](./x.md)`): the flagship goals in prose."""
    stems: set[str] = set()
    for token in walk(sec.tokens):
        children = token.get("children") or []
        if token.get("type") == "link" and children and children[0].get("type") == "strong":
            s = stem(str(token["attrs"]["url"]))
            if s:
                stems.add(s)
    return stems


def team_sections(text: str) -> list[tuple[str, Section]]:
    return [(m.group(1), s) for s in sections(text) if (m := re.fullmatch(r"(\S+) team", s.title))]


def link_problems(text: str) -> dict[str, list[str]]:
    """Link defects of a text. A URL merely containing a second URL (a web-archive address) is not one: only the
    site URL glued onto an absolute URL is (spec §4.6)."""
    defects = check_links(text).defects()
    glued = [u for u in defects.pop("glued_urls", []) if re.match(re.escape(PUBLISHED_SITE) + r".*https?:", u)]
    if glued:
        defects["glued_urls"] = glued
    return defects


def assert_repaired_source_links(result: Result, readme_path: str) -> None:
    """No link defects at all: the two broken links of README:13 are repaired, and each is reported at that line."""
    assert link_problems(result.text) == {}
    for broken in BROKEN_SOURCE_LINKS:
        assert f"]({broken})" not in result.text
    assert "[`build-std`](https://doc.rust-lang.org/cargo/reference/unstable.html#build-std)" in result.text
    reported = {(d.location.path, d.location.line, d.code) for d in result.diagnostics}
    assert (readme_path, 13, "relative-link") in reported
    assert (readme_path, 13, "url-in-url") in reported


# --------------------------------------------------------------------------------------------------------------
# 2025h1 (profile B)


def person_url(url: str) -> str:
    """`https://github.com/<login>` compared case-insensitively: the published definitions keep the first spelling
    seen (`joelmarcey`), ours the team data's (`JoelMarcey`); spec §4.4."""
    return url.casefold() if re.fullmatch(r"https://github\.com/[A-Za-z0-9-]+", url) else url


def team_cells_b(text: str, footnotes: bool = False) -> dict[tuple[str, str, str, str], tuple[str, frozenset[str]]]:
    """(team, goal, subgoal or '', column) -> (cell text, link targets) for every non-empty cell of a team table.

    With `footnotes`, the published `\\*N` markers are replaced by the text (and links) of their footnote, the
    `([from here](…))` suffix removed: the published RFC moved every long note into such a footnote (spec §4.11).
    """
    cells: dict[tuple[str, str, str, str], tuple[str, frozenset[str]]] = {}
    for team, sec in team_sections(text):
        notes: dict[str, tuple[str, frozenset[str]]] = {}
        if footnotes:
            for token in sec.tokens:
                m = re.match(r"^\*(\d+): (.*) \(from here\)$", cell_text(token), re.S)
                if token.get("type") == "paragraph" and m:
                    notes[m.group(1)] = (m.group(2), frozenset(map(person_url, links_in(token)[:-1])))
        for table in tables(sec.tokens):
            header = [cell_text(c) for c in table[0]]
            goal = ""
            for row in table[1:]:
                stems = [s for s in (stem(u) for u in links_in(row[0])) if s]
                goal, sub = (stems[0], "") if stems else (goal, cell_text(row[0]).removeprefix("↳").strip())
                for column, cell in zip(header[1:], row[1:], strict=True):
                    value = (cell_text(cell), frozenset(map(person_url, links_in(cell))))
                    if footnotes and re.fullmatch(r"(\*\d+ ?)+", value[0]):
                        parts = [notes[n] for n in re.findall(r"\*(\d+)", value[0])]
                        value = ("; ".join(p[0] for p in parts), frozenset().union(*(p[1] for p in parts)))
                    if value[0]:
                        cells[(team, goal, sub, column)] = value
    return cells


def team_rows_b(text: str) -> set[tuple[str, str, str]]:
    """(team, goal, subgoal or '') of every row, including goal rows whose asks all sit on subgoal rows."""
    rows: set[tuple[str, str, str]] = set()
    for team, sec in team_sections(text):
        for table in tables(sec.tokens):
            goal = ""
            for row in table[1:]:
                stems = [s for s in (stem(u) for u in links_in(row[0])) if s]
                goal, sub = (stems[0], "") if stems else (goal, cell_text(row[0]).removeprefix("↳").strip())
                rows.add((team, goal, sub))
    return rows


def test_2025h1_builds_without_errors() -> None:
    assert [d.format() for d in _build("2025h1").diagnostics if d.is_error] == []


def test_2025h1_stated_count_is_39() -> None:
    pattern = r"Propose a slate of (\d+) project goals"
    counts = {int(m.group(1)) for text in (ours("2025h1"), published("2025h1")) if (m := re.search(pattern, text))}
    assert counts == {39}
    assert len(_build("2025h1").slate.slate_goals) == 39


def test_2025h1_same_39_goals() -> None:
    mine = first_table_stems(section(ours("2025h1"), "Project goals"))
    theirs = first_table_stems(section(published("2025h1"), "Project goals"))
    assert len(mine) == 39
    assert mine == theirs == {g.stem for g in _build("2025h1").slate.slate_goals}


def test_2025h1_same_2_not_accepted() -> None:
    mine = first_table_stems(section(ours("2025h1"), "What goals were not accepted?"))
    theirs = first_table_stems(section(published("2025h1"), "What goals were not accepted?"))
    assert mine == theirs == {"field-projections", "spec-testing"}


def test_2025h1_same_3_flagship_goals() -> None:
    mine = strong_link_stems(section(ours("2025h1"), "Flagship goals"))
    theirs = strong_link_stems(section(published("2025h1"), "Flagship goals"))
    assert mine == theirs == {g.stem for g in _build("2025h1").slate.slate_goals if g.is_flagship}
    assert len(mine) == 3


def test_2025h1_team_sections_have_the_same_goals_and_rows() -> None:
    mine, theirs = team_rows_b(ours("2025h1")), team_rows_b(published("2025h1"))
    assert {t for t, _, _ in mine} == {t for t, _, _ in theirs}
    assert {t for t, _, _ in mine} == {a.team for g in _build("2025h1").slate.slate_goals for a in g.asks}
    assert mine == theirs


def test_2025h1_same_ask_kinds_per_goal_and_team() -> None:
    mine, theirs = team_cells_b(ours("2025h1")), team_cells_b(published("2025h1"), footnotes=True)
    assert set(mine) == set(theirs)
    assert len(mine) == 157


def test_2025h1_same_notes_with_their_links() -> None:
    """Every cell says what the published cell or its footnote says. The one allowed difference is the published
    defect of spec §4.8: a note moved into a table lost its definition (``[`compiletest`]``), so the published text
    shows the bracketed label and no link, where ours links it."""
    mine, theirs = team_cells_b(ours("2025h1")), team_cells_b(published("2025h1"), footnotes=True)
    defined_in_published = {str(k).casefold() for k in parse(published("2025h1"))[1].get("ref_links", {})}
    lost: set[str] = set()
    for key in sorted(set(mine) & set(theirs)):
        (text, urls), (published_text, published_urls) = mine[key], theirs[key]
        if (text, urls) == (published_text, published_urls):
            continue
        labels = re.findall(r"\[([^\]]+)\]", published_text)
        assert labels, (key, mine[key], theirs[key])
        assert re.sub(r"\[([^\]]+)\]", r"\1", published_text) == text
        assert published_urls < urls
        lost |= {x for x in labels if not {x.casefold(), f"`{x.casefold()}`"} & defined_in_published}
    assert lost == {"compiletest"}


def test_2025h1_definitions_table_rows() -> None:
    def rows(text: str) -> set[tuple[str, ...]]:
        table = tables(section(text, "What do the column names").tokens)[0]
        return {tuple(cell_text(c) for c in row) for row in table[1:]}

    mine = rows(ours("2025h1"))
    assert mine == rows(published("2025h1"))
    assert len(mine) == 19


def test_2025h1_column_headers_link_to_the_definitions() -> None:
    text = ours("2025h1")
    heading = section(text, "What do the column names")
    assert heading.title == 'What do the column names like "Ded. r?" mean?'
    assert "[valid_team_asks]: #what-do-the-column-names-like-ded-r-mean" in text.splitlines()
    assert text.count("[Good vibes][valid_team_asks]") == published("2025h1").count("[Good vibes][valid_team_asks]")
    assert text.count("][valid_team_asks] |") == published("2025h1").count("][valid_team_asks] |")


def test_2025h1_has_no_link_defects() -> None:
    assert_repaired_source_links(_build("2025h1"), "src/2025h1/README.md")


def test_2025h1_published_text_has_the_defects_we_avoid() -> None:
    """The checker finds the published defects (so its silence about ours means something)."""
    defects = link_problems(published("2025h1"))
    assert len(defects["unused_defs"]) > 100
    assert set(defects["relative_links"]) == {"./build-std.html"}


def test_2025h1_snapshot(md_snapshot: SnapshotAssertion) -> None:
    assert ours("2025h1") == md_snapshot


# --------------------------------------------------------------------------------------------------------------
# The 2025h1 seed skeleton, as the README of the 2025h1 corpus (--readme)


def _seed() -> Result:
    if not SEED.is_file():
        pytest.skip(f"seed skeleton not available at {SEED}")
    return _build("2025h1", SEED)


def test_seed_skeleton_compiles_with_every_marker_expanded() -> None:
    result = _seed()
    assert [d.format() for d in result.diagnostics if d.is_error] == []
    source = SEED.read_text(encoding="utf-8")
    markers = set(re.findall(r"<!-- ([#A-Z][A-Z #`a-z]*?) -->", source))
    assert markers == {"#GOALS", "GOALS", "TEAM ASKS", "Github usernames"}
    assert "<!--" not in result.text and "(((" not in result.text
    assert "Propose a slate of 39 project goals" in result.text
    assert "consists of 39 project goals" in result.text
    assert first_table_stems(section(result.text, "Project goals")) == {g.stem for g in result.slate.slate_goals}
    assert team_rows_b(result.text) == team_rows_b(ours("2025h1"))


def test_seed_skeleton_diagnostics_name_the_skeleton() -> None:
    result = _seed()
    assert not [d for d in result.diagnostics if d.location.path == "src/2025h1/README.md"]
    codes = {(d.location.line, d.code) for d in result.diagnostics if d.location.path == str(SEED)}
    # The seed has no `[valid_team_asks]` definition: the column headers are plain text, reported at TEAM ASKS.
    marker = SEED.read_text(encoding="utf-8").split("\n").index("<!-- TEAM ASKS -->") + 1
    assert (marker, "no-valid-team-asks-anchor") in codes
    assert "[valid_team_asks]" not in result.text
    assert "| Goal | Good vibes | r? |" in result.text


def test_seed_skeleton_has_no_link_defects_but_the_broken_source_line() -> None:
    assert_repaired_source_links(_seed(), str(SEED))


# --------------------------------------------------------------------------------------------------------------
# 2024h2 (profile A)


def goal_list_rows(sec: Section) -> dict[str, tuple[str, str]]:
    """goal -> (owner cell, team cell) of the first table of a section."""
    rows: dict[str, tuple[str, str]] = {}
    for table in tables(sec.tokens)[:1]:
        for row in table[1:]:
            stems = [s for s in (stem(u) for u in links_in(row[0])) if s]
            rows[stems[0]] = (cell_text(row[1]), cell_text(row[2]))
    return rows


def team_rows_a(text: str) -> set[tuple[str, str, str, str, str, str]]:
    """(team, ask text case-folded, goal, subgoal or goal link text, owners, notes) of every team table row."""
    rows: set[tuple[str, str, str, str, str, str]] = set()
    for team, sec in team_sections(text):
        for table in tables(sec.tokens):
            assert [cell_text(c) for c in table[0]] == ["Goal", "Owner", "Notes"]
            group = ""
            for row in table[1:]:
                stems = [s for s in (stem(u) for u in links_in(row[0])) if s]
                if not stems:
                    group = cell_text(row[0]).casefold()
                    continue
                link_text = cell_text(row[0]).removeprefix("↳").strip()
                rows.add((team, group, stems[0], link_text, cell_text(row[1]), cell_text(row[2])))
    return rows


def unknown_people(period: str) -> set[str]:
    """Handles our RFC prints as `@handle` because the team snapshot lacks them (spec Appendix A)."""
    result = _build(period, severity=(("unlisted-handle", Level.WARNING),))  # off by default
    found = set(re.findall(r"(?<![\w/\[])@([A-Za-z0-9-]+)", result.text))
    assert found, "expected people missing from the 2024h2 team snapshot"
    assert all(result.slate.teams.person(h) is None for h in found)
    reported = {d.message.split("'")[1] for d in result.diagnostics if d.code in ("unknown-handle", "unlisted-handle")}
    assert {"@" + h for h in found} <= reported
    return {"@" + h for h in found}


def same_but_unknown_people(mine: Any, theirs: Any, missing: set[str]) -> bool:
    """Equal, except that a cell naming a person missing from the team snapshot is `@handle` in ours and a display
    name in the published text (spec Appendix A)."""
    if isinstance(mine, tuple):
        return len(mine) == len(theirs) and all(
            same_but_unknown_people(a, b, missing) for a, b in zip(mine, theirs, strict=True)
        )
    return bool(mine == theirs or (mine in missing and theirs and "@" not in theirs))


def test_2024h2_builds_without_errors() -> None:
    assert [d.format() for d in _build("2024h2").diagnostics if d.is_error] == []


def test_2024h2_lists_the_same_26_goals() -> None:
    """The goal lists (`Proposed`, `Orphaned`) plus the flagship goals, which appear only in prose (spec Appendix A:
    a hand edit of the published text; the README has no marker for them)."""

    def goals(text: str) -> set[str]:
        listed = set(goal_list_rows(section(text, "Project goals"))) | set(goal_list_rows(section(text, "Orphaned")))
        return listed | strong_link_stems(section(text, "Flagship goals"))

    mine, theirs = goals(ours("2024h2")), goals(published("2024h2"))
    assert len(mine) == 26
    assert mine == theirs == {g.stem for g in _build("2024h2").slate.slate_goals}


def test_2024h2_goal_lists_agree_on_owners_and_teams() -> None:
    missing = unknown_people("2024h2")
    for title in ("Project goals", "Orphaned"):
        mine = goal_list_rows(section(ours("2024h2"), title))
        theirs = goal_list_rows(section(published("2024h2"), title))
        assert set(mine) == set(theirs)
        for goal in mine:
            assert same_but_unknown_people(mine[goal], theirs[goal], missing), (goal, mine[goal], theirs[goal])
    assert goal_list_rows(section(ours("2024h2"), "Orphaned")) == {"user-wide-cache": ("Help wanted", "cargo")}


def test_2024h2_team_asks_agree() -> None:
    missing = unknown_people("2024h2")
    mine, theirs = team_rows_a(ours("2024h2")), team_rows_a(published("2024h2"))
    assert len(mine) == len(theirs) == 74
    assert {r[0] for r in mine} == {r[0] for r in theirs}
    unmatched = set(theirs)
    for row in sorted(mine):
        match = next((t for t in sorted(unmatched) if same_but_unknown_people(row, t, missing)), None)
        assert match is not None, row
        unmatched.remove(match)
    assert unmatched == set()


def test_2024h2_ask_groups_are_sorted_case_insensitively() -> None:
    """Spec §4.3: the published compiler table puts `*dedicated reviewer*` last; ours sorts groups case-folded."""
    compiler = dict(team_sections(ours("2024h2")))["compiler"]
    table = tables(compiler.tokens)[0]
    groups = [cell_text(r[0]) for r in table[1:] if not links_in(r[0])]
    assert groups == sorted(groups, key=str.casefold)
    assert groups.index("dedicated reviewer") == 1


def test_2024h2_has_no_link_defects() -> None:
    assert link_problems(ours("2024h2")) == {}


def test_2024h2_counts_come_from_the_slate() -> None:
    """Spec §4.9: the README's own `24 total` is prose and stays, but `NN` is reported; TEAM ASKS covers all 26."""
    result = _build("2024h2")
    assert "NN project goals" in result.text
    at_22 = [d for d in result.diagnostics if d.location.path == "src/2024h2/README.md" and d.location.line == 22]
    assert any("NN" in d.message for d in at_22)
    asked = {r[2] for r in team_rows_a(result.text)}
    assert asked == {g.stem for g in result.slate.slate_goals}


def test_2024h2_snapshot(md_snapshot: SnapshotAssertion) -> None:
    assert ours("2024h2") == md_snapshot
