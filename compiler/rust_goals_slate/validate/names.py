"""Rules on the goal set and on names that must match something: titles and file names, people, team spellings,
themes (roadmaps), highlights and application areas."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import AskFormat, Goal, Handle, Slate, theme_key
from rust_goals_slate.parse.inline import plain_text
from rust_goals_slate.parse.markdown import split_row
from rust_goals_slate.parse.metadata import link_text, norm_key
from rust_goals_slate.records import record
from rust_goals_slate.validate.base import closest, handle_problem
from rust_goals_slate.validate.memo import RuleMemo
from rust_goals_slate.validate.readme import assembled_directives, in_roadmap_row, readme_inputs

_TEAM_LABEL = re.compile(r"(?<!!)\[([^\]\[]+)\](?:\[\])?")


@record
class GoalNames:
    """What this module finds in one goal: its team spellings' problems, its title as plain text and as the
    duplicate rule compares it (case-folded, whitespace collapsed), and its file name as that rule compares it."""

    spelling: tuple[Diagnostic, ...]
    title: str
    key: str
    stem: str


def goal_names(slate: Slate, goal: Goal) -> GoalNames:
    """The rules of one goal; what they read of the slate: the goal's file and the team data."""
    title = plain_text(goal.title)
    key = " ".join(title.casefold().split())
    return GoalNames(tuple(_team_spelling_rules(slate, goal)), title, key, goal.stem.casefold())


def name_rules(
    slate: Slate, prose_handles: Sequence[Handle], goals: Sequence[GoalNames], memo: RuleMemo | None = None
) -> list[Diagnostic]:
    """Every rule of this module; `prose_handles` are the `@handle`s in the text of every file (the first of each
    spelling in each file: `_handle_rules` keeps the first place of each spelling), `goals` what `goal_names` found
    in each goal of the slate, in order. With `memo` (`slate watch`), the handle and theme rules are computed again
    only when what they read changed."""
    out: list[Diagnostic] = []
    out.extend(_slate_rules(slate, goals))
    for names in goals:
        out.extend(names.spelling)
    if memo is None:
        out.extend(_handle_rules(slate, prose_handles))
        out.extend(_theme_rules(slate))
    else:
        # what they read: the people fields and the handles of the text, the configuration's users, the team data
        config = memo.steady("config", slate.config)
        inputs: tuple[object, ...] = (slate.people_fields, tuple(prose_handles), config, slate.teams)
        out.extend(memo.get("handles", "", inputs, lambda: tuple(_handle_rules(slate, prose_handles))))
        # the roadmaps, the README's directives (and the lines of the rows they stand in), each goal's and its
        # subgoals' metadata
        metadata, children = tuple(g.metadata for g in slate.goals), tuple(g.children for g in slate.goals)
        inputs = (slate.roadmaps, readme_inputs(slate, memo), metadata, children)
        out.extend(memo.get("themes", "", inputs, lambda: tuple(_theme_rules(slate))))
    out.extend(_highlight_rules(slate))
    out.extend(_area_rules(slate))
    return out


# --------------------------------------------------------------------------------------------------------------
# the slate as a whole


def _slate_rules(slate: Slate, names: Sequence[GoalNames]) -> Iterator[Diagnostic]:
    if not slate.goals and slate.readme is not None and not slate.readme.builtin:
        # every period starts so (`slate new-period`): the repository's CI checks it before the first proposal lands
        yield Diagnostic(
            Location(slate.src_dir),
            Severity.WARNING,
            "empty-period",
            f"no goal proposed yet in {slate.period}",
            hint="goals are added as goal files (copy src/TEMPLATE.md); this is a warning until the first one lands",
        )
        return
    if not slate.goals:
        yield Diagnostic(
            Location(slate.src_dir),
            Severity.ERROR,
            "no-goals",
            "no goal files in the period folder",
            hint="a goal file starts with a title followed by a `| Metadata | |` table; "
            "SRC is a period folder such as goals/src/2027",
        )
        return
    if len({n.key for n in names}) == len(names) and len({n.stem for n in names}) == len(names):
        return  # no two alike: nothing to sort out
    titles: dict[str, Goal] = {}
    stems: dict[str, Goal] = {}
    for goal, found in sorted(zip(slate.goals, names, strict=True), key=lambda pair: pair[0].path):
        first = titles.setdefault(found.key, goal)
        if first is not goal:
            yield Diagnostic(
                goal.location,
                Severity.WARNING,
                "duplicate-title",
                f"goal title '{found.title}' is also the title of {first.path}",
                hint="give each goal its own title; lists and tables could not tell them apart",
            )
        same = stems.setdefault(found.stem, goal)
        if same is not goal:
            yield Diagnostic(
                Location(goal.path),
                Severity.WARNING,
                "duplicate-slug",
                f"goal file name '{goal.stem}' is also used by {same.path}",
                hint="rename one file; the file name names the goal's page and its definitions",
            )


def _team_spelling_rules(slate: Slate, goal: Goal) -> Iterator[Diagnostic]:
    """`[Lang]` for `lang`: team names match case-insensitively, but the key is the one spelling (spec 1.7)."""
    doc = slate.documents.get(goal.path)
    if doc is None:
        return
    reported: set[tuple[int, str]] = set()
    for ask in goal.asks:  # old format: every label of the row's owners cell, team data or not
        for label in ask.labels:
            if label != label.casefold() and (ask.location.line, label) not in reported:
                reported.add((ask.location.line, label))
                yield Diagnostic(
                    ask.location,
                    Severity.WARNING,
                    "team-spelling",
                    f"team '{label}' is spelt differently from its key; it is read as '{label.casefold()}'",
                    hint=f"write `[{label.casefold()}]`",
                )
    places = [(a.team, a.location) for a in goal.asks if goal.ask_format is AskFormat.NEW]
    places += [(c.team, c.handle.location) for c in goal.champions]
    for key, loc in places:
        team = slate.teams.team(key)
        if team is None:
            continue
        line = doc.source_line(loc.line)
        cells = split_row(line)
        text = cells[0] if cells else line
        written = [m.group(1).strip() for m in _TEAM_LABEL.finditer(text)] or [text.strip()]
        for spelling in written:
            if spelling.casefold() == team.key.casefold() and spelling != team.key:
                if (loc.line, spelling) in reported:
                    continue
                reported.add((loc.line, spelling))
                yield Diagnostic(
                    loc,
                    Severity.WARNING,
                    "team-spelling",
                    f"team '{spelling}' is spelt differently from its key '{team.key}'",
                    hint=f"write `[{team.key}]`",
                )


# --------------------------------------------------------------------------------------------------------------
# people


def _handle_rules(slate: Slate, prose: Sequence[Handle]) -> Iterator[Diagnostic]:
    reported: set[str] = set()
    spellings: dict[str, dict[str, Handle]] = {}
    for handle in sorted(slate.people_fields, key=lambda h: (h.location.path, h.location.line)):
        key = handle.login.casefold()
        if key in slate.config.ignore_users:
            continue
        spellings.setdefault(key, {}).setdefault(handle.login, handle)
        known = slate.teams.person(handle.login) is not None or key in slate.config.users
        if not known and key not in reported:
            reported.add(key)
            code, why, hint = handle_problem(slate.teams, handle.login)
            yield Diagnostic(
                handle.location,
                Severity.WARNING,
                code,
                f"unknown GitHub handle '@{handle.login}' {why}",
                hint=hint,
            )
    for handle in sorted(prose, key=lambda h: (h.location.path, h.location.line)):
        key = handle.login.casefold()
        if key not in slate.config.ignore_users:
            spellings.setdefault(key, {}).setdefault(handle.login, handle)
    for key, forms in sorted(spellings.items()):
        if len(forms) > 1:
            person = slate.teams.person(key)
            canonical = person.login if person else sorted(forms)[0]
            for spelling, handle in sorted(forms.items()):
                if spelling != canonical:
                    yield Diagnostic(
                        handle.location,
                        Severity.WARNING,
                        "handle-spelling",
                        f"'@{spelling}' is spelt differently elsewhere ("
                        + ", ".join(f"@{s}" for s in sorted(forms))
                        + ")",
                        hint=f"write '@{canonical}' everywhere",
                    )


# --------------------------------------------------------------------------------------------------------------
# names that must match something: themes, highlights, application areas


def _theme_places(slate: Slate, goal: Goal) -> Iterator[tuple[str, Location]]:
    """Every theme of a goal and of its children, at the metadata row that names it."""
    for e in goal.metadata:
        if e.key in ("roadmap", "flagship") and e.value and norm_key(e.value) not in ("yes", "true"):
            yield link_text(e.value), e.location
    for child in goal.children:
        rows = [e for e in child.metadata if e.key in ("roadmap", "flagship") and e.value]
        for theme in child.themes:
            at = next((e.location for e in rows if link_text(e.value) == theme), child.location)
            yield theme, at


def _theme_rules(slate: Slate) -> Iterator[Diagnostic]:
    """A theme must name what selects its goal: a roadmap when the period has roadmap files (an error, as in the goals
    repository's CI: the goal would be missing from its roadmap's table); else, when the RFC has themed flagship
    tables (2025h2), the argument of a `FLAGSHIP GOALS: X` directive (a warning: no flagship table lists the goal,
    and the flagship count leaves it out). Without either (2024h2, 2025h1), a theme only marks a goal as flagship."""
    if slate.roadmaps:
        names = {theme_key(r.short_title): r.short_title for r in slate.roadmaps}
        severity, code, what, listed = Severity.ERROR, "unknown-roadmap", "names no roadmap", "roadmaps"
    else:
        themes = slate.flagship_themes
        if themes is None:
            return
        names, severity, code, listed = themes, Severity.WARNING, "unknown-flagship-theme", "themes"
        what = "is named by no FLAGSHIP GOALS directive, so no flagship table lists the goal"
    if slate.roadmaps:  # a table row's `(((ROADMAP ROWS: X)))` in the RFC's text
        for d in assembled_directives(slate):
            if in_roadmap_row(slate, d) and d.arg is not None and theme_key(d.arg) not in names:
                yield Diagnostic(
                    Location(d.location.path, d.location.line),
                    Severity.ERROR,
                    "unknown-roadmap",
                    f"ROADMAP ROWS: '{d.arg}' names no roadmap",
                    hint="roadmaps: " + ", ".join(sorted(names.values(), key=str.casefold)),
                )
    for goal in slate.goals:
        for theme, loc in _theme_places(slate, goal):
            if theme_key(theme) in names:
                continue
            guess = closest(theme_key(theme), list(names))
            yield Diagnostic(
                loc,
                severity,
                code,
                f"theme '{theme}' {what}",
                hint=(f"did you mean '{names[guess]}'? " if guess else "")
                + f"{listed}: "
                + ", ".join(sorted(names.values(), key=str.casefold)),
            )


def _highlight_rules(slate: Slate) -> Iterator[Diagnostic]:
    """A goal's `Highlight` must be the argument of some HIGHLIGHT directive, or the goal is highlighted nowhere."""
    used = {theme_key(u.arg): u.arg for u in slate.page_directives if u.name.startswith("HIGHLIGHT") and u.arg}
    for goal in slate.goals:
        for e in goal.metadata:
            if e.key != "highlight" or not e.value:
                continue
            name = link_text(e.value)
            if theme_key(name) in used:
                continue
            guess = closest(theme_key(name), list(used))
            hint = (
                f"did you mean '{used[guess]}'?"
                if guess
                else (
                    "highlights: " + ", ".join(sorted(used.values(), key=str.casefold))
                    if used
                    else "no page of the period has a HIGHLIGHT directive"
                )
            )
            yield Diagnostic(
                e.location,
                Severity.WARNING,
                "unknown-highlight",
                f"highlight '{name}' is named by no HIGHLIGHT directive",
                hint=hint,
            )


def _area_rules(slate: Slate) -> Iterator[Diagnostic]:
    """Spec 1.12a: an area spelt two ways by the roadmaps; an area page that no roadmap names."""
    # The spelling that counts: the area page's, else the first roadmap's (by path).
    pages = {theme_key(a.name): (a.name, a.location) for a in slate.areas if a.path and a.location}
    first: dict[str, tuple[str, Location]] = {}
    for roadmap in sorted(slate.roadmaps, key=lambda r: r.path):
        for e in roadmap.metadata:
            if e.key != "application area" or not e.value:
                continue
            key = theme_key(e.value)
            name, where = first.setdefault(key, pages.get(key, (e.value, e.location)))
            if e.value != name:
                yield Diagnostic(
                    e.location,
                    Severity.WARNING,
                    "area-spelling",
                    f"application area '{e.value}' is spelt '{name}' at {where}",
                    hint=f"write '{name}' everywhere",
                )
    for area in slate.areas:
        if area.path is not None and area.location is not None and theme_key(area.name) not in first:
            known = sorted({n for n, _ in first.values()}, key=str.casefold)
            guess = closest(theme_key(area.name), [theme_key(n) for n in known])
            yield Diagnostic(
                area.location,
                Severity.WARNING,
                "unused-area",
                f"application area '{area.name}' is named by no roadmap",
                hint=f"did you mean '{first[guess][0]}'?"
                if guess
                else "a roadmap names its areas with `| Application area | Name |`",
            )
