"""Directives (spec 2.1): `(((NAME)))`, `(((NAME: argument)))`, and the old comment form `<!-- NAME -->`.

One grammar: the parse stage finds every directive of the README, its chapters and the other pages with it (the
README model, `rust_goals_slate.model.readme`); the render reads a paragraph or comment with it as it assembles.
The registry of names is `rust_goals_slate.model.directives`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rust_goals_slate.errors import Location
from rust_goals_slate.model.directives import (
    BLOCK_DIRECTIVES,
    COUNT_DIRECTIVES,
    INLINE_DIRECTIVES,
    REGISTRY,
    STATUS_LIST,
    WEBSITE_ONLY,
    Argument,
    Directive,
    Kind,
    Spec,
)

__all__ = [
    "BLOCK_DIRECTIVES", "COUNT_DIRECTIVES", "INLINE_DIRECTIVES", "REGISTRY", "STATUS_LIST", "WEBSITE_ONLY",
    "Argument", "Directive", "Kind", "Spec", "comment", "in_text", "paragraph",
]  # fmt: skip

NAME = r"[A-Z#][A-Z #]*?"
INLINE = re.compile(rf"\(\(\(({NAME})(?::([^)]*))?\)\)\)")  # inside a sentence: the argument holds no ')'
PARAGRAPH = re.compile(rf"^\(\(\(({NAME})(?::\s*(.*?))?\)\)\)$", re.S)  # a whole paragraph
COMMENT = re.compile(rf"^<!--\s*({NAME}|GOALS `[^`]+`)\s*-->$")


def paragraph(text: str, location: Location) -> Directive | None:
    """A paragraph that is one directive and nothing else (`text` trimmed)."""
    m = PARAGRAPH.match(text)
    if m is None:
        return None
    return Directive(m.group(1).strip(), _arg(m.group(2)), location, alone=True)


def comment(text: str, location: Location) -> Directive | None:
    """A one-line comment that is a directive or a status list (`<!-- GOALS -->`, ``<!-- GOALS `Proposed` -->``)."""
    if not (text.startswith("<!--") and text.endswith("-->")) or "\n" in text:
        return None
    inner = text[4:-3].strip()
    found = Directive(inner, None, location, comment=True, alone=True)
    return found if inner in REGISTRY or found.status is not None else None


def in_text(piece: str) -> Iterator[tuple[re.Match[str], str, str | None]]:
    """Every `(((NAME)))` or `(((NAME: argument)))` in a piece of prose: the match, the name and the argument."""
    for m in INLINE.finditer(piece):
        yield m, m.group(1).strip(), _arg(m.group(2))


def _arg(raw: str | None) -> str | None:
    return raw.strip() if raw is not None else None
