"""The shapes of the data files slate reads (team TOML, teams.yaml, book.toml, rust-project-goals.toml), checked
before anything reads a value: a wrong type is one message naming the file, the key and its line, never a traceback.

TOML values carry no positions, so the line is that of the key's first appearance in the text (a `key =` line or a
`[table]` header), which is where a reader would look.
"""

from __future__ import annotations

import re
from typing import Any

from rust_goals_slate.errors import INVISIBLE, Diagnostic, Location, Severity

# Control characters and the invisible or bidirectional ones (errors.INVISIBLE): in a login, a team key or a name they
# change what the text means without showing (`niko\u202ematsakis` displays as another name).
_HIDDEN = re.compile(rf"[\x00-\x1f\x7f-\x9f{INVISIBLE.pattern[1:-1]}]")
MAX_DEPTH = 32  # team and configuration files nest three or four levels; deeper is an attack or a mistake
MAX_DATA_BYTES = 8 * 1024 * 1024  # as for goal files (sources.discover.MAX_FILE_BYTES)


def file_too_large(rel: str, size: int, limit: int) -> Diagnostic:
    """A Markdown, TOML or YAML file over its size limit: it is not read (the one maker of `file-too-large`)."""
    return Diagnostic(Location(rel), Severity.ERROR, "file-too-large", f"file is {size} bytes; the limit is {limit}")


class ShapeError(ValueError):
    """A value of the wrong type: `key` is the dotted path to it, `line` its line (0 when unknown)."""

    def __init__(self, key: str, expected: str, value: Any) -> None:
        super().__init__(f"'{key}' must be {expected}, not {describe(value)}")
        self.key, self.expected, self.got = key, expected, describe(value)

    def message(self, prefix: str = "") -> str:
        """The message with the key inside its parent (`teams[3].leads`)."""
        return f"'{prefix}{self.key}' must be {self.expected}, not {self.got}"


def describe(value: Any) -> str:
    """`a string ("nobody")`, `an integer (5)`, `a list`: what a value is, short enough for a message."""
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    kind = next((name for cls, name in kinds.items() if isinstance(value, cls)), type(value).__name__)
    if isinstance(value, (bool, int, float, str)):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        return f"{kind} ({shown})"
    return kind


def table(data: dict[str, Any], key: str, prefix: str = "") -> dict[str, Any]:
    """`data[key]` if it is a table, {} if absent; else ShapeError."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ShapeError(prefix + key, "a table", value)
    return value


def strings(data: dict[str, Any], key: str, prefix: str = "", *, scalars: bool = False) -> list[str]:
    """`data[key]` if it is a list of strings (of scalars, as str, with `scalars`), [] if absent; else ShapeError."""
    value = data.get(key, [])
    if value is None and scalars:
        return []
    if not isinstance(value, list):
        raise ShapeError(prefix + key, "a list of strings", value)
    for item in value:
        if not isinstance(item, str) and not (scalars and isinstance(item, (int, float)) and item is not True):
            raise ShapeError(prefix + key, "a list of strings", item if not isinstance(item, str) else value)
        if isinstance(item, str) and _HIDDEN.search(item):
            raise ShapeError(prefix + key, "a list of strings without control or invisible characters", item)
    return [str(item) for item in value]


def string(data: dict[str, Any], key: str, default: str = "", prefix: str = "", *, scalars: bool = False) -> str:
    """`data[key]` if it is a string (or, with `scalars`, a number), `default` if absent; else ShapeError."""
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, str):
        return visible(prefix + key, value)
    if scalars and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ShapeError(prefix + key, "a string", value)


def visible(key: str, value: str) -> str:
    """VALUE, if it holds no control or invisible character; else ShapeError."""
    if _HIDDEN.search(value):
        raise ShapeError(key, "a string without control or invisible characters", value)
    return value


_URL = re.compile(r"https?://[^\s<>()\[\]\"'`\\]+")


def url(data: dict[str, Any], key: str, default: str, prefix: str = "") -> str:
    """`data[key]` if it is an http(s) URL that can stand as a link target in Markdown (no blank, line break, bracket
    or quote: the RFC writes it into a link definition), `default` if absent or empty; else ShapeError."""
    value = string(data, key, prefix=prefix)
    if not value:
        return default
    if not _URL.fullmatch(value):
        raise ShapeError(prefix + key, "an http(s) URL without blanks, brackets or quotes", value)
    return value


def line_of_key(text: str, key: str) -> int:
    """The line where the dotted KEY's last part first appears as a key or a table header in TOML TEXT; failing that
    (a key inside an inline table), where its parent's does."""
    for part in reversed(key.split(".")):
        name = re.escape(part.split("[")[0])
        pattern = rf"""^[ \t]*(?:\[\[?[^\]\n]*\b{name}\b|["']?{name}["']?[ \t]*=)"""
        if m := re.search(pattern, text, re.MULTILINE):
            return text.count("\n", 0, m.start()) + 1
    return 0
