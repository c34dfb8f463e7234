"""The typed model every stage shares: parsed Markdown documents, goals, roadmaps, teams and configuration.

All classes are frozen dataclasses; stages build new values instead of mutating old ones. Every parsed item keeps
its `Location` so that any later stage can report a problem at the right file and line.
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from rust_goals_slate.errors import Diagnostic, Location, Severity

# --------------------------------------------------------------------------------------------------------------
# Markdown documents (block level), produced by rust_goals_slate.parse.markdown


@dataclass(frozen=True)
class Row:
    """One table row: cells are the trimmed raw inline source, padded to the header's width."""

    cells: tuple[str, ...]
    line: int
    extra_cells: int = 0


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    line: int


@dataclass(frozen=True)
class Block:
    """A top-level block with its exact source range (`start`/`end` are offsets into Document.text)."""

    kind: str  # heading, paragraph, table, code, html, list, quote, rule, blank
    start: int
    end: int
    line: int
    level: int = 0  # headings only
    title: str = ""  # headings: the inline source of the title, trimmed
    table: Table | None = None

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


@dataclass(frozen=True)
class LinkDef:
    label: str  # as written
    url: str
    title: str | None
    line: int
    start: int
    end: int

    @property
    def key(self) -> str:
        return normalize_label(self.label)


@dataclass(frozen=True)
class FootnoteDef:
    label: str
    text: str  # the raw body, continuation lines included
    line: int
    start: int
    end: int

    @property
    def key(self) -> str:
        return normalize_label(self.label)


@dataclass(frozen=True)
class Document:
    path: str  # relative to the input root, with '/' separators
    text: str
    blocks: tuple[Block, ...]
    link_defs: tuple[LinkDef, ...]
    footnote_defs: tuple[FootnoteDef, ...]
    line_starts: tuple[int, ...] = field(repr=False, default=())

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def source_line(self, line: int) -> str:
        if line < 1 or line > len(self.line_starts):
            return ""
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    def diagnostic(self, line: int, severity: Severity, code: str, message: str, hint: str | None = None) -> Diagnostic:
        """A diagnostic at `line` of this document, quoting that line."""
        return Diagnostic(Location(self.path, line, 1), severity, code, message, hint, self.source_line(line))

    def link_def(self, label: str) -> LinkDef | None:
        """The first definition of `label` (CommonMark: the first one wins)."""
        return self._link_index.get(normalize_label(label))

    def footnote_def(self, label: str) -> FootnoteDef | None:
        return self._footnote_index.get(normalize_label(label))

    # Lookups by normalised label, built on first use (a scan per lookup made the render quadratic per document).
    # cached_property writes the instance __dict__ directly, so it works on a frozen dataclass, and it is not a field.
    @cached_property
    def _link_index(self) -> dict[str, LinkDef]:
        index: dict[str, LinkDef] = {}
        for d in self.link_defs:
            index.setdefault(d.key, d)
        return index

    @cached_property
    def _footnote_index(self) -> dict[str, FootnoteDef]:
        index: dict[str, FootnoteDef] = {}
        for d in self.footnote_defs:
            index.setdefault(d.key, d)
        return index

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.endswith(".md") else name


def normalize_label(label: str) -> str:
    """CommonMark label matching: case-fold and collapse internal whitespace."""
    return " ".join(label.split()).casefold()


@dataclass(frozen=True)
class Fragment:
    """Markdown text lifted from a source file; `origin` lets links and definitions resolve where it was written."""

    text: str
    origin: str
    line: int

    def __bool__(self) -> bool:
        return bool(self.text.strip())


# --------------------------------------------------------------------------------------------------------------
# Goals, roadmaps, application areas


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


@dataclass(frozen=True)
class Handle:
    login: str  # as written, without the '@'
    location: Location


@dataclass(frozen=True)
class Champion:
    team: str
    handle: Handle


@dataclass(frozen=True)
class TeamAsk:
    team: str  # team key as written, lower-cased
    notes: Fragment
    location: Location
    level: Level | None = None  # new format
    kind: str | None = None  # old format: the ask kind (2025h1) or the free ask text (2024h2)
    subgoal: str | None = None  # the subsection (or parent row, 2024h2) the ask sits under
    owners: tuple[Handle, ...] = ()  # 2024h2: owners of the parent row
    help_wanted_owner: bool = False  # 2024h2: the parent row's owner is ![Help wanted][]


@dataclass(frozen=True)
class Child:
    """A direct subsection of 'Work items over the next year'."""

    title: str
    site_id: str  # the mdBook heading id on the goal's page
    location: Location
    themes: tuple[str, ...] = ()
    timespan: str | None = None
    what_and_why: Fragment | None = None


@dataclass(frozen=True)
class HelpWantedItem:
    task: Fragment
    experience: str
    time: str
    location: Location


@dataclass(frozen=True)
class FundingItem:
    purpose: Fragment
    cost: str
    funded: str
    sponsors: Fragment
    location: Location


@dataclass(frozen=True)
class Goal:
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

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3]

    @property
    def in_slate(self) -> bool:
        return self.status is not Status.NOT_ACCEPTED

    @property
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

    @property
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


@dataclass(frozen=True)
class Roadmap:
    path: str
    title: str
    short_title: str
    what_and_why: Fragment
    location: Location
    points_of_contact: tuple[Handle, ...] = ()
    areas: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1][:-3]


@dataclass(frozen=True)
class Area:
    name: str
    location: Location | None = None  # the area page, when there is one
    path: str | None = None
    what_and_why: Fragment | None = None
    points_of_contact: tuple[Handle, ...] = ()


# --------------------------------------------------------------------------------------------------------------
# Team data and configuration


@dataclass(frozen=True)
class Person:
    login: str  # canonical GitHub login, as spelt in the team data
    name: str


@dataclass(frozen=True)
class Team:
    key: str
    url: str
    name: str = ""
    leads: tuple[str, ...] = ()
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamRegistry:
    teams: Mapping[str, Team]  # by key
    people: Mapping[str, Person]  # by login, case-folded
    source: str = ""

    def person(self, login: str) -> Person | None:
        return self.people.get(login.casefold())

    def team(self, key: str) -> Team | None:
        return self.teams.get(key) or self.teams.get(key.casefold())


@dataclass(frozen=True)
class AskKind:
    name: str
    short: str
    about: str
    elide: bool = False


@dataclass(frozen=True)
class Options:
    site_url: str = "https://rust-lang.github.io/goals/"
    rfc_number: str | None = None
    start_date: str | None = None
    feature_name: str | None = None
    rust_issue: str | None = None
    goals_repo: str | None = None  # --goals-repo OWNER/NAME, over book.toml's git-repository-url


# The goals repository was renamed from rust-project-goals; GitHub redirects the old name, so issues written with
# either name are in the goals repository.
GOALS_REPOSITORY_NAMES = ("rust-lang/goals", "rust-lang/rust-project-goals")


@dataclass(frozen=True)
class Config:
    period: str
    ask_kinds: tuple[AskKind, ...] = ()
    ask_kinds_configured: bool = False
    badges: tuple[tuple[str, str], ...] = ()  # (name, url), book.toml order
    linkifiers: tuple[tuple[str, str], ...] = ()  # (regex, template), book.toml order
    users: Mapping[str, str] = field(default_factory=dict)  # '@login' case-folded -> display ('@x' or name)
    ignore_users: frozenset[str] = frozenset()  # logins case-folded, without '@'
    options: Options = Options()
    goals_repository: str = GOALS_REPOSITORY_NAMES[0]  # OWNER/NAME, as configured

    def is_goals_repository(self, repository: str) -> bool:
        """The configured repository, or (for the rust-lang repository) either of its names."""
        names = {self.goals_repository.casefold()}
        if names & set(GOALS_REPOSITORY_NAMES):
            names.update(GOALS_REPOSITORY_NAMES)
        return repository.casefold() in names

    def ask_kind(self, text: str) -> AskKind | None:
        key = text.strip().casefold()
        for kind in self.ask_kinds:
            if kind.name.casefold() == key:
                return kind
        return None


@dataclass(frozen=True)
class Slate:
    """Everything the render stage needs, parsed once."""

    period: str
    src_dir: str  # the period folder, relative to the input root (e.g. 'src/2026')
    config: Config
    teams: TeamRegistry
    documents: Mapping[str, Document]  # every Markdown file of the period, by path
    readme: str | None  # path of README.md in `documents`, if any
    goals: tuple[Goal, ...]  # in title order
    roadmaps: tuple[Roadmap, ...] = ()  # by short title
    areas: tuple[Area, ...] = ()  # by name

    @property
    def slate_goals(self) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if g.in_slate)

    @property
    def not_accepted(self) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if not g.in_slate)

    def goal_by_path(self, path: str) -> Goal | None:
        for g in self.goals:
            if g.path == path:
                return g
        return None
