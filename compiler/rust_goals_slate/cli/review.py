"""The review-workflow commands of the CLI: `fcp`, `diff`, `team`, `champions` and `watch`.

Part of the command line (registered by `cli.main`): this module parses their arguments, calls one function
of the stage modules, prints, and returns the exit code. The stage modules never print.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rust_goals_slate.cli.options import output_folder, template_folder
from rust_goals_slate.errors import Diagnostic, UsageError
from rust_goals_slate.model import Slate
from rust_goals_slate.resources import DISTRIBUTION

if TYPE_CHECKING:
    from rust_goals_slate.pipeline.watch import Rebuild


def add_review_commands(sub: argparse._SubParsersAction[Any]) -> None:
    fcp = sub.add_parser("fcp", help="the FCP checkbox comment: leads required, members optional, per team with asks")
    _source(fcp)
    fcp.add_argument("--max-mentions", type=int, default=50, help="@-mentions per comment (GitHub: 50)")

    diff = sub.add_parser("diff", help="goal-level changelog between two slates (two folders, or --rev A..B)")
    diff.add_argument("old", type=Path, help="the old period folder (with --rev: the period folder in the repository)")
    diff.add_argument("new", type=Path, nargs="?", help="the new period folder (with --rev: default, the same)")
    diff.add_argument("--rev", help="compare git revisions A..B of the repository holding OLD (A.. or A: the files)")
    diff.add_argument("--teams", type=Path, help="team data for both slates (default: each slate's own)")
    diff.add_argument("--format", dest="diff_format", choices=("md", "json"), default="md", help="md (default) or json")

    team = sub.add_parser("team", help="a team's review document: its goals, roadmaps, champions, per-goal details")
    team.add_argument("name", help="the team key, e.g. lang")
    _newest_source(team)
    team.add_argument("--format", dest="team_format", choices=("md", "json"), default="md", help="md (default) or json")

    champions = sub.add_parser("champions", help="who champions what: one row per goal, one column per team")
    _newest_source(champions)
    champions.add_argument("--format", dest="champions_format", choices=("md", "csv"), default="md", help="md or csv")

    watch = sub.add_parser("watch", help="rebuild build/rfc.md and pr-body.md on every save, with the time it took")
    _source(watch)
    watch.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")
    watch.add_argument("--site-url", default="https://rust-lang.github.io/goals/", help="base URL of the goals site")
    watch.add_argument("--templates", type=template_folder, help="folder of *.md.j2 templates overriding built-in ones")
    watch.add_argument(
        "--goals-repo", help="OWNER/NAME of the goals repository (default: book.toml's git-repository-url)"
    )
    watch.add_argument("--quiet", action="store_true", help="print errors only")
    watch.add_argument("--readme", type=Path, help="a README skeleton to use instead of SRC/README.md")
    watch.add_argument("--strict", action="store_true", help="treat warnings as errors: write nothing while any remain")


def _source(p: argparse.ArgumentParser, name: str = "src") -> None:
    p.add_argument(name, type=Path, help="the period folder (goals/src/2027), or an input root with one period")
    p.add_argument("--teams", type=Path, help="a rust-lang/team checkout or a teams.yaml")
    p.add_argument("--config", type=Path, help="rust-project-goals.toml to use instead of the one found")


def _newest_source(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "src",
        type=Path,
        nargs="?",
        help="a period folder, or a goals repository (its newest period); default: the newest period of the "
        "repository holding the current folder",
    )
    p.add_argument("--teams", type=Path, help="a rust-lang/team checkout or a teams.yaml")
    p.add_argument("--config", type=Path, help="rust-project-goals.toml to use instead of the one found")


def newest_period(path: Path | None) -> Path:
    """SRC for commands that default to the latest period, as the goals repository's tool does.

    No SRC: the newest period of the repository found from the current folder up. A repository root (or its
    src/): its newest period. Anything else: as `period_folder`.
    """
    from rust_goals_slate.sources.discover import find_repository, period_folders

    if path is None:
        repo = find_repository(Path.cwd())
        if repo is None:
            raise UsageError(
                f"no goals repository (a src/ folder with period folders) at or above {Path.cwd()}; give SRC"
            )
        return period_folders(repo)[-1]
    if (path / "src").is_dir() or path.name == "src":
        periods = period_folders(path)
        if periods:
            return periods[-1]
    return period_folder(path)


def period_folder(path: Path) -> Path:
    """SRC as given, or its one period when SRC is an input root (or its src/ folder) holding exactly one."""
    from rust_goals_slate.sources.discover import periods_of

    if not path.is_dir():
        raise UsageError(f"{path}: not a folder (SRC is a period folder such as goals/src/2027)")
    periods = periods_of(path)
    if periods is None:
        return path
    if len(periods) != 1:
        names = ", ".join(p.name for p in periods) or "none"
        raise UsageError(f"{path} is an input root; name its period folder (periods under src/: {names})")
    return periods[0]


def run_review_command(args: argparse.Namespace) -> int | None:
    """Run the command if it is one of ours; None otherwise."""
    if args.command == "fcp":
        return _fcp(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "team":
        return _team(args)
    if args.command == "champions":
        return _champions(args)
    if args.command == "watch":
        return _watch(args)
    return None


def _fcp(args: argparse.Namespace) -> int:
    from rust_goals_slate.pipeline.build import Request, read_slate
    from rust_goals_slate.render.rfc import template_env
    from rust_goals_slate.review.fcp import fcp_comments, team_sections

    slate, problems = read_slate(Request(src=period_folder(args.src), teams=args.teams, config=args.config))
    _report_errors(args.src, problems)
    for section in team_sections(slate):
        if section.archived:
            moved = f"; its work moved to '{section.successor}'" if section.successor else ""
            print(f"slate fcp: team '{section.key}' is archived, so nobody is listed for it{moved}", file=sys.stderr)
    comments = fcp_comments(slate, template_env(), limit=args.max_mentions)
    sys.stdout.write("\n<!-- slate fcp: post as a separate comment -->\n\n".join(comments))
    if len(comments) > 1:
        print(f"slate fcp: {len(comments)} comments (at most {args.max_mentions} @-mentions each)", file=sys.stderr)
    return 0


def _diff(args: argparse.Namespace) -> int:
    import tempfile

    from rust_goals_slate.review.diff import diff_slates, to_json, to_markdown

    if args.rev is None:
        if args.new is None:
            raise UsageError("slate diff: give two period folders, OLD and NEW, or one folder and --rev A..B")
        old_src, new_src = period_folder(args.old), period_folder(args.new)
        old, new = _parsed(old_src, args.teams), _parsed(new_src, args.teams)
    else:
        from rust_goals_slate.review.revisions import checkout, parse_range

        old_rev, new_rev = parse_range(args.rev)
        with tempfile.TemporaryDirectory(prefix="slate-diff-") as tmp:
            old_src = checkout(args.old, old_rev, Path(tmp) / "old")
            new_path = args.new or args.old
            new_src = checkout(new_path, new_rev, Path(tmp) / "new") if new_rev else period_folder(new_path)
            old, new = _parsed(old_src, args.teams, args.old), _parsed(new_src, args.teams, new_path)
    diff = diff_slates(old, new)
    sys.stdout.write(to_json(diff) if args.diff_format == "json" else to_markdown(diff))
    return 0


def _parsed(src: Path, teams: Path | None, worktree: Path | None = None) -> Slate:
    """The parsed slate; team data from --teams, else beside the slate, else (for a revision) the working tree's."""
    from rust_goals_slate.pipeline.build import Request, find_teams, read_slate
    from rust_goals_slate.sources.discover import find_root

    if teams is None:
        try:
            teams = find_teams(src, find_root(Path(os.path.abspath(src)))[0])
        except UsageError:
            if worktree is None:
                raise
            teams = find_teams(worktree, find_root(Path(os.path.abspath(worktree)))[0])
    slate, problems = read_slate(Request(src=src, teams=teams))
    _report_errors(worktree or src, problems)
    return slate


def _report_errors(src: Path, problems: list[Diagnostic]) -> None:
    errors = sum(1 for d in problems if d.is_error)
    if errors:
        print(f"slate: {src}: {errors} error(s) in the slate; `slate check` lists them", file=sys.stderr)


def _team(args: argparse.Namespace) -> int:
    from rust_goals_slate.pipeline.build import Request, read_slate
    from rust_goals_slate.render.rfc import template_env
    from rust_goals_slate.review.team_report import team_report, team_report_json

    src = newest_period(args.src)
    slate, problems = read_slate(Request(src=src, teams=args.teams, config=args.config))
    _report_errors(src, problems)
    if args.team_format == "json":
        sys.stdout.write(team_report_json(slate, args.name, template_env()))
    else:
        sys.stdout.write(team_report(slate, args.name, template_env()))
    return 0


def _champions(args: argparse.Namespace) -> int:
    from rust_goals_slate.pipeline.build import Request, read_slate
    from rust_goals_slate.render.rfc import template_env
    from rust_goals_slate.review.champions_table import champions_csv, champions_markdown

    src = newest_period(args.src)
    slate, problems = read_slate(Request(src=src, teams=args.teams, config=args.config))
    _report_errors(src, problems)
    if args.champions_format == "csv":
        sys.stdout.write(champions_csv(slate))
    else:
        sys.stdout.write(champions_markdown(slate, template_env()))
    return 0


def _watch(args: argparse.Namespace) -> int:
    from rust_goals_slate.cli.main import goals_repo
    from rust_goals_slate.model import Options
    from rust_goals_slate.pipeline.build import Request
    from rust_goals_slate.pipeline.watch import Watcher, run

    try:
        importlib.import_module("watchfiles")  # the `watch` extra: checked before anything is built
    except ImportError:
        raise UsageError(
            f"slate watch needs the watch extra: pip install '{DISTRIBUTION}[watch]' "
            f"(pipx: pipx inject {DISTRIBUTION} watchfiles)"
        ) from None
    output_folder(args.out)
    request = Request(
        src=period_folder(args.src),
        teams=args.teams,
        config=args.config,
        out=args.out,
        templates=args.templates,
        options=Options(site_url=args.site_url, goals_repo=goals_repo(args.goals_repo)),
        readme=args.readme,
        strict=args.strict,
    )
    watcher = Watcher(request)
    print(f"slate watch: {request.src} -> {request.out}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    run(watcher, lambda rebuild: print_rebuild(rebuild, quiet=args.quiet))
    return 0


def print_rebuild(rebuild: Rebuild, quiet: bool = False) -> None:
    """One rebuild: the summary line first (with the time), then its problems."""
    stamp = time.strftime("%H:%M:%S")
    if rebuild.failure is not None:
        print(f"[{stamp}] rebuild failed: {rebuild.failure}", file=sys.stderr, flush=True)
        return
    parsed = f"{len(rebuild.reparsed)} file{'s' if len(rebuild.reparsed) != 1 else ''} parsed"
    outcome = "wrote " + ", ".join(p.name for p in rebuild.written) if rebuild.written else "nothing written"
    print(
        f"[{stamp}] rebuilt in {rebuild.seconds * 1000:.1f} ms ({parsed}): {rebuild.errors} error(s), "
        f"{rebuild.warnings} warning(s); {outcome}",
        flush=True,
    )
    for d in rebuild.diagnostics:
        if d.is_error or not quiet:
            print(d.format(), file=sys.stderr)
    sys.stderr.flush()
