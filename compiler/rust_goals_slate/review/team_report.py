"""`slate team NAME SRC`: everything one team is asked for, as a short Markdown document for the team review.

The goals come in the RFC's team-table order (level, then title), with the level (or the ask kinds of the old
formats), the champion, and the notes with their links; then the totals per level and who champions what. People,
teams and links render as in the RFC, and the document carries its own definitions.
"""

from __future__ import annotations

import difflib

import jinja2

from rust_goals_slate.errors import UsageError
from rust_goals_slate.model import Goal, Handle, Level, Slate, TeamAsk
from rust_goals_slate.parse.inline import title_key
from rust_goals_slate.render.standalone import Standalone, ask_totals, asks_by_team, goals_of, standalone, team_level


def resolve_team(slate: Slate, name: str) -> str:
    """The team key NAME stands for (case-insensitive; `t-lang` and `[lang]` work too)."""
    wanted = name.strip().strip("[]").casefold().removeprefix("t-")
    asked = asks_by_team(slate)
    for key in (*asked, *slate.teams.teams):
        if key.casefold() == wanted:
            return key
    known = sorted({*asked, *slate.teams.teams})
    close = difflib.get_close_matches(wanted, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(
        f"no team '{name}' in the team data or the slate's asks{hint} (teams with asks: {', '.join(asked) or 'none'})"
    )


def team_report(slate: Slate, name: str, env: jinja2.Environment) -> str:
    key = resolve_team(slate, name)
    doc = standalone(slate, env)
    x = doc.x
    asks = asks_by_team(slate).get(key, [])
    new_format = any(a.level is not None for _, a in asks)
    ordered = sorted(goals_of(asks), key=lambda g: (-(team_level(asks, g) or 0), title_key(g.title, g.path)))
    rows: list[list[str]] = []
    for g in ordered:
        mine = [a for goal, a in asks if goal is g]
        champion = g.champion_for(key)
        who = x.person(champion.handle) if champion else ""
        main = [a for a in mine if a.subgoal is None]
        subs = [a for a in mine if a.subgoal is not None]
        for n, a in enumerate(main or [None]):
            first = x.link(g) if n == 0 else ""
            rows.append(_row(doc, first, a, who if n == 0 else "", new_format))
        for a in subs:
            rows.append(_row(doc, "↳ " + x.cell(a.subgoal or ""), a, who, new_format))
    champions: dict[str, tuple[Handle, list[Goal]]] = {}
    for g in ordered:
        c = g.champion_for(key)
        if c is not None:
            champions.setdefault(x.canonical(c.handle), (c.handle, []))[1].append(g)
    by_name = sorted(champions.values(), key=lambda item: x.display_key(item[0]))
    missing = [x.link(g) for g in ordered if g.champion_for(key) is None and (team_level(asks, g) or 0) >= Level.MEDIUM]
    team = slate.teams.team(key)
    body = env.get_template("team_report.md.j2").render(
        key=key,
        team=x.team(key),
        name=team.name if team else "",
        known=team is not None,
        period=slate.period,
        count=len(ordered),
        totals=ask_totals(asks),
        new_format=new_format,
        rows=rows,
        champions=[{"person": x.person(h), "goals": [x.link(g) for g in gs]} for h, gs in by_name],
        missing=missing,
    )
    return doc.finish(body)


def _row(doc: Standalone, goal: str, ask: TeamAsk | None, champion: str, new_format: bool) -> list[str]:
    if ask is None:
        what = ""
    elif ask.level is not None:
        what = ask.level.label
    else:
        what = doc.x.cell(ask.kind or "")
    notes = doc.cell(ask.notes) if ask is not None else ""
    return [goal, what, champion, notes] if new_format else [goal, what, notes]
