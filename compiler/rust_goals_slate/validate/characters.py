"""What is shown is what is there: characters that a terminal or a reader would not show as themselves.

A control character in a goal (an ESC sequence can set a terminal's title or clear its screen when a diagnostic
quotes the line) is an error wherever it is. An invisible or bidirectional formatting character (U+200B, U+202E, …)
is an error in a table row and next to an `@`: there it changes what a team name, a handle or a metadata key means
(`[la\u200bng] champion` is no team; `@\u202enikomatsakis` shows as another name) while the row looks right. In
prose they are left alone (a zero-width space can be a deliberate line-break hint). Every diagnostic format shows
such characters escaped (`errors.shown`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator

from rust_goals_slate.errors import INVISIBLE, Diagnostic, Severity
from rust_goals_slate.model import Document

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_PER_FILE = 5  # the first few are enough to find them; a file full of them is one problem


def character_rules(doc: Document) -> Iterator[Diagnostic]:
    if shows_as_written(doc.text):
        return
    for m in itertools.islice(_CONTROL.finditer(doc.text), MAX_PER_FILE):
        yield doc.diagnostic(
            doc.location(m.start()),
            Severity.ERROR,
            "control-character",
            f"control character {_name(m.group())} in the text",
            hint="delete it (a terminal would act on it instead of showing it)",
        )
    found = 0
    for m in INVISIBLE.finditer(doc.text):
        start = doc.text.rfind("\n", 0, m.start()) + 1
        in_row = doc.text[start : m.start()].lstrip(" ").startswith("|")
        if not in_row and "@" not in doc.text[max(m.start() - 1, start) : m.end() + 1]:
            continue
        found += 1
        if found > MAX_PER_FILE:
            break
        yield doc.diagnostic(
            doc.location(m.start()),
            Severity.ERROR,
            "invisible-character",
            f"invisible character {_name(m.group())} in {'a table row' if in_row else 'a handle'}: it changes what "
            "the text means without showing",
            hint="delete it",
        )


def shows_as_written(text: str) -> bool:
    """Whether TEXT holds neither a control nor an invisible character: every character these rules look for is
    not printable (Unicode Cc and Cf), so a text printable but for its line breaks and tabs has none. The printable
    ASCII characters are dropped from its UTF-8 bytes first (whole characters, since every byte of a longer one is
    above 0x7F): what is left is usually nothing, else a few characters to test. A pass or two in C, where the two
    searches cost ~60 M instructions on a period's prose."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PRINTABLE_ASCII)
    return not rest or rest.decode("utf-8", "surrogatepass").isprintable()


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n\t"


# the names of the C0 controls, by code
_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
)  # fmt: skip


def _name(ch: str) -> str:
    code = ord(ch)
    name = _C0_NAMES[code] if code < 0x20 else "DEL" if code == 0x7F else unicodedata.name(ch, "C1 control")
    return f"U+{code:04X} ({name})"
