"""Parse the README skeleton into its model (`rust_goals_slate.model.readme`): the rfcs-template header fields, the
chapters its link lists inline, and the directives written in it and its chapters. Done once, by the parse stage.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from rust_goals_slate.model import Block, Document
from rust_goals_slate.model.directives import Directive
from rust_goals_slate.model.readme import ChapterLink, HeaderField, Readme
from rust_goals_slate.parse import directives
from rust_goals_slate.parse.inline import URL_SCHEME, scan

# The rfcs template's sections: a README heading of this name is set at the RFC's top level.
TEMPLATE_SECTIONS = {
    "summary", "motivation", "guide-level explanation", "reference-level explanation", "drawbacks",
    "rationale and alternatives", "prior art", "unresolved questions", "future possibilities",
    "frequently asked questions",
}  # fmt: skip
_HEADER_ITEM = re.compile(r"^[-*]\s+([A-Za-z][A-Za-z ]*):\s*(.*)$")
_ITEM_SPLIT = re.compile(r"\n(?=[-*+] )")
_ITEM_START = re.compile(r"^[-*+] ")


TEXT_BLOCKS = ("paragraph", "list", "quote", "table", "heading")  # the blocks that hold inline text


def parse_readme(doc: Document, found: Mapping[str, Sequence[Directive]], pages: frozenset[str]) -> Readme:
    """The README's model; `found` holds the directives of each page of the period that is not a goal, roadmap or
    area page (`pages`: a link list never inlines those), by path."""
    header, first = _header(doc)
    lists: dict[int, tuple[ChapterLink, ...]] = {}
    for index, block in enumerate(doc.blocks):
        links = chapter_links(doc, block, pages)
        if links:
            lists[index] = links
    readme = Readme(doc, header, first, lists)
    uses = list(found[doc.path]) if doc.path in found else directives_in(doc)
    for chapter in readme.chapters:
        if chapter in found and chapter != doc.path:
            uses += found[chapter]
    return Readme(doc, header, first, lists, tuple(uses))


def _header(doc: Document) -> tuple[dict[str, HeaderField], int]:
    """`- Key: value` lines before the first heading, by key case-folded; and the index of the first heading."""
    fields: dict[str, HeaderField] = {}
    first = next((i for i, b in enumerate(doc.blocks) if b.is_heading), len(doc.blocks))
    for block in doc.blocks[:first]:
        if block.kind != "list":
            continue
        text = doc.text[block.start : block.end]
        lines = text.strip("\n").split("\n")
        matches = [_HEADER_ITEM.match(line.strip()) for line in lines]
        if not all(matches):
            continue
        offset = block.start + len(text) - len(text.lstrip("\n"))
        for line, m in zip(lines, matches, strict=True):
            assert m is not None
            value = m.group(2).strip()
            at = offset + len(line) - len(line.lstrip()) + m.start(2) + len(m.group(2)) - len(m.group(2).lstrip())
            fields[m.group(1).strip().casefold()] = HeaderField(value, doc.location(at))
            offset += len(line) + 1
    return fields, first


def directives_in(doc: Document) -> list[Directive]:
    """Every directive written in a page: alone in a paragraph or a comment block, or inside a sentence or a cell
    (`(((NAME)))`, or a comment naming a directive: `<!-- GOALS -->` in a sentence, which is an error)."""
    uses: list[Directive] = []
    for index, block in enumerate(doc.blocks):
        raw = doc.text[block.start : block.end]
        if block.kind == "html":
            m = directives.COMMENT.match(raw.strip())
            if m:
                where = doc.location(block.start + len(raw) - len(raw.lstrip()))
                uses.append(Directive(m.group(1), None, where, comment=True, alone=True, block=index))
                continue
        elif block.kind not in TEXT_BLOCKS:
            continue
        if "(((" not in raw and "<!--" not in raw:
            continue
        text = raw.strip()
        whole = directives.paragraph(text, doc.location(block.start + raw.index(text[0])))
        if block.kind == "paragraph" and whole is not None:
            uses.append(replace(whole, block=index))  # read whole: its argument may hold `code` or ( )
            continue
        for span in scan(raw):
            if span.kind == "html" and raw.startswith("<!--", span.start):
                inner = raw[span.start + 4 : span.end - 3].strip()
                if inner in directives.REGISTRY or directives.STATUS_LIST.match(inner):
                    where = doc.location(block.start + span.start)
                    uses.append(Directive(inner, None, where, comment=True, block=index))
            if span.kind not in ("text", "link", "image"):
                continue
            # in a link, its text (spec 2.1: every occurrence is expanded, link text too)
            piece = raw[span.start : span.end if span.kind == "text" else span.dest_start]
            for m, name, arg in directives.in_text(piece):
                where = doc.location(block.start + span.start + m.start())
                uses.append(Directive(name, arg, where, block=index))
    return uses


def chapter_links(doc: Document, block: Block, pages: frozenset[str]) -> tuple[ChapterLink, ...] | None:
    """The links of a chapter list, else None.

    A list is a chapter list when each item is nothing but one link to a relative `.md` file that is not one of
    `pages` (the goal, roadmap and area pages: those belong to the website and are never inlined, whatever list
    links them). Prose bullets that link a page (`* We aim to stabilize [cargo script](./cargo-script.md), …`,
    2025h2) stay a list, their links rewritten like any other."""
    if block.kind != "list":
        return None
    text = doc.text[block.start : block.end]
    offset = block.start + len(text) - len(text.lstrip("\n"))
    targets = []
    for item in _ITEM_SPLIT.split(text.strip("\n")):
        marker = _ITEM_START.match(item)
        if not marker:
            return None
        body = item[marker.end() :].strip()
        at = offset + marker.end() + len(item[marker.end() :]) - len(item[marker.end() :].lstrip())
        offset += len(item) + 1
        links = [s for s in scan(body) if s.kind == "link"]
        if len(links) != 1 or (links[0].start, links[0].end) != (0, len(body)):
            return None
        dest = links[0].dest.strip("<>").split("#", 1)[0]
        if URL_SCHEME.match(dest) or not dest.endswith(".md"):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), dest))
        if target in pages:
            return None
        targets.append(ChapterLink(target, doc.location(at)))
    return tuple(targets)


# `[RFC #3935]` or `[rust-lang/rfcs#3849]`: the goals site's linkifiers make these links, but the header line is
# never linkified (spec 3.2), so a README written that way gets the template's own form, which needs no definition.
_RFC_REFERENCE = re.compile(r"^\[(?:RFC #|rust-lang/rfcs#)([0-9]+)\](?:\[\])?$")


def linkifier_rfc(value: str) -> str | None:
    """The RFC number of a header value written in a linkifier's form, else None."""
    m = _RFC_REFERENCE.match(value.strip())
    return m.group(1) if m else None
