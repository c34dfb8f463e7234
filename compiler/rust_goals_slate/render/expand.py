"""Directive expansion: each directive selects goals from the slate and fills its Jinja2 template.

Cells handed to templates are final Markdown (already rewritten, pipes escaped); templates only lay them out, so
an override in `--templates DIR` can change a shape without knowing how people or links are resolved. Goal text
reaches templates only as values: it is never compiled as a template itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import field
from functools import partial
from typing import Any

import jinja2

from rust_goals_slate.errors import Location
from rust_goals_slate.model import Goal, Handle, Level, Profile, Roadmap, Slate, Status, theme_key
from rust_goals_slate.parse.inline import escape_cell, escape_link_text
from rust_goals_slate.records import record
from rust_goals_slate.render.pieces import goal_inputs, kept
from rust_goals_slate.render.references import References
from rust_goals_slate.validate.memo import RuleMemo

FUNDING_TEAM = "[Funding team](https://rust-lang.org/governance/teams/launching-pad/#team-funding)"


@record(frozen=False)
class Expander:
    """The text each directive expands to: tables, goal sections, counts."""

    slate: Slate
    refs: References
    env: jinja2.Environment
    profile: Profile
    legacy: dict[str, Callable[..., str]] = field(default_factory=dict)
    # `slate watch`: pieces kept between rebuilds (render/pieces.py), and the slate-wide values they may read
    pieces: RuleMemo | None = None
    context: tuple[object, ...] = ()
    everything: tuple[object, ...] = ()  # every goal, roadmap and area, and their files (pieces.everything)
    counts: object = None  # the numbers the count directives give (pieces.counts)

    # ---------------------------------------------------------------------------------------------------------
    # shared pieces

    @property
    def goals(self) -> tuple[Goal, ...]:
        return self.slate.slate_goals

    def render(self, template: str, **values: Any) -> str:
        """A template, given `contact` (ContactWords: the word the period's files use for the contact key). The
        first pass over a document (no labels yet: `render.references`) renders none: its text is thrown away."""
        if self.refs.labels is None:
            return ""
        return self.env.get_template(template).render(contact=self.slate.contact_words, **values).strip("\n")

    def url(self, goal: Goal, fragment: str = "") -> str:
        return self.refs.site_page(goal.path, fragment)

    def link(self, goal: Goal, fragment: str = "", title: str | None = None) -> str:
        key = (goal.path, fragment, title)
        found = self.refs.memo.links.get(key)
        if found is None:
            found = self.refs.memo.links[key] = f"[{escape_link_text(title or goal.title)}]({self.url(goal, fragment)})"
        return found

    def person(self, handle: Handle) -> str:
        return self.refs.person(handle.login, handle.location.path, handle.location.line)

    def display_key(self, handle: Handle) -> tuple[str, str]:
        person = self.slate.teams.person(handle.login)
        override = self.slate.config.users.get(handle.login.casefold())
        name = override or (person.name if person else handle.login)
        return (name.casefold(), (person.login if person else handle.login).casefold())

    def canonical(self, handle: Handle) -> str:
        person = self.slate.teams.person(handle.login)
        return (person.login if person else handle.login).casefold()

    def people(self, handles: Iterable[Handle], keep_first: int = 0) -> list[Handle]:
        """De-duplicated by canonical login; sorted by display name, the first `keep_first` kept in front."""
        unique: dict[str, Handle] = {}
        for h in handles:
            unique.setdefault(self.canonical(h), h)
        items = list(unique.values())
        return items[:keep_first] + sorted(items[keep_first:], key=self.display_key)

    def badge(self, name: str) -> str:
        for configured, url in self.slate.config.badges:
            if configured.casefold() == name.casefold():
                self.refs.badge(configured, url)
                return f"![{name}][]"
        return f"*{name}*"

    def team(self, key: str, bold: bool = False) -> str:
        team = self.slate.teams.team(key)
        cell = self.refs.team(team.key) if team else key
        return f"**{cell}**" if bold else cell

    def cell(self, text: str) -> str:
        return escape_cell(text)

    def poc(self, goal: Goal) -> str:
        """Goal lists and size tables: a goal needing a contributor shows the badge in place of its PoC (spec 2.5)."""
        if goal.needs_contributor:
            return self.badge("Help Wanted")
        return self.points_of_contact(goal)

    def funding_contact(self, goal: Goal) -> str:
        """The goal's funding contact, else the funding team, as the goals repository has it (never the PoC)."""
        return self.refs.fragment(goal.funding_contact) if goal.funding_contact else FUNDING_TEAM

    def points_of_contact(self, goal: Goal) -> str:
        """The people themselves, for documents where who to ask matters more than the badge (PR body, reviews)."""
        if not goal.points_of_contact:
            return self.badge("Help Wanted")
        return ", ".join(self.person(h) for h in self.people(goal.points_of_contact, keep_first=1))

    # ---------------------------------------------------------------------------------------------------------
    # selections

    def count(self, name: str, arg: str | None, location: Location) -> str | None:
        goals = self.goals
        if name == "#GOALS":
            return str(len(goals))
        if name in ("#FLAGSHIP GOALS", "#ROADMAP GOALS"):
            return str(len(self.slate.flagship_goals))
        if name in ("#LARGE GOALS", "#MEDIUM GOALS", "#SMALL GOALS"):
            level = Level[name[1:].split()[0]]
            return str(sum(1 for g in goals if g.size is level))
        if name == "#ROADMAPS":
            return str(len(self.slate.roadmaps))
        if name == "#APPLICATION AREAS":
            return str(len(self.slate.areas))
        return None

    # ---------------------------------------------------------------------------------------------------------
    # goal lists

    def goal_list(self, goals: list[Goal], not_accepted: bool = False) -> str:
        if self.profile is not Profile.C and "goal_list" in self.legacy:
            return self.legacy["goal_list"](self, goals, not_accepted)
        progress = bool(goals) and all(g.status is Status.ACCEPTED for g in goals)
        rows = []
        for g in goals:
            if progress:
                third = self.refs.fragment(g.tracking_issue) if g.tracking_issue else "(no tracking issue)"
            else:
                third = ", ".join(self.owners_and_champions(g))
            rows.append([self.link(g), self.poc(g), self.cell(third)])
        return self.render("goals.md.j2", rows=rows, progress=progress)

    def owners_and_champions(self, goal: Goal) -> list[str]:
        pocs = {self.canonical(h) for h in goal.points_of_contact}
        owners = [self.person(h) for h in self.people(goal.task_owners) if self.canonical(h) not in pocs]
        champions = sorted(goal.champions, key=lambda c: (self.display_key(c.handle), c.team))
        return owners + [f"{self.person(c.handle)} ({self.team(c.team)})" for c in champions]

    # ---------------------------------------------------------------------------------------------------------
    # profile C tables

    def team_levels(self, goal: Goal) -> list[tuple[str, Level]]:
        best: dict[str, Level] = {}
        for ask in goal.asks:
            if ask.level is not None and (ask.team not in best or ask.level > best[ask.team]):
                best[ask.team] = ask.level
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def size_table(self, level: Level) -> str:
        goals = []
        for g in self.goals:
            if g.size is not level:
                continue
            teams = []
            for key, team_level in self.team_levels(g):
                champion = g.champion_for(key)
                if champion is not None:
                    who = self.person(champion.handle)
                else:
                    who = self.badge("TBD") if team_level >= Level.MEDIUM else "*n/a*"
                teams.append({"team": self.team(key, bold=team_level is Level.LARGE), "champion": who})
            goals.append({"link": self.link(g), "poc": self.poc(g), "teams": teams})
        return self.render("size_table.md.j2", goals=goals, level=level.label)

    def champions(self) -> str:
        if self.profile is not Profile.C and "champions" in self.legacy:
            return self.legacy["champions"](self)
        groups: dict[str, tuple[Handle, list[Goal]]] = {}
        for g in self.goals:
            for c in g.champions:
                key = self.canonical(c.handle)
                entry = groups.setdefault(key, (c.handle, []))
                if not entry[1] or entry[1][-1] is not g:  # goals come once each: only the last can be `g`
                    entry[1].append(g)
        ordered = sorted(groups.values(), key=lambda item: self.display_key(item[0]))
        champions = [
            {"person": self.person(h), "count": len(gs), "goals": [self.link(g) for g in gs]} for h, gs in ordered
        ]
        return self.render("champions.md.j2", champions=champions)

    def team_asks(self, level: int) -> str:
        old = ""
        if "team_asks" in self.legacy and (
            self.profile is not Profile.C or any(a.level is None for g in self.goals for a in g.asks)
        ):
            # old-format asks: their own tables, first in a period that mixes formats (spec 0, profiles)
            old = self.legacy["team_asks"](self, level)
            if self.profile is not Profile.C:
                return old
        teams: dict[str, list[dict[str, Any]]] = {}  # team -> [{sort, rows}]
        for n, g in enumerate(self.goals):  # in title order: `n` sorts them as title_key does
            inputs = (*goal_inputs(self.slate, (g,)), *self.context) if self.pieces is not None else ()
            asks = kept(self.refs, self.pieces, "team asks", g.path, inputs, partial(self.asks_of, g))
            for key, top, rows in asks:
                teams.setdefault(key, []).append({"sort": (-top, n), "rows": rows})
        sections = []
        for key in sorted(teams):
            entries = sorted(teams[key], key=lambda e: e["sort"])
            team = self.slate.teams.team(key)
            sections.append(
                {"heading": f"{team.key if team else key} team", "rows": [r for e in entries for r in e["rows"]]}
            )
        new = self.render("team_asks.md.j2", teams=sections, hashes="#" * level) if sections else ""
        return "\n\n".join(part for part in (old, new) if part)

    def asks_of(self, g: Goal) -> list[tuple[str, Level, list[list[str]]]]:
        """A goal's rows of the team-asks tables: (team, its highest level, rows), for each team it asks."""
        by_team: dict[str, list[Any]] = {}
        for ask in g.asks:
            if ask.level is not None:
                by_team.setdefault(ask.team, []).append(ask)
        out = []
        for key, asks in by_team.items():
            top = max(a.level for a in asks)
            rows = []
            main = [a for a in asks if a.subgoal is None]
            subs = [a for a in asks if a.subgoal is not None]
            champion = g.champion_for(key)
            who = self.person(champion.handle) if champion else ""
            for a in main or [None]:
                rows.append(
                    [
                        self.link(g),
                        a.level.label if a and a.level is not None else "",
                        who,
                        self.cell(self.refs.fragment(a.notes)) if a else "",
                    ]
                )
            for a in subs:
                rows.append(
                    [
                        "↳ " + self.cell(a.subgoal or ""),
                        a.level.label if a.level is not None else "",
                        who,
                        self.cell(self.refs.fragment(a.notes)),
                    ]
                )
            out.append((key, top, rows))
        return out

    def valid_team_asks(self) -> str:
        kinds = [
            {"name": k.name, "short": self.cell(k.short), "about": self.cell(k.about)}
            for k in self.slate.config.ask_kinds
        ]
        return self.render("valid_team_asks.md.j2", kinds=kinds)

    # ---------------------------------------------------------------------------------------------------------
    # highlights, needs

    def highlight_table(self, name: str) -> str:
        rows = []
        for g in self.slate.highlighted(name):
            if g.children:
                for c in g.children:
                    ww = c.what_and_why or g.what_and_why
                    rows.append([self.link(g, c.site_id, c.title), self.cell(self.refs.fragment(ww))])
            else:
                rows.append([self.link(g), self.cell(self.refs.fragment(g.what_and_why))])
        return self.render("highlight_table.md.j2", rows=rows)

    def credits(self, goals: Iterable[Goal]) -> str:
        handles: list[Handle] = []
        for g in goals:
            handles += [*g.points_of_contact, *g.task_owners, *(c.handle for c in g.champions)]
        return ", ".join(self.person(h) for h in self.people(handles))

    def people_line(self, goal: Goal) -> str:
        parts = [
            f"{self.person(h)} ({self.slate.contact_words.lower})"
            for h in self.people(goal.points_of_contact, keep_first=1)
        ]
        pocs = {self.canonical(h) for h in goal.points_of_contact}
        parts += [self.person(h) for h in self.people(goal.task_owners) if self.canonical(h) not in pocs]
        for c in sorted(goal.champions, key=lambda c: (self.display_key(c.handle), c.team)):
            parts.append(f"{self.person(c.handle)} ({self.team(c.team)} champion)")
        return ", ".join(parts)

    def goal_sections(self, goals: list[Goal], level: int, kind: str) -> str:
        items = []
        for g in goals:
            item: dict[str, Any] = {
                "heading": self.link(g)
                + (" " + self.badge("Help wanted") if kind == "highlight" and g.needs_contributor else ""),
                "people": self.people_line(g),
                "summary": self.refs.fragment(g.summary),
            }
            if kind == "contributor":
                item["help_wanted"] = [
                    [self.cell(self.refs.fragment(h.task)), self.cell(h.experience), self.cell(h.time)]
                    for h in g.help_wanted
                ]
            if kind == "funding":
                item["contact"] = self.funding_contact(g)
                item["funding"] = [
                    [self.cell(self.refs.fragment(f.purpose)), self.cell(f.cost), self.cell(f.funded)]
                    for f in g.funding
                ]
            items.append(item)
        return self.render("goal_sections.md.j2", goals=items, hashes="#" * level, kind=kind)

    # ---------------------------------------------------------------------------------------------------------
    # roadmaps and application areas

    def roadmap_rows_of(self, roadmaps: Iterable[Roadmap]) -> list[list[str]]:
        return [
            [
                f"[{escape_link_text(r.short_title)}]({self.refs.site_page(r.path)})",
                ", ".join(self.person(h) for h in self.people(r.points_of_contact, keep_first=1)),
                self.cell(self.refs.fragment(r.what_and_why)),
            ]
            for r in roadmaps
        ]

    def roadmaps(self, area: str | None) -> str:
        roadmaps: Iterable[Roadmap] = self.slate.roadmaps
        if area is not None:  # one that names no area selects none (validate: unknown-area)
            key = theme_key(area)
            roadmaps = [r for r in roadmaps if key in {theme_key(a) for a in r.areas}]
        return self.render("roadmaps.md.j2", rows=self.roadmap_rows_of(roadmaps))

    def application_areas(self, level: int) -> str:
        areas = []
        for area in self.slate.areas:
            key = theme_key(area.name)
            members = [r for r in self.slate.roadmaps if key in {theme_key(a) for a in r.areas}]
            areas.append(
                {
                    "name": escape_cell(area.name),
                    "what_and_why": self.refs.fragment(area.what_and_why) if area.what_and_why else "",
                    "rows": self.roadmap_rows_of(members),
                }
            )
        others = [r for r in self.slate.roadmaps if not r.areas]
        return self.render(
            "application_areas.md.j2", areas=areas, others=self.roadmap_rows_of(others), hashes="#" * level
        )

    def roadmap_rows(self, theme: str) -> list[list[str]]:
        key = theme_key(theme)
        rows = []
        for g in self.goals:
            if key in {theme_key(t) for t in g.themes}:
                rows.append(
                    [
                        self.link(g),
                        self.cell(g.timespan or self.slate.period),
                        self.cell(self.refs.fragment(g.what_and_why)),
                    ]
                )
                continue
            for c in g.children:
                if key in {theme_key(t) for t in c.themes}:
                    ww = c.what_and_why or g.what_and_why
                    rows.append(
                        [
                            self.link(g, c.site_id, c.title),
                            self.cell(c.timespan or g.timespan or self.slate.period),
                            self.cell(self.refs.fragment(ww)),
                        ]
                    )
        return rows
