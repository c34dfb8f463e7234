"""Stage 3: rules that need the whole slate and the team data. Pure: model in, diagnostics out.

The rules are split by what they look at:

- here: one goal at a time (points of contact, asks, champions, metadata values, funding);
- `rust_goals_slate.validate.names`: the goal set and the names that must match something (titles, file names, people,
  team spellings, themes, highlights, application areas);
- `rust_goals_slate.validate.text`: the Markdown of every file (tables, headings, counts, directives), with
  `rust_goals_slate.validate.links` for links, references and footnotes.

docs/checks.md lists every code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import TRACKING_ISSUE, AskFormat, Goal, Level, Slate, Status
from rust_goals_slate.model.repository_format import CONTACT
from rust_goals_slate.parse.metadata import norm_key
from rust_goals_slate.records import record
from rust_goals_slate.validate.base import closest
from rust_goals_slate.validate.goals_ci import goal_ci_rules, goals_ci_rules
from rust_goals_slate.validate.memo import RuleMemo
from rust_goals_slate.validate.names import GoalNames, goal_names, name_rules
from rust_goals_slate.validate.readme import readme_rules, selected_by
from rust_goals_slate.validate.text import validate_text

_COST = re.compile(r"^\$[0-9][0-9,]*(?:\.[0-9]+)?[KkMm]?$")
_FUNDED = re.compile(r"^(?:no|partial|full|partial by .+|by .+)$", re.I)
FUNDED_VALUES = "No, Partial, Partial by X, Full or By X"
_ITALIC = re.compile(r"^(?:\*[^*].*\*|_[^_].*_)$", re.S)
NEEDS = ("Contributor", "Funding")


def validate(slate: Slate, memo: RuleMemo | None = None) -> list[Diagnostic]:
    """Every rule. `memo` (`slate watch`): the rules of one file or one goal are computed again only when it or
    what they read of the slate changed, and a rule over the whole slate only when what it reads of every goal
    changed (validate/memo.py)."""
    if memo is not None:
        memo.start()
    text = validate_text(slate, memo)
    tracks = _period_tracks_issues(slate)
    parts = _goal_parts(slate, tracks, memo)
    out: list[Diagnostic] = [d for part in parts for d in part.rules]
    if memo is None:
        out.extend(_archived_team_rules(slate))
    else:
        # what the rule reads: each goal's asks and champions (their teams and places) and the team data
        inputs = (tuple(g.asks for g in slate.goals), tuple(g.champions for g in slate.goals), slate.teams)
        out.extend(memo.get("archived-team", "", inputs, lambda: tuple(_archived_team_rules(slate))))
    out.extend(name_rules(slate, text.handles, [part.names for part in parts], memo))
    ci = goals_ci_rules(slate, [part.ci for part in parts], memo)
    wide_asks = {(d.location.path, d.location.line) for d in ci if d.code == "extra-cells-ask"}
    # an asks row that is too wide is the goals CI's error; the general table warning would say it twice
    out.extend(
        d for d in text.diagnostics if not (d.code == "extra-cells" and (d.location.path, d.location.line) in wide_asks)
    )
    out.extend(ci)
    out.extend(readme_rules(slate, [part.selected for part in parts], memo))
    return out


@record
class _GoalPart:
    """What the rules find in one goal: its own problems (this module's, its team spellings, the goals CI's), and
    what the rules over the whole slate read of it that costs to work out (its title as compared, what the
    README's directives select it by)."""

    rules: tuple[Diagnostic, ...]
    names: GoalNames
    ci: tuple[Diagnostic, ...]
    selected: tuple[object, ...]  # with a memo only


def _goal_parts(slate: Slate, tracks: bool, memo: RuleMemo | None) -> list[_GoalPart]:
    def part(goal: Goal) -> _GoalPart:
        rules = (*_goal_rules(slate, goal), *_metadata_value_rules(slate, goal, tracks))
        selected = selected_by(goal) if memo is not None else ()  # only a key of the memo
        return _GoalPart(rules, goal_names(slate, goal), goal_ci_rules(slate, goal), selected)

    if memo is None:
        return [part(goal) for goal in slate.goals]
    # what a goal's rules read besides the goal: its file (team spellings, the goals CI's tables), the team data, the
    # configuration, the word for the contact and whether the period names tracking issues
    config = memo.steady("config", slate.config)  # compared once, not per goal
    fixed = (slate.teams, config, slate.contact_words, tracks)
    return [
        memo.get("goal", goal.path, (goal, slate.documents.get(goal.path), *fixed), partial(part, goal))
        for goal in slate.goals
    ]


# --------------------------------------------------------------------------------------------------------------
# --------------------------------------------------------------------------------------------------------------
# one goal


def _goal_rules(slate: Slate, goal: Goal) -> Iterator[Diagnostic]:
    teams = slate.teams
    team_keys = sorted(teams.teams)
    in_slate = goal.in_slate
    if in_slate and not goal.points_of_contact and not goal.poc_help_wanted:
        yield Diagnostic(
            goal.location,
            Severity.ERROR,
            "missing-point-of-contact",
            f"goal in the slate has no {slate.contact_words.lower}",
            hint=f"add `| {slate.contact_words.column} | @handle |`",
        )
    if goal.ask_format is AskFormat.NONE:
        yield Diagnostic(
            goal.location,
            Severity.ERROR if in_slate else Severity.WARNING,
            "missing-team-asks",
            "goal has no team asks",
            hint="add a `## Team asks` section with a `| Team | Support level | Notes |` table",
        )
    if in_slate and goal.ask_format is AskFormat.NEW and goal.size is None:
        yield Diagnostic(
            goal.location,
            Severity.ERROR,
            "missing-size",
            "goal has no sized team ask (Small, Medium or Large), so it belongs to no size table",
        )
    asked = {a.team for a in goal.asks}
    for ask in goal.asks:
        if teams.team(ask.team) is None:
            guess = closest(ask.team, team_keys)
            yield Diagnostic(
                ask.location,
                Severity.ERROR,
                "unknown-team",
                f"unknown team '{ask.team}'",
                hint=f"did you mean '{guess}'?" if guess else None,
            )
    seen: dict[str, Location] = {}
    for champion in goal.champions:
        loc = champion.handle.location
        if champion.team in seen:
            yield Diagnostic(
                loc,
                Severity.ERROR,
                "duplicate-champion-team",
                f"second champion row for team '{champion.team}' (first at line {seen[champion.team].line})",
                hint="a team has one champion per goal",
            )
            continue
        seen[champion.team] = loc
        if teams.team(champion.team) is None:
            name = champion.team.removeprefix("t-")
            guess = name if teams.team(name) else closest(champion.team, team_keys)
            yield Diagnostic(
                loc,
                Severity.ERROR,
                "unknown-team",
                f"unknown team '{champion.team}' in champion row",
                hint=f"did you mean `[{guess}] champion`?" if guess else None,
            )
        elif champion.team not in asked and goal.ask_format is AskFormat.NEW:
            yield Diagnostic(
                loc,
                Severity.WARNING,
                "champion-without-ask",
                f"champion for team '{champion.team}', which has no ask in this goal",
            )
    if goal.ask_format is AskFormat.NEW and in_slate:
        for ask in goal.asks:
            if (
                ask.level is not None
                and ask.level >= Level.MEDIUM
                and goal.champion_for(ask.team) is None
                and teams.team(ask.team) is not None
            ):
                yield Diagnostic(
                    ask.location,
                    Severity.WARNING,
                    "missing-champion",
                    f"{ask.level.label} ask of team '{ask.team}' has no champion",
                    hint=f"add `| [{ask.team}] champion | @handle |` to the metadata",
                )


def _archived_team_rules(slate: Slate) -> Iterator[Diagnostic]:
    """One fact, one line: each archived team that goals still name is reported once per build, at the first place
    that names it, with the goal files that do (the first three, then "and N more") and its successor."""
    named: dict[str, dict[str, Location]] = {}  # team key -> goal file -> first place in it
    for goal in slate.goals:
        places = [(a.team, a.location) for a in goal.asks] + [(c.team, c.handle.location) for c in goal.champions]
        for key, loc in sorted(places, key=lambda p: p[1].line):
            team = slate.teams.team(key)
            if team is not None and team.archived:
                named.setdefault(team.key, {}).setdefault(loc.path, loc)
    prefix = slate.src_dir + "/"
    for key, files in sorted(named.items()):
        team = slate.teams.teams[key]
        paths = sorted(files)
        shown = [p.removeprefix(prefix) for p in paths[:3]]
        listed = ", ".join(shown) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        goals = f"{len(paths)} goal file{'s' if len(paths) != 1 else ''}"
        took_over = f"; its work moved to '{team.successor}'" if team.successor else ""
        yield Diagnostic(
            files[paths[0]],
            Severity.WARNING,
            "archived-team",
            f"team '{key}' is archived{took_over}; named by {goals}: {listed}",
            hint=f"ask [{team.successor}] instead (slate fcp lists these asks under {team.successor})"
            if team.successor
            else "ask the team that took over its work",
        )


def _metadata_value_rules(slate: Slate, goal: Goal, tracks: bool) -> Iterator[Diagnostic]:
    """Values of the metadata table: tracking issue, needs, placeholder text in the people fields. `tracks`: whether
    the period's goals name tracking issues at all."""
    entries = goal.metadata
    repository = slate.config.goals_repository
    tracking = [e for e in entries if e.key == "tracking issue" and e.value]
    for e in tracking[:1]:
        m = TRACKING_ISSUE.match(e.value)
        if m is None:
            yield Diagnostic(
                e.location,
                Severity.WARNING,
                "malformed-tracking-issue",
                f"tracking issue '{e.value}' is not of the form [org/repo#N]",
                hint=f"write `[{repository}#N]`, or leave the cell empty",
            )
        elif not slate.config.is_goals_repository(f"{m.group(1)}/{m.group(2)}"):
            yield Diagnostic(
                e.location,
                Severity.WARNING,
                "tracking-issue-repository",
                f"tracking issue '{e.value}' is not in the goals repository ({repository})",
                hint=f"open a tracking issue in {repository} and link other issues under `Other tracking issues`",
            )
    if not tracking and goal.status is Status.ACCEPTED and tracks:
        where = next((e.location for e in entries if e.key == "status"), goal.location)
        yield Diagnostic(
            where,
            Severity.WARNING,
            "missing-tracking-issue",
            "accepted goal has no tracking issue",
            hint=f"add `| Tracking issue | [{repository}#N] |`",
        )
    for e in entries:
        if e.key == "needs" and e.value and norm_key(e.value) not in {n.casefold() for n in NEEDS}:
            guess = closest(e.value.casefold(), [n.casefold() for n in NEEDS])
            yield Diagnostic(
                e.location,
                Severity.WARNING,
                "unknown-need",
                f"unknown need '{e.value}'",
                hint=(f"did you mean '{guess.capitalize()}'? " if guess else "") + "valid values: " + ", ".join(NEEDS),
            )
        if e.key in (CONTACT, "owners") and _ITALIC.match(e.value):
            yield Diagnostic(
                e.location,
                Severity.WARNING,
                "template-text",
                f"'{e.written}' still holds the template's placeholder text",
                hint="write the GitHub handles (`@handle`), or `![Help wanted][]`",
            )
    for item in goal.funding:
        cost = item.cost.strip()
        if not _COST.match(cost.replace(" ", "")) and cost.casefold() not in ("tbd", "ask"):
            yield Diagnostic(
                item.location,
                Severity.WARNING,
                "funding-value",
                f"unknown funding cost '{cost}'; it counts as TBD",
                hint="write TBD, Ask, or an amount such as $40K or $120,000",
            )
        funded = item.funded.strip()
        if not _FUNDED.match(funded):
            # `Yes` reads as funded to a person but not to the goals repository's tool, which shows it unfunded
            yes = funded.casefold() == "yes"
            yield Diagnostic(
                item.location,
                Severity.WARNING,
                "funding-value",
                f"unknown funding status '{funded}'; it counts as No",
                hint=("the goals repository does not read `Yes` as funded: " if yes else "") + f"write {FUNDED_VALUES}",
            )


def _period_tracks_issues(slate: Slate) -> bool:
    """Tracking issues came with 2025h1: a period whose goals never name one (2024h2) is not asked for them."""
    return any(e.key == "tracking issue" for g in slate.goals for e in g.metadata)
