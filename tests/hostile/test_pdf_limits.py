"""Limits of the PDF step (issue 22, item 1): Typst runs in a child process with a memory and a time limit, pandoc
with a heap limit and a timeout, and text nested deeper than the PDF step allows is refused before pandoc reads it,
at the line of the source that does. Each limit ends the build with an error that names it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.errors import Location, ToolError
from rust_goals_slate.pdf import nesting
from rust_goals_slate.pdf import typeset as pdf
from rust_goals_slate.pdf.typeset import PdfMeta, typeset
from tests.support import ROOT

META = PdfMeta(title="Limits", period="2027", rfc_number=None, date=None, goal_count=0)
EXAMPLE = ROOT / "goals"
DEEP_LIST = "- " * 10_000 + "x\n"
Capsys = pytest.CaptureFixture[str]


@pytest.mark.slow
def test_typst_memory_is_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "TYPST_MEMORY", 512 * 2**20)
    start = time.monotonic()
    with pytest.raises(ToolError, match=r"^typst needed more than 512 MiB of memory \(the PDF step's memory limit\)$"):
        pdf.run_typst("#range(300000000).len()", tmp_path, [])  # on main: over 2 GB, in slate's own process
    assert time.monotonic() - start < 30


@pytest.mark.slow
def test_typst_time_is_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "TYPST_TIMEOUT", 2)
    start = time.monotonic()
    with pytest.raises(ToolError, match=r"^typst did not finish within 2 s"):
        # One small array, iterated 10^9 times: constant memory, so only the time limit can end it.
        pdf.run_typst("#let a = range(1000)\n#for i in a { for j in a { for k in a {} } }", tmp_path, [])
    assert time.monotonic() - start < 10


@pytest.mark.slow
def test_pandoc_memory_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "PANDOC_MEMORY", 64 * 2**20)
    with pytest.raises(ToolError, match=r"^pandoc needed more than 64 MiB of memory \(the PDF step's memory limit\)$"):
        pdf.run_pandoc(["--from", pdf.READER, "--to", "typst"], "word **b** " * 100_000)


@pytest.mark.slow
def test_pandoc_time_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "PANDOC_TIMEOUT", 1)
    start = time.monotonic()
    with pytest.raises(ToolError, match=r"^pandoc did not finish within 1 s \(the PDF step's time limit\)$"):
        pdf.run_pandoc(["--from", pdf.READER, "--to", "typst"], DEEP_LIST)  # pandoc alone: over a minute
    assert time.monotonic() - start < 10


def test_deep_nesting_is_refused_before_pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object) -> str:
        raise AssertionError("pandoc must not be run")

    monkeypatch.setattr(pdf, "run_pandoc", never)
    markdown = "# Deep\n\nFine.\n\n" + DEEP_LIST

    def locate(needle: str) -> Location | None:
        return Location("src/2027/deep.md", 12) if needle == DEEP_LIST.rstrip("\n") else None

    with pytest.raises(ToolError, match=r"^this line opens more than 64 nested lists or quotes") as refused:
        typeset(markdown, META, locate=locate)
    assert refused.value.location == Location("src/2027/deep.md", 12)
    with pytest.raises(ToolError, match=r"\(line 5 of the RFC\)$"):
        typeset(markdown, META)


@pytest.mark.parametrize(
    ("line", "depth_ok"),
    [
        ("- " * 64 + "x", True),
        ("- " * 65 + "x", False),
        ("> " * 65 + "x", False),
        ("1. " * 65 + "x", False),
        (">" * 65 + " x", False),
        ("* * *", True),
        ("    " * 200 + "code", True),  # indentation alone is not counted
        ("-" * 10_000, True),
    ],
)
def test_nesting_is_measured_by_the_markers_a_line_opens(line: str, depth_ok: bool) -> None:
    assert (nesting.too_deep("text\n\n" + line) is None) == depth_ok


def test_nesting_check_is_linear() -> None:
    start = time.monotonic()
    assert nesting.too_deep(("- " * 60 + "x\n") * 20_000) is None  # 2.4 MB
    assert time.monotonic() - start < 5


def test_build_refuses_deep_nesting_at_its_source_line(tmp_path: Path, capsys: Capsys) -> None:
    import shutil

    src = tmp_path / "src" / "2027"
    shutil.copytree(EXAMPLE / "src" / "2027", src)
    readme = src / "README.md"
    text = readme.read_text(encoding="utf-8").replace("# Motivation\n", DEEP_LIST + "\n# Motivation\n", 1)
    readme.write_text(text, encoding="utf-8")
    line = text.splitlines().index(DEEP_LIST.rstrip("\n")) + 1
    out = tmp_path / "out"
    args = ["build", str(src), "--teams", str(EXAMPLE / "teams.yaml"), "--rfc-number", "1", "--out", str(out)]
    assert main([*args, "--format", "md,pdf"]) == 1
    err = capsys.readouterr().err
    assert f"src/2027/README.md:{line}:1: error: this line opens more than 64 nested lists or quotes" in err
    assert "; nothing was written;" in err.splitlines()[-1]
    assert not out.exists() or list(out.iterdir()) == []
