"""The commands of the program manager's year beyond the RFC: `teams goal-owners`, `new-period`, `issues` and
`updates` (registered by `cli.main`). Each parses its arguments, reads what it needs, calls the pure functions of
`upkeep`, prints or writes, and returns the exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rust_goals_slate.cli.options import existing_file, output_file, start_date, team_data, template_folder
from rust_goals_slate.cli.usage import command, resolve_src, say_periods
from rust_goals_slate.errors import InputError, UsageError
from rust_goals_slate.sources.github_export import ISSUE_FIELDS

if TYPE_CHECKING:
    from rust_goals_slate.model import Slate
    from rust_goals_slate.upkeep.goal_owners import OwnersChange


def _command(sub: argparse._SubParsersAction[Any], name: str, summary: str, *examples: str) -> argparse.ArgumentParser:
    return command(sub, name, summary, examples)  # the conventions of docs/cli.md: help, examples, -V


def export_file(value: str) -> Path:
    """`--issues`, `--comments`: a file that exists (a typo in its name is a usage error, before anything is read)."""
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{value} {'is not a file' if path.exists() else 'does not exist'}")
    return path


def _quiet(p: argparse.ArgumentParser, what: str = "print nothing but errors on standard error") -> None:
    p.add_argument("-q", "--quiet", action="store_true", help=what)


def _period_source(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "src",
        type=Path,
        nargs="?",
        metavar="SRC",
        help="a period folder, or a goals repository (its newest period); default: the newest period of the "
        "repository holding the current folder",
    )
    p.add_argument("--teams", type=team_data, metavar="PATH", help="a rust-lang/team checkout or a teams.yaml")
    p.add_argument(
        "--config", type=existing_file, metavar="FILE", help="rust-project-goals.toml to use instead of the one found"
    )
    p.add_argument(
        "--templates", type=template_folder, metavar="DIR", help="folder of *.md.j2 templates overriding built-in ones"
    )


def period_src(args: argparse.Namespace) -> Path:
    """The period folder by the one rule for SRC (said on stderr when inferred); a period's name alone (`slate
    updates 2026`, as the goals tool's commands take it) names that period of the repository you are in."""
    periods = resolve_src(_period_name(args.src))
    say_periods(args.command, periods, args.quiet)
    return periods.folders[0]


def read_period(args: argparse.Namespace, src: Path) -> Slate:
    from rust_goals_slate.pipeline.build import Request, read_slate

    slate, problems = read_slate(Request(src=src, teams=args.teams, config=args.config))
    errors = sum(1 for d in problems if d.is_error)
    if errors:
        print(f"slate: {src}: {errors} error(s) in the slate; `slate check` lists them", file=sys.stderr)
    return slate


def _period_name(src: Path | None) -> Path | None:
    """SRC may name a period of the repository you are in (`slate updates 2026`), as the goals tool's commands take."""
    from rust_goals_slate.sources.discover import PERIOD_NAME, find_repository

    if src is None or src.exists() or not PERIOD_NAME.match(str(src)):
        return src
    repo = find_repository(Path.cwd())
    if repo is None or not (repo / "src" / str(src)).is_dir():
        raise UsageError(f"{src}: no such folder, and no period {src} in a goals repository at or above {Path.cwd()}")
    return repo / "src" / str(src)


def write_or_print(text: str, out: Path | None) -> None:
    from rust_goals_slate.pipeline.write import write_atomic

    if out is None or str(out) == "-":
        sys.stdout.write(text)
    else:
        write_atomic(out, text)


def add_goal_owners_command(teams_sub: argparse._SubParsersAction[Any]) -> None:
    owners = _command(
        teams_sub,
        "goal-owners",
        "rust-lang/team's teams/goal-owners.toml from the points of contact of the goals in the slate",
        "slate teams goal-owners src/2026 --teams ~/team            # the file on stdout, the changes on stderr",
        "slate teams goal-owners src/2025h2 src/2026 --teams ~/team --write",
    )
    owners.add_argument(
        "src",
        type=Path,
        nargs="*",
        metavar="SRC",
        help="period folders whose goals count (default: the newest period of the repository you are in)",
    )
    owners.add_argument("--teams", type=team_data, metavar="PATH", help="a rust-lang/team checkout or a teams.yaml")
    where = owners.add_mutually_exclusive_group()
    where.add_argument("-o", "--out", type=Path, metavar="FILE", help="write the file to FILE (default: stdout)")
    where.add_argument(
        "--write", action="store_true", help="write it into the checkout given by --teams (teams/goal-owners.toml)"
    )
    _quiet(owners)


def add_upkeep_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """new-period, issues, updates."""
    new_period = _command(
        sub,
        "new-period",
        "set up a new goal period: its folder from the templates, and its entries in src/SUMMARY.md and src/README.md",
        "slate new-period 2027 --dry-run      # in the goals repository: show what would change",
        "slate new-period 2027h1 ~/goals",
    )
    new_period.add_argument("period", metavar="PERIOD", help="the new period, e.g. 2027 or 2027h1")
    new_period.add_argument(
        "root", type=Path, nargs="?", metavar="ROOT", help="the goals repository (default: the one you are in)"
    )
    new_period.add_argument("-n", "--dry-run", action="store_true", help="print the changes as a diff; write nothing")
    new_period.add_argument("-f", "--force", action="store_true", help="overwrite the period's pages if they exist")
    new_period.add_argument(
        "--templates", type=template_folder, metavar="DIR", help="folder of *.md.j2 templates overriding built-in ones"
    )
    _quiet(new_period)

    issues = _command(
        sub,
        "issues",
        "plan the tracking issues of the accepted goals against a gh export; write the plan and a gh script",
        "slate issues src/2026 --issues issues.json --script issues.sh     # then read issues.sh and run it",
        "slate issues --live --format json                                # gh issue list run for you (read-only)",
    )
    issues.description = (
        f"{issues.description}\n\nthe export it reads (docs/upkeep.md):\n"
        "  gh issue list --repo rust-lang/goals --milestone 2026-goals --state all --limit 1000 \\\n"
        f"      --json {ISSUE_FIELDS} > issues.json"
    )
    _period_source(issues)
    issues.add_argument(
        "--issues",
        type=export_file,
        action="append",
        metavar="FILE",
        help="the issues that exist, as `gh issue list --json ...` wrote them (may be given more than once)",
    )
    issues.add_argument(
        "--labels",
        type=export_file,
        metavar="FILE",
        help="the repository's labels (gh label list --json name --limit 1000): missing ones are created first",
    )
    issues.add_argument(
        "--live", action="store_true", help="run `gh issue list` (read-only) instead of reading --issues FILE"
    )
    issues.add_argument("--format", dest="plan_format", choices=("text", "json"), default="text", help="the plan")
    issues.add_argument("--script", type=Path, metavar="FILE", help="write the gh commands of the plan to FILE")
    issues.add_argument("-o", "--out", type=Path, metavar="FILE", help="write the plan to FILE (default: stdout)")
    _quiet(issues)

    updates = _command(
        sub,
        "updates",
        "the monthly goals-update post (Markdown) from the comments on the tracking issues, exported with gh api",
        "slate updates 2026 --comments comments.json --from 2026-06-24 --to 2026-08-01 -o july.md",
        "slate updates --comments comments.json --from 2026-06-24 --with-champion-from lang",
    )
    updates.description = (
        f"{updates.description}\n\nthe export it reads (docs/upkeep.md):\n"
        "  gh api --paginate 'repos/rust-lang/goals/issues/comments?since=2026-06-24T00:00:00Z&per_page=100' \\\n"
        "      > comments.json"
    )
    _period_source(updates)
    updates.add_argument(
        "--comments",
        type=export_file,
        required=True,
        metavar="FILE",
        help="the comments, as gh api (or gh issue list) wrote them",
    )
    updates.add_argument(
        "--issues",
        type=export_file,
        metavar="FILE",
        help="optional: a gh issue list export, for progress",
    )
    updates.add_argument(
        "--from", dest="start", type=start_date, metavar="DATE", help="first day (default: 7 days before the 1st)"
    )
    updates.add_argument(
        "--to", dest="end", type=start_date, metavar="DATE", help="the day after the last (default: none)"
    )
    updates.add_argument("--with-champion-from", metavar="TEAM", help="only goals with a champion from TEAM")
    updates.add_argument("-o", "--out", type=Path, metavar="FILE", help="write the post to FILE (default: stdout)")
    _quiet(updates)


def run_upkeep_command(args: argparse.Namespace) -> int | None:
    """Run the command if it is one of ours; None otherwise."""
    if args.command == "teams" and args.teams_command == "goal-owners":
        return _goal_owners(args)
    if args.command == "new-period":
        return _new_period(args)
    if args.command in ("issues", "updates"):
        from rust_goals_slate.cli import github

        return github.issues(args) if args.command == "issues" else github.updates(args)
    return None


def _goal_owners(args: argparse.Namespace) -> int:
    from rust_goals_slate.pipeline.build import Request, find_teams, read_slate
    from rust_goals_slate.pipeline.write import write_atomic
    from rust_goals_slate.sources.discover import find_root
    from rust_goals_slate.sources.teams import load_teams
    from rust_goals_slate.upkeep.goal_owners import CurrentFile, change, goal_owners, read_current

    if args.write and (args.teams is None or not (args.teams / "teams").is_dir()):
        raise UsageError("slate teams goal-owners: --write needs --teams CHECKOUT (a rust-lang/team checkout)")
    if args.out is not None:
        output_file(args.out)
    periods = [resolve_src(src).folders[0] for src in args.src] or [resolve_src(None).folders[0]]
    if not args.src and not args.quiet:
        print(f"slate teams goal-owners: reading {periods[0]} (the newest period)", file=sys.stderr)
    teams = args.teams or find_teams(periods[0], find_root(periods[0].absolute())[0])
    registry = load_teams(teams)
    slates = []
    for src in periods:
        slate, problems = read_slate(Request(src=src, teams=teams), teams=lambda _path: registry)
        errors = sum(1 for d in problems if d.is_error)
        if errors:
            print(f"slate: {src}: {errors} error(s) in the slate; `slate check` lists them", file=sys.stderr)
        slates.append(slate)
    target = teams / "teams" / "goal-owners.toml"
    current = None
    if teams.is_dir() and target.is_file():
        try:
            current = read_current(target.read_text(encoding="utf-8"), str(target))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{target}: cannot be read ({exc})") from None
    elif (pinned := registry.team("goal-owners")) is not None:  # a teams.yaml: its goal-owners team is the file
        current = CurrentFile("", pinned.members, ())
    result = change(goal_owners(slates, registry), current)
    if not args.quiet:
        _owners_summary(result, current is not None, teams)
    if args.write:
        write_atomic(target, result.text)
        if not args.quiet:
            print(f"slate teams goal-owners: wrote {target}", file=sys.stderr)
    elif args.out is not None and str(args.out) != "-":
        write_atomic(args.out, result.text)
    else:
        sys.stdout.write(result.text)
    return 0


def _owners_summary(result: OwnersChange, compared: bool, teams: Path) -> None:
    say = sys.stderr.write
    say(f"slate teams goal-owners: {len(result.members)} members")
    if not compared:
        say(" (no teams/goal-owners.toml to compare with)\n")
    else:
        say(f"; {len(result.joins)} join, {len(result.leaves)} leave (moved to alumni)\n")
        for owner in result.joins:
            say(f"  + {owner.login}  (contact of {', '.join(owner.goals)})\n")
        for login in result.leaves:
            say(f"  - {login}  (contact of no goal in the slate)\n")
    if result.missing_people:
        say(f"people files missing from {teams / 'people'}: run in the checkout, for each:\n")
        for login in result.missing_people:
            say(f"  cargo run add-person {login}\n")


def _new_period(args: argparse.Namespace) -> int:
    import difflib

    from rust_goals_slate.pipeline.write import write_atomic
    from rust_goals_slate.render.rfc import template_env
    from rust_goals_slate.sources.discover import find_repository
    from rust_goals_slate.upkeep.new_period import PAGES, SAMPLES, period, plan

    target = period(args.period)
    root = args.root if args.root is not None else find_repository(Path.cwd())
    if root is None:
        raise UsageError(f"slate new-period: no goals repository (src/ with period folders) at or above {Path.cwd()}")
    if not (root / "src").is_dir():
        raise UsageError(f"slate new-period: {root} is not a goals repository (it has no src/ folder)")
    paths = [f"src/{target.folder}/{page}" for page, _ in PAGES]
    paths += [f"{SAMPLES}/{sample}" for _, sample in PAGES] + ["src/SUMMARY.md", "src/README.md"]
    existing = {p: _read(root / p, root) for p in paths if (root / p).is_file()}
    overridden = frozenset(p.name for p in args.templates.glob("*.j2")) if args.templates else frozenset()
    changes = plan(target, existing, template_env(args.templates), overridden)
    clobbered = [c.path for c in changes if c.old is not None and c.path.startswith(f"src/{target.folder}/")]
    if clobbered and not args.force and not args.dry_run:
        raise InputError(
            f"slate new-period: {', '.join(clobbered)} exist already; --force overwrites them (--dry-run shows how)"
        )
    for change in changes:
        if args.dry_run:
            old = (change.old or "").splitlines(keepends=True)
            diff = difflib.unified_diff(
                old, change.new.splitlines(keepends=True), f"a/{change.path}", f"b/{change.path}"
            )
            sys.stdout.writelines(diff if change.old is not None else [f"--- /dev/null\n+++ b/{change.path}\n"])
            if change.old is None:
                sys.stdout.writelines(f"+{line}" for line in change.new.splitlines(keepends=True))
        else:
            write_atomic(root / change.path, change.new)
        if not args.quiet:
            verb = ("would " if args.dry_run else "") + ("create" if change.old is None else "update")
            origin = f" (from {change.origin})" if change.origin else ""
            print(f"slate new-period: {verb} {root / change.path}{origin}", file=sys.stderr)
    for name in ("src/SUMMARY.md", "src/README.md"):
        if name not in existing and not args.quiet:
            print(f"slate new-period: {root / name} does not exist; no entry added there", file=sys.stderr)
    if not args.quiet and not args.dry_run:
        print(f"slate new-period: next, `slate check {root / 'src' / target.folder}`", file=sys.stderr)
    return 0


def _read(path: Path, root: Path) -> str:
    """A file of the repository: a sample or an index page, copied or edited into the new period, so one that is a
    symbolic link out of the repository is refused (its content would be committed as the repository's)."""
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(os.path.realpath(root)):
        raise InputError(f"{path}: symbolic link points outside the repository (to {target}); not read")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
