"""`slate check` on the command line: the three formats, exit codes, and no traceback ever."""

from __future__ import annotations

import json
import re
import shlex
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import rust_goals_slate.cli.check
from rust_goals_slate.cli.check import format_github
from rust_goals_slate.cli.main import INTERNAL_ERROR, main
from rust_goals_slate.errors import Diagnostic, Location, Severity
from tests.check_cases import BASE, materialize, src_of
from tests.support import ROOT

Capsys = pytest.CaptureFixture[str]


def run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def case(name: str, tmp_path: Path) -> list[str]:
    root = materialize(name, tmp_path)
    return [str(src_of(root)), "--teams", str(root / "teams.yaml")]


def test_clean_slate_exits_0_and_says_so(capsys: Capsys) -> None:
    code, out, err = run(capsys, "check", str(BASE / "src" / "2099"))
    assert (code, out) == (0, "")
    assert err == "slate check: no problems found\n"


def test_text_format_shows_location_source_line_caret_and_hint(capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "check", *case("missing-champion", tmp_path))
    assert code == 0  # a warning alone
    assert out.splitlines() == [
        "src/2099/alpha.md:30:4: warning: Medium ask of team 'lang' has no champion [missing-champion]",
        "   30 | | [lang]     | Medium        | Design review of the cache key |",
        "           ^",  # under the team's name
        "  hint: add `| [lang] champion | @handle |` to the metadata",
    ]
    assert err == "slate check: 0 errors, 1 warning\n"


def test_strict_makes_warnings_fail(capsys: Capsys, tmp_path: Path) -> None:
    code, _, _ = run(capsys, "check", *case("missing-champion", tmp_path), "--strict")
    assert code == 1


def test_errors_exit_1(capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "check", *case("unknown-team", tmp_path))
    assert code == 1
    assert out.startswith("src/2099/alpha.md:32:4: error: unknown team 'compilr' [unknown-team]\n")
    assert "  hint: did you mean 'compiler'?\n" in out
    assert err == "slate check: 1 error, 0 warnings\n"


def test_json_format(capsys: Capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", *case("unknown-team", tmp_path), "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "src/2099/alpha.md",
            "line": 32,
            "col": 4,
            "severity": "error",
            "code": "unknown-team",
            "message": "unknown team 'compilr'",
            "hint": "did you mean 'compiler'?",
            "source_line": "| [compilr] | Small         | Code reviews                   |",
        }
    ]


def test_json_format_of_a_clean_slate_is_an_empty_list(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "check", str(BASE / "src" / "2099"), "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_json_format_gives_whole_file_problems_no_line(capsys: Capsys, tmp_path: Path) -> None:
    _, out, _ = run(capsys, "check", *case("empty-file", tmp_path), "--format", "json")
    [item] = json.loads(out)
    assert (item["path"], item["line"], item["col"], item["source_line"]) == ("src/2099/notes.md", None, None, None)


def test_github_format(capsys: Capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", *case("unknown-team", tmp_path), "--format", "github")
    assert code == 1
    assert out == (
        "::error file=src/2099/alpha.md,line=32,col=4,title=slate unknown-team::"
        "unknown team 'compilr'%0Ahint: did you mean 'compiler'?\n"
    )


def test_github_format_escapes_properties_and_data() -> None:
    d = Diagnostic(Location("src/a,b:c.md", 3, 2), Severity.WARNING, "x", "100% sure\nreally", None)
    whole_file = Diagnostic(Location("src/b.md"), Severity.ERROR, "y", "bad")
    assert format_github([d, whole_file]) == (
        "::warning file=src/a%2Cb%3Ac.md,line=3,col=2,title=slate x::100%25 sure%0Areally\n"
        "::error file=src/b.md,title=slate y::bad\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "{src}", "--format", "xml"],
        ["check", "{src}", "--no-such-option"],
        ["check", "{missing}"],
        ["check", "{src}", "--start-date", "tomorrow"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: Capsys, tmp_path: Path) -> None:
    args = [a.format(src=BASE / "src" / "2099", missing=tmp_path / "nowhere") for a in argv]
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.startswith(("slate: ", "slate check: "))


def test_unreadable_team_data_is_reported_in_the_requested_format(capsys: Capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", *case("unreadable-team-data", tmp_path), "--format", "json")
    assert code == 1
    assert [d["code"] for d in json.loads(out)] == ["unreadable-input"]


def test_check_writes_nothing(capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = materialize("missing-champion", tmp_path)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    monkeypatch.chdir(tmp_path)
    run(capsys, "check", str(src_of(root)))
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slate"]


@pytest.mark.parametrize("command", ["check", "build"])
def test_unexpected_exception_is_an_internal_error_not_a_traceback(
    command: str, capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.delenv("SLATE_TRACEBACK", raising=False)
    monkeypatch.setattr(rust_goals_slate.cli.check, "compile_slate", broken)
    monkeypatch.setattr(sys.modules["rust_goals_slate.pipeline.build"], "compile_slate", broken)
    extra = ["--out", str(tmp_path / "out")] if command == "build" else []
    code, out, err = run(capsys, command, str(BASE / "src" / "2099"), *extra)
    assert code == INTERNAL_ERROR
    assert "slate: internal error, please report it" in err
    assert "RuntimeError: boom" in err
    assert "Traceback" not in err + out
    assert not (tmp_path / "out").exists()


def test_pre_commit_hooks_run_slate_check(capsys: Capsys) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"slate-check", "slate-check-strict"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert re.search(hook["files"], "src/2026/const-generics.md")
        assert not re.search(hook["files"], "compiler/rust_goals_slate/cli/main.py")
        program, *argv = shlex.split(hook["entry"])
        assert program == "slate"  # the console script of pyproject.toml
        code, _, _ = run(capsys, *argv, str(BASE / "src" / "2099"), "--teams", str(BASE / "teams.yaml"))
        assert code == 0


def test_documented_workflow_is_valid_and_its_commands_run(capsys: Capsys) -> None:
    doc = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(doc.split("```yaml\n", 1)[1].split("\n```", 1)[0])
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "teams.yaml" in triggers["pull_request"]["paths"]  # a change of the pinned team data is checked again
    steps = workflow["jobs"]["check"]["steps"]
    installs = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    distribution = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
    assert len(installs) == 1 and re.fullmatch(
        rf'python -m pip install "{distribution} @ git\+https://\S+@v[\d.]+"', installs[0]
    )
    script = next(s["run"] for s in steps if s.get("name") == "slate check")
    commands = [line.strip() for line in script.splitlines() if line.strip().startswith("slate check")]
    assert len(commands) == 2
    for command in commands:
        argv = shlex.split(command.split(">")[0].replace("$PERIOD", "2099"))[1:]
        argv = [str(BASE / a) if a in ("src/2099", ".team", "teams.yaml") else a for a in argv]
        argv = [str(BASE / "teams.yaml") if a == str(BASE / ".team") else a for a in argv]
        code, _, _ = run(capsys, *argv)
        assert code == 0
