"""The typed model every stage shares: parsed Markdown documents, goals, roadmaps, teams and configuration.

All classes are frozen dataclasses; stages build new values instead of mutating old ones. Every parsed item keeps
its `Location` so that any later stage can report a problem at the right file and line.

`document` holds parsed Markdown, `goals` what goal, roadmap and area files say, `slate` team data, configuration
and the `Slate` itself, `github` the issues and comments `gh` exports; every name is importable from
`rust_goals_slate.model`.
"""

from rust_goals_slate.model.directives import Directive
from rust_goals_slate.model.document import (
    Block,
    BlockKind,
    Document,
    FootnoteDef,
    Fragment,
    LinkDef,
    Row,
    Table,
    normalize_label,
)
from rust_goals_slate.model.github import TRACKING_ISSUE, Issue, IssueComment
from rust_goals_slate.model.goals import (
    Area,
    AskFormat,
    Champion,
    Child,
    FundingItem,
    Goal,
    Handle,
    HelpWantedItem,
    Level,
    MetadataRow,
    Roadmap,
    Status,
    TeamAsk,
    theme_key,
)
from rust_goals_slate.model.readme import ChapterLink, HeaderField, Readme
from rust_goals_slate.model.slate import (
    GOALS_REPOSITORY_NAMES,
    AskKind,
    Config,
    Options,
    Person,
    Profile,
    Slate,
    Team,
    TeamRegistry,
)

__all__ = [
    "GOALS_REPOSITORY_NAMES",
    "TRACKING_ISSUE",
    "Area",
    "AskFormat",
    "AskKind",
    "Block",
    "BlockKind",
    "Champion",
    "ChapterLink",
    "Child",
    "Config",
    "Directive",
    "Document",
    "FootnoteDef",
    "Fragment",
    "FundingItem",
    "Goal",
    "Handle",
    "HeaderField",
    "HelpWantedItem",
    "Issue",
    "IssueComment",
    "Level",
    "LinkDef",
    "MetadataRow",
    "Options",
    "Person",
    "Profile",
    "Readme",
    "Roadmap",
    "Row",
    "Slate",
    "Status",
    "Table",
    "Team",
    "TeamAsk",
    "TeamRegistry",
    "normalize_label",
    "theme_key",
]  # fmt: skip
