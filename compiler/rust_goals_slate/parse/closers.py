"""Where inline constructs close, found in time linear in the text whatever it holds.

`parse/inline.scan` asks, at each backtick, `[`, `<!--` and link `(`, where that construct ends. Asked naively, each
question can read to the end of the text, and a run of openers that never close makes the scan quadratic; here each
is answered from work done once per text (`Closers`) or within a bounded window (`paren_end`).
"""

from __future__ import annotations

import bisect
import re

# The characters `Closers._match_brackets` stops at; it jumps from one to the next.
_BRACKET_SPECIAL = re.compile(r"[\\`\[\]]")
_BACKTICKS = re.compile(r"`+")


class Closers:
    """What `scan` needs to know about one text, found in time linear in its length whatever the text holds.

    Each question a naive scanner asks (where does this code span, bracket, comment close?) is answered from work
    done once per text: the backtick runs are listed once (by position and by length) as soon as direct searches
    for closers have read twice the text; the brackets are matched in one pass (a stack) from a `[` to its `]`,
    recording every `[` in between; the next `-->` is looked for once per comment that closes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.searched = 0  # characters read looking for code-span closers, before the runs are listed
        self.run_starts: list[int] | None = None  # backtick runs, listed once direct searches have read 2x the text
        self.run_ends: list[int] = []
        self.runs_by_length: dict[int, list[int]] = {}
        self.bracket_ends: dict[int, int] = {}  # '[' position -> index past its ']', or -1
        self.comment_close = -2  # position of the next '-->' (-1: none), valid up to itself
        self.comment_from = 0

    def code_span_end(self, i: int) -> int:
        """`text[i]` is a backtick; return the end of the code span starting there, or -1 if it does not close.

        The closer is the first run of exactly as many backticks after this run. It is looked for directly until
        those searches have read twice the text (runs of many different lengths, each searched to the end); then the
        runs are listed once (by start, and by length), and each question is two binary searches."""
        if self.run_starts is not None:
            return self._indexed_span_end(i)
        text = self.text
        n = len(text)
        j = i
        while j < n and text[j] == "`":
            j += 1
        run = j - i
        self.searched += run
        k = j
        while True:
            k = text.find("`" * run, k)
            if k < 0:
                self.searched += n - j
                break
            m = k
            while m < n and text[m] == "`":
                m += 1
            if m - k == run:
                self.searched += m - j
                break
            k = m
        if self.searched > 2 * n:
            self._list_runs()
        return -1 if k < 0 else k + run

    def _indexed_span_end(self, i: int) -> int:
        assert self.run_starts is not None
        r = bisect.bisect_right(self.run_starts, i) - 1  # the run holding i
        j = self.run_ends[r]
        run = j - i
        closers = self.runs_by_length.get(run, [])
        k = bisect.bisect_left(closers, j)
        return closers[k] + run if k < len(closers) else -1

    def _list_runs(self) -> None:
        starts, ends = [], []
        by_length: dict[int, list[int]] = {}
        for m in _BACKTICKS.finditer(self.text):
            starts.append(m.start())
            ends.append(m.end())
            by_length.setdefault(m.end() - m.start(), []).append(m.start())
        self.run_starts, self.run_ends, self.runs_by_length = starts, ends, by_length

    def bracket_end(self, i: int) -> int:
        """`text[i]` is '['; return the index just past the matching ']', or -1."""
        found = self.bracket_ends.get(i)
        if found is None:
            self._match_brackets(i)
            found = self.bracket_ends[i]
        return found

    def _match_brackets(self, i: int) -> None:
        # The tokens are those a depth-counting scan from `i` would see (escapes, code spans, brackets), so each '['
        # this pass pushes gets the answer that scan from it would give.
        text = self.text
        n = len(text)
        stack: list[int] = []
        ends = self.bracket_ends
        special = _BRACKET_SPECIAL.search
        j = i
        while j < n:
            found = special(text, j)
            if found is None:
                break
            j = found.start()
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "`":
                e = self.code_span_end(j)
                if e > 0:
                    j = e
                    continue
            if ch == "[":
                stack.append(j)
            elif ch == "]" and stack:
                ends[stack.pop()] = j + 1
                if not stack:  # `i` is matched: a later `[` starts a pass of its own, so no text is walked twice
                    break
            j += 1
        for k in stack:
            ends[k] = -1

    def comment_end(self, i: int) -> int:
        """`text[i:]` starts with `<!--`: the index past its `-->`, or -1 when none follows."""
        if self.comment_close == -1 and i + 4 >= self.comment_from:
            return -1
        if self.comment_close < i + 4:
            self.comment_from = i + 4
            self.comment_close = self.text.find("-->", i + 4)
            if self.comment_close < 0:
                return -1
        return self.comment_close + 3


# A link's destination and title together: longer, and `[a](` is not a link (the corpora's longest is 228
# characters); nor is a destination with more unclosed `(` than MAX_DEST_PARENS. Without these bounds, a run of
# `[a](` (each destination running to the end of the text) takes quadratic time.
MAX_DESTINATION = 1024
MAX_DEST_PARENS = 32
_DEST_END_OR_TURN = re.compile(r"[\\ \t\n)]")
_DEST_SPECIAL = re.compile(r"[\\ \t\n()]")
_TITLE_SPECIAL = re.compile(r"[)\"'(]")


def paren_end(text: str, i: int) -> tuple[int, int, int]:
    """`text[i]` is '('; return (end past ')', dest_start, dest_end) or (-1, 0, 0)."""
    n = min(len(text), i + MAX_DESTINATION)
    j = i + 1
    while j < n and text[j] in " \t\n":
        j += 1
    dest_start = j
    if j < n and text[j] == "<":
        k = text.find(">", j, n)
        if k < 0:
            return -1, 0, 0
        dest_end = k + 1
        j = k + 1
    elif (first := _DEST_END_OR_TURN.search(text, j, n)) is None or text[first.start()] in " \t\n":
        # No `)` and no escape before the first blank (or the window's end): the destination ends there, whatever
        # its `(`s (a run of `[a](` would otherwise be walked through a character at a time).
        j = dest_end = first.start() if first is not None else n
    else:
        depth = 0
        while (found := _DEST_SPECIAL.search(text, j, n)) is not None:
            j = found.start()
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch in " \t\n":
                break
            if ch == "(":
                depth += 1
                if depth > MAX_DEST_PARENS:
                    return -1, 0, 0
            elif depth == 0:
                break
            else:
                depth -= 1
            j += 1
        else:
            j = max(j, n)
        dest_end = j
    # optional title, then ')'
    while j < n and (found := _TITLE_SPECIAL.search(text, j, n)) is not None and text[found.start()] != ")":
        j = found.start()
        if text[j] in "\"'":
            q = text.find(text[j], j + 1, n)
            if q < 0:
                return -1, 0, 0
            j = q + 1
            continue
        if text[j] == "(":
            q = text.find(")", j + 1, n)
            if q < 0:
                return -1, 0, 0
            j = q + 1
    else:
        j = found.start() if j < n and found is not None else n
    if j >= n:
        return -1, 0, 0
    return j + 1, dest_start, dest_end
