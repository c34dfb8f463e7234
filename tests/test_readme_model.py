"""The README model (issue 26): the parse stage reads the header, the chapter lists and the directives once, each
with its place; validate, render and the PR body read them from `Slate.readme`."""

from __future__ import annotations

from rust_goals_slate.errors import Location
from rust_goals_slate.parse.markdown import parse_document
from rust_goals_slate.parse.readme import directives_in, parse_readme

README = """\
- Feature Name: `project_goals`
- Start Date:   (fill me in)

# Summary

We propose (((#GOALS))) goals; see [x (((#NOPE)))](./a.md) and <!-- GOALS --> here.

(((FLAGSHIP GOALS: Faster builds)))

<!-- TEAM ASKS -->

- [Highlights](./highlights.md)
- [FAQ](./faq.md)
"""
PATH = "src/2099/README.md"


def test_header_fields_keep_the_value_and_its_column() -> None:
    readme = parse_readme(parse_document(PATH, README), {}, frozenset())
    assert readme.header_value("feature name") == "`project_goals`"
    assert readme.header["start date"].value == "(fill me in)"
    assert readme.header["start date"].location == Location(PATH, 2, 17)
    assert readme.document.blocks[readme.body_start].is_heading


def test_chapter_links_are_each_at_their_own_line() -> None:
    readme = parse_readme(parse_document(PATH, README), {}, frozenset({"src/2099/faq.md"}))
    assert readme.chapters == ()  # a list linking a goal page (here faq.md) is prose, not a chapter list
    readme = parse_readme(parse_document(PATH, README), {}, frozenset())
    assert readme.chapters == ("src/2099/highlights.md", "src/2099/faq.md")
    [links] = readme.chapter_lists.values()
    assert [link.location for link in links] == [Location(PATH, 12, 3), Location(PATH, 13, 3)]


def test_directives_in_sentences_link_text_comments_and_alone() -> None:
    doc = parse_document(PATH, README)
    found = [(d.name, d.arg, d.location.line, d.location.col, d.alone, d.comment) for d in directives_in(doc)]
    assert found == [
        ("#GOALS", None, 6, 12, False, False),
        ("#NOPE", None, 6, 39, False, False),
        ("GOALS", None, 6, 64, False, True),
        ("FLAGSHIP GOALS", "Faster builds", 8, 1, True, False),
        ("TEAM ASKS", None, 10, 1, True, True),
    ]
    readme = parse_readme(doc, {PATH: directives_in(doc)}, frozenset())
    standing = [readme.standing(PATH, i) for i in range(len(doc.blocks))]
    assert [d.name for d in standing if d is not None] == ["FLAGSHIP GOALS", "TEAM ASKS"]
