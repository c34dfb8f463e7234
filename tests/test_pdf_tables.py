"""The table part of the PDF filter (templates/pdf/tables.lua) through real pandoc, and what Typst makes of it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rust_goals_slate.pdf import typeset as pdf
from rust_goals_slate.pdf.typeset import PdfMeta, write_pdf

pytestmark = pytest.mark.slow
META = PdfMeta(title="Rust Project Goals 2027", period="2027", rfc_number=None, date=None, goal_count=3)
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _typst(markdown: str) -> str:
    return pdf.run_pandoc(
        ["--sandbox", "--from", pdf.READER, "--to", "typst", "--lua-filter", str(pdf.LUA_FILTER)], markdown
    )


def _tokens(typst: str) -> list[tuple[list[str], bool]]:
    found = []
    for m in re.finditer(r"#slate-token\(\(((?:\"[^\"]*\", )*\"[^\"]*\")\), code: (true|false)\);", typst):
        found.append((re.findall(r'"([^"]*)"', m.group(1)), m.group(2) == "true"))
    return found


def test_tokens_split_at_separators_and_camel_case_and_never_in_plain_words() -> None:
    typst = _typst(
        "| a | b |\n|---|---|\n"
        "| `rustc_codegen_cranelift` | aarch64-unknown-linux-pauthtest |\n"
        "| `std::ops::Try` ThreadSanitizer | stabilization/implementation |\n"
        "| Internationalization responsibilities | -Zbuild-std |\n"
    )
    assert _tokens(typst) == [
        (["rustc_", "codegen_", "cranelift"], True),
        (["aarch64-", "unknown-", "linux-", "pauthtest"], False),
        (["std::", "ops::", "Try"], True),
        (["Thread", "Sanitizer"], False),
        (["stabilization/", "implementation"], False),
        (["-Zbuild-", "std"], False),
    ]
    assert re.search(r"Internationalization\s+responsibilities", typst)  # plain words stay text, never pieces
    assert typst.count("#slate-fit[") == 5  # every cell with a token, and only those


def test_rows_of_one_goal_are_grouped_and_striped_together() -> None:
    typst = _typst(
        "#### Large goals\n\n| Goal | PoC | Team | Champion |\n|---|---|---|---|\n"
        "| Alpha | Ann | **lang** | Bob |\n|  |  | types | Cy |\n|  |  | libs | *n/a* |\n"
        "| Beta | Dee | cargo | Eve |\n| Gamma | Fay | lang | Gus |\n|  |  | compiler |  |\n"
    )
    assert "table.cell(rowspan: 3)[#metadata(none)<slate-table-1>Alpha], table.cell(rowspan: 3)[Ann]" in typst
    assert "table.cell(rowspan: 2)[Gamma], table.cell(rowspan: 2)[Fay], [lang], [Gus],\n    [compiler], []," in typst
    assert 'stripes: "000100"' in typst  # by goal: Alpha's 3 rows, Beta, then Gamma's 2
    assert '#slate-continued("slate-table-1")[Large goals]' in typst
    assert "continued: true" in typst


def test_goal_tables_share_one_layout_sized_for_the_longest_champion() -> None:
    header = "| Goal | Level | Champion | Notes |\n|---|---|---|---|\n"
    typst = _typst(
        "## cargo team\n\n" + header + "| A | Small | Ed Page | n |\n\n"
        "## lang team\n\n" + header + '| B | Large | Vadim Petrochenkov, Niko Matsakis | Don\'t -- "x" |\n\n'
        '| Goal | Owner |\n|---|---|\n| C | Ann |\n\nProse: don\'t -- "quote"\n'
    )
    champions = 'champions: ("Vadim Petrochenkov", "Niko Matsakis", "Ed Page",)'
    assert typst.count(champions) == 2 and typst.count("champions:") == 2
    assert typst.count("columns: 4,") == 2  # no widths of their own: the template gives every one the same
    # In cells and prose alike, an apostrophe inside a word stays as typed (escaped: Typst would make it curly) and
    # quotation marks become typographic; a cell keeps its `--` as written (escaped, so that Typst shows two
    # hyphens), prose gets an en dash (Typst's `--`).
    assert re.search(r"Don\\'t\s+-\\-\s+“x”", typst)
    assert "Prose: don\\'t -- “quote”" in typst


def _text(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True).stdout.decode()


@needs_pdftotext
def test_a_token_breaks_only_where_its_column_is_narrower_and_stays_whole_in_the_text(tmp_path: Path) -> None:
    token = "aarch64_unknown_linux_pauthtest_with_a_very_long_target_name"
    markdown = (
        "| Goal | Level | Notes | Five | Six |\n|---|---|---|---|---|\n"
        f"| Improve `rustc_codegen_cranelift` performance in a column wide enough | x | `{token}` | y | z |\n"
        "| Stabilize cargo-semver-checks and more words to fill the column | x | n | y | z |\n"
    )
    out = tmp_path / "t.pdf"
    write_pdf(markdown, out, META)
    raw = _text(out, "-raw")
    assert not re.search("[\u200b\u2060\u00ad]", raw)
    words = raw.split()
    assert "rustc_codegen_cranelift" in words and "cargo-semver-checks" in words  # fits: never broken
    assert token not in words and token in "".join(words)  # wider than its column: broken, at its pieces
    assert any(w.endswith("_") and token.startswith(w) for w in words)


@needs_pdftotext
def test_cells_print_what_the_source_says_and_prose_gets_smart_punctuation(tmp_path: Path) -> None:
    """docs/pdf.md, "Punctuation": in the PDF's text, a cell keeps "—", "–", "…", `...` and `--` as written and an
    apostrophe inside a word as typed; prose gets dashes and an ellipsis; quotation marks are typographic in both."""
    markdown = (
        "| Goal | Notes |\n|---|---|\n"
        '| Amanieu d\'Antras | wait — see “x” – or … or ... or -- or "quoted" |\n\n'
        'Amanieu d\'Antras said "quoted" -- then --release... and --- done.\n'
    )
    out = tmp_path / "t.pdf"
    write_pdf(markdown, out, META)
    text = " ".join(_text(out, "-raw").split())
    assert "wait — see “x” – or … or ... or -- or “quoted”" in text
    assert "Amanieu d'Antras said “quoted” – then --release… and — done." in text
    assert text.count("d'Antras") == 2
