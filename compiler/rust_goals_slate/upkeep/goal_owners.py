"""rust-lang/team's `teams/goal-owners.toml` from the contacts of the goals, as the goals tool's `cargo rpg team-repo`
writes it, and what changes against the file a checkout holds.

The goals tool counts the points of contact of every goal file (task owners are not members); slate counts those of
the goals in the slate: a goal that was not accepted has no tracking issue to post on, so its contact gets no rights.
Logins are spelt as the team data spells them and sorted case-insensitively. Unlike the goals tool, an existing
file keeps everything but its `members` array, and a person who leaves is moved to `alumni` (as rust-lang/team
records former members); a person who joins again is taken off it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence

from rust_goals_slate.errors import InputError
from rust_goals_slate.model import Slate, TeamRegistry
from rust_goals_slate.records import record

HEADER = "# Auto-generated from the goals repository"


@record
class Owner:
    """A member of goal-owners: the login as the team data spells it, and the goal files that name them contact."""

    login: str
    goals: tuple[str, ...]  # paths relative to the input root, sorted
    has_person_file: bool  # the team data knows them (else rust-lang/team needs `cargo run add-person LOGIN`)


@record
class CurrentFile:
    """What the checkout's goal-owners.toml holds now."""

    text: str
    members: tuple[str, ...]
    alumni: tuple[str, ...]


@record
class OwnersChange:
    """The new file and who joins, leaves, and needs a people file."""

    text: str
    members: tuple[Owner, ...]
    joins: tuple[Owner, ...]
    leaves: tuple[str, ...]  # as spelt in the current file
    missing_people: tuple[str, ...]


def sort_key(login: str) -> tuple[str, str]:
    return (login.casefold(), login)


def goal_owners(slates: Sequence[Slate], registry: TeamRegistry) -> tuple[Owner, ...]:
    """The points of contact of the goals in the slates, one entry per person (logins compared case-insensitively)."""
    found: dict[str, tuple[str, set[str]]] = {}
    for slate in slates:
        for goal in slate.slate_goals:
            for handle in goal.points_of_contact:
                person = registry.person(handle.login)
                login = person.login if person is not None else handle.login
                found.setdefault(login.casefold(), (login, set()))[1].add(goal.path)
    owners = (Owner(login, tuple(sorted(goals)), registry.person(login) is not None) for login, goals in found.values())
    return tuple(sorted(owners, key=lambda o: sort_key(o.login)))


def read_current(text: str, path: str) -> CurrentFile:
    """The members and alumni of an existing goal-owners.toml (a file that is not TOML is an input error)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None
    people = data.get("people", {})
    if not isinstance(people, dict):
        raise InputError(f"{path}: [people] is not a table")
    return CurrentFile(text, _logins(people.get("members", []), path), _logins(people.get("alumni", []), path))


def _logins(entries: object, path: str) -> tuple[str, ...]:
    if not isinstance(entries, list):
        raise InputError(f"{path}: people.members and people.alumni must be arrays")
    logins = []
    for entry in entries:
        # rust-lang/team also allows `{ github = "login", roles = [...] }`
        login = entry.get("github") if isinstance(entry, dict) else entry
        if not isinstance(login, str):
            raise InputError(f"{path}: a member is neither a login nor a table with `github`: {entry!r}")
        logins.append(login)
    return tuple(logins)


def change(owners: tuple[Owner, ...], current: CurrentFile | None) -> OwnersChange:
    """The file to write and the difference to `current` (None: no file yet, everybody joins)."""
    before = {m.casefold(): m for m in current.members} if current else {}
    now = {o.login.casefold() for o in owners}
    joins = tuple(o for o in owners if o.login.casefold() not in before)
    leaves = tuple(sorted((m for k, m in before.items() if k not in now), key=sort_key))
    missing = tuple(o.login for o in owners if not o.has_person_file)
    logins = [o.login for o in owners]
    if current is None:
        text = team_file(logins, [])
    else:
        alumni = {a.casefold(): a for a in current.alumni if a.casefold() not in now}
        alumni.update((m.casefold(), m) for m in leaves)
        text = _replace_arrays(current.text, logins, sorted(alumni.values(), key=sort_key))
    return OwnersChange(text, owners, joins, leaves, missing)


def team_file(members: Iterable[str], alumni: Sequence[str]) -> str:
    """A new goal-owners.toml, as the goals tool writes it (with alumni when there are any)."""
    lines = [HEADER, 'name = "goal-owners"', 'kind = "marker-team"', "", "[people]", "leads = []"]
    lines += _array("members", members).splitlines()
    lines.append("included-teams = []")
    if alumni:
        lines += _array("alumni", alumni).splitlines()
    lines += ["", "[[github]]", 'orgs = ["rust-lang"]']
    return "\n".join(lines) + "\n"


def _array(key: str, logins: Iterable[str]) -> str:
    return f"{key} = [\n" + "".join(f'    "{login}",\n' for login in logins) + "]"


_PEOPLE = re.compile(r"^\[people\][ \t]*$", re.M)
_NEXT_TABLE = re.compile(r"^\[", re.M)


def _replace_arrays(text: str, members: Sequence[str], alumni: Sequence[str]) -> str:
    """The existing file with its [people] members and alumni arrays rewritten; everything else is kept byte for byte.

    Only arrays of plain strings are rewritten in place (a file in another shape is written anew from the template,
    keeping its alumni)."""
    start = _PEOPLE.search(text)
    if start is None:
        return team_file(members, alumni)
    following = _NEXT_TABLE.search(text, start.end())
    end = following.start() if following else len(text)
    table = text[start.end() : end]
    for key, logins in (("members", members), ("alumni", alumni)):
        array = re.compile(rf'^{key}[ \t]*=[ \t]*\[(?:\s*"[^"\n]*"\s*,?)*\s*\][ \t]*$', re.M)
        found = array.search(table)
        if found:
            table = table[: found.start()] + _array(key, logins) + table[found.end() :]
        elif re.search(rf"^{key}[ \t]*=", table, re.M):
            return team_file(members, alumni)
        elif logins:
            table = table.rstrip("\n") + "\n" + _array(key, logins) + "\n" + ("\n" if following else "")
    return text[: start.end()] + table + text[end:]
