"""Hints that name the real fix (issue 21, item 5): definitions folded into the block above them, rows cut off from
their table, dangling anchors of the RFC. The slates of tests/data/invalid/ (`folded-definition-*`,
`split-table-champion`, `missing-anchor-did-you-mean`) check the reports end to end; these check the pieces."""

from __future__ import annotations

from pathlib import Path

import pytest

from rust_goals_slate.parse.markdown import parse_document
from tests.test_legacy_units import build, goal_file, tasks, write_slate

DEF = "[lbl]: https://example.org/x"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (f"| A | B |\n| - | - |\n| a | b |\n{DEF}\n", [4]),  # a table takes it as a row
        (f"Some text\nmore text\n{DEF}\n", [3]),  # a paragraph's lazy continuation line
        (f"- an item\n{DEF}\n", [2]),  # folded into the list item's paragraph
        (f"> a quote\n{DEF}\n", [2]),
        (f"Some text\n\n{DEF}\n", []),  # after a blank line: a definition
        (f"{DEF}\nSome text\n", []),  # a paragraph may start with definitions
        (f"- an item\n\n  {DEF}\n", []),  # a definition inside the list item, after a blank line
        ("Text\n[^note]: a footnote\n", []),
        ("Text\n[not a definition] at all\n", []),
    ],
)
def test_folded_definitions_are_found_where_markdown_folds_them(text: str, lines: list[int]) -> None:
    doc = parse_document("src/2025h2/g.md", text)
    assert [d.line for d in doc.folded_defs] == lines
    assert all((d.label, d.url) == ("lbl", "https://example.org/x") for d in doc.folded_defs)
    if lines:
        assert doc.link_def("lbl") is None and doc.folded_def("LBL") is not None


def test_a_folded_definition_in_the_readme_is_reported_once_with_its_fix(tmp_path: Path) -> None:
    """The README's references are resolved by the render: it must not report them as undefined either."""
    readme = """\
        # Summary

        See [the plan][plan] and [plan].
        [plan]: https://example.org/plan
        """
    asks = tasks("| Discussion and moral support | ![Team][] [lang] | |")
    goals = {"a.md": goal_file("A goal", "Point of contact | @sam-achebe\nStatus | Proposed", asks)}
    result = build(write_slate(tmp_path, goals, readme))
    found = [(d.location.line, d.code, d.hint) for d in result.diagnostics if d.location.path.endswith("README.md")]
    assert found == [(4, "folded-definition", "add a blank line before line 4")]
    assert "See [the plan][plan] and [plan]." in result.text  # left as written, as Markdown reads it
