"""Shared test helpers: corpus paths, a parser-based link checker, and fact extraction from an RFC text.

Both checks read documents through mistune (a CommonMark parser independent of the compiler's own scanner), so
they judge the output the way a Markdown renderer will see it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mistune
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
PUBLISHED_SITE = "https://rust-lang.github.io/rust-project-goals/"

# rfc number and start date per period (spec, Appendix A)
PUBLISHED: dict[str, tuple[str, str | None]] = {
    "2024h2": ("3672", "2024-07-09"),
    "2025h1": ("3764", "2025-01-14"),
    "2025h2": ("3849", None),  # RFC 3849 kept the template's start-date placeholder
    "2026": ("0000", "2026-02-23"),
}


def corpus(period: str) -> Path:
    path = CORPUS / period
    if not path.is_dir():
        pytest.skip(f"corpus {period} not available at {path}")
    return path


_MD = mistune.create_markdown(renderer=None, plugins=["table", "footnotes", "strikethrough"])


def parse(text: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    tokens, state = _MD.parse(text)
    assert isinstance(tokens, list)
    return tokens, dict(state.env)


def walk(tokens: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield token
        children = token.get("children")
        if isinstance(children, list):
            yield from walk(children)


def text_of(token: dict[str, Any]) -> str:
    """Visible text of a token, as a renderer shows it."""
    if token.get("type") in ("text", "codespan"):
        return str(token.get("raw", ""))
    if token.get("type") in ("softbreak", "linebreak"):
        return " "
    return "".join(text_of(c) for c in token.get("children", []) or [])


def github_slug(title: str) -> str:
    out = []
    for ch in title.lower():
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch == " ":
            out.append("-")
    return "".join(out)


@dataclass
class LinkReport:
    undefined_refs: list[str] = field(default_factory=list)
    unused_defs: list[str] = field(default_factory=list)
    duplicate_defs: list[str] = field(default_factory=list)
    relative_links: list[str] = field(default_factory=list)
    glued_urls: list[str] = field(default_factory=list)
    missing_anchors: list[str] = field(default_factory=list)
    undefined_footnotes: list[str] = field(default_factory=list)
    unused_footnotes: list[str] = field(default_factory=list)

    def defects(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.__dict__.items() if v}


_REF_TEXT = re.compile(r"!?\[[^\[\]]+\]\[[^\[\]]*\]")
_DEF_LINE = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:\s", re.M)


def check_links(text: str) -> LinkReport:
    tokens, env = parse(text)
    report = LinkReport()
    defined = {k for k in env.get("ref_links", {})}
    used: set[str] = set()
    anchors: list[str] = []
    slugs: dict[str, int] = {}
    headings: set[str] = set()
    footnote_refs: set[str] = set()
    for token in walk(tokens):
        kind = token.get("type")
        if kind in ("link", "image"):
            if "ref" in token:
                used.add(str(token["ref"]))
            url = str(token.get("attrs", {}).get("url", ""))
            if url.startswith("#"):
                anchors.append(url[1:])
            elif not re.match(r"^[a-z][a-z0-9+.-]*:", url):
                report.relative_links.append(url)
            if re.search(r"https?://.*https?:/", url):
                report.glued_urls.append(url)
        elif kind == "text":
            report.undefined_refs.extend(_REF_TEXT.findall(str(token.get("raw", ""))))
        elif kind == "heading":
            base = github_slug(text_of(token))
            slug = base
            if base in slugs:
                slugs[base] += 1
                slug = f"{base}-{slugs[base]}"
            slugs.setdefault(slug, 0)
            headings.add(slug)
        elif kind == "footnote_ref":
            footnote_refs.add(str(token.get("raw")))
    report.unused_defs = sorted(defined - used)
    report.missing_anchors = sorted({a for a in anchors if a not in headings})
    # the same label defined twice: mistune keeps the first silently, so count the definition lines themselves
    in_code = _code_ranges(text)
    labels = [m.group(1).casefold() for m in _DEF_LINE.finditer(text) if not _inside(m.start(), in_code)]
    report.duplicate_defs = sorted({x for x in labels if labels.count(x) > 1})
    notes = {k for k in env.get("ref_footnotes", {})}
    report.undefined_footnotes = sorted(footnote_refs - notes)
    report.unused_footnotes = sorted(notes - footnote_refs)
    return report


def _code_ranges(text: str) -> list[tuple[int, int]]:
    ranges = []
    for m in re.finditer(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[ \t]*$", text, re.M | re.S):
        ranges.append((m.start(), m.end()))
    return ranges


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


# ------------------------------------------------------------------------------------------------------------
# Facts of an RFC text


def goal_stem(url: str) -> str | None:
    """`<site>/2026/const-generics.html#x` -> `const-generics`; None for anything that is not a goal page."""
    m = re.search(r"/(\d{4}(?:h[12])?)/([^/#]+)\.html", url)
    if not m or m.group(2).startswith("roadmap-"):
        return None
    return m.group(2)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class Section:
    level: int
    title: str
    tokens: list[dict[str, Any]]


def sections(text: str) -> list[Section]:
    tokens, _ = parse(text)
    result: list[Section] = []
    for token in tokens:
        if token.get("type") == "heading":
            result.append(Section(int(token["attrs"]["level"]), _norm(text_of(token)), []))
        elif result:
            result[-1].tokens.append(token)
    return result


def tables(tokens: list[dict[str, Any]]) -> list[list[list[dict[str, Any]]]]:
    """Each table as rows of cells (cells are tokens); the header row first."""
    found = []
    for token in walk(tokens):
        if token.get("type") != "table":
            continue
        rows = []
        for part in token["children"]:
            if part["type"] == "table_head":
                rows.append(part["children"])
            else:
                rows.extend(row["children"] for row in part["children"])
        found.append(rows)
    return found


def links_in(token: dict[str, Any]) -> list[str]:
    return [str(t["attrs"]["url"]) for t in walk([token]) if t.get("type") == "link"]


def cell_text(cell: dict[str, Any]) -> str:
    return _norm(text_of(cell))


def team_ask_rows(text: str) -> set[tuple[str, str, str, str]]:
    """(team, goal stem, level, champion) of every row of every `<team> team` section."""
    rows: set[tuple[str, str, str, str]] = set()
    for sec in sections(text):
        m = re.fullmatch(r"(\S+) team", sec.title)
        if not m:
            continue
        for table in tables(sec.tokens):
            header = [cell_text(c) for c in table[0]]
            if header[:3] != ["Goal", "Level", "Champion"]:
                continue
            for row in table[1:]:
                stems = [s for s in (goal_stem(u) for u in links_in(row[0])) if s]
                if stems:
                    rows.add((m.group(1), stems[0], cell_text(row[1]), cell_text(row[2])))
    return rows


def size_tables(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for sec in sections(text):
        if sec.title in ("Large goals", "Medium goals", "Small goals"):
            stems: set[str] = set()
            for table in tables(sec.tokens):
                for row in table[1:]:
                    stems |= {s for s in (goal_stem(u) for u in links_in(row[0])) if s}
            found[sec.title] = stems
    return found


def first_table_stems(sec: Section) -> set[str]:
    for table in tables(sec.tokens):
        stems: set[str] = set()
        for row in table[1:]:
            stems |= {s for s in (goal_stem(u) for u in links_in(row[0])) if s}
        return stems
    return set()


def help_wanted_goals(text: str) -> set[str]:
    """Goal stems of table rows whose second cell (the point of contact) is the Help Wanted badge image."""
    stems: set[str] = set()
    for sec in sections(text):
        for table in tables(sec.tokens):
            for row in table[1:]:
                if len(row) < 2:
                    continue
                badges = [t for t in walk([row[1]]) if t.get("type") == "image"]
                if any(text_of(b).casefold() == "help wanted" for b in badges):
                    stems |= {s for s in (goal_stem(u) for u in links_in(row[0])) if s}
    return stems
