"""Inline rewrites and what the render of one document uses.

Copied and lifted text goes through `References.rewrite`, which touches text nodes only: people, relative links,
team/badge/linkifier brackets, and references to the definitions of the file the text came from. What a link or a
reference resolves to comes from `rust_goals_slate.parse.links`, the resolver validate uses too; the problems it
finds are validate's to report (every file's), so this module reports only what needs the RFC.

A document is rendered twice by the same code (`render.rfc`, `render.standalone`). The first pass renders no
template and writes provisional text; it only finds what the document names (`Uses`: people, definitions,
footnotes, teams, badges). From that, `render.settle.labels` decides what depends on the whole document (a display
name two people of the document share gets the handle, a definition label that clashes is renamed, footnote labels)
as `Labels`, and the second pass writes final text with them: every value a template receives is final. Only
in-document anchors are left for the assembled text (`\\x00A…\\x00`, settled by `render.settle`): a heading's id
depends on every heading before it, the templates' included. Problems are recorded as `Found` and placed once, after
the pass (`placed`), so what is reported does not depend on the order of rendering.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from functools import cached_property
from urllib.parse import quote

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Document, Fragment, Slate, normalize_label
from rust_goals_slate.parse import directives
from rust_goals_slate.parse.inline import Span, find_handles, scan
from rust_goals_slate.parse.links import destination, reference, relative_link
from rust_goals_slate.records import record
from rust_goals_slate.validate.base import handle_problem

_URL_PATH = re.compile(r"[A-Za-z0-9._~/-]*")

InlineDirective = Callable[[str, str | None, Location], str | None]


@record
class RefUse:
    """A reference-style link as used in some file of the document."""

    origin: str
    key: str  # normalised label
    image: bool


@record
class Definition:
    """A link definition of some file of the RFC, as the settle step gives it a label in the one document."""

    origin: str
    key: str
    label: str
    url: str
    title: str | None
    line: int

    @property
    def where(self) -> tuple[str, str]:
        return (self.origin, self.key)


@record
class Found:
    """A problem the render found, not yet placed (`placed`): at `origin:line`, about `token` as written there (its
    column is the diagnostic's; `near`, its column in the lifted text, is a lower bound of it). With `once`, it is
    reported once per (code, once), at its first place in source order; without, once per place."""

    origin: str  # a file, or "(output)" for an anchor of the assembled text (placed where it was written)
    line: int
    severity: Severity
    code: str
    message: str
    hint: str | None = None
    once: str | None = None
    token: str = ""
    near: int = 0


@record
class Labels:
    """What the whole document decides, worked out from the first pass's `Uses` (`render.settle.labels`) so that the
    second pass writes final text: the label of each person, of each definition a reference uses, of each
    footnote."""

    people: Mapping[str, str] = field(default_factory=dict)  # canonical login -> label ('Jun Park (jpark-dev)')
    definitions: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (file, key) -> label in the document
    footnotes: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (file, key) -> label in the document


@record(frozen=False)
class Uses:
    """What one pass over a document used, in the order it met them: read after the pass, for the labels (first
    pass), the definitions and footnotes blocks and the problems (second pass)."""

    people: dict[str, str] = field(default_factory=dict)  # canonical login -> display name
    teams: set[str] = field(default_factory=set)
    badges: dict[str, str] = field(default_factory=dict)  # label as configured -> url
    refs: list[RefUse] = field(default_factory=list)
    defs: dict[tuple[str, str], Definition] = field(default_factory=dict)
    footnotes: dict[tuple[str, str], str] = field(default_factory=dict)  # (origin, key) -> rewritten body, by citation
    foot_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    # '#x' -> where it was first written in source order: origin, line, token and its column in the lifted text
    anchors: dict[str, tuple[str, int, str, int]] = field(default_factory=dict)
    found: list[Found] = field(default_factory=list)


@record(frozen=False)
class Memo:
    """What does not depend on labels, worked out once for both passes over a document: the spans of each text
    rewritten, and each goal link written."""

    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    links: dict[tuple[str, str, str | None], str] = field(default_factory=dict)


@record(frozen=False)
class References:
    """The links, references, footnotes and handles of one document, made to work in it: provisional text without
    `labels` (the first pass), final text with them."""

    slate: Slate
    site_url: str
    chapter_anchor: dict[str, str]  # inlined chapter path -> marker key of its README heading
    document_origins: frozenset[str]  # README and inlined chapters: '#x' links are in-document anchors
    source_order: dict[str, int]
    labels: Labels | None = None
    uses: Uses = field(default_factory=Uses)
    memo: Memo = field(default_factory=Memo)

    # ---------------------------------------------------------------------------------------------------------
    # problems

    def report(self, found: Found) -> None:
        self.uses.found.append(found)

    def place(self, origin: str, line: int) -> tuple[int, str, int]:
        """Where a file's line comes in the RFC's source order (README, chapters, goals by title, the rest)."""
        return (self.source_order.get(origin, 1 << 30), origin, line)

    def written(self, raw: str, origin: str, line: int, token: str = "", near: int = 0) -> None:
        """An in-document anchor, written at `origin:line`: it is reported (if it dangles) at its first place."""
        anchors = self.uses.anchors
        if raw not in anchors or self.place(origin, line) < self.place(*anchors[raw][:2]):
            anchors[raw] = (origin, line, token, near)

    def placed(self, found: Iterable[Found]) -> list[Diagnostic]:
        """The problems, each at its token's column: once per place, or with `once` once per key at its first
        place in source order (so they do not depend on the order of rendering); an anchor of the assembled text
        at the place it was first written."""
        out: dict[object, Diagnostic] = {}
        for f in found:
            origin, line, token, near = f.origin, f.line, f.token, f.near
            if origin == "(output)" and f.once in self.uses.anchors:
                origin, line, token, near = self.uses.anchors[f.once]
            doc = self.slate.documents.get(origin)
            col = _column(doc, line, token, near) if doc else 1
            # The source line is attached by the pipeline (pipeline.build.located), as for every stage's diagnostics.
            d = Diagnostic(Location(origin, line, col), f.severity, f.code, f.message, f.hint)
            if f.once is None:
                out.setdefault(d, d)
                continue
            first = out.get((f.code, f.once))
            if first is None or self.place(origin, line) < self.place(first.location.path, first.location.line):
                out[(f.code, f.once)] = d
        return list(out.values())

    # ---------------------------------------------------------------------------------------------------------
    # people, teams, goals

    @cached_property
    def _field_logins(self) -> frozenset[str]:
        return frozenset(h.login.casefold() for h in self.slate.people_fields)

    def person(self, login: str, origin: str, line: int, near: int = 0) -> str:
        key = login.casefold()
        if key in self.slate.config.ignore_users:
            return "@" + login
        override = self.slate.config.users.get(key)
        person = self.slate.teams.person(login)
        if person is None and override is None:
            if key in self._field_logins:
                return "@" + login  # validate.names reports it, at the first field that names it
            code, why, hint = handle_problem(self.slate.teams, login)
            message = f"unknown GitHub handle '@{login}' {why}; it is left as written"
            self.report(Found(origin, line, Severity.WARNING, code, message, hint, key, "@" + login, near))
            return "@" + login
        canonical = person.login if person else login
        display = override if override is not None else (person.name if person else login)
        self.uses.people.setdefault(canonical, display)
        label = self.labels.people.get(canonical, display) if self.labels is not None else display
        return f"[{label}][]"

    def team(self, key: str) -> str:
        self.uses.teams.add(key)
        return f"[{key}][]"

    def badge(self, configured: str, url: str) -> None:
        self.uses.badges.setdefault(configured, url)

    def site_page(self, path: str, fragment: str = "") -> str:
        """`src/2026/x.md` -> `<site>/2026/x.html#fragment`."""
        rel = path
        src_root = self.slate.src_dir.rsplit("/", 1)[0] if "/" in self.slate.src_dir else ""
        if src_root and rel.startswith(src_root + "/"):
            rel = rel[len(src_root) + 1 :]
        if rel.endswith(".md"):
            rel = rel[:-3] + ".html"
        if not _URL_PATH.fullmatch(rel):  # `my goal.md` (reported by discovery): a link target holds no blank
            rel = quote(rel, safe="/")
        return self.site_url + rel + (f"#{fragment}" if fragment else "")

    # ---------------------------------------------------------------------------------------------------------
    # the rewrite of one piece of inline source

    def fragment(self, frag: Fragment, directive: InlineDirective | None = None) -> str:
        return self.rewrite(frag.text, frag.origin, frag.line, directive, frag.col)

    def rewrite(self, text: str, origin: str, line: int, directive: InlineDirective | None = None, col: int = 0) -> str:
        """`text`, written at `origin:line` from column `col` (from 0), rewritten for the document."""
        out: list[str] = []
        spans = self.memo.spans.get(text)
        if spans is None:
            spans = self.memo.spans[text] = tuple(scan(text))
        for span in spans:
            piece = text[span.start : span.end]
            at, near = _at(text, span.start, line, col)  # the span's line, and its column (from 0) there
            if span.kind == "text":
                out.append(self._text(piece, origin, at, directive, near))
            elif span.kind == "html":
                out.append(self._html(piece, origin, at, directive))
            elif span.kind in ("link", "image"):
                new_dest = self._dest(span.dest, origin, at, piece.split("\n", 1)[0], near)
                # Directives in link text are expanded as in any text (spec 2.1: every occurrence); people and
                # references there are not (spec 3.6).
                link_text = self._directives(text[span.start : span.dest_start], origin, at, directive)
                out.append(link_text + new_dest + text[span.dest_end : span.end])
            elif span.kind == "ref":
                out.append(self._ref(piece, span.label, span.ref, span.image, origin, at))
            elif span.kind == "footnote":
                out.append(self._footnote(piece, span.label, origin, at))
            else:
                out.append(piece)
        return "".join(out)

    def _directives(self, piece: str, origin: str, line: int, directive: InlineDirective | None) -> str:
        if directive is None or "(((" not in piece:
            return piece

        expanded: list[str] = []
        last = 0
        for m, name, arg in directives.in_text(piece):
            result = directive(name, arg, Location(origin, line + piece.count("\n", 0, m.start()), 1))
            expanded += [piece[last : m.start()], m.group(0) if result is None else result]
            last = m.end()
        return "".join(expanded) + piece[last:]

    def _text(self, piece: str, origin: str, line: int, directive: InlineDirective | None, near: int = 0) -> str:
        """A text node: its `@handle`s become people, its inline directives their expansion (whose text, made of
        people already, is not looked at again); `near` is its column (from 0) in the lifted text."""
        if directive is None or "(((" not in piece:
            return self._people(piece, origin, line, near)
        out: list[str] = []
        last = 0
        for m, name, arg in directives.in_text(piece):
            out.append(self._people(piece[last : m.start()], origin, *_at(piece, last, line, near)))
            result = directive(name, arg, Location(origin, line + piece.count("\n", 0, m.start()), 1))
            out.append(m.group(0) if result is None else result)
            last = m.end()
        out.append(self._people(piece[last:], origin, *_at(piece, last, line, near)))
        return "".join(out)

    def _people(self, piece: str, origin: str, line: int, near: int) -> str:
        if "@" not in piece:
            return piece
        out: list[str] = []
        last = 0
        for m in find_handles(piece):
            out.append(piece[last : m.start()])
            at, column = _at(piece, m.start(), line, near)
            out.append(self.person(m.group(1), origin, at, column))
            last = m.end()
        out.append(piece[last:])
        return "".join(out)

    def _html(self, piece: str, origin: str, line: int, directive: InlineDirective | None) -> str:
        if piece.startswith("<!--"):
            inner = piece[4:-3].strip()
            if directive is not None and inner.startswith("#"):
                result = directive(inner, None, Location(origin, line, 1))
                if result is not None:
                    return result
            return ""  # comments never reach the output
        return piece

    def _dest(self, dest: str, origin: str, line: int, token: str, near: int = 0) -> str:
        """The RFC's target of a link to `dest`, written as `token` (the link's first line, or a definition's
        `[`) at column `near` of lifted text on `line`."""
        found = destination(self.slate, origin, dest)
        relative = relative_link(found)
        if relative is not None:
            self.report(
                Found(origin, line, Severity.WARNING, relative.code, relative.message, relative.hint, None, token, near)
            )
        if found.kind == "url":
            return found.href  # the second URL of a url-in-url
        if found.kind == "anchor":
            if origin in self.document_origins:
                self.written(found.raw, origin, line, token, near)
                return f"\x00A{found.raw}\x00"
            return self.site_page(origin, found.fragment)
        if found.kind != "file":
            return dest
        if found.href in self.chapter_anchor:
            return f"\x00A{found.href}#{found.fragment}\x00"
        return self.site_page(found.href, found.fragment)

    def _ref(self, piece: str, label: str, ref: str | None, image: bool, origin: str, line: int) -> str:
        found = reference(self.slate, self._definition_files(origin), piece, label, ref, image, explain=False)
        if found.kind == "definition":
            self.uses.refs.append(RefUse(found.source, found.key, image))
            self._definition(found.source, found.key)
            final = self.labels.definitions.get((found.source, found.key)) if self.labels is not None else None
            if final is None or normalize_label(final) == found.key:
                return piece
            return f"{'!' if image else ''}[{label}][{final}]"  # renamed in the document (renamed-definition)
        if found.kind == "badge":
            self.badge(found.source, found.url)
        elif found.kind == "team":
            self.uses.teams.add(found.source)
        elif found.kind == "linkifier":
            return f"[{label}]({found.url})"
        return piece  # unresolved, folded or brackets in prose: validate.links reports what needs reporting

    def _definition_files(self, origin: str) -> list[str]:
        """Where a reference written in `origin` finds its definition: its own file; for the README and its
        chapters, then the others of them (one document in the RFC)."""
        if origin not in self.document_origins:
            return [origin]
        others = sorted(self.document_origins - {origin}, key=lambda p: self.source_order.get(p, 1 << 30))
        return [origin, *others]

    def _definition(self, path: str, key: str) -> Definition:
        found = self.uses.defs.get((path, key))
        if found is None:
            d = self.slate.documents[path].link_def(key)
            assert d is not None
            found = Definition(path, key, d.label, self._dest(d.url, path, d.line, "["), d.title, d.line)
            self.uses.defs[(path, key)] = found
        return found

    def _footnote(self, piece: str, label: str, origin: str, line: int) -> str:
        key = normalize_label(label)
        doc = self.slate.documents.get(origin)
        d = doc.footnote_def(key) if doc else None
        if d is None:
            return piece  # validate.links reports it
        feet = self.uses.footnotes
        if (origin, key) not in feet:
            feet[(origin, key)] = ""  # reserve first (the order of citation), the body may refer to itself
            self.uses.foot_labels[(origin, key)] = d.label
            feet[(origin, key)] = self.rewrite(d.text, origin, d.line)
        if self.labels is None:
            return piece
        return f"[^{self.labels.footnotes.get((origin, key), d.label)}]"


def _at(text: str, offset: int, line: int, near: int) -> tuple[int, int]:
    """The line of `text[offset]` and its column (from 0) in the lifted text, `text` starting at `line`, `near`."""
    newline = text.rfind("\n", 0, offset)
    return line + text.count("\n", 0, offset), offset + near if newline < 0 else offset - newline - 1


def _column(doc: Document, line: int, token: str, near: int) -> int:
    """The column (from 1) of `token` on `line`, first looked for at or after `near` (lifted text is the line's text
    or less of it: a cell, an item without its marker, so its columns are lower bounds), then anywhere on the line;
    1 without one. The parse stage places handles in cells the same way (`Document.column_of`)."""
    col = doc.column_of(line, token, max(near, 0))
    if col == 1 and not doc.source_line(line).startswith(token):
        col = doc.column_of(line, token)
    return col
