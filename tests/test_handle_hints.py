"""Hints built from what the sources and the team data say: the login an unknown handle most likely meant, the
linkifier form of a reference, the definition closest to an undefined label (issue 23)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rust_goals_slate.model import Person, Team, TeamRegistry
from rust_goals_slate.validate.base import handle_problem, likely_logins

PEOPLE = [
    ("tiif", "Tiif"),
    ("Mark-Simulacrum", "Mark Rousskov"),
    ("arlosi", "Arlo Siemsen"),
    ("tmandry", "Tyler Mandry"),
    ("ywx", "Y W X"),
]
TEAMS = TeamRegistry(
    teams={"lang": Team("lang", "https://example.org/lang")},
    people={login.casefold(): Person(login, name) for login, name in PEOPLE},
)


@pytest.mark.parametrize(
    ("handle", "meant"),
    [
        ("tiff", ["tiif"]),  # one edit
        ("TIIF2", ["tiif"]),  # case-insensitive, one edit
        ("simulacrum", ["Mark-Simulacrum"]),  # a name part of the login
        ("arlo-siemsen", ["arlosi"]),  # the person's name, spelt as a handle
        ("tmandyr", ["tmandry"]),  # two edits for a longer handle
        ("tartanllama", []),  # simply not in the team data
        ("ab", []),
    ],
)
def test_likely_logins(handle: str, meant: list[str]) -> None:
    assert likely_logins(TEAMS, handle) == meant


def test_the_code_says_whether_the_author_can_act() -> None:
    assert handle_problem(TEAMS, "tiff") == ("unknown-handle", "(not in the team data)", "did you mean @tiif?")
    assert handle_problem(TEAMS, "lang") == ("unknown-handle", "(a team, not a person)", "a team? write `[lang]`")
    assert handle_problem(TEAMS, "tartanllama") == ("unlisted-handle", "(not in the team data)", None)


def test_head_2026_warnings_carry_their_fix() -> None:
    from rust_goals_slate.cli.check import check
    from rust_goals_slate.pipeline.build import Request
    from tests.support import corpus

    head = corpus("head")
    found = check(Request(src=head / "src" / "2026", teams=head / "team"))
    hints = {d.message.split("'")[1]: d.hint for d in found if d.code == "unknown-handle"}
    assert hints["@tiff"] == "did you mean @tiif?"
    assert hints["@simulacrum"] == "did you mean @Mark-Simulacrum?"
    assert hints["@arlo-siemsen"] == "did you mean @arlosi?"
    assert hints["@wg-parallel-rustc"] == "a team? write `[wg-parallel-rustc]`"
    assert all(d.code != "unlisted-handle" for d in found)  # off by default
    by_message = {d.message.split("'")[1]: d.hint for d in found if "reference" in d.code}
    assert by_message["[rustc-dev-guide#2663]"] == (
        "did you mean '[rust-lang/rustc-dev-guide#2663]'? (the linkifier form, which keeps the issue number)"
    )
    assert by_message["[typeid-poly]"] == "did you mean '[typeid-poly-orig]', defined in this file?"
    archived = [d for d in found if d.code == "archived-team"]
    assert len(archived) == 1 and "named by 14 goal files" in archived[0].message


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@given(st.text("abc-", max_size=9), st.text("abc-", max_size=9), st.integers(0, 3))
def test_the_banded_edit_distance_is_levenshtein_up_to_the_limit(a: str, b: str, limit: int) -> None:
    from rust_goals_slate.validate.base import _edit_distance

    assert _edit_distance(a, b, limit) == min(_levenshtein(a, b), limit + 1)
