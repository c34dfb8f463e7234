"""`slate check ROOT`: every period folder of a repository in turn, one summary per period, as the goals CI does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from tests.check_cases import BASE
from tests.support import corpus

Capsys = pytest.CaptureFixture[str]


def test_head_reports_each_period(capsys: Capsys) -> None:
    code = main(["check", str(corpus("head"))])
    err = capsys.readouterr().err
    summaries = re.findall(r"^slate check: (src/\S+): (\d+) errors?, \d+ warnings?$", err, re.M)
    assert [s[0] for s in summaries] == ["src/2024h2", "src/2025h1", "src/2025h2", "src/2026"]
    assert code == (1 if any(int(n) for _, n in summaries) else 0)


def _two_periods(tmp_path: Path, break_one: bool) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    shutil.copytree(root / "src" / "2099", root / "src" / "2098")
    if break_one:
        alpha = root / "src" / "2098" / "alpha.md"
        text = alpha.read_text(encoding="utf-8").replace(
            "| Status           | Proposed                         |\n", ""
        )
        alpha.write_text(text, encoding="utf-8")
    return root


def test_an_error_in_one_period_fails_the_check(tmp_path: Path, capsys: Capsys) -> None:
    root = _two_periods(tmp_path, break_one=True)
    code = main(["check", str(root), "--teams", str(root / "teams.yaml")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "src/2098/alpha.md" in out and "[missing-status]" in out
    assert "src/2099/" not in out
    assert re.search(r"^slate check: src/2098: 1 error, ", err, re.M)
    assert "slate check: src/2099: no problems found" in err


def test_the_src_folder_is_a_root_too(tmp_path: Path, capsys: Capsys) -> None:
    root = _two_periods(tmp_path, break_one=False)
    assert main(["check", str(root / "src"), "--teams", str(root / "teams.yaml")]) == 0
    err = capsys.readouterr().err
    assert err.count("slate check: src/") == 2


def test_readme_cannot_name_every_period(tmp_path: Path, capsys: Capsys) -> None:
    root = _two_periods(tmp_path, break_one=False)
    readme = root / "src" / "2099" / "README.md"
    assert main(["check", str(root), "--teams", str(root / "teams.yaml"), "--readme", str(readme)]) == 2
    assert "--readme names one period" in capsys.readouterr().err
