"""The validation's shortcuts find what the long way finds (docs/performance.md, issue 26: validate)."""

from __future__ import annotations

import bisect
import random
import re
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rust_goals_slate.errors import INVISIBLE
from rust_goals_slate.model import TeamRegistry
from rust_goals_slate.parse.inline import embeds_url, find_handles, scan
from rust_goals_slate.sources.teams import load_teams
from rust_goals_slate.validate import characters, links
from rust_goals_slate.validate import text as text_rules
from rust_goals_slate.validate.base import _edit_distance, _name_parts, likely_logins
from rust_goals_slate.validate.characters import shows_as_written
from tests.support import CORPUS


def test_a_text_that_shows_as_written_holds_no_character_the_rules_look_for() -> None:
    """`character_rules` skips a text `shows_as_written` accepts: so it must refuse every character of either rule."""
    looked_for = [
        ch for ch in map(chr, range(sys.maxunicode + 1)) if characters._CONTROL.match(ch) or INVISIBLE.match(ch)
    ]
    assert len(looked_for) > 60
    for ch in looked_for:
        assert not shows_as_written(f"text\n\t{ch} more text"), f"U+{ord(ch):04X}"
    assert not shows_as_written("a lone surrogate \ud800, as a file that is not UTF-8 may be read")
    assert not shows_as_written("a carriage return\r\n")
    assert shows_as_written("plain text,\n\ttabs and line breaks: ~!@#$%^&*()_+`{}|[]\\:;'<>?,./")
    assert shows_as_written("plain text,\n\ttabs, line breaks, «quotes» — dashes, 漢字 and emoji 🦀")


# The handle pattern as it was written before it was made to start with its `@` (the reference for the one in use).
_HANDLE_BEFORE = re.compile(
    r"(?<![A-Za-z0-9_./\-@])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![A-Za-z0-9_/]|-[A-Za-z0-9])"
)


def _handles(pattern: Iterator[re.Match[str]]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(1)) for m in pattern]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="@a-_./Z9 \n`[", max_size=40))
def test_find_handles_finds_what_the_look_behind_first_pattern_found(text: str) -> None:
    assert _handles(find_handles(text)) == _handles(_HANDLE_BEFORE.finditer(text))


def test_find_handles_on_every_markdown_file_of_the_corpora() -> None:
    files = sorted(CORPUS.glob("**/*.md")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("no corpus")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _handles(find_handles(text)) == _handles(_HANDLE_BEFORE.finditer(text)), path


# `embeds_url`'s pattern as it was, with a lazy search for the second URL (the reference for the one-pass check).
_EMBEDDED_BEFORE = re.compile(r"^https?://([^/?#]*)[^?#]*?/https?:/")


def _embeds_before(raw: str) -> bool:
    m = _EMBEDDED_BEFORE.match(raw)
    return m is not None and m.group(1).casefold() not in (
        "web.archive.org",
        "archive.org",
        "archive.is",
        "archive.ph",
        "archive.today",
    )


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["https://", "http://", "http:/", "https:/", "/", "?", "#", "a", "b.c", "archive.org", ":"]),
        max_size=12,
    ).map("".join)
)
def test_embeds_url_answers_as_the_lazy_pattern_did(raw: str) -> None:
    assert embeds_url(raw) == _embeds_before(raw)


def test_embeds_url_on_every_link_of_the_corpora() -> None:
    files = sorted(CORPUS.glob("**/*.md")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("no corpus")
    links = {m.group(1) for path in files for m in re.finditer(r"\]\(([^)\s]+)", path.read_text(errors="replace"))}
    assert sum(embeds_url(link) for link in links) > 0
    for link in links:
        assert embeds_url(link) == _embeds_before(link), link


def _likely_before(teams: TeamRegistry, login: str) -> list[str]:
    """`likely_logins` as it was: every person of the team data compared in turn."""
    key = login.casefold()
    parts = _name_parts(login)
    spelled = "".join(parts) if len(parts) >= 2 else None
    limit = 1 if len(key) <= 6 else 2
    found: list[tuple[int, str]] = []
    for p in teams.people.values():
        distance = _edit_distance(key, p.login.casefold(), limit)
        if distance <= limit:
            found.append((distance, p.login))
        elif (len(key) >= 4 and key in _name_parts(p.login)) or spelled == "".join(_name_parts(p.name)):
            found.append((limit + 1, p.login))
    return [login for _, login in sorted(found)]


def test_likely_logins_finds_what_comparing_every_person_found() -> None:
    """The people looked at by length, name part and name give the answers of a walk over every person: on the
    2026 team data, for handles one or two edits from a login, name parts, spelt names and handles far from all."""
    team = CORPUS / "2026" / "team"
    if not team.is_dir():
        pytest.skip("no corpus")
    teams = load_teams(team)
    rng = random.Random(26)
    people = sorted(teams.people.values(), key=lambda p: p.login)
    handles = {"nobody-at-all", "ab", "x"}
    for p in rng.sample(people, 60):
        login = p.login
        i = rng.randrange(len(login))
        handles |= {
            login.upper(),
            login[:i] + login[i + 1 :],
            login[:i] + "q" + login[i:],
            login[:i] + "zz" + login[i:],
        }
        handles |= {part for part in _name_parts(login)} | {"-".join(_name_parts(p.name))}
    assert any(likely_logins(teams, h) for h in handles)
    for handle in sorted(handles):
        assert likely_logins(teams, handle) == _likely_before(teams, handle), handle


def _cells_before(text: str, column: int) -> list[tuple[int, int]]:
    """Where the cells of `column` were, worked out for every line of a table up front (the reference)."""
    cells = []
    offset = 0
    for line in text.split("\n"):
        pipes = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
        if line.lstrip().startswith("|"):
            pipes = pipes[1:]
            start = line.index("|") + 1
        else:
            start = 0
        bounds = [start, *(p + 1 for p in pipes)]
        if column < len(bounds):
            end = pipes[column] if column < len(pipes) else len(line)
            cells.append((offset + bounds[column], offset + end))
        offset += len(line) + 1
    return cells


def _inside_before(cells: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(cells, (offset, sys.maxsize)) - 1
    return i >= 0 and cells[i][0] <= offset < cells[i][1]


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="| \\a[\n", max_size=40), st.integers(0, 2))
def test_a_span_is_in_a_team_cell_where_the_cells_of_every_line_said(text: str, column: int) -> None:
    cells = _cells_before(text, column)
    for offset in range(len(text)):
        assert links._in_column(text, offset, column) == _inside_before(cells, offset), offset


# The count rules' patterns as they were, starting with their look-behind (the reference for the ones in use).
_COUNT_BEFORE = re.compile(
    r"(?<![\w.,])(\d{1,3})\s+(?:(total)\s+)?(?:(project|flagship|roadmap|large|medium|small)\s+)?goals\b", re.I
)
_PLACEHOLDER_BEFORE = re.compile(r"(?<![\w-])NN(?![\w-])")


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in pattern.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["1", "23", "4567", " ", "\n", ".", ",", "-", "a", "NN", "N", "goals", "Total ", "flagship "]),
        max_size=12,
    ).map("".join)
)
def test_the_count_patterns_find_what_the_look_behind_first_ones_found(text: str) -> None:
    assert _matches(text_rules._COUNT, text) == _matches(_COUNT_BEFORE, text)
    assert _matches(text_rules._PLACEHOLDER, text) == _matches(_PLACEHOLDER_BEFORE, text)


def test_the_count_patterns_on_every_markdown_file_of_the_corpora() -> None:
    files = sorted(CORPUS.glob("**/*.md")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("no corpus")
    found = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _matches(text_rules._COUNT, text) == _matches(_COUNT_BEFORE, text), path
        assert _matches(text_rules._PLACEHOLDER, text) == _matches(_PLACEHOLDER_BEFORE, text), path
        found += len(_matches(_COUNT_BEFORE, text))
    assert found > 0


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab `[]()<>!\\@-:/\n", max_size=60))
def test_scan_without_text_spans_gives_the_other_spans(text: str) -> None:
    assert list(scan(text, texts=False)) == [s for s in scan(text) if s.kind != "text"]
