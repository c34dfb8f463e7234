"""What one team reviews in a slate, as data: the goals that involve it, the roadmaps they belong to, its champions.

A goal involves a team when it asks the team for something or names a champion from it (the goals repository's
`cargo rpg review` counts both). Rendering (Markdown, JSON) is in `review.team_report`; this module only selects
and orders, so that both formats show the same goals in the same order.
"""

from __future__ import annotations

import difflib

from rust_goals_slate.errors import UsageError
from rust_goals_slate.model import Champion, Fragment, Goal, Level, Roadmap, Slate, TeamAsk, theme_key
from rust_goals_slate.parse.goals import find_section, own_text
from rust_goals_slate.parse.inline import title_key
from rust_goals_slate.parse.markdown import sections
from rust_goals_slate.records import record
from rust_goals_slate.render.standalone import asks_by_team


@record
class GoalEntry:
    """One goal as the team sees it: its asks of this team (main rows first), their level, the team's champion."""

    goal: Goal
    asks: tuple[TeamAsk, ...]
    champion: Champion | None

    @property
    def level(self) -> Level | None:
        levels = [a.level for a in self.asks if a.level is not None]
        return max(levels) if levels else None

    @property
    def needs_champion(self) -> bool:
        """Medium and Large asks need a champion from the team (the goals repository writes TBD for them)."""
        return self.champion is None and (self.level or 0) >= Level.MEDIUM

    @property
    def champion_only(self) -> bool:
        return not self.asks


@record
class RoadmapEntry:
    """A roadmap (or a theme that names no roadmap file) with the team's goals on it."""

    name: str
    roadmap: Roadmap | None
    summary: Fragment | None
    goals: tuple[GoalEntry, ...]


@record
class TeamReview:
    key: str
    slate: Slate
    goals: tuple[GoalEntry, ...]  # team-table order: level (Large first), then title; champion-only goals last
    roadmaps: tuple[RoadmapEntry, ...]  # by name, case-folded

    @property
    def asked(self) -> tuple[GoalEntry, ...]:
        return tuple(e for e in self.goals if e.asks)

    @property
    def new_format(self) -> bool:
        return any(a.level is not None for e in self.goals for a in e.asks)


def resolve_team(slate: Slate, name: str) -> str:
    """The team key NAME stands for (case-insensitive; `t-lang` and `[lang]` work too)."""
    wanted = name.strip().strip("[]").casefold().removeprefix("t-")
    asked = asks_by_team(slate)
    champions = sorted({c.team for g in slate.slate_goals for c in g.champions})
    for key in (*asked, *champions, *slate.teams.teams):
        if key.casefold() == wanted:
            return key
    known = sorted({*asked, *slate.teams.teams})
    close = difflib.get_close_matches(wanted, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(
        f"no team '{name}' in the team data or the slate's asks{hint} (teams with asks: {', '.join(asked) or 'none'})"
    )


def team_review(slate: Slate, name: str) -> TeamReview:
    key = resolve_team(slate, name)
    entries = []
    for g in slate.slate_goals:
        mine = [a for a in g.asks if a.team == key]
        champion = g.champion_for(key)
        if mine or champion is not None:
            main = [a for a in mine if a.subgoal is None]
            subs = [a for a in mine if a.subgoal is not None]
            entries.append(GoalEntry(g, (*main, *subs), champion))
    entries.sort(key=lambda e: (e.champion_only, -(e.level or 0), title_key(e.goal.title, e.goal.path)))
    return TeamReview(key, slate, tuple(entries), _roadmaps(slate, entries))


def _roadmaps(slate: Slate, entries: list[GoalEntry]) -> tuple[RoadmapEntry, ...]:
    by_key = {theme_key(r.short_title): r for r in slate.roadmaps}
    found: dict[str, tuple[str, list[GoalEntry]]] = {}
    for e in entries:
        for theme in e.goal.all_themes:
            k = theme_key(theme)
            name = by_key[k].short_title if k in by_key else theme
            found.setdefault(k, (name, []))[1].append(e)
    out = []
    for k in sorted(found, key=lambda k: found[k][0].casefold()):
        name, goals = found[k]
        roadmap = by_key.get(k)
        out.append(RoadmapEntry(name, roadmap, roadmap_summary(slate, roadmap) if roadmap else None, tuple(goals)))
    return tuple(out)


def roadmap_summary(slate: Slate, roadmap: Roadmap) -> Fragment:
    """The own text of the roadmap's Summary section, else its "what and why"."""
    doc = slate.documents.get(roadmap.path)
    if doc is not None:
        sec = find_section(sections(doc), "summary")
        if sec is not None:
            text = own_text(doc, sec)
            if text.strip():
                first = next((b.line for b in sec.own_blocks(doc) if b.kind != "blank"), roadmap.location.line)
                return Fragment(text, doc.path, first)
    return roadmap.what_and_why
