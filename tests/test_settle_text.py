"""settle's last step (`_tidy`) joins the RFC's lines once: the same text as splitting, tidying, joining, stripping
and appending the final newline one copy after the other (the 200x synthetic slate's peak memory,
docs/performance.md)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rust_goals_slate.render.settle import _FENCE, _tidy


def _tidied_by_copies(text: str) -> str:
    """The text as settle tidied it before (each step a new copy of the whole text)."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        f = _FENCE.match(line)
        if fence is None and f:
            fence = f.group(1)
        elif fence is not None and f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
            fence = None
        line = line.rstrip()
        if fence is None and not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def test_edges() -> None:
    for text in ["", "\n", "\n\n\n", " \n\t\n", "a", "\n\na\n\n", "a  \n\n\n\nb\n", "```\n\n\n```\nx\n\n"]:
        assert _tidy(text.split("\n")) == _tidied_by_copies(text), repr(text)


@given(st.text(alphabet=" \t\r\n\x85`~ab#", max_size=60))
@settings(max_examples=3000, deadline=None)
def test_generated_texts(text: str) -> None:
    assert _tidy(text.split("\n")) == _tidied_by_copies(text)
