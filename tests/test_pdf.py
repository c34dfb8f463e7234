"""The PDF stage: unit tests with the tools faked, the Lua filter through real pandoc, and end-to-end builds
(real pandoc and Typst, checked with poppler's pdftotext/pdffonts) marked `slow`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rust_goals_slate.errors import ToolError, UsageError
from rust_goals_slate.pdf import typeset as pdf
from rust_goals_slate.pdf.typeset import PdfMeta, write_pdf

ROOT = Path(__file__).resolve().parent.parent
CORPUS_RFC = ROOT.parent / "shared" / "corpus" / "2026" / "published-rfc.md"
META = PdfMeta(title="Rust Project Goals 2027", period="2027", rfc_number="3999", date="2027-01-15", goal_count=3)
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) not installed")

SAMPLE = """\
- Feature Name: `project_goals_2027`
- Start Date: 2027-01-15

# Summary

Establish the Rust project goals for 2027: see [the goals](#goals) and [the website](https://rust-lang.github.io/rust-project-goals/).

# Reference-level explanation

## Goals

| Goal | Point of contact | Team | Funding |
| :-- | :-- | :-- | :-- |
| [Stabilize cargo-script](https://example.org/2027/cargo-script.html) | [Ed Page][] | [cargo][] | ✅ |
| [Polonius alpha](https://example.org/2027/polonius.html) | ![Help wanted][] | [types][] | 🟡 |
| [Parallel front end](https://example.org/2027/pfe.html) | [二手掉包工程师][], [Алексей Кладов][] | [compiler][] | 🟥 |

### Stabilize cargo-script

*People involved: [Ed Page][], [Rémy Rakic][], [Sparrow Li][]* ![Team][] ![TBD][] ![Complete][] ![Not funded][]

```rust
fn main() {
    println!("Hello, world!");
}
```

[Ed Page]: https://github.com/epage
[Sparrow Li]: https://github.com/SparrowLii
[二手掉包工程师]: https://github.com/hi-rustin
[Алексей Кладов]: https://github.com/matklad
[Rémy Rakic]: https://github.com/lqd
[cargo]: https://www.rust-lang.org/governance/teams/dev-tools#team-cargo
[types]: https://www.rust-lang.org/governance/teams/compiler#team-types
[compiler]: https://www.rust-lang.org/governance/teams/compiler
[Help wanted]: https://img.shields.io/badge/Help%20wanted-yellow
[Team]: https://img.shields.io/badge/Team%20ask-red
[TBD]: https://img.shields.io/badge/TBD-red
[Complete]: https://img.shields.io/badge/Complete-green
[Not funded]: https://img.shields.io/badge/Not%20yet%20funded-red
"""

INJECTION = """\
# Injection

## Heading #read("/etc/passwd") `#read("/etc/passwd")`

Before.

```{=latex}
\\input{/etc/passwd}
```

Inline `x`{=latex} and \\input{/etc/passwd} as text.

```{=typst}
#read("/etc/passwd")
```

Text #read("/etc/passwd") and [#read("/etc/passwd")] and $#read("/etc/passwd")$ and <b>html</b>.

<div>#read("/etc/passwd")</div>

![local](/etc/passwd) ![up](../../../../../../etc/passwd.png) ![remote](https://example.com/x.png)

---
title: '#read("/etc/passwd")'
header-includes: '\\input{/etc/passwd}'
---

After.
"""


# ---------------------------------------------------------------------------------------------------------------
# Unit tests: the tools are faked.


class FakeTools:
    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, *, pandoc_output: str = "= Typst", pdf_bytes: bytes = b"%PDF-x"
    ):
        self.pandoc_calls: list[tuple[list[str], str]] = []
        self.typst_calls: list[tuple[str, Path, list[Path]]] = []
        self.typst_inputs: list[tuple[dict[str, str] | None, int | None]] = []
        self.pandoc_output = pandoc_output
        self.pdf_bytes = pdf_bytes
        monkeypatch.setattr(pdf, "run_pandoc", self.run_pandoc)
        monkeypatch.setattr(pdf, "run_typst", self.run_typst)

    def run_pandoc(self, args: list[str], input_text: str) -> str:
        self.pandoc_calls.append((args, input_text))
        if "--output" in args:
            Path(args[args.index("--output") + 1]).write_bytes(self.pdf_bytes)
            return ""
        return self.pandoc_output

    def run_typst(
        self,
        source: str,
        root: Path,
        font_paths: list[Path],
        inputs: dict[str, str] | None = None,
        timestamp: int | None = None,
    ) -> bytes:
        self.typst_calls.append((source, root, font_paths))
        self.typst_inputs.append((inputs, timestamp))
        self.root_contents = sorted(p.name for p in root.iterdir())
        return self.pdf_bytes


def _metadata(args: list[str]) -> dict[str, str]:
    pairs = [args[i + 1] for i, arg in enumerate(args) if arg == "--metadata"]
    return dict(pair.split("=", 1) for pair in pairs)


def test_typst_pipeline_calls_pandoc_then_typst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = FakeTools(monkeypatch)
    out = tmp_path / "rfc.pdf"
    write_pdf("# Hello", out, META)
    assert out.read_bytes() == b"%PDF-x"
    [(args, text)] = tools.pandoc_calls
    assert text == "# Hello"
    assert "--sandbox" in args
    assert args[args.index("--from") + 1] == "gfm-yaml_metadata_block"
    assert args[args.index("--to") + 1] == "typst"
    assert Path(args[args.index("--lua-filter") + 1]) == pdf.LUA_FILTER
    assert Path(args[args.index("--template") + 1]) == pdf.TYPST_TEMPLATE
    assert _metadata(args) == {
        "slate-title": "Rust Project Goals 2027",
        "slate-period": "2027",
        "slate-rfc": "#3999",
        "slate-date": "2027-01-15",
        "slate-goals": "3",
        "slate-author": "the Rust Project Goals team",
    }
    [(source, root, fonts)] = tools.typst_calls
    # No build time given: no date in the PDF, and Typst's own clock is not consulted either.
    assert tools.typst_inputs == [
        (
            {
                "slate-author": "the Rust Project Goals team",
                "slate-rfc-url": "https://github.com/rust-lang/rfcs/pull/3999",
            },
            None,
        )
    ]
    assert source == "= Typst"
    assert fonts == [pdf.FONTS]
    assert tools.root_contents == []  # no source tree: an empty root, so Typst can read nothing
    assert not root.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["rfc.pdf"]


def test_typst_root_is_empty_and_the_filter_gets_the_trees_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = FakeTools(monkeypatch)
    src = tmp_path / "src"
    (src / "img").mkdir(parents=True)
    (src / "img" / "a.png").write_bytes(b"\x89PNG")
    (src / "goal.md").write_text("x")
    write_pdf("x", tmp_path / "out" / "rfc.pdf", META, resource_dir=src)
    assert tools.typst_calls[0][1] != src.resolve() and tools.root_contents == []  # no image used: nothing copied
    assert _metadata(tools.pandoc_calls[0][0])["slate-images"] == '["img/a.png"]'
    assert (tmp_path / "out" / "rfc.pdf").read_bytes() == b"%PDF-x"


@pytest.mark.parametrize(
    ("rfc", "date", "expected"),
    [
        (None, None, {"slate-rfc": "not yet assigned"}),
        ("0000", "", {"slate-rfc": "not yet assigned"}),
        ("  3935 ", "2026-02-23", {"slate-rfc": "#3935", "slate-date": "2026-02-23"}),
        ("rust-lang/rfcs#3935", None, {"slate-rfc": "rust-lang/rfcs#3935"}),
    ],
)
def test_title_page_fields(rfc: str | None, date: str | None, expected: dict[str, str]) -> None:
    meta = PdfMeta(title="Rust  Project\nGoals", period="2026", rfc_number=rfc, date=date, goal_count=0)
    base = {
        "slate-title": "Rust Project Goals",
        "slate-period": "2026",
        "slate-goals": "0",
        "slate-author": "the Rust Project Goals team",
    }
    assert pdf.title_page(meta) == base | expected


def test_pandoc_failure_is_a_tool_error_and_keeps_the_old_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(args: list[str], input_text: str) -> str:
        raise ToolError("pandoc failed (exit status 64):\n  boom")

    FakeTools(monkeypatch)
    monkeypatch.setattr(pdf, "run_pandoc", failing)
    out = tmp_path / "rfc.pdf"
    out.write_bytes(b"old")
    with pytest.raises(ToolError, match="boom"):
        write_pdf("x", out, META)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["rfc.pdf"]


def test_typst_failure_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(source: str, root: Path, font_paths: list[Path], *rest: object) -> bytes:
        raise ToolError("typst failed:\n  error: unclosed delimiter")

    FakeTools(monkeypatch)
    monkeypatch.setattr(pdf, "run_typst", failing)
    with pytest.raises(ToolError, match="unclosed delimiter"):
        write_pdf("x", tmp_path / "rfc.pdf", META)
    assert list(tmp_path.iterdir()) == []


def test_unknown_engine_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = FakeTools(monkeypatch)
    with pytest.raises(UsageError, match="wkhtmltopdf"):
        write_pdf("x", tmp_path / "rfc.pdf", META, engine="wkhtmltopdf")
    assert tools.pandoc_calls == []


def test_latex_engine_lets_pandoc_write_the_pdf_in_a_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = FakeTools(monkeypatch, pdf_bytes=b"%PDF-latex")
    out = tmp_path / "rfc.pdf"
    write_pdf("# Hello", out, META, engine="xelatex")
    [(args, _)] = tools.pandoc_calls
    assert args[args.index("--to") + 1] == "latex"
    assert args[args.index("--pdf-engine") + 1] == "xelatex"
    assert "--template" not in args
    written = Path(args[args.index("--output") + 1])
    assert written.name == "rfc.pdf" and written.parent != tmp_path and not written.parent.exists()
    assert tools.typst_calls == []
    assert out.read_bytes() == b"%PDF-latex"
    assert [p.name for p in tmp_path.iterdir()] == ["rfc.pdf"]
    assert out.stat().st_mode & 0o644 == 0o644


def test_latex_engine_that_writes_nothing_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    FakeTools(monkeypatch, pdf_bytes=b"\\section{x}")
    with pytest.raises(ToolError, match="wrote no PDF"):
        write_pdf("x", tmp_path / "rfc.pdf", META, engine="lualatex")
    assert list(tmp_path.iterdir()) == []


def test_importing_the_stage_loads_neither_tool() -> None:
    code = (
        "import sys, rust_goals_slate.pdf.typeset; print(sorted(m for m in ('pypandoc', 'typst') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_pdf_assets_are_in_place() -> None:
    assert pdf.LUA_FILTER.is_file() and pdf.TYPST_TEMPLATE.is_file()
    fonts = sorted(p.name for p in pdf.FONTS.glob("*.ttf"))
    assert fonts == ["DroidSansFallback.ttf", "NotoColorEmoji-Subset.ttf"]
    assert sum(p.stat().st_size for p in pdf.FONTS.iterdir()) < 15_000_000


# ---------------------------------------------------------------------------------------------------------------
# The tools themselves: error reports, and the Lua filter through real pandoc.


@pytest.mark.slow
def test_run_pandoc_quotes_pandoc() -> None:
    with pytest.raises(ToolError, match=r"pandoc failed \(exit status \d+\):\n  Unknown input format nope"):
        pdf.run_pandoc(["--from", "nope"], "x")


@pytest.mark.slow
def test_run_typst_quotes_typst(tmp_path: Path) -> None:
    with pytest.raises(ToolError, match=r"(?s)typst failed:.*unclosed delimiter.*#let x = \("):
        pdf.run_typst("#let x = (", tmp_path, [])


@pytest.mark.slow
def test_run_typst_cannot_read_outside_its_root(tmp_path: Path) -> None:
    with pytest.raises(ToolError, match=r"escape the project root|file not found"):
        pdf.run_typst('#read("../../../../../../etc/passwd")', tmp_path, [])


@pytest.mark.slow
def test_missing_latex_engine_is_reported_with_pandocs_words(tmp_path: Path) -> None:
    if shutil.which("tectonic"):
        pytest.skip("tectonic is installed")
    with pytest.raises(ToolError, match="tectonic"):
        write_pdf("# Hello", tmp_path / "rfc.pdf", META, engine="tectonic")
    assert list(tmp_path.iterdir()) == []


def _typst(markdown: str, *extra: str) -> str:
    return pdf.run_pandoc(
        ["--sandbox", "--from", pdf.READER, "--to", "typst", "--lua-filter", str(pdf.LUA_FILTER), *extra], markdown
    )


@pytest.mark.slow
def test_filter_drops_raw_code_of_every_format() -> None:
    markdown = (
        "```{=latex}\n\\input{/etc/passwd}\n```\n\nInline `x`{=latex} <b>bold</b>\n\n"
        '```{=typst}\n#read("/etc/passwd")\n```\n'
    )
    for reader in (pdf.READER, "commonmark_x"):  # commonmark_x has raw attributes: real RawBlocks
        out = pdf.run_pandoc(["--from", reader, "--to", "native", "--lua-filter", str(pdf.LUA_FILTER)], markdown)
        assert "Raw" not in out
    typst = pdf.run_pandoc(["--from", "commonmark_x", "--to", "typst", "--lua-filter", str(pdf.LUA_FILTER)], markdown)
    assert "read(" not in typst and "input" not in typst
    # The reader of the PDF stage has no raw attributes: such blocks are shown as code, never run.
    outside_code = _typst(markdown).split("```")[0::2]
    assert not any("#read" in part for part in outside_code)


@pytest.mark.slow
def test_filter_turns_badges_into_labels_and_never_keeps_remote_images() -> None:
    typst = _typst(
        "![Help Wanted][] ![TBD][] ![Status: RFC pending](https://img.shields.io/badge/Status-RFC%20pending-yellow) "
        "![Not funded](https://example.com/nf.png) ![logo](https://example.com/logo.png)\n\n"
        "[Help wanted]: https://img.shields.io/badge/Help%20wanted-yellow\n[TBD]: https://img.shields.io/badge/TBD-red\n"
    )
    assert '#slate-badge("Help wanted", rgb("#dfb317"), ink: black)' in typst
    assert '#slate-badge("TBD", rgb("#e05d44"), ink: white)' in typst
    assert '#slate-badge("RFC pending", rgb("#dfb317"), ink: black, label: "Status")' in typst
    assert '#slate-badge("Not yet funded", rgb("#e05d44"), ink: white)' in typst
    assert '#link("https://example.com/logo.png")[#emph[\\[image: logo\\]]]' in typst
    assert "image(" not in typst


@pytest.mark.slow
def test_filter_keeps_only_the_local_images_slate_lists() -> None:
    markdown = "![ok](img/ok.png) ![missing](img/no.png) ![abs](/etc/passwd.png) ![up](../x.png) ![txt](img/a.txt)"
    with_dir = _typst(markdown, "--metadata", 'slate-images=["img/ok.png"]')
    assert with_dir.count("image(") == 1 and 'image("img/ok.png")' in with_dir
    assert with_dir.rstrip().endswith('// slate-images: ["img/ok.png"]')
    for alt in ("missing", "abs", "up", "txt"):
        assert f"\\[image: {alt}\\]" in with_dir
    assert "image(" not in _typst(markdown)


@pytest.mark.slow
def test_filter_unlinks_dangling_internal_links_and_clears_duplicate_ids() -> None:
    typst = _typst("# Goals\n\n[ok](#goals) [dangling](#nowhere) [empty](#)\n")
    assert "#link(<goals>)[ok]" in typst
    assert "nowhere" not in typst and "dangling" in typst
    out = pdf.run_pandoc(
        ["--from", "commonmark_x", "--to", "typst", "--lua-filter", str(pdf.LUA_FILTER)],
        "# A {#x}\n\n::: {#x}\ndiv\n:::\n\n[s]{#x} [to](#x)\n",
    )
    assert out.count("<x>") == 2  # the heading's label, and the link to it


@pytest.mark.slow
def test_filter_moves_sections_up_to_level_one() -> None:
    typst = _typst("- Feature Name: x\n\n## Summary\n\n### Why\n\n- ## In a list\n")
    assert "\n= Summary\n" in typst and "\n== Why\n" in typst and "= In a list" in typst


@pytest.mark.slow
def test_filter_keeps_math_and_metadata_as_text() -> None:
    typst = _typst(
        "Costs $x^2$ and $#read(1)$.\n",
        "--template",
        str(pdf.TYPST_TEMPLATE),
        "--metadata",
        'slate-title=#read("/etc/passwd") ] [',
    )
    assert "\\$x\\^2\\$" in typst or "\\$x^2\\$" in typst
    assert "#let slate-title = [\\#read(“/etc/passwd”) \\] \\[]" in typst  # quotes made typographic, as in prose


@pytest.mark.slow
def test_filter_sizes_wide_tables() -> None:
    header = "| " + " | ".join(f"Column {i}" for i in range(10)) + " |\n"
    rule = "|" + "---|" * 10 + "\n"
    row = "| " + " | ".join("some words in a cell" for _ in range(10)) + " |\n"
    typst = _typst("Intro\n\n" + header + rule + row + "\n- item\n\n  " + header.replace("\n", "\n  ") + rule + row)
    assert "#slate-table(size: 8pt, landscape: true, " in typst  # top level: its own landscape page
    assert "#slate-table(size: 8pt, landscape: false, " in typst  # inside a list: no page of its own
    assert re.search(r"columns: \((\d+(\.\d+)?%, ){9}\d+(\.\d+)?%\)", typst)
    small = _typst("| a | b |\n|---|---|\n| x | `ThisIsAVeryLongIdentifierWithoutSpaces::and_more` |\n")
    assert "#slate-table(size: 9pt, landscape: false, " in small
    assert re.search(r"columns: \(\d+(\.\d+)?%, \d+(\.\d+)?%\)", small)  # every table full width
    # The long token may break, between pieces that are the token itself: nothing is inserted into its text.
    pieces = '"This", "Is", "AVery", "Long", "Identifier", "Without", "Spaces::", "and_", "more"'
    assert f"#slate-fit[#slate-token(({pieces}), code: true);]" in small
    assert "\u200b" not in small and "\u2060" not in small and "\u00ad" not in small


# ---------------------------------------------------------------------------------------------------------------
# End to end: real pandoc and Typst, checked with poppler.


def _pdftotext(path: Path, *args: str) -> str:
    out = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def _fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def _all_embedded(path: Path) -> None:
    rows = _fonts(path)
    assert rows
    for row in rows:
        # name type... emb sub uni object ID: the emb column is the 5th from the end
        assert row[-5] == "yes", f"font not embedded: {row}"


def _words_inside_page(path: Path, margin: float) -> list[int]:
    """Check with `pdftotext -bbox` that every word lies inside its page, at least `margin` pt from the edges;
    return the pages' widths."""
    html = _pdftotext(path, "-bbox")
    widths = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        widths.append(round(width))
        for word in re.finditer(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', page.group(3)
        ):
            x0, y0, x1, y1 = (float(word.group(i)) for i in range(1, 5))
            assert margin <= x0 and x1 <= width - margin, f"word {word.group(5)!r} sticks out: {x0}..{x1} of {width}"
            assert margin <= y0 and y1 <= height - margin, f"word {word.group(5)!r} sticks out: {y0}..{y1} of {height}"
    assert widths
    return widths


@pytest.mark.slow
@needs_poppler
def test_compression_keeps_text_and_links_and_opens_the_bookmarks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF as Typst writes it and as `compress_pdf` rewrites it: the same text and link annotations, object
    streams instead of plain objects, the bookmarks panel open, and the same bytes twice."""
    pikepdf = pytest.importorskip("pikepdf")
    from rust_goals_slate.pdf.compress import compress_pdf

    plain = tmp_path / "plain.pdf"
    monkeypatch.setattr(pdf, "compress_pdf", lambda data: data)
    write_pdf(SAMPLE * 3, plain, META)
    packed = tmp_path / "packed.pdf"
    packed.write_bytes(compress_pdf(plain.read_bytes()))
    assert compress_pdf(plain.read_bytes()) == packed.read_bytes()
    assert _pdftotext(packed) == _pdftotext(plain) and "Stabilize cargo-script" in _pdftotext(packed)

    def links(path: Path) -> list[str]:
        with pikepdf.open(path) as doc:
            return [
                str(annot.get("/A", {}).get("/URI", annot.get("/Dest", "")))
                for page in doc.pages
                for annot in page.get("/Annots", [])
                if annot.get("/Subtype") == "/Link"
            ]

    assert len(links(plain)) > 10 and links(packed) == links(plain)
    assert b"/ObjStm" in packed.read_bytes() and b"/ObjStm" not in plain.read_bytes()
    assert packed.stat().st_size < plain.stat().st_size
    with pikepdf.open(packed) as doc:
        assert doc.Root.get("/PageMode") == pikepdf.Name.UseOutlines


@pytest.mark.slow
@needs_poppler
def test_pdf_has_headings_goals_people_and_embedded_fonts(tmp_path: Path) -> None:
    out = tmp_path / "rfc.pdf"
    write_pdf(SAMPLE, out, META)
    assert out.read_bytes().startswith(b"%PDF-")
    text = _pdftotext(out)
    for expected in (
        "Rust Project Goals 2027",  # title page
        "#3999",
        "2027-01-15",
        "Contents",
        "Summary",
        "Reference-level explanation",
        "Stabilize cargo-script",
        "Polonius alpha",
        "Ed Page",
        "Rémy Rakic",
        "二手掉包工程师",
        "Алексей Кладов",
        "Help wanted",  # badges are drawn as text labels
        "Team ask",
        "Not yet funded",
        'println!("Hello, world!");',
    ):
        assert expected in text, expected
    assert "img.shields.io" not in text
    _all_embedded(out)
    names = " ".join(row[0] for row in _fonts(out))
    assert "DejaVuSansMono" in names and "DroidSansFallback" in names
    assert any(row[1] == "Type" and row[2] == "3" for row in _fonts(out))  # colour emoji glyphs


@pytest.mark.slow
@needs_poppler
def test_raw_latex_and_typst_cannot_read_files(tmp_path: Path) -> None:
    assert "root:" in Path("/etc/passwd").read_text()
    src = tmp_path / "src"
    src.mkdir()
    out = tmp_path / "rfc.pdf"
    write_pdf(INJECTION, out, META, resource_dir=src)
    text = _pdftotext(out)
    assert "Before." in text and "After." in text
    assert "root:" not in text
    assert "Rust Project Goals 2027" in text  # the document's YAML block did not replace the title


def _widest_team_table(markdown: str) -> str:
    """The team table of "Goals by team" with the longest row, with every reference definition of the RFC."""
    section = markdown.split("### Goals by team", 1)[1].split("\n# ", 1)[0]
    parts = re.split(r"^#### (.+)$", section, flags=re.M)
    tables = []
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        rows = [line for line in body.splitlines() if line.startswith("|")]
        if rows:
            tables.append((max(map(len, rows)), name, "\n".join(rows)))
    _, name, table = max(tables)
    definitions = "\n".join(line for line in markdown.splitlines() if re.match(r"^\[[^\]]+\]: ", line))
    return f"#### {name}\n\n{table}\n\n{definitions}\n"


@pytest.mark.slow
@pytest.mark.corpus
@needs_poppler
def test_widest_corpus_table_stays_inside_the_page(tmp_path: Path) -> None:
    if not CORPUS_RFC.is_file():
        pytest.skip("../shared/corpus is absent")
    out = tmp_path / "table.pdf"
    write_pdf(_widest_team_table(CORPUS_RFC.read_text(encoding="utf-8")), out, META)
    _words_inside_page(out, margin=20)
    text = " ".join(_pdftotext(out).split())
    assert "Vadim Petrochenkov" in text and "Architectural groundwork for expansion-time evaluation" in text


@pytest.mark.slow
@needs_poppler
def test_very_wide_table_gets_a_landscape_page_and_fits(tmp_path: Path) -> None:
    columns = 12
    header = "| Goal | " + " | ".join(f"Ask kind {i}" for i in range(columns - 1)) + " |\n"
    rule = "|" + ":--|" * columns + "\n"
    rows = "".join(
        f"| [A goal with a rather long title number {n}](https://example.com/{n}) | "
        + " | ".join(
            "`SomeVeryLongIdentifierInACell::method_name`" if i == n % 11 else "✅" for i in range(columns - 1)
        )
        + " |\n"
        for n in range(30)
    )
    out = tmp_path / "wide.pdf"
    write_pdf("# Wide\n\n" + header + rule + rows, out, META)
    widths = _words_inside_page(out, margin=20)
    assert max(widths) > 800  # A4 landscape is 842 pt wide
    assert "A goal with a rather long title number 29" in " ".join(_pdftotext(out).split())


@pytest.mark.slow
@pytest.mark.corpus
@needs_poppler
def test_corpus_rfc_builds(tmp_path: Path) -> None:
    if not CORPUS_RFC.is_file():
        pytest.skip("../shared/corpus is absent")
    out = tmp_path / "rfc.pdf"
    meta = PdfMeta("Rust Project Goals 2026", "2026", "3935", "2026-02-23", 66)
    write_pdf(CORPUS_RFC.read_text(encoding="utf-8"), out, meta, resource_dir=CORPUS_RFC.parent)
    text = _pdftotext(out)
    for expected in ("Goals by team", "Stabilize cargo-script", "Niko Matsakis", "Help wanted"):
        assert expected in text
    _all_embedded(out)
    assert os.stat(out).st_size > 0


@pytest.mark.slow
def test_filter_for_latex_draws_badges_and_keeps_no_raw_input() -> None:
    markdown = (
        "```{=latex}\n\\input{/etc/passwd}\n```\n\n![Help wanted][] ![TBD][]\n\n"
        "[Help wanted]: https://img.shields.io/badge/Help%20wanted-yellow\n[TBD]: https://img.shields.io/badge/TBD-red\n"
    )
    latex = pdf.run_pandoc(["--from", "commonmark_x", "--to", "latex", "--lua-filter", str(pdf.LUA_FILTER)], markdown)
    assert "\\input" not in latex
    assert "\\colorbox[HTML]{DFB317}{\\textsf{\\footnotesize Help wanted}}" in latex
    assert "\\colorbox[HTML]{E05D44}{\\textsf{\\footnotesize TBD}}" in latex
    assert "includegraphics" not in latex


# ---------------------------------------------------------------------------------------------------------------
# `make images`: finding the pages to render.

RFC_HEAD = """\
- Feature Name: `project_goals_2027`
- Start Date: 2027-02-15
- RFC PR: [rust-lang/rfcs#0000](https://github.com/rust-lang/rfcs/pull/0000)

## Summary

The 2027 slate consists of 12 project goals.

```text
| not | a | table | in | a | fence |
|---|---|---|---|---|---|
| x | x | x | x | x | x |
```

### Goals by team

#### cargo team

| Goal | Level | Champion |
| :-- | :-- | :-- |
| [Build reports](https://rust-lang.github.io/goals/2027/cargo-build-reports.html) | Small | [Ed Page][] |

#### [Funding](https://example.org) `table`

| | Goal | Cost | Contact |
|---|---|---|---|
| 🟡 | [Cache](https://rust-lang.github.io/goals/2027/ci-cache.html) | $1 | *n/a* |
"""


def test_images_read_the_title_page_from_the_rfc() -> None:
    from pdf_images import meta_from_markdown

    assert meta_from_markdown(RFC_HEAD) == PdfMeta("Rust Project Goals 2027", "2027", "0000", "2027-02-15", 12)
    legacy = "- Feature Name: N/A\n- RFC PR: [rust-lang/rfcs#3764](x)\n\n[A](https://h/2025h1/a.html) [B](https://h/2025h1/b.html)"
    assert meta_from_markdown(legacy) == PdfMeta("Rust Project Goals 2025h1", "2025h1", "3764", None, 2)


def test_images_find_the_widest_table_and_its_page() -> None:
    from pdf_images import WidestTable, find_pages, widest_table

    # A team-ask table wins over wider tables of other kinds: the preview shows what team leads read.
    assert widest_table(RFC_HEAD) == WidestTable(heading="cargo team", first_cell="Build reports", columns=3)
    table = widest_table(RFC_HEAD.replace("#### cargo team", "#### cargo"))
    assert table == WidestTable(heading="Funding table", first_cell="🟡", columns=4)
    pages = [
        "Rust Project Goals 2027\nContents\nSummary . . . . 1\n",
        "Funding table . . . . 2\n",  # the contents go on
        "Summary\nFunding table\n",  # the heading at the bottom of a page...
        "🟡 Cache $1\nLarge goals\n",  # ...and its table on the next
        "",
    ]
    assert find_pages(pages, table) == {"pdf-title": 1, "pdf-goals": 4, "pdf-table": 4}
    assert find_pages(["T\nContents . . . . 1", "Funding table\n🟡 Cache"], table)["pdf-table"] == 2
    assert find_pages(["T\nContents . . . . 1", "x"], None) == {"pdf-title": 1, "pdf-goals": 2, "pdf-table": 2}


@pytest.mark.slow
@needs_poppler
def test_images_are_rendered(tmp_path: Path) -> None:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm not installed")
    from pdf_images import main

    rfc = tmp_path / "rfc.md"
    rfc.write_text(RFC_HEAD, encoding="utf-8")
    assert main([str(rfc), str(tmp_path / "images"), "--resolution", "30"]) == 0
    names = sorted(p.name for p in (tmp_path / "images").iterdir())
    assert names == ["pdf-goals.png", "pdf-table.png", "pdf-title.png"]
    assert all((tmp_path / "images" / n).read_bytes().startswith(b"\x89PNG") for n in names)
    assert main([str(tmp_path / "missing.md"), str(tmp_path / "images")]) == 1
