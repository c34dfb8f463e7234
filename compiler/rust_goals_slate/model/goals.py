"""Goals, roadmaps and application areas, as the parse stage reads them from the period's files."""

from __future__ import annotations

import enum
from functools import cached_property

from rust_goals_slate.errors import Location
from rust_goals_slate.model.document import Fragment
from rust_goals_slate.records import record


class Status(enum.Enum):
    ACCEPTED = "Accepted"
    PROPOSED = "Proposed"
    NOT_ACCEPTED = "Not accepted"


class Level(enum.IntEnum):
    SMALL = 1
    MEDIUM = 2
    LARGE = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()


class AskFormat(enum.Enum):
    NEW = "Team asks"  # 2026: Team | Support level | Notes
    TASKS = "Ownership and team asks (tasks)"  # 2025h1: Task | Owner(s) or team(s) | Notes
    SUBGOALS = "Ownership and team asks (subgoals)"  # 2024h2: Subgoal | Owner(s) or team(s) | Notes
    NONE = "none"


@record
class MetadataRow:
    """A row of a metadata table whose key slate knows, kept on the goal or roadmap for the validate stage."""

    key: str  # canonical key, or 'champion'
    value: str  # HTML comments removed, trimmed
    location: Location
    team: str = ""  # champion rows
    written: str = ""  # the key as written (comments removed, whitespace collapsed): 'Contact', 'Point of contact'


@record
class Handle:
    """A GitHub `@login` as written in the sources, where it is written."""

    login: str  # as written, without the '@'
    location: Location


@record
class Champion:
    """A `[team] champion` metadata row: the team member who champions the goal for the team."""

    team: str
    handle: Handle


@record
class TeamAsk:
    """What a goal asks of one team: a row of its team-asks table."""

    team: str  # team key as written, lower-cased
    notes: Fragment
    location: Location
    level: Level | None = None  # new format
    kind: str | None = None  # old format: the ask kind (2025h1) or the free ask text (2024h2)
    subgoal: str | None = None  # the subsection (or parent row, 2024h2) the ask sits under
    owners: tuple[Handle, ...] = ()  # 2024h2: owners of the parent row
    help_wanted_owner: bool = False  # 2024h2: the parent row's owner is ![Help wanted][]
    labels: tuple[str, ...] = ()  # old format: the team labels of the row's owners cell as written (`[Lang]`)


@record
class Child:
    """A direct subsection of 'Work items over the next year'."""

    title: str
    site_id: str  # the mdBook heading id on the goal's page
    location: Location
    themes: tuple[str, ...] = ()
    timespan: str | None = None
    what_and_why: Fragment | None = None
    metadata: tuple[MetadataRow, ...] = ()  # its own metadata table, as Goal.metadata


@record
class HelpWantedItem:
    """A row of a goal's "Help wanted" table."""

    task: Fragment
    experience: str
    time: str
    location: Location


@record
class FundingItem:
    """A row of a goal's "Funding" table."""

    purpose: Fragment
    cost: str
    funded: str
    sponsors: Fragment
    location: Location


@record
class Goal:
    """A goal file of the period: its metadata, summary, team asks and subgoals."""

    path: str
    title: str
    location: Location
    status: Status
    status_text: str
    summary: Fragment
    what_and_why: Fragment
    ask_format: AskFormat
    points_of_contact: tuple[Handle, ...] = ()
    poc_help_wanted: bool = False
    legacy_flagship: bool = False
    legacy_needs_contributor: bool = False
    short_title: str | None = None
    tracking_issue: Fragment | None = None
    themes: tuple[str, ...] = ()
    flagship_yes: bool = False
    highlights: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    timespan: str | None = None
    funding_contact: Fragment | None = None
    champions: tuple[Champion, ...] = ()
    asks: tuple[TeamAsk, ...] = ()
    task_owners: tuple[Handle, ...] = ()
    children: tuple[Child, ...] = ()
    help_wanted: tuple[HelpWantedItem, ...] = ()
    funding: tuple[FundingItem, ...] = ()
    # every row of the metadata table with a known key, allowed for a goal or not (read once, by the parse stage)
    metadata: tuple[MetadataRow, ...] = ()

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3]

    @property
    def in_slate(self) -> bool:
        return self.status is not Status.NOT_ACCEPTED

    # cached: the validate and render stages ask for these of every goal many times (see Document's indexes)
    @cached_property
    def all_themes(self) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for theme in (*self.themes, *(t for c in self.children for t in c.themes)):
            seen.setdefault(theme_key(theme), theme)
        return tuple(seen.values())

    @property
    def is_flagship(self) -> bool:
        return self.legacy_flagship or self.flagship_yes or bool(self.all_themes)

    @property
    def is_roadmap_goal(self) -> bool:
        return bool(self.all_themes)

    @property
    def needs_contributor(self) -> bool:
        return (
            any(n.casefold() == "contributor" for n in self.needs)
            or self.legacy_needs_contributor
            or self.poc_help_wanted
            or bool(self.help_wanted)
        )

    @property
    def needs_funding(self) -> bool:
        return any(n.casefold() == "funding" for n in self.needs) or bool(self.funding)

    @cached_property
    def size(self) -> Level | None:
        levels = [a.level for a in self.asks if a.level is not None]
        return max(levels) if levels else None

    @property
    def teams_with_asks(self) -> tuple[str, ...]:
        return tuple(sorted({a.team for a in self.asks}))

    def champion_for(self, team: str) -> Champion | None:
        for c in self.champions:
            if c.team == team:
                return c
        return None


def theme_key(name: str) -> str:
    """Themes, highlights and areas match after trimming, case-insensitively, with whitespace collapsed."""
    return " ".join(name.split()).casefold()


@record
class Roadmap:
    """A roadmap file (`roadmap-*.md`): the theme that goals name in their `Roadmap` row."""

    path: str
    title: str
    short_title: str
    what_and_why: Fragment
    location: Location
    points_of_contact: tuple[Handle, ...] = ()
    areas: tuple[str, ...] = ()
    metadata: tuple[MetadataRow, ...] = ()  # as Goal.metadata

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1][:-3]


@record
class Area:
    """An application area: named by roadmaps, described by an `area-*.md` page when there is one."""

    name: str
    location: Location | None = None  # the area page, when there is one
    path: str | None = None
    what_and_why: Fragment | None = None
    points_of_contact: tuple[Handle, ...] = ()
