"""slate extends mistune through methods that are not its public interface (docs/decisions.md, "mistune's private
methods"): `BlockParser.parse` is cut short for child states and looks for the next block start at line starts only,
`_parse_indent_code_fast` answers the common case itself, the list rule is a copy whose items reuse their two
patterns and do not build the text of an inner parse that is skipped anyway, and the definition rule is handed the
blank lines it would list. So mistune's version is pinned exactly in pyproject.toml, and these tests fail when an
upgrade changes the code the overrides stand on, or when the overrides stop giving what mistune alone gives.

The fingerprints are of mistune's own source (what we read when we wrote the overrides), not of anything slate
produces: after an upgrade, read the changed methods again, run test_the_overrides_change_no_document on the
corpora, and only then record the new fingerprints and the new pin.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mistune
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mistune import block_parser, list_parser
from mistune.block_parser import BlockParser
from mistune.core import BlockState

from rust_goals_slate.parse import block_tokens
from rust_goals_slate.parse.markdown import parse_document
from tests.support import corpus

ROOT = Path(__file__).resolve().parent.parent

# What the overrides replace or rely on: the block loop and the indented-code probe they override, the rule
# dispatch they wrap, the state they subclass, and the list and block-quote rules whose inner parses they skip
# (each finds where its block ends before it parses the inside in a child state).
RELIED_ON: dict[str, Callable[..., Any] | type] = {
    "BlockParser.parse": BlockParser.parse,
    "BlockParser._parse_indent_code_fast": BlockParser._parse_indent_code_fast,
    "BlockParser.parse_method": BlockParser.parse_method,
    "BlockParser.parse_block_quote": BlockParser.parse_block_quote,
    "BlockParser.extract_block_quote": BlockParser.extract_block_quote,
    "BlockState": BlockState,
    "list_parser.parse_list": list_parser.parse_list,
    "list_parser._parse_list_item": list_parser._parse_list_item,
    # the list rule is replaced by a copy whose items reuse their patterns and skip the inner text (block_tokens.py)
    "BlockParser.parse_list": BlockParser.parse_list,
    "list_parser._create_list_marker": list_parser._create_list_marker,
    "list_parser._get_list_bullet": list_parser._get_list_bullet,
    "list_parser._transform_tight_list": list_parser._transform_tight_list,
    "list_parser._compile_continue_width": list_parser._compile_continue_width,
    "list_parser._compile_list_item_pattern": list_parser._compile_list_item_pattern,
    "list_parser._compile_list_break_sc": list_parser._compile_list_break_sc,
    "list_parser._collect_list_item_lines": list_parser._collect_list_item_lines,
    "list_parser._ListItemLines": list_parser._ListItemLines,
    "list_parser._ListMarker": list_parser._ListMarker,
    # the list of blank-line starts is handed to the definition rule in the cache this function keeps
    "block_parser._find_next_blank_line": block_parser._find_next_blank_line,
    # a line that starts with a letter and holds no `|` goes to the paragraph rule without the scanner
    "BlockParser._parse_plain_paragraph": BlockParser._parse_plain_paragraph,
    "block_parser._is_plain_paragraph_start": block_parser._is_plain_paragraph_start,
}
FINGERPRINTS = {  # sha256 of inspect.getsource, first 16 hex digits, mistune 3.4.0
    "BlockParser.parse": "3afb0b1531e99dc7",
    "BlockParser._parse_indent_code_fast": "7e73923c2568863a",
    "BlockParser.parse_method": "d5b47615ad469a3a",
    "BlockParser.parse_block_quote": "a27b90f42dddf539",
    "BlockParser.extract_block_quote": "e2f8d7a865c2cfe5",
    "BlockState": "e00a399163bb0077",
    "list_parser.parse_list": "8a5f1f4fecec07d4",
    "list_parser._parse_list_item": "6e59aebbe0f5e998",
    "BlockParser.parse_list": "2f173ebb0aeb61e1",
    "list_parser._create_list_marker": "6fa99c8f2725a0f5",
    "list_parser._get_list_bullet": "0b4a9cd3832755ad",
    "list_parser._transform_tight_list": "7177025865495275",
    "list_parser._compile_continue_width": "6d54b680ce98ea66",
    "list_parser._compile_list_item_pattern": "95ee311e43259c0e",
    "list_parser._compile_list_break_sc": "72a3b186c5d010f3",
    "list_parser._collect_list_item_lines": "3cc3b9e66d01db4e",
    "list_parser._ListItemLines": "58d959d2a0c1d54b",
    "list_parser._ListMarker": "4879ed6a5f539667",
    "block_parser._find_next_blank_line": "f5c5c5ab2e726718",
    "BlockParser._parse_plain_paragraph": "b76d30ab17efb013",
    "block_parser._is_plain_paragraph_start": "a6662d2721daabe9",
}


def test_mistune_is_the_pinned_version() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pinned = re.search(r'"mistune==([0-9.]+)"', pyproject)
    assert pinned is not None, "pyproject.toml pins mistune exactly"
    assert mistune.__version__ == pinned.group(1)


@pytest.mark.parametrize("name", sorted(RELIED_ON))
def test_the_code_the_overrides_stand_on_is_unchanged(name: str) -> None:
    source = inspect.getsource(RELIED_ON[name])
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == FINGERPRINTS[name], f"mistune's {name} changed"


@pytest.mark.slow
def test_the_overrides_change_no_document(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(p for name in ("2024h2", "2025h1", "2025h2", "2026", "head") for p in corpus(name).rglob("*.md"))
    files += sorted((ROOT / "goals").rglob("*.md")) + sorted((ROOT / "docs").rglob("*.md"))
    texts = {str(p): p.read_text(encoding="utf-8").replace("\r\n", "\n") for p in files}
    ours = {path: parse_document(path, text) for path, text in texts.items()}
    monkeypatch.setattr(block_tokens._PositionParser, "parse", BlockParser.parse)
    monkeypatch.setattr(block_tokens._PositionParser, "_parse_indent_code_fast", BlockParser._parse_indent_code_fast)
    monkeypatch.setitem(block_tokens._MD.block._methods, "list", block_tokens._MD.block.parse_list)
    monkeypatch.setattr(block_tokens, "_BLANK_LINE_STARTS", "not mistune's key")
    for path, text in texts.items():
        assert parse_document(path, text) == ours[path], path


def _without_overrides(texts: list[str]) -> list[Any]:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(block_tokens._PositionParser, "parse", BlockParser.parse)
        m.setattr(block_tokens._PositionParser, "_parse_indent_code_fast", BlockParser._parse_indent_code_fast)
        m.setitem(block_tokens._MD.block._methods, "list", block_tokens._MD.block.parse_list)
        m.setattr(block_tokens, "_BLANK_LINE_STARTS", "not mistune's key")
        return [parse_document("x.md", text) for text in texts]


# Lines that start, continue, interrupt or end lists and the blocks around them: every break rule of a list item
# (rule, fence, heading, quote, HTML, another list), indents around the item's width, tabs, ordered markers that
# may or may not interrupt a paragraph, empty items, lazy continuations, definitions and tables.
_LINES = [
    "- item",
    "* star",
    "+ plus",
    "1. one",
    "2) two",
    "7. seven",
    "-",
    "1.",
    "  - nested",
    "    - deeper",
    "   * three spaces",
    "\t- tab",
    "  continued",
    "    indented more",
    "lazy text",
    "",
    "",
    "# heading",
    "## sub",
    "---",
    "***",
    "```",
    "~~~",
    "> quote",
    "<div>",
    "<!-- comment -->",
    "    code",
    "[x]: https://x.y",
    "| a | b |",
    "| --- | --- |",
    "[y]:",
    "  https://y.z",
    '"title"',
    " \t ",
    "\v",
    "text | with pipe",
    "Setext",
    "===",
    "10. ten",
    "- [ ] task",
]


@given(st.lists(st.sampled_from(_LINES), max_size=14))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_overrides_change_no_generated_document(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    assert [parse_document("x.md", text)] == _without_overrides([text]), text


def test_the_list_rule_keeps_mistune_s_order_and_ends() -> None:
    texts = ["- a\n# h\n\ntext\n", "- a\n```\ncode\n```\n", "1. a\n> q\n", "- a\n<div>\n", "- a\n---\n", "- a\n* b\n"]
    assert [parse_document("x.md", t) for t in texts] == _without_overrides(texts)


def test_blank_line_starts_are_mistune_s() -> None:
    assert block_parser.BlockParser.BLANK_LINE.pattern == r"(^[ \t\v\f]*\n)+"
    assert block_parser.BlockParser.BLANK_LINE.flags & re.M


@given(st.text(alphabet=" \t\v\f\na]:", max_size=40))
@settings(max_examples=2000, deadline=None)
def test_blank_line_starts_on_generated_text(text: str) -> None:
    expected = [m.start() for m in block_parser.BlockParser.BLANK_LINE.finditer(text)]
    assert block_tokens.blank_line_starts(text) == expected


def test_every_block_rule_starts_at_a_line_start() -> None:
    """`block_tokens._next_line_match` stands for `sc.search`: so no rule of the scanner may match in mid-line."""
    block = block_tokens._MD.block
    for rule in block.rules:
        pattern = block.specification[rule]
        assert pattern.startswith(("^", "(^")), rule
    assert block.sc_flag & re.M


def test_no_rule_before_blank_line_matches_at_an_empty_line() -> None:
    """`_PositionParser.parse` takes an empty line for blank_line without the scanner: so no rule of
    `_NOT_AT_AN_EMPTY_LINE` may match there, and every rule before blank_line is one of them."""
    block = block_tokens._MD.block
    rules = block.rules
    assert block_tokens._NOT_AT_AN_EMPTY_LINE.issuperset(rules[: rules.index("blank_line")])
    for rule in block_tokens._NOT_AT_AN_EMPTY_LINE:
        pattern = re.compile(block.specification[rule], block.sc_flag)
        for text in ("\n", "\n\n", "\n    code\n", "\n- a\n", "\n# h\n", "\n===\n", "\n[x]: y\n"):
            assert pattern.match(text) is None, (rule, text)


def test_no_rule_but_the_table_matches_at_a_plain_line() -> None:
    """`_PositionParser.parse` gives a line that starts with a letter (`_is_plain_paragraph_start`) and holds no `|`
    to the paragraph rule without the scanner: so no rule of `_NOT_AT_A_PLAIN_LINE` may match there, and the table
    rule only with a `|` in its first line."""
    block = block_tokens._MD.block
    assert block_tokens._NOT_AT_A_PLAIN_LINE.union(["gfm_table"]).issuperset(block.rules)
    texts = ["a\n", "text - a\n---\n", "Z # h\n", "x\n| a |\n| - |\n", "é > q\n", "w [x]: y\n", "v <div>\n"]
    for text in texts:
        assert block_parser._is_plain_paragraph_start(text, 0)
        for rule in [*block_tokens._NOT_AT_A_PLAIN_LINE, "gfm_table"]:
            pattern = re.compile(block.specification[rule], block.sc_flag)
            assert pattern.match(text) is None, (rule, text)
    assert re.compile(block.specification["gfm_table"], block.sc_flag).match("a | b\n- | -\n")


_BREAK_LINES = [
    " " * n + c
    for n in range(6)
    for c in (
        "",
        "-",
        "- a",
        "* * *",
        "___",
        "```",
        "~~~ x",
        "# h",
        "#x",
        ">",
        "> q",
        "<div>",
        "<!-- c",
        "<?x",
        "<!X",
        "<![CDATA[",
        "<span>",
        "1. a",
        "2) b",
        "+ c",
        "text",
        "\t- a",
        "=",
    )
]


@given(st.lists(st.sampled_from(_BREAK_LINES), min_size=1, max_size=4), st.integers(0, 2))
@settings(max_examples=600, deadline=None)
def test_a_narrow_item_s_break_scanner_is_mistune_s(lines: list[str], width: int) -> None:
    """`block_tokens._IndentBound` stands for `_compile_list_break_sc(block, width)` with width < 3."""
    block = block_tokens._MD.block
    src = "x\n" + "\n".join(lines) + "\n"
    ours = block_tokens._IndentBound(list_parser._compile_list_break_sc(block, 3), width)
    mistune_s = list_parser._compile_list_break_sc(block, width)
    for pos in [0] + [i + 1 for i, c in enumerate(src) if c == "\n"]:
        a, b = ours.match(src, pos), mistune_s.match(src, pos)
        assert (a and (a.lastgroup, a.span(), a.groups())) == (b and (b.lastgroup, b.span(), b.groups())), (src, pos)
