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


def link_list_targets(doc: Document, block: Block) -> list[str] | None:
    """The chapter paths of a link list (every item holds exactly one relative .md link), else None."""
    if block.kind != "list":
        return None
    items = _ITEM_SPLIT.split(doc.text[block.start : block.end].strip("\n"))
    targets = []
    for item in items:
        links = [s for s in scan(item) if s.kind == "link"]
        if len(links) != 1 or not _ITEM_START.match(item):
            return None
        dest = links[0].dest.strip("<>").split("#", 1)[0]
        if URL_SCHEME.match(dest) or not dest.endswith(".md"):
            return None
        targets.append(posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), dest)))
    return targets


def chapters_of(doc: Document) -> list[str]:
    found: list[str] = []
    for block in doc.blocks:
        for target in link_list_targets(doc, block) or []:
            if target not in found:
                found.append(target)
    return found
