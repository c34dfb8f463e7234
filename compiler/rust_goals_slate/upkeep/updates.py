"""The monthly goals-update blog post from the comments on the tracking issues, as the goals tool's
`cargo rpg updates` writes it: roadmap goals by theme, goals looking for help, other goal updates; per goal its
contacts, champions, task owners, the newest `TL;DR:` comment, the `Help wanted:` lines and the comments of the
date window (oldest first).

Differences on purpose: the goals come from the goal files (title, contacts, roadmap themes, champions), so a goal
shows even when its issue has no comment yet, and a comment on an issue no accepted goal names is left out; the
default window does not depend on the clock of the machine only (`today` is a parameter); the post is the template
`updates.md.j2`, which `--templates` overrides.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import field

import jinja2

from rust_goals_slate.errors import UsageError
from rust_goals_slate.model import TRACKING_ISSUE, Goal, Issue, IssueComment, Slate, Status
from rust_goals_slate.records import record
from rust_goals_slate.upkeep.issues_plan import CONTINUING_PREFIX, LOCK_TEXT

TLDR = "TL;DR:"
HELP_WANTED = re.compile(r"^[*-]?\s*(?:(?i:help wanted:)|\*\*(?i:help wanted:)\*\*) (?P<text>.*)")
_CHECKED = re.compile(r"^\s*[-*] \[[xX]\]")
_CHECKBOX = re.compile(r"^\s*[-*] \[ \]")


@record
class Window:
    """Comments from `start` (inclusive) to `end` (exclusive, None: no end), by their UTC date."""

    start: datetime.date
    end: datetime.date | None = None

    def holds(self, comment: IssueComment) -> bool:
        day = datetime.date.fromisoformat(comment.created_at[:10])
        return day >= self.start and (self.end is None or day < self.end)


def default_window(today: datetime.date) -> Window:
    """As the goals tool: from a week before the first of this month, with no end."""
    return Window(today.replace(day=1) - datetime.timedelta(days=7))


@record
class Shown:
    author: str
    date: str  # YYYY-MM-DD
    url: str
    body: str


@record
class Card:
    """One goal of the post."""

    title: str
    number: int
    url: str
    link_text: str
    contacts: str
    champions: tuple[str, ...]
    task_owners: tuple[str, ...]
    tldr: str | None
    help_wanted: tuple[str, ...]
    comments: tuple[Shown, ...]
    closed: bool = False
    progress: tuple[int, int] | None = None  # checked boxes, boxes: from the issue body, when --issues gives it

    @property
    def has_help_wanted(self) -> bool:
        in_tldr = self.tldr is not None and any(HELP_WANTED.match(line) for line in self.tldr.split("\n"))
        return bool(self.help_wanted) or in_tldr


@record
class Post:
    period: str
    repository: str
    site_url: str
    window: Window
    champion_team: str | None
    goal_count: int
    roadmap_goal_count: int
    themes: tuple[tuple[str, tuple[Card, ...]], ...] = ()
    help_wanted: tuple[Card, ...] = ()
    others: tuple[Card, ...] = ()
    untracked: tuple[str, ...] = field(default=())  # accepted goals whose file names no tracking issue
    contact: str = "Point of contact"  # the period's word for the contact key (Slate.contact_words)


def champion_team(slate: Slate, name: str) -> str:
    """`--with-champion-from TEAM`: a team key of the team data."""
    team = slate.teams.team(name.strip().lstrip("[").rstrip("]").removeprefix("T-"))
    if team is None:
        raise UsageError(f"slate updates: --with-champion-from {name}: no team of that name in {slate.teams.source}")
    return team.key


def build_post(
    slate: Slate,
    comments: Mapping[int, Sequence[IssueComment]],
    window: Window,
    team: str | None = None,
    issues: Mapping[int, Issue] | None = None,
) -> Post:
    accepted = [g for g in slate.goals if g.status is Status.ACCEPTED]
    themes: dict[str, list[Card]] = {}
    help_wanted, others, untracked = [], [], []
    for goal in accepted:
        number = _issue_number(goal, slate)
        if number is None:
            untracked.append(goal.path)
            continue
        if team is not None and goal.champion_for(team) is None:
            continue
        card = _card(goal, number, slate, comments.get(number, ()), window, (issues or {}).get(number))
        if goal.is_roadmap_goal:
            for theme in goal.all_themes:
                themes.setdefault(theme, []).append(card)
        elif card.has_help_wanted:
            help_wanted.append(card)
        else:
            others.append(card)
    return Post(
        period=slate.period,
        repository=slate.config.goals_repository,
        site_url=slate.config.site_url,
        contact=slate.contact_words.column,
        window=window,
        champion_team=team,
        goal_count=len(accepted),
        roadmap_goal_count=sum(1 for g in accepted if g.is_roadmap_goal),
        themes=tuple((name, _by_title(cards)) for name, cards in sorted(themes.items(), key=lambda t: t[0].casefold())),
        help_wanted=_by_title(help_wanted),
        others=_by_title(others),
        untracked=tuple(untracked),
    )


def _by_title(cards: Sequence[Card]) -> tuple[Card, ...]:
    return tuple(sorted(cards, key=lambda c: c.title.casefold()))


def _issue_number(goal: Goal, slate: Slate) -> int | None:
    for row in goal.metadata:
        if row.key == "tracking issue" and row.value:
            m = TRACKING_ISSUE.match(row.value)
            if m and slate.config.is_goals_repository(f"{m.group(1)}/{m.group(2)}"):
                return int(m.group(3))
    return None


def _card(
    goal: Goal, number: int, slate: Slate, found: Sequence[IssueComment], window: Window, issue: Issue | None
) -> Card:
    kept = [c for c in found if window.holds(c) and not _automated(c)]
    tldr = None
    for i in range(len(kept) - 1, -1, -1):  # the newest TL;DR comment, taken out of the list
        if kept[i].body.startswith(TLDR):
            tldr = kept.pop(i).body[len(TLDR) :].strip()
            break
    contacts = "Help wanted" if goal.poc_help_wanted else ", ".join(f"@{h.login}" for h in goal.points_of_contact)
    champions = tuple(f"{c.team} (@{c.handle.login})" for c in goal.champions)
    owners: dict[str, str] = {}
    for h in goal.task_owners:
        owners.setdefault(h.login.casefold(), f"@{h.login}")
    url = f"https://github.com/{slate.config.goals_repository}/issues/{number}"
    return Card(
        title=goal.title,
        number=number,
        url=url,
        link_text=f"{slate.config.goals_repository}#{number}",
        contacts=contacts or "(none)",
        champions=champions,
        task_owners=tuple(owners.values()),
        tldr=tldr,
        help_wanted=tuple(_help_wanted(kept)),
        comments=tuple(Shown(c.author, c.created_at[:10], c.url, c.body.replace("<pre>", "\n\n<pre>")) for c in kept),
        closed=issue is not None and issue.state == "CLOSED",
        progress=_progress(issue) if issue is not None else None,
    )


def _automated(comment: IssueComment) -> bool:
    """The comments `slate issues` (and the goals tool) post, and those hidden on GitHub."""
    body = comment.body.strip()
    return comment.minimized or body == LOCK_TEXT or body.startswith(CONTINUING_PREFIX)


def _help_wanted(comments: Sequence[IssueComment]) -> list[str]:
    """A `Help wanted: text` line, and the lines after it up to a blank line, for each such line."""
    found = []
    for comment in comments:
        lines = comment.body.replace("\r\n", "\n").split("\n")
        i = 0
        while i < len(lines):
            m = HELP_WANTED.match(lines[i])
            i += 1
            if m is None or not m.group("text").strip():
                continue
            text = [m.group("text").strip()]
            while i < len(lines) and lines[i].strip():
                text.append(lines[i].strip())
                i += 1
            found.append("\n".join(text))
    return found


def _progress(issue: Issue) -> tuple[int, int] | None:
    done = total = 0
    for line in issue.body.splitlines():
        if _CHECKED.match(line):
            done, total = done + 1, total + 1
        elif _CHECKBOX.match(line):
            total += 1
    return (done, total) if total else None


def render_post(post: Post, env: jinja2.Environment) -> str:
    text = env.get_template("updates.md.j2").render(post=post)
    return text.rstrip("\n") + "\n"
