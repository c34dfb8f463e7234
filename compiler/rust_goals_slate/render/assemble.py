"""RFC assembly: copy the README skeleton, inline its chapters, set heading levels, expand directives.

Blocks are copied byte for byte apart from the inline rewrites; blocks are joined with one blank line. Headings are
written in ATX form at their output level; a heading that stands for an inlined chapter carries a marker that
`rust_goals_slate.render.settle` turns into the chapter's anchor once every heading id is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rust_goals_slate.errors import Location, Severity
from rust_goals_slate.model import Block, Document, Level, Slate, theme_key
from rust_goals_slate.parse.inline import mdbook_id, plain_text, scan
from rust_goals_slate.parse.readme import TEMPLATE_SECTIONS, header_fields, link_list_targets
from rust_goals_slate.render.expand import COUNT_DIRECTIVES, WEBSITE_ONLY, Expander
from rust_goals_slate.render.funding import funding_table

_DIRECTIVE = re.compile(r"^\(\(\(([A-Z#][A-Z #]*?)(?::\s*(.*?))?\)\)\)$", re.S)
_LEGACY_ARG = re.compile(r"^GOALS `([^`]+)`$")
_ROADMAP_ROWS = re.compile(r"^\s*\|\s*\(\(\(ROADMAP ROWS:\s*(.*?)\)\)\)\s*\|")
BLOCK_DIRECTIVES = {
    "GOALS", "FLAGSHIP GOALS", "ROADMAP GOALS", "OTHER GOALS", "GOALS NOT ACCEPTED", "LARGE GOALS", "MEDIUM GOALS",
    "SMALL GOALS", "CHAMPIONS", "TEAM ASKS", "VALID TEAM ASKS", "HIGHLIGHT TABLE", "HIGHLIGHT GOALS",
    "GOALS WITH NEEDS", "ROADMAPS", "APPLICATION AREAS", "FUNDING TABLE", "FUNDING LEGEND", "ROADMAP ROWS",
    *WEBSITE_ONLY,
}  # fmt: skip
INLINE_DIRECTIVES = COUNT_DIRECTIVES | {"HIGHLIGHT CREDITS"}


def _shifted(delta: int) -> Callable[[Block], int]:
    def level(block: Block) -> int:
        return block.level + delta

    return level


@dataclass
class Assembler:
    expander: Expander
    pieces: list[str] = field(default_factory=list)

    @property
    def slate(self) -> Slate:
        return self.expander.slate

    def report(self, loc: Location, severity: Severity, code: str, message: str, hint: str | None = None) -> None:
        self.expander.refs.report(loc.path, loc.line, severity, code, message, hint)

    # ---------------------------------------------------------------------------------------------------------

    def readme(self, doc: Document) -> str:
        _, first = header_fields(doc)
        heads = [b for b in doc.blocks[first:] if b.is_heading]
        shallowest = min((b.level for b in heads), default=1)
        shift = 2 - shallowest
        self._blocks(
            doc,
            first,
            len(doc.blocks),
            lambda b: b.level + shift,
            inline=True,
            top=shallowest,
            top_shift=lambda b: 2 - b.level,
        )
        return "\n\n".join(p for p in self.pieces if p.strip())

    def _blocks(
        self,
        doc: Document,
        start: int,
        end: int,
        level_of: Callable[[Block], int],
        *,
        inline: bool,
        top: int = 0,
        top_shift: Callable[[Block], int] | None = None,
    ) -> None:
        enclosing = 1  # output level of the heading that encloses the current block
        enclosing_source = 0
        shift_fn = level_of
        for index in range(start, end):
            block = doc.blocks[index]
            raw = doc.text[block.start : block.end]
            if block.is_heading:
                if top_shift is not None and (
                    plain_text(block.title).casefold() in TEMPLATE_SECTIONS or block.level == top
                ):
                    shift_fn = _shifted(top_shift(block))
                level = max(1, min(6, shift_fn(block)))
                marker = ""
                if not inline:
                    marker = f"\x00M{doc.path}#{mdbook_id(block.title)}\x00"
                title = self.expander.refs.rewrite(block.title, doc.path, block.line, self._inline(doc.path))
                self.pieces.append("#" * level + " " + title + marker)
                enclosing, enclosing_source = level, block.level
                continue
            if block.kind == "blank":
                continue
            targets = link_list_targets(doc, block) if inline else None
            if targets:
                self._inline_chapters(doc, block, targets, enclosing)
                continue
            if block.kind == "html":
                name = raw.strip()
                if name.startswith("<!--") and name.endswith("-->") and "\n" not in name.strip():
                    inner = name[4:-3].strip()
                    legacy = _LEGACY_ARG.match(inner)
                    if inner in BLOCK_DIRECTIVES or legacy:
                        level = self._generated_level(doc, index, enclosing, enclosing_source, shift_fn)
                        self.pieces.append(self._directive(inner, None, level, Location(doc.path, block.line)))
                        continue
                    if inner in COUNT_DIRECTIVES:
                        self.pieces.append(self.expander.count(inner, None, Location(doc.path, block.line)) or "")
                        continue
                if name.startswith("<!--") and not re.sub(r"<!--.*?-->", "", name, flags=re.S).strip():
                    continue  # comments and website-only markup never reach the RFC
                # A line that opens with a comment is an HTML block in CommonMark, but the text after the comment
                # is prose (`<!-- #GOALS --> goals are proposed.`): it is rewritten like a paragraph below.
            if block.kind == "paragraph":
                m = _DIRECTIVE.match(raw.strip())
                if m and m.group(1).strip() not in INLINE_DIRECTIVES:
                    level = self._generated_level(doc, index, enclosing, enclosing_source, shift_fn)
                    self.pieces.append(
                        self._directive(m.group(1).strip(), m.group(2), level, Location(doc.path, block.line))
                    )
                    continue
            if block.kind == "code":
                self.pieces.append(raw.rstrip("\n"))
                continue
            if block.table is not None and "(((ROADMAP ROWS" in raw:
                self.pieces.append(self._table_with_rows(doc, block, raw))
                continue
            self._legacy_markers_inline(doc, block, raw)
            self.pieces.append(
                self.expander.refs.rewrite(raw.rstrip("\n"), doc.path, block.line, self._inline(doc.path))
            )

    def _legacy_markers_inline(self, doc: Document, block: Block, raw: str) -> None:
        """A legacy block marker (`<!-- GOALS -->`) inside a sentence is an error, as `(((GOALS)))` is (spec 2.1)."""
        if "<!--" not in raw:
            return
        for span in scan(raw):
            if span.kind != "html" or not raw.startswith("<!--", span.start):
                continue
            inner = raw[span.start + 4 : span.end - 3].strip()
            if inner in BLOCK_DIRECTIVES - WEBSITE_ONLY or _LEGACY_ARG.match(inner):
                self.report(
                    Location(doc.path, block.line + raw.count("\n", 0, span.start)),
                    Severity.ERROR,
                    "block-directive-inline",
                    f"directive '<!-- {inner} -->' produces blocks and cannot stand inside a sentence",
                    hint="put it in a paragraph of its own",
                )

    def _generated_level(
        self, doc: Document, index: int, enclosing: int, enclosing_source: int, level_of: Callable[[Block], int]
    ) -> int:
        for block in doc.blocks[index + 1 :]:
            if block.is_heading:
                if block.level > enclosing_source:
                    return max(1, min(6, level_of(block)))
                break
        return min(6, enclosing + 1)

    def _inline_chapters(self, doc: Document, block: Block, targets: list[str], enclosing: int) -> None:
        # The heading enclosing the list stands for the chapters: links to them become links to it.
        for i in range(len(self.pieces) - 1, -1, -1):
            if self.pieces[i].startswith("#"):
                self.pieces[i] += "".join(f"\x00M{t}\x00" for t in targets)
                break
        for target in targets:
            chapter = self.slate.documents.get(target)
            if chapter is None:
                self.report(
                    Location(doc.path, block.line),
                    Severity.ERROR,
                    "missing-chapter",
                    f"chapter '{target}' linked from the README does not exist",
                )
                continue
            first = next((i for i, b in enumerate(chapter.blocks) if b.is_heading), None)
            if first is None:
                self._blocks(chapter, 0, len(chapter.blocks), lambda b: b.level, inline=False)
                continue
            before = [b for b in chapter.blocks[:first] if b.kind != "blank"]
            if before:
                self.report(
                    Location(chapter.path, before[0].line),
                    Severity.WARNING,
                    "text-before-title",
                    "text before the chapter's title is kept in the RFC",
                )
                self._blocks(chapter, 0, first, lambda b: b.level, inline=False)
            base = chapter.blocks[first].level

            def level_of(b: Block, base: int = base) -> int:
                return enclosing + (b.level - base)

            self._blocks(chapter, first + 1, len(chapter.blocks), level_of, inline=False)

    def _inline(self, origin: str) -> Callable[[str, str | None, Location], str | None]:
        def directive(name: str, arg: str | None, loc: Location) -> str | None:
            if name in COUNT_DIRECTIVES:
                return self.expander.count(name, arg, loc)
            if name == "HIGHLIGHT CREDITS" and arg:
                self._check_highlight(arg, loc)
                return self.expander.credits(self.expander.highlighted(arg))
            if name in BLOCK_DIRECTIVES or _LEGACY_ARG.match(name):
                self.report(
                    loc,
                    Severity.ERROR,
                    "block-directive-inline",
                    f"directive '{name}' produces blocks and cannot stand inside a sentence",
                    hint="put it in a paragraph of its own",
                )
                return None
            if name.startswith("#") or name.isupper():
                self.report(loc, Severity.ERROR, "unknown-directive", f"unknown directive '((({name})))'")
            return None

        return directive

    def _check_highlight(self, arg: str, loc: Location) -> None:
        if not self.expander.highlighted(arg):
            self.report(
                loc,
                Severity.WARNING,
                "empty-highlight",
                f"no goal of the slate has the highlight '{arg}'",
                hint="a goal names it with `| Highlight | " + arg + " |`",
            )

    def _directive(self, name: str, arg: str | None, level: int, loc: Location) -> str:
        e = self.expander
        arg = arg.strip() if arg is not None else None
        legacy = _LEGACY_ARG.match(name)
        if legacy:
            key = legacy.group(1).strip().casefold()
            return e.goal_list(
                [g for g in e.slate.goals if g.status_text.casefold() == key], not_accepted=key == "not accepted"
            )
        if name == "GOALS":
            return e.goal_list(list(e.goals))
        if name in ("FLAGSHIP GOALS", "ROADMAP GOALS"):
            goals = e.with_theme(e.goals, arg)
            if arg and not goals:
                self.report(loc, Severity.WARNING, "empty-directive", f"'{name}: {arg}' matches no goal")
            return e.goal_list(goals)
        if name == "OTHER GOALS":
            flagged = {g.path for g in e.with_theme(e.goals, None)}
            return e.goal_list([g for g in e.goals if g.path not in flagged])
        if name == "GOALS NOT ACCEPTED":
            return e.goal_list(list(e.slate.not_accepted), not_accepted=True)
        if name in ("LARGE GOALS", "MEDIUM GOALS", "SMALL GOALS"):
            return e.size_table(Level[name.split()[0]])
        if name == "CHAMPIONS":
            return e.champions()
        if name == "TEAM ASKS":
            return e.team_asks(level)
        if name == "VALID TEAM ASKS":
            return e.valid_team_asks()
        if name in ("HIGHLIGHT TABLE", "HIGHLIGHT GOALS", "GOALS WITH NEEDS") and not arg:
            self.report(loc, Severity.ERROR, "directive-needs-argument", f"'{name}' needs an argument: ((({name}: X)))")
            return ""
        if name == "HIGHLIGHT TABLE":
            self._check_highlight(arg or "", loc)
            return e.highlight_table(arg or "")
        if name == "HIGHLIGHT GOALS":
            self._check_highlight(arg or "", loc)
            return e.goal_sections(e.highlighted(arg or ""), level, "highlight")
        if name == "GOALS WITH NEEDS":
            need = (arg or "").casefold()
            return e.goal_sections(
                e.with_needs(arg or ""), level, need if need in ("contributor", "funding") else "other"
            )
        if name == "ROADMAPS":
            return e.roadmaps(arg, loc)
        if name == "APPLICATION AREAS":
            return e.application_areas(level)
        if name == "FUNDING TABLE":
            return funding_table(e, arg)
        if name == "FUNDING LEGEND":
            return e.render("funding_legend.md.j2")
        if name == "ROADMAP ROWS":
            self.report(
                loc,
                Severity.ERROR,
                "roadmap-rows-outside-table",
                "ROADMAP ROWS must be the first cell of a row of a | Goal | Timespan | What and why | table",
            )
            return ""
        if name == "REPORTS":
            self.report(
                loc,
                Severity.WARNING,
                "reports-need-network",
                "REPORTS needs network access to the tracking issues; it expands to nothing in the RFC",
            )
            return ""
        if name in WEBSITE_ONLY:
            return ""
        self.report(loc, Severity.ERROR, "unknown-directive", f"unknown directive '((({name})))'")
        return ""

    def _table_with_rows(self, doc: Document, block: Block, raw: str) -> str:
        out = []
        for n, line in enumerate(raw.rstrip("\n").split("\n")):
            m = _ROADMAP_ROWS.match(line)
            if m:
                theme = m.group(1).strip()
                known = {theme_key(r.short_title) for r in self.slate.roadmaps}
                if known and theme_key(theme) not in known:
                    self.report(
                        Location(doc.path, block.line + n),
                        Severity.WARNING,
                        "unknown-roadmap",
                        f"ROADMAP ROWS: '{theme}' names no roadmap",
                    )
                rows = self.expander.render("roadmap_rows.md.j2", rows=self.expander.roadmap_rows(theme))
                if rows:
                    out.append(rows)
                continue
            out.append(self.expander.refs.rewrite(line, doc.path, block.line + n, self._inline(doc.path)))
        return "\n".join(out)
