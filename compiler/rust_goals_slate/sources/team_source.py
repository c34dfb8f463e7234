"""Where team data comes from: the commit of a rust-lang/team checkout that `slate teams export` records in
`teams.yaml`, and the line that a build prints about it.

A pinned `teams.yaml` is only useful if one can tell which state of rust-lang/team it holds, and refresh it on purpose;
so the export writes a `source:` mapping (repository, commit, commit date, and whether the checkout had changes to
its team or people files), and loading it gives `TeamRegistry.origin`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_GITHUB = re.compile(r"(?:https?://|ssh://)?(?:[^@/]+@)?github\.com[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?")
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class TeamSource:
    """Which commit of the rust-lang/team repository the team data was read from."""

    commit: str
    date: str
    repository: str | None = None  # OWNER/NAME of the origin remote, when it is on GitHub
    modified: bool = False  # the checkout had uncommitted changes under teams/ or people/

    def as_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"repository": self.repository} if self.repository else {}
        data |= {"commit": self.commit, "date": self.date}
        return data | ({"modified": True} if self.modified else {})


def checkout_source(checkout: Path) -> TeamSource | None:
    """The commit checked out at `checkout`, if it is the top of a git working tree (not a folder inside another
    repository, whose commit would say nothing about the team data); None when there is none or git cannot tell."""
    top = _git(checkout, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != checkout.resolve():
        return None
    head = _git(checkout, "log", "-1", "--date=short", "--format=%H %cd")
    if head is None or len(head.split()) != 2:
        return None
    commit, date = head.split()
    if not _COMMIT.fullmatch(commit) or not _DATE.fullmatch(date):
        return None
    url = _git(checkout, "remote", "get-url", "origin") or ""
    github = _GITHUB.fullmatch(url)  # only OWNER/NAME is kept: a URL may hold credentials
    status = _git(checkout, "status", "--porcelain", "--untracked-files=no", "--", "teams", "people")
    return TeamSource(
        commit=commit,
        date=date,
        repository=f"{github.group(1)}/{github.group(2)}" if github else None,
        modified=bool(status),
    )


def _git(cwd: Path, *args: str) -> str | None:
    # imported here: subprocess and its selectors cost a build ~10 ms, and only `teams export` runs git
    import subprocess

    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            # no fsmonitor hook: reading the checkout must not run a program that its configuration names
            ["git", "-c", "core.fsmonitor=false", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def origin_text(source: Any) -> str:
    """`rust-lang/team@<commit>, <date>` from a teams.yaml's `source:` mapping; "" when it records none."""
    if not isinstance(source, dict) or not source.get("commit"):
        return ""
    text = f"{source.get('repository') or 'rust-lang/team'}@{str(source['commit'])[:12]}"
    if source.get("date"):
        text += f", {source['date']}"
    if source.get("modified") is True:
        text += ", with uncommitted changes"
    return text
