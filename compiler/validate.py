"""Stage 3: rules that need the whole slate and the team data. Pure: model in, diagnostics out.

Rules on goals, people, themes, highlights and areas live here; rules on the Markdown of every file (tables,
headings, links, prose counts, directives) live in `compiler.validate_text`. docs/checks.md lists every code.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from compiler.errors import Diagnostic, Location, Severity
from compiler.inline import plain_text
from compiler.markdown import split_row
from compiler.metadata import Entry, first_table, is_metadata, link_text, norm_key, read_metadata
from compiler.model import AskFormat, Goal, Handle, Level, Slate, Status, theme_key
from compiler.parse import goal_metadata

GOALS_REPOSITORY = "rust-lang/rust-project-goals"
_TRACKING = re.compile(r"^\[([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)#([0-9]+)\](?:\[\]|\([^)\s]*\))?$")
_COST = re.compile(r"^\$[0-9][0-9,]*(?:\.[0-9]+)?[KkMm]?$")
_FUNDED = re.compile(r"^(?:no|partial|full|yes|partial by .+|by .+)$", re.I)
_ITALIC = re.compile(r"^(?:\*[^*].*\*|_[^_].*_)$", re.S)
_TEAM_LABEL = re.compile(r"(?<!!)\[([^\]\[]+)\](?:\[\])?")
NEEDS = ("Contributor", "Funding")


def _diag(
    slate: Slate, loc: Location, severity: Severity, code: str, message: str, hint: str | None = None
) -> Diagnostic:
    doc = slate.documents.get(loc.path)
    return Diagnostic(loc, severity, code, message, hint, doc.source_line(loc.line) if doc else None)


def _closest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word, choices, 1, 0.6)
    return found[0] if found else None


def validate(slate: Slate) -> list[Diagnostic]:
    from compiler.validate_text import validate_text

    text = validate_text(slate)
    out: list[Diagnostic] = []
    out.extend(_slate_rules(slate))
    for goal in slate.goals:
        out.extend(_goal_rules(slate, goal))
        out.extend(_metadata_value_rules(slate, goal))
        out.extend(_team_spelling_rules(slate, goal))
    out.extend(_handle_rules(slate, text.handles))
    out.extend(_theme_rules(slate))
    out.extend(_highlight_rules(slate))
    out.extend(_area_rules(slate))
    out.extend(text.diagnostics)
    return out


def metadata_entries(slate: Slate, path: str, allowed: set[str] | None = None) -> list[Entry]:
    """The rows of a file's metadata table with their locations (problems are reported by the parse stage)."""
    doc = slate.documents.get(path)
    meta = goal_metadata(doc) if doc is not None else None
    if doc is None or meta is None:
        return []
    from compiler.metadata import KEYS

    return read_metadata(doc, meta, allowed if allowed is not None else set(KEYS), [])


# --------------------------------------------------------------------------------------------------------------
# the slate as a whole


def _slate_rules(slate: Slate) -> Iterator[Diagnostic]:
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
    titles: dict[str, Goal] = {}
    stems: dict[str, Goal] = {}
    for goal in sorted(slate.goals, key=lambda g: g.path):
        title = " ".join(plain_text(goal.title).casefold().split())
        first = titles.setdefault(title, goal)
        if first is not goal:
            yield _diag(
                slate,
                goal.location,
                Severity.WARNING,
                "duplicate-title",
                f"goal title '{plain_text(goal.title)}' is also the title of {first.path}",
                hint="give each goal its own title; lists and tables could not tell them apart",
            )
        same = stems.setdefault(goal.stem.casefold(), goal)
        if same is not goal:
            yield _diag(
                slate,
                Location(goal.path),
                Severity.WARNING,
                "duplicate-slug",
                f"goal file name '{goal.stem}' is also used by {same.path}",
                hint="rename one file; the file name names the goal's page and its definitions",
            )


# --------------------------------------------------------------------------------------------------------------
# one goal


def _goal_rules(slate: Slate, goal: Goal) -> Iterator[Diagnostic]:
    teams = slate.teams
    team_keys = sorted(teams.teams)
    in_slate = goal.in_slate
    if in_slate and not goal.points_of_contact and not goal.poc_help_wanted:
        yield _diag(
            slate,
            goal.location,
            Severity.ERROR,
            "missing-point-of-contact",
            "goal in the slate has no point of contact",
            hint="add `| Point of contact | @handle |`",
        )
    if goal.ask_format is AskFormat.NONE:
        yield _diag(
            slate,
            goal.location,
            Severity.ERROR if in_slate else Severity.WARNING,
            "missing-team-asks",
            "goal has no team asks",
            hint="add a `## Team asks` section with a `| Team | Support level | Notes |` table",
        )
    if in_slate and goal.ask_format is AskFormat.NEW and goal.size is None:
        yield _diag(
            slate,
            goal.location,
            Severity.ERROR,
            "missing-size",
            "goal has no sized team ask (Small, Medium or Large), so it belongs to no size table",
        )
    asked = {a.team for a in goal.asks}
    for ask in goal.asks:
        if teams.team(ask.team) is None:
            guess = _closest(ask.team, team_keys)
            yield _diag(
                slate,
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
            yield _diag(
                slate,
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
            guess = name if teams.team(name) else _closest(champion.team, team_keys)
            yield _diag(
                slate,
                loc,
                Severity.ERROR,
                "unknown-team",
                f"unknown team '{champion.team}' in champion row",
                hint=f"did you mean `[{guess}] champion`?" if guess else None,
            )
        elif champion.team not in asked and goal.ask_format is AskFormat.NEW:
            yield _diag(
                slate,
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
                yield _diag(
                    slate,
                    ask.location,
                    Severity.WARNING,
                    "missing-champion",
                    f"{ask.level.label} ask of team '{ask.team}' has no champion",
                    hint=f"add `| [{ask.team}] champion | @handle |` to the metadata",
                )


def _metadata_value_rules(slate: Slate, goal: Goal) -> Iterator[Diagnostic]:
    """Values of the metadata table: tracking issue, needs, placeholder text in the people fields."""
    entries = metadata_entries(slate, goal.path)
    tracking = [e for e in entries if e.key == "tracking issue" and e.value]
    for e in tracking[:1]:
        m = _TRACKING.match(e.value)
        if m is None:
            yield _diag(
                slate,
                e.location,
                Severity.WARNING,
                "malformed-tracking-issue",
                f"tracking issue '{e.value}' is not of the form [org/repo#N]",
                hint=f"write `[{GOALS_REPOSITORY}#N]`, or leave the cell empty",
            )
        elif f"{m.group(1)}/{m.group(2)}".casefold() != GOALS_REPOSITORY:
            yield _diag(
                slate,
                e.location,
                Severity.WARNING,
                "tracking-issue-repository",
                f"tracking issue '{e.value}' is not in the goals repository ({GOALS_REPOSITORY})",
                hint="open a tracking issue in the goals repository and link other issues under "
                "`Other tracking issues`",
            )
    if not tracking and goal.status is Status.ACCEPTED and _period_tracks_issues(slate):
        where = next((e.location for e in entries if e.key == "status"), goal.location)
        yield _diag(
            slate,
            where,
            Severity.WARNING,
            "missing-tracking-issue",
            "accepted goal has no tracking issue",
            hint=f"add `| Tracking issue | [{GOALS_REPOSITORY}#N] |`",
        )
    for e in entries:
        if e.key == "needs" and e.value and norm_key(e.value) not in {n.casefold() for n in NEEDS}:
            guess = _closest(e.value.casefold(), [n.casefold() for n in NEEDS])
            yield _diag(
                slate,
                e.location,
                Severity.WARNING,
                "unknown-need",
                f"unknown need '{e.value}'",
                hint=(f"did you mean '{guess.capitalize()}'? " if guess else "") + "valid values: " + ", ".join(NEEDS),
            )
        if e.key in ("point of contact", "owners") and _ITALIC.match(e.value):
            yield _diag(
                slate,
                e.location,
                Severity.WARNING,
                "template-text",
                f"'{_key_text(slate, e)}' still holds the template's placeholder text",
                hint="write the GitHub handles (`@handle`), or `![Help wanted][]`",
            )
    for item in goal.funding:
        cost = item.cost.strip()
        if not _COST.match(cost.replace(" ", "")) and cost.casefold() not in ("tbd", "ask"):
            yield _diag(
                slate,
                item.location,
                Severity.WARNING,
                "funding-value",
                f"unknown funding cost '{cost}'; it counts as TBD",
                hint="write TBD, Ask, or an amount such as $40K or $120,000",
            )
        if not _FUNDED.match(item.funded.strip()):
            yield _diag(
                slate,
                item.location,
                Severity.WARNING,
                "funding-value",
                f"unknown funding status '{item.funded.strip()}'; it counts as No",
                hint="write No, Partial, Partial by X, Full, Yes or By X",
            )


def _period_tracks_issues(slate: Slate) -> bool:
    """Tracking issues came with 2025h1: a period whose goals never name one (2024h2) is not asked for them."""
    return any(e.key == "tracking issue" for g in slate.goals for e in metadata_entries(slate, g.path))


def _key_text(slate: Slate, entry: Entry) -> str:
    doc = slate.documents.get(entry.location.path)
    if doc is None:
        return entry.key
    cells = split_row(doc.source_line(entry.location.line))
    return cells[0] if cells else entry.key


def _team_spelling_rules(slate: Slate, goal: Goal) -> Iterator[Diagnostic]:
    """`[Lang]` for `lang`: team names match case-insensitively, but the key is the one spelling (spec 1.7)."""
    doc = slate.documents.get(goal.path)
    if doc is None:
        return
    # old-format ask rows are checked as they are parsed (compiler.parse_legacy)
    places = [(a.team, a.location) for a in goal.asks if goal.ask_format is AskFormat.NEW]
    places += [(c.team, c.handle.location) for c in goal.champions]
    reported: set[tuple[int, str]] = set()
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
                yield _diag(
                    slate,
                    loc,
                    Severity.WARNING,
                    "team-spelling",
                    f"team '{spelling}' is spelt differently from its key '{team.key}'",
                    hint=f"write `[{team.key}]`",
                )


# --------------------------------------------------------------------------------------------------------------
# people


def _people_fields(slate: Slate) -> Iterator[Handle]:
    for goal in slate.goals:
        yield from goal.points_of_contact
        yield from goal.task_owners
        yield from (c.handle for c in goal.champions)
        for ask in goal.asks:
            yield from ask.owners
    for roadmap in slate.roadmaps:
        yield from roadmap.points_of_contact


def _handle_rules(slate: Slate, prose: list[Handle]) -> Iterator[Diagnostic]:
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
            yield _diag(
                slate,
                handle.location,
                Severity.WARNING,
                "unknown-handle",
                f"unknown GitHub handle '@{handle.login}' (not in the team data)",
                hint=f"a team? write `[{team.key}]`" if team else None,
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
                    yield _diag(
                        slate,
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
    for e in metadata_entries(slate, goal.path):
        if e.key in ("roadmap", "flagship") and e.value and norm_key(e.value) not in ("yes", "true"):
            yield link_text(e.value), e.location
    doc = slate.documents.get(goal.path)
    for child in goal.children:
        rows: list[Entry] = []
        if doc is not None:
            index = next((i for i, b in enumerate(doc.blocks) if b.is_heading and b.line == child.location.line), -1)
            end = next((j for j in range(index + 1, len(doc.blocks)) if doc.blocks[j].is_heading), len(doc.blocks))
            meta = first_table(doc, index + 1, end) if index >= 0 else None
            if is_metadata(meta):
                assert meta is not None
                rows = [e for e in read_metadata(doc, meta, {"roadmap", "flagship"}, []) if e.value]
        for theme in child.themes:
            at = next((e.location for e in rows if link_text(e.value) == theme), child.location)
            yield theme, at


def _theme_rules(slate: Slate) -> Iterator[Diagnostic]:
    if not slate.roadmaps:
        return
    names = {theme_key(r.short_title): r.short_title for r in slate.roadmaps}
    for goal in slate.goals:
        for theme, loc in _theme_places(slate, goal):
            if theme_key(theme) not in names:
                guess = _closest(theme_key(theme), list(names))
                yield _diag(
                    slate,
                    loc,
                    Severity.WARNING,
                    "unknown-roadmap",
                    f"theme '{theme}' names no roadmap",
                    hint=f"did you mean '{names[guess]}'?" if guess else None,
                )


def _highlight_rules(slate: Slate) -> Iterator[Diagnostic]:
    """A goal's `Highlight` must be the argument of some HIGHLIGHT directive, or the goal is highlighted nowhere."""
    from compiler.validate_text import directive_uses

    used = {
        theme_key(u.arg): u.arg
        for u in directive_uses(slate, pages_only=True)
        if u.name.startswith("HIGHLIGHT") and u.arg
    }
    for goal in slate.goals:
        for e in metadata_entries(slate, goal.path):
            if e.key != "highlight" or not e.value:
                continue
            name = link_text(e.value)
            if theme_key(name) in used:
                continue
            guess = _closest(theme_key(name), list(used))
            hint = (
                f"did you mean '{used[guess]}'?"
                if guess
                else (
                    "highlights: " + ", ".join(sorted(used.values(), key=str.casefold))
                    if used
                    else "no page of the period has a HIGHLIGHT directive"
                )
            )
            yield _diag(
                slate,
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
        for e in metadata_entries(slate, roadmap.path, {"application area"}):
            if not e.value:
                continue
            key = theme_key(e.value)
            name, where = first.setdefault(key, pages.get(key, (e.value, e.location)))
            if e.value != name:
                yield _diag(
                    slate,
                    e.location,
                    Severity.WARNING,
                    "area-spelling",
                    f"application area '{e.value}' is spelt '{name}' at {where}",
                    hint=f"write '{name}' everywhere",
                )
    for area in slate.areas:
        if area.path is not None and area.location is not None and theme_key(area.name) not in first:
            known = sorted({n for n, _ in first.values()}, key=str.casefold)
            guess = _closest(theme_key(area.name), [theme_key(n) for n in known])
            yield _diag(
                slate,
                area.location,
                Severity.WARNING,
                "unused-area",
                f"application area '{area.name}' is named by no roadmap",
                hint=f"did you mean '{first[guess][0]}'?"
                if guess
                else "a roadmap names its areas with `| Application area | Name |`",
            )
