"""The validation's shortcuts find what the long way finds (docs/performance.md, issue 26: validate)."""

from __future__ import annotations

import sys

from rust_goals_slate.errors import INVISIBLE
from rust_goals_slate.validate import characters
from rust_goals_slate.validate.characters import shows_as_written


def test_a_text_that_shows_as_written_holds_no_character_the_rules_look_for() -> None:
    """`character_rules` skips a text `shows_as_written` accepts: so it must refuse every character of either rule."""
    looked_for = [
        ch
        for ch in map(chr, range(sys.maxunicode + 1))
        if characters._CONTROL.match(ch) or INVISIBLE.match(ch)
    ]
    assert len(looked_for) > 60
    for ch in looked_for:
        assert not shows_as_written(f"text\n\t{ch} more text"), f"U+{ord(ch):04X}"
    assert shows_as_written("plain text,\n\ttabs and line breaks: ~!@#$%^&*()_+`{}|[]\\:;'<>?,./")
    assert shows_as_written("plain text,\n\ttabs, line breaks, «quotes» — dashes, 漢字 and emoji 🦀")
