"""`slate watch`: rebuild on every save, re-parsing only the files whose content changed.

`Watcher.rebuild(changed)` is one rebuild step, usable without the file watcher (tests, the benchmark): it reads
the period folder again (cheap), re-parses only the files whose text differs from the cached version (cache key:
path and content hash), then validates and renders the whole slate and writes rfc.md and pr-body.md like
`slate build`. Team data is loaded once and again only when a changed path lies inside it; the configuration is
read every time, and a changed configuration drops the parsed goals (they depend on the ask kinds).

`run` is the loop around it (watchfiles is imported only there); it hands each `Rebuild` to a callback, so the
CLI does all the printing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from rust_goals_slate.errors import Diagnostic, InputError, SlateError
from rust_goals_slate.model import Area, Config, Document, Goal, Roadmap, Slate, TeamRegistry, theme_key
from rust_goals_slate.parse.inline import title_key
from rust_goals_slate.parse.markdown import parse_document
from rust_goals_slate.parse.slate import collect_areas, parse_area, parse_goal, parse_roadmap
from rust_goals_slate.pipeline.build import Request, find_teams, merge_diagnostics
from rust_goals_slate.pipeline.write import write_atomic
from rust_goals_slate.render.pr_body import render_pr_body
from rust_goals_slate.render.rfc import render_rfc, template_env
from rust_goals_slate.sources.config import load_config
from rust_goals_slate.sources.discover import SourceTree, find_root, read_tree
from rust_goals_slate.sources.teams import load_teams
from rust_goals_slate.validate.slate import validate

Item = Goal | Roadmap | Area | None


@dataclass(frozen=True)
class Rebuild:
    seconds: float
    changed: tuple[str, ...]  # files (relative to the input root) whose content differs from the last rebuild
    reparsed: tuple[str, ...]  # files whose Markdown was parsed in this rebuild (all of them the first time)
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
    root: Path | None = None  # the input root, known after the first rebuild
    _documents: dict[str, tuple[str, Document]] = field(default_factory=dict)  # path -> (digest, parsed Markdown)
    _items: dict[str, tuple[str, Item, tuple[Diagnostic, ...]]] = field(default_factory=dict)  # path -> (digest, ...)
    _config: Config | None = None
    _teams: TeamRegistry | None = None
    _teams_path: Path | None = None
    _env: jinja2.Environment | None = None
    _pr_body: str | None = None  # as last written

    def rebuild(self, changed_paths: Iterable[Path | str] = ()) -> Rebuild:
        """One rebuild; `changed_paths` (absolute or relative to the cwd) only decide whether to reload team data."""
        start = time.perf_counter()
        tree, problems = read_tree(self.request.src, self.request.config)
        self.root = tree.root
        options = self.request.options
        config, config_problems = load_config(tree.root, tree.period, tree.book_toml, tree.goals_toml, options)
        if config != self._config:
            self._items.clear()  # goals are read with the ask kinds of the configuration
            self._config = config
        teams = self._load_teams(tree, [Path(os.path.abspath(p)) for p in changed_paths])
        slate, parse_problems, changed, reparsed = self._parse(tree, config, teams)
        rule_problems = validate(slate)
        if self._env is None:
            self._env = template_env(self.request.templates)
        text, render_problems = render_rfc(slate, self._env)
        diagnostics = merge_diagnostics(problems + config_problems + parse_problems + rule_problems + render_problems)
        written: tuple[Path, ...] = ()
        if self.write and not any(d.is_error for d in diagnostics):
            body = render_pr_body(slate, self._env).text
            rfc, pr_body = self.request.out / "rfc.md", self.request.out / "pr-body.md"
            write_atomic(rfc, text)  # always: a save is answered by a new rfc.md
            written = (rfc,)
            if body != self._pr_body or not pr_body.exists():  # most edits leave the PR body as it was
                write_atomic(pr_body, body)
                self._pr_body = body
                written += (pr_body,)
        return Rebuild(time.perf_counter() - start, changed, reparsed, diagnostics, text, slate, written)

    def watched(self) -> list[Path]:
        """What the loop watches: the period folder, the configuration files, the team data."""
        src = Path(os.path.abspath(self.request.src))
        _, book, goals_toml = find_root(src)
        paths = [src, *(p for p in (book, goals_toml, self.request.config) if p is not None)]
        if self._teams_path is not None:
            paths.append(self._teams_path)
        return sorted({Path(os.path.abspath(p)) for p in paths})

    def _load_teams(self, tree: SourceTree, changed: list[Path]) -> TeamRegistry:
        path = Path(os.path.abspath(self.request.teams or find_teams(self.request.src, tree.root)))
        if self._teams is None or path != self._teams_path or any(p.is_relative_to(path) for p in changed):
            self._teams, self._teams_path = load_teams(path), path
        return self._teams

    def _parse(
        self, tree: SourceTree, config: Config, teams: TeamRegistry
    ) -> tuple[Slate, list[Diagnostic], tuple[str, ...], tuple[str, ...]]:
        """`parse.parse_slate`, reusing each file's Document and goal/roadmap/area while its text is unchanged."""
        readme_path = f"{tree.src_dir}/README.md"
        documents: dict[str, tuple[str, Document]] = {}
        items: dict[str, tuple[str, Item, tuple[Diagnostic, ...]]] = {}
        changed: list[str] = []
        reparsed: list[str] = []
        for f in tree.files:
            digest = hashlib.blake2b(f.text.encode("utf-8"), digest_size=16).hexdigest()
            known = self._documents.get(f.path)
            if known is not None and known[0] == digest:
                documents[f.path] = known
            else:
                if self._documents:
                    changed.append(f.path)
                documents[f.path] = (digest, parse_document(f.path, f.text))
                reparsed.append(f.path)
            cached = self._items.get(f.path)
            if cached is not None and cached[0] == digest:
                items[f.path] = cached
                continue
            problems: list[Diagnostic] = []
            items[f.path] = (digest, _read(documents[f.path][1], readme_path, config, problems), tuple(problems))
        if self._documents:
            changed += sorted(set(self._documents) - set(documents))  # deleted files
        self._documents, self._items = documents, items
        found = [item for _, item, _ in items.values()]
        goals = sorted((i for i in found if isinstance(i, Goal)), key=lambda g: title_key(g.title, g.path))
        roadmaps = sorted(
            (i for i in found if isinstance(i, Roadmap)), key=lambda r: (theme_key(r.short_title), r.path)
        )
        slate = Slate(
            period=tree.period,
            src_dir=tree.src_dir,
            config=config,
            teams=teams,
            documents={path: doc for path, (_, doc) in documents.items()},
            readme=readme_path if readme_path in documents else None,
            goals=tuple(goals),
            roadmaps=tuple(roadmaps),
            areas=collect_areas(roadmaps, [i for i in found if isinstance(i, Area)]),
        )
        return slate, [d for _, _, ds in items.values() for d in ds], tuple(changed), tuple(reparsed)


def _read(doc: Document, readme_path: str, config: Config, problems: list[Diagnostic]) -> Item:
    """What one file holds, dispatched by name exactly as `parse.parse_slate` does."""
    name = doc.path.rsplit("/", 1)[-1]
    if doc.path == readme_path or name in ("README.md", "TEMPLATE.md"):
        return None
    if name.startswith("roadmap-"):
        return parse_roadmap(doc, problems)
    if name.startswith("area-"):
        return parse_area(doc, problems)
    return parse_goal(doc, config, problems)


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

    for changes in watchfiles.watch(*watcher.watched(), watch_filter=relevant, stop_event=stop, debounce=50, step=10):
        report(_safe(watcher, [Path(p) for _, p in changes]))


def _safe(watcher: Watcher, changed: Iterable[Path]) -> Rebuild:
    start = time.perf_counter()
    try:
        return watcher.rebuild(changed)
    except SlateError as exc:
        return Rebuild(time.perf_counter() - start, (), (), [], "", failure=str(exc))


# --------------------------------------------------------------------------------------------------------------
# the benchmark's entry point


def time_one_file_rebuild(src: Path, teams: Path | None = None, repeat: int = 5) -> float:
    """Seconds (best of `repeat`) to rebuild after one goal file changes, in a temporary copy of the input root."""
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
            goal.write_text(original + f"\nEdited for the benchmark ({n}).\n", encoding="utf-8")
            best = min(best, watcher.rebuild([goal]).seconds)
        return best
