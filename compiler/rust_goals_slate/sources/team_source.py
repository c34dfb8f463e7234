"""Where team data comes from: the commit of a rust-lang/team checkout that `slate teams export` records in
`teams.yaml`, and the line that a build prints about it.

A pinned `teams.yaml` is only useful if one can tell which state of rust-lang/team it holds, and refresh it on purpose;
so the export writes a `source:` mapping (repository, commit, commit date, and whether the checkout had changes to
its team or people files), and loading it gives `TeamRegistry.origin`.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from rust_goals_slate.errors import shown
from rust_goals_slate.records import record

_GITHUB = re.compile(r"(?:https?://|ssh://)?(?:[^@/]+@)?github\.com[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?")
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@record
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
    head = _git(checkout, "log", "-1", "--no-show-signature", "--date=short", "--format=%H %cd")
    if head is None or len(head.split()) != 2:
        return None
    commit, date = head.split()
    if not _COMMIT.fullmatch(commit) or not _DATE.fullmatch(date):
        return None
    url = _git(checkout, "remote", "get-url", "origin") or ""
    github = _GITHUB.fullmatch(url)  # only OWNER/NAME is kept: a URL may hold credentials
    return TeamSource(
        commit=commit,
        date=date,
        repository=f"{github.group(1)}/{github.group(2)}" if github else None,
        modified=_modified(checkout),
    )


def _modified(checkout: Path) -> bool:
    """Whether a file under teams/ or people/ differs from HEAD (changed, removed, or a new `*.toml` that the loader
    reads), compared by hashing the files here: `git status` would refresh the index, which runs the clean filters
    and hooks a repository configures (sources/git.py)."""
    from rust_goals_slate.sources import git  # subprocess costs a build ~10 ms; only `teams export` runs git

    try:
        fmt = _git(checkout, "rev-parse", "--show-object-format") or "sha1"
        committed = {path: (mode, oid) for mode, oid, path in git.tree_entries(checkout, "HEAD", "teams", "people")}
    except (OSError, ValueError):
        return True
    for path, (mode, oid) in committed.items():
        file = checkout / path
        try:
            data = os.fsencode(os.readlink(file)) if mode == "120000" else file.read_bytes()
        except OSError:
            return True
        if hashlib.new(fmt, b"blob %d\0" % len(data) + data).hexdigest() != oid:
            return True
    for folder in ("teams", "teams/archive", "people"):
        try:
            names = os.listdir(checkout / folder)
        except OSError:
            continue
        if any(name.endswith(".toml") and f"{folder}/{name}" not in committed for name in names):
            return True
    return False


def _git(cwd: Path, *args: str) -> str | None:
    import subprocess  # imported here, as git is: only `teams export` runs git

    from rust_goals_slate.sources import git

    try:
        done = git.run(cwd, *args, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode(errors="replace").strip() if done.returncode == 0 else None


def origin_text(source: Any) -> str:
    """`rust-lang/team@<commit>, <date>` from a teams.yaml's `source:` mapping (`commit <commit>, <date>` when it
    records no repository: a checkout without a GitHub remote is not known to be rust-lang/team); "" without one."""
    if not isinstance(source, dict) or not source.get("commit"):
        return ""
    commit = str(source["commit"])[:12]
    text = f"{source['repository']}@{commit}" if source.get("repository") else f"commit {commit}"
    if source.get("date"):
        text += f", {source['date']}"
    if source.get("modified") is True:
        text += ", with uncommitted changes"
    return shown(text, newlines=True)  # printed on the build's summary line: a teams.yaml may hold anything
