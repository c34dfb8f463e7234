"""`slate watch`: one rebuild step re-parses only what changed and gives the same RFC as a full build."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from watch_rebuild import time_one_file_rebuild

from rust_goals_slate.cli.review import RebuildReport
from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.pipeline.watch import Rebuild, Watcher, run
from rust_goals_slate.pipeline.write import write_outputs
from tests.support import ROOT

EXAMPLE = ROOT / "goals"
GOAL = "src/2027/coherence-model.md"
TITLE = "A formal model of trait coherence"


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # an empty cache folder: the first rebuild parses every file (with a warm one, it loads them: test_parse_memo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLE, root)
    return root


def _request(root: Path) -> Request:
    return Request(src=root / "src" / "2027", teams=root / "teams.yaml", out=root.parent / "out")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_one_edited_goal_is_reparsed_and_shows_in_the_output(copy: Path) -> None:
    watcher = Watcher(_request(copy))
    first = watcher.rebuild()
    assert len(first.reparsed) == len(list((copy / "src" / "2027").glob("*.md")))
    assert TITLE in first.text
    _edit(copy / GOAL, f"# {TITLE}", "# A formal model of coherence")
    second = watcher.rebuild([copy / GOAL])
    assert second.reparsed == (GOAL,)
    assert second.changed == (GOAL,)
    assert "A formal model of coherence" in second.text and TITLE not in second.text
    assert (copy.parent / "out" / "rfc.md").read_text(encoding="utf-8") == second.text
    assert second.text == compile_slate(_request(copy)).text


def test_nothing_changed_parses_nothing(copy: Path) -> None:
    watcher = Watcher(_request(copy))
    first = watcher.rebuild()
    again = watcher.rebuild()
    assert again.reparsed == () and again.changed == ()
    assert again.text == first.text
    assert [d.format() for d in again.diagnostics] == [d.format() for d in first.diagnostics]


def test_added_and_deleted_files(copy: Path) -> None:
    watcher = Watcher(_request(copy))
    watcher.rebuild()
    src = copy / "src" / "2027"
    (src / "fallible-collections.md").unlink()
    shutil.copy(src / "spec-glossary.md", src / "spec-glossary-2.md")
    _edit(src / "spec-glossary-2.md", "# A shared glossary", "# Another shared glossary")
    result = watcher.rebuild()
    assert result.reparsed == ("src/2027/spec-glossary-2.md",)
    assert set(result.changed) == {"src/2027/spec-glossary-2.md", "src/2027/fallible-collections.md"}
    assert "fallible-collections.html" not in result.text
    assert "Another shared glossary" in result.text
    full = compile_slate(_request(copy))
    assert result.text == full.text
    assert [d.format() for d in result.diagnostics] == [d.format() for d in full.diagnostics]


def test_team_data_is_reloaded_when_it_changes(copy: Path) -> None:
    watcher = Watcher(_request(copy))
    assert "[Наталья Волкова]" in watcher.rebuild().text
    _edit(copy / "teams.yaml", "name: Наталья Волкова", "name: Natalia Volkova")
    assert "[Наталья Волкова]" in watcher.rebuild().text  # not a change to the team data: kept
    reloaded = watcher.rebuild([copy / "teams.yaml"])
    assert "[Natalia Volkova]" in reloaded.text and "Наталья" not in reloaded.text


def test_errors_write_nothing(copy: Path) -> None:
    watcher = Watcher(_request(copy))
    watcher.rebuild()
    rfc = copy.parent / "out" / "rfc.md"
    before = rfc.read_text(encoding="utf-8")
    _edit(copy / GOAL, "| Status           | Accepted", "| Status           | Maybe")
    _edit(copy / GOAL, f"# {TITLE}", "# Renamed while broken")
    broken = watcher.rebuild([copy / GOAL])
    assert broken.errors and broken.written == ()
    assert rfc.read_text(encoding="utf-8") == before


def test_the_loop_rebuilds_after_a_save(copy: Path) -> None:
    pytest.importorskip("watchfiles")
    reports: list[Rebuild] = []
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(Watcher(_request(copy)), reports.append, stop), daemon=True)
    thread.start()
    try:
        _wait(lambda: len(reports) >= 1, "the first build")
        _edit(copy / GOAL, f"# {TITLE}", "# Coherence, modelled")
        saved = (copy / GOAL).read_text(encoding="utf-8")

        def rebuilt() -> bool:
            # the watcher starts watching only after the first build is reported (on a loaded machine, some time
            # after): a save it missed is made again, as an editor's next save would be
            if not any("Coherence, modelled" in r.text for r in reports):
                (copy / GOAL).write_text(saved, encoding="utf-8")
                time.sleep(0.2)
            return any("Coherence, modelled" in r.text for r in reports)

        _wait(rebuilt, "a rebuild after the save")
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    last = next(r for r in reports if "Coherence, modelled" in r.text)
    assert GOAL in last.reparsed


def _wait(predicate: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_cli_prints_what_changed_and_the_summary(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    watcher = Watcher(_request(copy))
    report = RebuildReport()
    report(watcher.rebuild())
    first = capsys.readouterr()
    assert first.out.count("\n") == 1
    warnings = first.err.count(": warning: ")
    assert re.search(
        rf"\] slate watch: 0 errors, {warnings} warnings?; wrote rfc.md, pr-body.md; rebuilt in ", first.out
    )
    _edit(copy / GOAL, "| [spec]  | Medium ", "| [spec]  | Huge   ")
    report(watcher.rebuild([copy / GOAL]))
    second = capsys.readouterr()
    assert "src/2027/coherence-model.md:" in second.err and "Huge" in second.err
    assert second.err.count(": error: ") == 1  # the ask's level; with it, the spec champion has no ask
    assert second.err.count(": warning: ") == 1 and "[champion-without-ask]" in second.err
    old = [line for line in first.err.splitlines() if ": warning: " in line]
    assert old and not any(line in second.err for line in old)  # what was there before is not printed again
    line = second.out.strip()
    assert f"slate watch: 1 error, {warnings + 1} warnings (2 new, 0 fixed); nothing written" in line
    assert line.endswith(" ms (1 file parsed)")
    _edit(copy / GOAL, "| [spec]  | Huge   ", "| [spec]  | Medium ")
    report(watcher.rebuild([copy / GOAL]))
    third = capsys.readouterr()
    assert [line.split(": ", 1)[0] for line in third.err.splitlines()] == ["fixed", "fixed"]
    assert "(0 new, 2 fixed); wrote rfc.md" in third.out


def test_five_saves_without_news_print_five_lines(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    watcher = Watcher(_request(copy))
    report = RebuildReport()
    report(watcher.rebuild())
    capsys.readouterr()
    for n in range(5):
        _edit(copy / GOAL, f"# {TITLE}" if n == 0 else f"# {TITLE} {n - 1}", f"# {TITLE} {n}")
        report(watcher.rebuild([copy / GOAL]))
    out, err = capsys.readouterr()
    assert (len(out.splitlines()), err) == (5, "")


def test_slate_watch_end_to_end(copy: Path) -> None:
    pytest.importorskip("watchfiles")
    out = copy.parent / "out"
    rfc = out / "rfc.md"
    command = [
        sys.executable,
        "-m",
        "rust_goals_slate",
        "watch",
        str(copy / "src" / "2027"),
        "--teams",
        str(copy / "teams.yaml"),
        "--out",
        str(out),
    ]
    errors = (copy.parent / "stderr.txt").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        _wait(lambda: len(lines) >= 1 or proc.poll() is not None, "the first build")
        assert proc.poll() is None and rfc.exists()
        time.sleep(0.3)  # let the watcher start
        _edit(copy / GOAL, f"# {TITLE}", "# Coherence, end to end")
        _wait(lambda: len(lines) >= 2, "the rebuild after the save")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        reader.join(10)
        proc.stdout.close()
        errors.close()
    assert proc.returncode == 130
    assert " rebuilt in " in lines[1] and "(1 file parsed)" in lines[1] and "wrote rfc.md" in lines[1]
    assert "slate watch: 0 errors" in lines[1] and "(0 new, 0 fixed)" in lines[1]
    assert "Coherence, end to end" in rfc.read_text(encoding="utf-8")


def test_benchmark_entry_point() -> None:
    seconds = time_one_file_rebuild(EXAMPLE / "src" / "2027", EXAMPLE / "teams.yaml", repeat=2)
    assert 0 < seconds < 1.0
    assert not (EXAMPLE.parent / "out").exists()


def test_the_watch_replaces_its_outputs_atomically_and_leaves_nothing_beside_them(tmp_path: Path) -> None:
    """`write_outputs(durable=False)` (the watch's: no fsync, the old file kept by a second name until the new one is
    in place): a reader of the old file reads it whole, and the folder holds only the outputs afterwards."""
    target = tmp_path / "rfc.md"
    write_outputs([(target, "one\n")], durable=False)
    with target.open(encoding="utf-8") as reader:
        write_outputs([(target, "two\n"), (tmp_path / "pr-body.md", "body\n")], durable=False)
        assert reader.read() == "one\n"
    assert target.read_text(encoding="utf-8") == "two\n"
    assert sorted(os.listdir(tmp_path)) == ["pr-body.md", "rfc.md"]
