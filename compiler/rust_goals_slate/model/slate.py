"""Team data, configuration and the `Slate`: everything the later stages share."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import field
from functools import cached_property
from types import MappingProxyType

from rust_goals_slate.model.directives import Directive
from rust_goals_slate.model.document import Document
from rust_goals_slate.model.goals import Area, AskFormat, Goal, Handle, Roadmap, theme_key
from rust_goals_slate.model.readme import Readme
from rust_goals_slate.model.repository_format import CONTACT, CONTACT_WORDS, SITE_URL, ContactWords
from rust_goals_slate.records import record


class Profile(enum.Enum):
    """The shape of the RFC (spec 0; docs/formats.md): the 2024h2 shape, the 2025h1 shape, the 2025h2 shape (the
    2025h1 shape with champions), the 2026 shape. `Slate.profile` is the one rule that tells them apart."""

    A = "A"
    B = "B"
    B2 = "B2"
    C = "C"


def read_only(instance: object, *names: str) -> None:
    """Make the mapping fields of a frozen dataclass read-only copies: frozen then holds for what they map too."""
    for name in names:
        value = getattr(instance, name)
        if not isinstance(value, MappingProxyType):
            object.__setattr__(instance, name, MappingProxyType(dict(value)))


@record
class Person:
    """A person of the team data: GitHub login and display name."""

    login: str  # canonical GitHub login, as spelt in the team data
    name: str


@record
class Team:
    """A team of the team data: its leads and members; an archived one may name its successor."""

    key: str
    url: str
    name: str = ""
    leads: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    # An archived team (rust-lang/team `teams/archive/`, or `archived: true` in a YAML registry) is still a team:
    # goals of past periods ask it. `archive` is the file it was found in, relative to the checkout.
    archived: bool = False
    successor: str | None = None  # the team that took over its work, where known
    archive: str = ""


@record
class TeamRegistry:
    """The team data a slate is checked against, and where it came from."""

    teams: Mapping[str, Team]  # by key
    people: Mapping[str, Person]  # by login, case-folded
    source: str = ""
    origin: str = ""  # where a teams.yaml was exported from: "rust-lang/team@<commit>, <date>" (teams export)

    def __post_init__(self) -> None:
        read_only(self, "teams", "people")

    def person(self, login: str) -> Person | None:
        return self.people.get(login.casefold())

    def team(self, key: str) -> Team | None:
        return self.teams.get(key) or self.teams.get(key.casefold())


@record
class AskKind:
    """A kind of team ask of the 2025h1 format, as rust-project-goals.toml configures it."""

    name: str
    short: str
    about: str
    elide: bool = False


@record
class Options:
    """The RFC header and site options of the command line."""

    site_url: str | None = None  # --site-url; None: book.toml's, else the repository's site (Config.site_url)
    rfc_number: str | None = None
    start_date: str | None = None
    feature_name: str | None = None
    rust_issue: str | None = None
    goals_repo: str | None = None  # --goals-repo OWNER/NAME, over book.toml's git-repository-url


# The goals repository was renamed from rust-project-goals; GitHub redirects the old name, so issues written with
# either name are in the goals repository.
GOALS_REPOSITORY_NAMES = ("rust-lang/goals", "rust-lang/rust-project-goals")


MAX_LINKIFIER_LABEL = 64  # `rust-lang/rust#123456` is 21 characters


@record
class Config:
    """The period's configuration: book.toml and rust-project-goals.toml, with the options applied."""

    period: str
    ask_kinds: tuple[AskKind, ...] = ()
    ask_kinds_configured: bool = False
    badges: tuple[tuple[str, str], ...] = ()  # (name, url), book.toml order
    linkifiers: tuple[tuple[str, str], ...] = ()  # (regex, template), book.toml order
    users: Mapping[str, str] = field(default_factory=dict)  # '@login' case-folded -> display ('@x' or name)
    ignore_users: frozenset[str] = frozenset()  # logins case-folded, without '@'
    options: Options = Options()
    goals_repository: str = GOALS_REPOSITORY_NAMES[0]  # OWNER/NAME, as configured
    site_url: str = SITE_URL  # the base of goal-page links, ending in '/': --site-url, else book.toml's, else this

    def __post_init__(self) -> None:
        read_only(self, "users")

    def linkify(self, label: str) -> tuple[str, re.Match[str]] | None:
        """The first linkifier whose pattern matches all of LABEL: its template and the match. Labels longer than
        MAX_LINKIFIER_LABEL are never matched: with the pattern shapes that loading allows (sources/linkifiers.py),
        that bounds the time of one match."""
        if len(label) > MAX_LINKIFIER_LABEL:
            return None
        for pattern, template in self.linkifiers:
            if m := re.fullmatch(pattern, label):
                return template, m
        return None

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


@record
class Slate:
    """Everything the render stage needs, parsed once."""

    period: str
    src_dir: str  # the period folder, relative to the input root (e.g. 'src/2026')
    config: Config
    teams: TeamRegistry
    documents: Mapping[str, Document]  # every Markdown file of the period, by path
    readme: Readme | None  # README.md (or the --readme skeleton), parsed; None without one
    goals: tuple[Goal, ...]  # in title order
    roadmaps: tuple[Roadmap, ...] = ()  # by short title
    areas: tuple[Area, ...] = ()  # by name
    # the directives of every page that is not a goal, roadmap or area page (the README's are in `readme` too)
    page_directives: tuple[Directive, ...] = ()

    def __post_init__(self) -> None:
        read_only(self, "documents")

    @cached_property
    def people_fields(self) -> tuple[Handle, ...]:
        """The `@handle`s of the fields that name people: points of contact, task owners, champions and ask owners
        of the goals, points of contact of the roadmaps (validate checks these; the render, the rest)."""
        found: list[Handle] = []
        for goal in self.goals:
            found += goal.points_of_contact
            found += goal.task_owners
            found += (c.handle for c in goal.champions)
            for ask in goal.asks:
                found += ask.owners
        for roadmap in self.roadmaps:
            found += roadmap.points_of_contact
        return tuple(found)

    @cached_property
    def contact_words(self) -> ContactWords:
        """The word for the contact in generated tables: the spelling of the key that most of the period's goal and
        roadmap files write (on a tie, the newer one), so a period renamed to `Contact` says "Contact" and the
        published periods keep "Point of contact"."""
        counts: dict[str, int] = {}
        rows = [row for goal in self.goals for row in goal.metadata]
        rows += [row for roadmap in self.roadmaps for row in roadmap.metadata]
        for row in rows:
            if row.key == CONTACT:
                spelling = row.written.casefold()
                counts[spelling] = counts.get(spelling, 0) + 1
        order = list(CONTACT_WORDS)  # oldest first
        known = [s for s in counts if s in CONTACT_WORDS]
        if not known:
            return CONTACT_WORDS[order[0]]
        return CONTACT_WORDS[max(known, key=lambda s: (counts[s], order.index(s)))]

    @cached_property  # asked for by every rule and directive that depends on the period's format
    def profile(self) -> Profile:
        formats = {g.ask_format for g in self.goals}
        if AskFormat.NEW in formats:
            return Profile.C
        if AskFormat.TASKS in formats or self.config.ask_kinds_configured:
            # The goals tool added `[team] champion` rows and the tables that show them together (rust-lang/goals
            # f18c6d8, Aug 2025, for RFC 3849): a task-format period whose goals name champions has the 2025h2 shape.
            return Profile.B2 if any(g.champions for g in self.goals) else Profile.B
        return Profile.A

    @cached_property
    def item_pages(self) -> frozenset[str]:
        """The goal, roadmap and application-area pages: they belong to the website and are never inlined."""
        paths = {g.path for g in self.goals} | {r.path for r in self.roadmaps}
        return frozenset(paths | {a.path for a in self.areas if a.path})

    @cached_property
    def slate_goals(self) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if g.in_slate)

    @property
    def not_accepted(self) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if not g.in_slate)

    @property
    def output_documents(self) -> tuple[str, ...]:
        """The README and the chapters it inlines that exist: the files whose text is the RFC."""
        if self.readme is None:
            return ()
        path = self.readme.path
        return (path, *(c for c in self.readme.chapters if c in self.documents and c != path))

    # ---------------------------------------------------------------------------------------------------------
    # goal selections: what each directive of the README selects, for validate, render and the PR body alike

    def with_theme(self, goals: Iterable[Goal], theme: str | None) -> list[Goal]:
        """The goals of a theme (a roadmap or a flagship theme); with None, every roadmap or flagship goal."""
        if theme is None:
            return [g for g in goals if g.is_roadmap_goal or g.is_flagship]
        key = theme_key(theme)
        return [g for g in goals if key in {theme_key(t) for t in g.all_themes}]

    def with_needs(self, need: str) -> list[Goal]:
        """`GOALS WITH NEEDS: X`: the goals of the slate that need a contributor, funding or X."""
        key = need.strip().casefold()
        if key == "contributor":
            return [g for g in self.slate_goals if g.needs_contributor]
        if key == "funding":
            return [g for g in self.slate_goals if g.needs_funding]
        return [g for g in self.slate_goals if key in {n.casefold() for n in g.needs}]

    def highlighted(self, name: str) -> list[Goal]:
        """The goals of the slate whose `Highlight` is `name`."""
        key = theme_key(name)
        return [g for g in self.slate_goals if key in {theme_key(h) for h in g.highlights}]

    def with_status(self, status: str) -> list[Goal]:
        """``<!-- GOALS `Proposed` -->`` (2024h2): the goals of one status, as written, case-folded."""
        key = status.strip().casefold()
        return [g for g in self.goals if g.status_text.casefold() == key]

    @cached_property
    def flagship_themes(self) -> dict[str, str] | None:
        """The themes the RFC's flagship tables select, by `theme_key` (as the first `FLAGSHIP GOALS: X` spells
        them); None when a table selects every flagship goal (`FLAGSHIP GOALS` with no theme) or the RFC has no
        such table."""
        written = self.readme.directives if self.readme else ()
        uses = [d for d in written if d.canonical == "FLAGSHIP GOALS" and (d.alone or not d.comment)]
        if not uses or any(d.arg is None for d in uses):
            return None
        themes: dict[str, str] = {}
        for d in uses:
            assert d.arg is not None
            themes.setdefault(theme_key(d.arg), d.arg)
        return themes

    @cached_property
    def flagship_goals(self) -> tuple[Goal, ...]:
        """What `(((#FLAGSHIP GOALS)))` counts: the goals of the slate that the RFC's flagship tables list (2025h2:
        the four `FLAGSHIP GOALS: X` tables list 12 goals; a 13th names a theme none of them selects), or in
        profile C the roadmap goals."""
        goals = self.slate_goals
        if self.profile is Profile.C:
            return tuple(g for g in goals if g.is_roadmap_goal)
        themes = self.flagship_themes
        if themes is None:
            return tuple(g for g in goals if g.is_flagship)
        return tuple(g for g in goals if any(theme_key(t) in themes for t in g.all_themes))
