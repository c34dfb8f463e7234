"""Old-format team asks: the `Ownership and team asks` section of 2024h2 (subgoals) and 2025h1 (tasks).

Spec §1.7. The section and its deeper subsections are read; only tables whose header starts with
`Task | Owner(s) or team(s)` (2025h1, profile B) or `Subgoal | Owner(s) or team(s)` (2024h2, profile A) count, and
any other table there is reported.

- **Ask rows** carry the `![Team]` badge (with or without `[]`) in the owners cell; the other bracketed labels of that
  cell are the teams. In the task format the task text (minus a leading `↳`) must name an ask kind of
  `rust-project-goals.toml`; in the subgoal format it is free text.
- **Other rows** add every `@handle` of the owners cell to the goal's task owners.
- **Subgoals**: in the task format, a subsection holding a task table, named by its title; in the subgoal format, a
  row without `↳` followed by `↳` rows (its owners cell, when not empty, lists the subgoal's owners).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import AskFormat, Config, Document, Fragment, Handle, Row, TeamAsk
from rust_goals_slate.parse.markdown import Section
from rust_goals_slate.parse.metadata import HELP_WANTED, cell_column, handles, norm_key, strip_comments
from rust_goals_slate.records import record

TEAM_BADGE = re.compile(r"!\[team\](?:\[\])?", re.I)
_BRACKET = re.compile(r"(?<!!)\[([^\]\[]+)\](?:\[\])?(?!\()")
_STRUCK = re.compile(r"^~~(.*)~~$", re.S)
SUB = "↳"
TASK_HEADER = ("task", "owner(s) or team(s)")
SUBGOAL_HEADER = ("subgoal", "owner(s) or team(s)")


def teams_in(owners_cell: str) -> list[str]:
    """The team keys (case-folded) named in an ask row's owners cell, the badge itself excluded."""
    return list(dict.fromkeys(label.casefold() for label in team_labels(owners_cell)))


def team_labels(owners_cell: str) -> list[str]:
    """The team labels of an ask row's owners cell as written (`[compiler]`, `[lang][]`)."""
    cell = TEAM_BADGE.sub("", strip_comments(owners_cell))
    return [label for m in _BRACKET.finditer(cell) if (label := m.group(1).strip())]


def strip_sub(text: str) -> tuple[bool, str]:
    """(row starts with `↳`, the text without it)."""
    t = text.strip()
    if t.startswith(SUB):
        return True, t[len(SUB) :].strip()
    return False, t


def _is_delimiter(row: Row) -> bool:
    return all(set(c) <= set("-: ") for c in row.cells)


@record(frozen=False)
class _Collected:
    """What the rows of an old-format ownership table yield, gathered row by row; each table's reader returns its
    own, and the section's reader adds them up in order."""

    asks: list[TeamAsk] = field(default_factory=list)
    owners: list[Handle] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    def add(self, other: _Collected) -> None:
        self.asks += other.asks
        self.owners += other.owners
        self.problems += other.problems


def parse_ownership_asks(
    doc: Document, secs: Sequence[Section], sec: Section, config: Config
) -> tuple[AskFormat, tuple[TeamAsk, ...], tuple[Handle, ...], list[Diagnostic]]:
    """The format, asks and task owners of one goal's `Ownership and team asks` section (and its subsections), and
    the problems found in it."""
    out = _Collected()
    fmt = AskFormat.NONE
    subgoal: str | None = None
    for index in range(sec.body_start, sec.body_end):
        block = doc.blocks[index]
        if block.is_heading:
            subgoal = block.title
            continue
        table = block.table
        if table is None:
            continue
        header = tuple(norm_key(c) for c in table.header[:2])
        if header == TASK_HEADER:
            fmt = AskFormat.TASKS if fmt is not AskFormat.SUBGOALS else fmt
            out.add(_task_rows(doc, table.rows, subgoal, config))
        elif header == SUBGOAL_HEADER:
            fmt = AskFormat.SUBGOALS
            out.add(_subgoal_rows(doc, table.rows))
        else:
            out.problems.append(
                doc.diagnostic(
                    table.line,
                    Severity.WARNING,
                    "unexpected-table",
                    "table in 'Ownership and team asks' is neither a task nor a subgoal table; it is ignored",
                    hint="header `| Task | Owner(s) or team(s) | Notes |`",
                )
            )
    return fmt, tuple(out.asks), tuple(out.owners), out.problems


def _notes(row: Row) -> str:
    return row.cells[2] if len(row.cells) > 2 else ""


def _teams_or_report(doc: Document, row: Row, cell: str) -> tuple[list[str], list[Diagnostic]]:
    teams = teams_in(cell)
    if teams:
        return teams, []
    return teams, [
        doc.diagnostic(
            row.line,
            Severity.WARNING,
            "ask-without-team",
            "row has the ![Team] badge but names no team; it is ignored",
            hint="name the team after the badge: `![Team][] [compiler]`",
        )
    ]


def _task_rows(doc: Document, rows: Sequence[Row], subgoal: str | None, config: Config) -> _Collected:
    """2025h1: `Task | Owner(s) or team(s) | Notes`; the task of an ask row names an ask kind."""
    out = _Collected()
    for row in rows:
        if _is_delimiter(row):
            continue  # a repeated delimiter row
        task, cell = row.cells[0], row.cells[1]
        loc = Location(doc.path, row.line, 1)
        if not TEAM_BADGE.search(cell):
            out.owners.extend(handles(cell, loc, doc))
            continue
        _, text = strip_sub(task)
        struck = _STRUCK.match(text)
        name = (struck.group(1) if struck else text).strip()
        kind = config.ask_kind(name)
        if kind is None and config.ask_kinds:
            out.problems.append(
                doc.diagnostic(
                    row.line,
                    Severity.ERROR,
                    "unknown-ask-kind",
                    f"unknown ask kind '{name}'",
                    hint="valid kinds: " + ", ".join(k.name for k in config.ask_kinds),
                )
            )
            continue
        teams, found = _teams_or_report(doc, row, cell)
        out.problems += found
        for team in teams:
            out.asks.append(
                TeamAsk(
                    team,
                    Fragment(_notes(row), doc.path, row.line, cell_column(doc.source_line(row.line), 2)),
                    loc,
                    kind=kind.name if kind else name,
                    subgoal=subgoal,
                    labels=tuple(team_labels(cell)),
                )
            )
    return out


def _subgoal_rows(doc: Document, rows: Sequence[Row]) -> _Collected:
    """2024h2: `Subgoal | Owner(s) or team(s) | Notes`; `↳` rows belong to the nearest earlier row without `↳`."""
    out = _Collected()
    parent: str | None = None
    parent_owners: tuple[Handle, ...] = ()
    parent_help = False
    for row in rows:
        if _is_delimiter(row):
            continue
        task, cell = row.cells[0], row.cells[1]
        loc = Location(doc.path, row.line, 1)
        is_sub, text = strip_sub(task)
        if TEAM_BADGE.search(cell):
            teams, problems = _teams_or_report(doc, row, cell)
            out.problems += problems
            for team in teams:
                out.asks.append(
                    TeamAsk(
                        team,
                        Fragment(_notes(row), doc.path, row.line, cell_column(doc.source_line(row.line), 2)),
                        loc,
                        kind=text,
                        subgoal=parent if is_sub else None,
                        owners=parent_owners if is_sub else (),
                        help_wanted_owner=parent_help if is_sub else False,
                        labels=tuple(team_labels(cell)),
                    )
                )
            if not is_sub:
                parent, parent_owners, parent_help = None, (), False
            continue
        found = handles(cell, loc, doc)
        out.owners.extend(found)
        if not is_sub:
            parent, parent_owners, parent_help = text, found, bool(HELP_WANTED.search(cell))
    return out
