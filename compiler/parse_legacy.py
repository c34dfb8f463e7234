"""Old-format team asks: the `Ownership and team asks` section of 2024h2 (subgoals) and 2025h1 (tasks)."""

from __future__ import annotations

import re

from compiler.errors import Diagnostic, Location, Severity
from compiler.markdown import Section
from compiler.metadata import handles, norm_key
from compiler.model import AskFormat, Config, Document, Fragment, Handle, TeamAsk

TEAM_BADGE = re.compile(r"!\[team\](?:\[\])?", re.I)
_BRACKET = re.compile(r"(?<!!)\[([^\]]+)\](?:\[\])?")
_SUB = "↳"


def teams_in(owners_cell: str) -> list[str]:
    cell = TEAM_BADGE.sub("", owners_cell)
    return [m.group(1).strip().casefold() for m in _BRACKET.finditer(cell)]


def parse_ownership_asks(
    doc: Document, secs: list[Section], sec: Section, config: Config, problems: list[Diagnostic]
) -> tuple[AskFormat, tuple[TeamAsk, ...], tuple[Handle, ...]]:
    asks: list[TeamAsk] = []
    owners: list[Handle] = []
    fmt = AskFormat.NONE
    subgoal: str | None = None
    top_title = doc.blocks[sec.heading].title
    for index in range(sec.body_start, sec.body_end):
        block = doc.blocks[index]
        if block.is_heading:
            subgoal = block.title if block.title != top_title else None
            continue
        table = block.table
        if table is None:
            continue
        header = [norm_key(c) for c in table.header]
        if len(header) >= 2 and header[0] == "task" and header[1] == "owner(s) or team(s)":
            fmt = AskFormat.TASKS
            _task_rows(doc, table.rows, subgoal, config, problems, asks, owners)
        elif len(header) >= 2 and header[0] == "subgoal" and header[1] == "owner(s) or team(s)":
            fmt = AskFormat.SUBGOALS
            _subgoal_rows(doc, table.rows, asks, owners)
        else:
            problems.append(Diagnostic(Location(doc.path, table.line, 1), Severity.WARNING, "unexpected-table",
                                       "table in 'Ownership and team asks' is neither a task nor a subgoal table; "
                                       "it is ignored", hint="header `| Task | Owner(s) or team(s) | Notes |`",
                                       source_line=doc.source_line(table.line)))
    return fmt, tuple(asks), tuple(owners)


def _strip_sub(text: str) -> tuple[bool, str]:
    t = text.strip()
    if t.startswith(_SUB):
        return True, t[len(_SUB):].strip()
    return False, t


def _task_rows(doc, rows, subgoal, config, problems, asks, owners):  # type: ignore[no-untyped-def]
    for row in rows:
        task, cell = row.cells[0], row.cells[1]
        notes = row.cells[2] if len(row.cells) > 2 else ""
        loc = Location(doc.path, row.line, 1)
        if set(task) <= set("-: ") and set(cell) <= set("-: "):
            continue
        if TEAM_BADGE.search(cell):
            _, text = _strip_sub(task)
            kind = config.ask_kind(text.strip("~").strip())
            if kind is None and config.ask_kinds:
                problems.append(Diagnostic(loc, Severity.ERROR, "unknown-ask-kind", f"unknown ask kind '{text}'",
                                           hint="valid kinds: " + ", ".join(k.name for k in config.ask_kinds),
                                           source_line=doc.source_line(row.line)))
                continue
            name = kind.name if kind else text
            for team in teams_in(cell):
                asks.append(TeamAsk(team, Fragment(notes, doc.path, row.line), loc, kind=name, subgoal=subgoal))
        else:
            owners.extend(handles(cell, loc))


def _subgoal_rows(doc, rows, asks, owners):  # type: ignore[no-untyped-def]
    parent_task: str | None = None
    parent_owners: tuple[Handle, ...] = ()
    parent_help = False
    for row in rows:
        task, cell = row.cells[0], row.cells[1]
        notes = row.cells[2] if len(row.cells) > 2 else ""
        loc = Location(doc.path, row.line, 1)
        is_sub, text = _strip_sub(task)
        if TEAM_BADGE.search(cell):
            for team in teams_in(cell):
                asks.append(TeamAsk(team, Fragment(notes, doc.path, row.line), loc, kind=text,
                                    subgoal=parent_task if is_sub else None,
                                    owners=parent_owners if is_sub else (),
                                    help_wanted_owner=parent_help if is_sub else False))
            if not is_sub:
                parent_task, parent_owners, parent_help = None, (), False
            continue
        found = handles(cell, loc)
        owners.extend(found)
        if not is_sub:
            parent_task, parent_owners = text, found
            parent_help = bool(re.search(r"!\[help wanted\]", cell, re.I))
