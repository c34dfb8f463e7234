"""PNG previews of the PDF for the README (`make images`): the first page (title block and contents), the page of the
first size table and the page of the widest table, rendered with poppler's `pdftoppm`.

    python tools/pdf_images.py build/rfc.md docs/images

The title page is read from the RFC's own header lines (feature name, start date, RFC PR) and its goal links, so
any RFC Markdown will do; the PDF is built with `rust_goals_slate.pdf.typeset.write_pdf` in a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from rust_goals_slate.errors import SlateError
from rust_goals_slate.pdf.provenance import build_time, source_revision
from rust_goals_slate.pdf.typeset import PdfMeta, write_pdf

IMAGES = ("pdf-title", "pdf-goals", "pdf-table")
SIZE_HEADINGS = ("Large goals", "Medium goals", "Small goals", "Flagship goals")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class WidestTable:
    heading: str  # plain text of the heading above it ("" if none)
    first_cell: str  # plain text of its first body cell
    columns: int


def meta_from_markdown(text: str) -> PdfMeta:
    """The title page of an RFC, from its header lines and prose ("... consists of 66 project goals"); the period
    falls back to the one most goal links point into."""
    period_match = re.search(r"Feature Name:\s*`?project[_-]goals[_-](\w+)`?", text)
    periods = re.findall(r"\]\(https?://[^)\s]*?/(\d{4}(?:h[12])?)/[\w.-]+\.html", text)
    period = period_match.group(1) if period_match else max(set(periods), key=periods.count, default="")
    date_match = re.search(r"Start Date:\s*(\d{4}-\d{2}-\d{2})", text)
    rfc_match = re.search(r"RFC PR:\s*\[?rust-lang/rfcs#(\d+)", text)
    count_match = re.search(r"(\d+) project goals", text)
    goals = set(re.findall(rf"\]\((https?://[^)\s]*/{re.escape(period)}/(?!roadmap-)[\w.-]+\.html)\)", text))
    return PdfMeta(
        title=f"Rust Project Goals {period}".strip(),
        period=period,
        rfc_number=rfc_match.group(1) if rfc_match else None,
        date=date_match.group(1) if date_match else None,
        goal_count=int(count_match.group(1)) if count_match else len(goals),
    )


def plain(markdown: str) -> str:
    """Roughly the text a Markdown fragment shows: links and images by their text, emphasis and code marks gone."""
    text = re.sub(r"!?\[([^\]]*)\](\([^)]*\)|\[[^\]]*\])?", r"\1", markdown)
    text = re.sub(r"[*_`]|\\(?=[|*\\_`])", "", text)
    return " ".join(text.split())


def widest_table(text: str) -> WidestTable | None:
    """The widest team-ask table (most columns, then the longest row), with the heading it sits under; the widest
    table of any kind when the RFC has no `<team> team` section."""
    lines = text.splitlines()
    best: tuple[bool, int, int, WidestTable] | None = None
    heading = ""
    fence = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence:
            continue
        match = _HEADING.match(line)
        if match:
            heading = plain(match.group(2))
            continue
        starts_table = (
            "|" in line and i + 2 < len(lines) and _DELIMITER.match(lines[i + 1]) and "-" in lines[i + 1]
        ) and (i == 0 or "|" not in lines[i - 1])
        if not starts_table:
            continue
        body = []
        for row in lines[i + 2 :]:
            if "|" not in row:
                break
            body.append(row)
        if not body:
            continue
        columns = len(lines[i + 1].strip().strip("|").split("|"))
        width = max(len(row) for row in [line, *body])
        first = plain(body[0].strip().strip("|").split("|")[0])
        candidate = WidestTable(heading=heading, first_cell=first, columns=columns)
        team = heading.endswith(" team")
        if best is None or (team, columns, width) > best[:3]:
            best = (team, columns, width, candidate)
    return best[3] if best else None


def _page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")


def find_pages(pages: list[str], table: WidestTable | None) -> dict[str, int]:
    """1-based page numbers of the first page (title and contents), of the first size table ("Large goals", ...)
    and of the widest table; the body starts after the last page of the contents (its dot leaders)."""
    leaders = [n for n, page in enumerate(pages[:6], 1) if ". . . ." in page]
    contents = max(leaders, default=1)

    def heading_page(headings: tuple[str, ...]) -> int | None:
        for n, page in enumerate(pages, 1):
            if n > contents and any(line.strip() in headings for line in page.splitlines()):
                return n
        return None

    goals_page = heading_page(SIZE_HEADINGS) or contents + 1
    table_page = contents + 1
    if table is not None:
        flat = [" ".join(page.split()) for page in pages]
        n = heading_page((table.heading,))
        if n is not None:
            # The table may start on the next page (a landscape page, or no room left under the heading).
            table_page = n if table.first_cell in flat[n - 1] or n == len(pages) else n + 1
    return {"pdf-title": 1, "pdf-goals": goals_page, "pdf-table": table_page}


def render(rfc_md: Path, out_dir: Path, *, resolution: int = 80) -> list[Path]:
    """Build the PDF of `rfc_md` and write the three PNG previews into `out_dir`; return their paths."""
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            raise SlateError(f"{tool} is missing: install poppler-utils")
    text = rfc_md.read_text(encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="slate-images-") as tmp:
        pdf = Path(tmp) / "rfc.pdf"
        # The build time honours SOURCE_DATE_EPOCH; the revision is the checkout's the RFC was built in.
        meta = replace(meta_from_markdown(text), built=build_time(), revision=source_revision(rfc_md.parent))
        write_pdf(text, pdf, meta, resource_dir=rfc_md.resolve().parent)
        pages = find_pages(_page_texts(pdf), widest_table(text))
        for name in IMAGES:
            page = str(pages[name])
            target = out_dir / name
            cmd = [
                "pdftoppm",
                "-png",
                "-r",
                str(resolution),
                "-f",
                page,
                "-l",
                page,
                "-singlefile",
                str(pdf),
                str(target),
            ]
            subprocess.run(cmd, check=True, capture_output=True)
            written.append(target.with_suffix(".png"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/pdf_images.py", description=__doc__.splitlines()[0])
    parser.add_argument("rfc_md", type=Path, help="the RFC Markdown, e.g. build/rfc.md")
    parser.add_argument("out_dir", type=Path, help="where the PNG files go, e.g. docs/images")
    parser.add_argument("--resolution", type=int, default=80, help="pixels per inch (default: 80)")
    args = parser.parse_args(argv)
    if not args.rfc_md.is_file():
        print(f"error: {args.rfc_md} does not exist (build it first, e.g. `make rfc`)", file=sys.stderr)
        return 1
    try:
        for path in render(args.rfc_md, args.out_dir, resolution=args.resolution):
            print(f"wrote {path}")
    except SlateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
