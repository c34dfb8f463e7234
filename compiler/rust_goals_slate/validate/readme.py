"""Rules on the README model (`Slate.readme`): its header, its chapter lists and its directives.

None of them needs the assembled RFC, so they are checked here and the render only reads the model: a header value
that is a placeholder or missing, a chapter that does not exist or has text before its title, a block directive
that is unknown, lacks its argument, cannot expand in the RFC or selects nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Directive, Goal, Readme, Slate, theme_key
from rust_goals_slate.model.directives import (
    BLOCK_DIRECTIVES,
    COUNT_DIRECTIVES,
    INLINE_DIRECTIVES,
    WEBSITE_ONLY,
    Argument,
    Kind,
)
from rust_goals_slate.model.repository_format import FUNDING_GROUPINGS
from rust_goals_slate.parse.readme import linkifier_rfc
from rust_goals_slate.validate.memo import RuleMemo

HEADER_NAMES = {
    "feature name": "Feature Name",
    "start date": "Start Date",
    "rfc pr": "RFC PR",
    "rust issue": "Rust Issue",
}
PLACEHOLDERS = ("0000", "fill me in", "yyyy-mm-dd", "nnnn")
ROADMAP_ROWS_CELL = re.compile(r"^\s*\|\s*\(\(\(ROADMAP ROWS:\s*(.*?)\)\)\)\s*\|")  # the first cell of a row


def readme_rules(
    slate: Slate, selected: Sequence[tuple[object, ...]], memo: RuleMemo | None = None
) -> list[Diagnostic]:
    """The README's header, chapters and directives; the built-in skeleton's too (a period without README.md),
    whose header is the options' (parse/skeleton.py). `selected`: `selected_by` of each goal of the slate, in
    order; with `memo` (`slate watch`) the rules are computed again only when it or what else they read changed."""
    if memo is None:
        return list(_readme_rules(slate))
    # what they read besides the goals: the README model and its files, the options (the header: the command
    # line's, so no edit changes them while a watch runs; kept as a guard), the roadmaps and the areas (the
    # arguments their directives name)
    config = memo.steady("config", slate.config)
    inputs = (readme_inputs(slate, memo), config, slate.roadmaps, slate.areas, tuple(selected))
    return list(memo.get("readme", "", inputs, lambda: tuple(_readme_rules(slate))))


def selected_by(goal: Goal) -> tuple[object, ...]:
    """What `Slate`'s goal selections (`slate_goals`, `with_theme`, `with_needs`, `highlighted`, `with_status`)
    read of a goal: a goal edit that leaves these as they were changes no directive's selection. (`in_slate`
    follows from the status text, which the status is read from; kept as a guard.)"""
    needs = (goal.needs, goal.needs_contributor, goal.needs_funding)
    return (goal.in_slate, goal.status_text, goal.highlights, goal.all_themes, *needs)


def readme_inputs(slate: Slate, memo: RuleMemo) -> tuple[object, ...]:
    """The README model (parsed anew on every rebuild: made the kept object when equal) and the README's and its
    chapters' files, whose lines the directive rules read (`in_roadmap_row`)."""
    readme = memo.steady("readme", slate.readme)
    return (readme, *(slate.documents.get(path) for path in slate.output_documents))


def _readme_rules(slate: Slate) -> Iterator[Diagnostic]:
    yield from _header_rules(slate)
    if slate.readme is None:
        return
    yield from _chapter_rules(slate, slate.readme)
    yield from _block_directive_rules(slate, slate.readme)
    yield from _directive_rules(slate)


# --------------------------------------------------------------------------------------------------------------
# the rfcs-template header


def _header_rules(slate: Slate) -> Iterator[Diagnostic]:
    """A header value the RFC keeps that is a placeholder or missing (an option given on the command line wins)."""
    opts = slate.config.options
    readme = slate.readme if slate.readme is not None and not slate.readme.builtin else None  # its header: none
    written_rfc = linkifier_rfc(readme.header_value("rfc pr")) if readme is not None else None
    given = {"feature name": opts.feature_name, "start date": opts.start_date, "rfc pr": opts.rfc_number or written_rfc}
    given["rust issue"] = opts.rust_issue
    has_default = {"feature name", "rust issue"}  # `N/A` when the README leaves them empty
    for key, name in HEADER_NAMES.items():
        if given[key]:
            continue
        found = readme.header.get(key) if readme is not None else None
        value = found.value if found is not None else ""
        if found is not None and value and any(p in value.casefold() for p in PLACEHOLDERS):
            yield Diagnostic(
                found.location,
                Severity.WARNING,
                "header-placeholder",
                f"header '{name}' holds a placeholder: {value}",
                hint=_option_hint(key),
            )
        if not value and key not in has_default:
            where = Location(readme.path, found.location.line) if readme and found else None
            yield Diagnostic(
                where or Location(readme.path if readme else slate.src_dir),
                Severity.WARNING,
                "header-missing",
                f"header '{name}' has no value",
                hint=_option_hint(key),
            )


def _option_hint(key: str) -> str:
    return {"start date": "pass --start-date YYYY-MM-DD", "rfc pr": "pass --rfc-number N"}.get(key, "")


# --------------------------------------------------------------------------------------------------------------
# chapters


def _chapter_rules(slate: Slate, readme: Readme) -> Iterator[Diagnostic]:
    for links in readme.chapter_lists.values():
        for link in links:
            chapter = slate.documents.get(link.target)
            if chapter is None:
                yield Diagnostic(
                    link.location,
                    Severity.ERROR,
                    "missing-chapter",
                    f"chapter '{link.target}' linked from the README does not exist",
                )
                continue
            first = next((i for i, b in enumerate(chapter.blocks) if b.is_heading), None)
            before = [b for b in chapter.blocks[:first] if b.kind != "blank"] if first is not None else []
            if before:
                yield Diagnostic(
                    Location(chapter.path, before[0].line),
                    Severity.WARNING,
                    "text-before-title",
                    "text before the chapter's title is kept in the RFC",
                )


# --------------------------------------------------------------------------------------------------------------
# directives


def _assembled(readme: Readme, d: Directive) -> bool:
    """Whether the RFC holds the text the directive is written in: everything but the README's header part."""
    if d.location.path != readme.path or readme.body_start >= len(readme.document.blocks):
        return d.location.path != readme.path
    return d.location.line >= readme.document.blocks[readme.body_start].line


def _block_directive_rules(slate: Slate, readme: Readme) -> Iterator[Diagnostic]:
    """Each directive of the text the RFC holds, as the render will read it: alone in its paragraph (or a comment
    block) it is expanded into blocks; inside a sentence or a cell, into text."""
    for d in assembled_directives(slate):
        if d.alone and (d.is_block if d.comment else d.name not in INLINE_DIRECTIVES):
            yield from _alone(slate, d)
        elif not d.comment or not d.alone:
            yield from _in_sentence(slate, d)


def _alone(slate: Slate, d: Directive) -> Iterator[Diagnostic]:
    """A directive standing alone that the RFC cannot expand: unknown, without its argument, or one that only the
    website expands with something."""
    spec = d.spec
    if d.status is not None:
        return  # the 2024h2 status list; one that selects nothing is an empty-directive
    if spec is None or spec.kind not in (Kind.BLOCK, Kind.WEBSITE):
        yield Diagnostic(d.location, Severity.ERROR, "unknown-directive", f"unknown directive '((({d.name})))'")
    elif spec.argument is Argument.REQUIRED and not d.arg and d.name != "ROADMAP ROWS":
        yield Diagnostic(
            d.location,
            Severity.ERROR,
            "directive-needs-argument",
            f"'{d.name}' needs an argument: ((({d.name}: X)))",
        )
    elif d.name == "ROADMAP ROWS":
        yield Diagnostic(
            d.location,
            Severity.ERROR,
            "roadmap-rows-outside-table",
            "ROADMAP ROWS must be the first cell of a row of a | Goal | Timespan | What and why | table",
        )
    elif d.name == "REPORTS":
        yield Diagnostic(
            d.location,
            Severity.WARNING,
            "reports-need-network",
            "REPORTS needs network access to the tracking issues; it expands to nothing in the RFC",
        )
    elif d.name in ("HIGHLIGHT TABLE", "HIGHLIGHT GOALS") and d.arg:
        yield from _highlight(slate, d, d.arg)
    elif (
        d.name == "ROADMAPS" and d.arg is not None and theme_key(d.arg) not in {theme_key(a.name) for a in slate.areas}
    ):
        yield Diagnostic(
            d.location,
            Severity.WARNING,
            "unknown-area",
            f"ROADMAPS: '{d.arg}' names no application area",
            hint="areas: " + ", ".join(a.name for a in slate.areas),
        )


def in_roadmap_row(slate: Slate, d: Directive) -> bool:
    """`(((ROADMAP ROWS: X)))` as the first cell of a table row, where the render expands it into rows."""
    if d.name != "ROADMAP ROWS" or d.comment:
        return False
    return ROADMAP_ROWS_CELL.match(slate.documents[d.location.path].source_line(d.location.line)) is not None


def assembled_directives(slate: Slate) -> list[Directive]:
    """The directives of the text the RFC holds: the README's after its header, and its chapters'."""
    readme = slate.readme
    return [d for d in readme.directives if _assembled(readme, d)] if readme is not None else []


def _in_sentence(slate: Slate, d: Directive) -> Iterator[Diagnostic]:
    """A directive inside a sentence or a table cell: a count, HIGHLIGHT CREDITS, a table row's ROADMAP ROWS (its
    first cell); a block directive there is an error, as is an unknown name."""
    blocks = BLOCK_DIRECTIVES - WEBSITE_ONLY if d.comment else BLOCK_DIRECTIVES
    if d.comment and not (d.name in blocks or d.status is not None):
        return  # `<!-- #GOALS -->` in a sentence is a count; other comments are dropped
    if in_roadmap_row(slate, d):
        return  # a table row's ROADMAP ROWS: one naming no roadmap is an unknown-roadmap (validate/names.py)
    if d.name in COUNT_DIRECTIVES:
        return
    elif d.name == "HIGHLIGHT CREDITS" and d.arg:
        yield from _highlight(slate, d, d.arg)
    elif d.name in blocks or d.status is not None:
        written = f"<!-- {d.name} -->" if d.comment else d.name
        yield Diagnostic(
            d.location,
            Severity.ERROR,
            "block-directive-inline",
            f"directive '{written}' produces blocks and cannot stand inside a sentence",
            hint="put it in a paragraph of its own",
        )
    else:
        yield Diagnostic(d.location, Severity.ERROR, "unknown-directive", f"unknown directive '((({d.name})))'")


def _highlight(slate: Slate, d: Directive, name: str) -> Iterator[Diagnostic]:
    if not slate.highlighted(name):
        yield Diagnostic(
            d.location,
            Severity.WARNING,
            "empty-highlight",
            f"no goal of the slate has the highlight '{name}'",
            hint="a goal names it with `| Highlight | " + name + " |`",
        )


def _directive_rules(slate: Slate) -> Iterator[Diagnostic]:
    """Directives that select nothing."""
    goals = slate.slate_goals
    roadmaps = {theme_key(r.short_title) for r in slate.roadmaps}
    for use in slate.readme.directives if slate.readme is not None else ():
        if use.comment and not use.alone:
            continue  # a comment in a sentence expands to nothing: block-directive-inline
        legacy = re.fullmatch(r"GOALS `([^`]+)`", use.name)
        if legacy:
            status = legacy.group(1).strip().casefold()
            if not slate.with_status(status):
                yield Diagnostic(
                    use.location,
                    Severity.WARNING,
                    "empty-directive",
                    f"'GOALS `{legacy.group(1)}`' matches no goal",
                    hint="statuses written in this period: "
                    + ", ".join(sorted({g.status_text for g in slate.goals if g.status_text})),
                )
            continue
        if use.arg is None:
            continue
        if use.canonical == "FLAGSHIP GOALS" and use.alone:
            if use.arg and not slate.with_theme(goals, use.arg):
                yield Diagnostic(
                    use.location, Severity.WARNING, "empty-directive", f"'{use.name}: {use.arg}' matches no goal"
                )
        elif use.name == "GOALS WITH NEEDS":
            if not slate.with_needs(use.arg):
                yield Diagnostic(
                    use.location,
                    Severity.WARNING,
                    "empty-directive",
                    f"'{use.name}: {use.arg}' matches no goal",
                    hint=f"a goal says `| Needs | {use.arg} |`",
                )
        elif use.name == "ROADMAP ROWS" and theme_key(use.arg) in roadmaps:
            if not slate.with_theme(goals, use.arg):
                yield Diagnostic(
                    use.location,
                    Severity.WARNING,
                    "empty-directive",
                    f"'{use.name}: {use.arg}' matches no goal",
                    hint=f"a goal joins it with `| Roadmap | {use.arg} |`",
                )
        elif use.name == "FUNDING TABLE" and not slate.with_theme([g for g in goals if g.needs_funding], use.arg):
            grouped = f"{use.name} {' '.join(use.arg.split()).upper()}"
            yield Diagnostic(
                use.location,
                Severity.WARNING,
                "empty-directive",
                f"'{use.name}: {use.arg}' matches no goal",
                # the goals tool reads the colon form as a roadmap's name, as slate does: its table is empty
                hint=f"to group the table, write `((({grouped})))`, without a colon"
                if grouped in FUNDING_GROUPINGS
                else None,
            )
