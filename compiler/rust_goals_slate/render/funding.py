"""FUNDING TABLE: one row per goal that needs funding, its total cost, how far it is funded, who to contact."""

from __future__ import annotations

import re
from typing import Any

from rust_goals_slate.model import Goal
from rust_goals_slate.parse.inline import escape_link_text
from rust_goals_slate.render.expand import Expander

_COST = re.compile(r"^\$\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([KkMm])?$")


def funding_row(x: Expander, g: Goal) -> list[str]:
    dollars = 0.0
    known = tbd = False
    funded_states = []
    for item in g.funding:
        m = _COST.match(item.cost.replace(" ", ""))
        if m:
            value = float(m.group(1).replace(",", ""))
            value *= {"k": 1e3, "m": 1e6}.get((m.group(2) or "").lower(), 1)
            dollars += value
            known = True
        elif item.cost.strip().casefold() != "ask":
            tbd = True
        funded_states.append(_funded(item.funded))
    if known:
        total = f"${dollars:,.0f}" + (" + TBD" if tbd else "")
    else:
        total = "TBD" if tbd or not g.funding else "Ask"
    if funded_states and all(s == "full" for s in funded_states):
        emoji = "✅"
    elif any(s in ("full", "partial") for s in funded_states):
        emoji = "🟡"
    else:
        emoji = "🟥"
    sponsors = sorted(
        {x.refs.fragment(f.sponsors) for f in g.funding if f.sponsors}
        | {
            m.group(1).strip()
            for f in g.funding
            if (m := re.match(r"(?:partial\s+)?by\s+(.+)", f.funded.strip(), re.I))
        }
    )
    return [emoji, x.link(g, "funding"), total, x.cell(x.funding_contact(g)), x.cell(", ".join(sponsors))]


def funding_table(x: Expander, theme: str | None, grouping: str | None = None) -> str:
    """`(((FUNDING TABLE)))`, `(((FUNDING TABLE: Theme)))`, or grouped by roadmap or by funding contact (the goals
    tool's `(((FUNDING TABLE GROUPED)))`, `… GROUPED BY GOAL)))` and `… GROUPED BY POC)))`)."""
    goals = [g for g in x.goals if g.needs_funding]
    groups: list[dict[str, Any]] = []
    if grouping == "roadmap":
        placed: set[str] = set()
        for r in x.slate.roadmaps:
            members = x.slate.with_theme(goals, r.short_title)
            if members:
                placed |= {g.path for g in members}
                title = f"**[{escape_link_text(r.short_title)}]({x.refs.site_page(r.path)})**"
                groups.append({"title": title, "rows": [funding_row(x, g) for g in members]})
        rest = [g for g in goals if g.path not in placed]
        if rest:
            groups.append({"title": "**Other goals**", "rows": [funding_row(x, g) for g in rest]})
    elif grouping == "funding contact":
        by_contact: dict[str, list[Goal]] = {}
        for g in goals:
            contact = x.funding_contact(g)
            by_contact.setdefault(contact, []).append(g)
        for contact in sorted(by_contact, key=str.casefold):
            groups.append({"title": f"**{x.cell(contact)}**", "rows": [funding_row(x, g) for g in by_contact[contact]]})
    else:
        selected = x.slate.with_theme(goals, theme) if theme else goals
        groups.append({"title": None, "rows": [funding_row(x, g) for g in selected]})
    return x.render("funding_table.md.j2", groups=groups)


def _funded(value: str) -> str:
    """Full, partial or no, as the goals repository reads the Funded cell: `Yes` is not one of its values (No)."""
    v = value.strip().casefold()
    if v == "full" or (v.startswith("by ") and len(v) > 3):
        return "full"
    if v.startswith("partial"):
        return "partial"
    return "no"
