"""The PDF of the 2026 corpus as a reader gets it: `slate build --format md,pdf`, read back with poppler (issues 5
and 11): searchable text, tables inside the page and in one layout, "(continued)" where a team table goes on,
running headers, contents, title page and metadata, and the same bytes from the same SOURCE_DATE_EPOCH."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT, corpus, sections, tables, text_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.corpus,
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo")), reason="poppler-utils not installed"
    ),
]

EPOCH = "1772000000"  # 2026-02-25 06:13:20 UTC
INVISIBLE = re.compile("[\u200b\u2060\u00ad]")
GOAL_TABLE_HEADER = ["Goal", "Level", "Champion", "Notes"]


def build(out: Path) -> Path:
    root = corpus("2026")
    run = subprocess.run(
        [sys.executable, "-m", "rust_goals_slate", "build", str(root / "src" / "2026"), "--teams", str(root / "team"),
         "--out", str(out), "--format", "md,pdf", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("pdf-2026"))


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")


def squeeze(text: str) -> str:
    """Text compared without whitespace: table cells wrap, and pdftotext breaks lines where the PDF does."""
    return re.sub(r"\s+", "", text)


def one_line(text: str) -> str:
    return " ".join(text.split())


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


def team_tables(markdown: str) -> dict[str, list[str]]:
    """Every `<team> team` section's goal titles, in table order."""
    found = {}
    for sec in sections(markdown):
        if re.fullmatch(r"\S+ team", sec.title):
            for table in tables(sec.tokens):
                if [text_of(c) for c in table[0]] == GOAL_TABLE_HEADER:
                    found[sec.title] = [text_of(row[0]) for row in table[1:]]
    return found


def test_pdf_holds_every_goal_title_of_the_published_rfc_as_written(built: Path) -> None:
    published = (corpus("2026") / "published-rfc.md").read_text(encoding="utf-8")
    titles: set[str] = set()
    for sec in sections(published):
        if sec.title in ("Large goals", "Medium goals", "Small goals"):
            for table in tables(sec.tokens):
                titles |= {one_line(text_of(row[0])) for row in table[1:] if text_of(row[0]).strip()}
    assert len(titles) == 66
    assert any("`" in line for line in published.splitlines() if "rustc_codegen_cranelift" in line)
    text = pdftotext(built / "rfc.pdf", "-raw")
    assert not INVISIBLE.findall(text)
    # A title may wrap between its words, never inside one: whitespace is collapsed, not removed.
    assert [t for t in sorted(titles) if t not in one_line(text)] == []
    for token in ("rustc_codegen_cranelift", "cargo-semver-checks", "aarch64-unknown-linux-pauthtest"):
        assert token in text.split() or token in one_line(text), token


def test_pdf_holds_every_team_heading_and_champion(built: Path) -> None:
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    secs = sections(markdown)
    team_headings = [s.title for s in secs if re.fullmatch(r"\S+ team", s.title)]
    champions: set[str] = set()
    for sec in secs:
        if sec.title == "Goals by champion":
            for table in tables(sec.tokens):
                champions |= {text_of(row[0]) for row in table[1:] if text_of(row[0]).strip()}
    assert len(team_headings) > 20 and len(champions) > 30
    pdf = squeeze(pdftotext(built / "rfc.pdf", "-raw"))
    assert [h for h in team_headings if squeeze(h) not in pdf] == []
    assert [c for c in sorted(champions) if squeeze(c) not in pdf] == []


def test_every_word_lies_inside_the_page(built: Path) -> None:
    outside = [
        (n, w.text)
        for n, page in enumerate(pages(built / "rfc.pdf"), 1)
        for w in page.words
        if not (w.x0 >= 20 and w.x1 <= page.width - 20 and w.y0 >= 20 and w.y1 <= page.height - 20)
    ]
    assert outside == []


def test_every_goal_table_has_the_same_columns_on_every_page(built: Path) -> None:
    """The header row `Goal Level Champion Notes` (repeated on each page a table goes on) starts its columns at the
    same x everywhere, and every champion name of the team tables sits on one line."""
    starts: set[tuple[float, ...]] = set()
    headers = 0
    lines = [line for page in pages(built / "rfc.pdf") for line in page.lines()]
    for line in lines:
        texts = [w.text for w in line]
        if texts == GOAL_TABLE_HEADER:
            headers += 1
            starts.add(tuple(round(w.x0, 1) for w in line))
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    assert headers >= len(team_tables(markdown)) > 20
    assert len(starts) == 1, starts
    (champion_x,) = {x[2] for x in starts}
    text_lines = [" ".join(w.text for w in line if w.x0 >= champion_x - 1) for line in lines]
    names = {
        one_line(text_of(row[2]))
        for sec in sections(markdown)
        if re.fullmatch(r"\S+ team", sec.title)
        for table in tables(sec.tokens)
        for row in table[1:]
        if text_of(row[2]).strip()
    }
    assert "Vadim Petrochenkov" in names
    assert [name for name in sorted(names) if not any(line.startswith(name) for line in text_lines)] == []


def test_a_team_table_that_goes_on_says_so_on_every_page(built: Path) -> None:
    """Found from the text alone: the page of a team's heading and the page of its table's last row."""
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    texts = [squeeze(t) for t in page_texts(built / "rfc.pdf", "-raw")]
    flat = "".join(texts)
    ends = [sum(map(len, texts[: n + 1])) for n in range(len(texts))]

    def page_at(pos: int) -> int:
        return next(n for n, end in enumerate(ends) if pos < end)

    contents_end = flat.index(squeeze("Summary"), flat.index("Summary") + 1)  # past the printed contents
    expected: dict[int, set[str]] = {}
    pos = contents_end
    for team, goals in team_tables(markdown).items():
        pos = flat.index(squeeze(team), pos)
        first = page_at(pos)
        for goal in goals:
            pos = flat.index(squeeze(goal), pos)
        for page in range(first + 1, page_at(pos) + 1):
            expected.setdefault(page, set()).add(team)
    assert expected, "no team table of the 2026 corpus goes on to another page: the test checks nothing"
    found = {
        n: {m.group(1) for m in re.finditer(r"(\S+ team) \(continued\)", one_line(text))}
        for n, text in enumerate(page_texts(built / "rfc.pdf"))
    }
    assert {n: teams for n, teams in found.items() if teams} == expected


def test_running_headers_name_the_part_and_team_in_force(built: Path) -> None:
    texts = page_texts(built / "rfc.pdf")
    heads = [one_line(text.strip().splitlines()[0]) for text in texts[1:]]
    assert all(head.startswith("Rust Project Goals 2026") for head in heads)
    continued_pages = 0
    for text in texts:
        continued = re.search(r"(\S+ team) \(continued\)", one_line(text))
        if continued:
            continued_pages += 1
            assert one_line(text).startswith(f"Rust Project Goals 2026 Reference-level explanation · {continued[1]}")
    assert continued_pages > 0
    # A page that opens in the middle of a part names that part, not the one starting further down the page.
    opening = [one_line(t) for t in texts if one_line(t).startswith("Rust Project Goals 2026 Motivation")]
    assert any("Guide-level explanation" in page for page in opening)


def test_contents_title_page_and_metadata(built: Path) -> None:
    pdf = built / "rfc.pdf"
    texts = page_texts(pdf)
    title = one_line(texts[0])
    assert "Built 2026-02-25 06:13 UTC" in title and "By the Rust Project Goals team" in title
    contents = one_line(" ".join(t for t in texts[1:4] if "Contents" in t or "team ." in t))
    for team in ("lang team", "cargo team", "types team", "wg-parallel-rustc team"):
        assert re.search(rf"{re.escape(team)} \.[ .]*\d+", contents), team
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Author:\s+the Rust Project Goals team$", info, re.M)
    assert re.search(r"^CreationDate:\s+Wed Feb 25 06:13:20 2026 UTC$", info, re.M)
    text = pdftotext(pdf)
    assert "Rust’s front door" in text  # smart quotes in prose
    assert "#!/usr/bin/env cargo" in text and "--edition" in text  # code as written: no en dash


def test_same_source_date_epoch_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    again = build(tmp_path / "again")
    assert (again / "rfc.pdf").read_bytes() == (built / "rfc.pdf").read_bytes()
