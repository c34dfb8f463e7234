"""`slate champions [SRC]`: who champions what, one row per goal, one column per team, as CSV or Markdown.

The goals repository's `cargo rpg csv champions` gives program managers the same sheet. Rows are the slate's goals
that name at least one champion; columns are the title, the points of contact, one column per team that champions
any goal (by key), and the goal file's URL in the goals repository. A cell holds the team's champion, `!` where the
team has an ask but no champion yet, and `-` where the goal asks nothing of the team, as the tool writes them.
The CSV is RFC 4180 (quoted where needed, `""` for a quote), so spreadsheets and Python's `csv` read it.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import jinja2

from rust_goals_slate.model import Goal, Handle, Slate
from rust_goals_slate.records import record
from rust_goals_slate.render.standalone import Standalone, write_standalone

NEEDS_CHAMPION = "!"
NO_ASK = "-"


@record
class ChampionRow:
    goal: Goal
    cells: tuple[Handle | str, ...]  # per team of `ChampionSheet.teams`: the champion, NEEDS_CHAMPION or NO_ASK


@record
class ChampionSheet:
    teams: tuple[str, ...]
    rows: tuple[ChampionRow, ...]
    repository: str

    def url(self, goal: Goal) -> str:
        return f"https://github.com/{self.repository}/blob/main/{quote(goal.path, safe='/')}"


def champion_sheet(slate: Slate) -> ChampionSheet:
    goals = [g for g in slate.slate_goals if g.champions]  # title order, as the slate holds them
    teams = tuple(sorted({c.team for g in goals for c in g.champions}))
    rows = []
    for g in goals:
        asked = {a.team for a in g.asks}
        cells: list[Handle | str] = []
        for team in teams:
            champion = g.champion_for(team)
            if champion is not None:
                cells.append(champion.handle)
            else:
                cells.append(NEEDS_CHAMPION if team in asked else NO_ASK)
        rows.append(ChampionRow(g, tuple(cells)))
    return ChampionSheet(teams, tuple(rows), slate.config.goals_repository)


def _login(slate: Slate, handle: Handle) -> str:
    """`@login` in the team data's spelling, so one person is spelt one way in every row."""
    person = slate.teams.person(handle.login)
    return "@" + (person.login if person else handle.login)


def champions_csv(slate: Slate) -> str:
    sheet = champion_sheet(slate)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Title", "POC(s)", *sheet.teams, "URL"])
    for row in sheet.rows:
        pocs = ", ".join(_login(slate, h) for h in row.goal.points_of_contact)
        cells = [c if isinstance(c, str) else _login(slate, c) for c in row.cells]
        writer.writerow([row.goal.title, pocs, *cells, sheet.url(row.goal)])
    return out.getvalue()


def champions_markdown(slate: Slate, env: jinja2.Environment) -> str:
    """The same sheet as a Markdown table: people by name, teams and titles linked (titles to the goal file)."""
    sheet = champion_sheet(slate)
    return write_standalone(slate, env, lambda doc: _markdown(slate, sheet, doc))


def _markdown(slate: Slate, sheet: ChampionSheet, doc: Standalone) -> str:
    x = doc.x
    rows = []
    for row in sheet.rows:
        g = row.goal
        pocs = ", ".join(x.person(h) for h in x.people(g.points_of_contact, keep_first=1))
        cells = [x.cell(c) if isinstance(c, str) else x.person(c) for c in row.cells]
        rows.append([f"[{x.cell(g.title)}]({sheet.url(g)})", pocs, *cells])
    return doc.render(
        "champions_sheet.md.j2",
        period=slate.period,
        header=["Goal", slate.contact_words.column, *(x.team(t) for t in sheet.teams)],
        rows=rows,
        needs=NEEDS_CHAMPION,
        no_ask=NO_ASK,
    )
