"""The last step of the Typst PDF: what Typst cannot say itself, written with pikepdf (qpdf).

Typst stores every object of its PDF as plain text: the tagged structure (one element per paragraph, cell and
link) and the link annotations make the 2026 RFC 1.5 MB, of which 1.1 MB is such objects. qpdf packs them into
compressed object streams (PDF 1.5), which every viewer of this century reads: the same pages, text and links in a
quarter of the size. It also sets `/PageMode /UseOutlines`, so that viewers open the bookmarks panel, which Typst
has no setting for. See docs/pdf.md ("Size") and docs/decisions.md ("pikepdf").
"""

from __future__ import annotations

import io

from rust_goals_slate.errors import ToolError


def compress_pdf(pdf: bytes) -> bytes:
    """`pdf` with its objects in compressed object streams and its bookmarks panel open on opening; the same bytes
    for the same input (the file identifier is derived from the content, not from the clock)."""
    try:
        import pikepdf
    except ImportError as exc:  # pragma: no cover - the `pdf` extra is not installed
        raise ToolError("the PDF output needs pikepdf: install slate with the `pdf` extra") from exc
    out = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            doc.Root[pikepdf.Name.PageMode] = pikepdf.Name.UseOutlines
            doc.save(
                out,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                compress_streams=True,
                deterministic_id=True,
            )
    except pikepdf.PdfError as exc:
        raise ToolError(f"pikepdf could not rewrite the PDF Typst made: {exc}") from exc
    return out.getvalue()
