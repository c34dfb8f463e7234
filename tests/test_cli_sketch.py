"""Only the command a command line names gets its arguments built (cli/usage.py, `Parser.sketch`): what the user sees
is the same as with every command built (the top-level help, the named command's help and what it parses)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import _parser
from rust_goals_slate.cli.usage import named_command


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found = {parser.prog: parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.update(_commands(sub))
    return found


FULL = _commands(_parser())
GOALS = str(Path(__file__).resolve().parent.parent / "goals")


@pytest.mark.parametrize("prog", sorted(FULL), ids=str)
def test_a_named_command_is_built_as_it_always_was(prog: str) -> None:
    words = prog.split()[1:]
    sketched = _commands(_parser(words))
    assert sketched.keys() == FULL.keys()  # every command is still listed, sketched or not
    assert sketched["slate"].format_help() == FULL["slate"].format_help()
    for n in range(1, len(words) + 1):  # the command and the command it belongs to
        name = " ".join(["slate", *words[:n]])
        assert sketched[name].format_help() == FULL[name].format_help()
        assert [a.option_strings for a in sketched[name]._actions] == [a.option_strings for a in FULL[name]._actions]
    others = [p for name, p in sketched.items() if name != "slate" and name.split()[1] != (words or [""])[0]]
    assert others and all(getattr(p, "sketch", False) for p in others)  # the others are sketches


@pytest.mark.parametrize(
    "argv",
    [
        ["build", f"{GOALS}/src/2027", "--teams", f"{GOALS}/teams.yaml", "-o", "out", "--quiet", "--format", "md,pdf"],
        ["check", "--format", "json", "--strict"],
        ["teams", "export", GOALS, "-o", "-"],
    ],
)
def test_the_same_arguments_are_parsed(argv: list[str]) -> None:
    assert named_command(argv) == next(w for w in argv if not w.startswith("-"))
    assert vars(_parser(argv).parse_args(argv)) == vars(_parser().parse_args(argv))
