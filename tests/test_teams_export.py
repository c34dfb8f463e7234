"""`slate teams export`: a teams.yaml that records which commit of rust-lang/team it holds, to a file or to stdout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from rust_goals_slate.cli.main import main
from rust_goals_slate.sources.teams import load_teams
from tests.gitrepo import git
from tests.support import ROOT

Capsys = pytest.CaptureFixture[str]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def team_checkout(root: Path, *, remote: str | None = "https://github.com/rust-lang/team.git") -> Path:
    (root / "teams").mkdir(parents=True)
    (root / "people").mkdir()
    (root / "teams" / "lang.toml").write_text(
        'name = "lang"\n[people]\nleads = ["alice"]\nmembers = ["alice", "bob"]\n', encoding="utf-8"
    )
    (root / "people" / "alice.toml").write_text('name = "Alice A."\ngithub = "alice"\n', encoding="utf-8")
    (root / "people" / "bob.toml").write_text('name = "Bob B."\ngithub = "bob"\n', encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "teams")
    if remote is not None:
        git(root, "remote", "add", "origin", remote)
    return root


def export(capsys: Capsys, *argv: str | Path) -> tuple[int, str, str]:
    code = main(["teams", "export", *(str(a) for a in argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_to_stdout_records_the_commit_and_its_date(capsys: Capsys, tmp_path: Path) -> None:
    checkout = team_checkout(tmp_path / "team")
    code, out, err = export(capsys, checkout, "-o", "-")
    assert code == 0
    data = yaml.safe_load(out)
    assert data["format"] == "slate-teams/1"
    assert data["source"] == {
        "repository": "rust-lang/team",
        "commit": git(checkout, "rev-parse", "HEAD"),
        "date": "2026-08-14",
    }
    assert [t["key"] for t in data["teams"]] == ["lang"]
    assert [p["login"] for p in data["people"]] == ["alice", "bob"]
    assert err == f"slate teams export: wrote standard output (commit {data['source']['commit'][:12]}, 2026-08-14)\n"


def test_export_to_a_file_loads_back_with_its_origin(capsys: Capsys, tmp_path: Path) -> None:
    checkout = team_checkout(tmp_path / "team")
    target = tmp_path / "pinned" / "teams.yaml"
    code, out, _ = export(capsys, checkout, "-o", target)
    assert (code, out) == (0, "")
    registry = load_teams(target)
    commit = git(checkout, "rev-parse", "HEAD")
    assert registry.origin == f"rust-lang/team@{commit[:12]}, 2026-08-14"
    assert registry.teams == load_teams(checkout).teams
    assert target.read_text(encoding="utf-8").startswith(
        f"# slate team registry (format slate-teams/1), exported from a rust-lang/team checkout at "
        f"rust-lang/team@{commit}\n"
    )


def test_credentials_in_the_remote_are_not_recorded(capsys: Capsys, tmp_path: Path) -> None:
    checkout = team_checkout(tmp_path / "team", remote="https://someone:ghp_secret@github.com/a-fork/team.git")
    _, out, _ = export(capsys, checkout, "-o", "-")
    assert yaml.safe_load(out)["source"]["repository"] == "a-fork/team"
    assert "secret" not in out and "someone" not in out


def test_a_checkout_without_a_github_remote_records_no_repository(capsys: Capsys, tmp_path: Path) -> None:
    checkout = team_checkout(tmp_path / "team", remote=None)
    _, out, _ = export(capsys, checkout, "-o", "-")
    assert set(yaml.safe_load(out)["source"]) == {"commit", "date"}
    commit = yaml.safe_load(out)["source"]["commit"]
    assert "rust-lang/team@" not in out  # nothing says the checkout is rust-lang/team (issue 23)
    assert f"exported from a rust-lang/team checkout at commit {commit}\n" in out
    target = tmp_path / "teams.yaml"
    target.write_text(out, encoding="utf-8")
    assert load_teams(target).origin == f"commit {commit[:12]}, 2026-08-14"


def test_uncommitted_changes_are_recorded(capsys: Capsys, tmp_path: Path) -> None:
    checkout = team_checkout(tmp_path / "team")
    with (checkout / "teams" / "lang.toml").open("a", encoding="utf-8") as fh:
        fh.write("# edited\n")
    target = tmp_path / "teams.yaml"
    export(capsys, checkout, "-o", target)
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["source"]["modified"] is True
    assert load_teams(target).origin.endswith(", 2026-08-14, with uncommitted changes")


def test_a_folder_that_is_not_a_git_checkout_exports_without_a_source(capsys: Capsys, tmp_path: Path) -> None:
    checkout = team_checkout(tmp_path / "team")
    shutil.rmtree(checkout / ".git")
    code, out, err = export(capsys, checkout, "-o", "-")
    assert code == 0
    assert "source" not in yaml.safe_load(out)
    assert "is not the top of a git checkout, so no source commit is recorded" in err


def test_a_checkout_inside_another_repository_is_not_credited_with_its_commit(capsys: Capsys, tmp_path: Path) -> None:
    outer = team_checkout(tmp_path / "outer")
    inner = outer / "vendored-team"
    shutil.copytree(outer / "teams", inner / "teams")
    shutil.copytree(outer / "people", inner / "people")
    _, out, _ = export(capsys, inner, "-o", "-")
    assert "source" not in yaml.safe_load(out)


def test_build_names_the_pinned_team_data_in_its_summary(capsys: Capsys, tmp_path: Path) -> None:
    example = ROOT / "goals"
    # the example's own teams.yaml, as if exported: the same teams with a recorded source
    data = yaml.safe_load((example / "teams.yaml").read_text(encoding="utf-8"))
    data["source"] = {
        "repository": "rust-lang/team",
        "commit": "0123456789abcdef" * 2 + "01234567",
        "date": "2026-08-14",
    }
    pinned = tmp_path / "teams.yaml"
    pinned.write_text(yaml.safe_dump(data), encoding="utf-8")
    code = main(["build", str(example / "src" / "2027"), "--teams", str(pinned), "--out", str(tmp_path / "out")])
    _, err = capsys.readouterr()
    assert code == 0
    assert err.splitlines()[-1].endswith(f"; team data: {pinned} (rust-lang/team@0123456789ab, 2026-08-14)")
