"""A table glued to the paragraph or list item above it is read as the table the author meant, and marked."""

from __future__ import annotations

from rust_goals_slate.parse.markdown import parse_document
from tests.support import corpus

TABLE = "| Task | Owner(s) or team(s) | Notes |\n| --- | --- | --- |\n| Standard reviews | ![Team][] [compiler] | |\n"


def _kinds(text: str) -> list[tuple[str, int, bool]]:
    doc = parse_document("x.md", text)
    return [(b.kind, b.line, bool(b.table and b.table.glued)) for b in doc.blocks if b.kind != "blank"]


def test_table_under_a_list_item_is_a_glued_table() -> None:
    text = "* Implementation work\n  needs reviews.\n" + TABLE + "\nNote.\n"
    assert _kinds(text) == [("list", 1, False), ("table", 3, True), ("paragraph", 7, False)]
    table = parse_document("x.md", text).blocks[1].table
    assert table is not None and table.header == ("Task", "Owner(s) or team(s)", "Notes")
    assert [r.cells[1] for r in table.rows] == ["![Team][] [compiler]"]


def test_table_under_a_paragraph_is_a_glued_table() -> None:
    assert _kinds("Some text.\n" + TABLE) == [("paragraph", 1, False), ("table", 2, True)]


def test_text_after_a_glued_table_in_the_same_block_is_a_paragraph() -> None:
    text = "Some text.\n" + TABLE + "# Heading\n"
    assert _kinds(text) == [("paragraph", 1, False), ("table", 2, True), ("heading", 5, False)]


def test_a_table_after_a_blank_line_is_not_glued() -> None:
    assert _kinds("Some text.\n\n" + TABLE) == [("paragraph", 1, False), ("table", 3, False)]


def test_pipes_without_a_delimiter_row_stay_text() -> None:
    assert _kinds("Some text.\n| not | a table |\nmore text\n") == [("paragraph", 1, False)]


def test_a_table_in_a_fenced_block_inside_a_list_is_code() -> None:
    text = "* An example:\n\n  ```md\n  text\n| a | b |\n| - | - |\n  ```\n"
    assert _kinds(text) == [("list", 1, False)]


def test_patterns_of_empty_types_keeps_its_asks_table() -> None:
    path = corpus("head") / "src" / "2024h2" / "Patterns-of-empty-types.md"
    doc = parse_document("Patterns-of-empty-types.md", path.read_text(encoding="utf-8"))
    glued = [b for b in doc.blocks if b.table is not None and b.table.glued]
    assert [b.line for b in glued] == [94]
    assert glued[0].table is not None
    assert [r.cells[0] for r in glued[0].table.rows][2:4] == ["Standard reviews", "Discussion and moral support"]
