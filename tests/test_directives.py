"""The directive registry (parse.directives) and the render's dispatch table agree; directives parse one way."""

from __future__ import annotations

from rust_goals_slate.errors import Location
from rust_goals_slate.parse import directives
from rust_goals_slate.parse.directives import REGISTRY, Argument, Kind
from rust_goals_slate.render import assemble

HERE = Location("README.md", 3, 1)


def test_every_block_directive_has_exactly_one_expansion() -> None:
    expanded = set(assemble.EXPANSIONS)
    canonical = {s.name for s in REGISTRY.values() if s.kind in (Kind.BLOCK, Kind.WEBSITE) and s.same_as is None}
    assert expanded == canonical
    for spec in REGISTRY.values():
        assert spec.same_as is None or REGISTRY[spec.same_as].kind is spec.kind


def test_paragraph_inline_and_comment_forms() -> None:
    found = directives.paragraph("(((GOALS WITH NEEDS:  funding )))", HERE)
    assert found is not None and (found.name, found.arg, found.is_block) == ("GOALS WITH NEEDS", "funding", True)
    assert REGISTRY[found.name].argument is Argument.REQUIRED
    assert directives.paragraph("(((GOALS))) and more", HERE) is None
    inline = [
        (name, arg) for _, name, arg in directives.in_text("We have (((#GOALS))) goals, (((HIGHLIGHT CREDITS: x))).")
    ]
    assert inline == [("#GOALS", None), ("HIGHLIGHT CREDITS", "x")]
    old = directives.comment("<!-- GOALS `Proposed` -->", HERE)
    assert old is not None and old.status == "Proposed" and old.is_block and old.comment
    assert directives.comment("<!-- a note -->", HERE) is None
