"""The command line: parse arguments, call one pipeline function, print diagnostics, return an exit code."""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from rust_goals_slate.cli.options import (
    SRC_HELP,
    existing_file,
    header_text,
    output_file,
    output_folder,
    outside_sources,
    pdf_available,
    rfc_number,
    site_url,
    start_date,
    team_data,
    template_folder,
)
from rust_goals_slate.cli.review import add_review_commands, run_review_command
from rust_goals_slate.cli.upkeep import add_goal_owners_command, add_upkeep_commands, run_upkeep_command
from rust_goals_slate.cli.usage import (
    Parser,
    add_out_file,
    add_quiet,
    add_severity,
    add_version,
    command,
    examples,
    list_codes,
    named_command,
    resolve_src,
    say_periods,
)
from rust_goals_slate.errors import BuildFailed, Diagnostic, SlateError, UsageError, shown
from rust_goals_slate.model import Options
from rust_goals_slate.model.repository_format import SITE_URL

INTERNAL_ERROR = 3  # an unexpected exception: a bug in slate, never a problem of the input


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ARGV, only the command it names gets its arguments (usage.Parser)."""
    parser = Parser(
        prog="slate",
        description="Compile the Rust Project Goals slate into the slate RFC.",
        epilog=examples(
            "cd goals && slate check          # every period of the repository",
            "slate build src/2026 --teams ../team -o build/",
        ),
    )
    add_version(parser)
    if argv is not None:
        parser.only = named_command(argv)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)

    build = command(
        sub,
        "build",
        "compile a period folder into build/rfc.md and pr-body.md (and rfc.pdf)",
        ["slate build                     # the newest period of the repository you are in",
         "slate build src/2026 --teams ../team --format md,pdf -o build/"],
    )  # fmt: skip
    _common(build)
    build.add_argument(
        "-o", "--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: build/)"
    )
    _rfc_options(build)
    build.add_argument(
        "--format", default="md", metavar="FORMATS", help="comma-separated outputs: md, pdf (default: md)"
    )
    build.add_argument(
        "--pdf-engine", default="typst", metavar="ENGINE", help="typst (default) or a LaTeX engine such as xelatex"
    )
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    add_severity(build)
    add_quiet(build)

    check = command(
        sub,
        "check",
        "report every problem of a period folder (nothing is written)",
        ["slate check                     # in a goals repository: every period",
         "slate check src/2026 --format github --strict"],
    )  # fmt: skip
    _common(
        check,
        "the period folder (src/2027), or a goals repository (every period); default: the period folder you are in, "
        "else every period of the repository holding the current folder",
    )
    check.add_argument(
        "--format",
        dest="report_format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or github (GitHub Actions annotations)",
    )
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    add_severity(check)
    check.add_argument("--list-codes", action="store_true", help="print every code with its default severity and exit")
    add_quiet(check, "report errors only (with --strict, warnings too)")
    add_out_file(check)  # the report, as it would go to standard output
    _rfc_options(check)  # as given to build, so that check does not report what build would fill in

    add_review_commands(sub)  # fcp, diff, team, champions, watch

    teams = command(
        sub,
        "teams",
        "team data tools",
        ["slate teams export ~/team -o teams.yaml"],
    )
    teams_sub = teams.add_subparsers(dest="teams_command", metavar="COMMAND", required=True, parser_class=Parser)
    export = command(
        teams_sub,
        "export",
        "write a rust-lang/team checkout as a slate teams.yaml, recording its commit and date",
        ["slate teams export ~/team -o teams.yaml", "slate teams export ~/team -o -      # to standard output"],
    )
    export.add_argument("checkout", type=Path, metavar="CHECKOUT", help="a rust-lang/team checkout (teams/, people/)")
    export.add_argument(
        "-o", "--out", "--output", dest="output", type=Path, required=True, metavar="FILE",
        help="the file to write, or - for standard output",
    )  # fmt: skip
    add_quiet(export, "print nothing but errors")
    add_goal_owners_command(teams_sub)
    add_upkeep_commands(sub)  # new-period, issues, updates
    return parser


def _rfc_options(p: argparse.ArgumentParser) -> None:
    """The RFC header, site and template options; `_options()` reads them back."""
    p.add_argument(
        "--site-url",
        type=site_url,
        metavar="URL",
        help=f"base URL of the goals site, http or https (default: book.toml's cname or site-url, else {SITE_URL})",
    )
    p.add_argument("--rfc-number", type=rfc_number, metavar="N", help="the rust-lang/rfcs PR number, e.g. 3935")
    p.add_argument("--start-date", type=start_date, metavar="DATE", help="the RFC's start date, YYYY-MM-DD")
    p.add_argument("--feature-name", type=header_text, metavar="NAME", help="the RFC's feature name")
    p.add_argument("--rust-issue", type=header_text, metavar="ISSUE", help="the RFC's Rust issue")
    p.add_argument(
        "--templates", type=template_folder, metavar="DIR", help="folder of *.md.j2 templates overriding built-in ones"
    )
    p.add_argument(
        "--goals-repo", metavar="OWNER/NAME", help="the goals repository (default: book.toml's git-repository-url)"
    )


def _common(p: argparse.ArgumentParser, src_help: str = SRC_HELP) -> None:
    p.add_argument("src", type=Path, nargs="?", metavar="SRC", help=src_help)
    p.add_argument("--teams", type=team_data, metavar="PATH", help="a rust-lang/team checkout or a teams.yaml")
    p.add_argument(
        "--config", type=existing_file, metavar="FILE", help="rust-project-goals.toml to use instead of the one found"
    )
    p.add_argument(
        "--readme", type=existing_file, metavar="FILE", help="a README skeleton to use instead of SRC/README.md"
    )


def _print(
    diagnostics: list[Diagnostic], quiet: bool = False, src: Path | None = None, readme: Path | None = None
) -> None:
    from rust_goals_slate.cli.check import from_here

    for d in from_here(diagnostics, src, readme) if src is not None else diagnostics:
        if quiet and not d.is_error:
            continue
        print(d.format(), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is not None:  # a call from a test or another program: an ordinary function
        return _main(argv)
    # The process entry: everything imported so far lives until exit (the pipeline too, imported here for that), so
    # the cyclic garbage collector stops going over it again and again (about 1.5% of a build; cli/entry.py paused
    # it during the imports); and at the end the process leaves without tearing down its heap object by object
    # (about 2%). Every file is written and closed by then; only the standard streams remain.
    import rust_goals_slate.pipeline.build  # noqa: F401

    gc.freeze()
    # A build allocates millions of objects that live until it ends and makes almost no cycles: collecting every
    # 700 allocations (Python's default) took 12% of a 50x build for nothing (same peak memory with the collector
    # off). Every 10,000 takes a quarter of that and still collects, for `slate watch`'s long runs.
    gc.set_threshold(10_000, 10, 10)
    gc.enable()
    code = _main(None)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: let Python's own exit report it as it always did
        return code
    os._exit(code)


def _main(argv: Sequence[str] | None) -> int:
    args: argparse.Namespace | None = None
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = _parser(argv).parse_args(argv)
        return _run(args)
    except BuildFailed as exc:
        quiet = getattr(args, "quiet", False) and not getattr(args, "strict", False)
        _print(exc.diagnostics, quiet, getattr(args, "resolved_src", None), getattr(args, "readme", None))
        summary = build_summary(exc.diagnostics, exc.team_source, exc.team_origin, "nothing was written")
        print(summary, file=sys.stderr)
        return exc.exit_code
    except SlateError as exc:
        message = shown(str(exc))  # argparse's messages already start with the command: "slate build: argument ..."
        print(message if message.startswith("slate") else f"slate: {message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: say so plainly instead of printing a traceback
        if os.environ.get("SLATE_TRACEBACK"):
            raise
        print(
            "slate: internal error, please report it (with the command line and the input that caused it; "
            f"SLATE_TRACEBACK=1 shows the traceback): {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


def _run(args: argparse.Namespace) -> int:
    upkeep = run_upkeep_command(args)
    if upkeep is not None:
        return upkeep
    if args.command == "teams":
        return _teams_export(args)
    if args.command == "check":
        return _check(args)
    review = run_review_command(args)
    if review is not None:
        return review
    from rust_goals_slate.pipeline.build import Request, build

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    if not set(formats) <= {"md", "pdf"}:
        raise UsageError(f"--format takes md and/or pdf, not {args.format!r}")
    if "pdf" in formats:
        pdf_available(args.pdf_engine)  # refused before anything is read or written
    periods = resolve_src(args.src)
    src = periods.folders[0]
    output_folder(args.out)
    outside_sources(args.out, src)
    say_periods("build", periods, args.quiet)
    args.resolved_src = src  # for the paths of the diagnostics of a failed build
    request = Request(
        src=src,
        teams=args.teams,
        out=args.out,
        options=_options(args),
        templates=args.templates,
        config=args.config,
        readme=args.readme,
        formats=formats,
        pdf_engine=args.pdf_engine,
        strict=args.strict,
        severity=tuple(args.severity),
    )
    result = build(request)
    _print(result.diagnostics, args.quiet, src, args.readme)
    if not args.quiet:
        for path in result.written:
            print(f"wrote {path}")
    teams = result.slate.teams
    print(build_summary(result.diagnostics, teams.source, teams.origin), file=sys.stderr)
    return 0


def build_summary(diagnostics: list[Diagnostic], team_source: str, team_origin: str, outcome: str = "") -> str:
    """The last line of `slate build`: the counts as `slate check` gives them, and which team data was used."""
    from rust_goals_slate.cli.check import summary

    if not team_origin and team_source and (Path(team_source) / ".git").exists():
        from rust_goals_slate.pdf.provenance import source_revision

        commit = source_revision(Path(team_source))
        team_origin = f"checkout at {commit[:12]}" if commit else ""
    shown = team_source
    if Path(team_source).is_absolute() and Path(team_source).is_relative_to(Path.cwd()):
        shown = os.path.relpath(team_source)  # relative to the current folder, as the user would type it
    teams = f"team data: {shown}" + (f" ({team_origin})" if team_origin else "")
    return "; ".join(part for part in (f"slate build: {summary(diagnostics)}", outcome, teams) if part)


def _teams_export(args: argparse.Namespace) -> int:
    from rust_goals_slate.pipeline.write import write_atomic
    from rust_goals_slate.sources.team_source import checkout_source
    from rust_goals_slate.sources.teams import export_yaml, load_teams

    output_file(args.output)
    registry = load_teams(args.checkout)
    source = checkout_source(args.checkout)
    text = export_yaml(registry, source)
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text)
    where = "standard output" if str(args.output) == "-" else str(args.output)
    if args.quiet:
        return 0
    if source is None:
        print(
            f"slate teams export: wrote {where}; {args.checkout} is not the top of a git checkout, "
            "so no source commit is recorded",
            file=sys.stderr,
        )
    else:
        print(f"slate teams export: wrote {where} (commit {source.commit[:12]}, {source.date})", file=sys.stderr)
    return 0


def _options(args: argparse.Namespace) -> Options:
    """The RFC header and site options that `build` and `check` share."""
    return Options(
        site_url=args.site_url,
        rfc_number=args.rfc_number,
        start_date=args.start_date,
        feature_name=args.feature_name,
        rust_issue=args.rust_issue,
        goals_repo=goals_repo(args.goals_repo),
    )


def goals_repo(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", value):
        raise UsageError(f"--goals-repo must be OWNER/NAME (e.g. rust-lang/goals), not {value!r}")
    return value


def _check(args: argparse.Namespace) -> int:
    from rust_goals_slate.cli.check import check, exit_code, from_here, render, summary
    from rust_goals_slate.pipeline.build import Request

    if args.list_codes:
        sys.stdout.write(list_codes())
        return 0
    if args.out is not None:
        output_file(args.out, "--out")
    periods = resolve_src(args.src, every_period=True)
    several = len(periods.folders) > 1
    if several and args.readme is not None:
        raise UsageError("several periods are checked: --readme names one period's skeleton, give its folder as SRC")
    say_periods("check", periods, args.quiet or several)  # several: each has its summary line
    results = []
    for src in periods.folders:
        request = Request(
            src=src,
            teams=args.teams,
            options=_options(args),
            templates=args.templates,
            config=args.config,
            readme=args.readme,
            strict=args.strict,
            severity=tuple(args.severity),
        )
        results.append((src, check(request)))
    everything = [d for _, found in results for d in found]
    if args.quiet and not args.strict:  # the summary lines still count the warnings left out
        everything = [d for d in everything if d.is_error]
    if args.report_format == "text":
        everything = from_here(everything, periods.folders[0], args.readme)
    report = render(everything, args.report_format)
    if args.out is None or str(args.out) == "-":
        sys.stdout.write(report)
    else:
        from rust_goals_slate.pipeline.write import write_atomic

        write_atomic(args.out, report)
    for src, found in results:
        where = f"{src.parent.name}/{src.name}: " if several else ""
        print(f"slate check: {where}{summary(found)}", file=sys.stderr)
    return max(exit_code(found, strict=args.strict) for _, found in results)
