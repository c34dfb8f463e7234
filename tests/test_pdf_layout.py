"""The PDF's layout on the older formats and on head (issue 25): "↳" rows stay with their goal, the Goal column is
never narrower than a column of marks, and the contents never leave a page with one or two entries. One build per
corpus, shared by the tests of this module."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rust_goals_slate.pdf import typeset as pdf
from rust_goals_slate.pdf.typeset import PdfMeta, write_pdf
from tests.pdf_text import build, fold_quotes, headings_apart, page_texts, squeeze
from tests.support import sections, tables, text_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.corpus,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]
SUBGOAL = "↳"
MARK = {"", "✅"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """2024h2, 2025h1, 2025h2 and head's 2026, built once each."""
    out = tmp_path_factory.mktemp("pdf-layout")
    return {
        "2024h2": build(out / "2024h2", "2024h2"),
        "2025h1": build(out / "2025h1", "2025h1"),
        "2025h2": build(out / "2025h2", "2025h2"),
        "head": build(out / "head", "2026", checkout="head"),
    }


def body_pages(built: Path) -> list[str]:
    """The pages' text after the contents, squeezed, quotation marks folded."""
    texts = [squeeze(fold_quotes(text)) for text in page_texts(built / "rfc.pdf", "-raw")]
    return texts[max(n for n, text in enumerate(texts[:6]) if "...." in text) + 1 :]


@pytest.mark.parametrize("period", ["2024h2", "2025h1", "2025h2"])
def test_subgoal_rows_are_on_the_page_of_their_goal(builds: dict[str, Path], period: str) -> None:
    markdown = (builds[period] / "rfc.md").read_text(encoding="utf-8")
    body = body_pages(builds[period])
    flat = "".join(body)
    ends = [sum(map(len, body[: n + 1])) for n in range(len(body))]

    def page_at(pos: int) -> int:
        return next(n for n, end in enumerate(ends) if pos < end)

    pos, checked, apart = 0, 0, []
    for sec in sections(markdown):
        for table in tables(sec.tokens):
            goal_page = None
            for row in table[1:]:
                first = squeeze(text_of(row[0]))
                if not first:
                    continue
                pos = flat.index(first, pos)
                if first.startswith(SUBGOAL):
                    checked += 1
                    if page_at(pos) != goal_page:
                        apart.append(text_of(row[0]))
                else:
                    goal_page = page_at(pos)
    assert checked >= 10
    assert apart == []


@pytest.mark.parametrize("period", ["2025h1", "2025h2"])
def test_goal_column_is_at_least_as_wide_as_any_column_of_marks(builds: dict[str, Path], period: str) -> None:
    """Read from the Typst source the filter makes of rfc.md: in every table with a Goal column, its width (a share
    of the line) is at least that of every column holding only ✅ or nothing."""
    markdown = (builds[period] / "rfc.md").read_text(encoding="utf-8")
    meta = PdfMeta(title="t", period=period, rfc_number=None, date=None, goal_count=1)
    typst = pdf.run_pandoc([*pdf.pandoc_args(meta, None), "--to", "typst"], markdown)
    found = re.findall(r"columns: \(([^)]*)\),\n.*\n\s+table\.header\(.*\n(.*)\n", typst)
    md_tables = [table for sec in sections(markdown) for table in tables(sec.tokens)]
    assert len(found) == len(md_tables)
    compared = 0
    for (columns, header), table in zip(found, md_tables, strict=True):
        shares = [float(w) for w in re.findall(r"([\d.]+)%", columns)]
        titles = [text_of(cell) for cell in table[0]]
        printed = [re.sub(r"\\(.)", r"\1", t) for t in re.findall(r"\[(?:#link\([^)]*\)\[)?([^\[\]]*)\]", header) if t]
        # The printed columns are the source's, less those no row fills (and plus tables.lua's keeper column).
        columns_of = [titles.index(t) for t in printed]
        marks = [
            share
            for share, c in zip(shares, columns_of, strict=False)
            if c > 0 and all(text_of(row[c]).strip() in MARK for row in table[1:])
        ]
        if shares and titles[0] == "Goal" and marks:
            compared += 1
            assert shares[0] >= max(marks), (titles, shares)
    assert compared >= 5


@pytest.mark.parametrize("period", ["2025h1", "2025h2", "head"])
def test_no_page_ends_with_a_heading_or_strands_it_from_its_table(builds: dict[str, Path], period: str) -> None:
    stranded, apart, checked = headings_apart(builds[period])
    assert checked >= 20
    assert stranded == [] and apart == []


def contents_entries(pdf_path: Path) -> list[int]:
    """Entries (lines with dot leaders) on each page of the contents."""
    counts = [sum(". . . ." in line for line in text.splitlines()) for text in page_texts(pdf_path)[:6]]
    return [count for count in counts if count]


def test_head_contents_leave_no_page_with_one_entry(builds: dict[str, Path]) -> None:
    counts = contents_entries(builds["head"] / "rfc.pdf")
    assert len(counts) >= 2 and sum(counts) > 50
    assert min(counts) >= 3, counts


@pytest.mark.parametrize("sections_count", range(33, 37))
def test_contents_of_any_length_leave_no_page_with_one_or_two_entries(tmp_path: Path, sections_count: int) -> None:
    """Under the title block the first page holds 33 part entries with the usual spacing (measured): 34 and 35 would
    leave one or two entries alone on the next page."""
    markdown = "".join(f"# Section {n}\n\nText.\n\n" for n in range(sections_count))
    out = tmp_path / "rfc.pdf"
    write_pdf(markdown, out, PdfMeta(title="T", period="2027", rfc_number="1", date="2027-01-01", goal_count=1))
    counts = contents_entries(out)
    assert sum(counts) == sections_count
    assert len(counts) == 1 or min(counts) >= 3, counts
