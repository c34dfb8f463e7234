"""Every invalid-input case of tests/data/invalid/ gives exactly the diagnostics its expected.txt lists.

The base slate checks clean, so whatever a case reports comes from the one problem it adds. `slate build` on the
same case stops before writing anything when the case has errors, and writes rfc.md when it has only warnings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rust_goals_slate.cli.check import check
from rust_goals_slate.cli.main import main
from rust_goals_slate.pipeline.build import Request
from tests.check_cases import BASE, case_names, expected, has_errors, materialize, observed, src_of
from tests.check_cases import CASES as CASES_DIR
from tests.support import ROOT

CASES = case_names()
BROKEN = [c for c in CASES if not c.startswith("ok-")]


def test_base_slate_checks_clean() -> None:
    assert observed(check(Request(src=BASE / "src" / "2099", teams=BASE / "teams.yaml"))) == []


def test_enough_cases() -> None:
    # the acceptance floor: at least 40 broken slates, one problem each
    assert len(BROKEN) >= 40


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, tmp_path: Path) -> None:
    root = materialize(name, tmp_path)
    diagnostics = check(Request(src=src_of(root), teams=root / "teams.yaml"))
    assert observed(diagnostics) == expected(name, root)


@pytest.mark.parametrize("name", CASES)
def test_build_writes_only_without_errors(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = materialize(name, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "rfc.md").write_text("previous\n", encoding="utf-8")
    code = main(["build", str(src_of(root)), "--teams", str(root / "teams.yaml"), "--out", str(out)])
    capsys.readouterr()
    if has_errors(expected(name, root)):
        assert code == 1
        assert (out / "rfc.md").read_text(encoding="utf-8") == "previous\n"
    else:
        assert code == 0
        assert (out / "rfc.md").read_text(encoding="utf-8").startswith("- Feature Name: ")
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_every_documented_rule_has_a_case_and_every_case_code_is_documented() -> None:
    rows = [
        line
        for line in (ROOT / "docs" / "checks.md").read_text(encoding="utf-8").splitlines()
        if re.match(r"^\| `[a-z0-9-]+` \|", line)
    ]
    documented = {re.match(r"^\| `([a-z0-9-]+)`", row).group(1) for row in rows}  # type: ignore[union-attr]
    named_cases = {name for row in rows for name in re.findall(r"`([a-z0-9-]+)`", row.rsplit("|", 2)[-2])}
    reported = {
        m.group(1)
        for name in CASES
        for m in re.finditer(
            r"\[([a-z0-9-]+)\]$", (CASES_DIR / name / "expected.txt").read_text(encoding="utf-8"), re.M
        )
    }
    assert sorted(documented - reported) == []
    assert sorted(reported - documented) == []
    assert named_cases and sorted(named_cases - set(CASES)) == []
