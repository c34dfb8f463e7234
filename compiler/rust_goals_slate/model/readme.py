"""The README skeleton as the parse stage reads it once: its rfcs-template header, the chapters its link lists
inline, and every directive written in it and in its chapters, each with its location and argument.

Validate checks these, render assembles the RFC from them and the PR body takes its summary and feature name from
them; none of them looks for a header field, a chapter list or a directive in the README's text again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from types import MappingProxyType

from rust_goals_slate.errors import Location
from rust_goals_slate.model.directives import Directive
from rust_goals_slate.model.document import Document
from rust_goals_slate.records import record


@record
class HeaderField:
    """A `- Key: value` line of the rfcs-template header, before the README's first heading."""

    value: str  # trimmed
    location: Location  # of the value (its first character; the line's end when it is empty)


@record
class ChapterLink:
    """An item of a chapter list: a link to a page of the period that the RFC inlines."""

    target: str  # the linked file, normalised, relative to the input root ('src/2026/goals.md')
    location: Location  # of the link


@record
class Readme:
    """The README (or the `--readme` skeleton, or the built-in one) and what the parse stage found in it."""

    document: Document
    header: Mapping[str, HeaderField] = field(default_factory=dict)  # by key, case-folded ('start date')
    body_start: int = 0  # index in `document.blocks` of the first heading: the header comes before it
    chapter_lists: Mapping[int, tuple[ChapterLink, ...]] = field(default_factory=dict)  # by index of the list block
    # every directive of the README and then of its chapters (in order), inside sentences and cells too
    directives: tuple[Directive, ...] = ()
    # the built-in skeleton's template (`…/rfc.md.j2`) when the period has no README.md: the file its problems name;
    # such a README has no header of its own (the options are the header) and no summary for the PR body
    template: str | None = None

    def __post_init__(self) -> None:
        for name in ("header", "chapter_lists"):  # frozen holds for what they map too (as model.slate.read_only)
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def chapters(self) -> tuple[str, ...]:
        """The chapters the chapter lists inline, in order, each once."""
        found: dict[str, None] = {}
        for links in self.chapter_lists.values():
            for link in links:
                found.setdefault(link.target, None)
        return tuple(found)

    @property
    def builtin(self) -> bool:
        """Written by the built-in skeleton's template, not by the period (see `template`)."""
        return self.template is not None

    def header_value(self, key: str) -> str:
        found = self.header.get(key)
        return found.value if found is not None else ""

    def standing(self, path: str, index: int) -> Directive | None:
        """The directive that is the whole block `index` of `path` (the README or a chapter), if one is."""
        return self._standing.get((path, index))

    @cached_property
    def _standing(self) -> dict[tuple[str, int], Directive]:
        return {(d.location.path, d.block): d for d in self.directives if d.alone}
