"""slate's per-user cache folder, for what does not change from one build to the next: compiled templates
(`render.template_cache`) and the parse memo's entries (`parse.memo`: each file's parsed Document and model item,
by its content). Not the team data (docs/decisions.md, "Team data: one fast path").

The folder is `$XDG_CACHE_HOME/slate`, else `~/.cache/slate`; `SLATE_NO_CACHE=1` turns every cache off (nothing is
read or written). An entry is found by a key that covers everything its value was computed from, so a build gives
the same bytes with or without the cache; an entry that cannot be read is a miss, a folder that cannot be created
(or that another user could write to: loading an entry runs code from it) means no cache. Deleting the folder is
always safe.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path


def cache_folder(kind: str) -> Path | None:
    """`<cache>/slate/<kind>`, created if needed; None when caching is off or the folder cannot be used safely."""
    if os.environ.get("SLATE_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None  # no home folder: never a cache relative to the working folder
    folder = Path(base) / "slate" / kind
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        checked = [folder.stat(), folder.parent.stat()]
    except OSError:
        return None
    if hasattr(os, "getuid") and any(st.st_uid != os.getuid() or st.st_mode & 0o022 for st in checked):
        return None
    return folder


def versioned_folder(kind: str, version_of: Callable[[], str], keep: int = 3) -> Path | None:
    """`<cache>/slate/<kind>/<version>`: the entries made by one version of the code (`version_of()`, worked out only
    when caching is on).

    A version seen for the first time prunes the folders of all but the `keep` versions used last (an upgrade, or an
    edit of a checkout, leaves its old entries behind otherwise); using a version marks its folder used."""
    base = cache_folder(kind)
    if base is None:
        return None
    version = version_of()
    folder = base / version
    try:
        if folder.is_dir():
            os.utime(folder)
            return folder
        folder.mkdir(mode=0o700)
    except OSError:
        return None
    try:
        others = [e for e in os.scandir(base) if e.name != version and e.is_dir(follow_symlinks=False)]
        others.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns, reverse=True)
        for old in others[max(keep - 1, 0) :]:
            _remove_folder(old.path)
    except OSError:
        pass  # another process pruning at the same time; the next new version tries again
    return folder


def _remove_folder(path: str) -> None:
    for entry in os.scandir(path):
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
    with contextlib.suppress(OSError):
        os.rmdir(path)


_BINARY = getattr(os, "O_BINARY", 0)  # Windows opens files as text unless told


class EntryFolder:
    """Files named by key in one folder: read whole, written atomically, the least recently used pruned.

    Every failure is a miss (read) or a no-op (write, prune): a cache that cannot be used costs time, never a build.
    Reading an entry marks it used (its modification time, refreshed at most once a day, so a warm build does not
    write to the folder); `prune` deletes what was not used for 30 days, and keeps the most recently used."""

    REFRESH_SECONDS = 86_400
    UNUSED_SECONDS = 30 * 86_400

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)

    def read(self, key: str) -> bytes | None:
        try:
            fd = os.open(os.path.join(self.folder, key), os.O_RDONLY | _BINARY)
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            chunks = []
            size = 0
            while size < st.st_size:
                chunk = os.read(fd, st.st_size - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if time.time() - st.st_mtime > self.REFRESH_SECONDS:
                os.utime(os.path.join(self.folder, key))  # a path: not every system takes a descriptor here
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(fd)

    def write(self, key: str, data: bytes) -> None:
        path = os.path.join(self.folder, key)
        temp = os.path.join(self.folder, f".{key}.{os.getpid()}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            os.replace(temp, path)  # readers see the old entry or the new one, never a part
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)

    def prune(self, keep: int) -> None:
        """Delete the files not used for `UNUSED_SECONDS` (looked for at most once a day, marked by `.pruned`), and
        with more than `keep` files, the least recently used down to three quarters of `keep`."""
        marker = os.path.join(self.folder, ".pruned")
        now = time.time()
        try:
            names = [n for n in os.listdir(self.folder) if n != ".pruned"]
            try:
                due = now - os.stat(marker).st_mtime > self.REFRESH_SECONDS
            except FileNotFoundError:
                due = True
            if len(names) <= keep and not due:
                return
            used = []
            for name in names:
                with contextlib.suppress(OSError):
                    used.append((os.stat(os.path.join(self.folder, name)).st_mtime, name))
            if due:
                os.close(os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600))
                os.utime(marker)
        except OSError:
            return
        used.sort()
        unused = sum(1 for mtime, _ in used if due and now - mtime > self.UNUSED_SECONDS)
        for _, name in used[: max(unused, len(used) - keep * 3 // 4 if len(used) > keep else 0)]:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.folder, name))
