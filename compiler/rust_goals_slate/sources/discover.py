"""Stage 1: find the period's source files and read them as text.

This is one of the few impure stages (it reads the file system). Everything it returns is sorted by path, so no
order ever comes from the file system, and every reading problem becomes a diagnostic instead of an exception.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from rust_goals_slate.errors import Diagnostic, InputError, Location, Severity
from rust_goals_slate.records import record
from rust_goals_slate.sources.memo import ReadMemo
from rust_goals_slate.sources.shapes import file_too_large

MAX_FILE_BYTES = 8 * 1024 * 1024
LARGE_FILE_BYTES = 1024 * 1024  # goal files are tens of kilobytes; a megabyte is most likely a mistake


@record
class SourceFile:
    """A Markdown file of the period, decoded, with `\n` line endings."""

    path: str  # relative to the input root, '/'-separated
    text: str


@record
class SourceTree:
    """What discovery found: the input root, the period and its files."""

    root: Path  # the input root: the folder holding book.toml
    src_dir: str  # the period folder relative to root, e.g. 'src/2026'
    period: str
    files: tuple[SourceFile, ...]  # every Markdown file of the period, by path
    book_toml: Path | None
    goals_toml: Path | None
    readme_source: str | None = None  # --readme: the skeleton read as `<src_dir>/README.md`, as the user named it

    @property
    def readme_path(self) -> str:
        return f"{self.src_dir}/README.md"


PERIOD_NAME = re.compile(r"^[0-9]{4}(?:h[12])?$")


def period_folders(root: Path) -> list[Path]:
    """The period folders (`2024h2`, `2026`) of a goals repository root or of its `src/`, oldest first.

    A period folder is named like a period and holds Markdown files; the names sort in period order.
    """
    src = root / "src" if (root / "src").is_dir() else root
    if not src.is_dir():
        return []
    found = (p for p in src.iterdir() if p.is_dir() and PERIOD_NAME.match(p.name) and any(p.glob("*.md")))
    return sorted(found, key=lambda p: p.name)


def find_repository(start: Path) -> Path | None:
    """The nearest folder, from `start` up, whose `src/` holds period folders (a goals repository's root)."""
    for folder in (start, *start.parents):
        if (folder / "src").is_dir() and period_folders(folder):
            return folder
    return None


def find_root(src: Path) -> tuple[Path, Path | None, Path | None]:
    """Walk up from SRC to the folder holding book.toml (the input root); find rust-project-goals.toml likewise."""
    book = goals = None
    folder = os.fspath(src)
    while True:  # src and each folder above it, as src.parents, with string paths (once per watch rebuild and more)
        if goals is None and os.path.isfile(found := os.path.join(folder, "rust-project-goals.toml")):
            goals = Path(found)
        if os.path.isfile(found := os.path.join(folder, "book.toml")):
            book = Path(found)
            return book.parent, book, goals
        if (parent := os.path.dirname(folder)) == folder:
            break
        folder = parent
    # No book.toml: a bare goals folder. Treat `<x>/src/<period>` as rooted at <x>, anything else at its parent.
    root = src.parent.parent if src.parent.name == "src" else src.parent
    return root, None, goals


_PERIOD_NAME = re.compile(r"[0-9]{4}(?:h[12])?")


def periods_of(path: Path) -> list[Path] | None:
    """None when PATH may be a period folder; else the period folders of the input root or `src/` folder it is.

    A period folder is named like a period (`2026`, `2025h1`) and holds Markdown; the goals repository's other
    folders under src/ (`about`, `admin`) are not periods.
    """
    src = path / "src" if (path / "book.toml").is_file() and (path / "src").is_dir() else path
    try:
        children = sorted(src.iterdir())
    except OSError:
        return None
    periods = [p for p in children if p.is_dir() and _PERIOD_NAME.fullmatch(p.name) and any(p.glob("*.md"))]
    return periods if periods or src != path else None


def decode(raw: bytes, rel: str) -> tuple[str, list[Diagnostic]]:
    """UTF-8 with or without BOM; CRLF and stray CR become LF; invalid bytes are reported and replaced."""
    problems: list[Diagnostic] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Diagnostic(
                Location(rel, line, col),
                Severity.ERROR,
                "invalid-utf8",
                f"invalid UTF-8 at byte offset {exc.start} (byte 0x{raw[exc.start]:02x})",
                hint="save the file as UTF-8",
            )
        )
        text = raw.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


def outside_tree(path: Path, tree: Path) -> Path | None:
    """Where PATH leads if it is a symbolic link out of TREE (PATH's folder being inside TREE); None otherwise."""
    if not os.path.islink(path):
        return None
    target = Path(os.path.realpath(path))
    return None if target.is_relative_to(os.path.realpath(tree)) else target


def _outside(
    at: Location, target: Path, tree: str = "the source folder", into: str = "the period folder"
) -> Diagnostic:
    return Diagnostic(
        at,
        Severity.ERROR,
        "symlink-outside",
        f"symbolic link points outside {tree} (to {target}); not read",
        hint=f"copy the file into {into} instead",
    )


_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_URL_SAFE_NAME = re.compile(r"[A-Za-z0-9._~/-]+")


def _name_problem(name: str, rel: str) -> Diagnostic | None:
    """NAME is the file's path in the period folder. A goal file name that is not UTF-8 or holds a control character
    (a newline would split the table row that links it, and the diagnostic that names it) is an error (unreadable);
    one that a URL path cannot hold as it is (`my goal.md`) is a warning (file-name), and its links are
    percent-encoded."""
    if _URL_SAFE_NAME.fullmatch(name):
        return None  # the usual name: ASCII letters, digits and `._~/-` hold no control character
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return Diagnostic(
            Location(rel), Severity.ERROR, "unreadable", "file name is not valid UTF-8; not read", hint=_RENAME
        )
    if _CONTROL_IN_NAME.search(name):
        message = "file name holds a line break or another control character; not read"
        return Diagnostic(Location(rel), Severity.ERROR, "unreadable", message, hint=_RENAME)
    if not all(c.isalnum() or c in "._~/-" for c in name):
        message = f"file name {name!r} has characters a URL cannot hold as they are; its links are percent-encoded"
        return Diagnostic(Location(rel), Severity.WARNING, "file-name", message, hint=_RENAME)
    return None


_RENAME = "name goal files with letters, digits and dashes, e.g. my-goal.md"


def read_tree(
    src: Path, config_path: Path | None = None, readme: Path | None = None, memo: ReadMemo | None = None
) -> tuple[SourceTree, list[Diagnostic]]:
    """The period folder's Markdown files, read; `slate watch` passes a `memo`, which gives back the text of each file
    unchanged since its last rebuild (sources/memo.py) instead of reading it again."""
    src = Path(os.path.abspath(src))
    if not os.path.isdir(src):
        raise InputError(f"{src}: not a folder (SLATE's SRC is a period folder such as goals/src/2027)")
    root, book, goals_toml = find_root(src)
    if config_path is not None:
        goals_toml = config_path
    problems: list[Diagnostic] = []
    for name, path in (("book.toml", book), ("rust-project-goals.toml", None if config_path else goals_toml)):
        target = outside_tree(path, root) if path is not None else None
        if path is not None and target is not None:
            problems.append(
                _outside(Location(path.relative_to(root).as_posix()), target, "the input root", "the input root")
            )
            if name == "book.toml":
                book = None
            else:
                goals_toml = None
    src_dir = src.relative_to(root).as_posix()
    files = _read_folder(str(src), src_dir, problems, memo)
    readme_source = None
    if readme is not None:
        # The skeleton stands in for the period's README.md: its relative links resolve from the period folder.
        readme_source = str(readme)
        try:
            raw = readme.read_bytes()
        except OSError as exc:
            raise InputError(f"{readme}: cannot read the README skeleton: {exc.strerror}") from exc
        text, decode_problems = decode(raw, readme_source)
        problems.extend(decode_problems)
        virtual = f"{src_dir}/README.md"
        files = [f for f in files if f.path != virtual] + [SourceFile(virtual, text)]
    files.sort(key=lambda f: f.path)
    return SourceTree(root, src_dir, src.name, tuple(files), book, goals_toml, readme_source), problems


def _read_folder(src: str, src_dir: str, problems: list[Diagnostic], memo: ReadMemo | None) -> list[SourceFile]:
    """Every Markdown file under SRC, read, and (into PROBLEMS) why any file was not: a folder's links out of the
    period folder, then its files in name order, then its folders in name order, each whole (a hidden folder, or one
    that is a link, is not entered). One `stat` and one read per file: the kind of an entry comes from its folder's
    listing (os.scandir), and the paths are strings (a pathlib object per file cost ~15 µs of a 2.8 ms read)."""
    real_src = os.path.realpath(src)
    files: list[SourceFile] = []
    pending = [(src, f"{src_dir}/")]  # a folder, and its path relative to the input root
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_name)
        except OSError:
            continue  # as os.walk: a folder that cannot be listed has nothing to read
        folders: list[os.DirEntry[str]] = []
        others: list[os.DirEntry[str]] = []
        for entry in entries:
            (folders if _is_dir(entry) else others).append(entry)
        inner = []
        for entry in folders:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            if not entry.is_symlink():
                inner.append((entry.path, rel + "/"))
            elif (target := outside_tree(Path(entry.path), Path(real_src))) is not None:
                problems.append(_outside(Location(rel), target))
        pending += reversed(inner)
        for entry in others:
            name = entry.name
            rel = prefix + name
            # Any file, not only Markdown: an image or a text file linked from outside would reach the PDF.
            if entry.is_symlink() and (target := outside_tree(Path(entry.path), Path(real_src))) is not None:
                problems.append(_outside(Location(rel), target))
                continue
            if not name.endswith(".md"):
                continue
            if (problem := _name_problem(rel[len(src_dir) + 1 :], rel)) is not None:
                problems.append(problem)
                if problem.is_error:
                    continue
            found, read_problems = _read_markdown(entry, rel, memo)
            problems.extend(read_problems)
            if found is not None:
                files.append(found)
    return files


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """As os.walk tells folders from files: a link to a folder is a folder; an entry that cannot be looked at is not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _read_markdown(
    entry: os.DirEntry[str], rel: str, memo: ReadMemo | None
) -> tuple[SourceFile | None, tuple[Diagnostic, ...]]:
    """One Markdown file of the period folder, decoded (None when it is a dangling link, not a regular file, too large,
    unreadable or binary), and the problems found: the reason it was not read, a large-file warning, bad UTF-8."""
    full = entry.path
    if entry.is_symlink() and not os.path.exists(full):
        message = f"symbolic link to {os.readlink(full)}, which does not exist"
        return None, (Diagnostic(Location(rel), Severity.ERROR, "unreadable", message),)
    try:
        if not entry.is_file():
            return None, (Diagnostic(Location(rel), Severity.ERROR, "unreadable", "not a regular file; not read"),)
        st = entry.stat()
        stamps = (memo.stamp(full, st),) if memo is not None else ()
        kept: tuple[SourceFile | None, tuple[Diagnostic, ...]] | None = memo.reuse(full, stamps, rel) if memo else None
        if kept is not None:
            return kept
        problems: list[Diagnostic] = []
        size = st.st_size
        if size > LARGE_FILE_BYTES and size <= MAX_FILE_BYTES:
            problems.append(
                Diagnostic(
                    Location(rel),
                    Severity.WARNING,
                    "large-file",
                    f"file is {size} bytes, unusually large for a goal file",
                    hint="check that this is the file you meant to commit",
                )
            )
        if size > MAX_FILE_BYTES:
            return None, (*problems, file_too_large(rel, size, MAX_FILE_BYTES))
        with open(full, "rb", buffering=0) as stream:  # unbuffered: one read, no buffer object
            raw = stream.read()
    except OSError as exc:
        return None, (Diagnostic(Location(rel), Severity.ERROR, "unreadable", f"cannot read: {exc.strerror}"),)
    found: tuple[SourceFile | None, tuple[Diagnostic, ...]]
    if b"\x00" in raw:
        message = "file holds NUL bytes (a binary file?); not read"
        found = None, (*problems, Diagnostic(Location(rel), Severity.ERROR, "binary-file", message))
    else:
        text, decode_problems = decode(raw, rel)
        found = SourceFile(rel, text), (*problems, *decode_problems)
    if memo is not None:
        memo.keep(full, stamps, rel, found)
    return found
