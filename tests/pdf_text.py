"""Reading a built PDF back with poppler, for the PDF tests: words with their boxes by page, text by page, and
`slate build --format md,pdf` of a corpus period."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support import ROOT, corpus

EPOCH = "1772000000"  # 2026-02-25 06:13:20 UTC
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def build(out: Path, period: str = "2026", checkout: str | None = None) -> Path:
    """`slate build` of `period` of the corpus `checkout` (default: the period's own) into `out`, md and pdf."""
    root = corpus(checkout or period)
    run = subprocess.run(
        [sys.executable, "-m", "rust_goals_slate", "build", str(root / "src" / period), "--teams", str(root / "team"),
         "--out", str(out), "--format", "md,pdf", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")


def squeeze(text: str) -> str:
    """Text compared without whitespace: table cells wrap, and pdftotext breaks lines where the PDF does."""
    return re.sub(r"\s+", "", text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def fold_quotes(text: str) -> str:
    """Typographic quotation marks as the straight ones they were typed as (docs/pdf.md, "Punctuation")."""
    return text.translate(QUOTES)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    def lines(self) -> list[list[Word]]:
        """Words grouped by baseline (same yMax, within half a point), top to bottom, left to right."""
        rows: dict[float, list[Word]] = {}
        for word in self.words:
            key = next((y for y in rows if abs(y - word.y1) < 0.5), word.y1)
            rows.setdefault(key, []).append(word)
        return [sorted(rows[y], key=lambda w: w.x0) for y in sorted(rows)]


def pages(pdf: Path) -> list[Page]:
    boxes = pdftotext(pdf, "-bbox")
    found = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes, re.S):
        words = [
            Word(html.unescape(m.group(5)), *(float(m.group(i)) for i in range(1, 5)))
            for m in re.finditer(
                r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', page.group(3)
            )
        ]
        found.append(Page(float(page.group(1)), float(page.group(2)), words))
    return found


def page_texts(pdf: Path, mode: str = "-layout") -> list[str]:
    """Each page's text: `-layout` as it looks, `-raw` in drawing order (a table cell's lines together)."""
    return pdftotext(pdf, mode).split("\f")[:-1]
