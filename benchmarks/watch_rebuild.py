"""One `slate watch` rebuild step, timed: the benchmark's entry point into the watch stage (`benchmarks/run.py`).

Usage: python benchmarks/watch_rebuild.py SRC TEAMS REPEAT  (prints the seconds of the best rebuild)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from rust_goals_slate.errors import InputError
from rust_goals_slate.pipeline.build import Request, find_teams
from rust_goals_slate.pipeline.watch import Watcher
from rust_goals_slate.sources.discover import find_root


def time_one_file_rebuild(src: Path, teams: Path | None = None, repeat: int = 5) -> float:
    """Seconds (best of `repeat`) to rebuild after one goal file's title changes, in a temporary copy of the input
    root."""
    src = Path(os.path.abspath(src))
    root = find_root(src)[0]
    teams = Path(os.path.abspath(teams or find_teams(src, root)))
    with tempfile.TemporaryDirectory(prefix="slate-watch-") as tmp:
        copy = Path(tmp) / "root"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git", "build"))
        if teams.is_relative_to(root):
            teams = copy / teams.relative_to(root)
        watcher = Watcher(Request(src=copy / src.relative_to(root), teams=teams, out=Path(tmp) / "out"))
        first = watcher.rebuild()
        if first.slate is None or not first.slate.goals:
            raise InputError(f"{src}: no goal files to edit")
        goal = copy / first.slate.goals[0].path
        original = goal.read_text(encoding="utf-8")
        best = float("inf")
        for n in range(repeat):
            # the edit of row 5's running `slate watch`: text appended to the title line (the RFC changes)
            goal.write_text(original.replace("\n", f" (edit {n})\n", 1), encoding="utf-8")
            best = min(best, watcher.rebuild([goal]).seconds)
        return best


if __name__ == "__main__":
    print(time_one_file_rebuild(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
