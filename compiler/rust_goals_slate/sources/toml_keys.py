"""Where each key of a TOML text is written, so that a problem with a configuration key is reported at its line.

Neither reader (fasttoml, tomllib) keeps positions. This scanner reads the text a line at a time: `[table]` and
`[[array]]` headers set the table, and `key = …` lines (bare, quoted and dotted keys) name a key in it. It never
decides what the TOML means (the readers do); a key it cannot place (inside an inline table) is found through its
nearest placed parent: `[team_asks] "RFC decision" = { short = … }` places `short` on the line of "RFC decision".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rust_goals_slate.records import record

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_DOTTED = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
_HEADER = re.compile(rf"^([ \t]*)\[\[?[ \t]*({_DOTTED})[ \t]*\]\]?[ \t]*(?:#.*)?$")
_KEY = re.compile(rf"^([ \t]*)({_DOTTED})[ \t]*=")
_ONE_PART = re.compile(_PART)
_ESCAPE = re.compile(r"\\(.)")


def _parts(dotted: str) -> tuple[str, ...]:
    out = []
    for m in _ONE_PART.finditer(dotted):
        part = m.group(0)
        if part.startswith('"'):
            part = _ESCAPE.sub(r"\1", part[1:-1])
        elif part.startswith("'"):
            part = part[1:-1]
        out.append(part)
    return tuple(out)


@record
class KeyPositions:
    """Line and column of each key of a TOML text, by its full path (`("output", "html", "site-url")`)."""

    lines: tuple[str, ...]
    positions: Mapping[tuple[str, ...], tuple[int, int]]

    def find(self, *path: str) -> tuple[int, int]:
        """The (line, column) of the key, else of its nearest placed parent; (0, 1) when none is placed."""
        for end in range(len(path), 0, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return (0, 1)

    def source_line(self, line: int) -> str | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None


def key_positions(text: str) -> KeyPositions:
    lines = tuple(text.splitlines())
    positions: dict[tuple[str, ...], tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    in_string: str | None = None  # the delimiter of the multi-line string the line is inside
    for n, line in enumerate(lines, 1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if m := _HEADER.match(line):
            table = _parts(m.group(2))
            positions.setdefault(table, (n, len(m.group(1)) + 1))
        elif m := _KEY.match(line):
            positions.setdefault((*table, *_parts(m.group(2))), (n, len(m.group(1)) + 1))
            rest = line[m.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
    return KeyPositions(lines, positions)
