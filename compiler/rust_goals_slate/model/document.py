"""Parsed Markdown (block level), made by rust_goals_slate.parse.markdown: documents, blocks, tables, definitions."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import field
from functools import cached_property
from typing import Literal

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.records import record


@record
class Row:
    """One table row: cells are the trimmed raw inline source, padded to the header's width."""

    cells: tuple[str, ...]
    line: int
    extra_cells: int = 0


@record
class Table:
    """A GFM pipe table: its header cells, its rows and the line of its header."""

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    line: int
    glued: bool = False  # written right under a paragraph or list item, with no blank line (read as a table)


# What a top-level block is. A Literal type, not an Enum: mypy's strict equality rejects a misspelt kind all the same,
# and on Python 3.11 every Enum member access goes through EnumType.__getattr__ (2.4% of a build, measured).
BlockKind = Literal["heading", "paragraph", "table", "code", "html", "list", "quote", "rule", "blank"]


@record
class Block:
    """A top-level block with its exact source range (`start`/`end` are offsets into Document.text)."""

    kind: BlockKind
    start: int
    end: int
    line: int
    level: int = 0  # headings only
    title: str = ""  # headings: the inline source of the title, trimmed
    table: Table | None = None

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


@record
class LinkDef:
    """A link reference definition, `[label]: url "title"`, with its source range."""

    label: str  # as written
    url: str
    title: str | None
    line: int
    start: int
    end: int

    @property
    def key(self) -> str:
        return normalize_label(self.label)


@record
class FootnoteDef:
    """A footnote definition, `[^label]: text`, with its source range."""

    label: str
    text: str  # the raw body, continuation lines included
    line: int
    start: int
    end: int

    @property
    def key(self) -> str:
        return normalize_label(self.label)


@record
class Document:
    """A parsed Markdown file: its text, its top-level blocks and its definitions."""

    path: str  # relative to the input root, with '/' separators
    text: str
    blocks: tuple[Block, ...]
    link_defs: tuple[LinkDef, ...]
    footnote_defs: tuple[FootnoteDef, ...]
    # The offset of each line's first character, for line numbers: derived from `text`, so not compared. The parse
    # gives an `array` of 4-byte numbers (a file is at most 8 MB: sources/discover.py), 4 bytes a line against 36
    # for a tuple of ints (42 MB of the 200x synthetic slate's peak).
    line_starts: Sequence[int] = field(repr=False, compare=False, default=())
    # Lines written as link definitions but folded into the table, paragraph, list or quote right above them (no
    # blank line between): Markdown reads them as a table row or as text, so they define nothing.
    folded_defs: tuple[LinkDef, ...] = ()

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def source_line(self, line: int) -> str:
        if line < 1 or line > len(self.line_starts):
            return ""
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    def location(self, offset: int) -> Location:
        """The line and column (both from 1, the column in characters) of an offset into the text."""
        line = self.line_of(offset)
        start = self.line_starts[line - 1] if line >= 1 else 0
        return Location(self.path, line, offset - start + 1)

    def column_of(self, line: int, token: str, after: int = 0) -> int:
        """The column (from 1) of the first `token` on `line` at or after character `after`; 1 if it is not there."""
        found = self.source_line(line).find(token, after) if token else -1
        return found + 1 if found >= 0 else 1

    def diagnostic(
        self, at: int | Location, severity: Severity, code: str, message: str, hint: str | None = None
    ) -> Diagnostic:
        """A diagnostic about this document: at a line (column 1) or at a `Location` from `location(offset)` (the
        token's own column). The pipeline attaches the source line (`pipeline.build.located`)."""
        where = at if isinstance(at, Location) else Location(self.path, at, 1)
        return Diagnostic(where, severity, code, message, hint)

    def link_def(self, label: str) -> LinkDef | None:
        """The first definition of `label` (CommonMark: the first one wins)."""
        return self._link_index.get(normalize_label(label))

    def folded_def(self, label: str) -> LinkDef | None:
        """The first line that would define `label` but is folded into the block above it (see `folded_defs`)."""
        key = normalize_label(label)
        return next((d for d in self.folded_defs if d.key == key), None)

    def footnote_def(self, label: str) -> FootnoteDef | None:
        return self._footnote_index.get(normalize_label(label))

    # Lookups by normalised label, built on first use (a scan per lookup made the render quadratic per document).
    # cached_property writes the instance __dict__ directly, so it works on a frozen dataclass, and it is not a field.
    @cached_property
    def _link_index(self) -> dict[str, LinkDef]:
        index: dict[str, LinkDef] = {}
        for d in self.link_defs:
            index.setdefault(d.key, d)
        return index

    @cached_property
    def _footnote_index(self) -> dict[str, FootnoteDef]:
        index: dict[str, FootnoteDef] = {}
        for d in self.footnote_defs:
            index.setdefault(d.key, d)
        return index

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.endswith(".md") else name


def normalize_label(label: str) -> str:
    """CommonMark label matching: case-fold and collapse internal whitespace."""
    return " ".join(label.split()).casefold()


@record
class Fragment:
    """Markdown text lifted from a source file; `origin` lets links and definitions resolve where it was written."""

    text: str
    origin: str
    line: int
    col: int = 0  # the column (from 0) of its first character on `line` (a cell's, a value's), where the render looks
    # for a token of its first line (a lower bound: a cell's text may be shorter than its source, `\|` unescaped)

    def __bool__(self) -> bool:
        return bool(self.text.strip())
