"""Where a PDF comes from, for its title page and metadata: when it was built and from which commit.

The time a PDF states is `SOURCE_DATE_EPOCH` when that is set
(https://reproducible-builds.org/specs/source-date-epoch/), else the commit date of the checked-out commit when the
sources are in git (the PDF then calls it the revision date; read with `git log` through `sources.git`), else the
time of the build: two builds of one commit give the same bytes without any setting. The revision itself is read from
the `.git` folder of the checkout holding the sources, without running git: nothing but that folder's HEAD and refs
is read.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from rust_goals_slate.errors import UsageError

_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256
_MAX_SYMREFS = 5


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def build_time(environ: Mapping[str, str] = os.environ) -> datetime:
    """The build time in UTC, to the second: `SOURCE_DATE_EPOCH` if set, else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return _now()
    if not epoch.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch!r}")
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise UsageError(f"SOURCE_DATE_EPOCH is out of range: {epoch}") from exc


def pdf_time(src: Path, environ: Mapping[str, str] = os.environ) -> tuple[datetime, bool]:
    """The time the PDF states, and whether it is the sources' revision date (else a build time).

    `SOURCE_DATE_EPOCH` when set (a build time the caller chose); else the commit date of the commit checked out in
    the git working tree holding SRC, so that two builds of one commit give the same bytes; else now. The commit
    date is read with `git log` through `sources.git` (no program of the repository's configuration runs)."""
    if environ.get("SOURCE_DATE_EPOCH", "").strip():
        return build_time(environ), False
    committed = commit_time(src) if source_revision(src) is not None else None
    return (committed, True) if committed is not None else (_now(), False)


def commit_time(src: Path) -> datetime | None:
    """The committer date of HEAD in the repository holding SRC, or None (no git, no commit, a damaged `.git`)."""
    from rust_goals_slate.sources import git

    try:
        done = git.run(src.resolve(), "log", "-1", "--no-show-signature", "--format=%ct", "HEAD", "--", timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.decode("ascii", "replace").strip()
    if done.returncode != 0 or not out.isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(out), UTC)
    except (OverflowError, OSError, ValueError):
        return None


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
