"""The review-workflow commands of the CLI: `fcp`, `diff`, `team` and `watch`.

Part of the command line (registered by `compiler.cli`): this module parses their arguments, calls one function
of the stage modules, prints, and returns the exit code. The stage modules never print.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from compiler.errors import UsageError


def add_review_commands(sub: argparse._SubParsersAction[Any]) -> None:
    fcp = sub.add_parser("fcp", help="the FCP checkbox comment: leads required, members optional, per team with asks")
    _source(fcp)
    fcp.add_argument("--max-mentions", type=int, default=50, help="@-mentions per comment (GitHub: 50)")


def _source(p: argparse.ArgumentParser, name: str = "src") -> None:
    p.add_argument(name, type=Path, help="the period folder (goals/src/2027), or an input root with one period")
    p.add_argument("--teams", type=Path, help="a rust-lang/team checkout or a teams.yaml")
    p.add_argument("--config", type=Path, help="rust-project-goals.toml to use instead of the one found")


def period_folder(path: Path) -> Path:
    """SRC as given, or `<root>/src/<period>` when SRC is an input root whose src/ holds exactly one period."""
    if not path.is_dir():
        raise UsageError(f"{path}: not a folder (SRC is a period folder such as goals/src/2027)")
    if not (path / "book.toml").is_file() or not (path / "src").is_dir():
        return path
    periods = sorted(p for p in (path / "src").iterdir() if p.is_dir() and any(p.glob("*.md")))
    if len(periods) != 1:
        names = ", ".join(p.name for p in periods) or "none"
        raise UsageError(f"{path} is an input root; name its period folder (periods under src/: {names})")
    return periods[0]


def run_review_command(args: argparse.Namespace) -> int | None:
    """Run the command if it is one of ours; None otherwise."""
    if args.command == "fcp":
        return _fcp(args)
    return None


def _fcp(args: argparse.Namespace) -> int:
    from compiler.build import Request, read_slate
    from compiler.fcp import fcp_comments
    from compiler.render import template_env

    slate, _ = read_slate(Request(src=period_folder(args.src), teams=args.teams, config=args.config))
    comments = fcp_comments(slate, template_env(), limit=args.max_mentions)
    sys.stdout.write("\n<!-- slate fcp: post as a separate comment -->\n\n".join(comments))
    if len(comments) > 1:
        print(f"slate fcp: {len(comments)} comments (at most {args.max_mentions} @-mentions each)", file=sys.stderr)
    return 0
