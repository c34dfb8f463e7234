"""The read memo: what `slate watch`'s last rebuild read (each source file's text, the configuration), kept for the
next rebuild while the files it came from are unchanged. `slate build` reads everything, once, and keeps nothing.

A file counts as unchanged when the file watcher did not report it (or a folder holding it) since the last complete
read, and its stamp (device, inode, size, modification and change times, from the `stat` that reading makes anyway)
is the one it had then. A time stamp is only as fine as the file system's clock, though: a file written twice
within one tick of it, to the same size, keeps its stamp. So a read is kept only when its files had not changed for
`SETTLED_NS` before it: a file saved a moment ago is read again at each rebuild until then (it is the one just
edited, which the watcher reports anyway), and a file kept by its stamp cannot have been written since.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Any

Stamp = tuple[int, int, int, int, int]

# The coarsest clock of the file systems a checkout lives on (FAT: 2 s; ext4, tmpfs: a kernel tick, <= 10 ms).
SETTLED_NS = 2_000_000_000


class ReadMemo:
    """Values read from files, each by a key and the inputs it was read from (the files' stamps among them).

    A read runs between `begin` and `end`; what it reuses or keeps is what the next one can reuse, so a deleted file
    or an old configuration is forgotten by the next complete read."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[object, Any]] = {}
        self._next: dict[str, tuple[object, Any]] = {}
        self._named: set[str] = set()
        self._under: tuple[str, ...] = ()
        self._now = 0

    def begin(self, named: Iterable[str] = ()) -> None:
        """A read starts; NAMED (absolute paths of files or folders) are what the file watcher reports changed: they
        are read again, and so is every file under a named folder."""
        self._named.update(named)
        self._under = tuple(path.rstrip(os.sep) + os.sep for path in self._named)
        self._next = {}
        self._now = time.time_ns()  # before any stat of the read

    def end(self) -> None:
        """The read is complete: the reports it answered are done with, and what it did not use is forgotten."""
        self._kept, self._next = self._next, {}
        self._named.clear()
        self._under = ()

    def stamp(self, path: str, st: os.stat_result | None = None) -> Stamp | None:
        """PATH's stamp (from ST, its `stat`, when given), or None when a read of it may not be kept: the watcher
        named it, it changed within SETTLED_NS of this read, or it cannot be looked at."""
        if path in self._named or path.startswith(self._under):
            return None
        if st is None:
            try:
                st = os.stat(path)
            except OSError:
                return None
        if max(st.st_mtime_ns, st.st_ctime_ns) > self._now - SETTLED_NS:
            return None
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def reuse(self, key: str, stamps: tuple[Stamp | None, ...], inputs: object = None) -> Any:
        """What was kept for KEY when it was read from files of these STAMPS and from equal INPUTS, else None."""
        kept = self._kept.get(key)
        if kept is None or kept[0] != (stamps, inputs):
            return None
        self._next[key] = kept
        return kept[1]

    def keep(self, key: str, stamps: tuple[Stamp | None, ...], inputs: object, value: Any) -> None:
        """VALUE, read for KEY from files of these STAMPS and from INPUTS; nothing is kept when a stamp is None."""
        if all(stamp is not None for stamp in stamps):
            self._next[key] = ((stamps, inputs), value)
