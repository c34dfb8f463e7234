"""The directives slate knows (spec 2.1) and a directive as written in a page; the grammar that finds them is
`rust_goals_slate.parse.directives`.

A block directive stands alone in its paragraph and produces blocks; a count or inline directive stands inside a
sentence and produces text; a website-only directive produces nothing in the RFC.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from types import MappingProxyType

from rust_goals_slate.errors import Location
from rust_goals_slate.model.repository_format import FUNDING_GROUPINGS
from rust_goals_slate.records import record

STATUS_LIST = re.compile(r"^GOALS `([^`]+)`$")  # 2024h2: <!-- GOALS `Proposed` -->, the goals of one status


class Kind(enum.Enum):
    BLOCK = "block"  # a paragraph of its own; produces tables or sections
    COUNT = "count"  # a number inside a sentence
    INLINE = "inline"  # other text inside a sentence
    WEBSITE = "website"  # the goals website expands it; the RFC drops it


class Argument(enum.Enum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


@record
class Spec:
    """A directive the renderer knows: its name, what it expands to, and the argument it takes."""

    name: str
    kind: Kind
    argument: Argument = Argument.NONE
    same_as: str | None = None  # a synonym: expands exactly as that directive


def _specs(kind: Kind, *names: str, argument: Argument = Argument.NONE) -> dict[str, Spec]:
    return {n: Spec(n, kind, argument) for n in names}


REGISTRY: Mapping[str, Spec] = MappingProxyType(
    {
        **_specs(Kind.BLOCK, "GOALS", "OTHER GOALS", "GOALS NOT ACCEPTED", "CHAMPIONS", "TEAM ASKS", "VALID TEAM ASKS"),
        **_specs(Kind.BLOCK, "LARGE GOALS", "MEDIUM GOALS", "SMALL GOALS", "APPLICATION AREAS", "FUNDING LEGEND"),
        **_specs(Kind.BLOCK, "FLAGSHIP GOALS", "ROADMAPS", "FUNDING TABLE", argument=Argument.OPTIONAL),
        **_specs(Kind.BLOCK, *FUNDING_GROUPINGS),  # the goals tool's spellings (repository_format)
        "ROADMAP GOALS": Spec("ROADMAP GOALS", Kind.BLOCK, Argument.OPTIONAL, same_as="FLAGSHIP GOALS"),
        **_specs(Kind.BLOCK, "HIGHLIGHT TABLE", "HIGHLIGHT GOALS", "GOALS WITH NEEDS", argument=Argument.REQUIRED),
        **_specs(Kind.BLOCK, "ROADMAP ROWS", argument=Argument.REQUIRED),  # only as the first cell of a table row
        **_specs(Kind.WEBSITE, "GOAL CHAPTERS", "ROADMAP CHAPTERS", "REPORTS", "TEAMS WITH ASKS", "TASK OWNERS"),
        **_specs(Kind.COUNT, "#GOALS", "#FLAGSHIP GOALS", "#LARGE GOALS", "#MEDIUM GOALS", "#SMALL GOALS"),
        **_specs(Kind.COUNT, "#ROADMAPS", "#APPLICATION AREAS"),
        "#ROADMAP GOALS": Spec("#ROADMAP GOALS", Kind.COUNT, same_as="#FLAGSHIP GOALS"),
        **_specs(Kind.INLINE, "HIGHLIGHT CREDITS", argument=Argument.REQUIRED),
    }
)
WEBSITE_ONLY = frozenset(n for n, s in REGISTRY.items() if s.kind is Kind.WEBSITE)
BLOCK_DIRECTIVES = frozenset(n for n, s in REGISTRY.items() if s.kind in (Kind.BLOCK, Kind.WEBSITE))
COUNT_DIRECTIVES = frozenset(n for n, s in REGISTRY.items() if s.kind is Kind.COUNT)
INLINE_DIRECTIVES = frozenset(n for n, s in REGISTRY.items() if s.kind in (Kind.COUNT, Kind.INLINE))


@record
class Directive:
    """A directive as written in a page: `(((NAME: arg)))` or `<!-- NAME -->`."""

    name: str  # as written, trimmed: 'GOALS WITH NEEDS', '#GOALS', or 'GOALS `Proposed`' (the 2024h2 form)
    arg: str | None  # trimmed; None without a colon
    location: Location  # of the opening `(((` or `<!--`
    comment: bool = False  # written as `<!-- NAME -->`
    alone: bool = False  # the whole paragraph (or comment block), not inside a sentence or a table cell
    block: int = -1  # the index of its block in its document's blocks (-1: not found in a document)

    @property
    def spec(self) -> Spec | None:
        return REGISTRY.get(self.name)

    @property
    def canonical(self) -> str | None:
        """The registry's name for it (a synonym's `same_as`), None when unknown."""
        spec = self.spec
        return (spec.same_as or spec.name) if spec is not None else None

    @property
    def status(self) -> str | None:
        """The status of the 2024h2 form ``<!-- GOALS `Proposed` -->``, else None."""
        m = STATUS_LIST.match(self.name)
        return m.group(1) if m else None

    @property
    def is_block(self) -> bool:
        return self.name in BLOCK_DIRECTIVES or self.status is not None
