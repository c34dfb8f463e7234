"""Roadmap files (`roadmap-*.md`) and application-area pages (`area-*.md`)."""

from __future__ import annotations

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Area, Document, Fragment, Roadmap
from rust_goals_slate.model.repository_format import CONTACT, spellings_of
from rust_goals_slate.parse.metadata import handles, read_metadata, title_and_metadata, value_fragment

ROADMAP_KEYS = {"short title", "what and why", CONTACT, "application area", "status", "tracking issue"}


def parse_roadmap(doc: Document) -> tuple[Roadmap | None, list[Diagnostic]]:
    head, meta = title_and_metadata(doc)
    if head < 0:
        return None, [doc.diagnostic(1, Severity.ERROR, "roadmap-without-title", "roadmap file has no heading")]
    title = doc.blocks[head].title
    if meta is None:
        return None, [
            doc.diagnostic(
                doc.blocks[head].line,
                Severity.ERROR,
                "roadmap-without-metadata",
                "roadmap file has no metadata table after its title",
                hint="add `| Metadata | |` with Short title, What and why, Contact (before Aug 2026: Point of contact)",
            )
        ]
    entries, rows, problems = read_metadata(doc, meta, ROADMAP_KEYS)
    get = {e.key: e for e in reversed(entries) if e.value}
    for key in ("short title", "what and why", CONTACT):
        if key not in get:
            problems.append(
                doc.diagnostic(
                    meta.line,
                    Severity.WARNING,
                    "roadmap-missing-key",
                    "roadmap metadata has no " + (spellings_of(key) if key == CONTACT else f"'{key.capitalize()}'"),
                )
            )
    ww = get.get("what and why")
    roadmap = Roadmap(
        path=doc.path,
        title=title,
        short_title=get["short title"].value if "short title" in get else title,
        what_and_why=value_fragment(doc, ww) if ww else Fragment("", doc.path, meta.line),
        location=Location(doc.path, doc.blocks[head].line, 1),
        points_of_contact=tuple(h for e in entries if e.key == CONTACT for h in handles(e.value, e.location, doc)),
        areas=tuple(e.value for e in entries if e.key == "application area" and e.value),
        metadata=tuple(rows),
    )
    return roadmap, problems


def parse_area(doc: Document) -> tuple[Area | None, list[Diagnostic]]:
    head, meta = title_and_metadata(doc)
    if head < 0 or meta is None:
        return None, [
            doc.diagnostic(
                1,
                Severity.WARNING,
                "area-without-metadata",
                "application-area page has no metadata table; it is ignored",
            )
        ]
    entries, _, problems = read_metadata(doc, meta, {"short title", "what and why", CONTACT})
    get = {e.key: e for e in reversed(entries) if e.value}
    ww = get.get("what and why")
    area = Area(
        name=get["short title"].value if "short title" in get else doc.blocks[head].title,
        location=Location(doc.path, doc.blocks[head].line, 1),
        path=doc.path,
        what_and_why=value_fragment(doc, ww) if ww else None,
        points_of_contact=tuple(h for e in entries if e.key == CONTACT for h in handles(e.value, e.location, doc)),
    )
    return area, problems
