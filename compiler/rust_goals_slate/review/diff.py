"""`slate diff`: a goal-level changelog between two parsed slates, as Markdown (for a PR comment) or JSON.

Works on the model only, so it compares across formats: a 2025h1 ask of kind "RFC decision" and a 2026 ask of level
"Medium" are both just what a team is asked for. Goals are matched by file name within the period folder first,
then by title, so a renamed file or a retitled goal is a rename, not a removal plus an addition.
"""

from __future__ import annotations

import json
from dataclasses import asdict, field

from rust_goals_slate.model import Goal, Slate, TeamAsk, TeamRegistry, theme_key
from rust_goals_slate.parse.inline import find_handles, plain_text, scan, title_key
from rust_goals_slate.records import record

NOTES_WIDTH = 100  # notes are cut to this many characters in Markdown (JSON keeps them whole)


@record
class GoalRef:
    file: str  # relative to the period folder, e.g. 'const-generics.md'
    title: str


@record
class Change:
    field: str  # status, size, ask, ask notes, champion, point of contact, roadmap, highlight
    old: str | None  # None: added
    new: str | None  # None: removed
    team: str | None = None  # for ask, ask notes and champion

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"


@record
class GoalChanges:
    goal: GoalRef  # as in the new slate
    changes: tuple[Change, ...]


@record
class AddedGoal:
    goal: GoalRef
    status: str
    size: str | None
    asks: dict[str, str]  # team -> what it is asked for
    points_of_contact: tuple[str, ...]


@record
class Rename:
    old: GoalRef
    new: GoalRef


@record
class SlateDiff:
    old_period: str
    new_period: str
    added: tuple[AddedGoal, ...] = ()
    removed: tuple[GoalRef, ...] = ()
    renamed: tuple[Rename, ...] = ()
    changed: tuple[GoalChanges, ...] = ()
    goals: dict[str, int] = field(default_factory=dict)  # 'old'/'new' -> number of goals
    contact: str = "point of contact"  # the new slate's word for the contact key, for the Markdown (not the JSON)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed)


# --------------------------------------------------------------------------------------------------------------
# comparing


def diff_slates(old: Slate, new: Slate) -> SlateDiff:
    old_goals = {_file(old, g): g for g in old.goals}
    new_goals = {_file(new, g): g for g in new.goals}
    pairs: list[tuple[Goal, Goal]] = [(old_goals[f], new_goals[f]) for f in new_goals if f in old_goals]
    gone = [g for f, g in old_goals.items() if f not in new_goals]
    fresh = [g for f, g in new_goals.items() if f not in old_goals]
    for g in list(fresh):
        match = next((o for o in gone if _title(o) == _title(g)), None)
        if match is not None:
            pairs.append((match, g))
            gone.remove(match)
            fresh.remove(g)
    renamed, changed = [], []
    for o, n in sorted(pairs, key=lambda pair: title_key(pair[1].title, pair[1].path)):
        before, after = GoalRef(_file(old, o), o.title), GoalRef(_file(new, n), n.title)
        if before != after:
            renamed.append(Rename(before, after))
        changes = goal_changes(o, n, old.teams, new.teams)
        if changes:
            changed.append(GoalChanges(after, changes))
    added = [_added(new, g) for g in sorted(fresh, key=lambda g: title_key(g.title, g.path))]
    removed = [GoalRef(_file(old, g), g.title) for g in sorted(gone, key=lambda g: title_key(g.title, g.path))]
    return SlateDiff(
        old.period,
        new.period,
        tuple(added),
        tuple(removed),
        tuple(renamed),
        tuple(changed),
        {"old": len(old.goals), "new": len(new.goals)},
        new.contact_words.lower,
    )


def goal_changes(old: Goal, new: Goal, old_teams: TeamRegistry, new_teams: TeamRegistry) -> tuple[Change, ...]:
    """What changed in one goal; people are named by their login in the team data when they are in it."""
    changes: list[Change] = []
    if _norm(old.status_text) != _norm(new.status_text):
        changes.append(Change("status", old.status_text, new.status_text))
    if old.size != new.size:
        changes.append(Change("size", old.size.label if old.size else "none", new.size.label if new.size else "none"))
    old_asks, new_asks = asks_by_team(old), asks_by_team(new)
    for team in sorted(old_asks.keys() | new_asks.keys()):
        before, after = old_asks.get(team), new_asks.get(team)
        if before is None or after is None or before[0] != after[0]:
            changes.append(Change("ask", before[0] if before else None, after[0] if after else None, team))
        elif before[1] != after[1]:
            changes.append(Change("ask notes", before[1], after[1], team))
    old_champions = {c.team: _login(old_teams, c.handle.login) for c in old.champions}
    new_champions = {c.team: _login(new_teams, c.handle.login) for c in new.champions}
    for team in sorted(old_champions.keys() | new_champions.keys()):
        was, now = old_champions.get(team), new_champions.get(team)
        if _norm(was or "") != _norm(now or ""):
            changes.append(Change("champion", _at(was), _at(now), team))
    old_pocs = {h.login.casefold(): _login(old_teams, h.login) for h in old.points_of_contact}
    new_pocs = {h.login.casefold(): _login(new_teams, h.login) for h in new.points_of_contact}
    if old_pocs.keys() != new_pocs.keys():
        changes.append(
            Change(
                "point of contact",
                ", ".join(_at(x) or "" for x in old_pocs.values()) or None,
                ", ".join(_at(x) or "" for x in new_pocs.values()) or None,
            )
        )
    changes += _membership("roadmap", old.all_themes, new.all_themes)
    changes += _membership("highlight", old.highlights, new.highlights)
    return tuple(changes)


def asks_by_team(goal: Goal) -> dict[str, tuple[str, str]]:
    """team -> (what it is asked for, the notes), comparable across formats."""
    teams: dict[str, list[TeamAsk]] = {}
    for ask in goal.asks:
        teams.setdefault(ask.team, []).append(ask)
    return {team: (_what(asks), " / ".join(n for n in (_notes(a) for a in asks) if n)) for team, asks in teams.items()}


def _what(asks: list[TeamAsk]) -> str:
    items: list[str] = []
    for a in asks:
        what = a.level.label if a.level is not None else " ".join((a.kind or "").split()) or "ask"
        item = f"{what} ({' '.join(a.subgoal.split())})" if a.subgoal else what
        if item not in items:
            items.append(item)
    return "; ".join(sorted(items, key=str.casefold))


def _notes(ask: TeamAsk) -> str:
    return " ".join(ask.notes.text.split())


def _membership(name: str, old: tuple[str, ...], new: tuple[str, ...]) -> list[Change]:
    before = {theme_key(t): t for t in old}
    after = {theme_key(t): t for t in new}
    return [Change(name, None, after[k]) for k in sorted(after.keys() - before.keys())] + [
        Change(name, before[k], None) for k in sorted(before.keys() - after.keys())
    ]


def _added(slate: Slate, g: Goal) -> AddedGoal:
    asks = {team: what for team, (what, _) in sorted(asks_by_team(g).items())}
    return AddedGoal(
        GoalRef(_file(slate, g), g.title),
        g.status_text,
        g.size.label if g.size else None,
        asks,
        tuple(_at(_login(slate.teams, h.login)) or "" for h in g.points_of_contact),
    )


def _login(teams: TeamRegistry, login: str) -> str:
    person = teams.person(login)
    return person.login if person else login


def _file(slate: Slate, goal: Goal) -> str:
    prefix = slate.src_dir.rstrip("/") + "/"
    return goal.path[len(prefix) :] if goal.path.startswith(prefix) else goal.path


def _title(goal: Goal) -> str:
    return _norm(plain_text(goal.title))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _at(login: str | None) -> str | None:
    return f"@{login}" if login else None


# --------------------------------------------------------------------------------------------------------------
# output


def to_json(diff: SlateDiff) -> str:
    data = asdict(diff)
    del data["contact"]  # the JSON names the field "point of contact" whatever the period calls it
    for goal, changes in zip(data["changed"], diff.changed, strict=True):
        for item, change in zip(goal["changes"], changes.changes, strict=True):
            item["kind"] = change.kind
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def to_markdown(diff: SlateDiff) -> str:
    if diff.empty:
        return "no changes\n"
    periods = diff.new_period if diff.old_period == diff.new_period else f"{diff.old_period} → {diff.new_period}"
    sizes = ((diff.added, "added"), (diff.removed, "removed"), (diff.renamed, "renamed"), (diff.changed, "changed"))
    counts = [f"{len(items)} {word}" for items, word in sizes if items]
    out = [f"## Slate changes ({periods})", "", f"Goals: {', '.join(counts)}."]
    if diff.added:
        out += ["", f"### Added ({len(diff.added)})", ""]
        for a in diff.added:
            facts = [a.status] + ([a.size] if a.size else [])
            if a.points_of_contact:
                facts.append(diff.contact + " " + ", ".join(_code(p) for p in a.points_of_contact))
            asks = ", ".join(f"{_code(team)} {_quiet(what)}" for team, what in a.asks.items())
            out.append(f"- {_goal(a.goal)}: {'; '.join(facts)}" + (f"; asks {asks}" if asks else ""))
    if diff.removed:
        out += ["", f"### Removed ({len(diff.removed)})", ""]
        out += [f"- {_goal(g)}" for g in diff.removed]
    if diff.renamed:
        out += ["", f"### Renamed ({len(diff.renamed)})", ""]
        for r in diff.renamed:
            parts = []
            if r.old.file != r.new.file:
                parts.append(f"file {_code(r.old.file)} → {_code(r.new.file)}")
            if r.old.title != r.new.title:
                parts.append(f"title “{_quiet(r.old.title)}” → “{_quiet(r.new.title)}”")
            out.append(f"- {_goal(r.new)}: {'; '.join(parts)}")
    if diff.changed:
        out += ["", f"### Changed ({len(diff.changed)})"]
        for g in diff.changed:
            out += ["", f"#### {_quiet(g.goal.title)} ({_code(g.goal.file)})", ""]
            out += [f"- {_change(c, diff.contact)}" for c in g.changes]
    return "\n".join(out) + "\n"


def _change(c: Change, contact: str) -> str:
    what = (contact if c.field == "point of contact" else c.field) + (f" {_code(c.team)}" if c.team else "")

    def show(value: str) -> str:
        if c.field in ("champion", "point of contact"):
            return ", ".join(_code(v.strip()) for v in value.split(","))
        if c.field == "ask notes":
            return "“" + _quiet(_cut(plain_text(value) or "(none)")) + "”"
        if c.field in ("roadmap", "highlight"):
            return "“" + _quiet(value) + "”"
        return _quiet(value)

    if c.old is None:
        return f"{what} added: {show(c.new or '')}"
    if c.new is None:
        return f"{what} removed: {show(c.old)}"
    return f"{what}: {show(c.old)} → {show(c.new)}"


def _goal(g: GoalRef) -> str:
    return f"{_quiet(g.title)} ({_code(g.file)})"


def _code(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _quiet(text: str) -> str:
    """Free text for a PR comment: `@login` outside code becomes code, so that the comment pings nobody."""
    out: list[str] = []
    for span in scan(text):
        piece = text[span.start : span.end]
        if span.kind == "text":
            last = 0
            for m in find_handles(piece):
                out += [piece[last : m.start()], _code(m.group(0))]
                last = m.end()
            piece = piece[last:]
        out.append(piece)
    return "".join(out)


def _cut(text: str) -> str:
    return text if len(text) <= NOTES_WIDTH else text[: NOTES_WIDTH - 1].rstrip() + "…"
