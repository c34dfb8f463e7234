"""mistune's block parse, with the place where every top-level token starts (for `parse.markdown`).

This is the only module that imports mistune, and `parse.markdown.parse_document` imports it on its first call: a
build whose files all come from the parse memo (parse/memo.py) does not load mistune at all. The methods below
override mistune's block parser where it is not a documented extension point; mistune is pinned exactly for them
(docs/decisions.md, "mistune's private methods"; tests/test_mistune_pin.py).
"""

from __future__ import annotations

import re
from typing import Any, cast

import mistune
from mistune import block_parser, list_parser
from mistune.block_parser import BlockParser
from mistune.core import BlockState

from rust_goals_slate.parse.markdown import TABLE_PATTERN, table_at


def block_tokens(text: str) -> list[dict[str, Any]]:
    """mistune's top-level block tokens of `text`, each with `_start` (and definitions with `_end`)."""
    state = _PositionState()
    state.process(text if text.endswith("\n") else text + "\n")
    if "]:" in state.src:  # a link definition may follow: give mistune the blank lines it looks its end up in
        state.env[_BLANK_LINE_STARTS] = (state.src, blank_line_starts(state.src))
    _MD.block.parse(state)
    return [t for t in state.tokens if "_start" in t]


# mistune's definition rule asks where the next blank line is (`block_parser._find_next_blank_line`), and lists the
# start of every run of blank lines of the text the first time, with `BLANK_LINE.finditer`: `(^[ \t\v\f]*\n)+`, a
# pattern that `re` can only try at every position of the text (164 M instructions for the 80 files of the 2026
# slate). The same starts, found from the newline before each run (a pattern `re` looks for by its first
# character), go into the cache mistune keeps for that list in the state, under its own key.
_BLANK_LINE_STARTS = "__blank_line_starts__"
_LEADING_BLANK_RUN = re.compile(r"(?:[ \t\v\f]*\n)+")
_BLANK_RUN_AFTER_NEWLINE = re.compile(r"\n(?:[ \t\v\f]*\n)+")


def blank_line_starts(src: str) -> list[int]:
    """`[m.start() for m in BlockParser.BLANK_LINE.finditer(src)]`: where each run of blank lines starts."""
    leading = _LEADING_BLANK_RUN.match(src)
    starts = [0] if leading else []
    starts += [m.start() + 1 for m in _BLANK_RUN_AFTER_NEWLINE.finditer(src, leading.end() if leading else 0)]
    return starts


def _parse_gfm_table(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    table = table_at(state.src, m, state.cursor_max)
    if table is None:
        return None
    attrs, pos = table
    state.append_token({"type": "gfm_table", "attrs": attrs})
    return pos


class _PositionState(BlockState):
    """Records where each top-level paragraph starts (other blocks are stamped by the parser)."""

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        if last and last["type"] == "paragraph":
            last["text"] += text
        else:
            self.tokens.append({"type": "paragraph", "text": text, "_start": self.cursor})


class _PositionParser(BlockParser):
    state_cls = _PositionState

    def __init__(self) -> None:
        super().__init__()
        # (bullet, indent) -> mistune's two list-item patterns: at most 5 bullets x 14 indents
        self.list_patterns: dict[tuple[str, int], tuple[re.Pattern[str], re.Pattern[str]]] = {}

    def parse(self, state: BlockState, rules: list[str] | None = None) -> None:
        # A Document keeps top-level blocks only. mistune finds where a list item or a block quote ends before it
        # parses the item's inside (a child state), and nothing at the top level depends on that inner parse: skip
        # it, and with it most of the parsing time of documents full of lists.
        if state.parent is not None:
            return
        # mistune's block loop (`BlockParser.parse`, the same statements), but for one: where no rule matches at
        # the cursor and the line is not plain paragraph text, mistune searches the rest of the text for the next
        # block start with its whole scanner, which `re` tries at every position; every rule is anchored at a line
        # start (`^`, tests/test_mistune_pin.py), so trying the scanner at each following line start finds the same.
        if rules is None:
            rules = self.rules
        sc = self.compile_sc(rules)
        blank_first = "blank_line" in rules and _NOT_AT_AN_EMPTY_LINE.issuperset(rules[: rules.index("blank_line")])
        indent_code = "indent_code" in rules
        plain_text = _NOT_AT_A_PLAIN_LINE.union(["gfm_table"]).issuperset(rules)
        src = state.src
        while state.cursor < state.cursor_max:
            if blank_first and state.src[state.cursor] == "\n":
                # Half the top-level blocks of a slate are runs of blank lines. At an empty line no rule before
                # blank_line can match, so the scanner would find blank_line: its own pattern finds the same end.
                m = self.BLANK_LINE.match(state.src, state.cursor)
                assert m is not None  # the pattern matches every empty line
                count = len(state.tokens)
                state.cursor = self.parse_blank_line(m, state)
                for token in state.tokens[count:]:
                    token.setdefault("_start", m.start())
                continue
            if plain_text and block_parser._is_plain_paragraph_start(src, state.cursor):
                # A line starting with a letter: only the table rule can match there, and only on a line with a
                # `|`; without one the scanner would find nothing, and mistune's paragraph rule takes the line.
                line_end = src.find("\n", state.cursor)
                if src.find("|", state.cursor, line_end if line_end >= 0 else len(src)) < 0:
                    self._parse_plain_paragraph(state, sc)
                    continue
            if indent_code:
                end_pos = self._parse_indent_code_fast(state)
                if end_pos is not None:
                    state.cursor = end_pos
                    continue
            m = sc.match(state.src, state.cursor)
            if not m and self._parse_plain_paragraph(state, sc):
                continue
            if not m:
                m = _next_line_match(sc, state.src, state.cursor)
            if not m:
                break
            end_pos = m.start()
            if end_pos > state.cursor:
                text = state.get_text(end_pos)
                state.add_paragraph(text)
                state.cursor = end_pos
            end_pos2 = self.parse_method(m, state)
            if end_pos2:
                state.cursor = end_pos2
            else:
                end_pos3 = state.find_line_end()
                text = state.get_text(end_pos3)
                state.add_paragraph(text)
                state.cursor = end_pos3
        if state.cursor < state.cursor_max:
            text = state.src[state.cursor :]
            state.add_paragraph(text)
            state.cursor = state.cursor_max

    def _parse_indent_code_fast(self, state: BlockState) -> int | None:
        # mistune asks at every block start whether the line is indented code; a line that starts with neither a
        # space nor a tab never is, and that settles almost every call without cutting the line out first.
        if state.src[state.cursor] not in " \t":
            return None
        return super()._parse_indent_code_fast(state)

    def parse_method(self, m: re.Match[str], state: BlockState) -> int | None:
        if state.parent is not None:
            return super().parse_method(m, state)
        # Some rules move the cursor before appending their token, and the list rule parses the block that ends
        # the list itself: a block starts where its own rule matched, and the innermost call stamps it first.
        start = m.start()
        count = len(state.tokens)
        definition = m.lastgroup in ("ref_link", "ref_footnote")
        last = state.last_token() if definition else None  # did the definition rule add to the paragraph above?
        before = len(last["text"]) if last and last["type"] == "paragraph" else -1
        end = super().parse_method(m, state)
        for token in state.tokens[count:]:
            token.setdefault("_start", start)
        if definition:
            after = len(last["text"]) if last and last["type"] == "paragraph" else -1
            if end and before == after and len(state.tokens) == count:
                # A definition, not a paragraph continuation: a pseudo-token, so it bounds its neighbours.
                state.tokens.append({"type": "_" + str(m.lastgroup), "_start": start, "_end": end})
        return end


# Rules whose pattern needs a character other than a newline at the line start (tests/test_mistune_pin.py).
_NOT_AT_AN_EMPTY_LINE = frozenset(
    {
        "fenced_code",
        "indent_code",
        "atx_heading",
        "setex_heading",
        "thematic_break",
        "block_quote",
        "list",
        "ref_footnote",
        "ref_link",
        "raw_html",
    }
)

# Rules whose pattern needs a blank, a digit or a punctuation character at the line start (the table rule needs a `|`
# in the line); mistune's paragraph rule takes a line that starts with anything else (tests/test_mistune_pin.py).
_NOT_AT_A_PLAIN_LINE = _NOT_AT_AN_EMPTY_LINE | {"blank_line"}


def _next_line_match(sc: re.Pattern[str], src: str, pos: int) -> re.Match[str] | None:
    """`sc.search(src, pos)` for a scanner whose every alternative starts at a line start, when it does not match
    at `pos`: its match at the first following line start where it matches."""
    while True:
        pos = src.find("\n", pos) + 1
        if pos == 0:
            return None
        m = sc.match(src, pos)
        if m:
            return m


def _parse_list(block: _PositionParser, m: re.Match[str], state: BlockState) -> int:
    """mistune's list rule (`list_parser.parse_list`, the same statements), with `_list_item` for each item.

    Registered with `BlockParser.register`, mistune's way of giving a rule its function."""
    item = list_parser._create_list_marker(m, "list")
    if not item.text.strip():
        # an empty list item cannot interrupt a paragraph
        end_pos = state.append_paragraph()
        if end_pos:
            return end_pos
    depth = state.depth()
    token: dict[str, Any] = {
        "type": "list",
        "children": [],
        "tight": True,
        "bullet": item.bullet,
        "attrs": {"depth": depth, "ordered": item.ordered},
    }
    if item.ordered:
        start = int(item.marker[:-1])
        if start != 1:
            # only lists starting with 1 may interrupt paragraphs
            end_pos = state.append_paragraph()
            if end_pos:
                return end_pos
            token["attrs"]["start"] = start
    state.cursor = m.end() + 1
    next_item: Any = item
    bullet = list_parser._get_list_bullet(item.bullet)
    while next_item:
        next_item = _list_item(block, bullet, next_item, token, state)
    end_pos = token.pop("_end_pos", None)
    list_parser._transform_tight_list(token)
    if end_pos:
        state.tokens.insert(token.pop("_tok_index"), token)
        return int(end_pos)
    state.append_token(token)
    return state.cursor


def _list_item(block: _PositionParser, bullet: str, item: Any, token: dict[str, Any], state: BlockState) -> Any:
    """mistune's `list_parser._parse_list_item` for a top-level list: where the item ends, and the next item.

    mistune compiles two patterns per item (what starts the next item, what ends this one) from the bullet and the
    item's indent: they are kept here by both, so each is built once. And mistune then builds the item's text and
    parses it in a child state, which `_PositionParser.parse` skips at once: here the item's text is not built.
    Its children stay empty either way, so the list is as tight as mistune says and `_transform_tight_list` finds
    nothing to change (tests/test_mistune_pin.py compares every Markdown file of the corpora with and without)."""
    text, continue_width = list_parser._compile_continue_width(item.text, item.leading_width)
    patterns = block.list_patterns.get((bullet, item.leading_width))
    if patterns is None:
        # mistune's break scanner of an item narrower than 3 columns is its 3-column one with the first ` {0,3}`
        # of each rule made ` {0,width}` (`_compile_list_break_sc`): one scanner of ~0.7 ms compiled per width.
        # Every rule of it needs a non-blank right after that indent, so the narrow scanner matches where the
        # 3-column one does on a line indented by at most `width` spaces (tests/test_mistune_pin.py).
        break_sc = list_parser._compile_list_break_sc(block, 3)
        patterns = (
            re.compile(list_parser._compile_list_item_pattern(bullet, item.leading_width)),
            cast(re.Pattern[str], _IndentBound(break_sc, item.leading_width)) if item.leading_width < 3 else break_sc,
        )
        block.list_patterns[(bullet, item.leading_width)] = patterns
    lines = list_parser._collect_list_item_lines(block, *patterns, state, text, continue_width)
    if lines.loose:
        token["tight"] = False
    if lines.end_pos is not None:
        token["_tok_index"] = lines.token_index
        token["_end_pos"] = lines.end_pos
    token["children"].append({"type": "list_item", "children": []})
    return lines.next_item


class _IndentBound:
    """The list-break scanner for an item `width` (< 3) columns wide: the 3-column one, on lines indented by at most
    `width` spaces. mistune calls only its `match`."""

    def __init__(self, sc: re.Pattern[str], width: int) -> None:
        self.sc = sc
        self.too_deep = " " * (width + 1)

    def match(self, src: str, pos: int) -> re.Match[str] | None:
        m = self.sc.match(src, pos)
        return None if m is None or src.startswith(self.too_deep, pos) else m


def _make_parser() -> mistune.Markdown:
    block = _PositionParser()
    from mistune.plugins import import_plugin

    plugins = [import_plugin("footnotes"), import_plugin("strikethrough")]
    md = mistune.Markdown(renderer=None, block=block, plugins=plugins)
    block.register("gfm_table", TABLE_PATTERN, _parse_gfm_table, before="paragraph")
    block.register("list", None, _parse_list)  # the same pattern, our rule function (below)
    return md


_MD = _make_parser()
