"""Inline rewrites and the reference bookkeeping of the render stage.

Copied and lifted text goes through `References.rewrite`, which touches text nodes only: people, relative links,
team/badge/linkifier brackets, and references to the definitions of the file the text came from. What a link or a
reference resolves to comes from `rust_goals_slate.parse.links`, the resolver validate uses too; the problems it
finds are validate's to report (every file's), so this module formats and reports only what needs the RFC. Whatever
depends on the whole document (display-name clashes, label renames, footnote order, heading ids) is left in the text
as a sentinel (`\\x00...\\x00`) and settled once in `render.settle`, so the result does not depend on rendering
order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Document, Fragment, Slate, normalize_label
from rust_goals_slate.parse import directives
from rust_goals_slate.parse.inline import find_handles, scan
from rust_goals_slate.parse.links import destination, reference, relative_link
from rust_goals_slate.records import record
from rust_goals_slate.validate.base import handle_problem

_SENTINEL = re.compile(r"\x00([PRFAM])([^\x00]*)\x00")
_URL_PATH = re.compile(r"[A-Za-z0-9._~/-]*")

InlineDirective = Callable[[str, str | None, Location], str | None]


@dataclass
class _RefUse:
    """A reference-style link as used in some file of the RFC."""

    origin: str
    key: str  # normalised label
    text: str  # the link as written
    label: str  # visible text
    form: str  # 'full', 'collapsed', 'shortcut'
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


@dataclass
class References:
    """The links, references, footnotes and handles of the RFC, made to work in one document."""

    slate: Slate
    site_url: str
    chapter_anchor: dict[str, str]  # inlined chapter path -> marker key of its README heading
    document_origins: frozenset[str]  # README and inlined chapters: '#x' links are in-document anchors
    source_order: dict[str, int]
    problems: list[Diagnostic] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # canonical login -> display name
    teams: set[str] = field(default_factory=set)
    badges: dict[str, str] = field(default_factory=dict)  # label as configured -> url
    refs: list[_RefUse] = field(default_factory=list)
    defs: dict[tuple[str, str], Definition] = field(default_factory=dict)
    footnotes: dict[tuple[str, str], str] = field(default_factory=dict)  # (origin, key) -> rewritten body
    foot_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    _reported: dict[tuple[str, str], int] = field(default_factory=dict)  # (code, once) -> its index in `problems`
    _seen: set[Diagnostic] = field(default_factory=set)  # the members of `problems`
    # '#x' -> where it was first written: origin, line, token and its column in the lifted text (see `report`)
    anchor_sources: dict[str, tuple[str, int, str, int]] = field(default_factory=dict)

    # ---------------------------------------------------------------------------------------------------------
    # problems

    def report(
        self,
        origin: str,
        line: int,
        severity: Severity,
        code: str,
        message: str,
        hint: str | None = None,
        once: str | None = None,
        token: str = "",
        near: int = 0,
    ) -> None:
        """A problem of the rendered text. Reported once (with `once`: once per key, at its first place in source
        order; without: once per place), so that what is reported does not depend on the order of rendering.
        `token` is what the problem is about as written on that line (`@login`, a link, a `[`): its column is the
        diagnostic's; `near` is its column (from 0) in the lifted text, a lower bound of its column in the file."""
        if origin == "(output)" and once in self.anchor_sources:
            origin, line, token, near = self.anchor_sources[once]  # settled late: reported where it was written
        doc = self.slate.documents.get(origin)
        col = _column(doc, line, token, near) if doc else 1
        # The source line is attached by the pipeline (pipeline.build.located), as for every stage's diagnostics.
        found = Diagnostic(Location(origin, line, col), severity, code, message, hint)
        if found in self._seen:
            return
        if once is not None and (code, once) in self._reported:
            index = self._reported[(code, once)]
            first = self.problems[index].location
            if self._place(origin, line) >= self._place(first.path, first.line):
                return
            self._seen.discard(self.problems[index])
            self.problems[index] = found
        else:
            if once is not None:
                self._reported[(code, once)] = len(self.problems)
            self.problems.append(found)
        self._seen.add(found)

    def _place(self, origin: str, line: int) -> tuple[int, str, int]:
        """Where a file's line comes in the RFC's source order (README, chapters, goals by title, the rest)."""
        return (self.source_order.get(origin, 1 << 30), origin, line)

    def written(self, raw: str, origin: str, line: int, token: str = "", near: int = 0) -> None:
        """An in-document anchor, written at `origin:line`: it is reported (if it dangles) at its first place."""
        if raw not in self.anchor_sources or self._place(origin, line) < self._place(*self.anchor_sources[raw][:2]):
            self.anchor_sources[raw] = (origin, line, token, near)

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
            self.report(
                origin,
                line,
                Severity.WARNING,
                code,
                f"unknown GitHub handle '@{login}' {why}; it is left as written",
                hint=hint,
                once=key,
                token="@" + login,
                near=near,
            )
            return "@" + login
        canonical = person.login if person else login
        display = override if override is not None else (person.name if person else login)
        self.people.setdefault(canonical, display)
        return f"\x00P{canonical}\x00"

    def team(self, key: str) -> str:
        self.teams.add(key)
        return f"[{key}][]"

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
        return self.rewrite(frag.text, frag.origin, frag.line, directive)

    def rewrite(self, text: str, origin: str, line: int, directive: InlineDirective | None = None) -> str:
        out: list[str] = []
        for span in scan(text):
            piece = text[span.start : span.end]
            at = line + text.count("\n", 0, span.start)
            near = span.start - text.rfind("\n", 0, span.start) - 1  # the span's column (from 0) in `text`
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
        if "(((" in piece:
            near = 0  # expanded directives change the length of the text before a handle
        piece = self._directives(piece, origin, line, directive)
        if "@" not in piece:
            return piece
        out: list[str] = []
        last = 0
        for m in find_handles(piece):
            out.append(piece[last : m.start()])
            newline = piece.rfind("\n", 0, m.start())
            column = m.start() + near if newline < 0 else m.start() - newline - 1
            out.append(self.person(m.group(1), origin, line + piece.count("\n", 0, m.start()), column))
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
                origin, line, Severity.WARNING, relative.code, relative.message, relative.hint, token=token, near=near
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
            self.refs.append(_RefUse(found.source, found.key, piece, label, found.form, image))
            self._definition(found.source, found.key)
            return f"\x00R{len(self.refs) - 1}\x00"
        if found.kind == "badge":
            self.badges.setdefault(found.source, found.url)
        elif found.kind == "team":
            self.teams.add(found.source)
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
        found = self.defs.get((path, key))
        if found is None:
            d = self.slate.documents[path].link_def(key)
            assert d is not None
            found = Definition(path, key, d.label, self._dest(d.url, path, d.line, "["), d.title, d.line)
            self.defs[(path, key)] = found
        return found

    def _footnote(self, piece: str, label: str, origin: str, line: int) -> str:
        key = normalize_label(label)
        doc = self.slate.documents.get(origin)
        d = doc.footnote_def(key) if doc else None
        if d is None:
            return piece  # validate.links reports it
        if (origin, key) not in self.footnotes:
            self.footnotes[(origin, key)] = ""  # reserve first, the body may refer to itself
            self.footnotes[(origin, key)] = self.rewrite(d.text, origin, d.line)
            self.foot_labels[(origin, key)] = d.label
        return f"\x00F{origin}\x01{key}\x00"


def _column(doc: Document, line: int, token: str, near: int) -> int:
    """The column (from 1) of `token` on `line`, first looked for at or after `near` (lifted text is the line's text
    or less of it: a cell, an item without its marker, so its columns are lower bounds), then anywhere on the line;
    1 without one. The parse stage places handles in cells the same way (`Document.column_of`)."""
    col = doc.column_of(line, token, max(near, 0))
    if col == 1 and not doc.source_line(line).startswith(token):
        col = doc.column_of(line, token)
    return col
