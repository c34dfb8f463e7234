"""Hostile goal text on the PDF path (issue 22, item 1): what follows an emphasis, a link, a strikeout, a note or a
badge is text, never the continuation of the Typst expression pandoc's writer made of that element."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from rust_goals_slate.pdf import typeset as pdf
from rust_goals_slate.pdf.typeset import PdfMeta, write_pdf

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
