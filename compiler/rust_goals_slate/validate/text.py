"""Rules on the Markdown of every file of the period: tables, headings, links, prose counts.

These rules cover every file, so a broken link in a goal's motivation is found even though that text only ever
appears on the website; the render stage reports only what needs the assembled RFC. The README and its chapters share
their definitions, as in the RFC.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import AskFormat, Document, Handle, Level, Slate
from rust_goals_slate.parse.inline import plain_text, scan
from rust_goals_slate.parse.metadata import is_metadata
from rust_goals_slate.parse.readme import TEMPLATE_SECTIONS
from rust_goals_slate.records import record
from rust_goals_slate.validate.base import text_blocks
from rust_goals_slate.validate.characters import character_rules
from rust_goals_slate.validate.links import FileScan, LinkChecker, folded_into, heading_ids
from rust_goals_slate.validate.memo import RuleMemo

# Both start with what they match and check the character before it behind it: a pattern that starts with a
# look-behind is tried at every position of the text, one that starts with a digit or a letter only where one is.
_COUNT = re.compile(
    r"(\d(?<![\w.,]\d)\d{0,2})\s+(?:(total)\s+)?(?:(project|flagship|roadmap|large|medium|small)\s+)?goals\b", re.I
)
_CHAMPION_ROW = re.compile(r"^\s*\|\s*(\[[^\]]+\])(?:\[\])?\s+champion\s*\|", re.I)
_PLACEHOLDER = re.compile(r"NN(?<![\w-]NN)(?![\w-])")
_DIGIT = re.compile(r"\d")


@record
class TextScan:
    """What the scan of every file's text found: diagnostics, and every `@handle` for the name rules."""

    diagnostics: tuple[Diagnostic, ...]
    handles: tuple[Handle, ...]  # the first `@handle` of each spelling in the text of each file


def validate_text(slate: Slate, memo: RuleMemo | None = None) -> TextScan:
    """`memo` (`slate watch`): each file's rules are computed again only when the file or what they read of the
    slate changed (validate/memo.py)."""
    out: list[Diagnostic] = []
    handles: list[Handle] = []
    output = set(slate.output_documents)
    in_rfc = _readme_and_chapters(slate)
    used: set[tuple[str, str]] = set()
    ids: dict[str, set[str]] = {}  # the heading ids of each file a link names, worked out once for every checker
    slate_wide = _link_inputs(slate, memo) if memo is not None else ()
    anchors = _anchors_unchanged(slate, memo) if memo is not None else None
    for path, doc in slate.documents.items():
        item = path in slate.item_pages
        shared = in_rfc if path in output else []
        body = slate.readme.body_start if slate.readme is not None and path == slate.readme.path else 0
        if memo is None:
            found = _file_rules(slate, doc, item, shared, body, ids)
        else:

            def scan_file(
                doc: Document = doc, item: bool = item, shared: list[str] = shared, body: int = body
            ) -> _Found:
                looked: dict[str, set[str]] = {}  # the file's own: the heading ids its links looked up
                return _Found(_file_rules(slate, doc, item, shared, body, looked), _frozen(looked))

            # what the file's rules read besides its own text: whether it is an item page, the files whose
            # definitions it shares and where its body starts, the slate-wide inputs of the links, and the heading
            # ids of the files its links point into (recorded by the scan, checked by `_anchors_unchanged`)
            shared_docs = tuple(slate.documents.get(p) for p in shared)
            inputs = (doc, item, tuple(shared), shared_docs, body, *slate_wide)
            found = memo.get("text", path, inputs, scan_file, anchors).scan
        out.extend(found.diagnostics)
        handles.extend(found.handles)
        used |= found.used
    keys: dict[str, list[str]] = {}  # the definitions of the README and its chapters that the RFC holds
    for path, key in sorted(used):
        keys.setdefault(path, []).append(key)
    for path, labels in keys.items():

        def definitions(path: str, labels: list[str], ids: dict[str, set[str]]) -> tuple[Diagnostic, ...]:
            checker = LinkChecker(slate, slate.documents[path], in_rfc, ids=ids)
            return tuple(d for key in labels if (d := checker.definition(key)) is not None)

        if memo is None:
            out.extend(definitions(path, labels, ids))
        else:

            def check(path: str = path, labels: list[str] = labels) -> _Found:
                looked: dict[str, set[str]] = {}
                return _Found(FileScan(definitions(path, labels, looked), (), frozenset()), _frozen(looked))

            inputs = (slate.documents[path], tuple(labels), tuple(in_rfc), *slate_wide)
            out.extend(memo.get("definitions", path, inputs, check, anchors).scan.diagnostics)
    counts = _counts(slate)
    for path in slate.output_documents:
        doc = slate.documents[path]
        first = slate.readme.body_start if slate.readme is not None and path == slate.readme.path else None

        def prose(doc: Document = doc, first: int | None = first) -> tuple[Diagnostic, ...]:
            return (*_heading_rules(doc, first), *_count_rules(doc, counts))

        out.extend(prose() if memo is None else memo.get("prose", path, (doc, first, counts), prose))
    return TextScan(tuple(out), tuple(handles))


def _file_rules(
    slate: Slate, doc: Document, item: bool, shared: list[str], body: int, ids: dict[str, set[str]]
) -> FileScan:
    """Tables, folded definitions, characters, links, references, footnotes and handles of one file; `ids`: the
    heading ids of the files its links name, shared by every file of the validation."""
    if not doc.text.strip():
        empty = Diagnostic(Location(doc.path), Severity.WARNING, "empty-file", "file is empty")
        return FileScan((empty,), (), frozenset())
    found = LinkChecker(slate, doc, shared, body, ids).run()
    rules = (*_table_rules(doc, item), *_folded_rules(doc), *character_rules(doc))
    return FileScan((*rules, *found.diagnostics), found.handles, found.used)


@record
class _Found:
    """What a file's rules found, and the heading ids of each file its links point into (its own included) as they
    were then: `slate watch` keeps the result while those stay the same."""

    scan: FileScan
    anchors: tuple[tuple[str, frozenset[str]], ...]


def _frozen(ids: dict[str, set[str]]) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((path, frozenset(found)) for path, found in ids.items())


def _link_inputs(slate: Slate, memo: RuleMemo) -> tuple[object, ...]:
    """What `LinkChecker` reads of the slate besides the file, the files it shares definitions with and the heading
    ids it looks up (the resolver, `parse/links.py`): which files exist, the input root, the configuration (badges,
    linkifiers, the goals repository) and the team data."""
    return (
        memo.steady("paths", frozenset(slate.documents)),
        slate.src_dir,
        memo.steady("config", slate.config),
        slate.teams,
    )


def _anchors_unchanged(slate: Slate, memo: RuleMemo) -> Callable[[_Found], bool]:
    """Whether every file a kept result looked into still has the heading ids it had (`heading_ids`, as
    `LinkChecker.ids_of` works them out; once per Document)."""

    def now(path: str) -> frozenset[str]:
        doc = slate.documents.get(path)
        return frozenset() if doc is None else memo.get("anchors", path, (doc,), lambda: frozenset(heading_ids(doc)))

    return lambda found: all(now(path) == ids for path, ids in found.anchors)


def _readme_and_chapters(slate: Slate) -> list[str]:
    """The README and every chapter it links, present or not (a missing one is `missing-chapter`)."""
    if slate.readme is None:
        return []
    path = slate.readme.path
    return [path, *(c for c in slate.readme.chapters if c != path)]


# --------------------------------------------------------------------------------------------------------------
# tables and headings


def _table_rules(doc: Document, item: bool) -> Iterator[Diagnostic]:
    """`item`: a goal, roadmap or area page, whose metadata tables the parse stage reads."""
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        table = block.table
        if table is None:
            continue
        if table.glued:
            yield doc.diagnostic(
                block.line,
                Severity.WARNING,
                "glued-table",
                "this table follows the text above it without a blank line, so Markdown reads it as text "
                "(slate reads it as the table)",
                hint=f"add a blank line before line {block.line}",
            )
        metadata = is_metadata(block)
        for row in table.rows if item or not metadata else ():  # a page's Metadata table is no item's: as before
            if row.extra_cells and metadata:
                yield doc.diagnostic(
                    row.line,
                    Severity.WARNING,
                    "extra-cells",
                    f"metadata row has {row.extra_cells} cell(s) too many; they are ignored",
                )
            elif row.extra_cells:
                yield doc.diagnostic(
                    row.line,
                    Severity.WARNING,
                    "extra-cells",
                    f"table row has {row.extra_cells} cell(s) more than its header; they are ignored",
                    hint=f"the header has {len(table.header)} columns; write `\\|` for a literal pipe",
                )
        later = [b for b in blocks[i + 1 : i + 3]]
        if len(later) == 2 and later[0].kind == "blank" and later[1].kind == "paragraph":
            # the rows may be followed by other lines folded into the same paragraph, such as a link definition
            # (2025h2 parallel-front-end.md:12-13): the rows are cut off all the same
            lines = doc.text[later[1].start : later[1].end].strip("\n").split("\n")
            rows = list(itertools.takewhile(lambda line: line.strip().startswith("|"), lines))
            if rows:
                champions = [m.group(1) for line in rows if (m := _CHAMPION_ROW.match(line))]
                lost = f": the goal has no {', '.join(champions)} champion" if champions and is_metadata(block) else ""
                yield doc.diagnostic(
                    later[1].line,
                    Severity.WARNING,
                    "split-table",
                    f"{'these rows are' if len(rows) > 1 else 'this row is'} separated from the table at line "
                    f"{table.line} by a blank line, so {'they are' if len(rows) > 1 else 'it is'} a paragraph, not "
                    f"{'table rows' if len(rows) > 1 else 'a table row'}{lost}",
                    hint=f"remove the blank line at line {later[0].line}",
                )


def _folded_rules(doc: Document) -> Iterator[Diagnostic]:
    """A definition written right under a table, paragraph or list item is folded into it (a lazy continuation
    line): it defines nothing. Reported here once, instead of as an undefined reference wherever the label is used
    and as an unknown metadata key in a metadata table."""
    for d in doc.folded_defs:
        yield doc.diagnostic(
            d.line,
            Severity.WARNING,
            "folded-definition",
            f"'[{d.label}]: …' is folded into {folded_into(doc, d.start)} (no blank line between them), so "
            f"'[{d.label}]' is not defined",
            hint=f"add a blank line before line {d.line}",
        )


def _heading_rules(doc: Document, readme_body: int | None) -> Iterator[Diagnostic]:
    """A heading more than one level below the heading before it (spec 3.3); levels as they come out in the RFC.
    `readme_body`: for the README, the index of its first heading (the header comes before it)."""
    is_readme = readme_body is not None
    heads = [b for b in doc.blocks[readme_body or 0 :] if b.is_heading]
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
            yield doc.diagnostic(
                block.line,
                Severity.WARNING,
                "heading-jump",
                f"heading level jumps from {previous} to {block.level}",
                hint=f"use {'#' * (previous + 1)} here, or add the missing level above",
            )
        previous = block.level


# --------------------------------------------------------------------------------------------------------------
# counts in the prose of the RFC


def _counts(slate: Slate) -> tuple[tuple[str, int], ...]:
    """The numbers of goals that a sentence of the RFC may state: of the slate, flagship, roadmap goals, and of each
    size when the period sizes its asks."""
    goals = slate.slate_goals
    counts = {
        "project": len(goals),
        "flagship": len(slate.flagship_goals),
        "roadmap": sum(1 for g in goals if g.is_roadmap_goal),
    }
    if any(g.ask_format is AskFormat.NEW for g in goals):
        sizes = Counter(g.size for g in goals)
        for size in (Level.LARGE, Level.MEDIUM, Level.SMALL):
            counts[size.name.casefold()] = sizes[size]
    return tuple(counts.items())


def _count_rules(doc: Document, slate_counts: tuple[tuple[str, int], ...]) -> Iterator[Diagnostic]:
    counts = dict(slate_counts)
    directive = {"project": "#GOALS", "flagship": "#FLAGSHIP GOALS", "roadmap": "#ROADMAP GOALS"}
    directive |= {size: f"#{size.upper()} GOALS" for size in ("large", "medium", "small") if size in counts}
    for block, text in text_blocks(doc):
        if "NN" not in text and not _DIGIT.search(text):
            continue  # both patterns need one: the block is not scanned
        for span in scan(text):
            if span.kind != "text":
                continue
            piece = text[span.start : span.end]
            for m in _PLACEHOLDER.finditer(piece):
                line = doc.line_of(block.start + span.start + m.start())
                yield doc.diagnostic(
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
                    yield doc.diagnostic(
                        line,
                        Severity.WARNING,
                        "count-mismatch",
                        f"the text says '{m.group(0)}', but the slate has {actual} {what}goals",
                        hint=f"use `((({directive[kind]})))` so that the number is computed",
                    )
