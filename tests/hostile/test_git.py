"""A repository is input: no git call slate makes runs a program that the repository's configuration names.

Each case prepares a repository whose configuration would create a marker file if git ran the program it names,
runs the slate command that reads that repository (`teams export`, `diff --rev`), and checks that the marker is
never created and that the command still did its work.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.sources import git as slate_git
from tests.gitrepo import git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

GOAL = "# A goal\n\n| Metadata | |\n|---|---|\n| Point of contact | @alice |\n| Status | Proposed |\n"


def program(tmp_path: Path, name: str) -> tuple[str, Path]:
    """A shell command that creates a marker (and passes its input through, as a filter must)."""
    marker = tmp_path / f"RAN-{name}"
    script = tmp_path / f"{name}.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script), marker


def team_repo(root: Path) -> Path:
    (root / "teams").mkdir(parents=True)
    (root / "people").mkdir()
    (root / "teams" / "lang.toml").write_text('name = "lang"\n[people]\nleads = ["alice"]\nmembers = []\n')
    (root / "people" / "alice.toml").write_text('name = "Alice"\ngithub = "alice"\n')
    (root / ".gitattributes").write_text("* filter=evil\n*.md export-subst\n")
    (root / "goals" / "2027").mkdir(parents=True)
    (root / "goals" / "2027" / "a-goal.md").write_text(GOAL + "\n$Format:%G?$\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "teams")
    return root


def sign_head(root: Path) -> None:
    """Replace HEAD by the same commit with a (fake) signature, so that verifying it would call gpg.program."""
    raw = git(root, "cat-file", "commit", "HEAD")
    header, _, message = raw.partition("\n\n")
    signature = " -----BEGIN PGP SIGNATURE-----\n \n xx\n -----END PGP SIGNATURE-----"
    signed = f"{header}\ngpgsig{signature}\n\n{message}\n"
    oid = git(root, "hash-object", "-t", "commit", "-w", "--stdin", stdin=signed)
    git(root, "update-ref", "HEAD", oid)


def touch_files(root: Path) -> None:
    """Make the working tree's files stat-dirty, so that a refreshing command would re-read them through filters."""
    later = time.time() + 5
    for path in root.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            os.utime(path, (later, later))


def configure_filter(root: Path, tmp_path: Path) -> Path:
    cmd, marker = program(tmp_path, "filter")
    git(root, "config", "filter.evil.clean", cmd)
    git(root, "config", "filter.evil.smudge", cmd)
    touch_files(root)
    return marker


def configure_process_filter(root: Path, tmp_path: Path) -> Path:
    cmd, marker = program(tmp_path, "process")
    git(root, "config", "filter.evil.process", cmd)
    touch_files(root)
    return marker


def configure_index_hook(root: Path, tmp_path: Path) -> Path:
    cmd, marker = program(tmp_path, "hook")
    hook = root / ".git" / "hooks" / "post-index-change"
    shutil.copy(cmd, hook)
    hook.chmod(0o755)
    touch_files(root)
    return marker


def configure_hooks_path(root: Path, tmp_path: Path) -> Path:
    cmd, marker = program(tmp_path, "hookspath")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(cmd, hooks / "post-index-change")
    (hooks / "post-index-change").chmod(0o755)
    git(root, "config", "core.hooksPath", str(hooks))
    touch_files(root)
    return marker


def configure_fsmonitor(root: Path, tmp_path: Path) -> Path:
    cmd, marker = program(tmp_path, "fsmonitor")
    git(root, "config", "core.fsmonitor", cmd)
    return marker


def configure_gpg(root: Path, tmp_path: Path) -> Path:
    cmd, marker = program(tmp_path, "gpg")
    git(root, "config", "log.showSignature", "true")
    git(root, "config", "gpg.program", cmd)
    sign_head(root)
    return marker


def configure_pager(root: Path, tmp_path: Path) -> Path:
    cmd, marker = program(tmp_path, "pager")
    git(root, "config", "core.pager", cmd)
    git(root, "config", "pager.log", cmd)
    return marker


def configure_diff_programs(root: Path, tmp_path: Path) -> Path:
    cmd, marker = program(tmp_path, "diff")
    git(root, "config", "diff.external", cmd)
    git(root, "config", "diff.evil.textconv", cmd)
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "attributes").write_text("* diff=evil\n")
    touch_files(root)
    return marker


MECHANISMS: dict[str, Callable[[Path, Path], Path]] = {
    "clean/smudge filter": configure_filter,
    "process filter": configure_process_filter,
    "post-index-change hook": configure_index_hook,
    "core.hooksPath": configure_hooks_path,
    "core.fsmonitor": configure_fsmonitor,
    "gpg.program via log.showSignature and export-subst": configure_gpg,
    "pager": configure_pager,
    "external diff and textconv": configure_diff_programs,
}


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_teams_export_runs_no_program_of_the_checkout(
    mechanism: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = team_repo(tmp_path / "team")
    marker = MECHANISMS[mechanism](root, tmp_path)
    assert main(["teams", "export", str(root), "-o", str(tmp_path / "teams.yaml")]) == 0, capsys.readouterr().err
    assert not marker.exists(), f"{mechanism}: git ran a program named by the repository"
    assert "commit:" in (tmp_path / "teams.yaml").read_text()


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_diff_rev_runs_no_program_of_the_repository(
    mechanism: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = team_repo(tmp_path / "repo")
    marker = MECHANISMS[mechanism](root, tmp_path)
    argv = ["diff", "--rev", "HEAD", str(root / "goals" / "2027"), "--teams", str(root)]
    assert main(argv) == 0, capsys.readouterr().err
    assert not marker.exists(), f"{mechanism}: git ran a program named by the repository"


def test_diff_rev_extracts_files_as_committed(tmp_path: Path) -> None:
    """No smudge filter and no export-subst: the revision's file is the committed bytes."""
    from rust_goals_slate.review.revisions import checkout

    root = team_repo(tmp_path / "repo")
    configure_filter(root, tmp_path)
    found = checkout(root / "goals" / "2027", "HEAD", tmp_path / "out")
    assert (found / "a-goal.md").read_text() == GOAL + "\n$Format:%G?$\n"


def test_an_uncommitted_change_is_still_seen_without_git_status(tmp_path: Path) -> None:
    from rust_goals_slate.sources.team_source import checkout_source

    root = team_repo(tmp_path / "team")
    touch_files(root)
    source = checkout_source(root)
    assert source is not None and not source.modified  # stat-dirty is not modified
    (root / "people" / "bob.toml").write_text('name = "Bob"\n')
    assert checkout_source(root) == source.__class__(source.commit, source.date, None, True)


def test_the_callers_git_environment_does_not_pick_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hook that runs slate has GIT_DIR set to its own repository: slate reads the one in its cwd."""
    root = team_repo(tmp_path / "team")
    other = team_repo(tmp_path / "other")
    (other / "x").write_text("x")
    git(other, "add", "x")
    git(other, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "x")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    done = slate_git.run(root, "rev-parse", "HEAD")
    assert done.stdout.decode().strip() == git(root, "rev-parse", "HEAD")


def test_diff_rev_reports_a_committed_link_out_of_the_tree(tmp_path: Path) -> None:
    """A revision is extracted as committed, links included; discovery then refuses a link that leads out."""
    from rust_goals_slate.review.revisions import checkout
    from rust_goals_slate.sources.discover import read_tree

    root = team_repo(tmp_path / "repo")
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nhttps://secret.invalid/\n")
    (root / "goals" / "2027" / "leak.md").symlink_to(secret)
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "leak")
    tree, problems = read_tree(checkout(root / "goals" / "2027", "HEAD", tmp_path / "out"))
    assert [(d.location.path, d.code) for d in problems] == [("2027/leak.md", "symlink-outside")]
    assert all("secret.invalid" not in f.text for f in tree.files)
