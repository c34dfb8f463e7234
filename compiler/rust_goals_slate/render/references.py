"""Inline rewrites and the reference bookkeeping of the render stage.

Copied and lifted text goes through `References.rewrite`, which touches text nodes only: people, relative links,
team/badge/linkifier brackets, and references to the definitions of the file the text came from. Whatever depends
on the whole document (display-name clashes, label renames, footnote order, heading ids) is left in the text as a
sentinel (`\\x00...\\x00`) and settled once in `finish`, so the result does not depend on rendering order.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Fragment, Slate, normalize_label
from rust_goals_slate.parse import directives
from rust_goals_slate.parse.inline import URL_SCHEME, embeds_url, find_handles, scan
from rust_goals_slate.validate.base import handle_problem, linkifier_form

_SENTINEL = re.compile(r"\x00([PRFAM])([^\x00]*)\x00")
_URL_PATH = re.compile(r"[A-Za-z0-9._~/-]*")
_LABELISH = re.compile(r"[A-Za-z0-9_.#/@-]+(?: [A-Za-z0-9_.#/@-]+){0,3}")

# Problems `validate.links` finds in every file except the README and its chapters; reporting them here too
# would repeat them for the pieces of goal text that reach the RFC.
CHECKED_IN_EVERY_FILE = frozenset(
    {
        "url-in-url",
        "link-outside-root",
        "missing-link-target",
        "undefined-reference",
        "unresolved-reference",
        "undefined-footnote",
    }
)
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


@dataclass(frozen=True)
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
    _reported: set[tuple[str, str]] = field(default_factory=set)
    anchor_sources: dict[str, tuple[str, int]] = field(default_factory=dict)  # '#x' -> where it was first written

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
    ) -> None:
        if origin == "(output)" and once in self.anchor_sources:
            origin, line = self.anchor_sources[once]  # an anchor settled late: report it where it was written
        if code in CHECKED_IN_EVERY_FILE and origin not in self.document_origins:
            return  # rust_goals_slate.validate.links checks every file for these, lifted text or not
        if once is not None:
            if (code, once) in self._reported:
                return
            self._reported.add((code, once))
        doc = self.slate.documents.get(origin)
        source = doc.source_line(line) if doc else None
        self.problems.append(Diagnostic(Location(origin, line, 1), severity, code, message, hint, source))

    # ---------------------------------------------------------------------------------------------------------
    # people, teams, goals

    @cached_property
    def _field_logins(self) -> frozenset[str]:
        return frozenset(h.login.casefold() for h in self.slate.people_fields)

    def person(self, login: str, origin: str, line: int) -> str:
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
            if span.kind == "text":
                out.append(self._text(piece, origin, at, directive))
            elif span.kind == "html":
                out.append(self._html(piece, origin, at, directive))
            elif span.kind in ("link", "image"):
                new_dest = self._dest(span.dest, origin, at)
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

    def _text(self, piece: str, origin: str, line: int, directive: InlineDirective | None) -> str:
        piece = self._directives(piece, origin, line, directive)
        if "@" not in piece:
            return piece
        out: list[str] = []
        last = 0
        for m in find_handles(piece):
            out.append(piece[last : m.start()])
            out.append(self.person(m.group(1), origin, line + piece.count("\n", 0, m.start())))
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

    def _dest(self, dest: str, origin: str, line: int) -> str:
        raw = dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest
        if not raw or URL_SCHEME.match(raw) or raw.startswith("//"):
            if embeds_url(raw):
                # A base URL glued onto an absolute one (README.md:13 of 2025h1): the embedded URL is the target.
                second = re.search(r"https?:/", raw[8:])
                inner = raw[second.start() + 8 :] if second else raw
                self.report(
                    origin,
                    line,
                    Severity.WARNING,
                    "url-in-url",
                    f"link '{raw}' embeds a second URL; the RFC links to '{inner}'",
                    hint="link to the second URL directly",
                )
                return inner
            return dest
        if raw.startswith("#"):
            if origin in self.document_origins:
                self.anchor_sources.setdefault(raw, (origin, line))
                return f"\x00A#{raw[1:]}\x00"
            return self.site_page(origin, raw[1:])
        path, _, fragment = raw.partition("#")
        if path.endswith(".html"):
            source = posixpath.normpath(posixpath.join(posixpath.dirname(origin), path[:-5] + ".md"))
            if source in self.slate.documents:
                # A link to the rendered site page of a source file: resolve it like a link to the file.
                self.report(
                    origin,
                    line,
                    Severity.WARNING,
                    "relative-link",
                    f"relative link '{raw}' names a site page; the RFC links to the page of {source}",
                    hint=f"link to the source file: '{path[:-5]}.md'",
                )
                path = path[:-5] + ".md"
        if not path.endswith(".md"):
            self.report(
                origin,
                line,
                Severity.WARNING,
                "relative-link",
                f"relative link '{raw}' does not name a Markdown source file; it is left as written",
                hint="use a path to the .md file, or an absolute URL",
            )
            return dest
        target = posixpath.normpath(posixpath.join(posixpath.dirname(origin), path))
        if target.startswith("../") or target == "..":
            self.report(
                origin,
                line,
                Severity.WARNING,
                "link-outside-root",
                f"link '{raw}' leaves the input root; it is left as written",
            )
            return dest
        if target in self.chapter_anchor:
            return f"\x00A{target}#{fragment}\x00"
        if target.startswith(self.slate.src_dir + "/") and target not in self.slate.documents:
            self.report(
                origin,
                line,
                Severity.WARNING,
                "missing-link-target",
                f"link '{raw}' points to {target}, which does not exist",
            )
        return self.site_page(target, fragment)

    def _ref(self, piece: str, label: str, ref: str | None, image: bool, origin: str, line: int) -> str:
        form = "shortcut" if ref is None else ("collapsed" if ref == "" else "full")
        key = normalize_label(label if ref in (None, "") else ref)
        source = self._source_def(origin, key)
        if source is not None:
            self.refs.append(_RefUse(source.origin, key, piece, label, form, image))
            return f"\x00R{len(self.refs) - 1}\x00"
        doc = self.slate.documents.get(origin)
        if doc is not None and doc.folded_def(key) is not None:
            return piece  # its definition is folded into the block above it: validate reports `folded-definition`
        if form == "full":
            self.report(
                origin,
                line,
                Severity.WARNING,
                "undefined-reference",
                f"reference '[{ref}]' is not defined in {origin}; it is left as text",
                once=f"{origin}:{key}",
            )
            return piece
        for name, url in self.slate.config.badges:
            if normalize_label(name) == key:
                self.badges.setdefault(name, url)
                return piece
        team = self.slate.teams.team(key) if not image else None
        if team is not None:
            self.teams.add(team.key)
            return piece
        if form == "shortcut" and not image and (found := self.slate.config.linkify(label.strip())):
            return f"[{label}]({expand_template(*found)})"
        if form != "shortcut" or _looks_like_label(label):
            self.report(
                origin,
                line,
                Severity.WARNING,
                "unresolved-reference",
                f"'{piece}' matches no definition, badge, team or linkifier; it is left as text",
                hint=self._unresolved_hint(label, image, form),
                once=f"{origin}:{key}",
            )
        return piece

    def _unresolved_hint(self, label: str, image: bool, form: str) -> str | None:
        """What the source says the label may have meant: its linkifier form, or a close definition or team."""
        linkified = None if image or form != "shortcut" else linkifier_form(label, self.slate)
        if linkified is not None:
            return f"did you mean '[{linkified}]'? (the linkifier form, which keeps the issue number)"
        names = {d.key: d.label for (path, _), d in self.defs.items() if path in self.document_origins}
        names |= {k: k for k in self.slate.teams.teams} if not image else {}
        close = difflib.get_close_matches(normalize_label(label), sorted(names), 1, 0.75)
        return f"did you mean '[{names[close[0]]}]'?" if close else None

    def _source_def(self, origin: str, key: str) -> Definition | None:
        candidates = [origin]
        if origin in self.document_origins:
            candidates += sorted(self.document_origins - {origin}, key=lambda p: self.source_order.get(p, 1 << 30))
        for path in candidates:
            found = self.defs.get((path, key))
            if found is not None:
                return found
            doc = self.slate.documents.get(path)
            if doc is None:
                continue
            d = doc.link_def(key)
            if d is not None:
                new = Definition(path, key, d.label, self._dest(d.url, doc.path, d.line), d.title, d.line)
                self.defs[(path, key)] = new
                return new
        return None

    def _footnote(self, piece: str, label: str, origin: str, line: int) -> str:
        key = normalize_label(label)
        doc = self.slate.documents.get(origin)
        d = doc.footnote_def(key) if doc else None
        if d is None:
            self.report(
                origin,
                line,
                Severity.WARNING,
                "undefined-footnote",
                f"footnote '[^{label}]' is not defined in {origin}",
                once=f"{origin}:{key}",
            )
            return piece
        if (origin, key) not in self.footnotes:
            self.footnotes[(origin, key)] = ""  # reserve first, the body may refer to itself
            self.footnotes[(origin, key)] = self.rewrite(d.text, origin, d.line)
            self.foot_labels[(origin, key)] = d.label
        return f"\x00F{origin}\x01{key}\x00"


def expand_template(template: str, match: re.Match[str]) -> str:
    """A book.toml linkifier template: `$1`, `$2`, … are the groups of the pattern's match."""
    return re.sub(r"\$(\d+)", lambda g: match.group(int(g.group(1))) or "", template)


def _looks_like_label(label: str) -> bool:
    # `[x]` in prose is often just brackets (`[optional]`, `[1, 2]`); report only what reads as a reference.
    return bool(_LABELISH.fullmatch(label.strip())) and not label.isdigit()
