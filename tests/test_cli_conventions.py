"""The command line's conventions (docs/cli.md, issue 23): the one rule for SRC, usage errors that are exit 2 and one
line before anything is read or written, suggestions for misspelt commands and options, the options every command
shares, and the examples that end every --help."""

from __future__ import annotations

import argparse
import os
import re
import shutil
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import _parser, main
from tests.support import ROOT

Capsys = pytest.CaptureFixture[str]

EXAMPLE = ROOT / "goals"
SRC = EXAMPLE / "src" / "2027"
TEAMS = EXAMPLE / "teams.yaml"
HEAD = ROOT.parent / "shared" / "corpus" / "head"


def run(capsys: Capsys, *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: Capsys, *argv: str | Path) -> str:
    """Run `slate ARGV`, expect exit 2 and one line on stderr, and give that line."""
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return err.strip()


@pytest.fixture
def nothing_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a slate fails the test: a usage error must come before it."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the slate was read before the usage error")

    monkeypatch.setattr("rust_goals_slate.pipeline.build.read_tree", refuse)


# ----------------------------------------------------------------------------------------------------------------
# usage errors: exit 2, one line, nothing read, nothing written


def test_build_of_a_missing_folder(capsys: Capsys, tmp_path: Path) -> None:
    line = usage_error(capsys, "build", tmp_path / "nonexistent", "--teams", TEAMS, "-o", tmp_path / "out")
    assert f"{tmp_path / 'nonexistent'} does not exist" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["build", "check", "fcp", "team", "champions", "watch"])
def test_every_command_refuses_a_missing_src_the_same_way(command: str, capsys: Capsys, tmp_path: Path) -> None:
    argv: list[str | Path] = [
        command,
        *(["lang"] if command == "team" else []),
        tmp_path / "nonexistent",
        "--teams",
        TEAMS,
    ]
    assert "nonexistent does not exist (SRC is a period folder" in usage_error(capsys, *argv)


@pytest.mark.usefixtures("nothing_read")
def test_pdf_without_the_pdf_extra(capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "typst" else real(name, *a))
    line = usage_error(capsys, "build", SRC, "--teams", TEAMS, "--format", "md,pdf", "-o", tmp_path / "out")
    assert "needs the pdf extra (typst not installed)" in line and "[pdf]" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("nothing_read")
def test_a_latex_engine_that_is_not_installed(capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    line = usage_error(
        capsys, "build", SRC, "--teams", TEAMS, "--format", "md,pdf", "--pdf-engine", "xelatex", "-o", tmp_path / "o"
    )
    assert line == "slate: --pdf-engine xelatex: xelatex is not installed (no TeX found); leave it out to use Typst"
    assert not (tmp_path / "o").exists()


@pytest.mark.usefixtures("nothing_read")
def test_an_unknown_pdf_engine(capsys: Capsys, tmp_path: Path) -> None:
    line = usage_error(capsys, "build", SRC, "--format", "pdf", "--pdf-engine", "word", "-o", tmp_path / "o")
    assert "--pdf-engine must be one of typst, xelatex" in line


@pytest.mark.parametrize("value", ["0", "-3", "many"])
@pytest.mark.usefixtures("nothing_read")
def test_fcp_max_mentions_below_one(value: str, capsys: Capsys) -> None:
    line = usage_error(capsys, "fcp", SRC, "--teams", TEAMS, "--max-mentions", value)
    assert line == f"slate fcp: argument --max-mentions: expected a whole number of at least 1, not {value!r}"


@pytest.mark.parametrize("option", ["--verison", "--verbose"])
def test_a_misspelt_option_before_the_command(option: str, capsys: Capsys) -> None:
    line = usage_error(capsys, option)
    assert line.startswith(f"slate: unknown option {option!r}")
    if option == "--verison":
        assert line.endswith("did you mean --version?")


@pytest.mark.parametrize("flag", ["-V", "--version"])
@pytest.mark.parametrize("where", [[], ["build"], ["teams", "export"]])
def test_version_everywhere(flag: str, where: list[str], capsys: Capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*where, flag])
    assert exited.value.code == 0
    assert re.fullmatch(r"slate \S+ \(rust-goals-slate\)\n", capsys.readouterr().out)


def test_no_command(capsys: Capsys) -> None:
    line = usage_error(capsys)
    assert line.startswith("slate: give a command: build, check, fcp")


def test_teams_without_its_command(capsys: Capsys) -> None:
    assert usage_error(capsys, "teams").startswith("slate teams: give a command: export")


@pytest.mark.parametrize(("typo", "meant"), [("biuld", "build"), ("chekc", "check"), ("champion", "champions")])
def test_a_misspelt_command_gets_a_suggestion(typo: str, meant: str, capsys: Capsys) -> None:
    assert usage_error(capsys, typo) == f"slate: unknown command {typo!r}; did you mean {meant!r}?"


def test_a_misspelt_subcommand_gets_a_suggestion(capsys: Capsys) -> None:
    assert usage_error(capsys, "teams", "exprt") == "slate teams: unknown command 'exprt'; did you mean 'export'?"


@pytest.mark.usefixtures("nothing_read")
def test_a_misspelt_option_of_a_command(capsys: Capsys) -> None:
    line = usage_error(capsys, "build", SRC, "--strcit")
    assert line == "slate build: unknown option '--strcit'; did you mean --strict?"


@pytest.mark.parametrize("command", ["build", "check", "watch"])
@pytest.mark.parametrize("value", ["notaurl", "ftp://example.org/", "https://", "rust-lang.github.io/goals"])
@pytest.mark.usefixtures("nothing_read")
def test_site_url_must_be_http(command: str, value: str, capsys: Capsys) -> None:
    line = usage_error(capsys, command, SRC, "--teams", TEAMS, "--site-url", value)
    assert line.endswith(f"expected an http(s) URL such as https://goals.rust-lang.org/, not {value!r}")


@pytest.mark.parametrize("option", ["--config", "--readme", "--teams"])
@pytest.mark.parametrize("command", ["build", "check", "fcp", "watch"])
@pytest.mark.usefixtures("nothing_read")
def test_missing_files_named_by_options(option: str, command: str, capsys: Capsys, tmp_path: Path) -> None:
    if option == "--readme" and command == "fcp":
        return  # fcp takes no README
    missing = tmp_path / "missing.toml"
    line = usage_error(capsys, command, SRC, option, missing)
    assert line.startswith(f"slate {command}: argument {option}: {missing} does not exist")


@pytest.mark.parametrize("command", ["build", "watch"])
@pytest.mark.usefixtures("nothing_read")
def test_out_inside_the_period_folder(command: str, capsys: Capsys, tmp_path: Path) -> None:
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLE, root)
    src = root / "src" / "2027"
    before = sorted(p.name for p in src.iterdir())
    for out in (src, src / "build"):
        line = usage_error(capsys, command, src, "-o", out)
        assert line.startswith(f"slate: --out {out}: is inside the period folder")
    assert sorted(p.name for p in src.iterdir()) == before


@pytest.mark.parametrize("command", ["fcp", "team", "champions"])
@pytest.mark.usefixtures("nothing_read")
def test_printing_commands_check_their_out_file_first(command: str, capsys: Capsys, tmp_path: Path) -> None:
    argv: list[str | Path] = [command, *(["lang"] if command == "team" else []), SRC, "--teams", TEAMS, "-o", tmp_path]
    assert "is a folder; name the file to write" in usage_error(capsys, *argv)


def test_a_broken_teams_yaml_is_reported_at_its_line(capsys: Capsys, tmp_path: Path) -> None:
    bad = tmp_path / "teams.yaml"
    bad.write_text("format: slate-teams/1\nteams:\n  - key: [lang\n", encoding="utf-8")
    code, _, err = run(capsys, "build", SRC, "--teams", bad, "-o", tmp_path / "out")
    assert code == 1
    assert f"{bad}:4:1: cannot read team registry" in err
    assert "<unicode string>" not in err
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------------------------------------
# -o/--out and -q/--quiet


@pytest.mark.parametrize("command", ["fcp", "team", "champions"])
def test_out_file_holds_what_standard_output_would(command: str, capsys: Capsys, tmp_path: Path) -> None:
    argv: list[str | Path] = [command, *(["lang"] if command == "team" else []), SRC, "--teams", TEAMS]
    code, printed, _ = run(capsys, *argv)
    assert code == 0 and printed
    code, out, err = run(capsys, *argv, "-o", tmp_path / "doc.md")
    assert (code, out) == (0, "")
    assert (tmp_path / "doc.md").read_text(encoding="utf-8") == printed
    assert err.strip().splitlines()[-1] == f"wrote {tmp_path / 'doc.md'}"
    code, out, err = run(capsys, *argv, "-q", "-o", tmp_path / "quiet.md")
    assert (code, out, err) == (0, "", "")


# ----------------------------------------------------------------------------------------------------------------
# --help: examples, metavars


def _commands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _commands(sub)
    return found


@pytest.mark.parametrize("parser", _commands(_parser()), ids=lambda p: p.prog)
def test_every_help_ends_with_examples_and_says_what_each_value_is(parser: argparse.ArgumentParser) -> None:
    text = parser.format_help()
    examples = text.rsplit("examples:\n", 1)
    assert len(examples) == 2, f"{parser.prog} --help has no examples"
    lines = examples[1].strip().splitlines()
    assert lines and all(line.strip().startswith("slate ") or line.strip().startswith("cd ") for line in lines)
    for action in parser._actions:
        long = [o for o in action.option_strings if o.startswith("--")]
        if action.nargs == 0 or not long or action.choices is not None:
            continue
        # a metavar that says what the value is (PATH, N, DATE, URL), never the option's name again
        assert action.metavar is not None, f"{parser.prog} {long[0]} has no metavar"
        assert str(action.metavar) != long[0][2:].upper().replace("-", "_"), f"{parser.prog} {long[0]}"
    quiet_and_version = {"-q", "-V"} if parser.prog not in ("slate", "slate teams") else {"-V"}
    assert quiet_and_version <= set(parser._option_string_actions), parser.prog


# ----------------------------------------------------------------------------------------------------------------
# SRC: one rule


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLE, root)
    shutil.copytree(root / "src" / "2027", root / "src" / "2026")
    return root


@pytest.mark.parametrize("command", ["build", "fcp", "team", "champions"])
def test_no_src_in_a_repository_reads_its_newest_period_and_says_so(
    command: str, repository: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repository / "src")
    argv: list[str | Path] = [
        command,
        *(["lang"] if command == "team" else []),
        *(["-o", "../out"] if command == "build" else []),
    ]
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    assert err.splitlines()[0] == f"slate {command}: reading 2027 (the newest period of the repository at ..)"


def test_no_src_in_a_period_folder_reads_that_period(
    repository: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repository / "src" / "2027" / "c-header-export.md").unlink()  # the newest period now differs from 2026
    monkeypatch.chdir(repository / "src" / "2026")
    code, _, err = run(capsys, "build", "-o", repository / "out")
    assert code == 0, err
    assert err.splitlines()[0] == "slate build: reading . (the period folder you are in)"
    assert run(capsys, "build", repository / "src" / "2026", "-o", repository / "given")[0] == 0
    assert (repository / "out" / "rfc.md").read_bytes() == (repository / "given" / "rfc.md").read_bytes()
    assert "c-header-export" in (repository / "out" / "rfc.md").read_text(encoding="utf-8")


def test_check_without_src_checks_every_period(
    repository: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repository)
    code, _, err = run(capsys, "check")
    assert code == 0, err
    assert [line.split(":")[1].strip() for line in err.splitlines() if line.startswith("slate check:")] == [
        "src/2026",
        "src/2027",
    ]


def test_outside_any_repository(capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "no goals repository" in usage_error(capsys, "build")


@pytest.mark.corpus
@pytest.mark.skipif(not HEAD.is_dir(), reason="needs ../shared/corpus/head")
def test_head_without_src(capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HEAD)
    code, _, err = run(capsys, "build", "-o", tmp_path / "out", "-q")
    assert code == 0 and err.startswith("slate build: 0 errors")
    code, out, err = run(capsys, "fcp", "--teams", "team")
    assert code == 0 and out.startswith("**FCP checkboxes for the 2026 goals.**")
    assert err.splitlines()[0] == "slate fcp: reading src/2026 (the newest period of the repository at .)"
    # the archived libs-api team's asks are in the libs section, so the comment can be posted as is
    assert "### libs-api team" not in out
    libs = out.split("### libs team", 1)[1].split("\n### ", 1)[0]
    assert libs.count(", asked of libs-api\n") == 14
    code, _, err = run(capsys, "check", "-q")
    assert code == 0
    assert os.path.isdir(HEAD / "src" / "2024h2") and "slate check: src/2024h2:" in err


def test_text_paths_are_relative_to_the_current_folder(
    repository: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    goal = repository / "src" / "2027" / "c-header-export.md"
    goal.write_text(goal.read_text(encoding="utf-8").replace("| Status ", "| Statsu ", 1), encoding="utf-8")
    monkeypatch.chdir(repository / "src" / "2027")
    _, text, _ = run(capsys, "check", "-q", "--strict")
    assert "\nc-header-export.md:" in "\n" + text and "\nsrc/2027/" not in "\n" + text
    _, json_out, _ = run(capsys, "check", "--format", "json")
    assert '"path": "src/2027/c-header-export.md"' in json_out  # tools and annotations: relative to the root
    monkeypatch.chdir(repository)
    _, text, _ = run(capsys, "check", "src/2027", "-q", "--strict")
    assert "\nsrc/2027/c-header-export.md:" in "\n" + text
    code, _, err = run(capsys, "build", "-o", repository / "out")
    assert code == 1 and "\nsrc/2027/c-header-export.md:" in "\n" + err


def test_check_writes_its_report_to_out(capsys: Capsys, tmp_path: Path) -> None:
    code, printed, _ = run(capsys, "check", SRC, "--teams", TEAMS, "--format", "json")
    assert run(capsys, "check", SRC, "--teams", TEAMS, "--format", "json", "-o", tmp_path / "r.json")[:2] == (code, "")
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == printed
