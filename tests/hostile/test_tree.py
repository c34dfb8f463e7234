"""Nothing outside the tree is read: a symbolic link out of the period folder, the input root or a team checkout is
reported and not followed, whatever the file's kind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.hostile.slates import PERIOD, check, example, run

SECRET = "https://secret.invalid/leaked"


def outside_file(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "elsewhere").mkdir(exist_ok=True)
    path = tmp_path / "elsewhere" / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["notes.txt", "diagram.png", "data.json"])
def test_a_link_out_of_the_period_folder_is_an_error_whatever_its_kind(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    (root / PERIOD / name).symlink_to(outside_file(tmp_path, name, "secret"))
    code, diagnostics = check(capsys, root)
    assert code == 1
    found = [d for d in diagnostics if d["code"] == "symlink-outside"]
    assert [d["path"] for d in found] == [f"{PERIOD}/{name}"]


def test_a_link_inside_the_period_folder_is_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    (root / PERIOD / "notes.txt").write_text("x")
    (root / PERIOD / "alias.txt").symlink_to("notes.txt")
    code, diagnostics = check(capsys, root)
    assert code == 0 and not [d for d in diagnostics if d["code"] == "symlink-outside"]


def test_book_toml_linked_from_outside_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    text = (root / "book.toml").read_text().replace("https://img.shields.io/badge/Help%20wanted-yellow", SECRET)
    (root / "book.toml").unlink()
    (root / "book.toml").symlink_to(outside_file(tmp_path, "book.toml", text))
    code, _, err = run(capsys, "build", root / PERIOD, "--teams", root / "teams.yaml", "--out", tmp_path / "out")
    assert code == 1
    assert "book.toml: error: symbolic link points outside the input root" in err
    assert not (tmp_path / "out" / "rfc.md").exists() or SECRET not in (tmp_path / "out" / "rfc.md").read_text()


def test_goals_toml_linked_from_outside_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    text = (root / "rust-project-goals.toml").read_text()
    (root / "rust-project-goals.toml").unlink()
    (root / "rust-project-goals.toml").symlink_to(outside_file(tmp_path, "rust-project-goals.toml", text))
    code, diagnostics = check(capsys, root)
    assert code == 1
    assert [d["path"] for d in diagnostics if d["code"] == "symlink-outside"] == ["rust-project-goals.toml"]


def team_checkout(root: Path) -> Path:
    (root / "teams").mkdir(parents=True)
    (root / "people").mkdir()
    (root / "teams" / "lang.toml").write_text('name = "lang"\n[people]\nleads = ["alice"]\nmembers = []\n')
    (root / "people" / "alice.toml").write_text('name = "Alice"\ngithub = "alice"\n')
    return root


def test_a_link_out_of_a_team_checkout_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checkout = team_checkout(tmp_path / "team")
    (checkout / "people" / "mallory.toml").symlink_to(outside_file(tmp_path, "m.toml", 'name = "x"\ngithub = "m"\n'))
    code, out, err = run(capsys, "teams", "export", checkout, "-o", "-")
    assert code == 1 and not out
    assert "mallory.toml: symbolic link points outside the team checkout" in err


def test_a_linked_team_folder_out_of_the_checkout_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = team_checkout(tmp_path / "team")
    shutil.move(checkout / "people", tmp_path / "people")
    (checkout / "people").symlink_to(tmp_path / "people")
    code, _, err = run(capsys, "teams", "export", checkout, "-o", "-")
    assert code == 1
    assert "people: symbolic link points outside the team checkout" in err


def test_a_linked_team_checkout_is_the_users_choice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checkout = team_checkout(tmp_path / "team")
    (checkout / "people" / "al.toml").symlink_to("alice.toml")
    os.symlink(checkout, tmp_path / "linked")
    code, out, _ = run(capsys, "teams", "export", tmp_path / "linked", "-o", "-")
    assert code == 0 and "login: alice" in out


def test_new_period_copies_no_sample_from_outside_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    samples = root / "src" / "admin" / "samples"
    samples.mkdir(parents=True)
    (samples / "rfc.md").symlink_to(outside_file(tmp_path, "rfc.md", "# Secret\n\nhttps://secret.invalid/\n"))
    code, _, err = run(capsys, "new-period", "2028", root)
    assert code == 1 and "rfc.md: symbolic link points outside the repository" in err
    assert not (root / "src" / "2028").exists()
