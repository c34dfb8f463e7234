"""What `slate watch` keeps of validate's per-file and per-goal rules between rebuilds.

A rule's result is kept with the inputs it was computed from, and given again only when the same inputs come back.
The inputs are spelt out where the rule is called (`RuleMemo.get(rule, path, inputs, compute)`): the file's
`Document` or the `Goal`, and every slate-wide value the rule reads (the team data, the configuration, which files
exist, ...); what only the computation finds out (the heading ids of the files a file's links point into) is
recorded with the result and checked again (`still`). Model objects are compared by identity:
`parse.slate.ParseMemo` gives an unchanged file's `Document` and `Goal` back as the very same (frozen) objects, and
a changed file new ones; other values (strings, numbers, frozensets, the configuration) by equality. So a kept
result is one the rule would compute again from the same inputs; a rule that starts reading something new must add
it to its inputs (tests/test_watch_incremental.py compares the watch with a fresh build after many kinds of edits).

A one-shot build (`slate build`, `slate check`) passes no memo: the rules are called directly, and the inputs are
never worked out.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import is_
from typing import TypeVar, cast

T = TypeVar("T")


def same_inputs(kept: tuple[object, ...], now: tuple[object, ...]) -> bool:
    """Each input the same object, or an equal value (`==` on a frozen model object compares its fields): what
    `==` on two tuples does, element by element in C (the same object is equal without calling `__eq__`)."""
    return kept == now


def same_objects(kept: tuple[object, ...], now: tuple[object, ...]) -> bool:
    """Each input the same object: for memos whose callers make every value-like input the kept object first
    (`RuleMemo.steady`), so that a changed goal is not compared field by field with the old one."""
    return len(kept) == len(now) and all(map(is_, kept, now))


class RuleMemo:
    """Results of rules by (rule, file), with their inputs; what one validation did not ask for is dropped after
    the next (`start`), so deleted files do not pile up."""

    def __init__(self, same: Callable[[tuple[object, ...], tuple[object, ...]], bool] = same_inputs) -> None:
        self._same = same
        # `_kept` holds the latest entry of every key (what the last validation asked for, updated by this one),
        # `_asked` what this one asked for: one lookup per question
        self._kept: dict[tuple[str, str], tuple[tuple[object, ...], object]] = {}
        self._asked: dict[tuple[str, str], tuple[tuple[object, ...], object]] = {}
        self.reused = 0  # results given again in the current validation
        self.computed: list[tuple[str, str]] = []  # (rule, file) computed in the current validation

    def start(self) -> None:
        """A new validation: what the last one asked for is what may be reused."""
        if self._asked:
            self._kept, self._asked = self._asked, {}
        self.reused, self.computed = 0, []

    def steady(self, name: str, value: T, same: Callable[[T, T], bool] | None = None) -> T:
        """`value`, or the equal value the last validation kept under `name`: a slate-wide input made anew on every
        rebuild (the configuration, the set of files) is then the same object, and compares by identity. `same`
        says what counts as equal, if not `==`."""
        key = ("", name)
        kept = self._kept.get(key)
        old = cast(T, kept[1]) if kept is not None else None
        if old is not None and (same(old, value) if same is not None else old == value):
            self._asked[key] = cast(tuple[tuple[object, ...], object], kept)
            return old  # equal to `value`
        self._asked[key] = self._kept[key] = ((), value)
        return value

    def last(self, name: str, default: T) -> T:
        """What the last validation kept under `name` (`steady`), whatever it is, else `default`, kept from now on:
        for a value the caller compares itself (the labels the last rebuild wrote with)."""
        key = ("", name)
        kept = self._kept.get(key)
        if kept is None:
            kept = self._kept[key] = ((), default)
        self._asked[key] = kept
        return cast(T, kept[1])

    def get(
        self,
        rule: str,
        path: str,
        inputs: tuple[object, ...],
        compute: Callable[[], T],
        still: Callable[[T], bool] | None = None,
    ) -> T:
        """`compute()`, or its kept result when `inputs` are the same as then; with `still`, only if `still(result)`
        holds as well: for inputs that only the computation itself finds out (the files whose headings a file's
        links name), which the result then records."""
        key = (rule, path)
        kept = self._kept.get(key)
        if kept is not None and self._same(kept[0], inputs) and (still is None or still(cast(T, kept[1]))):
            self._asked[key] = kept
            self.reused += 1
            return cast(T, kept[1])  # what this key's `compute` returned
        value = compute()
        self._asked[key] = self._kept[key] = (inputs, value)
        self.computed.append(key)
        return value
