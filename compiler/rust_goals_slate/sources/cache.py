"""slate's per-user cache folder, for what does not change from one build to the next: compiled templates
(`render.template_cache`). Never the slate's own sources, nor the team data (docs/decisions.md, "Team data: one
fast path").

The folder is `$XDG_CACHE_HOME/slate`, else `~/.cache/slate`; `SLATE_NO_CACHE=1` turns every cache off (nothing is
read or written). An entry is found by a key that covers everything its value was computed from, so a build gives
the same bytes with or without the cache; an entry that cannot be read is a miss, a folder that cannot be created
(or that another user could write to: loading an entry runs code from it) means no cache. Deleting the folder is
always safe.
"""

from __future__ import annotations

import os
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
