"""RFC assembly: copy the README skeleton, inline its chapters, set heading levels, expand directives.

Blocks are copied byte for byte apart from the inline rewrites; blocks are joined with one blank line. Headings are
written in ATX form at their output level; a heading that stands for an inlined chapter carries a marker that
`rust_goals_slate.render.settle` turns into the chapter's anchor once every heading id is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import field
from functools import partial

from rust_goals_slate.errors import Location
from rust_goals_slate.model import Area, Block, ChapterLink, Document, Goal, Level, Readme, Roadmap, Slate
from rust_goals_slate.model.repository_format import FUNDING_GROUPINGS
from rust_goals_slate.parse import directives
from rust_goals_slate.parse.directives import COUNT_DIRECTIVES, WEBSITE_ONLY, Directive
from rust_goals_slate.parse.inline import mdbook_id, plain_text, strip_comments
from rust_goals_slate.parse.readme import TEMPLATE_SECTIONS
from rust_goals_slate.records import record
from rust_goals_slate.render.expand import Expander
from rust_goals_slate.render.funding import funding_table
from rust_goals_slate.render.pieces import goal_inputs, kept
from rust_goals_slate.validate.memo import same_objects

_ROADMAP_ROWS = re.compile(r"^\s*\|\s*\(\(\(ROADMAP ROWS:\s*(.*?)\)\)\)\s*\|")


def _marker(path: str, title: str, rewritten: str) -> str:
    """A chapter's heading title, with the marker that settle turns into the heading's id."""
    return f"{rewritten}\x00M{path}#{mdbook_id(title)}\x00"


def _shifted(delta: int) -> Callable[[Block], int]:
    def level(block: Block) -> int:
        return block.level + delta

    return level


@record(frozen=False)
class Assembler:
    """Walks the README skeleton and writes the RFC, expanding each directive as it goes."""

    expander: Expander
    pieces: list[str] = field(default_factory=list)
    model: Readme | None = None  # the README being assembled: its chapter lists and directives
    _highlights: dict[str, list[Goal]] = field(default_factory=dict)

    @property
    def slate(self) -> Slate:
        return self.expander.slate

    # ---------------------------------------------------------------------------------------------------------

    def readme(self, readme: Readme) -> list[str]:
        """The RFC's body, as the pieces that the blank lines between them join (those with no text left out)."""
        doc, first = readme.document, readme.body_start
        self.model = readme
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
        return [p for p in self.pieces if p and not p.isspace()]

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
                title = self._rewrite(block.title, doc, index, block.line, marked=not inline)
                self.pieces.append("#" * level + " " + title)
                enclosing, enclosing_source = level, block.level
                continue
            if block.kind == "blank":
                continue
            links = self.model.chapter_lists.get(index) if inline and self.model is not None else None
            if links:
                self._inline_chapters(links, enclosing)
                continue
            standing = self.model.standing(doc.path, index) if self.model is not None else None
            if block.kind == "html":
                name = raw.strip()
                old_form = standing if standing is not None and standing.comment else None
                if old_form is not None and old_form.is_block:
                    level = self._generated_level(doc, index, enclosing, enclosing_source, shift_fn)
                    self.pieces.append(self._directive(old_form, level))
                    continue
                if old_form is not None and old_form.name in COUNT_DIRECTIVES:
                    self.pieces.append(self.expander.count(old_form.name, None, old_form.location) or "")
                    continue
                if name.startswith("<!--") and not strip_comments(name).strip():
                    continue  # comments and website-only markup never reach the RFC
                # A line that opens with a comment is an HTML block in CommonMark, but the text after the comment
                # is prose (`<!-- #GOALS --> goals are proposed.`): it is rewritten like a paragraph below.
            if block.kind == "paragraph":
                found = standing
                if found is not None and found.name not in directives.INLINE_DIRECTIVES:
                    level = self._generated_level(doc, index, enclosing, enclosing_source, shift_fn)
                    self.pieces.append(self._directive(found, level))
                    continue
            if block.kind == "code":
                self.pieces.append(raw.rstrip("\n"))
                continue
            if block.table is not None and "(((ROADMAP ROWS" in raw:
                self.pieces.append(self._table_with_rows(doc, block, raw))
                continue
            self.pieces.append(self._rewrite(raw.rstrip("\n"), doc, index, block.line))

    def _rewrite(self, text: str, doc: Document, index: int, line: int, marked: bool = False) -> str:
        """A block of the README or a chapter (or a heading's title), rewritten; `marked`, a chapter's heading title
        with the marker of its id (`rust_goals_slate.render.settle`). In `slate watch`, kept while its file (in the
        context) is the same and, if it may hold an inline directive, the numbers the counts give and the goals its
        HIGHLIGHT CREDITS credit (found by rewriting it, kept with the text and checked again: `_credited`)."""
        e = self.expander
        marker = partial(_marker, doc.path, text) if marked else str
        where = f"{doc.path}:{index}"
        if e.pieces is None or ("(((" not in text and "<!--" not in text):
            compute = partial(e.refs.rewrite, text, doc.path, line, self._inline(doc.path))
            if e.pieces is None:
                return marker(compute())
            return kept(e.refs, e.pieces, "block", where, (doc, *e.context, marked), lambda: marker(compute()))

        def rewritten() -> tuple[str, tuple[str, ...], tuple[object, ...]]:
            credits: list[str] = []
            out = e.refs.rewrite(text, doc.path, line, self._inline(doc.path, credits))
            return marker(out), tuple(credits), self._credited(credits)

        def still(found: tuple[str, tuple[str, ...], tuple[object, ...]]) -> bool:
            return same_objects(found[2], self._credited(found[1]))

        inputs = (doc, *e.context, marked, e.counts)
        return kept(e.refs, e.pieces, "block", where, inputs, rewritten, still)[0]

    def _credited(self, credits: Iterable[str]) -> tuple[object, ...]:
        """The goals that the HIGHLIGHT CREDITS of `credits` credit, and their files."""
        return goal_inputs(self.slate, tuple(g for arg in credits for g in self._highlighted(arg)))

    def _highlighted(self, name: str) -> list[Goal]:
        """`Slate.highlighted`, once per name in a pass: the watch's memo asks for a HIGHLIGHT's goals twice."""
        found = self._highlights.get(name)
        if found is None:
            found = self._highlights[name] = self.slate.highlighted(name)
        return found

    def _generated_level(
        self, doc: Document, index: int, enclosing: int, enclosing_source: int, level_of: Callable[[Block], int]
    ) -> int:
        for block in doc.blocks[index + 1 :]:
            if block.is_heading:
                if block.level > enclosing_source:
                    return max(1, min(6, level_of(block)))
                break
        return min(6, enclosing + 1)

    def _inline_chapters(self, links: tuple[ChapterLink, ...], enclosing: int) -> None:
        # The heading enclosing the list stands for the chapters: links to them become links to it.
        for i in range(len(self.pieces) - 1, -1, -1):
            if self.pieces[i].startswith("#"):
                self.pieces[i] += "".join(f"\x00M{link.target}\x00" for link in links)
                break
        for link in links:
            chapter = self.slate.documents.get(link.target)
            if chapter is None:
                continue  # validate reports it (missing-chapter)
            first = next((i for i, b in enumerate(chapter.blocks) if b.is_heading), None)
            if first is None:
                self._blocks(chapter, 0, len(chapter.blocks), lambda b: b.level, inline=False)
                continue
            before = [b for b in chapter.blocks[:first] if b.kind != "blank"]
            if before:  # kept, and reported by validate (text-before-title)
                self._blocks(chapter, 0, first, lambda b: b.level, inline=False)
            base = chapter.blocks[first].level

            def level_of(b: Block, base: int = base) -> int:
                return enclosing + (b.level - base)

            self._blocks(chapter, first + 1, len(chapter.blocks), level_of, inline=False)

    def _inline(
        self, _origin: str, credits: list[str] | None = None
    ) -> Callable[[str, str | None, Location], str | None]:
        """What a directive inside a sentence expands to; None keeps it as written (validate reports a block
        directive or an unknown name there). The argument of each HIGHLIGHT CREDITS goes to `credits`."""

        def directive(name: str, arg: str | None, loc: Location) -> str | None:
            if name in COUNT_DIRECTIVES:
                return self.expander.count(name, arg, loc)
            if name == "HIGHLIGHT CREDITS" and arg:
                if credits is not None:
                    credits.append(arg)
                return self.expander.credits(self.slate.highlighted(arg))
            return None

        return directive

    def _directive(self, d: Directive, level: int) -> str:
        """A block directive, by the table below; in `slate watch`, its kept expansion when what it reads is the
        same (render/pieces.py)."""
        e = self.expander
        if e.pieces is None or d.spec is None or (d.spec.same_as or d.spec.name) == "TEAM ASKS":
            return self._expand(d, level)  # team asks read every goal: each goal's rows are kept (Expander.team_asks)
        # the directive itself is the README model's (in the context) at this place
        inputs = (*self._selection(d), *e.context)
        where = f"{d.location.path}:{d.location.line}:{d.location.col} at level {level}"
        return kept(e.refs, e.pieces, "directive", where, inputs, lambda: self._expand(d, level))

    def _selection(self, d: Directive) -> tuple[object, ...]:
        """What of the goals a directive's expansion reads (for the watch's memo): the goals it selects and their
        files where that is all it reads (the current format's tables), else every goal, roadmap and area."""
        slate, spec = self.slate, d.spec
        name = spec.same_as or spec.name if spec is not None else ""
        selected: tuple[Goal | Roadmap | Area, ...] | None = None
        if self.expander.legacy or d.status is not None:
            pass
        elif name == "FLAGSHIP GOALS":
            selected = tuple(slate.with_theme(slate.slate_goals, d.arg))
        elif name in _SIZES:
            selected = tuple(g for g in slate.slate_goals if g.size is _SIZES[name])
        elif name in ("HIGHLIGHT TABLE", "HIGHLIGHT GOALS"):
            selected = tuple(self._highlighted(d.arg or ""))
        elif name == "GOALS WITH NEEDS":
            selected = tuple(slate.with_needs(d.arg or ""))
        elif name in ("ROADMAPS", "APPLICATION AREAS"):
            selected = (*slate.roadmaps, *slate.areas)
        elif name == "GOALS NOT ACCEPTED":
            selected = slate.not_accepted
        elif name in _READS_NO_GOAL:
            selected = ()
        return goal_inputs(slate, selected) if selected is not None else self.expander.everything

    def _expand(self, d: Directive, level: int) -> str:
        """A block directive, by the table below; its argument was checked against the registry first."""
        if d.status is not None:
            not_accepted = d.status.strip().casefold() == "not accepted"
            return self.expander.goal_list(self.slate.with_status(d.status), not_accepted=not_accepted)
        spec = d.spec
        if spec is None or spec.kind not in (directives.Kind.BLOCK, directives.Kind.WEBSITE):
            return ""  # unknown-directive (validate)
        if spec.argument is directives.Argument.REQUIRED and not d.arg and d.name != "ROADMAP ROWS":
            return ""  # directive-needs-argument (validate)
        return EXPANSIONS[spec.same_as or spec.name](self, d, level)

    def _table_with_rows(self, doc: Document, block: Block, raw: str) -> str:
        out = []
        for n, line in enumerate(raw.rstrip("\n").split("\n")):
            m = _ROADMAP_ROWS.match(line)
            if m:
                theme = m.group(1).strip()  # validate reports one that names no roadmap (unknown-roadmap)
                rows = self.expander.render("roadmap_rows.md.j2", rows=self.expander.roadmap_rows(theme))
                if rows:
                    out.append(rows)
                continue
            out.append(self.expander.refs.rewrite(line, doc.path, block.line + n, self._inline(doc.path)))
        return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------
# one function per block directive: (assembler, directive, heading level of what it generates) -> Markdown

Expand = Callable[[Assembler, Directive, int], str]


def _themed(a: Assembler, d: Directive, _level: int) -> str:
    return a.expander.goal_list(a.slate.with_theme(a.expander.goals, d.arg))  # validate reports an empty one


def _other_goals(a: Assembler, _d: Directive, _level: int) -> str:
    e = a.expander
    flagged = {g.path for g in a.slate.with_theme(e.goals, None)}
    return e.goal_list([g for g in e.goals if g.path not in flagged])


def _highlight_table(a: Assembler, d: Directive, _level: int) -> str:
    return a.expander.highlight_table(d.arg or "")


def _highlight_goals(a: Assembler, d: Directive, level: int) -> str:
    return a.expander.goal_sections(a.slate.highlighted(d.arg or ""), level, "highlight")


def _with_needs(a: Assembler, d: Directive, level: int) -> str:
    need = (d.arg or "").casefold()
    kind = need if need in ("contributor", "funding") else "other"
    return a.expander.goal_sections(a.slate.with_needs(d.arg or ""), level, kind)


def _size_table(level: Level) -> Expand:
    return lambda a, _d, _level: a.expander.size_table(level)


def _grouped_funding_table(a: Assembler, d: Directive, _level: int) -> str:
    return funding_table(a.expander, None, FUNDING_GROUPINGS[d.name])


def _nothing(_a: Assembler, _d: Directive, _level: int) -> str:
    return ""


# expanded without reading any goal: to nothing (validate reports them), or from the configuration or a template
_READS_NO_GOAL = frozenset({*WEBSITE_ONLY, "ROADMAP ROWS", "VALID TEAM ASKS", "FUNDING LEGEND"})
_SIZES = {"LARGE GOALS": Level.LARGE, "MEDIUM GOALS": Level.MEDIUM, "SMALL GOALS": Level.SMALL}

EXPANSIONS: dict[str, Expand] = {
    "GOALS": lambda a, _d, _level: a.expander.goal_list(list(a.expander.goals)),
    "FLAGSHIP GOALS": _themed,
    "OTHER GOALS": _other_goals,
    "GOALS NOT ACCEPTED": lambda a, _d, _level: a.expander.goal_list(list(a.slate.not_accepted), not_accepted=True),
    "LARGE GOALS": _size_table(Level.LARGE),
    "MEDIUM GOALS": _size_table(Level.MEDIUM),
    "SMALL GOALS": _size_table(Level.SMALL),
    "CHAMPIONS": lambda a, _d, _level: a.expander.champions(),
    "TEAM ASKS": lambda a, _d, level: a.expander.team_asks(level),
    "VALID TEAM ASKS": lambda a, _d, _level: a.expander.valid_team_asks(),
    "HIGHLIGHT TABLE": _highlight_table,
    "HIGHLIGHT GOALS": _highlight_goals,
    "GOALS WITH NEEDS": _with_needs,
    "ROADMAPS": lambda a, d, _level: a.expander.roadmaps(d.arg),
    "APPLICATION AREAS": lambda a, _d, level: a.expander.application_areas(level),
    "FUNDING TABLE": lambda a, d, _level: funding_table(a.expander, d.arg),
    **dict.fromkeys(FUNDING_GROUPINGS, _grouped_funding_table),
    "FUNDING LEGEND": lambda a, _d, _level: a.expander.render("funding_legend.md.j2"),
    # a ROADMAP ROWS outside a table row (roadmap-rows-outside-table) and REPORTS (reports-need-network, the goals
    # site reads the tracking issues) expand to nothing; validate reports both
    **{name: _nothing for name in (*WEBSITE_ONLY, "ROADMAP ROWS")},
}
