"""The goals repository: book.toml's `[output.html] git-repository-url`, `--goals-repo`, and the renamed repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rust_goals_slate.cli.check import check
from rust_goals_slate.cli.main import main
from rust_goals_slate.model import Config, Options
from rust_goals_slate.pipeline.build import Request
from rust_goals_slate.sources.config import load_config
from tests.check_cases import BASE


def _book(tmp_path: Path, html: str) -> Path:
    book = tmp_path / "book.toml"
    book.write_text(f"[book]\ntitle = 't'\n\n[output.html]\n{html}\n", encoding="utf-8")
    return book


@pytest.mark.parametrize(
    ("url", "repository"),
    [
        ("https://github.com/rust-lang/goals", "rust-lang/goals"),
        ("https://github.com/rust-lang/rust-project-goals/", "rust-lang/rust-project-goals"),
        ("https://github.com/someone/goals-fork.git", "someone/goals-fork"),
    ],
)
def test_repository_comes_from_git_repository_url(tmp_path: Path, url: str, repository: str) -> None:
    book = _book(tmp_path, f'git-repository-url = "{url}"')
    config, problems = load_config(tmp_path, "2099", book, None, Options())
    assert (config.goals_repository, problems) == (repository, [])


def test_goals_repo_option_wins_over_book_toml(tmp_path: Path) -> None:
    book = _book(tmp_path, 'git-repository-url = "https://github.com/rust-lang/goals"')
    config, _ = load_config(tmp_path, "2099", book, None, Options(goals_repo="me/my-goals"))
    assert config.goals_repository == "me/my-goals"
    assert config.is_goals_repository("me/my-goals")
    assert not config.is_goals_repository("rust-lang/goals")


def test_both_names_of_the_rust_lang_repository_are_the_goals_repository() -> None:
    for configured in ("rust-lang/goals", "rust-lang/rust-project-goals"):
        config = Config(period="2099", goals_repository=configured)
        assert config.is_goals_repository("rust-lang/goals")
        assert config.is_goals_repository("Rust-Lang/Rust-Project-Goals")
        assert not config.is_goals_repository("rust-lang/rust")


def test_hints_name_the_configured_repository(tmp_path: Path) -> None:
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    beta = root / "src" / "2099" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("[rust-lang/rust-project-goals#2]", "#2"), "utf-8")
    request = Request(src=root / "src" / "2099", teams=root / "teams.yaml", options=Options(goals_repo="me/goals"))
    found = {d.code: d for d in check(request)}
    assert found["malformed-tracking-issue"].hint == "write `[me/goals#N]`, or leave the cell empty"
    alpha = found["tracking-issue-repository"]  # the base slate's [rust-lang/rust-project-goals#1]
    assert "(me/goals)" in alpha.message and alpha.hint is not None and "in me/goals " in alpha.hint


@pytest.mark.parametrize("value", ["goals", "rust-lang/goals/extra", "https://github.com/rust-lang/goals"])
def test_goals_repo_must_be_owner_slash_name(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(BASE / "src" / "2099"), "--teams", str(BASE / "teams.yaml"), "--goals-repo", value])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [f"slate: --goals-repo must be OWNER/NAME (e.g. rust-lang/goals), not {value!r}"]
