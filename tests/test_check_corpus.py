"""`slate check` on the four corpus periods: no error, and exactly the problems docs/known-source-problems.md lists."""

from __future__ import annotations

import re
from functools import cache

import pytest

from rust_goals_slate.cli.check import check
from rust_goals_slate.codes import Level
from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.pipeline.build import Request
from tests.support import ROOT, corpus

PERIODS = ("2024h2", "2025h1", "2025h2", "2026")
KNOWN = ROOT / "docs" / "known-source-problems.md"
_ROW = re.compile(r"^\| `([^`]+)` \| `([^`]+)` \|")

pytestmark = pytest.mark.corpus


@cache
def _check(period: str) -> tuple[Diagnostic, ...]:
    root = corpus(period)
    # unlisted-handle is off by default; the documentation lists those handles too, so they are turned on here
    request = Request(src=root / "src" / period, teams=root / "team", severity=(("unlisted-handle", Level.WARNING),))
    return tuple(check(request))


def _documented(period: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    section = None
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].split()[0]
        elif section == period and (m := _ROW.match(line)):
            rows.append((m.group(1), m.group(2)))
    return rows


def _reported(period: str) -> list[tuple[str, str]]:
    # the documentation names the line; columns are checked in test_columns.py
    return [
        (f"{d.location.path}:{d.location.line}" if d.location.line > 0 else d.location.path, d.code)
        for d in _check(period)
    ]


@pytest.mark.parametrize("period", PERIODS)
def test_no_errors(period: str) -> None:
    assert [d.format() for d in _check(period) if d.is_error] == []


@pytest.mark.parametrize("period", PERIODS)
def test_reports_exactly_the_documented_problems(period: str) -> None:
    reported, documented = _reported(period), _documented(period)
    assert documented, f"docs/known-source-problems.md has no table for {period}"
    new = [f"{loc} {code}" for loc, code in reported if (loc, code) not in documented]
    gone = [f"{loc} {code}" for loc, code in documented if (loc, code) not in reported]
    assert (new, gone) == ([], []), "update docs/known-source-problems.md after checking each one"
    assert len(reported) == len(documented)


def test_2026_reports_boxy_spelt_two_ways() -> None:
    found = [d for d in _check("2026") if d.code == "handle-spelling"]
    assert [(str(d.location), d.message, d.hint) for d in found] == [
        (
            "src/2026/typesystem-docs.md:10:27",  # the handle
            "'@boxyuwu' is spelt differently elsewhere (@BoxyUwU, @boxyuwu)",
            "write '@BoxyUwU' everywhere",
        )
    ]


def test_2026_reports_champion_rows_without_the_word_champion() -> None:
    found = [d for d in _check("2026") if d.code == "champion-row-without-champion"]
    assert [(str(d.location), d.hint) for d in found] == [
        ("src/2026/mir-move-elimination.md:11:1", "did you mean `[compiler] champion`?"),
        ("src/2026/mir-move-elimination.md:12:1", "did you mean `[wg-mir-opt] champion`?"),
    ]


@pytest.mark.parametrize("period", PERIODS)
def test_each_problem_is_reported_once(period: str) -> None:
    # every rule lives in one stage (validate, or the render for what needs the assembled RFC): nothing is merged
    # away, so the same problem twice at one place would be a rule living in two stages
    places = [(d.location.path, d.location.line, d.code, d.message) for d in _check(period)]
    handles = [
        d.message.split("'")[1].casefold() for d in _check(period) if d.code in ("unknown-handle", "unlisted-handle")
    ]
    assert len(set(places)) == len(places) and len(set(handles)) == len(handles)
