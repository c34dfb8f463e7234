"""The pull-request body for rust-lang/rfcs: summary, goal table, one line per team, where the full text lives.

GitHub refuses a PR body of 65,536 characters or more, so the body is checked against that limit: when the full
shape is too long the goal table drops its team column, and if even that does not fit, `PrBodyTooLong` stops the
build instead of letting the PR be cut off.

`slate watch` passes a memo of the body's pieces: each goal's row of the table and each team's summary line are kept
between rebuilds (render/pieces.py), so an edit of one goal writes again that goal's row and the lines of the teams
it asks; the template and `settle` run every time.
"""

from __future__ import annotations

import re
from functools import partial

import jinja2

from rust_goals_slate.errors import SlateError
from rust_goals_slate.model import Fragment, Goal, Level, Profile, Slate, TeamAsk
from rust_goals_slate.model.directives import BLOCK_DIRECTIVES
from rust_goals_slate.parse.markdown import sections
from rust_goals_slate.records import record
from rust_goals_slate.render.expand import Expander
from rust_goals_slate.render.pieces import kept
from rust_goals_slate.render.standalone import Standalone, asks_by_team, summary_line, write_standalone
from rust_goals_slate.validate.memo import RuleMemo

LIMIT = 65_536  # GitHub's limit on an issue or pull-request body, in characters


class PrBodyTooLong(SlateError):
    """The PR body does not fit GitHub's limit even in its compact shape."""


@record
class PrBody:
    """The pull request's body: the summary and goal table, within GitHub's length limit."""

    text: str
    compact: bool  # the goal table lost its team column to fit the limit

    def __len__(self) -> int:
        return len(self.text)


def render_pr_body(slate: Slate, env: jinja2.Environment, pieces: RuleMemo | None = None) -> PrBody:
    """The body, in its full shape if it fits, else compact; `slate watch` passes its memo of the body's pieces."""
    if pieces is not None:
        pieces.start()
    for compact in (False, True):
        text = _render(slate, env, compact, pieces)
        if len(text) < LIMIT:
            return PrBody(text, compact)
    raise PrBodyTooLong(
        f"the pull-request body is {len(text):,} characters even without the team column; GitHub's limit is "
        f"{LIMIT:,}: shorten the README's Summary section"
    )


def _render(slate: Slate, env: jinja2.Environment, compact: bool, pieces: RuleMemo | None) -> str:
    return write_standalone(slate, env, lambda doc: _body(slate, compact, doc), pieces)


def _body(slate: Slate, compact: bool, doc: Standalone) -> str:
    x = doc.x
    goals = slate.slate_goals
    new_format = x.profile is Profile.C
    # a row reads its goal and the slate-wide values of the context (people's names, badges, site, team data)
    rule = "pr body row, compact" if compact else "pr body row"
    rows = [
        kept(x.refs, x.pieces, rule, g.path, (g, *x.context), partial(_row, x, g, new_format, compact)) for g in goals
    ]
    header = ["Goal", slate.contact_words.column] + (["Size"] if new_format else []) + ([] if compact else ["Teams"])
    teams = [
        {"team": x.team(key, bold=True), "summary": _summary_line(x.pieces, key, asks)}
        for key, asks in asks_by_team(slate).items()
    ]
    sizes = [(level.label, sum(1 for g in goals if g.size is level)) for level in sorted(Level, reverse=True)]
    return doc.render(
        "pr_body.md.j2",
        summary=_summary(slate, doc),
        period=slate.period,
        count=len(goals),
        sizes=[(name, n) for name, n in sizes if n] if new_format else [],
        roadmap_goals=len(slate.flagship_goals),
        grouping="roadmap" if new_format else "flagship",
        not_accepted=len(slate.not_accepted),
        rfc_file=_rfc_file(slate),
        site=x.refs.site_page(slate.src_dir + "/"),
        header=header,
        rows=rows,
        compact=compact,
        teams=teams,
    )


def _row(x: Expander, g: Goal, new_format: bool, compact: bool) -> list[str]:
    """A goal's row of the table. Its points of contact are people fields themselves, so whether a handle that the
    team data lacks is named by a field (References.person) does not depend on the other goals."""
    row = [x.link(g), x.points_of_contact(g)]
    if new_format:
        row.append(g.size.label if g.size is not None else "")
    if not compact:
        if new_format:
            asked = [f"{x.team(key)} ({level.label})" for key, level in x.team_levels(g)]
        else:
            asked = [x.team(key) for key in g.teams_with_asks]
        row.append(", ".join(asked))
    return row


def _summary_line(memo: RuleMemo | None, key: str, asks: list[tuple[Goal, TeamAsk]]) -> str:
    """What a team is asked for: it reads only the asks, so it is kept while the goals that ask the team are the
    same objects (a goal's asks are part of it)."""
    if memo is None:
        return summary_line(asks)
    return memo.get("pr body team", key, tuple(g for g, _ in asks), lambda: summary_line(asks))


def _summary(slate: Slate, doc: Standalone) -> str:
    """The own text of the README's Summary section (rewritten like the RFC's), or '' without one (the built-in
    skeleton's Summary only counts the goals, which the PR body's table shows)."""
    if slate.readme is None or slate.readme.builtin:
        return ""
    readme = slate.readme.document
    summary = next((s for s in sections(readme) if " ".join(s.title.split()).casefold() == "summary"), None)
    if summary is None:
        return ""
    parts = []
    for index, block in enumerate(summary.own_blocks(readme), summary.body_start):
        raw = readme.text[block.start : block.end].strip("\n")
        if block.kind == "blank" or (block.kind == "html" and raw.startswith("<!--") and raw.endswith("-->")):
            continue
        found = slate.readme.standing(readme.path, index) if block.kind == "paragraph" else None
        if found is not None and found.name in BLOCK_DIRECTIVES:
            continue  # a generated table has no place in the PR body; the goal table below stands for it
        if block.kind == "code":
            parts.append(raw)
            continue
        parts.append(doc.fragment(Fragment(raw, readme.path, block.line)))
    return "\n\n".join(p for p in parts if p.strip())


def _rfc_file(slate: Slate) -> str:
    """`text/0000-project_goals_2026.md`: the file the RFC text goes to in rust-lang/rfcs."""
    options = slate.config.options
    feature = options.feature_name
    if not feature and slate.readme:
        feature = slate.readme.header_value("feature name").strip("` ")
    if not feature or not re.fullmatch(r"[A-Za-z0-9_-]+", feature):  # absent, `N/A` or a placeholder
        feature = f"project_goals_{slate.period}"
    return f"text/{options.rfc_number or '0000'}-{feature}.md"
