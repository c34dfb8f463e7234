"""The PDF of the 2026 corpus as a reader gets it: `slate build --format md,pdf`, read back with poppler (issues 5
and 11): searchable text, tables inside the page and in one layout, "(continued)" where a team table goes on,
running headers, contents, title page and metadata, and the same bytes from the same SOURCE_DATE_EPOCH."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.pdf_text import (
    Page,
    Word,
    after_contents,
    body_texts,
    build,
    fold_quotes,
    headings_apart,
    one_line,
    page_texts,
    pages,
    pdftotext,
    squeeze,
)
from tests.support import corpus, sections, tables, text_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.corpus,
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo")), reason="poppler-utils not installed"
    ),
]

INVISIBLE = re.compile("[\u200b\u2060\u00ad]")
GOAL_TABLE_HEADER = ["Goal", "Level", "Champion", "Notes"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("pdf-2026"))


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
    # A title may wrap between its words, never inside one: whitespace is collapsed, not removed. Its apostrophes
    # are as typed (Cargo's); its quotation marks typographic ("plumbing" is printed “plumbing”).
    assert "Cargo's" in text and "“plumbing”" in text
    assert [t for t in sorted(titles) if t not in fold_quotes(one_line(text))] == []
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


def goal_table_headers(pdf: Path) -> list[tuple[Page, list[Word]]]:
    """The title rows of every `Goal | Level | Champion | Notes` table on every page (repeated on each page a table
    goes on to), without the columns a table left out because no goal of it fills them."""
    found = []
    for page in pages(pdf):
        for line in page.lines():
            texts = [w.text for w in line]
            if texts[:2] == ["Goal", "Level"] and set(texts[2:]) <= {"Champion", "Notes"} and len(texts) >= 2:
                found.append((page, line))
    return found


def test_every_goal_table_has_the_same_columns_on_every_page(built: Path) -> None:
    """The header row `Goal Level Champion Notes` starts its columns at the same x everywhere (Notes where Champion
    would be in a table without champions), and every champion name of the team tables sits on one line."""
    headers = goal_table_headers(built / "rfc.pdf")
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    assert len(headers) >= len(team_tables(markdown)) > 20
    at = {(w.text, round(w.x0, 1)) for _, line in headers for w in line}
    by_title: dict[str, set[float]] = {}
    for title, x in at:
        by_title.setdefault(title, set()).add(x)
    assert len(by_title["Goal"]) == len(by_title["Level"]) == len(by_title["Champion"]) == 1, by_title
    (champion_x,) = by_title["Champion"]
    assert len(by_title["Notes"] - {champion_x}) == 1, by_title
    lines = [line for page in pages(built / "rfc.pdf") for line in page.lines()]
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


def test_no_team_table_has_an_empty_column(built: Path) -> None:
    """A team table whose goals name no champion has no Champion column, and one without notes no Notes column:
    the columns a table prints are those its rows fill (read from rfc.md), in every team table."""
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    expected = []
    for sec in sections(markdown):
        if re.fullmatch(r"\S+ team", sec.title):
            for table in tables(sec.tokens):
                if [text_of(c) for c in table[0]] == GOAL_TABLE_HEADER:
                    filled = [any(text_of(row[c]).strip() for row in table[1:]) for c in range(4)]
                    expected.append([t for t, f in zip(GOAL_TABLE_HEADER, filled, strict=True) if f])
    assert ["Goal", "Level", "Notes"] in expected and GOAL_TABLE_HEADER in expected  # both kinds are checked
    found = []
    for text in page_texts(built / "rfc.pdf", "-raw"):
        for line in text.splitlines():
            words = line.split()
            if words[:2] == ["Goal", "Level"] and set(words[2:]) <= {"Champion", "Notes"}:
                found.append(words)
    # A table printed on several pages repeats its title row, the same row.
    assert {tuple(row) for row in found} == {tuple(row) for row in expected}
    assert len(found) >= len(expected)


def test_notes_get_at_least_40_percent_of_every_goal_table(built: Path) -> None:
    """Measured with `pdftotext -bbox`: from the x where Notes starts to the right end of the text block (the
    table is full width), at least 40% of the text block, in every table that has a Notes column."""
    widths = []
    for page, line in goal_table_headers(built / "rfc.pdf"):
        left = line[0].x0 - 4  # the cell inset
        right = page.width - (line[0].x0 - 4)  # the margins are equal
        notes = [w for w in line if w.text == "Notes"]
        if notes:
            widths.append((right - (notes[0].x0 - 4)) / (right - left))
    assert len(widths) > 20
    assert min(widths) >= 0.40, sorted(widths)[:3]


def test_a_team_table_that_goes_on_says_so_on_every_page(built: Path) -> None:
    """Found from the text alone: the page of a team's heading and the page of its table's last row."""
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    texts = [squeeze(fold_quotes(t)) for t in page_texts(built / "rfc.pdf", "-raw")]
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
    contents = one_line(" ".join(t for t in texts[0:3] if "Contents" in t or "team ." in t))
    for team in ("lang team", "cargo team", "types team", "wg-parallel-rustc team"):
        assert re.search(rf"{re.escape(team)} \.[ .]*\d+", contents), team
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Author:\s+the Rust Project Goals team$", info, re.M)
    assert re.search(r"^CreationDate:\s+Wed Feb 25 06:13:20 2026 UTC$", info, re.M)
    text = pdftotext(pdf)
    # Prose: apostrophes as typed, quotation marks typographic, `--` an en dash (docs/pdf.md, "Punctuation").
    assert "Rust's front door" in text and "“you can write everything" in text
    assert "problematic patterns – but" in one_line(text)
    assert "#!/usr/bin/env cargo" in text and "--edition" in text  # code as written: no en dash


def test_same_source_date_epoch_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    again = build(tmp_path / "again")
    assert (again / "rfc.pdf").read_bytes() == (built / "rfc.pdf").read_bytes()


def test_no_page_ends_with_a_heading_or_a_heading_and_its_intro(built: Path) -> None:
    """Read from the text by page (`headings_apart`); fails on the PDF of before issue 25 (Medium goals)."""
    stranded, apart, checked = headings_apart(built)
    assert checked >= 30  # the size tables, goals by champion, the team tables
    assert stranded == [] and apart == []


def test_table_cells_print_the_dashes_and_ellipses_of_the_source(built: Path) -> None:
    """Every table cell of rfc.md holding "—", "–" or "…" holds the same characters in the PDF's text (no cell is
    rewritten to "---"), and no "---" or "--" was made of them."""
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    cells = {
        one_line(text_of(cell))
        for sec in sections(markdown)
        for table in tables(sec.tokens)
        for row in table
        for cell in row
        if re.search("[—–…]", text_of(cell))
    }
    assert len(cells) >= 4
    text = squeeze(fold_quotes(pdftotext(built / "rfc.pdf", "-raw")))
    assert [cell for cell in sorted(cells) if squeeze(cell) not in text] == []


def test_short_code_blocks_are_not_split_across_pages(built: Path) -> None:
    """A code block of at most 14 lines (a third of the page) has its first and last line on one page."""
    markdown = (built / "rfc.md").read_text(encoding="utf-8")
    blocks = [b.splitlines() for b in re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.M | re.S)]
    short = [lines for lines in blocks if 2 <= len(lines) <= 14 and lines[0].strip() and lines[-1].strip()]
    assert len(short) >= 5
    texts = after_contents(body_texts(built / "rfc.pdf"))
    for lines in short:
        first, last = squeeze(lines[0]), squeeze(lines[-1])
        assert any(first in page and last in page[page.index(first) :] for page in texts), lines[0]


def test_size_is_small_with_bookmarks_open_and_a_contents_bookmark(built: Path) -> None:
    """Compressed object streams (docs/decisions.md, "pikepdf"): under 0.8 MB; the viewer opens the bookmarks
    panel, whose first entry is the contents."""
    pikepdf = pytest.importorskip("pikepdf")
    pdf = built / "rfc.pdf"
    assert pdf.stat().st_size < 800_000
    with pikepdf.open(pdf) as doc:
        assert doc.Root.get("/PageMode") == pikepdf.Name.UseOutlines
        with doc.open_outline() as outline:
            titles = [item.title for item in outline.root]
        links = sum(1 for page in doc.pages for annot in page.get("/Annots", []) if annot.get("/Subtype") == "/Link")
    assert titles[:3] == ["Contents", "Summary", "Motivation"]
    assert links > 1000


def test_running_headers_name_the_size_and_champion_sections(built: Path) -> None:
    heads = {one_line(text.strip().splitlines()[0]) for text in page_texts(built / "rfc.pdf")[1:]}
    for section in ("Large goals", "Medium goals", "Small goals", "Goals by champion"):
        assert f"Rust Project Goals 2026 Reference-level explanation · {section}" in heads, section


def test_the_size_tables_have_their_columns_at_the_same_x(built: Path) -> None:
    """The three size tables (Large, Medium, Small goals) are one kind: the same widths, on every page."""
    starts = {
        tuple(round(w.x0, 1) for w in line)
        for page in pages(built / "rfc.pdf")
        for line in page.lines()
        if [w.text for w in line] == ["Goal", "PoC", "Team", "Champion"]
    }
    assert len(starts) == 1, starts
    (xs,) = starts
    assert xs[-1] > pages(built / "rfc.pdf")[0].width * 0.6  # full width: Champion in the right half
