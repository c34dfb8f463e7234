"""Inline Markdown: a scanner that splits raw inline source into the spans the rewrites care about.

The rewrites must touch text nodes only (people, counts), link destinations of relative links, and unresolved
bracket references; they must never touch code spans, autolinks, raw HTML or link text. A full inline AST is not
needed for that, and a scanner over the raw text keeps every untouched byte as it was written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Literal, NamedTuple

from rust_goals_slate.parse.closers import Closers, paren_end

SpanKind = Literal["text", "code", "autolink", "html", "link", "image", "ref", "footnote"]  # a Literal, as BlockKind


class Span(NamedTuple):
    """A piece of a block's inline text: plain text, code, a link, a reference, a footnote.

    A named tuple, not a record (`rust_goals_slate.records`): a scan of every file's prose makes thousands, and a
    frozen dataclass's `__init__` sets each of its nine fields through `object.__setattr__` (about four times the
    cost of the tuple)."""

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
# An HTML tag; a comment (`<!-- … -->`) is found by `Closers.comment_end`, which looks for each `-->` once (a regex
# `<!--.*?-->` would scan to the end of the text from every `<!--` of a run of them).
_HTML = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>)",
    re.S,
)


# The characters `scan` stops at; it jumps from one to the next.
_SCAN_SPECIAL = re.compile(r"[\\`<!\[]")


def strip_comments(text: str) -> str:
    """TEXT without its HTML comments: `re.sub(r"<!--.*?-->", "", text, flags=re.S)` in linear time (that pattern
    scans to the end of the text from each `<!--` of a run that never closes)."""
    pieces, i = [], 0
    while (start := text.find("<!--", i)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        pieces.append(text[i:start])
        i = end + 3
    return "".join(pieces) + text[i:] if pieces else text


def scan(text: str, texts: bool = True) -> Iterator[Span]:
    """Split inline source into spans; everything not recognised is `text`. Without `texts`, the `text` spans are
    left out (a caller that looks only at links, code and the like need not have them made)."""
    n = len(text)
    i = 0
    text_start = 0
    special = _SCAN_SPECIAL.search
    closers: Closers | None = None  # made when a code span, bracket or comment first needs it (most texts: never)
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
            closers = closers or Closers(text)
            e = closers.code_span_end(i)
            if e < 0:
                j = i
                while j < n and text[j] == "`":
                    j += 1
                i = j
                continue
            if texts and text_start < i:
                yield Span("text", text_start, i)
            yield Span("code", i, e)
            i = text_start = e
            continue
        if ch == "<":
            m = _AUTOLINK.match(text, i)
            end = m.end() if m else -1
            if end < 0 and text.startswith("<!--", i):
                closers = closers or Closers(text)
                end = closers.comment_end(i)
            if end < 0 and (tag := _HTML.match(text, i)):
                end = tag.end()
            if end > 0:
                if texts and text_start < i:
                    yield Span("text", text_start, i)
                yield Span("autolink" if m else "html", i, end)
                i = text_start = end
                continue
        image = ch == "!" and i + 1 < n and text[i + 1] == "["
        if ch == "[" or image:
            b = i + 1 if image else i
            closers = closers or Closers(text)
            span = _bracket_span(text, i, b, closers)
            if span is not None:
                if texts and text_start < i:
                    yield Span("text", text_start, i)
                yield span
                i = text_start = span.end
                continue
        i += 1
    if texts and text_start < n:
        yield Span("text", text_start, n)


def _bracket_span(text: str, i: int, b: int, closers: Closers) -> Span | None:
    """The footnote, link, image or reference that starts at `i` with the bracket at `b` (`i + 1` for an image)."""
    n = len(text)
    image = b > i
    e = closers.bracket_end(b)
    if e <= 0:
        return None
    label = text[b + 1 : e - 1]
    if not image and label.startswith("^") and label[1:] and " " not in label:
        return Span("footnote", i, e, label=label[1:])
    if e < n and text[e] == "(":
        pe, ds, de = paren_end(text, e)
        if pe > 0:
            kind: SpanKind = "image" if image else "link"
            return Span(kind, i, pe, label=label, dest=text[ds:de], image=image, dest_start=ds, dest_end=de)
    if e < n and text[e] == "[":
        re_ = closers.bracket_end(e)
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
        return self.add_slug(github_slug(title))

    def add_slug(self, base: str) -> str:
        """`base` (a heading's `github_slug`), or the next free `base-N`."""
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

# `@` first, and the character before it checked behind it: a pattern that starts with a literal is searched for that
# character, where one that starts with a look-behind is tried at every position of the text.
_HANDLE = re.compile(
    r"@(?<![A-Za-z0-9_./\-@]@)([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![A-Za-z0-9_/]|-[A-Za-z0-9])"
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


# The host, and the rest of the path: a second URL is `/http:/` or `/https:/` in that rest (one pass: a lazy
# `[^?#]*?/https?:/` tried the second URL at every character of the path).
_EMBEDDED_URL = re.compile(r"^https?://([^/?#]*)([^?#]*)")
# Web archives put the archived URL in their path by design.
_ARCHIVES = ("web.archive.org", "archive.org", "archive.is", "archive.ph", "archive.today")


def embeds_url(raw: str) -> bool:
    """`https://site/2025h1/https://doc.rust-lang.org/...`: a URL glued to a base URL (spec 3.5)."""
    m = _EMBEDDED_URL.match(raw)
    if m is None or ("/http:/" not in m.group(2) and "/https:/" not in m.group(2)):
        return False
    return m.group(1).casefold() not in _ARCHIVES
