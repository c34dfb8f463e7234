"""A fast reader for plain TOML (team files, book.toml); anything else is left to `tomllib`.

A team checkout holds about 800 small TOML files, and `tomllib` (a character-at-a-time parser) spent most of the
team-data stage reading them. `loads` reads a strict subset of TOML a line at a time with a few regular expressions:
bare, quoted and dotted keys, `[tables]` and `[[arrays of tables]]`, one-line strings (of the escapes, only `\\"`
and `\\\\`), decimal integers, booleans, arrays and inline tables of those, comments. It returns None for anything
outside the subset (other escapes, multi-line strings, floats, dates, CR line endings, and every rule of TOML it does
not check itself, such as extending a table defined elsewhere), so that the caller hands the text to `tomllib`,
which then decides (and reports syntax errors with its own messages). So a text this module reads gives exactly what
`tomllib.loads` gives, and `tomllib` is imported only for a text this module cannot read.
"""

from __future__ import annotations

import re
from typing import Any

_MAX_DEPTH = 32  # nested arrays and inline tables; deeper texts go to tomllib, whose RecursionError callers report
_WS = re.compile(r"[ \t]*")
# Blanks, newlines and comments, as allowed between the elements of an array (no control characters in comments).
_TRIVIA = re.compile(r"(?:[ \t\n]+|#[^\x00-\x08\x0a-\x1f\x7f]*)*")
_EOL = re.compile(r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?(?:\n|\Z)")
# The inside of a one-line basic string: no control characters, and of the escapes only \" and \\.
_PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'
_STRING_CHARS = rf'{_PLAIN}(?:\\["\\]{_PLAIN})*'  # "unrolled": runs of plain characters match as one repeat
_ESCAPE = re.compile(r'\\(["\\])')
# One part of a dotted key: bare, "basic" or 'literal'; `"a"` and `a` are the same key.
_KEY_PART = re.compile(rf"[ \t]*(?:([A-Za-z0-9_-]+)|\"({_STRING_CHARS})\"|'([^'\x00-\x08\x0a-\x1f\x7f]*)')[ \t]*")
_BARE_KEY = re.compile(r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*")
_BASIC = re.compile(rf'"({_STRING_CHARS})"')
_LITERAL = re.compile(r"'([^'\x00-\x08\x0a-\x1f\x7f]*)'")
_INT = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
# The common line in one match: `key = "string"`, `key = true`, `key = 12`, then the end of the line.
_SIMPLE = re.compile(
    rf'([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"({_STRING_CHARS})"|(true|false)|([+-]?(?:0|[1-9][0-9]*)))'
    r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?(?:\n|\Z)"
)
# An array of plain strings without comments, in one match; `_IN_ARRAY` then picks the strings out.
_STRING_ARRAY = re.compile(rf'\[[ \t\n]*((?:"{_STRING_CHARS}"[ \t\n]*,[ \t\n]*)*(?:"{_STRING_CHARS}"[ \t\n]*)?)\]')
_IN_ARRAY = re.compile(rf'"({_STRING_CHARS})"')


def _unescape(inside: str) -> str:
    return _ESCAPE.sub(r"\1", inside) if "\\" in inside else inside


class _Outside(Exception):
    """The text is outside the subset: tomllib reads it."""


def loads(text: str) -> dict[str, Any] | None:
    """The TOML document `text`, or None if it is outside the subset this reader handles."""
    if "\r" in text:
        return None
    try:
        return _Reader(text).document()
    except _Outside:
        return None


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.root: dict[str, Any] = {}
        self.by_header: set[int] = {id(self.root)}  # tables created by a [header] (or its prefix), and the root
        self.defined: set[int] = {id(self.root)}  # tables a [header] defined explicitly
        self.arrays: set[int] = set()  # arrays created by [[headers]]
        self.dotted: dict[int, int] = {}  # tables created by dotted keys -> the section that created them
        self.section = 0

    # ---------------------------------------------------------------------------------------------------------
    # statements

    def document(self) -> dict[str, Any]:
        text, n = self.text, len(self.text)
        table = self.root
        pos = 0
        while pos < n:
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                break
            ch = text[pos]
            if ch == "\n":
                pos += 1
            elif ch == "#":
                pos = self._eol(pos)
            elif ch == "[":
                table, pos = self._header(pos)
            elif m := _SIMPLE.match(text, pos):
                key, string, boolean, number = m.groups()
                if key in table:
                    raise _Outside
                if string is not None:
                    table[key] = _unescape(string)
                elif boolean is not None:
                    table[key] = boolean == "true"
                else:
                    table[key] = int(number)
                pos = m.end()
            else:
                pos = self._key_value(pos, table)
        return self.root

    def _eol(self, pos: int) -> int:
        m = _EOL.match(self.text, pos)
        if m is None:
            raise _Outside
        return m.end()

    def _keys(self, pos: int) -> tuple[list[str], int]:
        text = self.text
        keys: list[str] = []
        while True:
            m = _KEY_PART.match(text, pos)
            if m is None:
                raise _Outside
            bare, basic, literal = m.groups()
            keys.append(bare if bare is not None else _unescape(basic) if basic is not None else literal)
            pos = m.end()
            if not text.startswith(".", pos):
                return keys, pos
            pos += 1

    def _header(self, pos: int) -> tuple[dict[str, Any], int]:
        text = self.text
        array = text.startswith("[[", pos)
        keys, pos = self._keys(pos + (2 if array else 1))
        close = "]]" if array else "]"
        if not text.startswith(close, pos):
            raise _Outside
        pos = self._eol(pos + len(close))
        self.section += 1
        parent = self.root
        for key in keys[:-1]:
            parent = self._descend(parent, key)
        last = keys[-1]
        existing = parent.get(last)
        if array:
            if existing is None:
                existing = parent[last] = []
                self.arrays.add(id(existing))
            elif not (isinstance(existing, list) and id(existing) in self.arrays):
                raise _Outside
            table: dict[str, Any] = {}
            existing.append(table)
        elif existing is None:
            table = parent[last] = {}
        elif isinstance(existing, dict) and id(existing) in self.by_header and id(existing) not in self.defined:
            table = existing  # created as the prefix of an earlier header: this header defines it
        else:
            raise _Outside
        self.by_header.add(id(table))
        self.defined.add(id(table))
        return table, pos

    def _descend(self, parent: dict[str, Any], key: str) -> dict[str, Any]:
        """A header's prefix: an existing header table, the last table of a [[array]], or a new implicit table."""
        child = parent.get(key)
        if child is None:
            new: dict[str, Any] = {}
            parent[key] = new
            self.by_header.add(id(new))
            return new
        if isinstance(child, dict) and id(child) in self.by_header:
            return child
        if isinstance(child, list) and id(child) in self.arrays:
            last = child[-1]
            assert isinstance(last, dict)
            return last
        raise _Outside

    def _key_value(self, pos: int, table: dict[str, Any]) -> int:
        keys, pos = self._keys(pos)
        if not self.text.startswith("=", pos):
            raise _Outside
        pos = _WS.match(self.text, pos + 1).end()  # type: ignore[union-attr]
        value, pos = self._value(pos)
        pos = self._eol(pos)
        for key in keys[:-1]:
            child = table.get(key)
            if child is None:
                child = table[key] = {}
                self.dotted[id(child)] = self.section
            elif not (isinstance(child, dict) and self.dotted.get(id(child)) == self.section):
                raise _Outside
            table = child
        if keys[-1] in table:
            raise _Outside
        table[keys[-1]] = value
        return pos

    # ---------------------------------------------------------------------------------------------------------
    # values

    def _value(self, pos: int, depth: int = 0) -> tuple[Any, int]:
        text = self.text
        ch = text[pos] if pos < len(text) else ""
        if depth > _MAX_DEPTH and ch in "[{":
            raise _Outside  # tomllib decides (and its RecursionError is the caller's to report)
        if ch == '"':
            m = _BASIC.match(text, pos)
            if m is None:
                raise _Outside
            return _unescape(m.group(1)), m.end()
        if ch == "'":
            m = _LITERAL.match(text, pos)
            if m is None:
                raise _Outside
            return m.group(1), m.end()
        if ch == "[":
            if m := _STRING_ARRAY.match(text, pos):
                return [_unescape(x) for x in _IN_ARRAY.findall(m.group(1))], m.end()
            return self._array(pos + 1, depth + 1)
        if ch == "{":
            return self._inline_table(pos + 1, depth + 1)
        if text.startswith("true", pos):
            return True, pos + 4
        if text.startswith("false", pos):
            return False, pos + 5
        m = _INT.match(text, pos)
        if m is None:
            raise _Outside
        return int(m.group(0)), m.end()  # what follows is checked by the caller: '1.5', '1_0', '1e3' are outside

    def _array(self, pos: int, depth: int) -> tuple[list[Any], int]:
        text = self.text
        items: list[Any] = []
        while True:
            pos = _TRIVIA.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith("]", pos):
                return items, pos + 1
            value, pos = self._value(pos, depth)
            items.append(value)
            pos = _TRIVIA.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith(",", pos):
                pos += 1
            elif text.startswith("]", pos):
                return items, pos + 1
            else:
                raise _Outside

    def _inline_table(self, pos: int, depth: int) -> tuple[dict[str, Any], int]:
        text = self.text
        table: dict[str, Any] = {}
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith("}", pos):
            return table, pos + 1
        while True:
            m = _BARE_KEY.match(text, pos)
            if m is None or m.group(1) in table:
                raise _Outside
            value, pos = self._value(m.end(), depth)
            table[m.group(1)] = value
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith(",", pos):
                pos += 1
            elif text.startswith("}", pos):
                return table, pos + 1
            else:
                raise _Outside
