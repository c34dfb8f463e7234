"""Inline Markdown: a scanner that splits raw inline source into the spans the rewrites care about.

The rewrites must touch text nodes only (people, counts), link destinations of relative links, and unresolved
bracket references; they must never touch code spans, autolinks, raw HTML or link text. A full inline AST is not
needed for that, and a scanner over the raw text keeps every untouched byte as it was written.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

SpanKind = Literal["text", "code", "autolink", "html", "link", "image", "ref", "footnote"]  # a Literal, as BlockKind


@dataclass(frozen=True)
class Span:
    """A piece of a block's inline text: plain text, code, a link, a reference, a footnote."""

    kind: SpanKind
    start: int
    end: int
    # link/image: label = link text, dest = destination (raw), title_part = what follows dest inside ()
    # ref: label = bracket text, ref = the reference label ('' collapsed, None shortcut); image flag in `kind`
    label: str = ""
    dest: str = ""
    ref: str | None = None
    image: bool = False
    dest_start: int = 0
    dest_end: int = 0


# A URL scheme (`https:`, `mailto:`): a link destination that starts with one is absolute.
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>")
# An HTML tag; a comment (`<!-- … -->`) is found by `_Scanner.comment_end`, which looks for each `-->` once (a regex
# `<!--.*?-->` would scan to the end of the text from every `<!--` of a run of them).
_HTML = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>)",
    re.S,
)


# The characters `scan` and `_Scanner._match_brackets` stop at; the scanners jump from one to the next.
_SCAN_SPECIAL = re.compile(r"[\\`<!\[]")
_BRACKET_SPECIAL = re.compile(r"[\\`\[\]]")
_BACKTICKS = re.compile(r"`+")


class _Scanner:
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


def _paren_end(text: str, i: int) -> tuple[int, int, int]:
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


def strip_comments(text: str) -> str:
    """TEXT without its HTML comments: `re.sub(r"<!--.*?-->", "", text, flags=re.S)` in linear time (that pattern
    scans to the end of the text from each `<!--` of a run that never closes)."""
    pieces, i = [], 0
    while (start := text.find("<!--", i)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        pieces.append(text[i:start])
        i = end + 3
    return "".join(pieces) + text[i:] if pieces else text


def scan(text: str) -> Iterator[Span]:
    """Split inline source into spans; everything not recognised is `text`."""
    n = len(text)
    i = 0
    text_start = 0
    special = _SCAN_SPECIAL.search
    scanner: _Scanner | None = None  # made when a code span, bracket or comment first needs it (most texts: never)
    while i < n:
        # Only these characters can start a span or an escape; every other character just moves on.
        found = special(text, i)
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            i += 2
            continue
        if ch == "`":
            scanner = scanner or _Scanner(text)
            e = scanner.code_span_end(i)
            if e < 0:
                j = i
                while j < n and text[j] == "`":
                    j += 1
                i = j
                continue
            if text_start < i:
                yield Span("text", text_start, i)
            yield Span("code", i, e)
            i = text_start = e
            continue
        if ch == "<":
            m = _AUTOLINK.match(text, i)
            end = m.end() if m else -1
            if end < 0 and text.startswith("<!--", i):
                scanner = scanner or _Scanner(text)
                end = scanner.comment_end(i)
            if end < 0 and (tag := _HTML.match(text, i)):
                end = tag.end()
            if end > 0:
                if text_start < i:
                    yield Span("text", text_start, i)
                yield Span("autolink" if m else "html", i, end)
                i = text_start = end
                continue
        image = ch == "!" and i + 1 < n and text[i + 1] == "["
        if ch == "[" or image:
            b = i + 1 if image else i
            scanner = scanner or _Scanner(text)
            span = _bracket_span(text, i, b, scanner)
            if span is not None:
                if text_start < i:
                    yield Span("text", text_start, i)
                yield span
                i = text_start = span.end
                continue
        i += 1
    if text_start < n:
        yield Span("text", text_start, n)


def _bracket_span(text: str, i: int, b: int, scanner: _Scanner) -> Span | None:
    """The footnote, link, image or reference that starts at `i` with the bracket at `b` (`i + 1` for an image)."""
    n = len(text)
    image = b > i
    e = scanner.bracket_end(b)
    if e <= 0:
        return None
    label = text[b + 1 : e - 1]
    if not image and label.startswith("^") and label[1:] and " " not in label:
        return Span("footnote", i, e, label=label[1:])
    if e < n and text[e] == "(":
        pe, ds, de = _paren_end(text, e)
        if pe > 0:
            kind: SpanKind = "image" if image else "link"
            return Span(kind, i, pe, label=label, dest=text[ds:de], image=image, dest_start=ds, dest_end=de)
    if e < n and text[e] == "[":
        re_ = scanner.bracket_end(e)
        if re_ > 0 and "[" not in text[e + 1 : re_ - 1]:
            return Span("ref", i, re_, label=label, ref=text[e + 1 : re_ - 1], image=image)
    if label.strip():
        return Span("ref", i, e, label=label, ref=None, image=image)
    return None


# --------------------------------------------------------------------------------------------------------------
# Plain text and heading ids

# Emphasis and strikethrough markers; an underscore inside a word (`macro_rules`) is text, not emphasis.
_MARKUP = re.compile(r"[*~]+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
_ESCAPED = re.compile(r"\\(.)")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_UNESCAPED_BRACKET = re.compile(r"(?<!\\)([\[\]])")


def plain_text(source: str) -> str:
    """The visible text of inline Markdown: link text kept, destinations, markup and code ticks dropped."""
    out: list[str] = []
    for span in scan(source):
        piece = source[span.start : span.end]
        if span.kind == "code":
            out.append(piece.strip("`").strip() if piece.strip("`").strip() else piece.strip("`"))
        elif span.kind in ("link", "ref") or span.kind == "image":
            out.append(plain_text(span.label))
        elif span.kind in ("html", "footnote"):
            continue
        elif span.kind == "autolink":
            out.append(piece[1:-1])
        else:
            out.append(_MARKUP.sub("", _ESCAPED.sub(r"\1", piece)))
    return " ".join("".join(out).split())


def title_key(title: str, tiebreak: str) -> tuple[str, str]:
    """Title order: visible text, Unicode case-folded, then the file path."""
    return (unicodedata.normalize("NFKC", plain_text(title)).casefold(), tiebreak)


def mdbook_id(title: str) -> str:
    """mdBook's heading id: letters, digits, '_' and '-' of the visible text, lowercased; whitespace -> '-'."""
    text = plain_text(title)
    out = []
    for ch in text:
        if ch.isalnum() or ch in "_-":
            out.append(ch.lower())
        elif ch.isspace():
            out.append("-")
    return "".join(out)


def github_slug(title: str) -> str:
    """GitHub's anchor for a heading (before de-duplication)."""
    text = plain_text(title).lower()
    out = []
    for ch in text:
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch == " ":
            out.append("-")
    return "".join(out)


class SlugCounter:
    """De-duplicates GitHub anchors in document order: `x`, `x-1`, `x-2`, ..."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}
        self.ids: list[str] = []

    def add(self, title: str) -> str:
        base = github_slug(title)
        slug = base
        if base in self._seen:
            self._seen[base] += 1
            slug = f"{base}-{self._seen[base]}"
            while slug in self._seen:
                self._seen[base] += 1
                slug = f"{base}-{self._seen[base]}"
        self._seen.setdefault(slug, 0)
        self.ids.append(slug)
        return slug


# --------------------------------------------------------------------------------------------------------------
# People

_HANDLE = re.compile(
    r"(?<![A-Za-z0-9_./\-@])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![A-Za-z0-9_/]|-[A-Za-z0-9])"
)


def find_handles(text: str) -> Iterator[re.Match[str]]:
    """Whole-token `@login` mentions in a text span."""
    return _HANDLE.finditer(text)


def handles_in(source: str) -> list[str]:
    """Every `@login` in the text nodes of inline source (not in code, links or HTML)."""
    found: list[str] = []
    for span in scan(source):
        if span.kind == "text":
            found.extend(m.group(1) for m in find_handles(source[span.start : span.end]))
    return found


def escape_cell(text: str) -> str:
    """A generated table cell: one line, unescaped pipes escaped (including inside code spans, as GFM needs)."""
    text = " ".join(text.split())
    return _UNESCAPED_PIPE.sub(r"\\|", text)


def escape_link_text(text: str) -> str:
    """Escape brackets in link text, except inside code spans."""
    out: list[str] = []
    for span in scan(text):
        piece = text[span.start : span.end]
        if span.kind == "code":
            out.append(piece)
        else:
            out.append(_UNESCAPED_BRACKET.sub(r"\\\1", piece))
    return "".join(out)


_EMBEDDED_URL = re.compile(r"^https?://([^/?#]*)[^?#]*?/https?:/")
# Web archives put the archived URL in their path by design.
_ARCHIVES = ("web.archive.org", "archive.org", "archive.is", "archive.ph", "archive.today")


def embeds_url(raw: str) -> bool:
    """`https://site/2025h1/https://doc.rust-lang.org/...`: a URL glued to a base URL (spec 3.5)."""
    m = _EMBEDDED_URL.match(raw)
    return m is not None and m.group(1).casefold() not in _ARCHIVES
