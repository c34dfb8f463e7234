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

from rust_goals_slate.cli.options import (
    SRC_HELP,
    existing_file,
    output_file,
    output_folder,
    outside_sources,
    positive_int,
    site_url,
    team_data,
    template_folder,
)
from rust_goals_slate.cli.usage import add_out_file, add_quiet, add_severity, command, resolve_src, say_periods
from rust_goals_slate.errors import Diagnostic, UsageError
from rust_goals_slate.model import Slate
from rust_goals_slate.model.repository_format import SITE_URL
from rust_goals_slate.resources import DISTRIBUTION

if TYPE_CHECKING:
    from rust_goals_slate.pipeline.watch import Rebuild


def add_review_commands(sub: argparse._SubParsersAction[Any]) -> None:
    fcp = command(
        sub,
        "fcp",
        "the FCP checkbox comment: leads required, members optional, per team with asks",
        ["slate fcp --teams ../team             # the newest period of the repository you are in",
         "slate fcp src/2026 --teams teams.yaml -o fcp.md"],
    )  # fmt: skip
    _source(fcp)
    fcp.add_argument(
        "--max-mentions", type=positive_int, default=50, metavar="N", help="@-mentions per comment (GitHub: 50)"
    )
    add_quiet(fcp, "print the comment only, no notes on stderr")
    add_out_file(fcp)

    diff = command(
        sub,
        "diff",
        "goal-level changelog between two slates (two folders, or --rev A..B)",
        ["slate diff old/src/2026 src/2026", "slate diff --rev main..HEAD src/2026 --format json"],
    )
    diff.add_argument(
        "old", type=Path, nargs="?", metavar="OLD", help="the old period folder (with --rev: SRC, the period folder)"
    )
    diff.add_argument(
        "new", type=Path, nargs="?", metavar="NEW", help="the new period folder (with --rev: default, the same)"
    )
    diff.add_argument(
        "--rev", metavar="A..B", help="compare git revisions A..B of the repository holding OLD (A.. or A: the files)"
    )
    diff.add_argument(
        "--teams", type=team_data, metavar="PATH", help="team data for both slates (default: each slate's own)"
    )
    diff.add_argument("--format", dest="diff_format", choices=("md", "json"), default="md", help="md (default) or json")
    add_quiet(diff, "print the changelog only, no notes on stderr")
    add_out_file(diff)

    team = command(
        sub,
        "team",
        "a team's review document: its goals, roadmaps, champions, per-goal details",
        ["slate team lang                       # the newest period of the repository you are in",
         "slate team compiler src/2026 --format json -o compiler.json"],
    )  # fmt: skip
    team.add_argument("name", metavar="TEAM", help="the team key, e.g. lang")
    _source(team)
    team.add_argument("--format", dest="team_format", choices=("md", "json"), default="md", help="md (default) or json")
    add_quiet(team, "print the document only, no notes on stderr")
    add_out_file(team)

    champions = command(
        sub,
        "champions",
        "who champions what: one row per goal, one column per team",
        ["slate champions", "slate champions src/2026 --format csv -o champions.csv"],
    )
    _source(champions)
    champions.add_argument(
        "--format", dest="champions_format", choices=("md", "csv"), default="md", help="md (default) or csv"
    )
    add_quiet(champions, "print the table only, no notes on stderr")
    add_out_file(champions)

    watch = command(
        sub,
        "watch",
        "rebuild build/rfc.md and pr-body.md on every save, with the time it took",
        ["slate watch                           # the newest period of the repository you are in",
         "slate watch src/2026 --teams ../team -o build/"],
    )  # fmt: skip
    _source(watch)
    watch.add_argument(
        "-o", "--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: build/)"
    )
    watch.add_argument(
        "--site-url",
        type=site_url,
        metavar="URL",
        help=f"base URL of the goals site, http or https (default: book.toml's cname or site-url, else {SITE_URL})",
    )
    watch.add_argument(
        "--templates", type=template_folder, metavar="DIR", help="folder of *.md.j2 templates overriding built-in ones"
    )
    watch.add_argument(
        "--goals-repo", metavar="OWNER/NAME", help="the goals repository (default: book.toml's git-repository-url)"
    )
    add_quiet(watch, "print errors and the summary line only")
    watch.add_argument(
        "--readme", type=existing_file, metavar="FILE", help="a README skeleton to use instead of SRC/README.md"
    )
    watch.add_argument("--strict", action="store_true", help="treat warnings as errors: write nothing while any remain")
    add_severity(watch)


def _source(p: argparse.ArgumentParser) -> None:
    p.add_argument("src", type=Path, nargs="?", metavar="SRC", help=SRC_HELP)
    p.add_argument("--teams", type=team_data, metavar="PATH", help="a rust-lang/team checkout or a teams.yaml")
    p.add_argument(
        "--config", type=existing_file, metavar="FILE", help="rust-project-goals.toml to use instead of the one found"
    )


def period_of(args: argparse.Namespace) -> Path:
    """The period folder the command reads, by the one rule for SRC (`usage.resolve_src`), said on stderr."""
    periods = resolve_src(args.src)
    say_periods(args.command, periods, args.quiet)
    return periods.folders[0]


def emit(args: argparse.Namespace, text: str) -> None:
    """The command's document: to -o/--out FILE (atomically), else to standard output."""
    if args.out is None or str(args.out) == "-":
        sys.stdout.write(text)
        return
    from rust_goals_slate.pipeline.write import write_atomic

    write_atomic(args.out, text)
    if not args.quiet:
        print(f"wrote {args.out}", file=sys.stderr)


def check_out(args: argparse.Namespace) -> None:
    """-o/--out FILE of a printing command: checked before anything is read."""
    if args.out is not None:
        output_file(args.out, "--out")


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

    check_out(args)
    src = period_of(args)
    slate, problems = read_slate(Request(src=src, teams=args.teams, config=args.config))
    _report_errors(src, problems)
    for section in team_sections(slate) if not args.quiet else []:
        if section.archived:
            moved = f"; its work moved to '{section.successor}'" if section.successor else ""
            print(f"slate fcp: team '{section.key}' is archived, so nobody is listed for it{moved}", file=sys.stderr)
        for old, goals in section.inherited:
            print(
                f"slate fcp: team '{old}' is archived; its {len(goals)} ask(s) are listed under '{section.key}', "
                "which took over its work",
                file=sys.stderr,
            )
    comments = fcp_comments(slate, template_env(), limit=args.max_mentions)
    emit(args, "\n<!-- slate fcp: post as a separate comment -->\n\n".join(comments))
    if len(comments) > 1 and not args.quiet:
        print(f"slate fcp: {len(comments)} comments (at most {args.max_mentions} @-mentions each)", file=sys.stderr)
    return 0


def _diff(args: argparse.Namespace) -> int:
    import tempfile

    from rust_goals_slate.review.diff import diff_slates, to_json, to_markdown

    check_out(args)
    if args.rev is None:
        if args.old is None or args.new is None:
            raise UsageError("slate diff: give two period folders, OLD and NEW, or one folder and --rev A..B")
        old_src, new_src = resolve_src(args.old).folders[0], resolve_src(args.new).folders[0]
        old, new = _parsed(old_src, args.teams), _parsed(new_src, args.teams)
    else:
        from rust_goals_slate.review.revisions import checkout, parse_range

        old_rev, new_rev = parse_range(args.rev)
        old_path = resolve_src(args.old).folders[0]
        with tempfile.TemporaryDirectory(prefix="slate-diff-") as tmp:
            old_src = checkout(old_path, old_rev, Path(tmp) / "old")
            new_path = resolve_src(args.new).folders[0] if args.new is not None else old_path
            new_src = checkout(new_path, new_rev, Path(tmp) / "new") if new_rev else new_path
            old, new = _parsed(old_src, args.teams, old_path), _parsed(new_src, args.teams, new_path)
    diff = diff_slates(old, new)
    emit(args, to_json(diff) if args.diff_format == "json" else to_markdown(diff))
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

    check_out(args)
    src = period_of(args)
    slate, problems = read_slate(Request(src=src, teams=args.teams, config=args.config))
    _report_errors(src, problems)
    team = slate.teams.team(args.name)
    if team is not None and team.archived and not args.quiet:
        moved = f"; its work moved to '{team.successor}'" if team.successor else ""
        print(f"slate team: team '{team.key}' is archived{moved}", file=sys.stderr)
    if args.team_format == "json":
        emit(args, team_report_json(slate, args.name, template_env()))
    else:
        emit(args, team_report(slate, args.name, template_env()))
    return 0


def _champions(args: argparse.Namespace) -> int:
    from rust_goals_slate.pipeline.build import Request, read_slate
    from rust_goals_slate.render.rfc import template_env
    from rust_goals_slate.review.champions_table import champions_csv, champions_markdown

    check_out(args)
    src = period_of(args)
    slate, problems = read_slate(Request(src=src, teams=args.teams, config=args.config))
    _report_errors(src, problems)
    if args.champions_format == "csv":
        emit(args, champions_csv(slate))
    else:
        emit(args, champions_markdown(slate, template_env()))
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
    src = period_of(args)
    output_folder(args.out)
    outside_sources(args.out, src)
    request = Request(
        src=src,
        teams=args.teams,
        config=args.config,
        out=args.out,
        templates=args.templates,
        options=Options(site_url=args.site_url, goals_repo=goals_repo(args.goals_repo)),
        readme=args.readme,
        strict=args.strict,
        severity=tuple(args.severity),
    )
    watcher = Watcher(request)
    print(f"slate watch: {request.src} -> {request.out}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    run(watcher, RebuildReport(quiet=args.quiet, src=src, readme=args.readme))
    return 0


class RebuildReport:
    """What `slate watch` prints after each rebuild: the problems that appeared (in full) and those that were fixed
    since the last rebuild (one line each), then one line with the counts as `slate build` gives them.

    A problem is the same across rebuilds when its file, code, message and hint are: an edit above it moves its line,
    which is no news."""

    def __init__(self, quiet: bool = False, src: Path | None = None, readme: Path | None = None) -> None:
        self.quiet = quiet
        self.src, self.readme = src, readme  # for paths relative to the current folder
        self.last: dict[tuple[str, str, str, str], Diagnostic] | None = None

    def __call__(self, rebuild: Rebuild) -> None:
        from rust_goals_slate.cli.check import from_here, summary

        stamp = time.strftime("%H:%M:%S")
        if rebuild.failure is not None:
            print(f"[{stamp}] rebuild failed: {rebuild.failure}", file=sys.stderr, flush=True)
            return
        shown = [d for d in rebuild.diagnostics if d.is_error or not self.quiet]
        now = {(d.location.path, d.code, d.message, d.hint or ""): d for d in shown}
        before = self.last if self.last is not None else {}
        appeared = [d for key, d in now.items() if key not in before]
        fixed = [d for key, d in before.items() if key not in now]
        if self.src is not None:
            appeared, fixed = from_here(appeared, self.src, self.readme), from_here(fixed, self.src, self.readme)
        for d in appeared:
            print(d.format(), file=sys.stderr)
        for d in fixed:
            print(f"fixed: {d.format(show_source=False).splitlines()[0]}", file=sys.stderr)
        sys.stderr.flush()
        change = f" ({len(appeared)} new, {len(fixed)} fixed)" if self.last is not None else ""
        self.last = now
        parsed = f"{len(rebuild.reparsed)} file{'s' if len(rebuild.reparsed) != 1 else ''} parsed"
        outcome = "wrote " + ", ".join(p.name for p in rebuild.written) if rebuild.written else "nothing written"
        print(
            f"[{stamp}] slate watch: {summary(rebuild.diagnostics)}{change}; {outcome}; "
            f"rebuilt in {rebuild.seconds * 1000:.1f} ms ({parsed})",
            flush=True,
        )
