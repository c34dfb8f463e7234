"""Team data: a rust-lang/team checkout (`teams/*.toml`, `teams/archive/*.toml`, `people/*.toml`) or our YAML registry.

Archived teams are loaded too, marked: goals of past periods still ask them (libs-api, archived into libs).

The YAML form (`format: slate-teams/1`) lets a slate pin the team data it was built with; `slate teams export`
writes it from a checkout. Both forms load into the same `TeamRegistry`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rust_goals_slate.errors import InputError
from rust_goals_slate.model import Person, Team, TeamRegistry
from rust_goals_slate.sources import fasttoml, shapes

if TYPE_CHECKING:
    from rust_goals_slate.sources.team_source import TeamSource  # only `teams export` reads one

GOVERNANCE_URL = "https://www.rust-lang.org/governance/teams"
YAML_FORMAT = "slate-teams/1"


def load_teams(path: Path) -> TeamRegistry:
    if path.is_dir():
        return _load_checkout(path)
    if path.is_file() and path.suffix in (".yaml", ".yml"):
        from rust_goals_slate.sources.teams_yaml import load_yaml  # imports yaml: a checkout never pays for it

        return load_yaml(path)
    raise InputError(
        f"{path}: team data must be a rust-lang/team checkout (a folder with teams/ and people/) "
        "or a YAML registry (.yaml)"
    )


def _load_checkout(path: Path) -> TeamRegistry:
    teams_dir, people_dir = path / "teams", path / "people"
    if not teams_dir.is_dir() or not people_dir.is_dir():
        raise InputError(f"{path}: not a rust-lang/team checkout (expected teams/ and people/ folders)")
    archive_dir = teams_dir / "archive"
    real = os.path.realpath(path)
    team_names, people_names = _toml_names(teams_dir, real), _toml_names(people_dir, real)
    archive_names = _toml_names(archive_dir, real) if archive_dir.is_dir() else []
    # None if a file cannot be read: the loops below then report it, file by file, as they always did.
    teams: dict[str, Team] = {}
    for name in team_names:
        team = _shaped(os.path.join(teams_dir, name), _team)
        teams[team.key] = team
    archived: dict[str, Team] = {}
    for name in archive_names:
        file = os.path.join(archive_dir, name)
        text = _read(file)
        data = _toml(file, text)
        team = _shaped(file, _team, text, data)
        if team.key not in teams:  # a team that was archived and later revived is the live one
            parent = _shaped(file, _parent, text, data)
            successor = parent if parent in teams else _same_prefix(team.key, teams)
            archived[team.key] = replace(team, archived=True, successor=successor, archive=f"teams/archive/{name}")
    teams.update(archived)
    people_map: dict[str, Person] = {}
    for name in people_names:
        login, display = _shaped(os.path.join(people_dir, name), _person)
        people_map[login.casefold()] = Person(login=login, name=display)
    return TeamRegistry(teams, people_map, source=str(path))


def _team(data: dict[str, Any], stem: str) -> Team:
    website = shapes.table(data, "website")
    people = shapes.table(data, "people")
    return Team(
        key=shapes.string(data, "name", stem),
        url=shapes.url(website, "repo", GOVERNANCE_URL, prefix="website."),
        name=shapes.string(website, "name", prefix="website."),
        leads=tuple(shapes.strings(people, "leads", "people.")),
        members=tuple(_member(x) for x in _list(people, "members", "people.")),
    )


def _person(data: dict[str, Any], stem: str) -> tuple[str, str]:
    login = shapes.string(data, "github", stem)
    return login, shapes.string(data, "name", login)


def _list(data: dict[str, Any], key: str, prefix: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise shapes.ShapeError(prefix + key, "a list", value)
    return value


_T = TypeVar("_T")


def _parent(data: dict[str, Any], _stem: str) -> str:
    return shapes.string(data, "subteam-of")


def _shaped(
    file: str,
    read: Callable[[dict[str, Any], str], _T],
    text: str | None = None,
    data: dict[str, Any] | None = None,
) -> _T:
    """READ applied to the team file's data and stem; a value of the wrong type becomes an InputError naming the
    file, the key and its line."""
    if text is None:
        text = _read(file)
    try:
        return read(_toml(file, text) if data is None else data, _stem(file))
    except shapes.ShapeError as exc:
        raise InputError(f"{file}:{shapes.line_of_key(text, exc.key)}: {exc.message()}") from exc


def _same_prefix(key: str, teams: dict[str, Team]) -> str | None:
    """The live team whose key starts the archived one at a `-` (libs-api -> libs), the longest if several."""
    parts = key.split("-")
    for n in range(len(parts) - 1, 0, -1):
        if (prefix := "-".join(parts[:n])) in teams:
            return prefix
    return None


def _member(entry: Any) -> str:
    if isinstance(entry, dict):
        return shapes.string(entry, "github", prefix="people.members.")
    if not isinstance(entry, str):
        raise shapes.ShapeError("people.members", "a list of logins or { github = ... } tables", entry)
    return shapes.visible("people.members", entry)


def _toml_names(folder: Path, checkout: str) -> list[str]:
    """The names of `sorted(folder.glob("*.toml"))`, without pathlib's pattern matching and Path objects.

    The checkout itself may be a link (the user named it), but nothing in it may lead out of it: a link to a file
    elsewhere is an error, not read."""
    inside = os.path.join(checkout, "")
    if not os.path.join(os.path.realpath(folder), "").startswith(inside):
        raise InputError(f"{folder}: symbolic link points outside the team checkout (to {os.path.realpath(folder)})")
    names = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(".toml"):
                continue
            if entry.is_symlink() and not os.path.realpath(entry.path).startswith(inside):
                raise InputError(
                    f"{entry.path}: symbolic link points outside the team checkout (to {os.path.realpath(entry.path)})"
                )
            names.append(entry.name)
    return sorted(names)


def _read_text(file: str | Path) -> str:
    """`file.read_text(encoding="utf-8")` without the text-file layers (a quarter of the cost for 800 small files).

    The text layer only differs for CR line endings (universal newlines) and in its error messages: those cases, and
    any error, go through `read_text` itself, so the result (or the exception) is exactly what it would give.
    """
    try:
        fd = os.open(file, os.O_RDONLY)
        try:
            chunks = []
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
        finally:
            os.close(fd)
        data = b"".join(chunks)
        if b"\r" not in data:
            return data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    return Path(file).read_text(encoding="utf-8")


def _stem(file: str) -> str:
    """`Path(file).stem` of a `*.toml` name, without making a Path for each of 800 files."""
    return os.path.basename(file)[: -len(".toml")]


def _read(file: str | Path) -> str:
    try:
        return _read_text(file)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot read team data: {exc}") from exc


def _toml(file: str | Path, text: str) -> dict[str, Any]:
    if len(text) > shapes.MAX_DATA_BYTES:
        raise InputError(f"{file}: team file is {len(text)} characters; the limit is {shapes.MAX_DATA_BYTES}")
    data = fasttoml.loads(text)  # the plain TOML of team files, about twice as fast; None: tomllib decides
    if data is not None:
        return data
    import tomllib  # only for a file fasttoml cannot read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file}: cannot read team data: {exc}") from exc
    except RecursionError as exc:
        raise InputError(f"{file}: cannot read team data: arrays or tables nested too deeply") from exc


def export_yaml(registry: TeamRegistry, source: TeamSource | None = None) -> str:
    """The registry as YAML, sorted by team key and login, so an export diffs cleanly; `source` is the commit of the
    checkout it was read from."""
    import yaml

    data = {
        "format": YAML_FORMAT,
        **({"source": source.as_yaml()} if source else {}),
        "teams": [
            {
                "key": t.key,
                **({"name": t.name} if t.name else {}),
                "url": t.url,
                "leads": list(t.leads),
                "members": list(t.members),
                **({"archived": True, "successor": t.successor, "archive": t.archive} if t.archived else {}),
            }
            for t in sorted(registry.teams.values(), key=lambda t: t.key)
        ],
        "people": [
            {"login": p.login, "name": p.name}
            for p in sorted(registry.people.values(), key=lambda p: (p.login.casefold(), p.login))
        ],
    }
    origin = ""  # the repository only when the origin remote names one on GitHub (team_source.checkout_source)
    if source is not None:
        origin = f" at {source.repository}@{source.commit}" if source.repository else f" at commit {source.commit}"
    header = (
        f"# slate team registry (format {YAML_FORMAT}), exported from a rust-lang/team checkout{origin}\n"
        "# by `slate teams export CHECKOUT -o teams.yaml`; refresh it the same way.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
