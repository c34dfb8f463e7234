"""What `slate watch` keeps of the RFC's render between rebuilds: each block directive's expansion, each goal's rows
of the team-asks tables and each README or chapter block without an inline directive, with what rendering them used
(`Uses`).

A piece is rendered against a fresh `Uses` and its uses are then merged into the pass's (`merge`), which is what
rendering it in place would have recorded: people, badges, definitions and footnotes are kept at their first use
(`setdefault`, in the order met), teams as a set, anchors at their first place in source order, references and
problems appended (a definition or footnote met again is recorded again, with the same values: the labels read
them as a set, and `References.placed` merges equal problems). A kept piece is given again with its uses when its
inputs are the same objects (validate/memo.py `RuleMemo` with `same_objects`): the goals it reads and their files
(the parse memo gives an unchanged file's objects back), the labels of the pass and the slate-wide values
(`context`), these made the kept objects first when equal (`RuleMemo.steady`), so that no goal is compared field by
field. A one-shot build passes no memo: each piece is rendered in place, as always.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from rust_goals_slate.errors import Location
from rust_goals_slate.model import Area, Goal, Roadmap, Slate
from rust_goals_slate.model.directives import COUNT_DIRECTIVES
from rust_goals_slate.render.references import Labels, References, Uses
from rust_goals_slate.render.settle import Scan
from rust_goals_slate.validate.memo import RuleMemo, same_objects

if TYPE_CHECKING:
    from rust_goals_slate.render.expand import Expander

T = TypeVar("T")


def context(slate: Slate, refs: References, env: object, legacy: frozenset[str], memo: RuleMemo) -> tuple[object, ...]:
    """The slate-wide values a piece may read besides its goals, each made the kept object when equal (so the
    per-piece comparisons are identity checks)."""
    readme = slate.readme
    origins = sorted(refs.document_origins, key=lambda p: refs.source_order.get(p, 1 << 30))
    steady = (
        slate.config,
        frozenset(slate.documents),
        frozenset(h.login.casefold() for h in slate.people_fields),
        (slate.period, slate.src_dir, slate.profile, slate.contact_words, legacy),
        (tuple(origins), tuple(sorted(refs.chapter_anchor.items()))),
        readme,  # its directives (with their locations: a piece's key) and chapter lists; parsed anew each time
    )
    fixed = (
        env,
        slate.teams,
        *(slate.documents.get(p) for p in origins),  # the README's and chapters' definitions and footnotes
    )
    return (
        same(memo, "render context", (*(memo.steady(f"render context {n}", v) for n, v in enumerate(steady)), *fixed)),
    )


def everything(slate: Slate, memo: RuleMemo) -> tuple[object, ...]:
    """The inputs of a piece that may read any goal, roadmap or area: one object while none of them changed."""
    return (same(memo, "render everything", goal_inputs(slate, (*slate.goals, *slate.roadmaps, *slate.areas))),)


def counts(expander: Expander, memo: RuleMemo) -> tuple[object, ...]:
    """The numbers the count directives give (`(((#GOALS)))`, ...), for the blocks that hold one: one kept object
    while they are the same."""
    nowhere = Location("")
    return memo.steady("render counts", tuple(expander.count(n, None, nowhere) for n in sorted(COUNT_DIRECTIVES)))


def same(memo: RuleMemo, name: str, values: tuple[object, ...]) -> tuple[object, ...]:
    """`values`, or the tuple of the same objects kept under `name`: so that a piece compares one object, not each."""
    return memo.steady(name, values, same_objects)


def goal_inputs(slate: Slate, items: tuple[Goal | Roadmap | Area, ...]) -> tuple[object, ...]:
    """The goals (roadmaps, areas) and their files (their definitions and footnotes), by identity."""
    return (*items, *(slate.documents.get(i.path or "") for i in items))


def last_labels(memo: RuleMemo | None) -> Labels | None:
    """The labels the last rebuild wrote its RFC with (`steady_labels`), or None; starts the rebuild's pieces."""
    if memo is None:
        return None
    memo.start()
    return memo.last("render labels", None)


def scans(memo: RuleMemo | None) -> dict[tuple[str | None, str], Scan] | None:
    """The settle step's scans of the last rebuild's pieces (render/settle.py), which it replaces with this one's."""
    if memo is None:
        return None
    return memo.last("render scans", {})


def steady_labels(labels: Labels, memo: RuleMemo | None) -> Labels:
    """`labels`, or the kept equal labels: every piece has them as an input, by identity."""
    if memo is None:
        return labels
    return memo.steady("render labels", labels)


def kept(
    refs: References,
    memo: RuleMemo | None,
    rule: str,
    path: str,
    inputs: tuple[object, ...],
    compute: Callable[[], T],
    still: Callable[[T], bool] | None = None,
) -> T:
    """`compute()` in place without a memo; with one, its kept value when `inputs` are the same (and `still` holds
    for it: what only computing it finds out, as `RuleMemo.get`), its uses merged into the pass's either way."""
    if memo is None:
        return compute()

    def alone() -> tuple[T, Uses | None]:
        outer = refs.uses
        refs.uses = Uses()
        try:
            value = compute()
            return value, refs.uses if _used(refs.uses) else None  # None: nothing to merge when it is given again
        finally:
            refs.uses = outer

    pass_ = "1" if refs.labels is None else "2"
    check: Callable[[tuple[T, Uses | None]], bool] | None = None
    if still is not None:
        check = partial(_still, still)
    value, uses = memo.get(f"{rule} (pass {pass_})", path, (refs.labels, *inputs), alone, check)
    if uses is not None:
        merge(refs, uses)
    return value


def _used(uses: Uses) -> bool:
    return bool(
        uses.people or uses.teams or uses.badges or uses.refs or uses.defs or uses.footnotes or uses.anchors
    ) or bool(uses.foot_labels or uses.found)


def _still(still: Callable[[T], bool], found: tuple[T, Uses | None]) -> bool:
    return still(found[0])


def merge(refs: References, uses: Uses) -> None:
    """Record `uses` (what a piece used) in the pass's uses, as if the piece had been rendered in place."""
    into = refs.uses
    for login, name in uses.people.items():
        into.people.setdefault(login, name)
    into.teams |= uses.teams
    for badge, url in uses.badges.items():
        into.badges.setdefault(badge, url)
    into.refs += uses.refs
    for where, definition in uses.defs.items():
        into.defs.setdefault(where, definition)
    for where, body in uses.footnotes.items():
        into.footnotes.setdefault(where, body)
    for where, label in uses.foot_labels.items():
        into.foot_labels.setdefault(where, label)
    for raw, (origin, line, token, near) in uses.anchors.items():
        refs.written(raw, origin, line, token, near)
    into.found += uses.found
