"""Stage 5: write outputs atomically, so a failed or interrupted build never leaves a truncated file.

A build's outputs (rfc.md, pr-body.md, rfc.pdf) are written together (`write_outputs`): every one is produced
first, each into a temporary file beside its target, and only then are they moved into place, one after the other,
holding an exclusive lock (`flock`) on the output folder, so that two builds into one folder each leave a complete
set. An output replaces only a regular file: never a symlink (it would write wherever the link points), a FIFO or a
device node.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from rust_goals_slate.errors import OutputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """One output: a temporary file beside `path`, then `os.replace`."""
    write_outputs([(path, data)], lock=False)


def write_outputs(outputs: Sequence[tuple[Path, str | bytes]], *, lock: bool = True, durable: bool = True) -> None:
    """Every output, or none: all are written to temporary files first, then moved into place under the lock of
    their folder. Raises `OutputError` (nothing replaced) when a target is not a regular file or a write fails.
    `durable`: each is on the disk (fsync) before it replaces the old one, so that not even a crash of the machine
    leaves an empty file; `slate watch`, which writes again on the next save, does without (a few ms a save). Then
    the old file is also kept by a second name until every output is in place: replacing it would free it, and ext4
    frees a file only once the disk has its last write (the one a rename starts), 2-5 ms when the watch wrote it on
    the last save; unlinked afterwards, it no longer holds up the moment the new one appears."""
    for path, _ in outputs:
        refuse_special(path)
    temps: list[tuple[str, Path]] = []
    old: list[str] = []  # the files replaced, by a second name (not durable)
    try:
        for path, data in outputs:
            temps.append((_write_temp(path, data, durable), path))
        with _locked({path.parent for path, _ in outputs} if lock else set()):
            for _, path in temps:
                refuse_special(path)  # again under the lock: it may have changed meanwhile
            for tmp, path in temps:
                if not durable:
                    old += _second_name(path, tmp)
                _replace(tmp, path)
    finally:
        for tmp in [t for t, _ in temps] + old:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _second_name(path: Path, tmp: str) -> list[str]:
    """A hard link to the file at `path` beside the temporary file `tmp`, if there is a file and the file system
    links."""
    link = tmp + ".old"
    try:
        os.link(path, link)  # `path` is a regular file (refuse_special, under the lock); only the name is removed later
    except OSError:  # nothing there yet, or no hard links: the replace frees the old file itself
        return []
    return [link]


def refuse_special(path: Path) -> None:
    """Refuse to replace anything at `path` but a regular file (or nothing)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    what = special_kind(mode)
    if what:
        raise OutputError(f"{path} is {what}; slate replaces only regular files (remove it or write elsewhere)")


def special_kind(mode: int) -> str | None:
    """What a file that is not regular is, in words; None for a regular file."""
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    for test, what in kinds:
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def _write_temp(path: Path, data: str | bytes, durable: bool = True) -> str:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        # mkstemp creates the file 0600; an output file gets the usual permissions for new files
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return tmp


def _replace(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


@contextlib.contextmanager
def _locked(folders: set[Path]) -> Iterator[None]:
    """An exclusive `flock` on each output folder itself (in sorted order: no deadlock). Locking the folder rather
    than a lock file in it leaves nothing behind, and there is no file whose place a link or a FIFO could take."""
    if sys.platform == "win32":  # no flock there: builds into one folder are not serialised on Windows
        yield
        return
    import fcntl

    with contextlib.ExitStack() as stack:
        for folder in sorted(folders):
            try:
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError as exc:
                raise OutputError(f"cannot lock the output folder {folder}: {exc.strerror or exc}") from exc
            stack.callback(os.close, fd)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
