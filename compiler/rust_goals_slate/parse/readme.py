"""The README skeleton's own structure: its rfcs-template header fields and the chapters its link lists inline.

Both the validation (heading levels and counts of the text that becomes the RFC) and the render need them.
"""

from __future__ import annotations

import posixpath
import re

from rust_goals_slate.model import Block, Document
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


def header_fields(doc: Document) -> tuple[dict[str, tuple[str, int]], int]:
    """`- Key: value` lines before the first heading; returns the fields and the index of the first heading."""
    fields: dict[str, tuple[str, int]] = {}
    first = next((i for i, b in enumerate(doc.blocks) if b.is_heading), len(doc.blocks))
    for block in doc.blocks[:first]:
        if block.kind != "list":
            continue
        lines = doc.text[block.start : block.end].strip("\n").split("\n")
        matches = [_HEADER_ITEM.match(line.strip()) for line in lines]
        if all(matches):
            for n, m in enumerate(matches):
                assert m is not None
                fields[m.group(1).strip().casefold()] = (m.group(2).strip(), block.line + n)
    return fields, first


def link_list_targets(doc: Document, block: Block, pages: frozenset[str]) -> list[str] | None:
    """The chapter paths of a chapter list, else None.

    A list is a chapter list when each item is nothing but one link to a relative `.md` file that is not one of
    `pages` (the goal, roadmap and area pages: those belong to the website and are never inlined, whatever list
    links them). Prose bullets that link a page (`* We aim to stabilize [cargo script](./cargo-script.md), …`,
    2025h2) stay a list, their links rewritten like any other."""
    if block.kind != "list":
        return None
    items = _ITEM_SPLIT.split(doc.text[block.start : block.end].strip("\n"))
    targets = []
    for item in items:
        marker = _ITEM_START.match(item)
        if not marker:
            return None
        body = item[marker.end() :].strip()
        links = [s for s in scan(body) if s.kind == "link"]
        if len(links) != 1 or (links[0].start, links[0].end) != (0, len(body)):
            return None
        dest = links[0].dest.strip("<>").split("#", 1)[0]
        if URL_SCHEME.match(dest) or not dest.endswith(".md"):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), dest))
        if target in pages:
            return None
        targets.append(target)
    return targets


def chapters_of(doc: Document, pages: frozenset[str]) -> list[str]:
    """The chapters the README's chapter lists inline, in order; `pages` as for `link_list_targets`."""
    found: list[str] = []
    for block in doc.blocks:
        for target in link_list_targets(doc, block, pages) or []:
            if target not in found:
                found.append(target)
    return found
