"""The 2026 corpus: our RFC agrees with the published one on the facts, and has no link defects."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from syrupy.assertion import SnapshotAssertion

from rust_goals_slate.model import Options
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from tests.support import (
    PUBLISHED,
    PUBLISHED_SITE,
    check_links,
    corpus,
    first_table_stems,
    goal_stem,
    help_wanted_goals,
    links_in,
    sections,
    size_tables,
    tables,
    team_ask_rows,
)


@cache
def _build() -> Result:
    root = corpus("2026")
    number, date = PUBLISHED["2026"]
    options = Options(site_url=PUBLISHED_SITE, rfc_number=number, start_date=date)
    return compile_slate(Request(src=root / "src" / "2026", teams=root / "team", options=options))


def ours() -> str:
    return _build().text


def published() -> str:
    return (corpus("2026") / "published-rfc.md").read_text(encoding="utf-8")


def stated_count(text: str) -> int:
    m = re.search(r"consists of (\d+) project goals", text)
    assert m, "no stated goal count"
    return int(m.group(1))


def test_builds_without_errors() -> None:
    errors = [d.format() for d in _build().diagnostics if d.is_error]
    assert errors == []


def test_stated_count_is_66() -> None:
    assert stated_count(ours()) == stated_count(published()) == 66


def test_same_66_goals() -> None:
    mine = set().union(*size_tables(ours()).values())
    theirs = set().union(*size_tables(published()).values())
    assert len(mine) == 66
    assert mine == theirs


def test_same_goals_in_each_size_table() -> None:
    mine, theirs = size_tables(ours()), size_tables(published())
    assert set(mine) == set(theirs) == {"Large goals", "Medium goals", "Small goals"}
    for size in mine:
        assert mine[size] == theirs[size], size
    assert [len(mine[s]) for s in ("Large goals", "Medium goals", "Small goals")] == [17, 31, 18]


def test_help_wanted_badge_where_the_published_rfc_shows_it() -> None:
    mine, theirs = help_wanted_goals(ours()), help_wanted_goals(published())
    # the eight goals with `Needs | Contributor` (corpus/2026/src/2026/*.md), counted by hand from the sources
    assert theirs == {
        "afidt-box", "cargo-plumbing", "ergonomic-rc", "libtest-json", "open-namespaces", "pub-priv", "rtn",
        "stabilize-cargo-sbom",
    }  # fmt: skip
    assert mine == theirs
    assert "[Help wanted]: https://img.shields.io/badge/Help%20wanted-yellow" in ours().splitlines()


def highlight_groups(text: str) -> dict[str, set[str]]:
    groups = {}
    for sec in sections(text):
        for table in tables(sec.tokens)[:1]:
            header = [" ".join(str(c.get("children", [{}])[0].get("raw", "")).split()) for c in table[0]]
            if header == ["Goal", "What and why"]:
                groups[sec.title] = first_table_stems(sec)
    return groups


def test_same_highlight_groups() -> None:
    mine, theirs = highlight_groups(ours()), highlight_groups(published())
    assert len(mine) == 8
    assert mine == theirs


def roadmaps(text: str) -> set[str]:
    found: set[str] = set()
    for sec in sections(text):
        for table in tables(sec.tokens):
            for row in table[1:]:
                for url in links_in(row[0]):
                    m = re.search(r"/(roadmap-[^/#]+)\.html$", url)
                    if m:
                        found.add(m.group(1))
    return found


def test_same_roadmaps() -> None:
    assert roadmaps(ours()) == roadmaps(published())
    assert len(roadmaps(ours())) == 7


def test_same_team_ask_rows() -> None:
    mine, theirs = team_ask_rows(ours()), team_ask_rows(published())
    assert len(theirs) == 176  # rows of the published team-ask tables (slate goals only)
    assert mine == theirs


def test_same_headings_in_same_order() -> None:
    # Levels differ on purpose (spec §3.3: top-level sections are `##`), titles and order do not.
    def titles(text: str) -> list[str]:
        return [s.title for s in sections(text)]

    assert titles(ours()) == titles(published())


def test_no_link_defects() -> None:
    assert check_links(ours()).defects() == {}


def test_published_text_has_the_defects_the_spec_lists() -> None:
    # The checker is not vacuous: on the published RFC it finds the defects of spec §4.
    defects = check_links(published()).defects()
    unused = {label.casefold() for label in defects.get("unused_defs", [])}
    assert {"android", "summary"} <= unused  # published-rfc.md:1349 and :1471 (spec §4.8)


def test_goal_links_use_site_url() -> None:
    stems = {goal_stem(u) for u in re.findall(r"\]\((https://[^)]+)\)", ours())}
    assert "const-generics" in stems


def test_boxy_is_one_champion() -> None:
    rows = [line for line in ours().splitlines() if line.startswith("| [Boxy][] |")]
    url = "https://rust-lang.github.io/rust-project-goals/2026/assumptions_on_binders.html"
    assert rows == [f"| [Boxy][] | 3 | [Assumptions on Binders]({url}) |"]


def test_handle_spelt_two_ways_is_reported() -> None:
    codes = {(d.location.path, d.code) for d in _build().diagnostics}
    assert ("src/2026/typesystem-docs.md", "handle-spelling") in codes


def test_snapshot(md_snapshot: SnapshotAssertion) -> None:
    assert ours() == md_snapshot


def test_source_files_untouched(tmp_path: Path) -> None:
    # Building reads the corpus only; nothing is written next to it.
    root = corpus("2026")
    before = sorted(p.name for p in (root / "src" / "2026").iterdir())
    _build()
    assert sorted(p.name for p in (root / "src" / "2026").iterdir()) == before
