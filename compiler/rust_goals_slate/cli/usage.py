"""The conventions every command of the CLI shares (docs/cli.md): the argument parser, the options every command takes
(`-q/--quiet`, `-V/--version`, `-o/--out`), the examples that end each `--help`, and the one rule for SRC.

Every mistake on the command line is a `UsageError` (exit 2, one line) raised before anything is read or written.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from rust_goals_slate.errors import UsageError
from rust_goals_slate.records import record
from rust_goals_slate.resources import DISTRIBUTION, slate_version


class Parser(argparse.ArgumentParser):
    """argparse, with usage errors raised (not printed and exited), suggestions for misspelt commands and options,
    and the epilog (the examples) printed as written."""

    # Building every command's arguments cost each build ~20 M instructions (1.5%) for the one command it runs. A
    # command that the command line does not name is a sketch: its name, help line and examples (what `slate --help`
    # and the unknown-command message show) without its arguments. `only` names the one subcommand whose arguments
    # are built (None: all of them, as for `slate --help`).
    only: str | None = None
    sketch = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        self._argv: list[str] = []

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if self.sketch:
            return _SKETCHED
        return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        commands = super().add_subparsers(action=_Commands, **kwargs)
        assert isinstance(commands, _Commands)
        commands.only = "\0" if self.sketch else self.only  # a sketch's subcommands are sketches
        return commands

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        self._argv = list(sys.argv[1:] if args is None else args)
        parsed, extras = self.parse_known_args(self._argv, namespace)
        if extras:
            self._unrecognized(parsed, extras)
        return parsed

    def error(self, message: str) -> NoReturn:
        missing_command = re.search(r"the following arguments are required: COMMAND\b", message)
        if missing_command:
            self._no_command()
        choice = re.search(r"argument COMMAND: invalid choice: '([^']*)'", message)
        if choice:
            raise UsageError(f"{self.prog}: unknown command {choice.group(1)!r}{self._suggest(choice.group(1))}")
        raise UsageError(f"{self.prog}: {message}")

    def _commands(self) -> dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}

    def _suggest(self, word: str) -> str:
        close = difflib.get_close_matches(word, list(self._commands()), n=1, cutoff=0.5)
        return f"; did you mean {close[0]!r}?" if close else f"; the commands are {', '.join(self._commands())}"

    def _no_command(self) -> NoReturn:
        unknown = [a for a in self._argv if a.startswith("-") and a not in self._option_string_actions]
        if unknown:  # `slate --verison`: the misspelt option is the mistake, not the missing command
            raise UsageError(f"{self.prog}: unknown option {unknown[0]!r}{_close_option(unknown[0], self)}")
        raise UsageError(f"{self.prog}: give a command: {', '.join(self._commands())} (`{self.prog} --help`)")

    def _unrecognized(self, parsed: argparse.Namespace, extras: list[str]) -> NoReturn:
        parser: argparse.ArgumentParser = self
        for name in ("command", "teams_command"):  # the innermost command that was chosen
            chosen = getattr(parsed, name, None)
            commands = parser._commands() if isinstance(parser, Parser) else {}
            if chosen in commands:
                parser = commands[chosen]
        word = extras[0]
        if word.startswith("-"):
            raise UsageError(f"{parser.prog}: unknown option {word!r}{_close_option(word, parser)}")
        raise UsageError(f"{parser.prog}: unexpected argument {word!r} (`{parser.prog} --help` lists what it takes)")


_SKETCHED = argparse.Action([], "sketched")  # what add_argument returns on a sketch


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The subcommands of a Parser: those other than `only` are sketches."""

    only: str | None = None

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        sketch = self.only is not None and name != self.only
        if sketch:
            kwargs["add_help"] = False  # its -h would never be read
        parser = super().add_parser(name, **kwargs)
        if sketch and isinstance(parser, Parser):
            parser.sketch = True
        return parser


def named_command(argv: Sequence[str]) -> str:
    """The command a command line names: its first word that is not an option (slate's own options take no
    value); "" if none."""
    return next((word for word in argv if not word.startswith("-")), "")


def _close_option(word: str, parser: argparse.ArgumentParser) -> str:
    options = [o for o in parser._option_string_actions if o.startswith("--")]
    close = difflib.get_close_matches(word.split("=", 1)[0], options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else f" (`{parser.prog} --help` lists the options)"


class _Version(argparse.Action):
    """-V/--version, looked up only when asked for: reading the installed metadata costs every build ~5 ms."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"slate {slate_version()} ({DISTRIBUTION})")
        parser.exit()


def add_version(p: argparse.ArgumentParser) -> None:
    p.add_argument("-V", "--version", action=_Version, nargs=0, help="print the version and exit")


def add_quiet(p: argparse.ArgumentParser, what: str = "print errors and the summary line only") -> None:
    p.add_argument("-q", "--quiet", action="store_true", help=what)


def add_out_file(p: argparse.ArgumentParser) -> None:
    """-o/--out for the commands that print a document: a file to write instead of standard output."""
    p.add_argument(
        "-o", "--out", type=Path, metavar="FILE", help="write the document to FILE instead of standard output (-)"
    )


def examples(*lines: str) -> str:
    """The epilog of a command's --help: one or two command lines a user can copy."""
    return "examples:\n" + "".join(f"  {line}\n" for line in lines)


def command(
    sub: argparse._SubParsersAction[Any], name: str, summary: str, example_lines: Sequence[str]
) -> argparse.ArgumentParser:
    """A subcommand that follows the conventions: its help line, its examples, and -q/-V (docs/cli.md)."""
    p: argparse.ArgumentParser = sub.add_parser(
        name, help=summary, description=summary, epilog=examples(*example_lines)
    )
    add_version(p)
    return p


# --------------------------------------------------------------------------------------------------------------
# SRC


PERIOD_NAME = re.compile(r"[0-9]{4}(?:h[12])?")


@record
class Periods:
    """The period folders a command reads, and how SRC led to them (said on stderr when it was not SRC itself)."""

    folders: tuple[Path, ...]
    how: str = ""  # empty when SRC was the period folder


def resolve_src(given: Path | None, *, every_period: bool = False) -> Periods:
    """The one rule for SRC: optional; the period folder you stand in, else the newest period of the repository
    holding the current folder; a repository root (or its src/) means its newest period, or every period when
    `every_period` (`slate check`)."""
    from rust_goals_slate.sources.discover import find_repository, period_folders, periods_of

    if given is None:
        here = Path.cwd()
        for folder in (here, *here.parents):
            if folder.parent.name == "src" and PERIOD_NAME.fullmatch(folder.name) and any(folder.glob("*.md")):
                return Periods((folder,), "the period folder you are in")
        repo = find_repository(here)
        if repo is None:
            raise UsageError(f"no goals repository (src/ with period folders) at or above {here}: give SRC")
        periods = period_folders(repo)
        where = _shown(repo)
    else:
        if not given.is_dir():
            what = "does not exist" if not given.exists() else "is not a folder"
            raise UsageError(f"{given} {what} (SRC is a period folder such as src/2027, or a goals repository)")
        is_root = (given / "src").is_dir() or given.name == "src"
        found = period_folders(given) if is_root else periods_of(given)
        if found is None:
            return Periods((given,))
        if not found:
            raise UsageError(f"{given} holds no period folder (such as src/2027 with goal files): give SRC")
        periods, where = found, str(given)
    if every_period:
        return Periods(tuple(periods), f"every period of the repository at {where}")
    return Periods((periods[-1],), f"the newest period of the repository at {where}")


def _shown(path: Path) -> str:
    # Relative to the current folder, however far up: the rule of every other path slate prints (check, --teams);
    # a cut-off for "far" made the message depend on where the checkout happens to sit.
    return os.path.relpath(path)


def say_periods(name: str, periods: Periods, quiet: bool = False) -> None:
    """`slate build: src/2026 (the newest period of the repository at .)` on stderr, when SRC was inferred."""
    if periods.how and not quiet:
        shown = ", ".join(_shown(p) for p in periods.folders)
        print(f"slate {name}: reading {shown} ({periods.how})", file=sys.stderr)


# --------------------------------------------------------------------------------------------------------------
# severity per code


class _SetSeverity(argparse.Action):
    """--error/--warn/--ignore CODE[,CODE]: (code, level) pairs in command-line order, so the last one wins."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, *_: Any) -> None:
        from rust_goals_slate.codes import CODES, Level
        from rust_goals_slate.sources.severity import closest_code

        level = {"--error": Level.ERROR, "--warn": Level.WARNING, "--ignore": Level.OFF}[self.option_strings[0]]
        pairs = list(getattr(namespace, "severity", None) or [])
        for code in (c.strip() for c in str(values).split(",")):
            if code not in CODES:
                close = closest_code(code)
                hint = f"did you mean '{close}'?" if close else "`slate check --list-codes` lists them"
                raise UsageError(f"{parser.prog}: {self.option_strings[0]} {code}: no such code; {hint}")
            pairs.append((code, level))
        namespace.severity = pairs


def add_severity(p: argparse.ArgumentParser) -> None:
    """The severity of single codes for this run, over slate.toml's [severity] table (docs/checks.md)."""
    p.set_defaults(severity=[])
    p.add_argument("--error", action=_SetSeverity, metavar="CODE", help="report CODE (or CODE,CODE) as an error")
    p.add_argument("--warn", action=_SetSeverity, metavar="CODE", help="report CODE as a warning (turns it on)")
    p.add_argument("--ignore", action=_SetSeverity, metavar="CODE", help="do not report CODE")


def list_codes() -> str:
    """`slate check --list-codes`: every code, its default severity and what it reports, by group."""
    from rust_goals_slate.codes import CODES

    width = max(len(name) for name in CODES)
    lines: list[str] = []
    group = None
    for code in CODES.values():
        if code.group != group:
            group = code.group
            lines.append(("" if not lines else "\n") + f"# {group}")
        lines.append(f"{code.name:<{width}}  {code.default.value:<7}  {code.summary}")
    return "\n".join(lines) + "\n"
