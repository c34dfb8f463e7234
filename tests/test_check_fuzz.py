"""Property: whatever happens to real goal files, `check` and `build` never raise and never leave a partial output.

Hypothesis takes goal files of the corpus (../shared/corpus) and deletes, duplicates and swaps lines, cuts files,
and injects random bytes, pipes and Markdown punctuation. For every such slate:

- `slate check` exits 0 or 1 and prints a JSON list (an unexpected exception re-raises, so hypothesis shows it);
- `slate build` exits 0 or 1, with the same verdict as check;
- a failed build leaves the previous rfc.md as it was, a successful one replaces it whole, and no temporary file
  is left behind.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rust_goals_slate.cli.main import main
from tests.support import CORPUS

PERIODS = [p for p in ("2024h2", "2025h1", "2026") if (CORPUS / p / "src" / p).is_dir()]
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not PERIODS, reason=f"corpus not available at {CORPUS}"),
]

PREVIOUS = "previous rfc.md\n"
PUNCTUATION = [
    b"|", b"||", b" | ", b"\\|", b"|---|---|", b"\n| a | b | c | d |\n", b"[", b"]", b"](", b"[x][y]", b"[^z]",
    b"![Team][]", b"(((GOALS)))", b"(((#GOALS)))", b"(((NOPE)))", b"(((HIGHLIGHT TABLE:", b"<!--", b"-->",
    b"<!-- TEAM ASKS -->", b"```\n", b"~~~", b"# ", b"\n####### x\n", b"@", b"@-", b"@x@y", b"\r", b"\r\n", b"\t",
    b"\xef\xbb\xbf", b"\x00", b"*", b"`", b"\n\n", b"\\", b"| Metadata | |\n|---|---|\n", b"[lang] champion",
    b"\n- [x](./nope.md)\n", b"](../../../../etc/passwd.md)", b"\xff\xfe", b"\xc3",
]  # fmt: skip


def _sources(period: str) -> list[str]:
    src = CORPUS / period / "src" / period
    return sorted(p.relative_to(src).as_posix() for p in src.rglob("*.md"))


SOURCES = {p: _sources(p) for p in PERIODS}


def _mutate(data: st.DataObject, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    kind = data.draw(st.sampled_from(["delete", "duplicate", "swap", "cut", "bytes", "punctuation", "empty"]))
    if kind == "empty":
        return b""
    if kind == "cut":
        return raw[: data.draw(st.integers(0, len(raw)))]
    if kind in ("bytes", "punctuation"):
        at = data.draw(st.integers(0, len(raw)))
        payload = data.draw(st.binary(min_size=1, max_size=8) if kind == "bytes" else st.sampled_from(PUNCTUATION))
        return raw[:at] + payload + raw[at:]
    i = data.draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    else:
        j = data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


@contextlib.contextmanager
def _tracebacks_shown() -> Iterator[None]:
    """The CLI turns an unexpected exception into exit 3; here it re-raises, so a failure shows where it came from."""
    before = os.environ.get("SLATE_TRACEBACK")
    os.environ["SLATE_TRACEBACK"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["SLATE_TRACEBACK"]
        else:
            os.environ["SLATE_TRACEBACK"] = before


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _tracebacks_shown():
        code = main(argv)
    return code, out.getvalue()


# About 0.5 s an example; SLATE_FUZZ_EXAMPLES=1000 for a longer hunt.
EXAMPLES = int(os.environ.get("SLATE_FUZZ_EXAMPLES", "40"))


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_check_and_build_survive_mutated_goal_files(data: st.DataObject) -> None:
    period = data.draw(st.sampled_from(PERIODS), label="period")
    files = data.draw(st.lists(st.sampled_from(SOURCES[period]), min_size=1, max_size=3, unique=True), label="files")
    corpus = CORPUS / period
    with tempfile.TemporaryDirectory(prefix="slate-fuzz-") as tmp:
        root = Path(tmp) / period
        src = root / "src" / period
        shutil.copytree(corpus / "src" / period, src)
        for name in ("book.toml", "rust-project-goals.toml"):
            if (corpus / name).is_file():
                shutil.copy(corpus / name, root / name)
        for rel in files:
            raw = (src / rel).read_bytes()
            for _ in range(data.draw(st.integers(1, 4), label="edits")):
                raw = _mutate(data, raw)
            (src / rel).write_bytes(raw)

        teams = str(corpus / "team")
        check_code, report = _run(["check", str(src), "--teams", teams, "--format", "json"])
        assert check_code in (0, 1)
        event(f"check exits {check_code}")
        assert isinstance(json.loads(report), list)

        out = Path(tmp) / "out"
        out.mkdir()
        (out / "rfc.md").write_text(PREVIOUS, encoding="utf-8")
        build_code, _ = _run(["build", str(src), "--teams", teams, "--out", str(out)])
        assert build_code == check_code
        text = (out / "rfc.md").read_text(encoding="utf-8")
        if build_code == 1:
            assert text == PREVIOUS
        else:
            assert text != PREVIOUS and text.startswith("- Feature Name: ") and text.endswith("\n")
        assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
