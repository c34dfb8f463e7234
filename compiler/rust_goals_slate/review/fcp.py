"""The FCP checkbox comment: one section per team with asks, its leads required (pinged), other members optional.

GitHub notifies at most 50 @-mentions in one comment, so when the leads of every team with asks add up to more,
the comment is split into numbered parts, each under the limit, and every part says so. Members who are not leads
are written without `@`, so that they are listed but not pinged.
"""

from __future__ import annotations

from dataclasses import replace

import jinja2

from rust_goals_slate.errors import UsageError
from rust_goals_slate.model import Goal, Slate, TeamAsk
from rust_goals_slate.records import record
from rust_goals_slate.render.standalone import asks_by_team, summary_line

MAX_MENTIONS = 50  # GitHub: "You can mention up to 50 people in one comment"


@record
class TeamSection:
    key: str
    name: str  # the team's display name from the team data ('' when it has none)
    asked: str  # `12 goals: 2 Large, 4 Medium, 6 Small`
    leads: tuple[str, ...]  # logins, pinged as required
    optional: tuple[str, ...]  # the other members' logins, listed without a ping
    known: bool = True  # the team is in the team data
    archived: bool = False  # an archived team: nobody can check a box for it
    successor: str | None = None  # the team that took over an archived team's work, where known
    # asks of archived teams whose work this team took over: (archived key, [goal title (level)])
    inherited: tuple[tuple[str, tuple[str, ...]], ...] = ()
    part: int = 0  # > 0 when one team's leads alone exceed the limit and are spread over several parts
    parts: int = 0

    @property
    def mentions(self) -> int:
        return len(self.leads)


@record
class Comment:
    number: int  # 1-based
    count: int  # how many comments in all
    sections: tuple[TeamSection, ...]

    @property
    def mentions(self) -> int:
        return sum(s.mentions for s in self.sections)


def team_sections(slate: Slate) -> list[TeamSection]:
    """Every team with an ask in the slate, by key, with its leads and other members from the team data.

    An archived team's asks are listed in the section of the team that took over its work (marked as asked of the
    archived team), so that the comment can be posted as is; an archived team without a live successor keeps its own
    section, which says that nobody is listed for it."""
    by_team = asks_by_team(slate)
    moved: dict[str, list[tuple[str, list[tuple[Goal, TeamAsk]]]]] = {}
    for key, asks in by_team.items():
        team = slate.teams.team(key)
        successor = slate.teams.team(team.successor) if team is not None and team.successor else None
        if team is not None and team.archived and successor is not None and not successor.archived:
            moved.setdefault(successor.key, []).append((key, asks))
    gone = {key for inherited in moved.values() for key, _ in inherited}
    found = []
    for key in sorted((set(by_team) - gone) | set(moved)):
        asks = by_team.get(key, [])
        inherited = moved.get(key, [])
        everything = asks + [ask for _, more in inherited for ask in more]
        team = slate.teams.team(key)
        if team is None:
            found.append(TeamSection(key, "", summary_line(asks), (), (), known=False))
            continue
        if team.archived:
            found.append(
                TeamSection(team.key, team.name, summary_line(asks), (), (), archived=True, successor=team.successor)
            )
            continue
        leads = _unique(team.leads)
        lead_keys = {login.casefold() for login in leads}
        optional = tuple(m for m in _unique(team.members) if m.casefold() not in lead_keys)
        listed = tuple((old, tuple(_ask_line(goal, ask) for goal, ask in more)) for old, more in inherited)
        found.append(TeamSection(team.key, team.name, summary_line(everything), leads, optional, inherited=listed))
    return found


def _ask_line(goal: Goal, ask: TeamAsk) -> str:
    """`Goal title (Small)`; an `@` in a title is broken so that it pings nobody (only leads are pinged)."""
    level = f" ({ask.level.label})" if ask.level is not None else ""
    return goal.title.replace("@", "@\u200b") + level


def _unique(logins: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for login in logins:
        if login.strip():
            seen.setdefault(login.strip().lstrip("@").casefold(), login.strip().lstrip("@"))
    return tuple(sorted(seen.values(), key=lambda login: (login.casefold(), login)))


def split(sections: list[TeamSection], limit: int = MAX_MENTIONS) -> list[Comment]:
    """Pack the sections, in order, into as few comments as keep each at or under `limit` @-mentions."""
    if limit < 1:
        raise UsageError(f"the mention limit must be at least 1, not {limit}")
    pieces: list[TeamSection] = []
    for s in sections:
        if s.mentions <= limit:
            pieces.append(s)
            continue
        chunks = [s.leads[i : i + limit] for i in range(0, len(s.leads), limit)]
        for n, chunk in enumerate(chunks, 1):
            last = n == len(chunks)
            pieces.append(replace(s, leads=chunk, optional=s.optional if last else (), part=n, parts=len(chunks)))
    groups: list[list[TeamSection]] = [[]]
    for piece in pieces:
        if groups[-1] and sum(p.mentions for p in groups[-1]) + piece.mentions > limit:
            groups.append([])
        groups[-1].append(piece)
    return [Comment(n, len(groups), tuple(g)) for n, g in enumerate(groups, 1)]


def fcp_comments(slate: Slate, env: jinja2.Environment, limit: int = MAX_MENTIONS) -> list[str]:
    """The comment text, one string per comment to post (one unless the mentions exceed `limit`)."""
    sections = team_sections(slate)
    if not sections:
        raise UsageError(f"no goal of the {slate.period} slate asks anything of a team: there is nothing to FCP")
    comments = split(sections, limit)
    total = sum(s.mentions for s in sections)
    template = env.get_template("fcp.md.j2")
    return [
        template.render(comment=c, period=slate.period, total=total, limit=limit, teams=len(sections)).strip("\n")
        + "\n"
        for c in comments
    ]
