"""Helpers shared by the validation rules (rust_goals_slate.validate.slate and its validate_* modules)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Block, Document, Slate

TEXT_BLOCKS = ("paragraph", "list", "quote", "table", "heading")


def diag(
    slate: Slate, loc: Location, severity: Severity, code: str, message: str, hint: str | None = None
) -> Diagnostic:
    """A diagnostic at `loc`, with the source line when the file is one of the slate's documents."""
    doc = slate.documents.get(loc.path)
    return Diagnostic(loc, severity, code, message, hint, doc.source_line(loc.line) if doc else None)


def closest(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(word, choices, 1, cutoff)
    return found[0] if found else None


def text_blocks(doc: Document) -> Iterator[tuple[Block, str]]:
    """The blocks that hold inline text (not code, HTML or blank lines), with their source."""
    for block in doc.blocks:
        if block.kind in TEXT_BLOCKS:
            yield block, doc.text[block.start : block.end]
