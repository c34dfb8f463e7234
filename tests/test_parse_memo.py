"""The parse memo on disk (parse/memo.py): a file parsed by an earlier build is loaded, not parsed; whatever the cache
holds (nothing, the same code's entries, damaged entries, another version's entries, or caching off), the build
gives the same RFC and the same diagnostics."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from rust_goals_slate.model import Document
from rust_goals_slate.parse import memo
from rust_goals_slate.parse.memo import ParseMemo
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from rust_goals_slate.sources.cache import EntryFolder, versioned_folder
from tests.support import ROOT, corpus

GOAL = "src/2027/coherence-model.md"
TITLE = "A formal model of trait coherence"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SLATE_NO_CACHE", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    return root


def _request(root: Path) -> Request:
    return Request(src=root / "src" / "2027", teams=root / "teams.yaml", out=root.parent / "out")


def _build(root: Path) -> tuple[Result, ParseMemo]:
    """One build as a new process makes it: a fresh memo, so only the disk can answer."""
    fresh = ParseMemo()
    return compile_slate(_request(root), fresh), fresh


def _entries(cache_home: Path) -> list[Path]:
    return sorted(p for p in (cache_home / "slate" / "parse").glob("*/*") if not p.name.startswith("."))


def _same(a: Result, b: Result) -> None:
    assert a.text == b.text
    assert [d.format() for d in a.diagnostics] == [d.format() for d in b.diagnostics]
    assert a.slate.documents == b.slate.documents
    assert a.slate.goals == b.slate.goals and a.slate.roadmaps == b.slate.roadmaps


def test_a_second_build_loads_every_file(cache_home: Path, example: Path) -> None:
    first, memo1 = _build(example)
    files = len(list((example / "src" / "2027").glob("*.md")))
    assert len(memo1.reparsed) == files
    assert len(_entries(cache_home)) == files
    second, memo2 = _build(example)
    assert memo2.reparsed == ()
    _same(first, second)


def test_an_edited_file_is_parsed_again_and_shows(cache_home: Path, example: Path) -> None:
    _build(example)
    goal = example / GOAL
    goal.write_text(goal.read_text(encoding="utf-8").replace(f"# {TITLE}", "# A formal model of coherence"))
    result, fresh = _build(example)
    assert fresh.reparsed == (GOAL,)
    assert "A formal model of coherence" in result.text and TITLE not in result.text
    with pytest.MonkeyPatch.context() as m:
        m.setenv("SLATE_NO_CACHE", "1")
        _same(result, _build(example)[0])


def test_a_changed_configuration_loads_no_entry_made_with_the_old_one(cache_home: Path, example: Path) -> None:
    """`slate watch`'s memo works out the disk key's context once per configuration: a new one gives a new
    context, so the edited goal's entry parsed under the old configuration is not loaded."""
    goal, asks = example / GOAL, example / "rust-project-goals.toml"
    text = goal.read_text(encoding="utf-8")
    edited = text.replace(f"# {TITLE}", "# A formal model of coherence")
    goal.write_text(edited, encoding="utf-8")
    _build(example)  # the edited goal's entry, under the first configuration
    goal.write_text(text, encoding="utf-8")
    watch = ParseMemo()
    compile_slate(_request(example), watch)
    asks.write_text(asks.read_text(encoding="utf-8").replace('"Miscellaneous" = ', '"Other" = '), encoding="utf-8")
    goal.write_text(edited, encoding="utf-8")
    compile_slate(_request(example), watch)
    assert watch.reparsed == (GOAL,)


def test_output_is_the_same_cold_warm_and_off(cache_home: Path, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold, _ = _build(example)
    warm, _ = _build(example)
    monkeypatch.setenv("SLATE_NO_CACHE", "1")
    off, fresh = _build(example)
    assert len(fresh.reparsed) == len(off.slate.documents)
    _same(cold, warm)
    _same(cold, off)


def test_caching_off_reads_and_writes_nothing(cache_home: Path, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(example)
    assert _entries(cache_home)
    monkeypatch.setenv("SLATE_NO_CACHE", "1")
    shutil.rmtree(cache_home)
    _, fresh = _build(example)
    assert len(fresh.reparsed) == len(list((example / "src" / "2027").glob("*.md")))
    assert not cache_home.exists()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "a folder", "another value"])
def test_a_damaged_entry_is_parsed_again(cache_home: Path, example: Path, damage: str) -> None:
    first, _ = _build(example)
    entries = _entries(cache_home)
    for entry in entries:
        data = entry.read_bytes()
        if damage == "a folder":
            entry.unlink()
            entry.mkdir()
        else:
            replaced = {"garbage": b"\x80\x05garbage", "truncated": data[: len(data) // 2], "empty": b""}
            other = pickle.dumps((replace(pickle.loads(data)[0], text=""), "not an item", ()))  # "another value"
            entry.write_bytes(replaced.get(damage, other))
    second, fresh = _build(example)
    assert len(fresh.reparsed) == len(entries)
    _same(first, second)
    if damage != "a folder":  # rewritten: the next build loads them
        assert _build(example)[1].reparsed == ()


def test_entries_of_other_code_are_not_read(cache_home: Path, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(example)
    ours = memo.code_fingerprint()
    monkeypatch.setattr(memo, "code_fingerprint", lambda: "another-version")
    _, fresh = _build(example)
    assert len(fresh.reparsed) == len(list((example / "src" / "2027").glob("*.md")))
    assert {p.parent.name for p in _entries(cache_home)} == {ours, "another-version"}


def test_the_code_fingerprint_follows_every_module(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    module = package / "sub" / "m.py"
    module.write_text("x = 1\n")
    before = memo._module_files(str(package))
    os.utime(module, ns=(1, 1))
    touched = memo._module_files(str(package))
    module.write_text("x = 22\n")
    os.utime(module, ns=(1, 1))
    assert len({tuple(before), tuple(touched), tuple(memo._module_files(str(package)))}) == 3
    assert memo.code_fingerprint() == memo.code_fingerprint()


def test_a_changed_configuration_is_another_entry(cache_home: Path, example: Path) -> None:
    _build(example)
    book = example / "book.toml"
    book.write_text(book.read_text(encoding="utf-8") + "\n# a comment changes nothing\n", encoding="utf-8")
    assert _build(example)[1].reparsed == ()
    goals_toml = example / "rust-project-goals.toml"
    if goals_toml.exists():
        goals_toml.unlink()
    else:
        goals_toml.write_text('[team_asks]\n"Other" = { short = "Other", about = "another kind" }\n')
    result, fresh = _build(example)
    assert fresh.reparsed  # the configuration is part of every entry's key
    with pytest.MonkeyPatch.context() as m:
        m.setenv("SLATE_NO_CACHE", "1")
        _same(result, _build(example)[0])


def test_old_versions_are_pruned(cache_home: Path) -> None:
    for n in range(5):
        folder = versioned_folder("t", lambda n=n: f"v{n}", keep=3)  # type: ignore[misc]
        assert folder is not None
        os.utime(folder, ns=(n * 10**9, n * 10**9))
    assert sorted(p.name for p in (cache_home / "slate" / "t").iterdir()) == ["v2", "v3", "v4"]


def _aged(folder: Path, name: str, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(folder / name, (then, then))


def test_least_recently_used_entries_are_pruned(tmp_path: Path) -> None:
    folder = EntryFolder(tmp_path)
    for n in range(10):
        folder.write(f"k{n}", b"x")
        _aged(tmp_path, f"k{n}", 3 * 86_400 - n)  # k0 used longest ago
    assert folder.read("k1") == b"x"  # read three days ago: marked used now
    folder.prune(8)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".pruned") == ["k1", "k5", "k6", "k7", "k8", "k9"]
    assert not [p for p in tmp_path.glob(".*") if p.name != ".pruned"]  # no temporary file left behind


def test_entries_unused_for_a_month_are_pruned_once_a_day(tmp_path: Path) -> None:
    folder = EntryFolder(tmp_path)
    for name, age in (("old", 31 * 86_400), ("recent", 29 * 86_400)):
        folder.write(name, b"x")
        _aged(tmp_path, name, age)
    folder.prune(100)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pruned", "recent"]
    folder.write("old", b"x")
    _aged(tmp_path, "old", 31 * 86_400)
    folder.prune(100)  # looked for less than a day ago: not again
    assert (tmp_path / "old").exists()
    _aged(tmp_path, ".pruned", 2 * 86_400)
    folder.prune(100)
    assert not (tmp_path / "old").exists() and (tmp_path / "recent").exists()


def test_a_warm_build_does_not_import_mistune(cache_home: Path, example: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from rust_goals_slate.pipeline.build import Request, compile_slate;"
        f"r = Path({str(example)!r});"
        "compile_slate(Request(src=r / 'src' / '2027', teams=r / 'teams.yaml'));"
        "print('mistune' in sys.modules)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env) for _ in "12"]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]


def test_the_2026_corpus_cold_and_warm(cache_home: Path) -> None:
    root = corpus("2026")
    request = Request(src=root / "src" / "2026", teams=root / "team")
    cold = compile_slate(request, ParseMemo())
    fresh = ParseMemo()
    _same(cold, compile_slate(request, fresh))
    assert fresh.reparsed == ()


def _saved_and_loaded(folder: Path, text: str) -> tuple[Document, Document]:
    """`text` parsed, and its entry saved to FOLDER and loaded back."""
    from rust_goals_slate.parse.markdown import parse_document

    doc = parse_document("src/x.md", text)
    disk = memo._DiskMemo(EntryFolder(folder))
    disk.save("k", (doc, None, ()))
    loaded = disk.load("k", text)
    assert loaded is not None
    return doc, loaded[0]


def test_fields_holding_their_default_are_left_out_and_read_back(tmp_path: Path, cache_home: Path) -> None:
    text = "# Title\n\nA paragraph.\n\n| a | b |\n| - | - |\n| 1 |\n"
    doc, back = _saved_and_loaded(tmp_path, text)
    assert back == doc and repr(back) == repr(doc) and hash(back.blocks) == hash(doc.blocks)
    paragraph = back.blocks[2]
    assert paragraph.kind == "paragraph" and "title" not in vars(paragraph) and paragraph.title == ""
    data = (tmp_path / "k").read_bytes()
    assert b"A paragraph." not in data  # the text is left out: the file supplies it
    assert pickle.loads(data)[0].blocks[2].__dict__ == {"kind": "paragraph", **_non_defaults(paragraph)}


def _non_defaults(obj: object) -> dict[str, object]:
    """The fields of a record that differ from their declared default."""
    from dataclasses import MISSING, fields

    return {
        f.name: getattr(obj, f.name)
        for f in fields(obj)  # type: ignore[arg-type]
        if f.name != "kind" and (f.default is MISSING or getattr(obj, f.name) != f.default)
    }


def test_a_loaded_record_keeps_its_compact_attributes(tmp_path: Path, cache_home: Path) -> None:
    """An entry is rebuilt field by field, not by filling `__dict__`: CPython then keeps the instance's attributes
    inline instead of a dictionary per instance (+110 MB at the 200x synthetic slate's peak when it did not)."""
    import gc

    from rust_goals_slate.parse.markdown import parse_document

    text = "# Title\n\nA paragraph.\n"
    made, back = parse_document("src/x.md", text).blocks[1], _saved_and_loaded(tmp_path, text)[1].blocks[1]
    # an instance whose attributes are inline refers to its values; one with a dictionary refers to the dictionary
    assert [type(r) for r in gc.get_referents(back)] == [type(r) for r in gc.get_referents(made)]
    assert dict not in {type(r) for r in gc.get_referents(back)}


def test_saving_an_entry_leaves_the_saved_records_compact(tmp_path: Path, cache_home: Path) -> None:
    """The first build saves the Documents it goes on using: reading their fields through `__dict__` would give each
    saved instance a dictionary for good (+90 MB at the 200x synthetic slate's first build when it did)."""
    import gc

    from rust_goals_slate.parse.markdown import parse_document

    text = "# Title\n\nA paragraph.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n"
    doc = parse_document("src/x.md", text)
    memo._DiskMemo(EntryFolder(tmp_path)).save("k", (doc, None, ()))
    for record in (doc.blocks[1], doc.blocks[4], doc.blocks[4].table, doc.blocks[4].table.rows[0]):  # type: ignore[union-attr]
        assert dict not in {type(r) for r in gc.get_referents(record)}, record


def test_line_starts_are_compact(tmp_path: Path, cache_home: Path) -> None:
    """A Document's line offsets are 4-byte numbers, not a tuple of ints (36 bytes a line), parsed and loaded alike."""
    from array import array

    text = "# Title\n\nA paragraph\nof two lines.\n"
    doc, back = _saved_and_loaded(tmp_path, text)
    for starts in (doc.line_starts, back.line_starts):
        assert isinstance(starts, array) and starts.itemsize == 4 and list(starts) == [0, 8, 9, 21]
    assert back.location(text.index("of")) == doc.location(text.index("of"))
