"""`slate watch`: rebuild on every save, re-parsing only the files whose content changed.

`Watcher.rebuild(changed)` is one rebuild step, usable without the file watcher (tests, the benchmark): it runs the
build's own pipeline (`pipeline.build.compile_slate`, so every option of `slate build` means the same here) with a
`ReadMemo`, which reads again only the files (and the configuration) that the watcher names or whose stamp changed,
and a `ParseMemo`, which re-parses only the files whose text differs from the last rebuild (path and content hash),
and writes rfc.md and pr-body.md like `slate build`. Team data is loaded once and again only when a changed path lies
inside it; a changed configuration drops the parsed goals (they depend on the ask kinds).

`run` is the loop around it (watchfiles is imported only there); it hands each `Rebuild` to a callback, so the
CLI does all the printing.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from rust_goals_slate.errors import Diagnostic, SlateError
from rust_goals_slate.model import Slate, TeamRegistry
from rust_goals_slate.parse.memo import ParseMemo
from rust_goals_slate.pipeline.build import Request, compile_slate, markdown_outputs
from rust_goals_slate.pipeline.write import write_outputs
from rust_goals_slate.records import record
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.sources.discover import find_root
from rust_goals_slate.sources.memo import ReadMemo
from rust_goals_slate.sources.teams import load_teams
from rust_goals_slate.validate.memo import RuleMemo, same_objects


@record
class Rebuild:
    seconds: float
    changed: tuple[str, ...]  # files (relative to the input root) whose content differs from the last rebuild
    reparsed: tuple[str, ...]  # files whose Markdown was parsed in this rebuild (the first time: all not in the cache)
    diagnostics: list[Diagnostic]
    text: str  # the RFC
    slate: Slate | None = None
    written: tuple[Path, ...] = ()  # nothing when there are errors
    failure: str | None = None  # a condition that stopped the rebuild (missing folder, unreadable team data)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if not d.is_error)


@dataclass
class Watcher:
    request: Request
    write: bool = True
    # what a rebuild parses goes to the cache folder after rfc.md is written (`flush`): pickling it is not the save's
    _memo: ParseMemo = field(default_factory=lambda: ParseMemo(write_later=True))
    rules: RuleMemo = field(default_factory=RuleMemo)  # validate's per-file and per-goal results
    # the render's directive expansions (render/pieces.py), whose inputs are compared by identity
    pieces: RuleMemo = field(default_factory=lambda: RuleMemo(same_objects))
    # the PR body's table rows and team lines (review/pr_body.py), compared by identity too
    pr_body: RuleMemo = field(default_factory=lambda: RuleMemo(same_objects))
    # the files' texts and the configuration, kept while their files are unchanged (sources/memo.py)
    _reads: ReadMemo = field(default_factory=ReadMemo)
    _teams: TeamRegistry | None = None
    _teams_path: Path | None = None
    _env: jinja2.Environment | None = None
    _written: dict[Path, str] = field(default_factory=dict)  # each output as last written

    def rebuild(self, changed_paths: Iterable[Path | str] = ()) -> Rebuild:
        """One rebuild; `changed_paths` (absolute or relative to the cwd; what the file watcher reports) are read
        again whatever their stamp (sources/memo.py), and decide whether to reload team data.

        The cyclic garbage collector does not run during a rebuild (a pass over the objects that are still alive
        would come at a random point of it): the loop collects after reporting, while it waits for the next save."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._rebuild(changed_paths)
        finally:
            self._memo.flush()  # the parsed files to the cache folder, once rfc.md is written
            if collecting:
                gc.enable()

    def _rebuild(self, changed_paths: Iterable[Path | str]) -> Rebuild:
        start = time.perf_counter()
        changed = [Path(os.path.abspath(p)) for p in changed_paths]
        if self._env is None:
            self._env = template_env(self.request.templates)
        self._reads.begin(str(p) for p in changed)
        result = compile_slate(
            self.request,
            self._memo,
            lambda path: self._load_teams(path, changed),
            self._env,
            self.rules,
            self.pieces,
            self._reads,
        )
        self._reads.end()  # not reached when the rebuild fails: the next one reads again what this one was told
        written: tuple[Path, ...] = ()
        if self.write and not result.fails(self.request.strict):
            outputs = [
                (path, text)
                for path, text in markdown_outputs(self.request, result, self._env, self.pr_body)
                # rfc.md always: a save is answered by a new rfc.md; most edits leave the PR body as it was
                if path.name == "rfc.md" or self._written.get(path) != text or not path.exists()
            ]
            # not flushed to disk (fsync): the next save writes them again, and a crash can lose only a preview
            write_outputs(outputs, durable=False)
            for path, text in outputs:
                self._written[path] = text
                written += (path,)
        memo = self._memo
        return Rebuild(
            time.perf_counter() - start, memo.changed, memo.reparsed, result.diagnostics, result.text, result.slate,
            written,
        )  # fmt: skip

    def watched(self) -> list[Path]:
        """What the loop watches: the period folder, the configuration files, the team data."""
        src = Path(os.path.abspath(self.request.src))
        root, book, goals_toml = find_root(src)
        policy = root / "slate.toml" if (root / "slate.toml").is_file() else None  # sources/severity.py
        configs = (book, goals_toml, policy, self.request.config, self.request.readme)
        paths = [src, *(p for p in configs if p is not None)]
        if self._teams_path is not None:
            paths.append(self._teams_path)
        return sorted({Path(os.path.abspath(p)) for p in paths})

    def _load_teams(self, given: Path, changed: list[Path]) -> TeamRegistry:
        path = Path(os.path.abspath(given))
        if self._teams is None or path != self._teams_path or any(p.is_relative_to(path) for p in changed):
            self._teams, self._teams_path = load_teams(path), path
        return self._teams


# --------------------------------------------------------------------------------------------------------------
# the loop


def run(watcher: Watcher, report: Callable[[Rebuild], None], stop: Any = None) -> None:
    """Build once, then rebuild after every batch of saves until interrupted (or `stop`, a threading.Event, is set)."""
    import watchfiles

    report(_safe(watcher, ()))
    out = Path(os.path.abspath(watcher.request.out))

    def relevant(_change: Any, path: str) -> bool:
        if not path.endswith((".md", ".toml", ".yaml", ".yml")) or "/." in path.replace(os.sep, "/"):
            return False
        return not Path(path).is_relative_to(out)  # our own outputs never trigger a rebuild

    # What the first build leaves alive (imports, templates, the team data, the parsed files) stays alive: moved out
    # of the collector's sight, a collection after a rebuild takes 0.2 ms instead of 13-28 ms on the 2026 corpus.
    # Objects are still freed when their last reference goes; only a cycle among them would outlive its use.
    gc.collect()
    gc.freeze()
    try:
        # watchfiles wakes every `step` ms and hands over what changed once a wake finds no change it had not seen (the
        # same kind of change to the same file counts once): a save (truncate and write, or write a copy and rename)
        # takes well under a millisecond, so it comes as one batch; a rebuild that read a half-written file would be
        # followed by another anyway, since the watcher keeps collecting while we rebuild. So: 1.5 steps of latency on
        # average; 3 ms costs about 1% of a core while idle (10 ms: 0.4%, and 15 ms of the 30 ms a save may take).
        # `debounce` bounds a burst that keeps changing files (a checkout): a rebuild at least every 50 ms of it.
        watch = watchfiles.watch(*watcher.watched(), watch_filter=relevant, stop_event=stop, debounce=50, step=3)
        for changes in watch:
            report(_safe(watcher, [Path(p) for _, p in changes]))
            gc.collect()  # what the rebuild left for the collector (see Watcher.rebuild), while nothing is waiting
    finally:
        gc.unfreeze()  # a caller that goes on (a test) gets its collector back as it was


def _safe(watcher: Watcher, changed: Iterable[Path]) -> Rebuild:
    start = time.perf_counter()
    try:
        return watcher.rebuild(changed)
    except SlateError as exc:
        return Rebuild(time.perf_counter() - start, (), (), [], "", failure=str(exc))
