"""Hostile goal text on the PDF path (issue 22, item 1): what follows an emphasis, a link, a strikeout, a note or a
badge is text, never the continuation of the Typst expression pandoc's writer made of that element."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from rust_goals_slate.pdf import typeset as pdf
from rust_goals_slate.pdf.typeset import PdfMeta, typeset, write_pdf

META = PdfMeta(title="Hostile", period="2027", rfc_number=None, date=None, goal_count=0)
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")

# Each element the Typst writer prints as an embedded expression, written before `.at(0)`.
ELEMENTS = {
    "strong": "**x**",
    "emphasis": "*x*",
    "strikeout": "~~x~~",
    "link": "[x](https://example.org)",
    "autolink": "<https://example.org>",
    "footnote": "x[^1]",
    "badge": "![TBD](https://img.shields.io/badge/TBD-red)",
}


def _typst(markdown: str) -> str:
    args = ["--sandbox", "--from", pdf.READER, "--to", "typst", "--lua-filter", str(pdf.LUA_FILTER)]
    return pdf.run_pandoc(args, markdown)


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ELEMENTS))
def test_a_dot_after_an_element_is_escaped_text(name: str) -> None:
    typst = _typst(f"Before {ELEMENTS[name]}.at(0) after.\n\n[^1]: note\n")
    body = typst.split("Before", 1)[1]
    assert "\\.at(0) after." in body, body
    assert ".at(0)" not in body.replace("\\.at(0)", "")


@pytest.mark.slow
def test_only_what_could_continue_an_expression_is_escaped() -> None:
    typst = _typst("**a**.b **c**._d **e**.é **f**(g) **h**[i] **j**;k **l**.5 **m**. **n**..o *p*'s\n")
    for escaped in ("#strong[a]\\.b", "#strong[c]\\.\\_d", "#strong[e]\\.é", "#strong[f]\\(g)", "#strong[j]\\;k"):
        assert escaped in typst, escaped
    assert "#strong[h]\\[i\\]" in typst
    for plain in ("#strong[l].5", "#strong[m].", "#strong[n]..o", "#emph[p]'s"):
        assert plain in typst, plain


HOSTILE = """\
# Calls

Call **the API**.get('key') and *this*.len() then ~~that~~.first().

See **x**.at(0, default: read("secret.txt")) and [y](https://example.org).at(0, default: range(300000000).len()).
"""


@pytest.mark.slow
@needs_poppler
def test_goal_text_that_looks_like_typst_is_printed_as_written(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "secret.txt").write_text("SECRET-CONTENT\n", encoding="utf-8")
    out = tmp_path / "rfc.pdf"
    write_pdf(HOSTILE, out, META, resource_dir=src)  # on main: ToolError in __typst_py_bytes__.typ
    text = " ".join(_pdftotext(out).split())
    # prose gets typographic quotes (the reader's `smart`)
    assert "Call the API.get(‘key’) and this.len() then that.first()." in text
    assert "See x.at(0, default: read(“secret.txt”))" in text
    assert "y.at(0, default: range(300000000).len())" in text
    assert "SECRET-CONTENT" not in text


@pytest.mark.slow
def test_a_link_with_an_empty_target_is_its_text() -> None:
    typst = _typst("a [x]() b [](<>) c\n")
    assert typst == "a x b c\n"  # on main: #link("")[x], which Typst refuses


# Inline elements and what may follow them, mixed at random (seeded) in paragraphs, list items, table cells,
# headings and quotes: every document must compile, so none of it was read as Typst code.
ELEMENTS_MIX = [
    *ELEMENTS.values(), "`c`", '"q"', "'s", "<br>", "$x$", "***x***", "**[x](https://a.b)**", "_x_", "__x__",
    "https://a.b/c", "[x][]", "[x]()", "`rustc_codegen_cranelift_x`", "<sup>x</sup>", "&amp;", "@nikomatsakis", "#123",
]  # fmt: skip
FOLLOWERS = [
    ".at(0)", ".a", "(1)", "[a]", ";x", "<lbl>", "@ref", "#x", "$", "=", "-", "+", "/", "//", "/*", "*", "_", "\\",
    "~", "'", '"', "..", "...", ".5", ":", ",", "{", "}", ".len()", ".é", "._x", "()", "[]", ".at(0)[1]", "`", "'x'",
]  # fmt: skip


def _mixed_document(seed: int, count: int) -> str:
    rng = random.Random(seed)
    parts = []
    for i in range(count):
        text = "".join(rng.choice(ELEMENTS_MIX) + rng.choice(FOLLOWERS) for _ in range(rng.randint(1, 4)))
        cell = text.replace("|", "\\|")
        parts.append([text, f"- {text}", f"| a | b |\n|---|---|\n| {cell} | y |", f"## {text}", f"> {text}"][i % 5])
    return "# Mixed\n\n" + "\n\n".join(parts) + "\n\n[x]: https://a.b\n[^1]: note\n"


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_random_mixes_of_elements_and_typst_syntax_compile(seed: int) -> None:
    assert typeset(_mixed_document(seed, 300), META).startswith(b"%PDF-")
