"""Every git call slate makes goes through `run`: a repository is input, and its configuration must not run programs.

A repository's `.git/config`, attributes and hooks name programs that some git commands run: clean/smudge/process
filters (when `status` refreshes the index, when `archive` writes a file), `core.fsmonitor`, hooks (`post-index-change`
when a refresh writes the index), `gpg.program` (`log.showSignature`, `%G?` in an `export-subst` file), pagers,
textconv and external diff drivers, `core.sshCommand` (a lazy fetch in a partial clone). So slate uses only plumbing
that never converts file contents (`rev-parse`, `ls-tree`, `cat-file --batch`, `log --format` without signatures,
`remote get-url`), never writes the index (`GIT_OPTIONAL_LOCKS=0`), never fetches, and overrides with `-c` (which
beats every configuration file) each key that names a program one of those commands could still reach. The user's
own git environment (`GIT_DIR`, `GIT_INDEX_FILE`, … set by a hook that runs slate) is dropped: `cwd` alone says
which repository is read.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Each `-c` names a key whose value git would run, or a feature that could write to the repository.
_OVERRIDES = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.attributesFile=/dev/null",
    "core.pager=cat",
    "core.untrackedCache=false",
    "log.showSignature=false",
    "protocol.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
)
_ENVIRONMENT = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",  # no index refresh written back (and so no post-index-change hook)
    "GIT_NO_LAZY_FETCH": "1",  # a partial clone's missing object is an error, not a fetch
    "GIT_ATTR_NOSYSTEM": "1",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "LC_ALL": "C",
}


def command(*args: str) -> list[str]:
    """The argument vector of `git ARGS` with the overrides."""
    overrides = [part for override in _OVERRIDES for part in ("-c", override)]
    return ["git", "--no-pager", *overrides, *args]


def run(cwd: Path, *args: str, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """`git ARGS` in CWD, its output captured; raises OSError (no git) or subprocess.SubprocessError (timeout)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | _ENVIRONMENT
    return subprocess.run(
        command(*args), cwd=cwd, input=stdin, capture_output=True, env=env, timeout=timeout, check=False
    )


def read_blobs(cwd: Path, ids: list[str]) -> list[bytes]:
    """The contents of the blobs IDS, as stored (`cat-file --batch` applies no filter, textconv or conversion)."""
    if not ids:
        return []
    done = run(cwd, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode())
    if done.returncode != 0:
        raise OSError(done.stderr.decode(errors="replace").strip() or "git cat-file failed")
    out, at, blobs = done.stdout, 0, []
    for _ in ids:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise OSError(f"git cat-file: {out[at:end].decode(errors='replace')}")
        size = int(header[2])
        blobs.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return blobs


def tree_entries(cwd: Path, rev: str, *paths: str) -> list[tuple[str, str, str]]:
    """(mode, object id, path) of every file under PATHS at REV (`ls-tree -r`), paths relative to the top."""
    done = run(cwd, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *paths)
    if done.returncode != 0:
        raise OSError(done.stderr.decode(errors="replace").strip() or "git ls-tree failed")
    entries = []
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, _kind, oid = meta.decode().split()
        entries.append((mode, oid, os.fsdecode(path)))
    return entries
