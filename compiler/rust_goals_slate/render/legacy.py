"""Directive shapes of the old-format slates: profile A (2024h2), profile B (2025h1) and profile B2 (2025h2).

`LEGACY_SHAPES` replaces methods of `render.expand.Expander` when the slate is not profile C (in a period that
mixes formats, profile C, only the old-format team tables come from here, before the profile C ones):

- `goal_list(expander, goals, not_accepted)`: `Goal | Owner | Team` (A), `Goal | Point of contact | Team` (B;
  GOALS NOT ACCEPTED uses `Progress` as its third column) or `Goal | Point of contact | Team(s) and Champion(s)`
  (B2, every list, GOALS NOT ACCEPTED included);
- `team_asks(expander, level)`: a heading per team, then profile B's one-column-per-ask-kind table (B and B2) or
  profile A's table grouped by ask text;
- `champions(expander)`: B2's `Champion | # | Goals`, one row per champion (A and B have no champions; the
  Expander's own shape is C's, one row per champion and goal).

Every cell handed to the templates is final Markdown: people, teams, badges and lifted notes have gone through
`References`, pipes are escaped. Notes stay inline with their links (spec §3.8, §4.11).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field
from typing import Any

from rust_goals_slate.errors import Severity
from rust_goals_slate.model import AskFormat, Goal, Handle, Profile, TeamAsk, normalize_label
from rust_goals_slate.parse.inline import escape_link_text, plain_text, scan, title_key
from rust_goals_slate.records import record
from rust_goals_slate.render.expand import Expander
from rust_goals_slate.render.references import Found

VALID_TEAM_ASKS = "valid_team_asks"
CHECK = "✅"
OWNERSHIP_FRAGMENT = "ownership-and-team-asks"
_TEAM_ASKS_MARKER = re.compile(r"<!--\s*TEAM ASKS\s*-->|\(\(\(TEAM ASKS\)\)\)")


# --------------------------------------------------------------------------------------------------------------
# goal lists


def goal_list(x: Expander, goals: list[Goal], not_accepted: bool) -> str:
    """GOALS, FLAGSHIP GOALS, OTHER GOALS, GOALS NOT ACCEPTED and ``<!-- GOALS `X` -->`` in profiles A and B."""
    rows: list[list[str]] = []
    if x.profile is Profile.A:
        for g in goals:
            rows.append([x.link(g), owners_cell(x, g, ()), teams_cell(x, g)])
        return x.render("goals_legacy.md.j2", rows=rows, header=["Goal", "Owner", "Team"], profile="A")
    if x.profile is Profile.B2:
        rows = [[x.link(g), point_of_contact(x, g), teams_and_champions(x, g)] for g in goals]
        header = ["Goal", x.slate.contact_words.column, "Team(s) and Champion(s)"]
        return x.render("goals_legacy.md.j2", rows=rows, header=header, profile="B2")
    for g in goals:
        if not_accepted:
            third = x.refs.fragment(g.tracking_issue) if g.tracking_issue else "(no tracking issue)"
            rows.append([x.link(g), point_of_contact(x, g), x.cell(third)])
        else:
            rows.append([x.link(g), point_of_contact(x, g), teams_cell(x, g)])
    header = ["Goal", x.slate.contact_words.column, "Progress" if not_accepted else "Team"]
    return x.render("goals_legacy.md.j2", rows=rows, header=header, profile="B")


def point_of_contact(x: Expander, goal: Goal) -> str:
    """Profile B: the point of contact, or the Help Wanted badge when the goal needs a contributor."""
    if goal.needs_contributor or not goal.points_of_contact:
        return x.badge("Help Wanted")
    return ", ".join(x.person(h) for h in x.people(goal.points_of_contact, keep_first=1))


def owners_cell(x: Expander, goal: Goal, owners: tuple[Handle, ...], help_wanted: bool = False) -> str:
    """Profile A: the owners in display-name order, or the Help wanted badge."""
    handles = owners or goal.points_of_contact
    if help_wanted or (not owners and (goal.poc_help_wanted or goal.legacy_needs_contributor)) or not handles:
        return x.badge("Help wanted")
    return ", ".join(x.person(h) for h in x.people(handles))


def teams_cell(x: Expander, goal: Goal) -> str:
    keys = sorted({_team_key(x, a.team) for a in goal.asks})
    return ", ".join(x.team(k) for k in keys)


def teams_and_champions(x: Expander, goal: Goal) -> str:
    """Profile B2: each team with asks, its champions in parentheses: `[compiler][] ([Oliver Scherer][]), [lang][]`.
    A champion of a team without asks is left out, as the goals tool did (validate reports it)."""
    cells = []
    for key in sorted({_team_key(x, a.team) for a in goal.asks}):
        champions = [c.handle for c in goal.champions if c.team == key.casefold()]
        names = ", ".join(x.person(h) for h in x.people(champions))
        cells.append(f"{x.team(key)} ({names})" if names else x.team(key))
    return ", ".join(cells)


def champions(x: Expander) -> str:
    """Profile B2's CHAMPIONS: one row per champion (spec 2.3 order), the goals in title order in one cell."""
    groups: dict[str, tuple[Handle, list[Goal]]] = {}
    for g in x.goals:
        for c in g.champions:
            entry = groups.setdefault(x.canonical(c.handle), (c.handle, []))
            if g not in entry[1]:
                entry[1].append(g)
    rows = [
        [x.person(h), str(len(gs)), "<br>".join("° " + x.link(g) for g in gs)]
        for h, gs in sorted(groups.values(), key=lambda item: x.display_key(item[0]))
    ]
    return x.render("champions_legacy.md.j2", rows=rows)


def _team_key(x: Expander, key: str) -> str:
    team = x.slate.teams.team(key)
    return team.key if team else key


# --------------------------------------------------------------------------------------------------------------
# team asks


def team_asks(x: Expander, level: int) -> str:
    by_team: dict[str, list[tuple[Goal, TeamAsk]]] = {}
    for g in x.goals:
        for ask in g.asks:
            if ask.level is None:
                by_team.setdefault(_team_key(x, ask.team), []).append((g, ask))
    if old_format_profile(x) is Profile.A:
        teams = [_profile_a_team(x, key, by_team[key]) for key in sorted(by_team)]
        return x.render("team_asks_legacy.md.j2", teams=teams, hashes="#" * level, profile="A")
    header_of = _column_header(x)
    teams = [_profile_b_team(x, key, by_team[key], header_of) for key in sorted(by_team)]
    return x.render("team_asks_legacy.md.j2", teams=teams, hashes="#" * level, profile="B")


def old_format_profile(x: Expander) -> Profile:
    """The shape of the old-format tables: the slate's profile, or in a period that mixes formats (profile C),
    B when ask kinds are configured or some goal uses the task format, else A."""
    if x.profile is not Profile.C:
        return x.profile
    tasks = any(g.ask_format is AskFormat.TASKS for g in x.goals)
    return Profile.B if tasks or x.slate.config.ask_kinds_configured else Profile.A


def _heading(key: str) -> str:
    return f"{key} team"


@record(frozen=False)
class _GoalRows:
    """Profile B: the asks of one goal for one team, the goal's own first, then each subgoal in document order."""

    goal: Goal
    own: list[TeamAsk] = field(default_factory=list)
    subgoals: dict[str, list[TeamAsk]] = field(default_factory=dict)


def _profile_b_team(
    x: Expander, key: str, asks: list[tuple[Goal, TeamAsk]], header_of: Callable[[str], str]
) -> dict[str, Any]:
    kinds = x.slate.config.ask_kinds
    used = {normalize_label(a.kind or "") for _, a in asks}
    columns = [k for k in kinds if not k.elide and normalize_label(k.name) in used]
    unknown = sorted({a.kind or "" for _, a in asks if x.slate.config.ask_kind(a.kind or "") is None}, key=str.casefold)
    per_goal: dict[str, _GoalRows] = {}
    for g, ask in sorted(asks, key=lambda item: (item[1].location.path, item[1].location.line)):
        entry = per_goal.setdefault(g.path, _GoalRows(g))
        if ask.subgoal is None:
            entry.own.append(ask)
        else:
            entry.subgoals.setdefault(ask.subgoal, []).append(ask)
    ordered = sorted(per_goal.values(), key=lambda e: title_key(e.goal.short_title or e.goal.title, e.goal.path))
    names = [k.name for k in columns] + unknown
    rows: list[list[str]] = []
    for entry in ordered:
        g = entry.goal
        rows.append([x.link(g, title=g.short_title or g.title), *_kind_cells(x, entry.own, names)])
        for subgoal, sub_asks in entry.subgoals.items():
            label = "↳ " + x.cell(x.refs.rewrite(subgoal, g.path, sub_asks[0].location.line))
            rows.append([label, *_kind_cells(x, sub_asks, names)])
    header = ["Goal", *(header_of(k.short) for k in columns), *(x.cell(u) for u in unknown)]
    return {"heading": _heading(key), "header": header, "rows": rows}


def _kind_cells(x: Expander, asks: list[TeamAsk], names: list[str]) -> list[str]:
    cells = []
    for name in names:
        parts: list[str] = []
        for ask in asks:
            if normalize_label(ask.kind or "") != normalize_label(name):
                continue
            note = x.cell(x.refs.fragment(ask.notes)) if ask.notes else CHECK
            if note not in parts:
                parts.append(note)
        if len(parts) > 1 and CHECK in parts:
            parts.remove(CHECK)
        cells.append("; ".join(parts))
    return cells


def _column_header(x: Expander) -> Callable[[str], str]:
    """`[short][valid_team_asks]` when the README defines that label, else the plain short name (reported once)."""
    readme = x.slate.readme.document if x.slate.readme else None
    definition = readme.link_def(VALID_TEAM_ASKS) if readme else None
    if readme is not None and definition is not None:
        path, line = readme.path, definition.line

        def linked(short: str) -> str:
            return x.cell(x.refs.rewrite(f"[{escape_link_text(short)}][{VALID_TEAM_ASKS}]", path, line))

        return linked

    where = readme.path if readme else x.slate.src_dir
    marker = _TEAM_ASKS_MARKER.search(readme.text) if readme else None
    x.refs.report(
        Found(
            where,
            readme.line_of(marker.start()) if readme and marker else 0,
            Severity.WARNING,
            "no-valid-team-asks-anchor",
            f"the README defines no '[{VALID_TEAM_ASKS}]' link, so team-ask column headers are plain text",
            hint=f"add `[{VALID_TEAM_ASKS}]: #<heading of the VALID TEAM ASKS section>` to the README",
            once=VALID_TEAM_ASKS,
            token=marker.group(0) if marker else "",
        )
    )
    return x.cell


def _profile_a_team(x: Expander, key: str, asks: list[tuple[Goal, TeamAsk]]) -> dict[str, Any]:
    groups: dict[str, list[tuple[tuple[str, str], int, list[str]]]] = {}
    spelling: dict[str, str] = {}
    for g, ask in asks:
        text = (ask.kind or "").strip()
        group = " ".join(text.split()).casefold()
        spelling.setdefault(group, text)
        name = ask.subgoal or g.title
        link = x.link(g, OWNERSHIP_FRAGMENT, title=_link_text(name))
        owners = owners_cell(x, g, ask.owners, ask.help_wanted_owner)
        notes = x.cell(x.refs.fragment(ask.notes)) if ask.notes else ""
        sort = title_key(name, g.path)
        groups.setdefault(group, []).append((sort, ask.location.line, ["↳ " + link, owners, notes]))
    rows: list[list[str]] = []
    for group in sorted(groups):
        rows.append([f"*{x.cell(spelling[group])}*", "", ""])
        rows.extend(r for _, _, r in sorted(groups[group], key=lambda item: (item[0], item[1])))
    return {"heading": _heading(key), "header": ["Goal", "Owner", "Notes"], "rows": rows}


def _link_text(text: str) -> str:
    """Link text cannot hold links: a subgoal written with links or references is reduced to its visible text."""
    if any(s.kind in ("link", "image", "ref", "footnote", "autolink") for s in scan(text)):
        return plain_text(text)
    return text


LEGACY_SHAPES: dict[str, Callable[..., str]] = {
    "goal_list": goal_list,
    "team_asks": team_asks,
    "champions": champions,
}
