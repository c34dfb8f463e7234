"""GitHub data that `gh` exports as JSON: the goals repository's issues and their comments (read by
`sources.github_export`, planned against by `upkeep.issues_plan`, summarised by `upkeep.updates`)."""

from __future__ import annotations

import re

from rust_goals_slate.records import record

# `[rust-lang/goals#123]`, optionally followed by `[]` or `(url)`: the tracking-issue cell of a goal's metadata
TRACKING_ISSUE = re.compile(r"^\[([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)#([0-9]+)\](?:\[\]|\([^)\s]*\))?$")


@record
class IssueComment:
    """A comment on an issue."""

    author: str  # login, without '@'
    body: str
    created_at: str  # ISO 8601, UTC, as GitHub gives it: 2026-07-15T09:30:00Z
    url: str = ""
    minimized: bool = False  # hidden on GitHub ("isMinimized")


@record
class Issue:
    """An issue of the goals repository, as `gh issue list --json ...` or `gh api` gives it."""

    number: int
    title: str
    state: str = "OPEN"  # OPEN or CLOSED
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    milestone: str | None = None
    body: str = ""
    comments: tuple[IssueComment, ...] | None = None  # None: the export has no comments field
    url: str = ""
