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

from tests.support import ROOT, corpus, sections, tables, text_of

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


def body_texts(pdf: Path) -> list[str]:
    """Each page's text in drawing order, squeezed, without the running header and the page number."""
    found = []
    for text in page_texts(pdf, "-raw"):
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and re.fullmatch(r"\s*[\divxlc]+\s*", lines[-1]):
            lines = lines[:-1]
        found.append(squeeze(fold_quotes("\n".join(lines))))
    return found


def after_contents(texts: list[str]) -> list[str]:
    """The pages after the contents (the last page of dot leaders among the first few)."""
    return texts[max(n for n, text in enumerate(texts[:6]) if "...." in text) + 1 :]


def headings_apart(built: Path) -> tuple[list[str], list[str], int]:
    """Read from the text by page: the headings a page ends with, the headings whose section opens with (at most two
    paragraphs and) a table not on the page of the table's first row, and how many such headings there are."""
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    body = after_contents(body_texts(built / "rfc.pdf"))  # the contents list every heading
    flat = "".join(body)
    ends = [sum(map(len, body[: n + 1])) for n in range(len(body))]

    def page_at(pos: int) -> int:
        return next(n for n, end in enumerate(ends) if pos < end)

    pos = 0
    stranded, apart, checked = [], [], 0
    for sec in sections(markdown):
        title = squeeze(fold_quotes(sec.title))
        pos = flat.index(title, pos)
        page = page_at(pos)
        if body[page].endswith(title):
            stranded.append(sec.title)
        kinds = [t["type"] for t in sec.tokens if t["type"] != "blank_line"]
        lead = next((i for i, kind in enumerate(kinds) if kind != "paragraph"), len(kinds))
        if lead <= 2 and lead < len(kinds) and kinds[lead] == "table":
            first_cell = squeeze(fold_quotes(text_of(tables(sec.tokens)[0][1][0])))
            if first_cell:
                checked += 1
                if page_at(flat.index(first_cell, pos)) != page:
                    apart.append(sec.title)
    return stranded, apart, checked
