"""Rendering for documents other than the RFC (the PR body, a team's extract) with the RFC's own machinery.

Such a document stands alone: nothing is inlined into it, so `#anchor` and chapter links go to the goals site, and
it gets its own definitions block from `render.settle`. People, teams and goal links come out exactly as in the
RFC because they go through the same `References` and `Expander`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import jinja2

from rust_goals_slate.errors import Location
from rust_goals_slate.model import Fragment, Goal, Level, Slate, TeamAsk
from rust_goals_slate.parse.directives import COUNT_DIRECTIVES
from rust_goals_slate.records import record
from rust_goals_slate.render.expand import Expander
from rust_goals_slate.render.pieces import same
from rust_goals_slate.render.references import Labels, References, Uses
from rust_goals_slate.render.rfc import source_order
from rust_goals_slate.render.settle import labels, settle
from rust_goals_slate.validate.memo import RuleMemo


@record
class Standalone:
    """One document being rendered: `x` renders cells (people, teams, links), `finish` settles the text."""

    x: Expander

    @property
    def refs(self) -> References:
        return self.x.refs

    def fragment(self, frag: Fragment) -> str:
        """Lifted text with its links resolved where it was written; count directives are expanded."""
        return self.refs.fragment(frag, self._counts())

    def cell(self, frag: Fragment) -> str:
        return self.x.cell(self.fragment(frag))

    def render(self, template: str, **values: Any) -> str:
        """The document's template; the first pass (no labels yet) renders none: its text is thrown away."""
        return self.x.env.get_template(template).render(**values) if self.refs.labels is not None else ""

    def finish(self, body: str) -> str:
        return settle([body], self.refs)[0]  # anchors of a standalone document go to the site: none dangles

    def _counts(self) -> Callable[[str, str | None, Location], str | None]:
        def directive(name: str, arg: str | None, loc: Location) -> str | None:
            return self.x.count(name, arg, loc) if name in COUNT_DIRECTIVES else None

        return directive


def standalone(
    slate: Slate, env: jinja2.Environment, pieces: RuleMemo | None = None, given: Labels | None = None
) -> Standalone:
    """A pass over a document: a first one without `given` labels; with `pieces` (`slate watch`), its pieces are kept
    between rebuilds (render/pieces.py) with the slate-wide values they may read besides their goals (`context`)."""
    order = source_order(slate, ())
    refs = References(
        slate=slate,
        site_url=slate.config.site_url,
        chapter_anchor={},
        document_origins=frozenset(),
        source_order={p: n for n, p in enumerate(order)},
        labels=given,
    )
    x = Expander(slate, refs, env, slate.profile, pieces=pieces)
    if pieces is not None:
        # people's names and badges, the site, the period folder and format: equal values made the kept object
        config = pieces.steady("standalone config", (slate.config, slate.src_dir, slate.profile))
        x.context = (same(pieces, "standalone context", (config, slate.teams)),)
    return Standalone(x)


def write_standalone(
    slate: Slate, env: jinja2.Environment, write: Callable[[Standalone], str], pieces: RuleMemo | None = None
) -> str:
    """A document `write` makes from a `Standalone`, written twice like the RFC (render/references.py): a first
    pass finds the people, definitions and footnotes it names, the second writes it with their labels, so its
    template receives final text.

    With `pieces` (`slate watch`), the first pass writes with the labels of the last rebuild, as the RFC's does
    (render/rfc.py): what a pass uses does not depend on the labels it writes with, so when its uses give the same
    labels again, that pass is the second one."""
    given: Labels | None = pieces.last("standalone labels", None) if pieces is not None else None
    first = standalone(slate, env, pieces, given)
    body = write(first)
    found, _ = labels(first.refs)  # a definition renamed here was reported for the RFC
    if found == given:  # never in a build: its first pass has no labels
        return first.finish(body)
    if pieces is not None:
        found = pieces.steady("standalone labels", found)  # the pieces have it as an input, by identity
    doc = Standalone(replace(first.x, refs=replace(first.refs, labels=found, uses=Uses())))
    return doc.finish(write(doc))


# --------------------------------------------------------------------------------------------------------------
# What the teams are asked for, shared by the PR body, the team extract and the FCP comment


def asks_by_team(slate: Slate) -> dict[str, list[tuple[Goal, TeamAsk]]]:
    """Every ask of the slate's goals, by team key (sorted), each team's asks in goal (title) order."""
    teams: dict[str, list[tuple[Goal, TeamAsk]]] = {}
    for goal in slate.slate_goals:
        for ask in goal.asks:
            teams.setdefault(ask.team, []).append((goal, ask))
    return {key: teams[key] for key in sorted(teams)}


def team_level(asks: list[tuple[Goal, TeamAsk]], goal: Goal) -> Level | None:
    """The highest level a team is asked for in one goal (new format), else None."""
    levels = [a.level for g, a in asks if g is goal and a.level is not None]
    return max(levels) if levels else None


def ask_totals(asks: list[tuple[Goal, TeamAsk]]) -> list[tuple[str, int]]:
    """Goals per level (Large, Medium, Small) for new-format asks, then asks per kind for old-format ones."""
    levels: dict[int, list[Level]] = {}  # id(goal) -> its levels: one pass, not one pass per goal
    for g, a in asks:
        if a.level is not None:
            levels.setdefault(id(g), []).append(a.level)
    by_level = {level: 0 for level in sorted(Level, reverse=True)}
    for g in goals_of(asks):
        found = levels.get(id(g))
        if found:
            by_level[max(found)] += 1
    totals = [(level.label, n) for level, n in by_level.items() if n]
    kinds: dict[str, tuple[str, int]] = {}
    for _, a in asks:
        if a.level is None and a.kind:
            key = " ".join(a.kind.split()).casefold()
            name, n = kinds.get(key, (" ".join(a.kind.split()), 0))
            kinds[key] = (name, n + 1)
    totals += sorted(kinds.values(), key=lambda item: (-item[1], item[0].casefold()))
    return totals


def goals_of(asks: list[tuple[Goal, TeamAsk]]) -> list[Goal]:
    """The goals of `asks`, each once, in order. By identity: a slate holds one Goal object per file (comparing
    Goals by value, field by field, made this quadratic)."""
    seen: dict[int, Goal] = {}
    for g, _ in asks:
        seen.setdefault(id(g), g)
    return list(seen.values())


def summary_line(asks: list[tuple[Goal, TeamAsk]]) -> str:
    """`12 goals: 2 Large, 4 Medium, 6 Small` (or the ask kinds of the old formats)."""
    count = len(goals_of(asks))
    parts = [f"{n} {name}" if name in ("Large", "Medium", "Small") else f"{name} ×{n}" for name, n in ask_totals(asks)]
    head = f"{count} goal{'s' if count != 1 else ''}"
    return head + (": " + ", ".join(parts) if parts else "")
