"""Every invalid-input case of tests/data/invalid/ gives exactly the diagnostics its expected.txt lists.

The base slate checks clean, so whatever a case reports comes from the one problem it adds. `slate build` on the
same case stops before writing anything when the case has errors, and writes rfc.md when it has only warnings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.build import Request
from compiler.check import check
from compiler.cli import main
from tests.check_cases import BASE, case_names, expected, has_errors, materialize, observed, src_of

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
