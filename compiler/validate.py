"""Stage 3: rules that need the whole slate and the team data. Pure: model in, diagnostics out."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from compiler.errors import Diagnostic, Location, Severity
from compiler.model import AskFormat, Goal, Handle, Level, Slate, theme_key


def _diag(slate: Slate, loc: Location, severity: Severity, code: str, message: str,
          hint: str | None = None) -> Diagnostic:
    doc = slate.documents.get(loc.path)
    return Diagnostic(loc, severity, code, message, hint, doc.source_line(loc.line) if doc else None)


def _closest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word, choices, 1, 0.6)
    return found[0] if found else None


def validate(slate: Slate) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for goal in slate.goals:
        out.extend(_goal_rules(slate, goal))
    out.extend(_handle_rules(slate))
    out.extend(_theme_rules(slate))
    return out


def _goal_rules(slate: Slate, goal: Goal) -> Iterator[Diagnostic]:
    teams = slate.teams
    team_keys = sorted(teams.teams)
    in_slate = goal.in_slate
    if in_slate and not goal.points_of_contact and not goal.poc_help_wanted:
        yield _diag(slate, goal.location, Severity.ERROR, "missing-point-of-contact",
                    "goal in the slate has no point of contact", hint="add `| Point of contact | @handle |`")
    if in_slate and goal.ask_format is AskFormat.NONE:
        yield _diag(slate, goal.location, Severity.ERROR, "missing-team-asks", "goal has no team asks",
                    hint="add a `## Team asks` section with a `| Team | Support level | Notes |` table")
    if in_slate and goal.ask_format is AskFormat.NEW and goal.size is None:
        yield _diag(slate, goal.location, Severity.ERROR, "missing-size",
                    "goal has no sized team ask (Small, Medium or Large), so it belongs to no size table")
    asked = {a.team for a in goal.asks}
    for ask in goal.asks:
        if teams.team(ask.team) is None:
            guess = _closest(ask.team, team_keys)
            yield _diag(slate, ask.location, Severity.ERROR, "unknown-team", f"unknown team '{ask.team}'",
                        hint=f"did you mean '{guess}'?" if guess else None)
    seen: dict[str, Location] = {}
    for champion in goal.champions:
        loc = champion.handle.location
        if champion.team in seen:
            yield _diag(slate, loc, Severity.ERROR, "duplicate-champion-team",
                        f"second champion row for team '{champion.team}' (first at line {seen[champion.team].line})",
                        hint="a team has one champion per goal")
            continue
        seen[champion.team] = loc
        if teams.team(champion.team) is None:
            name = champion.team.removeprefix("t-")
            guess = name if teams.team(name) else _closest(champion.team, team_keys)
            yield _diag(slate, loc, Severity.ERROR, "unknown-team", f"unknown team '{champion.team}' in champion row",
                        hint=f"did you mean `[{guess}] champion`?" if guess else None)
        elif champion.team not in asked and goal.ask_format is AskFormat.NEW:
            yield _diag(slate, loc, Severity.WARNING, "champion-without-ask",
                        f"champion for team '{champion.team}', which has no ask in this goal")
    if goal.ask_format is AskFormat.NEW and in_slate:
        for ask in goal.asks:
            if ask.level is not None and ask.level >= Level.MEDIUM and goal.champion_for(ask.team) is None \
                    and teams.team(ask.team) is not None:
                yield _diag(slate, ask.location, Severity.WARNING, "missing-champion",
                            f"{ask.level.label} ask of team '{ask.team}' has no champion",
                            hint=f"add `| [{ask.team}] champion | @handle |` to the metadata")


def _people_fields(slate: Slate) -> Iterator[Handle]:
    for goal in slate.goals:
        yield from goal.points_of_contact
        yield from goal.task_owners
        yield from (c.handle for c in goal.champions)
        for ask in goal.asks:
            yield from ask.owners
    for roadmap in slate.roadmaps:
        yield from roadmap.points_of_contact


def _handle_rules(slate: Slate) -> Iterator[Diagnostic]:
    reported: set[str] = set()
    spellings: dict[str, dict[str, Handle]] = {}
    for handle in sorted(_people_fields(slate), key=lambda h: (h.location.path, h.location.line)):
        key = handle.login.casefold()
        if key in slate.config.ignore_users:
            continue
        spellings.setdefault(key, {}).setdefault(handle.login, handle)
        known = slate.teams.person(handle.login) is not None or key in slate.config.users
        if not known and key not in reported:
            reported.add(key)
            team = slate.teams.team(key)
            yield _diag(slate, handle.location, Severity.WARNING, "unknown-handle",
                        f"unknown GitHub handle '@{handle.login}' (not in the team data)",
                        hint=f"a team? write `[{team.key}]`" if team else None)
    for key, forms in sorted(spellings.items()):
        if len(forms) > 1:
            person = slate.teams.person(key)
            canonical = person.login if person else sorted(forms)[0]
            for spelling, handle in sorted(forms.items()):
                if spelling != canonical:
                    yield _diag(slate, handle.location, Severity.WARNING, "handle-spelling",
                                f"'@{spelling}' is spelt differently elsewhere ("
                                + ", ".join(f"@{s}" for s in sorted(forms)) + ")",
                                hint=f"write '@{canonical}' everywhere")


def _theme_rules(slate: Slate) -> Iterator[Diagnostic]:
    if not slate.roadmaps:
        return
    names = {theme_key(r.short_title): r.short_title for r in slate.roadmaps}
    for goal in slate.goals:
        sources = [(t, goal.location) for t in goal.themes] + [(t, c.location) for c in goal.children for t in c.themes]
        for theme, loc in sources:
            if theme_key(theme) not in names:
                guess = _closest(theme_key(theme), list(names))
                yield _diag(slate, loc, Severity.WARNING, "unknown-roadmap", f"theme '{theme}' names no roadmap",
                            hint=f"did you mean '{names[guess]}'?" if guess else None)
