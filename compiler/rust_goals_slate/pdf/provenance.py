"""Where a PDF comes from, for its title page and metadata: when it was built and from which commit.

The build time is `SOURCE_DATE_EPOCH` when that is set (https://reproducible-builds.org/specs/source-date-epoch/),
so that two builds of the same sources give the same bytes. The revision is read from the `.git` folder of the
checkout holding the sources, without running git: no hooks, no configuration of the checkout is executed, and
nothing but that folder's HEAD and refs is read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from rust_goals_slate.errors import UsageError

_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256
_MAX_SYMREFS = 5


def build_time(environ: Mapping[str, str] = os.environ) -> datetime:
    """The build time in UTC, to the second: `SOURCE_DATE_EPOCH` if set, else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC).replace(microsecond=0)
    if not epoch.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch!r}")
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise UsageError(f"SOURCE_DATE_EPOCH is out of range: {epoch}") from exc


def source_revision(path: Path) -> str | None:
    """The commit checked out in the git working tree holding `path`, or None when there is none (or it cannot be
    read: an unborn branch, a damaged `.git`)."""
    git_dir = _git_dir(path.resolve())
    if git_dir is None:
        return None
    common = git_dir
    commondir = _read(git_dir / "commondir")  # a linked worktree keeps its refs in the main repository
    if commondir:
        common = (git_dir / commondir).resolve()
    head = _read(git_dir / "HEAD")
    for _ in range(_MAX_SYMREFS):
        if head is None:
            return None
        if _COMMIT.fullmatch(head):
            return head
        if not head.startswith("ref: "):
            return None
        ref = head[len("ref: ") :].strip()
        if not ref.startswith("refs/") or ".." in ref.split("/"):
            return None
        head = _read(git_dir / ref) or _read(common / ref) or _packed_ref(common, ref)
    return None


def _git_dir(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = _read(dot_git) or ""
            if text.startswith("gitdir: "):
                target = Path(text[len("gitdir: ") :].strip())
                return (folder / target).resolve() if not target.is_absolute() else target
            return None
    return None


def _packed_ref(common: Path, ref: str) -> str | None:
    for line in (_read(common / "packed-refs") or "").splitlines():
        parts = line.split(" ")
        if len(parts) == 2 and parts[1] == ref:
            return parts[0]
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
