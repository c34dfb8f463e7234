"""How deeply the RFC's blocks nest, measured before pandoc reads it (docs/security.md, "PDF and outputs").

pandoc's reader takes time and memory that grow faster than the nesting of lists and quotes: a line of 10,000 `- `
(a list 10,000 deep) did not finish in a minute. Legitimate Markdown nests a few levels, so the PDF step refuses
text nested deeper than `MAX_DEPTH`, at the line that does, in one linear pass.
"""

from __future__ import annotations

import re

MAX_DEPTH = 64
# One container opener at the start of a line: a quote marker, or a list marker followed by a space.
_OPENER = re.compile(r"[ \t]*(?:>|[-+*][ \t]|\d{1,9}[.)][ \t])")


def too_deep(markdown: str) -> tuple[int, str] | None:
    """The first line (1-based number, text) that opens more than `MAX_DEPTH` quotes and list items, or None.

    Indentation alone is not counted: a list nested by indentation needs quadratic space (2,000 levels take 4 MB,
    and pandoc reads them in seconds); markers on one line are what costs little to write and much to read."""
    for number, line in enumerate(markdown.split("\n"), 1):
        depth, at = 0, 0
        while depth <= MAX_DEPTH:
            opener = _OPENER.match(line, at)
            if opener is None:
                break
            depth, at = depth + 1, opener.end()
        if depth > MAX_DEPTH:
            return number, line
    return None
