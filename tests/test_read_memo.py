"""The read memo (sources/memo.py): `slate watch` reads again only the files the watcher names or whose stamp
changed, and keeps nothing that a coarse clock could hide; the parse memo's values worked out per file
(parse/memo.py `ParseMemo.kept`) follow each file's objects."""

from __future__ import annotations

import builtins
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from rust_goals_slate.model import Options
from rust_goals_slate.parse.memo import ParseMemo
from rust_goals_slate.parse.slate import parse_slate
from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.pipeline.watch import Watcher
from rust_goals_slate.sources import discover, memo
from rust_goals_slate.sources.config import load_config
from rust_goals_slate.sources.discover import SourceTree, read_tree
from rust_goals_slate.sources.memo import ReadMemo
from rust_goals_slate.sources.teams import load_teams
from tests.support import ROOT

SRC = "src/2027"
GOAL = "coherence-model.md"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    return root


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as settled at once (as in a checkout whose files are older than SETTLED_NS)."""
    monkeypatch.setattr(memo, "SETTLED_NS", 0)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files discovery opens, by name."""
    names: list[str] = []

    def counting_open(path: str, *args: Any, **kwargs: Any) -> Any:
        names.append(os.path.basename(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(discover, "open", counting_open, raising=False)
    return names


def _read(root: Path, reads: ReadMemo, named: tuple[Path, ...] = ()) -> SourceTree:
    reads.begin(str(p) for p in named)
    tree, _ = read_tree(root / SRC, memo=reads)
    reads.end()
    return tree


def _text(tree: SourceTree, name: str) -> str:
    return next(f.text for f in tree.files if f.path == f"{SRC}/{name}")


def _same_size_edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("trait coherence", "trait COHERENCE", 1), encoding="utf-8")


def test_an_unchanged_tree_is_not_read_again(example: Path, settled: None, opened: list[str]) -> None:
    reads = ReadMemo()
    first = _read(example, reads)
    assert len(opened) == len(first.files) > 20
    opened.clear()
    second = _read(example, reads)
    assert opened == []
    assert all(a is b for a, b in zip(first.files, second.files, strict=True))


def test_a_file_saved_a_moment_ago_is_read_again(example: Path, opened: list[str]) -> None:
    """The example was copied just now: within SETTLED_NS, a later write could keep a file's stamp."""
    reads = ReadMemo()
    first = _read(example, reads)
    opened.clear()
    _read(example, reads)
    assert len(opened) == len(first.files)


def test_a_named_file_is_read_again(example: Path, settled: None, opened: list[str]) -> None:
    reads = ReadMemo()
    _read(example, reads)
    opened.clear()
    (example / SRC / GOAL).write_text("# Renamed\n", encoding="utf-8")
    tree = _read(example, reads, (example / SRC / GOAL,))
    assert opened == [GOAL] and _text(tree, GOAL) == "# Renamed\n"
    _read(example, reads)  # read again: what was read while named is not kept
    _read(example, reads)
    assert opened == [GOAL, GOAL]  # named for the one read


def test_an_edit_the_watcher_missed_is_found_by_its_stamp(example: Path, settled: None) -> None:
    reads = ReadMemo()
    _read(example, reads)
    goal = example / SRC / GOAL
    before = os.stat(goal).st_ctime_ns
    while os.stat(goal).st_ctime_ns == before:  # past the file system clock's tick
        _same_size_edit(goal)
    assert "COHERENCE" in _text(_read(example, reads), GOAL)


def test_a_new_input_root_reads_again(example: Path, settled: None) -> None:
    """A book.toml nearer the period folder makes another input root: the same files have other paths."""
    reads = ReadMemo()
    _read(example, reads)
    shutil.copy(example / "book.toml", example / "src" / "book.toml")
    reads.begin()
    tree, _ = read_tree(example / SRC, memo=reads)
    assert tree.files and all(f.path.startswith("2027/") for f in tree.files)


class _StoppedClock(ReadMemo):
    """A file system whose clock never ticks: a write to the same size leaves a file's stamp as it was."""

    def stamp(self, path: str, st: os.stat_result | None = None) -> memo.Stamp | None:
        st = st or os.stat(path)
        return super().stamp(path, os.stat_result((*st[:10], 0.0, 0.0, 0.0, 1, 1, 1)))


def test_a_named_file_is_read_again_when_its_stamp_did_not_change(
    example: Path, settled: None, opened: list[str]
) -> None:
    reads = _StoppedClock()
    _read(example, reads)
    goal = example / SRC / GOAL
    _same_size_edit(goal)
    assert "COHERENCE" not in _text(_read(example, reads), GOAL)  # what naming the file guards against
    opened.clear()
    assert "COHERENCE" in _text(_read(example, reads, (goal,)), GOAL)
    assert opened == [GOAL]


def test_a_named_folder_reads_its_files_again(example: Path, settled: None, opened: list[str]) -> None:
    reads = _StoppedClock()
    first = _read(example, reads)
    _same_size_edit(example / SRC / GOAL)
    opened.clear()
    tree = _read(example, reads, (example / SRC,))
    assert len(opened) == len(first.files) and "COHERENCE" in _text(tree, GOAL)


def test_a_name_holds_until_a_read_completes(example: Path, settled: None) -> None:
    """A rebuild that fails before its read ends leaves the files it was told of to the next one."""
    reads = _StoppedClock()
    _read(example, reads)
    goal = example / SRC / GOAL
    _same_size_edit(goal)
    reads.begin([str(goal)])  # a rebuild that stops here: no end()
    assert "COHERENCE" in _text(_read(example, reads), GOAL)


def test_what_reading_found_is_found_again(example: Path, settled: None, opened: list[str]) -> None:
    (example / SRC / "broken.md").write_bytes(b"# Broken \xff\n")
    (example / SRC / "big.md").write_text("# Big\n\n" + "word " * 220_000, encoding="utf-8")
    (example / SRC / "blob.md").write_bytes(b"\x00\x01")
    reads = ReadMemo()
    found = []
    for _ in "12":
        reads.begin()
        found.append(read_tree(example / SRC, memo=reads)[1])
        reads.end()
    assert {"invalid-utf8", "large-file", "binary-file"} <= {d.code for d in found[0]}
    assert opened.count("blob.md") == 1  # the second read opened nothing
    assert found[1] == found[0] == read_tree(example / SRC)[1]


def test_the_configuration_is_kept_while_its_files_are_unchanged(example: Path, settled: None) -> None:
    reads = ReadMemo()
    book, goals = example / "book.toml", example / "rust-project-goals.toml"

    def config(named: tuple[Path, ...] = (), options: Options | None = None) -> object:
        reads.begin(str(p) for p in named)
        found, _ = load_config(example, "2027", book, goals, options or Options(), reads)
        reads.end()
        return found

    first = config()
    assert config() is first
    assert config(options=Options(goals_repo="someone/goals")) is not first  # an input other than the files
    kept = config()
    text = goals.read_text(encoding="utf-8")
    goals.write_text(text.replace('"Miscellaneous" = ', '"Other" = '), encoding="utf-8")
    changed = config((goals,))
    assert changed is not kept and changed == load_config(example, "2027", book, goals, Options())[0]


def test_the_watch_reads_only_the_edited_file(example: Path, settled: None, opened: list[str]) -> None:
    watcher = Watcher(Request(src=example / SRC, teams=example / "teams.yaml", out=example.parent / "out"))
    watcher.rebuild()
    opened.clear()
    goal = example / SRC / GOAL
    _same_size_edit(goal)
    rebuild = watcher.rebuild([goal])
    assert opened == [GOAL] and rebuild.changed == (f"{SRC}/{GOAL}",)
    assert rebuild.text == compile_slate(watcher.request).text


def _slate_order(root: Path, parse_memo: ParseMemo) -> tuple[list[str], object, object]:
    tree, _ = read_tree(root / SRC)
    config, _ = load_config(tree.root, tree.period, tree.book_toml, tree.goals_toml, Options())
    slate, _ = parse_slate(tree, config, load_teams(root / "teams.yaml"), parse_memo)
    return [g.path for g in slate.goals], slate.readme, slate.page_directives


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        (GOAL, "# A formal model of trait coherence", "# Zero-cost formal model of trait coherence"),  # last now
        ("faq.md", "(((GOALS NOT ACCEPTED)))", "(((GOALS NOT ACCEPTED)))\n\n(((GOALS NOT ACCEPTED)))"),  # a chapter's
        ("README.md", "The 2027 slate", "Overall, the 2027 slate"),  # the README's directives move
    ],
)
def test_what_parse_slate_keeps_follows_each_file(example: Path, name: str, old: str, new: str) -> None:
    parse_memo = ParseMemo()
    before = _slate_order(example, parse_memo)
    path = example / SRC / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    kept = _slate_order(example, parse_memo)
    assert kept == _slate_order(example, ParseMemo())
    assert kept != before  # the edit changes what is compared


def test_a_goal_file_added_that_a_readme_list_links(example: Path) -> None:
    """A list of links to Markdown pages is a chapter list unless it links a goal: adding the goal file changes the
    README's model, though the README's file did not change."""
    readme = example / SRC / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n\n- [Later](./later.md)\n", encoding="utf-8")
    parse_memo = ParseMemo()
    before = _slate_order(example, parse_memo)
    text = (example / SRC / GOAL).read_text(encoding="utf-8")
    (example / SRC / "later.md").write_text(text.replace("# A formal model", "# Later: a model"), encoding="utf-8")
    kept = _slate_order(example, parse_memo)
    assert kept == _slate_order(example, ParseMemo())
    assert kept[1] != before[1]
