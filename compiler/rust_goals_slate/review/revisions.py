"""Slates at git revisions, for `slate diff --rev A..B`: the input root as of a commit, extracted to a folder.

Reads the repository with `ls-tree` and `cat-file` (never touches the working tree, the index or HEAD), so a diff
between two commits can run in a checkout with uncommitted edits; unlike `git archive`, these apply no smudge filter
and no `export-subst`, which could run programs the repository's configuration names (sources/git.py).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath

from rust_goals_slate.errors import InputError, ToolError, UsageError
from rust_goals_slate.sources import git
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
    try:
        entries = git.tree_entries(top, rev, rel_root or ".")
        blobs = git.read_blobs(top, [oid for mode, oid, _ in entries if mode != "160000"])
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {rel_root or '.'} at {rev}: {exc}") from exc
    _extract([e for e in entries if e[0] != "160000"], blobs, dest)
    found = dest / src.relative_to(top)
    if not found.is_dir():
        raise InputError(f"{src.relative_to(top).as_posix()} does not exist at {rev}")
    return found


def _extract(entries: list[tuple[str, str, str]], blobs: list[bytes], dest: Path) -> None:
    """Write the files of a tree into DEST; symbolic links last, as links (discovery reports those that leave the
    tree); a path that would leave DEST (`..`, an absolute path) is refused."""
    links = []
    for (mode, _, path), data in zip(entries, blobs, strict=True):
        parts = PurePosixPath(path).parts
        if not parts or PurePosixPath(path).is_absolute() or any(p in ("", ".", "..", ".git") for p in parts):
            raise InputError(f"the repository holds a file named {path!r}, which slate does not extract")
        target = dest.joinpath(*parts)
        if mode == "120000":
            links.append((target, os.fsdecode(data)))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    for target, to in links:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(to, target)


def _git(cwd: Path, *args: str, what: str | None = None) -> bytes:
    try:
        done = git.run(cwd, *args)
    except FileNotFoundError as exc:
        raise ToolError("git is not installed (needed for --rev)") from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"{what or 'git ' + args[0] + ' failed'}: {exc}") from exc
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()
        raise InputError(f"{what or 'git ' + args[0] + ' failed'}: {said}" if said else (what or "git failed"))
    return done.stdout
