"""Issue 5 acceptance: `slate build` of the 2026 corpus with `--format md,pdf`, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, corpus, sections, tables, text_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.corpus,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]


def squeeze(text: str) -> str:
    """Text compared without whitespace: table cells wrap, and pdftotext breaks lines where the PDF does."""
    return re.sub(r"[\s\u200b\u2060\u00ad]+", "", text)


def test_pdf_holds_every_goal_title_team_heading_and_champion(tmp_path: Path) -> None:
    root = corpus("2026")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "rust_goals_slate", "build", str(root / "src" / "2026"), "--teams", str(root / "team"),
         "--out", str(out), "--format", "md,pdf", "--quiet"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    markdown = (out / "rfc.md").read_text(encoding="utf-8")
    raw = subprocess.run(["pdftotext", "-raw", str(out / "rfc.pdf"), "-"], capture_output=True, check=True)
    pdf = squeeze(raw.stdout.decode("utf-8"))

    secs = sections(markdown)
    size_goals: set[str] = set()
    for sec in secs:
        if sec.title in ("Large goals", "Medium goals", "Small goals"):
            for table in tables(sec.tokens):
                size_goals |= {text_of(row[0]) for row in table[1:] if text_of(row[0]).strip()}
    team_headings = [s.title for s in secs if re.fullmatch(r"\S+ team", s.title)]
    champions: set[str] = set()
    for sec in secs:
        if sec.title == "Goals by champion":
            for table in tables(sec.tokens):
                champions |= {text_of(row[0]) for row in table[1:] if text_of(row[0]).strip()}

    assert len(size_goals) == 66 and len(team_headings) > 20 and len(champions) > 30
    missing = [t for t in sorted(size_goals) if squeeze(t) not in pdf]
    assert missing == []
    assert [h for h in team_headings if squeeze(h) not in pdf] == []
    assert [c for c in sorted(champions) if squeeze(c) not in pdf] == []
