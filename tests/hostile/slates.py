"""The example slate copied into a temporary folder, for the hostile cases to spoil, and a runner for the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from rust_goals_slate.cli.main import main
from tests.support import ROOT

PERIOD = "src/2027"


def example(tmp_path: Path) -> Path:
    """A copy of goals/ (book.toml, rust-project-goals.toml, src/2027, teams.yaml); returns its root."""
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def check(capsys: pytest.CaptureFixture[str], root: Path, *extra: str | Path) -> tuple[int, list[dict[str, Any]]]:
    """`slate check --format json` of the slate at ROOT: the exit code and the diagnostics."""
    code, out, err = run(capsys, "check", root / PERIOD, "--teams", root / "teams.yaml", "--format", "json", *extra)
    assert "Traceback" not in err
    data = json.loads(out)
    return code, data["diagnostics"] if isinstance(data, dict) else data
