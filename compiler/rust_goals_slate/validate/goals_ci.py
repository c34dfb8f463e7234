"""Rules the goals repository's own CI enforces, which slate used to let pass: errors, because no published period
breaks them (docs/checks.md, "Rules of the goals repository's CI", has the measurements).

- `Contact` (formerly `Point of contact`) names exactly one person (2024h2's `Owner(s)` may name several: its RFC
  was published so);
- a section holds one team-asks table: a second one would be merged into the first without notice;
- a team-asks row has no more cells than the header;
- the Funding and Help wanted tables have the exact headers the goals repository reads.

Unknown roadmap names are `validate.names`' `unknown-roadmap`, an error for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Block, Document, Goal, Slate, Table
from rust_goals_slate.model.repository_format import CONTACT, METADATA_KEYS
from rust_goals_slate.parse.inline import handles_in
from rust_goals_slate.parse.markdown import Section, sections
from rust_goals_slate.parse.metadata import norm_key
from rust_goals_slate.validate.memo import RuleMemo

FUNDING_HEADER = ("Purpose", "Cost", "Funded", "Sponsor(s)")
CONTACT_SPELLINGS = next(k.spellings for k in METADATA_KEYS if k.name == CONTACT)
HELP_WANTED_HEADER = ("Task", "Experience level", "Time investment")
_ASK_SECTIONS = ("team asks", "ownership and team asks")


def is_asks_table(table: Table) -> bool:
    """A team-asks table: `Team | Support level | …` (2026) or `Task|Subgoal | Owner(s) or team(s) | …` (before)."""
    header = [norm_key(c) for c in table.header]
    return header[:2] == ["team", "support level"] or (
        header[:1] in (["task"], ["subgoal"]) and header[1:2] == ["owner(s) or team(s)"]
    )


def goals_ci_rules(
    slate: Slate, goals: Sequence[tuple[Diagnostic, ...]], memo: RuleMemo | None = None
) -> list[Diagnostic]:
    """The period's rules, then each goal's (`goals`: `goal_ci_rules` of each goal of the slate, in order)."""
    if memo is None:
        out = list(_one_spelling(slate))
    else:
        # what the rule reads: the metadata rows of every goal and roadmap (the word for the contact is worked out
        # from them, so it is no input of its own)
        inputs = (tuple(g.metadata for g in slate.goals), tuple(r.metadata for r in slate.roadmaps))
        out = list(memo.get("contact-spelling", "", inputs, lambda: tuple(_one_spelling(slate))))
    for found in goals:
        out.extend(found)
    return out


def goal_ci_rules(slate: Slate, goal: Goal) -> tuple[Diagnostic, ...]:
    """The rules of one goal and its file; what they read of the slate: the word for the contact."""
    doc = slate.documents.get(goal.path)
    return () if doc is None else (*_one_point_of_contact(slate, goal), *_goal_file_rules(doc))


def _goal_file_rules(doc: Document) -> Iterator[Diagnostic]:
    secs = sections(doc)
    for sec in secs:
        title = sec.key
        if title in _ASK_SECTIONS:
            yield from _ask_tables(doc, secs, sec)
        elif title == "funding":
            yield from _exact_header(doc, sec, FUNDING_HEADER, "funding")
        elif title == "help wanted":
            yield from _exact_header(doc, sec, HELP_WANTED_HEADER, "help-wanted")


def _one_spelling(slate: Slate) -> Iterator[Diagnostic]:
    """The contact key spelt one way in the period: after goals#766 renamed it, the goals repository's CI failed on the
    one file the rename missed (fixed by #767). Both spellings read; the rows that differ from the period's word are
    reported."""
    rows = [r for goal in slate.goals for r in goal.metadata if r.key == CONTACT]
    rows += [r for roadmap in slate.roadmaps for r in roadmap.metadata if r.key == CONTACT]
    word = slate.contact_words.column
    other = [r for r in rows if r.written.casefold() != word.casefold()]
    if not other or len(other) == len(rows):
        return
    newest = CONTACT_SPELLINGS[-1]
    for row in other:
        yield Diagnostic(
            row.location,
            Severity.WARNING,
            "key-spelling",
            f"the contact key is spelt '{row.written}' here and '{word}' in {len(rows) - len(other)} other row(s) "
            "of the period",
            hint=f"spell it one way throughout the period; the goals repository writes '{newest.text}' since "
            f"{newest.since} ({newest.source})",
        )


def _one_point_of_contact(slate: Slate, goal: Goal) -> Iterator[Diagnostic]:
    for e in goal.metadata:
        if e.key != CONTACT:
            continue
        handles = handles_in(e.value)
        if len(handles) > 1:
            yield Diagnostic(
                e.location,
                Severity.ERROR,
                "several-points-of-contact",
                f"{len(handles)} {slate.contact_words.plural}; a goal has exactly one",
                hint="keep one `@handle` here and list the others as task owners in the work items table",
            )


def _ask_tables(doc: Document, secs: list[Section], sec: Section) -> Iterator[Diagnostic]:
    """Each section and subsection under the asks heading: one asks table, and no row wider than its header."""
    inner = [s for s in secs if sec.heading <= s.heading < sec.body_end]
    for part in inner:
        tables: list[Block] = [
            b for b in doc.blocks[part.body_start : part.own_end] if b.table is not None and is_asks_table(b.table)
        ]
        for second in tables[1:]:
            yield doc.diagnostic(
                second.line,
                Severity.ERROR,
                "second-asks-table",
                f"a second team-asks table under '{part.title}' (the first is at line {tables[0].line}); "
                "the goals repository would merge the two without notice",
                hint="move its rows into the first table, or put them under a `###` subgoal heading of their own",
            )
        for block in tables:
            assert block.table is not None
            for row in block.table.rows:
                if row.extra_cells:
                    yield doc.diagnostic(
                        row.line,
                        Severity.ERROR,
                        "extra-cells-ask",
                        f"team-asks row has {row.extra_cells} cell(s) more than its header",
                        hint=f"the header has {len(block.table.header)} columns; write `\\|` for a literal pipe",
                    )


def _exact_header(doc: Document, sec: Section, expected: tuple[str, ...], what: str) -> Iterator[Diagnostic]:
    """The first table of the section is the one read; its header must be spelt as the goals repository has it."""
    first = next((b for b in doc.blocks[sec.body_start : sec.body_end] if b.table is not None), None)
    if first is None or first.table is None:
        return
    header = tuple(c.strip() for c in first.table.header)
    if header != expected:
        yield Diagnostic(
            Location(doc.path, first.line, 1),
            Severity.ERROR,
            f"{what}-table-header",
            f"the {sec.title} table's header is `| {' | '.join(header)} |`",
            f"write `| {' | '.join(expected)} |`",
        )
