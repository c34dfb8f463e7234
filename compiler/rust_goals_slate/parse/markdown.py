"""Block-level Markdown parsing with source positions, on top of mistune.

mistune supplies CommonMark block structure (code fences, HTML blocks, lists, headings, link reference
definitions) but no source positions, and its table plugin is stricter than GFM (a short row turns the whole table
into a paragraph). So slate adds two things: a block state that records where every top-level token starts, and a
GFM pipe-table rule that pads short rows, counts extra cells and honours `\\|`. The mistune side is
`parse/block_tokens.py`, imported on the first parse; the table scanning is here, since glued tables need it too.
The result is a `Document`: blocks with exact source ranges, plus the definitions with theirs. Inline structure is
handled by `rust_goals_slate.parse.inline`, on the raw text of a block.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from typing import Any

from rust_goals_slate.model import Block, BlockKind, Document, FootnoteDef, LinkDef, Row, Table
from rust_goals_slate.parse.metadata import UNESCAPED_PIPE, norm_key
from rust_goals_slate.records import record

_DELIM_CELL = re.compile(r"^\s*:?-+:?\s*$")
# A header line holding a pipe, followed by a delimiter row; GFM allows the outer pipes to be left out.
# Each part can match in one way only, so a line of 200 KB of `|` (or of blanks after a delimiter row) is matched
# in linear time: the head's first pipe is the first one (`[^\n|]*`), and the blanks after the delimiter row's
# last pipe are the group's (split_row strips them), not shared with a `[ \t]*` after it.
TABLE_PATTERN = (
    r"^ {0,3}(?P<gfm_table_head>[^\n|]*\|[^\n]*)\n"
    r" {0,3}(?P<gfm_table_delim>\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?)(?:\n|$)"
)
_BLOCK_START = re.compile(r" {0,3}(?:#{1,6}(?:[ \t]|$)|>|```|~~~|<|(?:[-*_][ \t]*){3,}$)")


def split_row(line: str) -> list[str]:
    """Split one pipe-table line into trimmed raw cells; `\\|` stays inside its cell as a literal pipe."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    if "\\|" not in text:
        return [cell.strip() for cell in text.split("|")]
    # A pipe right after a backslash is a literal pipe (the backslash goes); every other pipe ends a cell.
    return [cell.replace("\\|", "|").strip() for cell in UNESCAPED_PIPE.split(text)]


def table_at(src: str, m: re.Match[str], limit: int) -> tuple[dict[str, Any], int] | None:
    """The table whose header and delimiter rows `m` matched (`TABLE_PATTERN`), and where it ends."""
    header = split_row(m.group("gfm_table_head"))
    delims = split_row(m.group("gfm_table_delim"))
    if len(header) != len(delims) or not all(_DELIM_CELL.match(d) for d in delims):
        return None
    pos = m.end()
    rows: list[tuple[list[str], int]] = []
    while pos < limit:
        end = src.find("\n", pos, limit)
        end = limit if end < 0 else end + 1
        line = src[pos:end]
        # a row written with its outer pipe (most are) is neither blank nor a block start
        if line[0] != "|" and (not line.strip() or _BLOCK_START.match(line.rstrip("\n"))):
            break
        rows.append((split_row(line), pos))
        pos = end
    return {"header": header, "rows": rows, "start": m.start()}, pos


_GLUED_HEAD = re.compile(r"^ {0,3}\|", re.M)
_TABLE_AT = re.compile(TABLE_PATTERN, re.M)
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.M)


def _split_glued_tables(text: str, tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A paragraph or list whose text goes on, without a blank line, into `| … |` over a delimiter row.

    CommonMark reads such lines as more text of the paragraph (or list item) above, so the table is lost; the author
    meant a table (as GitHub shows it). The block is cut where the table starts, the table becomes a block of its
    own, marked glued (reported by validate), and any text after it a paragraph.
    """
    out: list[dict[str, Any]] = []
    for i, tok in enumerate(tokens):
        if tok["type"] == "gfm_table" and i > 0 and tokens[i - 1]["type"] == "paragraph":
            # mistune lets a table interrupt a top-level paragraph itself; it is glued all the same
            out.append({**tok, "attrs": {**tok["attrs"], "glued": True}})
            continue
        if tok["type"] not in ("paragraph", "list"):
            out.append(tok)
            continue
        start = int(tok["_start"])
        end = int(tok.get("_end") or (tokens[i + 1]["_start"] if i + 1 < len(tokens) else len(text)))
        pieces = _glued_pieces(text, start, min(end, len(text))) if text.find("|", start, end) >= 0 else []
        if not pieces:
            out.append(tok)
            continue
        out.append({**tok, "_end": pieces[0][0]["start"]})
        for n, (attrs, table_end) in enumerate(pieces):
            out.append(
                {"type": "gfm_table", "attrs": {**attrs, "glued": True}, "_start": attrs["start"], "_end": table_end}
            )
            rest_end = pieces[n + 1][0]["start"] if n + 1 < len(pieces) else end
            if text[table_end:rest_end].strip():
                out.append({"type": "paragraph", "text": "", "_start": table_end, "_end": rest_end})
    return out


def _glued_pieces(text: str, start: int, end: int) -> list[tuple[dict[str, Any], int]]:
    found: list[tuple[dict[str, Any], int]] = []
    in_fence = False
    pos = start
    for m in _GLUED_HEAD.finditer(text, start, end):
        in_fence ^= len(_FENCE.findall(text, pos, m.start())) % 2 == 1
        pos = m.start()
        if in_fence or m.start() == start or (found and m.start() < found[-1][1]):
            continue
        line_before = text.rfind("\n", start, m.start() - 1)
        previous = text[line_before + 1 if line_before >= 0 else start : m.start()]
        if not previous.strip() or previous.lstrip().startswith("|"):
            continue  # after a blank line it is a table already; after a `|` line it is a row of the one above
        t = _TABLE_AT.match(text, m.start(), end)
        table = table_at(text, t, end) if t else None
        if table is not None:
            found.append(table)
    return found


_KIND: dict[str, BlockKind] = {
    "heading": "heading",
    "paragraph": "paragraph",
    "gfm_table": "table",
    "block_code": "code",
    "block_html": "html",
    "list": "list",
    "block_quote": "quote",
    "thematic_break": "rule",
    "blank_line": "blank",
}

_LINKDEF = re.compile(
    r"^ {0,3}\[(?P<label>(?:[^\[\]\\]|\\.)+)\]:[ \t]*\n?[ \t]*(?P<url><[^>\n]*>|\S+)"
    r"(?:[ \t]*\n?[ \t]*(?P<title>\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$",
    re.S,
)
_FOOTDEF = re.compile(r"^ {0,3}\[\^(?P<label>[^\]]+)\]:[ \t]?(?P<body>.*)$", re.S)


@record(frozen=False)
class _Builder:
    """Turns source offsets into line numbers while the blocks of one document are built."""

    path: str
    text: str
    line_starts: list[int]

    def line(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)


def line_starts_of(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    if starts[-1] == len(text) and len(starts) > 1:
        starts.pop()
    return starts


def parse_document(path: str, text: str) -> Document:
    """Parse `text` (already decoded, `\\n` line endings) into a Document with top-level blocks."""
    # mistune is imported on the first parse: a build whose files all come from the parse memo never needs it
    from rust_goals_slate.parse.block_tokens import block_tokens

    line_starts = line_starts_of(text)
    b = _Builder(path, text, line_starts)
    tokens = _split_glued_tables(text, block_tokens(text))
    blocks: list[Block] = []
    link_defs: list[LinkDef] = []
    foot_defs: list[FootnoteDef] = []
    size = len(text)
    last = len(tokens) - 1
    # Once per top-level block (4,388 in the 2026 slate): offsets are ints already, and a block's text is cut out
    # only for the kinds that read it.
    for i, tok in enumerate(tokens):
        start: int = tok["_start"]
        end: int = tok.get("_end") or (tokens[i + 1]["_start"] if i < last else size)
        if end > size:
            end = size
        kind = _KIND.get(tok["type"], "html")  # every rule of _make_parser is in _KIND; anything else is kept verbatim
        line = bisect_right(line_starts, start)
        if kind == "blank" or kind == "paragraph":
            blocks.append(Block(kind, start, end, line))
            continue
        raw = text[start:end]
        if tok["type"] == "_ref_link":
            m = _LINKDEF.match(raw.rstrip("\n"))
            if m:
                url = m.group("url")
                if url.startswith("<") and url.endswith(">"):
                    url = url[1:-1]
                title = m.group("title")
                link_defs.append(LinkDef(m.group("label"), url, title[1:-1] if title else None, line, start, end))
            continue
        if tok["type"] == "_ref_footnote":
            m2 = _FOOTDEF.match(raw.rstrip("\n"))
            if m2:
                foot_defs.append(FootnoteDef(m2.group("label"), m2.group("body").rstrip(), line, start, end))
            continue
        if kind == "heading":
            attrs = tok.get("attrs", {})
            blocks.append(
                Block("heading", start, end, line, level=int(attrs.get("level", 1)), title=_heading_title(raw))
            )
        elif kind == "table":
            attrs = tok["attrs"]
            header = tuple(attrs["header"])
            rows = []
            for cells, offset in attrs["rows"]:
                extra = max(0, len(cells) - len(header))
                padded = (cells + [""] * len(header))[: len(header)]
                rows.append(Row(tuple(padded), bisect_right(line_starts, offset), extra))
            table = Table(header, tuple(rows), line, glued=bool(attrs.get("glued")))
            blocks.append(Block("table", start, end, line, table=table))
        else:
            blocks.append(Block(kind, start, end, line))
    folded = tuple(d for block in blocks if block.kind in _FOLDING for d in _folded_defs(text, block, b))
    return Document(path, text, tuple(blocks), tuple(link_defs), tuple(foot_defs), array("I", b.line_starts), folded)


# A definition cannot interrupt a paragraph, and a table takes every following line as a row: a definition line
# written right under one of these blocks is folded into it (a CommonMark lazy continuation line).
_FOLDING = ("paragraph", "table", "list", "quote")
_FOLDED_DEF = re.compile(
    r"^ {0,3}\[(?P<label>[^\[\]\\^\n](?:[^\[\]\\\n]|\\.)*)\]:[ \t]*(?P<url><[^>\n]*>|[^\s<]\S*)(?:[ \t][^\n]*)?$", re.M
)


def _folded_defs(text: str, block: Block, b: _Builder) -> list[LinkDef]:
    if text.find("]:", block.start, block.end) < 0:
        return []
    raw = text[block.start : block.end]
    first_end = raw.find("\n")
    found = []
    for m in _FOLDED_DEF.finditer(raw, first_end + 1 if first_end >= 0 else len(raw)):
        previous = raw[raw.rfind("\n", 0, m.start() - 1) + 1 : m.start() - 1]  # the line above
        if not previous.strip() or previous.lstrip().startswith(("```", "~~~")):
            continue  # after a blank line it is a definition of its own (inside a list item or quote)
        url = m.group("url")
        url = url[1:-1] if url.startswith("<") else url
        start = block.start + m.start()
        found.append(LinkDef(m.group("label"), url, None, b.line(start), start, block.start + m.end()))
    return found


_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


def _heading_title(raw: str) -> str:
    first = raw.split("\n", 1)[0]
    m = _ATX.match(first)
    if m:
        title = first[m.end() :]
        return (_ATX_CLOSE.sub("", title) if "#" in title else title).strip()  # a closing sequence has a `#`
    # Setext: the title is every line before the underline.
    lines = [ln for ln in raw.rstrip("\n").split("\n") if ln.strip()]
    return " ".join(ln.strip() for ln in lines[:-1]).strip()


@record
class Section:
    """A heading and the blocks up to the next heading of the same or a shallower level."""

    heading: int  # index into Document.blocks
    level: int
    title: str
    body_start: int  # first block after the heading
    body_end: int  # end of the whole section (exclusive)
    own_end: int  # end of the section's own text: its first subheading
    key: str  # the title as sections are looked up (`norm_key`), computed once

    def blocks(self, doc: Document) -> tuple[Block, ...]:
        return doc.blocks[self.body_start : self.body_end]

    def own_blocks(self, doc: Document) -> tuple[Block, ...]:
        return doc.blocks[self.body_start : self.own_end]


def sections(doc: Document) -> list[Section]:
    heads = [(i, b) for i, b in enumerate(doc.blocks) if b.is_heading]
    result = []
    for n, (i, b) in enumerate(heads):
        end = len(doc.blocks)
        own_end = heads[n + 1][0] if n + 1 < len(heads) else end
        for j, c in heads[n + 1 :]:
            if c.level <= b.level:
                end = j
                break
        result.append(Section(i, b.level, b.title, i + 1, end, min(own_end, end), norm_key(b.title)))
    return result
