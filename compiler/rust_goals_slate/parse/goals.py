"""Goal files: the metadata table, the summary, team asks (2026 format), work items, help wanted, funding.

The old `Ownership and team asks` section (2024h2, 2025h1) is read by `rust_goals_slate.parse.legacy`.
"""

from __future__ import annotations

import re

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import (
    AskFormat,
    Block,
    Champion,
    Child,
    Config,
    Document,
    Fragment,
    FundingItem,
    Goal,
    Handle,
    HelpWantedItem,
    Level,
    MetadataRow,
    Row,
    Status,
    TeamAsk,
)
from rust_goals_slate.model.repository_format import CONTACT, retired_level_hint
from rust_goals_slate.parse.inline import handles_in, mdbook_id
from rust_goals_slate.parse.markdown import Section, sections
from rust_goals_slate.parse.metadata import (
    HELP_WANTED,
    cell_column,
    first_table,
    handles,
    is_metadata,
    link_text,
    norm_key,
    read_metadata,
    title_and_metadata,
    value_fragment,
)

GOAL_KEYS = {
    CONTACT, "owners", "status", "short title", "tracking issue", "other tracking issues", "teams",
    "roadmap", "flagship", "highlight", "needs", "what and why", "timespan", "funding contact",
}  # fmt: skip
CHILD_KEYS = {"roadmap", "flagship", "timespan", "what and why", "highlight"}

# written status -> (status, flagship, needs a contributor)
STATUSES: dict[str, tuple[Status, bool, bool]] = {
    "accepted": (Status.ACCEPTED, False, False),
    "proposed": (Status.PROPOSED, False, False),
    "not accepted": (Status.NOT_ACCEPTED, False, False),
    "flagship": (Status.ACCEPTED, True, False),
    "proposed for flagship": (Status.PROPOSED, True, False),
    "orphaned": (Status.PROPOSED, False, True),
    "proposed for mentorship": (Status.PROPOSED, False, True),
    "invited": (Status.PROPOSED, False, True),
}
LEVELS = {"small": Level.SMALL, "medium": Level.MEDIUM, "large": Level.LARGE}  # repository_format.SUPPORT_LEVELS
_TEAM_CELL = re.compile(r"^\[([^\]]+)\](?:\[\])?$")
_SENTENCE_END = re.compile(r"\.(?=\s|$)")


def own_text(doc: Document, section: Section) -> str:
    return "".join(doc.text[b.start : b.end] for b in section.own_blocks(doc)).strip("\n")


def first_sentence(doc: Document, blocks: tuple[Block, ...]) -> str | None:
    for block in blocks:
        if block.kind == "paragraph":
            joined = " ".join(doc.text[block.start : block.end].split())
            m = _SENTENCE_END.search(joined)
            return joined[: m.end()] if m else joined
    return None


def find_section(secs: list[Section], title: str) -> Section | None:
    for s in secs:
        if s.key == title:
            return s
    return None


def parse_goal(doc: Document, config: Config) -> tuple[Goal | None, list[Diagnostic]]:
    head, meta = title_and_metadata(doc)
    if head < 0 or meta is None:
        return None, []  # a page, not a goal
    title_block = doc.blocks[head]
    entries, rows, problems = read_metadata(doc, meta, GOAL_KEYS)
    values: dict[str, list[MetadataRow]] = {}
    for e in entries:
        values.setdefault(e.key, []).append(e)

    def one(key: str) -> MetadataRow | None:
        found = [e for e in values.get(key, []) if e.value]
        return found[0] if found else None

    status_entry = one("status")
    status, flagship, needs_contributor, status_text = Status.PROPOSED, False, False, ""
    if status_entry is None:
        problems.append(
            doc.diagnostic(
                meta.line,
                Severity.ERROR,
                "missing-status",
                "goal has no Status",
                hint="add a row `| Status | Proposed |`",
            )
        )
    else:
        status_text = status_entry.value
        known = STATUSES.get(norm_key(status_text))
        if known is None:
            problems.append(
                doc.diagnostic(
                    status_entry.location.line,
                    Severity.ERROR,
                    "unknown-status",
                    f"unknown status '{status_text}'",
                    hint="valid statuses: " + ", ".join(s.capitalize() for s in STATUSES),
                )
            )
        else:
            status, flagship, needs_contributor = known

    pocs: list[MetadataRow] = values.get(CONTACT, []) + values.get("owners", [])
    poc_handles = tuple(h for e in pocs for h in handles(e.value, e.location, doc))
    poc_help = any(HELP_WANTED.search(e.value) for e in pocs)
    themes: list[str] = []
    flagship_yes = False
    for e in values.get("roadmap", []) + values.get("flagship", []):
        if e.key == "flagship" and norm_key(e.value) in ("yes", "true"):
            flagship_yes = True
        elif e.value:
            themes.append(link_text(e.value))

    secs = sections(doc)
    summary_sec = find_section(secs, "summary")
    if summary_sec is not None:
        own = [b.line for b in summary_sec.own_blocks(doc) if b.kind != "blank"]
        first_line = own[0] if own else doc.blocks[summary_sec.heading].line
        summary = Fragment(own_text(doc, summary_sec), doc.path, first_line)
        sentence = first_sentence(doc, summary_sec.own_blocks(doc))
    else:
        summary = Fragment(title_block.title, doc.path, title_block.line, _title_column(doc, title_block))
        sentence = None
    ww = one("what and why")
    if ww is not None:
        what_and_why = value_fragment(doc, ww)
    else:
        what_and_why = Fragment(sentence or title_block.title, doc.path, summary.line)

    new_sec = find_section(secs, "team asks")
    old_sec = find_section(secs, "ownership and team asks")
    asks: tuple[TeamAsk, ...] = ()
    owners: tuple[Handle, ...] = ()
    fmt = AskFormat.NONE
    if new_sec is not None and old_sec is not None:
        sev = Severity.WARNING if status is Status.NOT_ACCEPTED else Severity.ERROR
        problems.append(
            doc.diagnostic(
                doc.blocks[old_sec.heading].line,
                sev,
                "both-ask-formats",
                "goal has both a 'Team asks' and an 'Ownership and team asks' section",
                hint="keep only 'Team asks' (Team | Support level | Notes)",
            )
        )
    if new_sec is not None:
        fmt = AskFormat.NEW
        asks, found = parse_new_asks(doc, secs, new_sec)
        problems += found
    elif old_sec is not None:
        from rust_goals_slate.parse.legacy import parse_ownership_asks

        fmt, asks, owners, found = parse_ownership_asks(doc, secs, old_sec, config)
        problems += found
    excluded = [s for s in (new_sec, old_sec, find_section(secs, "help wanted"), find_section(secs, "funding")) if s]
    if fmt is AskFormat.NEW:
        owners = work_item_owners(doc, excluded)

    children, found = parse_children(doc, secs)
    problems += found
    goal = Goal(
        path=doc.path,
        title=title_block.title,
        location=Location(doc.path, title_block.line, 1),
        status=status,
        status_text=status_text,
        summary=summary,
        what_and_why=what_and_why,
        ask_format=fmt,
        points_of_contact=poc_handles,
        poc_help_wanted=poc_help,
        legacy_flagship=flagship,
        legacy_needs_contributor=needs_contributor,
        short_title=_value(one("short title")),
        tracking_issue=_fragment(doc, one("tracking issue")),
        themes=tuple(themes),
        flagship_yes=flagship_yes,
        highlights=tuple(link_text(e.value) for e in values.get("highlight", []) if e.value),
        needs=tuple(e.value for e in values.get("needs", []) if e.value),
        timespan=_value(one("timespan")),
        funding_contact=_fragment(doc, one("funding contact")),
        champions=_champions(doc, values.get("champion", [])),
        asks=asks,
        task_owners=owners,
        children=children,
        help_wanted=parse_help_wanted(doc, find_section(secs, "help wanted")),
        funding=parse_funding(doc, find_section(secs, "funding")),
        metadata=tuple(rows),
    )
    return goal, problems


def _value(entry: MetadataRow | None) -> str | None:
    return entry.value if entry is not None else None


def _fragment(doc: Document, entry: MetadataRow | None) -> Fragment | None:
    return value_fragment(doc, entry) if entry is not None else None


def _cell(doc: Document, row: Row, index: int) -> Fragment:
    """Cell `index` of a table row as lifted text, at its column."""
    text = row.cells[index] if len(row.cells) > index else ""
    return Fragment(text, doc.path, row.line, cell_column(doc.source_line(row.line), index))


def _title_column(doc: Document, heading: Block) -> int:
    """The column (from 0) of a heading's title on its line."""
    return max(0, doc.source_line(heading.line).find(heading.title))


def _champions(doc: Document, entries: list[MetadataRow]) -> tuple[Champion, ...]:
    result = []
    for e in entries:
        for h in handles(e.value, e.location, doc)[:1]:
            result.append(Champion(e.team, h))
    return tuple(result)


def team_name(cell: str) -> str:
    cell = cell.strip()
    m = _TEAM_CELL.match(cell)
    return (m.group(1) if m else cell).strip().casefold()


def parse_new_asks(doc: Document, secs: list[Section], sec: Section) -> tuple[tuple[TeamAsk, ...], list[Diagnostic]]:
    problems: list[Diagnostic] = []
    asks: list[TeamAsk] = []
    subgoal: str | None = None
    heading_at = {s.heading: s for s in secs}
    for index in range(sec.body_start, sec.body_end):
        block = doc.blocks[index]
        if block.is_heading:
            subgoal = block.title if index in heading_at else subgoal
            continue
        table = block.table
        if table is None:
            continue
        header = [norm_key(c) for c in table.header]
        if header[:2] != ["team", "support level"]:
            if header[:1] == ["team"] or "support level" in header:
                problems.append(
                    doc.diagnostic(
                        table.line,
                        Severity.ERROR,
                        "bad-ask-header",
                        "team-asks table header must be `| Team | Support level | Notes |`",
                    )
                )
            continue
        for row in table.rows:
            team_cell, level_cell = row.cells[0], row.cells[1]
            notes = row.cells[2] if len(row.cells) > 2 else ""
            if not team_cell.strip() or team_cell.strip() in ("...", "…"):
                continue
            written = _TEAM_CELL.match(team_cell.strip())
            name = (written.group(1) if written else team_cell).strip()
            loc = Location(doc.path, row.line, doc.column_of(row.line, name))
            level_key = norm_key(level_cell)
            if not level_key:
                if notes.strip():
                    problems.append(
                        doc.diagnostic(
                            row.line,
                            Severity.WARNING,
                            "blank-support-level",
                            f"ask of team '{team_cell}' has notes but no support level; the row is ignored",
                            hint="write Small, Medium or Large",
                        )
                    )
                continue
            level = LEVELS.get(level_key)
            if level is None:
                problems.append(
                    doc.diagnostic(
                        row.line,
                        Severity.ERROR,
                        "unknown-support-level",
                        f"unknown support level '{level_cell}'",
                        hint=retired_level_hint(level_cell) or "valid levels: Small, Medium, Large",
                    )
                )
                continue
            asks.append(
                TeamAsk(
                    team_name(team_cell),
                    _cell(doc, row, 2),
                    loc,
                    level=level,
                    subgoal=subgoal if subgoal != doc.blocks[sec.heading].title else None,
                )
            )
    return tuple(asks), problems


def work_item_owners(doc: Document, excluded: list[Section]) -> tuple[Handle, ...]:
    ranges = [(s.heading, s.body_end) for s in excluded]
    owners = []
    for index, block in enumerate(doc.blocks):
        if block.table is None or any(a <= index < b for a, b in ranges):
            continue
        header = [norm_key(c) for c in block.table.header]
        if len(header) != 3 or header[0] != "task" or header[2] != "notes":
            continue
        for row in block.table.rows:
            for login in handles_in(row.cells[1]):
                owners.append(Handle(login, Location(doc.path, row.line, 1)))
    return tuple(owners)


def parse_children(doc: Document, secs: list[Section]) -> tuple[tuple[Child, ...], list[Diagnostic]]:
    parent = find_section(secs, "work items over the next year")
    if parent is None:
        return (), []
    inner = [s for s in secs if parent.body_start <= s.heading < parent.body_end]
    if not inner:
        return (), []
    level = min(s.level for s in inner)
    problems: list[Diagnostic] = []
    children = []
    for s in inner:
        if s.level != level:
            continue
        block = doc.blocks[s.heading]
        meta = first_table(doc, s.body_start, s.own_end)
        themes: list[str] = []
        timespan = None
        ww: Fragment | None = None
        rows: list[MetadataRow] = []
        if is_metadata(meta):
            assert meta is not None
            entries, rows, found = read_metadata(doc, meta, CHILD_KEYS)
            problems += found
            for e in entries:
                if e.key in ("roadmap", "flagship") and e.value:
                    themes.append(link_text(e.value))
                elif e.key == "timespan" and e.value:
                    timespan = e.value
                elif e.key == "what and why" and e.value:
                    ww = value_fragment(doc, e)
        if ww is None:
            sentence = first_sentence(doc, s.own_blocks(doc))
            if sentence:
                ww = Fragment(sentence, doc.path, block.line)
        location = Location(doc.path, block.line, 1)
        children.append(Child(block.title, mdbook_id(block.title), location, tuple(themes), timespan, ww, tuple(rows)))
    return tuple(children), problems


def _section_table(doc: Document, sec: Section | None, first_header: str) -> list[Row]:
    if sec is None:
        return []
    for block in sec.blocks(doc):
        if block.table is not None and norm_key(block.table.header[0]) == first_header:
            return [r for r in block.table.rows if any(c.strip() for c in r.cells)]
    return []


def parse_help_wanted(doc: Document, sec: Section | None) -> tuple[HelpWantedItem, ...]:
    return tuple(
        HelpWantedItem(
            _cell(doc, r, 0),
            r.cells[1] if len(r.cells) > 1 else "",
            r.cells[2] if len(r.cells) > 2 else "",
            Location(doc.path, r.line, 1),
        )
        for r in _section_table(doc, sec, "task")
    )


def parse_funding(doc: Document, sec: Section | None) -> tuple[FundingItem, ...]:
    items = []
    for r in _section_table(doc, sec, "purpose"):
        cells = (*r.cells, "", "", "")
        items.append(
            FundingItem(
                _cell(doc, r, 0),
                cells[1].strip(),
                cells[2].strip(),
                _cell(doc, r, 3),
                Location(doc.path, r.line, 1),
            )
        )
    return tuple(items)
