"""The parse memo: each file's Document and model item, by path and content, so that only changed files are parsed.

It is the one parse cache, kept in two places. In memory, `slate watch` keeps it from one rebuild to the next. On
disk, in slate's cache folder (`sources.cache`; `SLATE_NO_CACHE=1` turns it off), it persists each file's entry
between processes: a warm `slate build` parses only the files that changed since a build that saw them, and does not
import mistune when none did. Both answer the same question with the same key, so a build gives the same bytes
whichever answers (tests/test_parse_memo.py).

A file's entry is found by everything its parse reads: its path, its text, whether it is the README, and the
configuration (a goal's asks depend on its ask kinds); the folder is named by a fingerprint of the code that parsed
it (every module of slate and of mistune, by size and modification time, as Python checks its own bytecode cache,
and the Python version), so an upgrade or an edited checkout never reads an entry made by other code. An entry that
cannot be read or loaded is parsed again and rewritten; entries are written atomically; the least recently used are
pruned (docs/decisions.md, "The parse memo on disk").
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable, Mapping
from dataclasses import MISSING, field, fields, is_dataclass, replace
from importlib.util import find_spec
from operator import attrgetter
from typing import Any, TypeVar

from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.model import Area, Config, Document, Goal, Roadmap
from rust_goals_slate.model.repository_format import is_template
from rust_goals_slate.parse.goals import parse_goal
from rust_goals_slate.parse.markdown import parse_document
from rust_goals_slate.parse.roadmaps import parse_area, parse_roadmap
from rust_goals_slate.records import record
from rust_goals_slate.sources.cache import EntryFolder, versioned_folder
from rust_goals_slate.sources.discover import SourceTree

Item = Goal | Roadmap | Area | None
Parsed = tuple[Document, Item, tuple[Diagnostic, ...]]  # one file
_ITEMS = (Goal, Roadmap, Area, type(None))
_T = TypeVar("_T")

# Entries kept on disk: a slate is about a hundred files (the 200x benchmark slate 13,400), an entry about 9 KB.
MAX_ENTRIES = 20_000
_PROTOCOL = 5


def read_item(doc: Document, config: Config, readme_path: str) -> tuple[Item, tuple[Diagnostic, ...]]:
    """What one file holds, chosen by its name, and the problems found in it."""
    name = doc.path.rsplit("/", 1)[-1]
    item: Item = None
    problems: list[Diagnostic] = []
    if doc.path == readme_path or name == "README.md" or is_template(name):
        pass  # the goal template kept in a period folder (TEMPLATE.md, 0000-TEMPLATE.md) is a page, not a goal
    elif name.startswith("roadmap-"):
        item, problems = parse_roadmap(doc)
    elif name.startswith("area-"):
        item, problems = parse_area(doc)
    else:
        item, problems = parse_goal(doc, config)
    return item, tuple(problems)


@record(frozen=False)
class ParseMemo:
    """Each file's Document and item from the last parse, by path and content, in memory and (unless caching is off)
    on disk.

    A Document depends on the text alone; an item also on the configuration (the ask kinds), so a changed
    configuration drops the items and keeps the Documents in memory."""

    _documents: dict[str, Document] = field(default_factory=dict)  # a Document holds the text it was parsed from
    _items: dict[str, tuple[Item, tuple[Diagnostic, ...]]] = field(default_factory=dict)
    _config: Config | None = None
    _disk: _DiskMemo | None = None
    _opened: bool = False
    # `slate watch`: the new entries go to disk when `flush` is called (after rfc.md is written), not during the parse
    write_later: bool = False
    _pending: list[tuple[str, Parsed]] = field(default_factory=list)
    changed: tuple[str, ...] = ()  # files whose text differs from the last parse (none the first time), or deleted
    reparsed: tuple[str, ...] = ()  # files whose Markdown was parsed in the last parse (not found in the memo)
    _context: tuple[Config | None, str, str] = (None, "", "")  # the disk key's context, for the config and README
    # what parse_slate works out from one file's Document or item (`kept`), by what and path, with its inputs
    _kept: dict[tuple[str, str], tuple[tuple[object, ...], Any]] = field(default_factory=dict)
    _kept_next: dict[tuple[str, str], tuple[tuple[object, ...], Any]] = field(default_factory=dict)

    def parse(self, tree: SourceTree, config: Config, readme_path: str) -> list[Parsed]:
        if config != self._config:
            self._items.clear()
            self._config = config
        if not self._opened:
            self._disk, self._opened = _DiskMemo.open(), True
        disk = self._disk
        if disk is not None and self._context[:2] != (self._config, readme_path):
            self._context = (self._config, readme_path, _context(config, readme_path))  # ~0.3 ms: once per config
        context = self._context[2]
        self._kept, self._kept_next = self._kept_next, {}
        parsed: dict[str, Parsed] = {}
        changed: list[str] = []
        reparsed: list[str] = []
        written = False
        for f in tree.files:
            doc = self._documents.get(f.path)
            if doc is None or doc.text != f.text:
                if self._documents:
                    changed.append(f.path)
                doc = None
            cached = self._items.get(f.path) if doc is not None else None
            if doc is not None and cached is not None:
                parsed[f.path] = (doc, *cached)
                continue
            key = ""
            if disk is not None:
                digest = hashlib.blake2b(f.text.encode("utf-8"), digest_size=16).hexdigest()
                key = hashlib.blake2b(f"{context}\0{f.path}\0{digest}".encode(), digest_size=16).hexdigest()
                stored = disk.load(key, f.text)
                if stored is not None:
                    parsed[f.path] = stored
                    continue
            if doc is None:
                doc = parse_document(f.path, f.text)
                reparsed.append(f.path)
            parsed[f.path] = (doc, *read_item(doc, config, readme_path))
            if disk is not None and self.write_later:
                self._pending.append((key, parsed[f.path]))
            elif disk is not None:
                disk.save(key, parsed[f.path])
                written = True
        if self._documents:
            changed += sorted(set(self._documents) - set(parsed))  # deleted files
        if written and disk is not None:
            disk.entries.prune(MAX_ENTRIES)
        self._documents = {path: doc for path, (doc, _, _) in parsed.items()}
        self._items = {path: (item, problems) for path, (_, item, problems) in parsed.items()}
        self.changed, self.reparsed = tuple(changed), tuple(reparsed)
        return list(parsed.values())

    def kept(self, what: str, path: str, inputs: tuple[object, ...], make: Callable[[], _T]) -> _T:
        """`make()`, worked out for the file at PATH from INPUTS (its Document or item, and what else it reads); or
        what it gave in the last parse for equal INPUTS. Compared as a tuple: each by identity, then by value; the
        memo gives an unchanged file's Document and item back as the same objects, so those compare in a step."""
        key = (what, path)
        found = self._kept.get(key)
        if found is None or found[0] != inputs:
            found = (inputs, make())
        self._kept_next[key] = found
        return found[1]

    def flush(self) -> None:
        """Write the entries that `write_later` held back (a few ms for a pickled goal file)."""
        pending, self._pending = self._pending, []
        if pending and self._disk is not None:
            for key, value in pending:
                self._disk.save(key, value)
            self._disk.entries.prune(MAX_ENTRIES)


class _DiskMemo:
    """The memo's entries in slate's cache folder: one pickle per file, its text left out (the file supplies it)."""

    def __init__(self, entries: EntryFolder) -> None:
        self.entries = entries

    @classmethod
    def open(cls) -> _DiskMemo | None:
        folder = versioned_folder("parse", code_fingerprint)
        return cls(EntryFolder(folder)) if folder is not None else None

    def load(self, key: str, text: str) -> Parsed | None:
        data = self.entries.read(key)
        if data is None:
            return None
        try:
            doc, item, problems = pickle.loads(data)
        except Exception:  # damaged, truncated, or not what save wrote: parse the file again
            return None
        if not (isinstance(doc, Document) and doc.text == "" and isinstance(item, _ITEMS) and type(problems) is tuple):
            return None
        return replace(doc, text=text), item, problems

    def save(self, key: str, value: Parsed) -> None:
        doc, item, problems = value
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=_PROTOCOL)
        pickler.dispatch_table = _SPARSE
        pickler.dump((replace(doc, text=""), item, problems))
        self.entries.write(key, out.getvalue())


class _SparseReducers(dict[type, Callable[[Any], Any]]):
    """How the model's dataclasses are pickled: without the fields that hold their default, which the class itself
    holds (a third of the 47,000 fields of the 2026 slate's entries; unpickling costs about 900 instructions a field).

    An instance loaded so reads such a field from its class, as an instance made by `__init__` reads it from itself:
    the same value, so the same equality, hash and repr. Consulted by pickle only for types it has no rule for."""

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        if not is_dataclass(cls):
            raise KeyError(cls)
        names = tuple(f.name for f in fields(cls))
        defaults = {
            f.name: f.default
            for f in fields(cls)
            if f.default is not MISSING and cls.__dict__.get(f.name, MISSING) is f.default
        }
        values: Callable[[Any], Any] = (
            attrgetter(*names) if len(names) > 1 else lambda obj: tuple(getattr(obj, n) for n in names)
        )

        # The fields are read one by one, not through `obj.__dict__`: reading that makes CPython 3.11 give the
        # instance a dictionary for good (as loading by `__dict__` did, see `_rebuilt`), and the saved instances
        # live on in the build that saves them: +90 MB at the 200x synthetic slate's first build.
        def reduce(obj: Any) -> tuple[Any, ...]:
            state = {
                name: value
                for name, value in zip(names, values(obj), strict=True)
                if not (name in defaults and type(value) is type(defaults[name]) and value == defaults[name])
            }
            return _rebuilt, (cls, state)

        self[cls] = reduce
        return reduce


_SPARSE = _SparseReducers()


def _rebuilt(cls: type, state: dict[str, Any]) -> Any:
    """An instance of `cls` with the fields of `state`, set one by one as `__init__` sets them. pickle's own way
    (`__newobj__` plus a state) fills the instance's `__dict__`, which makes CPython trade the compact inline
    attributes for a dictionary per instance: +110 MB at the 200x synthetic slate's peak."""
    obj: Any = object.__new__(cls)
    for name, value in state.items():
        object.__setattr__(obj, name, value)
    return obj


def _context(config: Config, readme_path: str) -> str:
    """What a file's entry depends on besides its path and text."""
    return hashlib.blake2b(f"{_stable(config)}\0{readme_path}".encode(), digest_size=16).hexdigest()


def _stable(value: object) -> str:
    """`repr`, with sets in sorted order (a set's order follows the hash seed, which differs between processes)."""
    if value is None or isinstance(value, (str, int, float)):
        return repr(value)
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_stable(v) for v in value) + ")"
    if is_dataclass(value) and not isinstance(value, type):
        inside = ", ".join(f"{f.name}={_stable(getattr(value, f.name))}" for f in fields(value))
        return f"{type(value).__module__}.{type(value).__qualname__}({inside})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_stable(k)}: {_stable(v)}" for k, v in value.items()) + "}"
    return repr(value)


def code_fingerprint() -> str:
    """The code a parse runs, as Python's bytecode cache tells source files apart: every module of slate and of
    mistune by name, size and modification time (installing a version rewrites them), and the Python version."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the rust_goals_slate package
    spec = find_spec("mistune")
    parts = [sys.version, str(_PROTOCOL), *_module_files(here)]
    if spec is not None and spec.origin is not None:
        parts += _module_files(os.path.dirname(spec.origin))
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=8).hexdigest()


def _module_files(folder: str) -> list[str]:
    found = []
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for e in entries:
                if e.name.endswith(".py") and e.is_file():
                    st = e.stat()
                    found.append(f"{e.path}:{st.st_size}:{st.st_mtime_ns}")
                elif e.is_dir() and e.name != "__pycache__" and not e.name.startswith("."):
                    pending.append(e.path)
    return sorted(found)
