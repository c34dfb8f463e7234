"""`slate team NAME [SRC]`: a team's review document, as Markdown (default) or JSON.

The Markdown has what the goals repository's `cargo rpg review` gives a team, plus slate's totals: the roadmaps the
team's goals belong to (with each roadmap's summary), the goal table in the RFC's team-table order, the goals by
champion ("(no champion)" last), and per goal its point of contact, the team's champion (or TBD where a Medium or
Large ask has none), level, notes, its summary as a quote and room for the team's discussion. People, teams and links
render as in the RFC, and the document carries its own definitions. The JSON holds the same goals in the same
order, with the source text of notes and summaries.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

from rust_goals_slate.model import Goal, Handle, Slate, TeamAsk
from rust_goals_slate.render.standalone import Standalone, ask_totals, standalone, write_standalone
from rust_goals_slate.review.team_review import GoalEntry, TeamReview, team_review

NO_CHAMPION = "(no champion)"


def team_report(slate: Slate, name: str, env: jinja2.Environment) -> str:
    review = team_review(slate, name)
    return write_standalone(review.slate, env, lambda doc: _report(review, doc))


def _report(review: TeamReview, doc: Standalone) -> str:
    x = doc.x
    key = review.key
    asked = review.asked
    new_format = review.new_format
    rows: list[list[str]] = []
    for e in asked:
        who = x.person(e.champion.handle) if e.champion else ""
        main = [a for a in e.asks if a.subgoal is None]
        subs = [a for a in e.asks if a.subgoal is not None]
        for n, a in enumerate(main or [None]):
            rows.append(_row(doc, x.link(e.goal) if n == 0 else "", a, who if n == 0 else "", new_format))
        for a in subs:
            rows.append(_row(doc, "↳ " + x.cell(a.subgoal or ""), a, who, new_format))
    team = review.slate.teams.team(key)
    return doc.render(
        "team_report.md.j2",
        key=key,
        team=x.team(key),
        name=team.name if team else "",
        known=team is not None,
        archived=team is not None and team.archived,
        successor=team.successor if team is not None else None,
        period=review.slate.period,
        contact=review.slate.contact_words,
        count=len(asked),
        champion_only=[x.link(e.goal) for e in review.goals if e.champion_only],
        totals=ask_totals([(e.goal, a) for e in asked for a in e.asks]),
        new_format=new_format,
        rows=rows,
        roadmaps=[
            {
                "title": f"[{x.cell(r.name)}]({x.refs.site_page(r.roadmap.path)})" if r.roadmap else x.cell(r.name),
                "summary": _quote(doc.fragment(r.summary)) if r.summary else "",
                "goals": [x.link(e.goal) + (f" ({e.level.label})" if e.level else "") for e in r.goals],
            }
            for r in review.roadmaps
        ],
        by_champion=_by_champion(doc, review),
        missing=[x.link(e.goal) for e in asked if e.needs_champion],
        details=[_details(doc, e) for e in review.goals],
    )


def _row(doc: Standalone, goal: str, ask: TeamAsk | None, champion: str, new_format: bool) -> list[str]:
    if ask is None:
        what = ""
    elif ask.level is not None:
        what = ask.level.label
    else:
        what = doc.x.cell(ask.kind or "")
    notes = doc.cell(ask.notes) if ask is not None else ""
    return [goal, what, champion, notes] if new_format else [goal, what, notes]


def _by_champion(doc: Standalone, review: TeamReview) -> list[list[str]]:
    """`| Champion | Goal | Level |`, one group per champion by display name, goals without one last."""
    x = doc.x
    groups: dict[str, tuple[Handle | None, list[GoalEntry]]] = {}
    for e in review.asked:
        k = x.canonical(e.champion.handle) if e.champion else ""
        groups.setdefault(k, (e.champion.handle if e.champion else None, []))[1].append(e)
    named = sorted((v for k, v in groups.items() if k), key=lambda item: x.display_key(item[0]))  # type: ignore[arg-type]
    ordered = [*named, *([groups[""]] if "" in groups else [])]
    rows = []
    for handle, entries in ordered:
        for n, e in enumerate(entries):
            who = (x.person(handle) if handle else NO_CHAMPION) if n == 0 else ""
            rows.append([who, x.link(e.goal), e.level.label if e.level else _kinds(doc, e)])
    return rows


def _kinds(doc: Standalone, e: GoalEntry) -> str:
    return doc.x.cell(", ".join(dict.fromkeys(" ".join((a.kind or "").split()) for a in e.asks if a.kind)))


def _details(doc: Standalone, e: GoalEntry) -> dict[str, Any]:
    x = doc.x
    g = e.goal
    if e.champion is not None:
        champion = x.person(e.champion.handle)
    else:
        champion = "TBD" if e.needs_champion else ""
    notes = []
    for a in e.asks:
        text = doc.fragment(a.notes).strip()
        if a.subgoal is not None:
            notes.append(f"↳ {a.subgoal}: {text}" if text else f"↳ {a.subgoal}")
        elif text:
            notes.append(text)
    level = e.level.label if e.level else _kinds(doc, e) or ("champion only, no ask" if e.champion_only else "")
    return {
        "heading": x.link(g) + (" " + x.badge("Help Wanted") if g.needs_contributor else ""),
        "poc": x.points_of_contact(g),
        "champion": champion,
        "level_label": "Support level" if e.level or e.champion_only else "Asks",
        "level": level,
        "notes": "; ".join(notes),
        "summary": _quote(doc.fragment(g.summary)),
    }


def _quote(text: str) -> str:
    """Text as a block quote; blank runs (left where definitions were lifted out) become one `>` line."""
    lines: list[str] = []
    for line in text.strip().splitlines():
        if line.strip():
            lines.append(f"> {line}")
        elif lines and lines[-1] != ">":
            lines.append(">")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# JSON


def team_report_json(slate: Slate, name: str, env: jinja2.Environment) -> str:
    """The review as JSON: the same goals in the same order, handles as logins, notes and summaries as written."""
    review = team_review(slate, name)
    team = review.slate.teams.team(review.key)
    url = standalone(review.slate, env).refs.site_page

    data = {
        "team": review.key,
        "name": team.name if team else None,
        "period": review.slate.period,
        "totals": dict(ask_totals([(e.goal, a) for e in review.asked for a in e.asks])),
        "roadmaps": [
            {
                "name": r.name,
                "path": r.roadmap.path if r.roadmap else None,
                "url": url(r.roadmap.path) if r.roadmap else None,
                "summary": r.summary.text if r.summary else None,
                "goals": [e.goal.path for e in r.goals],
            }
            for r in review.roadmaps
        ],
        "goals": [_goal_json(e, url(e.goal.path)) for e in review.goals],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _goal_json(e: GoalEntry, url: str) -> dict[str, Any]:
    g: Goal = e.goal
    return {
        "title": g.title,
        "path": g.path,
        "url": url,
        "points_of_contact": [h.login for h in g.points_of_contact],
        "help_wanted": g.needs_contributor,
        "champion": e.champion.handle.login if e.champion else None,
        "champion_needed": e.needs_champion,
        "level": e.level.label if e.level else None,
        "asks": [
            {
                "subgoal": a.subgoal,
                "level": a.level.label if a.level else None,
                "kind": " ".join(a.kind.split()) if a.kind else None,
                "notes": a.notes.text,
            }
            for a in e.asks
        ],
        "summary": g.summary.text,
    }
