"""`errors.shown` returns a printable text as it is without its pattern: that holds only if every character the
pattern escapes is unprintable, checked here for each of them."""

from __future__ import annotations

import re

from rust_goals_slate.errors import UNSHOWN_CLASS, shown


def test_every_escaped_character_is_unprintable() -> None:
    pattern = re.compile(f"[{UNSHOWN_CLASS}]")
    escaped = [chr(c) for c in range(0x110000) if pattern.fullmatch(chr(c))]
    assert len(escaped) > 2048  # the controls, the invisible characters and the surrogates
    assert not [c for c in escaped if c.isprintable()]


def test_shown_escapes_as_before() -> None:
    assert shown("plain text, ünïcödé, 日本") == "plain text, ünïcödé, 日本"
    assert shown("a\tb") == "a\tb"  # a tab is shown as itself
    assert shown("x\x1b[31my\u202ez\udcff") == "x\\x1b[31my\\u202ez\\xff"
    assert shown("a\nb") == "a\nb" and shown("a\nb", newlines=True) == "a\\nb"
    assert shown("nbsp\u00a0and\u200dzwj") == "nbsp\u00a0and\u200dzwj"  # unprintable, but shown as themselves
