"""`slate issues` and `slate updates`: the commands that read what `gh` exported from GitHub (registered and
dispatched by `cli.upkeep`). Nothing is sent to GitHub: `--live` runs `gh issue list`, which only reads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rust_goals_slate.cli.options import output_file
from rust_goals_slate.cli.upkeep import period_src, read_period, write_or_print
from rust_goals_slate.errors import InputError, UsageError
from rust_goals_slate.sources.github_export import ISSUE_FIELDS

if TYPE_CHECKING:
    from rust_goals_slate.model import Issue


def issues(args: argparse.Namespace) -> int:
    from rust_goals_slate.pipeline.write import write_atomic
    from rust_goals_slate.render.rfc import template_env
    from rust_goals_slate.sources.github_export import parse_labels, read_json
    from rust_goals_slate.upkeep.issues_plan import milestone_of, plan_issues, to_json, to_script, to_text

    if bool(args.issues) == bool(args.live):
        raise UsageError("slate issues: give the exported issues with --issues FILE, or --live to run gh for them")
    if args.live:
        _gh()  # installed: checked before anything is read
    for path in (args.out, args.script):
        if path is not None:
            output_file(path, "--script" if path is args.script else "-o")
    src = period_src(args)
    exported = [] if args.live else _exported_issues(args.issues)  # a bad export fails before the slate is read
    labels = parse_labels(read_json(args.labels), str(args.labels)) if args.labels else None
    slate = read_period(args, src)
    repository, milestone = slate.config.goals_repository, milestone_of(slate.period)
    if args.live:
        exported, source = _gh_issue_list(repository, milestone), f"gh issue list --milestone {milestone} (live)"
    else:
        source = ", ".join(str(p) for p in args.issues)
    env = template_env(args.templates)
    plan = plan_issues(slate, exported, env, labels)
    write_or_print(to_json(plan) if args.plan_format == "json" else to_text(plan, env), args.out)
    if args.script is not None:
        write_atomic(args.script, to_script(plan, source))
    if not args.quiet:
        script = f"; the gh commands are in {args.script}" if args.script else "; --script FILE writes the gh commands"
        print(
            f"slate issues: {len(plan.to_open)} to open, {len(plan.to_update)} to update, "
            f"{len(plan.unlinked)} goal file(s) without a tracking issue{script}",
            file=sys.stderr,
        )
    return 0


def _exported_issues(paths: list[Path]) -> list[Issue]:
    from rust_goals_slate.sources.github_export import parse_issues, read_json

    by_number: dict[int, Issue] = {}
    for path in paths:
        for issue in parse_issues(read_json(path), str(path)):
            by_number.setdefault(issue.number, issue)  # the first file given wins
    return [by_number[n] for n in sorted(by_number)]


def _gh_issue_list(repository: str, milestone: str) -> list[Issue]:
    """`--live`: gh's read-only issue list, run without a shell; its output is read as a saved export would be."""
    import json
    import subprocess

    from rust_goals_slate.sources.github_export import parse_issues

    argv = [_gh(), "issue", "list", "--repo", repository, "--milestone", milestone, "--state", "all"]
    argv += ["--limit", "1000", "--json", ISSUE_FIELDS]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"gh issue list failed: {exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"gh issue list failed (exit {done.returncode}): {said[-1] if said else 'no message'}")
    try:
        data = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"gh issue list printed something that is not JSON ({exc})") from None
    return list(parse_issues(data, "gh issue list"))


def _gh() -> str:
    import shutil

    gh = shutil.which("gh")
    if gh is None:
        raise UsageError("slate issues --live: gh is not installed; export the issues elsewhere and use --issues FILE")
    return gh


def updates(args: argparse.Namespace) -> int:
    import datetime

    from rust_goals_slate.render.rfc import template_env
    from rust_goals_slate.sources.github_export import parse_comment_export, read_json
    from rust_goals_slate.upkeep.updates import Window, build_post, champion_team, default_window, render_post

    if args.out is not None:
        output_file(args.out)
    if args.start and args.end and args.end <= args.start:
        raise UsageError(f"slate updates: --to {args.end} is not after --from {args.start}")
    src = period_src(args)
    comments = parse_comment_export(read_json(args.comments), str(args.comments))
    issues = {i.number: i for i in _exported_issues([args.issues])} if args.issues else None
    slate = read_period(args, src)
    team = champion_team(slate, args.with_champion_from) if args.with_champion_from else None
    if args.start:
        window = Window(
            datetime.date.fromisoformat(args.start), datetime.date.fromisoformat(args.end) if args.end else None
        )
    else:
        today = datetime.datetime.now(datetime.UTC).date()
        window = default_window(today)
        if args.end:
            window = Window(window.start, datetime.date.fromisoformat(args.end))
    post = build_post(slate, comments, window, team, issues)
    write_or_print(render_post(post, template_env(args.templates)), args.out)
    if not args.quiet:
        until = f" to {window.end} (not included)" if window.end else ", no end"
        cards = {c.number: c for c in (*post.help_wanted, *post.others, *(c for _, cs in post.themes for c in cs))}
        shown = sum(len(c.comments) + (c.tldr is not None) for c in cards.values())
        print(f"slate updates: comments from {window.start}{until}: {shown} shown", file=sys.stderr)
        for path in post.untracked:
            print(f"slate updates: {path} names no tracking issue; left out", file=sys.stderr)
    return 0
