"""Rules on the Markdown of every file of the period: tables, headings, links and references, prose counts, directives.

The render stage reports what it meets in the text that reaches the RFC (the README, its chapters, and the pieces
lifted from goals). These rules cover every file, so a broken link in a goal's motivation is found even though that
text only ever appears on the website. Links and references in the README and its chapters are left to the render
stage, which resolves them across the whole document.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from compiler.errors import Diagnostic, Location, Severity
from compiler.inline import find_handles, mdbook_id, plain_text, scan
from compiler.metadata import is_metadata, norm_key
from compiler.model import AskFormat, Block, Document, Goal, Handle, Slate, normalize_label, theme_key
from compiler.rewrite import embeds_url

_DIRECTIVE = re.compile(r"\(\(\(([A-Z#][A-Z #]*?)(?::([^)]*))?\)\)\)")
_LEGACY = re.compile(r"^<!--\s*([A-Z#][A-Z #]*?|GOALS `[^`]+`)\s*-->$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_COUNT = re.compile(
    r"(?<![\w.,])(\d{1,3})\s+(?:(total)\s+)?(?:(project|flagship|roadmap|large|medium|small)\s+)?goals\b", re.I
)
_PLACEHOLDER = re.compile(r"(?<![\w-])NN(?![\w-])")
_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
_LABELISH = re.compile(r"[A-Za-z0-9_.#/@-]+(?: [A-Za-z0-9_.#/@-]+){0,3}")
FUNDING_MODES = ("GROUPED", "GROUPED BY GOAL", "GROUPED BY POC")
TEXT_BLOCKS = ("paragraph", "list", "quote", "table", "heading")


@dataclass(frozen=True)
class DirectiveUse:
    name: str  # e.g. 'GOALS WITH NEEDS', '#GOALS', or 'GOALS `Proposed`' for the 2024h2 form
    arg: str | None
    location: Location
    legacy: bool = False


def _diag(doc: Document, line: int, severity: Severity, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Location(doc.path, line, 1), severity, code, message, hint, doc.source_line(line))


@dataclass
class TextScan:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    handles: list[Handle] = field(default_factory=list)  # every `@handle` in the text of every file


def validate_text(slate: Slate) -> TextScan:
    result = TextScan()
    out = result.diagnostics
    output = set(output_documents(slate))
    for path, doc in slate.documents.items():
        if not doc.text.strip():
            out.append(Diagnostic(Location(path), Severity.WARNING, "empty-file", "file is empty"))
            continue
        out.extend(_table_rules(doc))
        out.extend(_LinkChecker(slate, doc, result.handles).run(links=path not in output))
    for path in output_documents(slate):
        doc = slate.documents[path]
        out.extend(_heading_rules(doc, is_readme=path == slate.readme))
        out.extend(_count_rules(slate, doc))
    out.extend(_directive_rules(slate))
    return result


def output_documents(slate: Slate) -> list[str]:
    """The README and the chapters it inlines: the files whose text is the RFC."""
    from compiler.assemble import chapters_of

    if slate.readme is None or slate.readme not in slate.documents:
        return []
    readme = slate.documents[slate.readme]
    return [slate.readme] + [c for c in chapters_of(readme) if c in slate.documents and c != slate.readme]


def page_documents(slate: Slate) -> list[str]:
    """Every file that is not a goal, roadmap or application-area page."""
    special = {g.path for g in slate.goals} | {r.path for r in slate.roadmaps}
    special |= {a.path for a in slate.areas if a.path}
    return [p for p in slate.documents if p not in special]


def _text_blocks(doc: Document) -> Iterator[tuple[Block, str]]:
    for block in doc.blocks:
        if block.kind in TEXT_BLOCKS:
            yield block, doc.text[block.start : block.end]


# --------------------------------------------------------------------------------------------------------------
# tables and headings


def _table_rules(doc: Document) -> Iterator[Diagnostic]:
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        table = block.table
        if table is None:
            continue
        if not is_metadata(block):  # metadata rows are reported by the parse stage
            for row in table.rows:
                if row.extra_cells:
                    yield _diag(
                        doc,
                        row.line,
                        Severity.WARNING,
                        "extra-cells",
                        f"table row has {row.extra_cells} cell(s) more than its header; they are ignored",
                        hint=f"the header has {len(table.header)} columns; write `\\|` for a literal pipe",
                    )
        later = [b for b in blocks[i + 1 : i + 3]]
        if len(later) == 2 and later[0].kind == "blank" and later[1].kind == "paragraph":
            lines = doc.text[later[1].start : later[1].end].strip("\n").split("\n")
            if all(line.strip().startswith("|") for line in lines):
                yield _diag(
                    doc,
                    later[1].line,
                    Severity.WARNING,
                    "split-table",
                    f"these rows are separated from the table at line {table.line} by a blank line, "
                    "so they are a paragraph, not table rows",
                    hint="remove the blank line",
                )


def _heading_rules(doc: Document, *, is_readme: bool) -> Iterator[Diagnostic]:
    """A heading more than one level below the heading before it (spec 3.3); levels as they come out in the RFC."""
    from compiler.assemble import TEMPLATE_SECTIONS, header_fields

    first = header_fields(doc)[1] if is_readme else 0
    heads = [b for b in doc.blocks[first:] if b.is_heading]
    if not heads:
        return
    top = min(b.level for b in heads)
    previous: int | None = None
    for n, block in enumerate(heads):
        if is_readme and (block.level == top or plain_text(block.title).casefold() in TEMPLATE_SECTIONS):
            previous = block.level
            continue
        if not is_readme and n == 0:
            previous = block.level  # the chapter's title: dropped, its level is the chapter's base
            continue
        if previous is not None and block.level > previous + 1:
            yield _diag(
                doc,
                block.line,
                Severity.WARNING,
                "heading-jump",
                f"heading level jumps from {previous} to {block.level}",
                hint=f"use {'#' * (previous + 1)} here, or add the missing level above",
            )
        previous = block.level


# --------------------------------------------------------------------------------------------------------------
# links and references (files that are not the README or its chapters)


def _mask_team_cells(block: Block, text: str) -> str:
    """The table's text with the cells that name teams (metadata keys, ask teams, ask owners) blanked out.

    Those brackets are team names, checked by the team rules; as references they would be reported twice.
    """
    table = block.table
    assert table is not None
    header = [norm_key(c) for c in table.header]
    if is_metadata(block) or header[:2] == ["team", "support level"]:
        column = 0
    elif header[:2] in (["task", "owner(s) or team(s)"], ["subgoal", "owner(s) or team(s)"]):
        column = 1
    else:
        return text
    out = []
    for line in text.split("\n"):
        pipes = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
        if line.lstrip().startswith("|"):
            pipes = pipes[1:]
            start = line.index("|") + 1
        else:
            start = 0
        bounds = [start, *(p + 1 for p in pipes)]
        if column < len(bounds):
            a = bounds[column]
            b = pipes[column] if column < len(pipes) else len(line)
            line = line[:a] + " " * (b - a) + line[b:]
        out.append(line)
    return "\n".join(out)


def heading_ids(doc: Document) -> set[str]:
    """mdBook's ids of the headings of a page (with its `-1`, `-2` for repeats), and explicit HTML ids."""
    ids: set[str] = set()
    for block in doc.blocks:
        if block.is_heading:
            base = mdbook_id(block.title)
            slug, n = base, 0
            while slug in ids:
                n += 1
                slug = f"{base}-{n}"
            ids.add(slug)
    ids.update(_HTML_ID.findall(doc.text))
    return ids


class _LinkChecker:
    """Links, references and footnotes of one file; each undefined label is reported once, at its first use."""

    def __init__(self, slate: Slate, doc: Document, handles: list[Handle]) -> None:
        self.slate = slate
        self.doc = doc
        self.handles = handles
        self.defs = {d.key for d in doc.link_defs}
        self.feet = {d.key for d in doc.footnote_defs}
        self.badges = {normalize_label(name) for name, _ in slate.config.badges}
        self.ids: dict[str, set[str]] = {}
        self.seen_refs: set[tuple[str, str, bool]] = set()

    def ids_of(self, path: str) -> set[str]:
        if path not in self.ids:
            target = self.slate.documents.get(path)
            self.ids[path] = heading_ids(target) if target is not None else set()
        return self.ids[path]

    def run(self, *, links: bool) -> Iterator[Diagnostic]:
        """One scan of every text block: handles always, links and references when `links`."""
        doc = self.doc
        for block, text in _text_blocks(doc):
            mentions = "@" in text
            if not mentions and not (links and "[" in text):
                continue
            masked = _mask_team_cells(block, text) if links and block.table is not None else text
            if masked is not text and mentions:
                self.mentions(block, text)
                mentions = False
            for span in scan(masked):
                at = block.start + span.start
                found: Diagnostic | None = None
                if span.kind == "text":
                    if mentions:
                        self.mentions(block, text, span.start, span.end)
                elif not links:
                    continue
                elif span.kind in ("link", "image"):
                    found = self.dest(span.dest, at)
                elif span.kind == "ref":
                    found = self.ref(text[span.start : span.end], span.label, span.ref, span.image, at)
                elif span.kind == "footnote":
                    key = normalize_label(span.label)
                    if key not in self.feet and ("^", key, False) not in self.seen_refs:
                        self.seen_refs.add(("^", key, False))
                        found = _diag(
                            doc,
                            doc.line_of(at),
                            Severity.WARNING,
                            "undefined-footnote",
                            f"footnote '[^{span.label}]' is not defined in {doc.path}",
                            hint=f"add `[^{span.label}]: …` to the file",
                        )
                if found is not None:
                    yield found
        for d in doc.link_defs if links else ():
            found = self.dest(d.url, d.start)
            if found is not None:
                yield found

    def mentions(self, block: Block, text: str, start: int = 0, end: int | None = None) -> None:
        """The `@handle`s in the text nodes of `text[start:end]`."""
        piece = text[start:end]
        spans = [(0, len(piece))] if end is not None else [(x.start, x.end) for x in scan(piece) if x.kind == "text"]
        for a, b in spans:
            for m in find_handles(piece[a:b]):
                line = self.doc.line_of(block.start + start + a + m.start())
                self.handles.append(Handle(m.group(1), Location(self.doc.path, line, 1)))

    def dest(self, dest: str, at: int) -> Diagnostic | None:
        doc, slate = self.doc, self.slate
        raw = dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest
        if not raw or _SCHEME.match(raw) or raw.startswith("//"):
            if embeds_url(raw):
                second = re.search(r"https?:/", raw[8:])
                inner = raw[second.start() + 8 :] if second else raw
                return _diag(
                    doc,
                    doc.line_of(at),
                    Severity.WARNING,
                    "url-in-url",
                    f"link '{raw}' embeds a second URL",
                    hint=f"link to '{inner}' directly",
                )
            return None
        path, _, fragment = raw.partition("#")
        if not path:
            ids = self.ids_of(doc.path)
            if fragment and fragment not in ids:
                return _diag(
                    doc,
                    doc.line_of(at),
                    Severity.WARNING,
                    "missing-anchor",
                    f"link '{raw}' matches no heading of {doc.path}",
                    hint=_anchor_hint(fragment, ids),
                )
            return None
        if not path.endswith(".md"):
            return None  # images and other files are served by the website; only .md links are rewritten
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), path))
        if target.startswith("../") or target == "..":
            return _diag(
                doc,
                doc.line_of(at),
                Severity.WARNING,
                "link-outside-root",
                f"link '{raw}' leaves the input root; it is left as written",
            )
        if target not in slate.documents:
            if target.startswith(slate.src_dir + "/"):
                return _diag(
                    doc,
                    doc.line_of(at),
                    Severity.WARNING,
                    "missing-link-target",
                    f"link '{raw}' points to {target}, which does not exist",
                )
            return None
        if fragment and fragment not in self.ids_of(target):
            return _diag(
                doc,
                doc.line_of(at),
                Severity.WARNING,
                "missing-anchor",
                f"link '{raw}' matches no heading of {target}",
                hint=_anchor_hint(fragment, self.ids_of(target)),
            )
        return None

    def ref(self, piece: str, label: str, ref: str | None, image: bool, at: int) -> Diagnostic | None:
        form = "shortcut" if ref is None else ("collapsed" if ref == "" else "full")
        key = normalize_label(label if ref in (None, "") else ref)
        if key in self.defs or (form, key, image) in self.seen_refs:
            return None
        self.seen_refs.add((form, key, image))
        doc = self.doc
        if form == "full":
            return _diag(
                doc,
                doc.line_of(at),
                Severity.WARNING,
                "undefined-reference",
                f"reference '[{ref}]' is not defined in {doc.path}; it is left as text",
                hint=f"add a definition `[{ref}]: https://…` to the file",
            )
        if key in self.badges or (not image and self.slate.teams.team(key) is not None):
            return None
        bare = label.strip()
        if form == "shortcut":
            if not image and any(re.fullmatch(pattern, bare) for pattern, _ in self.slate.config.linkifiers):
                return None
            if not _LABELISH.fullmatch(bare) or bare.isdigit() or bare in ("x", "X") or bare.startswith("@"):
                return None  # brackets in prose (`[optional]`, `[1, 2]`), a task-list box, a person
        return _diag(
            doc,
            doc.line_of(at),
            Severity.WARNING,
            "unresolved-reference",
            f"'{piece}' matches no definition, badge, team or linkifier; it is left as text",
            hint=self.ref_hint(bare, image, form),
        )

    def ref_hint(self, label: str, image: bool, form: str) -> str:
        """The closest badge (for images), team or definition of the file, else how to define it."""
        import difflib

        names = {normalize_label(n): n for n, _ in self.slate.config.badges} if image else {}
        if not image:
            names |= {k: k for k in self.slate.teams.teams}
            names |= {d.key: d.label for d in self.doc.link_defs}
        close = difflib.get_close_matches(label.casefold(), sorted(names), 1, 0.75)
        if close:
            written = f"{'!' if image else ''}[{names[close[0]]}]{'[]' if form == 'collapsed' else ''}"
            return f"did you mean '{written}'?"
        return "define it in the file (`[label]: https://…`), or check the spelling"


def _anchor_hint(fragment: str, ids: set[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(fragment, sorted(ids), 1, 0.6)
    return f"did you mean '#{close[0]}'?" if close else None


# --------------------------------------------------------------------------------------------------------------
# counts in the prose of the RFC


def _count_rules(slate: Slate, doc: Document) -> Iterator[Diagnostic]:
    from compiler.render import profile_of

    goals = slate.slate_goals
    profile_c = profile_of(slate) == "C"
    counts = {
        "project": len(goals),
        "flagship": sum(1 for g in goals if (g.is_roadmap_goal if profile_c else g.is_flagship)),
        "roadmap": sum(1 for g in goals if g.is_roadmap_goal),
    }
    directive = {"project": "#GOALS", "flagship": "#FLAGSHIP GOALS", "roadmap": "#ROADMAP GOALS"}
    if any(g.ask_format is AskFormat.NEW for g in goals):
        for size in ("large", "medium", "small"):
            counts[size] = sum(1 for g in goals if g.size is not None and g.size.name.casefold() == size)
            directive[size] = f"#{size.upper()} GOALS"
    for block, text in _text_blocks(doc):
        for span in scan(text):
            if span.kind != "text":
                continue
            piece = text[span.start : span.end]
            for m in _PLACEHOLDER.finditer(piece):
                line = doc.line_of(block.start + span.start + m.start())
                yield _diag(
                    doc,
                    line,
                    Severity.WARNING,
                    "count-placeholder",
                    "'NN' placeholder in the text",
                    hint="use `(((#GOALS)))` for the number of goals",
                )
            for m in _COUNT.finditer(piece):
                total, kind = m.group(2), (m.group(3) or "").casefold()
                if not kind and not total:
                    continue
                kind = kind or "project"
                if kind not in counts:
                    continue
                stated, actual = int(m.group(1)), counts[kind]
                if stated != actual:
                    line = doc.line_of(block.start + span.start + m.start())
                    what = "" if kind == "project" else f"{kind} "
                    yield _diag(
                        doc,
                        line,
                        Severity.WARNING,
                        "count-mismatch",
                        f"the text says '{m.group(0)}', but the slate has {actual} {what}goals",
                        hint=f"use `((({directive[kind]})))` so that the number is computed",
                    )


# --------------------------------------------------------------------------------------------------------------
# directives


def directive_uses(slate: Slate, *, pages_only: bool = False) -> list[DirectiveUse]:
    """Every directive written in the README and its chapters (or, with `pages_only`, in every page)."""
    paths = page_documents(slate) if pages_only else output_documents(slate)
    uses: list[DirectiveUse] = []
    for path in paths:
        doc = slate.documents[path]
        for block in doc.blocks:
            raw = doc.text[block.start : block.end]
            if block.kind == "html":
                m = _LEGACY.match(raw.strip())
                if m:
                    uses.append(DirectiveUse(m.group(1), None, Location(path, block.line, 1), legacy=True))
                continue
            if block.kind not in TEXT_BLOCKS or "(((" not in raw:
                continue
            for span in scan(raw):
                if span.kind != "text":
                    continue
                piece = raw[span.start : span.end]
                for d in _DIRECTIVE.finditer(piece):
                    line = doc.line_of(block.start + span.start + d.start())
                    arg = d.group(2).strip() if d.group(2) is not None else None
                    uses.append(DirectiveUse(d.group(1).strip(), arg, Location(path, line, 1)))
    return uses


def _directive_rules(slate: Slate) -> Iterator[Diagnostic]:
    """Directives that select nothing (those the render stage does not already report)."""
    goals = slate.slate_goals
    roadmaps = {theme_key(r.short_title) for r in slate.roadmaps}
    for use in directive_uses(slate):
        doc = slate.documents[use.location.path]
        line = use.location.line
        legacy = re.fullmatch(r"GOALS `([^`]+)`", use.name)
        if legacy:
            status = legacy.group(1).strip().casefold()
            if not any(g.status_text.casefold() == status for g in slate.goals):
                yield _diag(
                    doc,
                    line,
                    Severity.WARNING,
                    "empty-directive",
                    f"'GOALS `{legacy.group(1)}`' matches no goal",
                    hint="statuses written in this period: "
                    + ", ".join(sorted({g.status_text for g in slate.goals if g.status_text})),
                )
            continue
        if use.arg is None:
            continue
        if use.name == "GOALS WITH NEEDS":
            if not _with_needs(goals, use.arg):
                yield _diag(
                    doc,
                    line,
                    Severity.WARNING,
                    "empty-directive",
                    f"'{use.name}: {use.arg}' matches no goal",
                    hint=f"a goal says `| Needs | {use.arg} |`",
                )
        elif use.name == "ROADMAP ROWS" and theme_key(use.arg) in roadmaps:
            if not _with_theme(goals, use.arg):
                yield _diag(
                    doc,
                    line,
                    Severity.WARNING,
                    "empty-directive",
                    f"'{use.name}: {use.arg}' matches no goal",
                    hint=f"a goal joins it with `| Roadmap | {use.arg} |`",
                )
        elif (
            use.name == "FUNDING TABLE"
            and use.arg.upper() not in FUNDING_MODES
            and not _with_theme([g for g in goals if g.needs_funding], use.arg)
        ):
            yield _diag(doc, line, Severity.WARNING, "empty-directive", f"'{use.name}: {use.arg}' matches no goal")


def _with_needs(goals: tuple[Goal, ...], need: str) -> list[Goal]:
    key = need.strip().casefold()
    if key == "contributor":
        return [g for g in goals if g.needs_contributor]
    if key == "funding":
        return [g for g in goals if g.needs_funding]
    return [g for g in goals if key in {n.casefold() for n in g.needs}]


def _with_theme(goals: list[Goal] | tuple[Goal, ...], theme: str) -> list[Goal]:
    key = theme_key(theme)
    return [g for g in goals if key in {theme_key(t) for t in g.all_themes}]
