"""Slates at git revisions, for `slate diff --rev A..B`: the input root as of a commit, extracted to a folder.

Reads the repository with `git archive` (never touches the working tree, the index or HEAD), so a diff between
two commits can run in a checkout with uncommitted edits.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path

from rust_goals_slate.errors import InputError, ToolError, UsageError
from rust_goals_slate.sources.discover import find_root


def parse_range(text: str) -> tuple[str, str | None]:
    """`A..B` -> (A, B); `A..` or `A` -> (A, None), None meaning the working tree."""
    if "..." in text:
        raise UsageError(f"--rev takes A..B (two dots), not {text!r}")
    old, _, new = text.partition("..")
    if not old.strip():
        raise UsageError(f"--rev takes A..B, A.. or A, not {text!r}")
    return old.strip(), new.strip() or None


def checkout(src: Path, rev: str, dest: Path) -> Path:
    """Extract the input root holding the period folder SRC as of REV into DEST; return SRC's path there."""
    src = Path(os.path.abspath(src))
    cwd = next(p for p in (src, *src.parents) if p.is_dir())  # SRC may exist only at REV
    top = Path(_git(cwd, "rev-parse", "--show-toplevel", what=f"{src} is not in a git repository").decode().strip())
    root, _, _ = find_root(src)
    if not root.is_relative_to(top):
        root = top
    rel_root = root.relative_to(top).as_posix()
    _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", what=f"{rev!r} is not a commit")
    archive = _git(top, "archive", "--format=tar", rev, "--", rel_root or ".", what=f"cannot read {rel_root} at {rev}")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    found = dest / src.relative_to(top)
    if not found.is_dir():
        raise InputError(f"{src.relative_to(top).as_posix()} does not exist at {rev}")
    return found


def _git(cwd: Path, *args: str, what: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise ToolError("git is not installed (needed for --rev)") from exc
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()
        raise InputError(f"{what or 'git ' + args[0] + ' failed'}: {said}" if said else (what or "git failed"))
    return done.stdout
