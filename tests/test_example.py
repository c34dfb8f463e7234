"""The embedded example slate (goals/): builds clean, is deterministic, and treats goal text as data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from syrupy.assertion import SnapshotAssertion

from rust_goals_slate.model import Options
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from tests.support import ROOT, check_links

EXAMPLE = ROOT / "goals"
SRC = EXAMPLE / "src" / "2027"


@cache
def _build() -> Result:
    return compile_slate(Request(src=SRC, teams=EXAMPLE / "teams.yaml", options=Options(rfc_number="4321")))


def test_builds_without_any_diagnostic() -> None:
    assert [d.format() for d in _build().diagnostics] == []


def test_no_link_defects() -> None:
    assert check_links(_build().text).defects() == {}


def test_template_syntax_in_goal_text_comes_out_verbatim() -> None:
    source = (SRC / "rustdoc-impl-search.md").read_text(encoding="utf-8")
    assert "{{ not a template }}" in source and "{% raw %}" in source
    assert "{{ not a template }}" in _build().text
    assert "{% raw %}" in _build().text


def test_every_directive_expanded() -> None:
    text = _build().text
    assert "(((" not in text
    assert "<!--" not in text


def test_people_share_a_name_are_told_apart() -> None:
    text = _build().text
    assert "[Jun Park (jpark-dev)]: https://github.com/jpark-dev" in text
    assert "[Jun Park (jpark-rs)]: https://github.com/jpark-rs" in text


def test_header_uses_the_rfc_number() -> None:
    first = _build().text.splitlines()[:4]
    assert first[2] == "- RFC PR: [rust-lang/rfcs#4321](https://github.com/rust-lang/rfcs/pull/4321)"
    assert first[3] == "- Rust Issue: N/A"


def test_snapshot(md_snapshot: SnapshotAssertion) -> None:
    assert _build().text == md_snapshot


def _copy(order: list[Path], dest: Path) -> None:
    """Copy the example slate, creating the files in the given order (file systems list them in creation order)."""
    for path in order:
        target = dest / path.relative_to(EXAMPLE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _cli_build(src_root: Path, out: Path, env: dict[str, str]) -> bytes:
    cmd = [
        sys.executable,
        "-m",
        "rust_goals_slate",
        "build",
        str(src_root / "src" / "2027"),
        "--teams",
        str(src_root / "teams.yaml"),
        "--out",
        str(out),
        "--rfc-number",
        "4321",
    ]
    full_env = {**os.environ, **env}
    subprocess.run(cmd, check=True, env=full_env, cwd=ROOT, capture_output=True)
    return (out / "rfc.md").read_bytes()


def test_deterministic_across_seed_locale_timezone_and_file_order(tmp_path: Path) -> None:
    files = sorted(p for p in EXAMPLE.rglob("*") if p.is_file())
    a, b = tmp_path / "a", tmp_path / "b"
    _copy(files, a)
    _copy(list(reversed(files)), b)
    first = _cli_build(a, tmp_path / "out-a", {"PYTHONHASHSEED": "1", "LC_ALL": "C", "TZ": "UTC"})
    second = _cli_build(b, tmp_path / "out-b", {"PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "TZ": "Pacific/Chatham"})
    assert first == second
    assert first.decode("utf-8") == _build().text


def test_failed_build_leaves_previous_output(tmp_path: Path) -> None:
    slate = tmp_path / "slate"
    _copy(sorted(p for p in EXAMPLE.rglob("*") if p.is_file()), slate)
    out = tmp_path / "out"
    good = _cli_build(slate, out, {})
    goal = slate / "src" / "2027" / "fallible-collections.md"
    goal.write_text(goal.read_text(encoding="utf-8").replace("| Small ", "| Huge "), encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "rust_goals_slate",
        "build",
        str(slate / "src" / "2027"),
        "--teams",
        str(slate / "teams.yaml"),
        "--out",
        str(out),
    ]
    run = subprocess.run(cmd, env=os.environ, cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    assert "unknown-support-level" in run.stderr
    assert "Traceback" not in run.stderr
    assert (out / "rfc.md").read_bytes() == good
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporary file left behind
