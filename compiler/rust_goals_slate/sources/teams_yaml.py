"""Reading a teams.yaml registry (format slate-teams/1), which may come from a pull request like any other input.

The loader refuses what the format never uses and what makes YAML dangerous: aliases (an alias bomb expands a few
hundred bytes into gigabytes once a value is turned into text), nesting deeper than `shapes.MAX_DEPTH` (the composer
recurses), files over `shapes.MAX_DATA_BYTES`; then every value is checked for its type before it is read, and a
wrong one is reported with its key and line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from rust_goals_slate.errors import InputError
from rust_goals_slate.model import Person, Team, TeamRegistry
from rust_goals_slate.sources import shapes
from rust_goals_slate.sources.team_source import origin_text
from rust_goals_slate.sources.teams import GOVERNANCE_URL, YAML_FORMAT


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line of each of its keys, for the messages."""

    lines: dict[str, int]


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases, with a nesting limit, and with mappings that know their keys' lines."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("YAML aliases (*name) are not allowed in team data", line)
        self.depth += 1
        try:
            if self.depth > shapes.MAX_DEPTH:
                raise _Refused(f"nested deeper than {shapes.MAX_DEPTH} levels", line)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[_Mapping]:
    data = _Mapping()
    data.lines = {}
    yield data
    data.update((str(key), value) for key, value in loader.construct_mapping(node).items())
    data.lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_yaml(path: Path) -> TeamRegistry:
    try:
        size = os.stat(path).st_size
        if size > shapes.MAX_DATA_BYTES:
            raise InputError(f"{path}: team registry is {size} bytes; the limit is {shapes.MAX_DATA_BYTES}")
        loader = _Loader(path.read_text(encoding="utf-8"))
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except _Refused as exc:
        raise InputError(f"{path}:{exc.line}: cannot read team registry: {exc}") from exc
    except yaml.MarkedYAMLError as exc:  # path:line:col and the parser's words, not its `in "<unicode string>"`
        mark = exc.problem_mark
        at = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "not valid YAML"
        raise InputError(f"{at}: cannot read team registry: {problem}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read team registry: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != YAML_FORMAT:
        raise InputError(f"{path}: not a slate team registry (expected 'format: {YAML_FORMAT}')")
    where: tuple[dict[str, Any], str] = (data, "")
    try:
        teams: dict[str, Team] = {}
        for n, entry in enumerate(_entries(data, "teams"), 1):
            where = (entry, f"teams[{n}].")
            if "key" not in entry:
                raise InputError(f"{path}:{_line(data, 'teams')}: team entry {n} needs a 'key'")
            key = shapes.string(entry, "key", scalars=True)
            teams[key] = Team(
                key=key,
                url=shapes.url(entry, "url", GOVERNANCE_URL),
                name=shapes.string(entry, "name", scalars=True),
                leads=tuple(shapes.strings(entry, "leads", scalars=True)),
                members=tuple(shapes.strings(entry, "members", scalars=True)),
                archived=entry.get("archived") is True,
                successor=shapes.string(entry, "successor", scalars=True) or None,
                archive=shapes.string(entry, "archive", scalars=True),
            )
        people: dict[str, Person] = {}
        where = (data, "")
        for n, entry in enumerate(_entries(data, "people"), 1):
            where = (entry, f"people[{n}].")
            if "login" not in entry:
                raise InputError(f"{path}:{_line(data, 'people')}: person entry {n} needs a 'login'")
            login = shapes.string(entry, "login", scalars=True)
            people[login.casefold()] = Person(login=login, name=shapes.string(entry, "name", scalars=True) or login)
        where = (data, "")
        source = data.get("source")
        if source is not None and not isinstance(source, dict):
            raise shapes.ShapeError("source", "a table", source)
    except shapes.ShapeError as exc:
        mapping, prefix = where
        line = _line(mapping, exc.key.split(".")[0])
        raise InputError(f"{path}:{line}: {exc.message(prefix)}") from exc
    return TeamRegistry(teams, people, source=str(path), origin=origin_text(source))


def _entries(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise shapes.ShapeError(key, "a list of entries", value)
    for entry in value:
        if not isinstance(entry, dict):
            raise shapes.ShapeError(key, "a list of entries (mappings)", entry)
    return value


def _line(mapping: dict[str, Any], key: str) -> int:
    return mapping.lines.get(key, 0) if isinstance(mapping, _Mapping) else 0
