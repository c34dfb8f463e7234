"""What is shown is what is there: control and invisible characters are reported and shown escaped in every
diagnostic format, goal file names that a URL cannot hold are reported (and linked percent-encoded, or not read),
and header options with line breaks or bytes that are not UTF-8 are usage errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.hostile.slates import PERIOD, check, example, run

GOAL = "c-header-export.md"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"  # set the terminal's title, clear its screen


def spoil(root: Path, old: str, new: str, name: str = GOAL) -> Path:
    path = root / PERIOD / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_control_characters_are_reported_and_shown_escaped(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    spoil(root, "# Emit C headers from Rust crates", f"# Emit C headers from Rust crates{ESCAPES}")
    code, out, err = run(capsys, "check", root / PERIOD, "--teams", root / "teams.yaml", "--format", fmt)
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "control-character" in out + err
    assert "\\x1b" in out + err or fmt == "github"  # annotations quote no source line


def test_the_caret_stays_under_an_escaped_character(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    spoil(root, "# Emit C headers from Rust crates", "# Emit\x1b C headers\x07 from Rust crates")
    _, out, _ = run(capsys, "check", root / PERIOD, "--teams", root / "teams.yaml")
    lines = out.splitlines()
    at = lines.index(next(line for line in lines if "U+0007 (BEL)" in line))
    source, caret = lines[at + 1], lines[at + 2]
    assert source[caret.index("^") :].startswith("\\x07")


def test_invisible_characters_in_a_row_are_reported_at_their_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    path = spoil(root, "| Point of contact    | @bashir-o ", "| Point of contact    | @\u202ebashir-o ")
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("\u202e")].count("\n") + 1
    column = text.index("\u202e") - text.rfind("\n", 0, text.index("\u202e"))
    code, diagnostics = check(capsys, root)
    assert code == 1
    found = [d for d in diagnostics if d["code"] == "invisible-character"]
    assert [(d["path"], d["line"], d["col"]) for d in found] == [(f"{PERIOD}/{GOAL}", line, column)]
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in found[0]["message"]
    assert "\\u202e" in found[0]["source_line"] and "\u202e" not in json.dumps(diagnostics, ensure_ascii=False)


def test_an_invisible_character_in_a_team_name_is_not_dropped_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    path = root / PERIOD / GOAL
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "] champion" in line)
    spoil(root, row, row.replace("[", "[\u200b", 1))
    code, diagnostics = check(capsys, root)
    assert code == 1
    assert [d["code"] for d in diagnostics if d["code"] == "invisible-character"] == ["invisible-character"]


def test_invisible_characters_in_prose_are_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    spoil(root, "# Emit C headers from Rust crates", "# Emit C headers from Rust\u200bcrates")
    code, _ = check(capsys, root)
    assert code == 0


def test_a_file_name_with_a_blank_is_reported_and_linked_percent_encoded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    os.rename(root / PERIOD / GOAL, root / PERIOD / "c header export.md")
    for page in (root / PERIOD).glob("*.md"):
        page.write_text(page.read_text(encoding="utf-8").replace(f"./{GOAL}", "./c%20header%20export.md"))
    code, _, err = run(capsys, "build", root / PERIOD, "--teams", root / "teams.yaml", "--out", tmp_path / "out")
    assert code == 0, err
    assert "c header export.md: warning: file name 'c header export.md' has characters a URL cannot hold" in err
    rfc = (tmp_path / "out" / "rfc.md").read_text(encoding="utf-8")
    assert "/2027/c%20header%20export.html" in rfc and "c header export.html" not in rfc


@pytest.mark.parametrize(
    ("name", "shown"),
    [("evil\nforged.md:1:1: error: x.md", "evil\\nforged.md"), (b"caf\xe9.md", "caf\\xe9.md")],
)
def test_a_file_name_with_a_line_break_or_not_utf8_is_not_read(
    name: str | bytes, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    raw = os.fsencode(root / PERIOD) + b"/" + (name if isinstance(name, bytes) else name.encode())
    with open(raw, "wb") as fh:
        fh.write(b"# A goal\n")
    code, _, err = run(capsys, "build", root / PERIOD, "--teams", root / "teams.yaml", "--out", tmp_path / "out")
    assert code == 1 and "Traceback" not in err
    line = next(line for line in err.splitlines() if "[unreadable]" in line)
    assert line.startswith(f"{PERIOD}/{shown}")
    assert not any(line.startswith("forged.md") for line in err.splitlines())


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--rust-issue", "N/A\n- RFC PR: forged"),
        ("--feature-name", "x\r\ny"),
        ("--feature-name", "x\x1b[2J"),
        ("--feature-name", os.fsdecode(b"caf\xe9")),
        ("--rust-issue", os.fsdecode(b"\xff")),
        ("--site-url", "https://" + os.fsdecode(b"\xff") + ".invalid/"),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_header_options_must_be_one_line_of_utf8(
    command: str, option: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    extra = ["--out", str(tmp_path / "out")] if command == "build" else []
    code, out, err = run(capsys, command, root / PERIOD, "--teams", root / "teams.yaml", option, value, *extra)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and option in err and "Traceback" not in err
    assert "\x1b" not in err
    assert not (tmp_path / "out").exists()


def test_a_folder_name_that_is_not_utf8_is_reported_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    folder = os.fsencode(root / PERIOD) + b"/notes\xff"
    os.mkdir(folder)
    with open(folder + b"/page.md", "wb") as fh:
        fh.write(b"# A page\n")
    code, out, err = run(capsys, "check", root / PERIOD, "--teams", root / "teams.yaml")
    assert code == 1 and "Traceback" not in err
    assert f"{PERIOD}/notes\\xff/page.md: error: file name is not valid UTF-8; not read [unreadable]" in out


def test_a_teams_yaml_source_is_shown_escaped_on_the_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    teams = root / "teams.yaml"
    text = teams.read_text(encoding="utf-8")
    source = 'source:\n  repository: "a\\e]0;pwned\\a/b"\n  commit: "0123"\n'
    teams.write_text(text.replace("teams:\n", source + "teams:\n", 1))
    code, _, err = run(capsys, "build", root / PERIOD, "--teams", teams, "--out", tmp_path / "out")
    assert code == 0
    assert "\x1b" not in err and "a\\x1b]0;pwned\\x07/b@0123" in err


def test_an_input_error_is_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    teams = tmp_path / "te\x1bams.yaml"
    teams.write_text("format: slate-teams/1\nteams: 5\n", encoding="utf-8")
    code, out, err = run(capsys, "build", root / PERIOD, "--teams", teams, "--out", tmp_path / "out")
    assert code == 1 and "\x1b" not in out + err and "te\\x1bams.yaml:2: 'teams' must be a list" in err
