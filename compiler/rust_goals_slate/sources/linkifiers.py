"""book.toml's linkifiers (`"pattern" = "https://…/$1"`) are regular expressions from a pull request: checked when
loaded, so that matching one against a label takes bounded time and expanding its template cannot fail.

Python's `re` backtracks and has no timeout, so the bound comes from the pattern's shape, not from a clock: a pattern
may not hold a backreference, a lookaround or a conditional (which no linear-time engine supports either), may not
repeat more than once a group that itself repeats or alternates (`(a+)+`, `(a|a)+`, `(a|b){20}`: the exponential
cases; `(-[0-9]+)?` is fine), and may hold at most
`MAX_REPEATS` repeats and `MAX_OPTIONALS` optional parts; and it is only ever matched against labels of at most
`model.MAX_LINKIFIER_LABEL` (64) characters. A sequence of k repeats backtracks at most n^k times and each optional
part doubles that, so one match costs at most 64^3 * 2^4 steps (tens of milliseconds; about 0.3 ms for three
overlapping repeats, measured). That is a bound per label, not a budget for a whole slate. The repository's own
linkifiers (`([a-zA-Z0-9-]+)/([a-zA-Z0-9-]+)#([0-9]+)`) pass.
"""

from __future__ import annotations

import re

from rust_goals_slate.records import record

MAX_REPEATS = 3  # `*`, `+`, `{n,}`, `{n,m}`: each multiplies the worst case by the label's length
MAX_OPTIONALS = 4  # `?`, `{0,1}`: each doubles it
MAX_PATTERN = 200
_QUANTIFIER = re.compile(r"[*+?]|\{(\d*)(,?)(\d*)\}")


@record(frozen=False)
class _Group:
    repeats: bool = False
    alternates: bool = False


def pattern_problem(pattern: str) -> str | None:
    """Why PATTERN may not be used as a linkifier (None when it may): it must compile and have the safe shape."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"is not a valid regular expression: {exc}"
    if len(pattern) > MAX_PATTERN:
        return f"is {len(pattern)} characters long; the limit is {MAX_PATTERN}"
    stack, repeats, optionals, i = [_Group()], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "(":
            if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!", "(?(", "(?P="), i):
                return "holds a lookaround, backreference or conditional, which can take exponential time"
            stack.append(_Group())
            i += 1
            continue
        if ch == "|":
            stack[-1].alternates = True
            i += 1
            continue
        inner = None
        if ch == ")":
            inner = stack.pop() if len(stack) > 1 else _Group()
            i += 1
        elif ch == "\\":
            if pattern[i + 1 : i + 2].isdigit() and pattern[i + 1] != "0":
                return "holds a backreference, which can take exponential time"
            i += 2
        elif ch == "[":
            i = _class_end(pattern, i)
        else:
            i += 1
        m = _QUANTIFIER.match(pattern, i)
        if inner is not None:
            if m is not None and _repeats_more_than_once(m) and (inner.repeats or inner.alternates):
                return "repeats a group that itself repeats or alternates, which can take exponential time"
            stack[-1].repeats |= inner.repeats
            stack[-1].alternates |= inner.alternates
        if m is not None:
            stack[-1].repeats = True
            kind = _choice(m)
            repeats += kind == "repeat"
            optionals += kind == "optional"
            i = _after_quantifier(pattern, m.end())
    if repeats > MAX_REPEATS:
        return f"holds {repeats} repeats (*, +, {{n,m}}); the limit is {MAX_REPEATS}"
    if optionals > MAX_OPTIONALS:
        return f"holds {optionals} optional parts (?); the limit is {MAX_OPTIONALS}"
    return None


def template_problem(template: str, groups: int) -> str | None:
    """Why TEMPLATE cannot be expanded for a pattern with GROUPS groups (`$7` for one group); None when it can."""
    for m in re.finditer(r"\$(\d+)", template):
        if int(m.group(1)) > groups:
            return f"names ${m.group(1)}, but its pattern has {groups} group{'s' if groups != 1 else ''}"
    return None


def _choice(m: re.Match[str]) -> str | None:
    """What choice a quantifier gives the matcher: none (`{3}`), two (`?`, `{0,1}`) or many (`*`, `{2,5}`)."""
    if m.group(0) in ("*", "+"):
        return "repeat"
    if m.group(0) == "?" or (m.group(2) and m.group(3) and int(m.group(3)) - int(m.group(1) or 0) == 1):
        return "optional"
    return "repeat" if m.group(2) and (not m.group(3) or int(m.group(3)) > int(m.group(1) or 0)) else None


def _repeats_more_than_once(m: re.Match[str]) -> bool:
    if m.group(0) in ("*", "+"):
        return True
    if m.group(0) == "?":
        return False
    if not m.group(2):  # {n}
        return int(m.group(1) or 0) > 1
    return not m.group(3) or int(m.group(3)) > 1


def _after_quantifier(pattern: str, i: int) -> int:
    """Skip a lazy `?` or possessive `+` after a quantifier."""
    return i + 1 if pattern[i : i + 1] in ("?", "+") else i


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class starting at I (`[]a]` and `[^]a]` hold a literal `]`)."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1
