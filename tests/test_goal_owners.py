"""`slate teams goal-owners`: rust-lang/team's goal-owners.toml from the points of contact of the goals in the slate.

The acceptance case compares head's 2026 slate with the checkout's own file (kept by hand in 2026): every person
the file lists and slate does not, and the reverse, is explained here from the goal files, read with a regex over
their contact rows, not through slate.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.model import Person, TeamRegistry
from rust_goals_slate.upkeep.goal_owners import Owner, change, read_current, team_file
from tests.support import CORPUS

HEAD = CORPUS / "head"
_CONTACT = re.compile(r"^\| *(?:Point of contact|Contact) *\|(.*)\|", re.M | re.I)
_NOT_ACCEPTED = re.compile(r"^\| *Status *\| *Not accepted", re.M | re.I)

# In the checkout's file, named as contact by no goal of head's 2026 slate (so slate leaves them out):
#  - JoelMarcey: contact of src/2025h2/interop-problem-map.md; the 2026 goal of that name has @teor2345;
#  - nxsaken and ojeda: named by no goal file at all (added by hand: rust-lang/team a9205cdc, 6398c820).
LEAVE_2026 = {"JoelMarcey", "nxsaken", "ojeda"}
# Contact of a goal that was not accepted (src/2026/crate-slicing.md): the goals tool would list him; slate does not.
NOT_ACCEPTED_CONTACT = "yijunyu"


def _head() -> Path:
    if not (HEAD / "team" / "teams" / "goal-owners.toml").is_file():
        pytest.skip("head corpus with its team checkout not available")
    return HEAD


def _members(text: str) -> list[str]:
    members = tomllib.loads(text)["people"]["members"]
    assert isinstance(members, list)
    return [str(m) for m in members]


def _contacts(period: str) -> dict[str, list[str]]:
    """login case-folded -> goal files naming them contact, for the goals in the slate of head's `period`."""
    found: dict[str, list[str]] = {}
    for path in sorted((HEAD / "src" / period).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        row = _CONTACT.search(text)
        if path.name.startswith("roadmap-") or row is None or _NOT_ACCEPTED.search(text):
            continue
        for login in re.findall(r"@([A-Za-z0-9_-]+)", row.group(1)):
            found.setdefault(login.casefold(), []).append(path.name)
    return found


def test_head_2026_differs_from_the_checkout_only_by_the_people_explained(capsys: pytest.CaptureFixture[str]) -> None:
    head = _head()
    assert main(["teams", "goal-owners", str(head / "src" / "2026"), "--teams", str(head / "team")]) == 0
    out, err = capsys.readouterr()
    ours = _members(out)
    theirs = _members((head / "team" / "teams" / "goal-owners.toml").read_text(encoding="utf-8"))
    assert set(theirs) - set(ours) == LEAVE_2026
    assert set(ours) - set(theirs) == set()
    contacts = _contacts("2026")
    assert {m.casefold() for m in ours} == set(contacts)  # exactly the contacts of the goals in the slate
    for login in LEAVE_2026:
        assert login.casefold() not in contacts
    assert "joelmarcey" in _contacts("2025h2")
    assert NOT_ACCEPTED_CONTACT in (HEAD / "src" / "2026" / "crate-slicing.md").read_text(encoding="utf-8")
    assert NOT_ACCEPTED_CONTACT not in {m.casefold() for m in ours}
    # the summary says the same
    assert f"{len(ours)} members; 0 join, 3 leave (moved to alumni)" in err
    assert sorted(re.findall(r"^  - (\S+)", err, re.M)) == sorted(LEAVE_2026)
    assert not re.findall(r"^  \+ ", err, re.M)
    assert "add-person" not in err  # every contact has a people file


def test_two_periods_count_the_contacts_of_both(capsys: pytest.CaptureFixture[str]) -> None:
    head = _head()
    srcs = [str(head / "src" / p) for p in ("2025h2", "2026")]
    assert main(["teams", "goal-owners", *srcs, "--teams", str(head / "team")]) == 0
    out, err = capsys.readouterr()
    ours = {m.casefold() for m in _members(out)}
    assert ours == set(_contacts("2025h2")) | set(_contacts("2026"))
    assert "joelmarcey" in ours
    assert re.search(r"^  \+ GuillaumeGomez  \(contact of src/2025h2/gcc-backend-tests\.md, ", err, re.M)


def test_write_into_a_checkout_keeps_the_rest_of_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = _head()
    team = tmp_path / "team"
    shutil.copytree(head / "team", team)
    target = team / "teams" / "goal-owners.toml"
    target.chmod(0o644)
    before = target.read_text(encoding="utf-8")
    assert main(["teams", "goal-owners", str(head / "src" / "2026"), "--teams", str(team), "--write"]) == 0
    capsys.readouterr()
    after = target.read_text(encoding="utf-8")
    data = tomllib.loads(after)
    assert set(data["people"]["alumni"]) >= LEAVE_2026  # leavers become alumni
    assert set(tomllib.loads(before)["people"]["alumni"]) <= set(data["people"]["alumni"])
    # everything outside the two arrays is unchanged
    strip = re.compile(r"^(members|alumni) = \[.*?\]\n", re.M | re.S)
    assert strip.sub("", after) == strip.sub("", before)
    assert main(["teams", "goal-owners", str(head / "src" / "2026"), "--teams", str(team)]) == 0
    assert "0 join, 0 leave" in capsys.readouterr().err  # a second run has nothing to change


def _registry(*logins: str) -> TeamRegistry:
    return TeamRegistry({}, {login.casefold(): Person(login, login) for login in logins})


def test_joins_leaves_alumni_and_missing_people_files() -> None:
    owners = (Owner("Alice", ("src/2027/a.md",), True), Owner("bob", ("src/2027/b.md",), False))
    current = read_current(
        team_file(["alice", "carol"], ["Bob", "dave"]).replace("included-teams = []", 'included-teams = ["x"]'), "f"
    )
    result = change(owners, current)
    assert [o.login for o in result.joins] == ["bob"]
    assert result.leaves == ("carol",)
    assert result.missing_people == ("bob",)
    data = tomllib.loads(result.text)["people"]
    assert data["members"] == ["Alice", "bob"]
    assert data["alumni"] == ["carol", "dave"]  # bob joined again, carol left
    assert data["included-teams"] == ["x"]


def test_no_current_file_is_written_as_the_goals_tool_writes_it() -> None:
    result = change((Owner("x", (), True),), None)
    assert result.text == (
        "# Auto-generated from the goals repository\n"
        'name = "goal-owners"\nkind = "marker-team"\n\n[people]\nleads = []\nmembers = [\n    "x",\n]\n'
        'included-teams = []\n\n[[github]]\norgs = ["rust-lang"]\n'
    )
    assert [o.login for o in result.joins] == ["x"]


def test_a_file_that_is_not_toml_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = _head()
    team = tmp_path / "team"
    shutil.copytree(head / "team", team)
    target = team / "teams" / "goal-owners.toml"
    target.chmod(0o644)
    target.write_text("members = [\n", encoding="utf-8")
    assert main(["teams", "goal-owners", str(head / "src" / "2026"), "--teams", str(team)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"slate: {target}: ") and err.count("\n") == 1  # one line, naming the file


def test_write_needs_a_checkout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["teams", "goal-owners", "--write", "--teams", "goals/teams.yaml"]) == 2
    assert "--write needs --teams CHECKOUT" in capsys.readouterr().err


def test_handles_compared_case_insensitively_and_spelt_as_the_team_data() -> None:
    from rust_goals_slate.pipeline.build import Request, read_slate
    from rust_goals_slate.upkeep.goal_owners import goal_owners

    slate, _ = read_slate(Request(src=Path("goals/src/2027"), teams=Path("goals/teams.yaml")))
    contacts = sorted({h.login for g in slate.slate_goals for h in g.points_of_contact}, key=str.casefold)
    assert len(contacts) > 2
    shouted = contacts[0].upper()
    owners = goal_owners([slate, slate], _registry(shouted, *contacts[2:]))
    assert [o.login for o in owners] == sorted([shouted, *contacts[1:]], key=str.casefold)
    assert [o.has_person_file for o in owners] == [True, False] + [True] * (len(contacts) - 2)
    first = next(g.path for g in slate.slate_goals if any(h.login == contacts[0] for h in g.points_of_contact))
    assert first in owners[0].goals


def test_a_teams_yaml_is_compared_through_its_goal_owners_team(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = _head()
    pinned = tmp_path / "teams.yaml"
    assert main(["teams", "export", str(head / "team"), "-o", str(pinned), "-q"]) == 0
    assert main(["teams", "goal-owners", str(head / "src" / "2026"), "--teams", str(pinned)]) == 0
    out, err = capsys.readouterr()
    assert "0 join, 3 leave (moved to alumni)" in err
    assert sorted(re.findall(r"^  - (\S+)", err, re.M)) == sorted(LEAVE_2026)
    assert set(tomllib.loads(out)["people"]["alumni"]) == LEAVE_2026
