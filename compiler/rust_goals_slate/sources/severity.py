"""The severity policy: which codes are errors, warnings or off, as a goals repository commits it in `slate.toml`
(beside book.toml) and as `--error`, `--warn` and `--ignore` set it for one run.

```toml
# slate.toml
[severity]
missing-tracking-issue = "error"   # fail CI on it
unlisted-handle = "warning"        # off by default: people who are not in rust-lang/team
archived-team = "off"
```

The file comes from pull requests like every input: it is read only if it is a regular file of at most 64 KiB, only
the `[severity]` table of strings is taken, and every other shape is a diagnostic at its line. A code slate does not
know is a warning with the closest known code (an older slate may meet a newer code).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from rust_goals_slate.codes import CODES, Level
from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.sources.config import config_syntax, config_unreadable

FILE_NAME = "slate.toml"
MAX_BYTES = 64 * 1024
LEVELS = {level.value: level for level in Level}
ONLY = 'slate.toml holds one table, [severity], of `code = "error" | "warning" | "off"`'


def closest_code(name: str) -> str | None:
    close = difflib.get_close_matches(name, list(CODES), 1, 0.6)
    return close[0] if close else None


def read_policy(root: Path) -> tuple[dict[str, Level], list[Diagnostic]]:
    """The `[severity]` table of `<root>/slate.toml` (none: an empty policy), and its problems."""
    path = root / FILE_NAME
    if not path.is_file() or path.is_symlink():
        return {}, []
    where = FILE_NAME
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return {}, [config_unreadable(where, f"cannot read: {exc.strerror}")]
    if len(raw) > MAX_BYTES:
        message = f"file is {len(raw)} bytes; the limit is {MAX_BYTES}"
        return {}, [config_unreadable(where, message)]
    import tomllib  # only for a repository that has a slate.toml: a build otherwise never needs it

    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        return {}, [config_unreadable(where, "not UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        return {}, [config_syntax(where, line, f"not valid TOML: {exc}")]
    except RecursionError:  # tomllib recurses once per level of nesting
        message = "not valid TOML: arrays or tables nested too deeply"
        return {}, [config_syntax(where, 0, message)]
    lines = text.split("\n")
    problems: list[Diagnostic] = []
    for key in data:
        if key != "severity":
            problems.append(_problem(where, lines, key, "bad-severity", f"unknown table or key '{key}'", ONLY))
    table = data.get("severity", {})
    if not isinstance(table, dict):
        problems.append(_problem(where, lines, "severity", "bad-severity", "'severity' must be a table", ONLY))
        return {}, problems
    levels: dict[str, Level] = {}
    for code, value in table.items():
        if not isinstance(value, str) or value not in LEVELS:
            shown = repr(value) if isinstance(value, str | int | bool | float) else type(value).__name__
            message = f'severity of \'{code}\' must be "error", "warning" or "off", not {shown}'
            problems.append(_problem(where, lines, code, "bad-severity", message, None))
        elif code not in CODES:
            close = closest_code(code)
            hint = f"did you mean '{close}'?" if close else "`slate check --list-codes` lists the codes"
            problems.append(_problem(where, lines, code, "unknown-code", f"unknown code '{code}'", hint))
        else:
            levels[code] = LEVELS[value]
    return levels, problems


def _problem(where: str, lines: list[str], key: str, code: str, message: str, hint: str | None) -> Diagnostic:
    """A diagnostic at the line that sets `key` (bare or quoted), else at the file."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}'|\[{re.escape(key)}\])")
    line = next((n for n, text in enumerate(lines, 1) if pattern.match(text)), 0)
    severity = Severity.WARNING if code == "unknown-code" else Severity.ERROR
    source = lines[line - 1] if line else None
    return Diagnostic(Location(where, line), severity, code, message, hint, source)


def apply_policy(diagnostics: Iterable[Diagnostic], levels: Mapping[str, Level]) -> list[Diagnostic]:
    """Each diagnostic with the severity the policy gives its code: set explicitly, else as reported, and dropped
    when that is off (a code off by default is dropped unless the policy names it)."""
    out = []
    for d in diagnostics:
        level = levels.get(d.code)
        if level is None:
            known = CODES.get(d.code)
            level = Level.OFF if known is not None and known.default is Level.OFF else None
        if level is Level.OFF:
            continue
        if level is not None:
            severity = Severity.ERROR if level is Level.ERROR else Severity.WARNING
            d = replace(d, severity=severity) if d.severity is not severity else d
        out.append(d)
    return out
