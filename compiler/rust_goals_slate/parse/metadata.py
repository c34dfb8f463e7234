"""The metadata table of goal, roadmap and area files: keys, their spellings, and value helpers."""

from __future__ import annotations

import difflib
import re

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Block, Document, Fragment, Handle, MetadataRow
from rust_goals_slate.model.repository_format import METADATA_KEYS
from rust_goals_slate.parse import inline
from rust_goals_slate.parse.inline import handles_in

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")  # a pipe that ends a table cell (`\\|` is a literal one)


def norm_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# canonical key -> accepted spellings (compared case-folded, whitespace collapsed); the table is data in
# model.repository_format, with the date each spelling appeared
KEYS: dict[str, tuple[str, ...]] = {k.name: tuple(norm_key(f.text) for f in k.spellings) for k in METADATA_KEYS}
_SPELLING = {spelling: key for key, spellings in KEYS.items() for spelling in spellings}
_DISPLAY = {norm_key(f.text): f.text for k in METADATA_KEYS for f in k.spellings}  # as the repository writes it
_CHAMPION = re.compile(r"^\[([^\]]+)\](?:\[\])?\s+champion$", re.I)
_BARE_TEAM = re.compile(r"^\[([^\]]+)\](?:\[\])?$")
_LINK_TEXT = re.compile(r"\[(.*)\](?:\(.*\)|\[.*\])?", re.S)
HELP_WANTED = re.compile(r"!\[help wanted\](?:\[\])?", re.I)


def strip_comments(text: str) -> str:
    return inline.strip_comments(text).strip()


def first_table(doc: Document, start: int, end: int) -> Block | None:
    for block in doc.blocks[start:end]:
        if block.kind == "blank":
            continue
        return block if block.kind == "table" else None
    return None


def is_metadata(block: Block | None) -> bool:
    return block is not None and block.table is not None and norm_key(block.table.header[0]) == "metadata"


def read_metadata(
    doc: Document,
    block: Block,
    allowed: set[str],
) -> tuple[list[MetadataRow], list[MetadataRow], list[Diagnostic]]:
    """(the rows with an allowed key, every row with a key slate knows, the problems): unknown keys are reported,
    their rows ignored (validate reports extra cells). A known key not allowed here is still in the second list:
    the validate stage reads it."""
    assert block.table is not None
    entries: list[MetadataRow] = []
    known: list[MetadataRow] = []
    problems: list[Diagnostic] = []
    for row in block.table.rows:
        key_text, value = row.cells[0], strip_comments(row.cells[1] if len(row.cells) > 1 else "")
        loc = Location(doc.path, row.line, 1)
        if set(key_text) <= set("-: ") and set(value) <= set("-: "):
            continue  # a repeated delimiter row (2025h1)
        if any(d.line == row.line for d in doc.folded_defs):
            continue  # a link definition folded into the table: validate reports it (`folded-definition`)
        written = " ".join(strip_comments(key_text).split())
        key = written.casefold()
        if m := _CHAMPION.match(key):
            team = m.group(1).strip().casefold()
            entries.append(MetadataRow("champion", value, loc, team=team, written=written))
            known.append(entries[-1])
            continue
        if m := _BARE_TEAM.match(key):
            team = m.group(1).strip()
            problems.append(
                doc.diagnostic(
                    row.line,
                    Severity.WARNING,
                    "champion-row-without-champion",
                    f"metadata key '{key_text}' names a team but not a role; the row is ignored",
                    hint=f"did you mean `[{team}] champion`?",
                )
            )
            continue
        canonical = _SPELLING.get(key)
        found = MetadataRow(canonical, value, loc, written=written) if canonical is not None else None
        if found is not None:
            known.append(found)  # kept even where not allowed here: validate reads it
        if found is None or found.key not in allowed:
            hint = None
            if key == "help wanted":
                hint = "use `Needs | Contributor`"
            else:
                close = difflib.get_close_matches(key, [s for s, k in _SPELLING.items() if k in allowed], 1, 0.75)
                if close:
                    hint = f"did you mean '{_DISPLAY[close[0]]}'?"
            problems.append(
                doc.diagnostic(
                    row.line,
                    Severity.WARNING,
                    "unknown-metadata-key",
                    f"unknown metadata key '{key_text}'; the row is ignored",
                    hint=hint,
                )
            )
            continue
        entries.append(found)
    return entries, known, problems


def handles(value: str, location: Location, doc: Document | None = None) -> tuple[Handle, ...]:
    """The `@handles` of a cell; with the document, each at the column where it is written on its line."""
    found = []
    after = 0
    for login in handles_in(value):
        where = location
        if doc is not None:
            col = doc.column_of(location.line, "@" + login, after)
            where, after = Location(location.path, location.line, col), col
        found.append(Handle(login, where))
    return tuple(found)


def link_text(value: str) -> str:
    """A theme written as a link is reduced to its text: `[Beyond the &](./roadmap-x.md)` -> `Beyond the &`."""
    m = _LINK_TEXT.fullmatch(value.strip())
    return m.group(1).strip() if m else value.strip()


def title_and_metadata(doc: Document) -> tuple[int, Block | None]:
    # The metadata table is the first table after the title, before any other heading; comments and a subtitle
    # line may stand between them (2025h1 improve-rustc-codegen.md, 2024h2 optimize-clippy.md).
    for i, block in enumerate(doc.blocks):
        if block.is_heading:
            for later in doc.blocks[i + 1 :]:
                if later.is_heading:
                    break
                if later.table is not None:
                    return i, later if is_metadata(later) else None
            return i, None
    return -1, None


def cell_column(line: str, index: int) -> int:
    """The column (from 0) of the first character of cell `index` of a pipe-table line, split as `split_row` splits
    it; the line's end if the row has fewer cells. Lifted cells (`Fragment.col`) start there."""
    at = len(line) - len(line.lstrip())
    if line.startswith("|", at):
        at += 1
    for _ in range(index):
        m = UNESCAPED_PIPE.search(line, at)
        if m is None:
            return len(line.rstrip("\n"))
        at = m.end()
    while at < len(line) and line[at] in " \t":
        at += 1
    return at


def value_fragment(doc: Document, entry: MetadataRow) -> Fragment:
    """A metadata row's value as lifted text, at the column of its cell."""
    return Fragment(entry.value, doc.path, entry.location.line, cell_column(doc.source_line(entry.location.line), 1))
