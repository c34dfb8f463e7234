"""Helpers shared by the validation rules (rust_goals_slate.validate.slate and its validate_* modules)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from rust_goals_slate.model import Block, Document, TeamRegistry

TEXT_BLOCKS = ("paragraph", "list", "quote", "table", "heading")


def closest(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(word, choices, 1, cutoff)
    return found[0] if found else None


def text_blocks(doc: Document) -> Iterator[tuple[Block, str]]:
    """The blocks that hold inline text (not code, HTML or blank lines), with their source."""
    for block in doc.blocks:
        if block.kind in TEXT_BLOCKS:
            yield block, doc.text[block.start : block.end]


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b` when it is at most `limit`, else `limit + 1`.

    Only the band of cells within `limit` of the diagonal is computed (a cell further from it is more than `limit`
    edits): a run compares every unknown handle with every login of the team data.
    """
    over = limit + 1
    if abs(len(a) - len(b)) > limit:
        return over
    if a == b:
        return 0
    width = len(b)
    previous = [j if j <= limit else over for j in range(width + 1)]
    for i, ca in enumerate(a, 1):
        low, high = max(1, i - limit), min(width, i + limit)
        current = [over] * (width + 1)
        if i <= limit:
            current[0] = i
        best = current[low - 1]
        for j in range(low, high + 1):
            cell = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != b[j - 1]))
            current[j] = cell
            if cell < best:
                best = cell
        if best > limit:
            return over
        previous = current
    return min(previous[-1], over)


def _name_parts(text: str) -> list[str]:
    return [p for p in _NAME_SEPARATORS.split(text.casefold()) if p]


_NAME_SEPARATORS = re.compile(r"[-_.\s]+")


def _letters(text: str) -> int:
    """The letters of TEXT as bits (bit `ord(c) % 128`). Letters a text has and another lacks set bits of the xor
    of theirs, at most one bit per letter: so the xor has no more bits set than the two sets of letters differ by."""
    bits = 0
    for c in text:
        bits |= 1 << (ord(c) & 127)
    return bits


class _Index:
    """A registry's people as likely_logins compares them, and the answers given so far: `slate watch` asks again
    for the same handles on every rebuild with the same registry.

    `by_length`: (letters, login case-folded, login) of the people by the length of the case-folded login (a login
    more edits longer or shorter than allowed is never close); `by_part` and `by_name`: the logins by each name part
    of the login and by the letters of the person's name. Logins are unique (the registry is keyed by them)."""

    def __init__(self, teams: TeamRegistry) -> None:
        self.teams = teams  # kept alive, so its id is not reused while this entry stands
        self.by_length: dict[int, list[tuple[int, str, str]]] = {}
        self.by_part: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for p in teams.people.values():
            folded = p.login.casefold()
            self.by_length.setdefault(len(folded), []).append((_letters(folded), folded, p.login))
            # a login without separators is its one name part, which its edit distance (0) already finds
            for part in dict.fromkeys(_name_parts(p.login)) if not folded.isalnum() else ():
                self.by_part.setdefault(part, []).append(p.login)
            self.by_name.setdefault(_NAME_SEPARATORS.sub("", p.name.casefold()), []).append(p.login)
        self.answers: dict[str, list[str]] = {}


_index: dict[int, _Index] = {}


def _index_of(teams: TeamRegistry) -> _Index:
    known = _index.get(id(teams))
    if known is None or known.teams is not teams:
        _index.clear()  # one registry at a time (a build has one; watch reloads it when the team data changes)
        known = _index[id(teams)] = _Index(teams)
    return known


def likely_logins(teams: TeamRegistry, login: str) -> list[str]:
    """Logins of the team data that an unknown `@login` most likely meant to name, best first.

    A login at a small edit distance (case-insensitive: one edit up to six characters, two beyond), one that holds
    the handle as a name part (`@simulacrum` for `@Mark-Simulacrum`), or a person whose name the handle spells
    (`@arlo-siemsen` for Arlo Siemsen, `@arlosi`). Nothing for a handle that is simply not in the team data.
    """
    index = _index_of(teams)
    answer = index.answers.get(login)
    if answer is None:
        answer = index.answers[login] = _likely_logins(index, login)
    return list(answer)


def _likely_logins(index: _Index, login: str) -> list[str]:
    key = login.casefold()
    parts = _name_parts(login)
    limit = 1 if len(key) <= 6 else 2
    rank: dict[str, int] = {}  # login -> the edit distance, or limit + 1 for a name part or a spelt name
    letters = _letters(key)
    for length in range(len(key) - limit, len(key) + limit + 1):
        for their_letters, folded, person_login in index.by_length.get(length, ()):
            # One edit changes the set of letters by at most two: most logins are ruled out without the distance.
            if (letters ^ their_letters).bit_count() <= 2 * limit:
                distance = _edit_distance(key, folded, limit)
                if distance <= limit:
                    rank[person_login] = distance
    for person_login in index.by_part.get(key, ()) if len(key) >= 4 else ():
        rank.setdefault(person_login, limit + 1)
    for person_login in index.by_name.get("".join(parts), ()) if len(parts) >= 2 else ():
        rank.setdefault(person_login, limit + 1)
    return [login for _, login in sorted((distance, login) for login, distance in rank.items())]


def handle_problem(teams: TeamRegistry, login: str) -> tuple[str, str, str | None]:
    """The code, the message's tail and the hint for a handle that is not in the team data.

    `unknown-handle` (a warning) when the author can fix something: a likely typo of a login, or a team written as
    a person; `unlisted-handle` (off by default, slate/codes.py) for a well-formed handle that is simply absent, as
    people outside the Rust teams are.
    """
    team = teams.team(login)
    if team is not None:
        return "unknown-handle", "(a team, not a person)", f"a team? write `[{team.key}]`"
    close = likely_logins(teams, login)
    if close:
        meant = " or ".join(f"@{c}" for c in close[:3])
        return "unknown-handle", "(not in the team data)", f"did you mean {meant}?"
    return "unlisted-handle", "(not in the team data)", None
