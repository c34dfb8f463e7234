"""User mistakes on the command line are usage errors: exit 2, one line on stderr, nothing written, no traceback.

Also `--quiet` (failed builds and `check`) and the summary line that closes `slate build`.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from tests.support import ROOT

Capsys = pytest.CaptureFixture[str]

EXAMPLE = ROOT / "goals"
SRC = EXAMPLE / "src" / "2027"
TEAMS = EXAMPLE / "teams.yaml"
SUMMARY = re.compile(r"slate build: (?:no problems found|(\d+) errors?, (\d+) warnings?)(; nothing was written)?; (.*)")


def run(capsys: Capsys, *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_usage_error(code: int, out: str, err: str, *expected: str) -> None:
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    for text in expected:
        assert text in lines[0]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a folder\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["build", "watch"])
def test_out_naming_an_existing_file(command: str, capsys: Capsys, a_file: Path) -> None:
    code, out, err = run(capsys, command, SRC, "--teams", TEAMS, "--out", a_file)
    assert_usage_error(code, out, err, "--out", str(a_file), "is a file")
    assert a_file.read_text(encoding="utf-8") == "not a folder\n"


def test_out_under_a_file(capsys: Capsys, a_file: Path) -> None:
    code, out, err = run(capsys, "build", SRC, "--teams", TEAMS, "--out", a_file / "build")
    assert_usage_error(code, out, err, f"{a_file} is a file, not a folder")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("place", ["/proc/slate-out", "/proc/self/slate-out/deeper"])
def test_out_in_a_place_no_one_can_write(place: str, capsys: Capsys) -> None:
    # /proc accepts no new files, not even from root (CI runs as root, so permission bits prove nothing there)
    code, out, err = run(capsys, "build", SRC, "--teams", TEAMS, "--out", place)
    assert_usage_error(code, out, err, f"--out {place}: cannot write in /proc")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#3935", "give the number alone: --rfc-number 3935"),
        ("rust-lang/rfcs#3935", "give the number alone: --rfc-number 3935"),
        ("abc", "expected the rust-lang/rfcs pull request number, e.g. 3935, not 'abc'"),
        ("", "expected the rust-lang/rfcs pull request number, e.g. 3935, not ''"),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_rfc_number_that_is_not_a_number(
    command: str, value: str, expected: str, capsys: Capsys, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    extra = ["--out", str(out_dir)] if command == "build" else []
    code, out, err = run(capsys, command, SRC, "--teams", TEAMS, *extra, "--rfc-number", value)
    assert_usage_error(code, out, err, f"slate {command}: argument --rfc-number: {expected}")
    assert not out_dir.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-13-01", "2026-13-01 is not a date (month must be in 1..12)"),
        ("2026-02-30", "2026-02-30 is not a date (day is out of range for month)"),
        ("tomorrow", "expected a date as YYYY-MM-DD, e.g. 2027-02-15, not 'tomorrow'"),
        ("15.02.2027", "expected a date as YYYY-MM-DD, e.g. 2027-02-15, not '15.02.2027'"),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_invalid_start_date(command: str, value: str, expected: str, capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, command, SRC, "--teams", TEAMS, "--start-date", value)
    assert_usage_error(code, out, err, f"argument --start-date: {expected}")


def test_a_real_start_date_is_taken(capsys: Capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "build", SRC, "--teams", TEAMS, "--out", tmp_path, "--start-date", "2028-02-29")
    assert code == 0, err
    assert "- Start Date: 2028-02-29\n" in (tmp_path / "rfc.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["build", "check", "watch"])
def test_missing_templates_folder(command: str, capsys: Capsys, tmp_path: Path) -> None:
    missing = tmp_path / "my-templates"
    code, out, err = run(capsys, command, SRC, "--teams", TEAMS, "--templates", missing)
    assert_usage_error(code, out, err, f"argument --templates: {missing} does not exist")


def test_templates_naming_a_file(capsys: Capsys, a_file: Path) -> None:
    code, out, err = run(capsys, "build", SRC, "--teams", TEAMS, "--templates", a_file)
    assert_usage_error(code, out, err, f"{a_file} is not a folder")


def test_override_that_matches_no_template(capsys: Capsys, tmp_path: Path) -> None:
    folder = tmp_path / "my-templates"
    folder.mkdir()
    (folder / "size_tabel.md.j2").write_text("{{ rows }}\n", encoding="utf-8")
    code, out, err = run(capsys, "build", SRC, "--teams", TEAMS, "--out", tmp_path / "out", "--templates", folder)
    hint = "did you mean 'size_table.md.j2'?"
    assert_usage_error(code, out, err, f"{folder / 'size_tabel.md.j2'} overrides no template of slate; {hint}")
    assert not (tmp_path / "out").exists()


def test_override_of_a_real_template_is_used(capsys: Capsys, tmp_path: Path) -> None:
    folder = tmp_path / "my-templates"
    folder.mkdir()
    (folder / "header.md.j2").write_text("- Feature Name: overridden\n", encoding="utf-8")
    (folder / "NOTES.txt").write_text("not a template: ignored\n", encoding="utf-8")
    code, _, err = run(capsys, "build", SRC, "--teams", TEAMS, "--out", tmp_path / "out", "--templates", folder)
    assert code == 0, err
    assert (tmp_path / "out" / "rfc.md").read_text(encoding="utf-8").startswith("- Feature Name: overridden\n")


def test_watch_without_its_extra(capsys: Capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # as if the watch extra were not installed
    code, out, err = run(capsys, "watch", SRC, "--teams", TEAMS, "--out", tmp_path / "out")
    assert_usage_error(code, out, err, "slate watch needs the watch extra: pip install 'rust-goals-slate[watch]'")
    assert not (tmp_path / "out").exists()


def test_teams_export_to_a_folder(capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "teams", "export", tmp_path, "-o", tmp_path)
    assert_usage_error(code, out, err, f"-o {tmp_path}: is a folder")


def test_teams_export_under_a_file(capsys: Capsys, a_file: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "teams", "export", tmp_path, "-o", a_file / "teams.yaml")
    assert_usage_error(code, out, err, f"{a_file} is a file, not a folder")


# --------------------------------------------------------------------------------------------------------------
# --quiet and the summary line


def broken_example(tmp_path: Path) -> Path:
    """The example with one error (an unknown status); it keeps its warning (the RFC PR placeholder)."""
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLE, root)
    goal = root / "src" / "2027" / "c-header-export.md"
    text = goal.read_text(encoding="utf-8")
    goal.write_text(text.replace("| Proposed ", "| Someday  ", 1), encoding="utf-8")
    return root


def counted(err: str) -> tuple[int, int]:
    """The errors and warnings printed as diagnostics (their first lines)."""
    heads = [line for line in err.splitlines() if re.match(r"\S+:\d+:\d+: (error|warning): ", line)]
    return sum(": error: " in h for h in heads), sum(": warning: " in h for h in heads)


def summary_of(err: str) -> re.Match[str]:
    last = err.splitlines()[-1]
    m = SUMMARY.fullmatch(last)
    assert m, last
    return m


def test_build_ends_with_a_summary_line_that_counts_what_it_printed(capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "build", SRC, "--teams", TEAMS, "--out", tmp_path)
    assert code == 0
    m = summary_of(err)
    errors, warnings = counted(err)
    assert (errors, warnings) != (0, 0)  # the example keeps one warning, so the counts are exercised
    assert (int(m.group(1)), int(m.group(2))) == (errors, warnings)
    assert m.group(3) is None
    assert m.group(4) == f"team data: {os.path.relpath(TEAMS)}"  # relative to the current folder
    assert out.splitlines() == [f"wrote {tmp_path / 'rfc.md'}", f"wrote {tmp_path / 'pr-body.md'}"]


def test_failed_build_summary_says_nothing_was_written(capsys: Capsys, tmp_path: Path) -> None:
    root = broken_example(tmp_path)
    code, out, err = run(capsys, "build", root / "src" / "2027", "--out", tmp_path / "out")
    assert code == 1 and out == ""
    m = summary_of(err)
    assert (int(m.group(1)), int(m.group(2))) == counted(err) and int(m.group(1)) >= 1
    assert m.group(3) == "; nothing was written"
    assert m.group(4) == f"team data: {root / 'teams.yaml'}"
    assert "[unknown-status]" in err
    assert not (tmp_path / "out").exists()


def test_quiet_failed_build_prints_errors_and_the_summary_only(capsys: Capsys, tmp_path: Path) -> None:
    root = broken_example(tmp_path)
    _, _, loud = run(capsys, "build", root / "src" / "2027", "--out", tmp_path / "out")
    code, out, err = run(capsys, "build", root / "src" / "2027", "--out", tmp_path / "out", "--quiet")
    assert code == 1 and out == ""
    assert counted(loud)[1] >= 1 and "warning:" not in err
    assert counted(err) == (counted(loud)[0], 0)
    assert err.splitlines()[-1] == loud.splitlines()[-1]  # the summary still counts the warnings left out


def test_quiet_build_prints_the_summary_only(capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "build", SRC, "--teams", TEAMS, "--out", tmp_path, "--quiet")
    assert code == 0 and out == ""
    assert len(err.splitlines()) == 1
    summary_of(err)
    assert (tmp_path / "rfc.md").stat().st_size > 0


def test_quiet_strict_build_still_shows_the_warnings_that_fail_it(capsys: Capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "build", SRC, "--teams", TEAMS, "--out", tmp_path, "--quiet", "--strict")
    assert code == 1
    assert counted(err)[1] >= 1
    assert summary_of(err).group(3) == "; nothing was written"


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_quiet_check_reports_errors_only(fmt: str, capsys: Capsys, tmp_path: Path) -> None:
    root = broken_example(tmp_path)
    _, loud, loud_err = run(capsys, "check", root / "src" / "2027", "--format", fmt)
    code, out, err = run(capsys, "check", root / "src" / "2027", "--format", fmt, "--quiet")
    assert code == 1
    assert "header-placeholder" in loud and "unknown-status" in loud
    assert "header-placeholder" not in out and "unknown-status" in out
    assert err == loud_err  # the summary line is the same: it still counts the warning


def test_quiet_strict_check_keeps_warnings(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "check", SRC, "--teams", TEAMS, "--quiet", "--strict")
    assert code == 1
    assert "header-placeholder" in out
