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
    for folder in (src, *src.parents):
        if book is None and (folder / "book.toml").is_file():
            book = folder / "book.toml"
        if goals is None and (folder / "rust-project-goals.toml").is_file():
            goals = folder / "rust-project-goals.toml"
        if book is not None:
            break
    if book is not None:
        return book.parent, book, goals
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
    if not path.is_symlink():
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
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return Diagnostic(
            Location(rel), Severity.ERROR, "unreadable", "file name is not valid UTF-8; not read", hint=_RENAME
        )
    if _CONTROL_IN_NAME.search(name):
        message = "file name holds a line break or another control character; not read"
        return Diagnostic(Location(rel), Severity.ERROR, "unreadable", message, hint=_RENAME)
    if not _URL_SAFE_NAME.fullmatch(name) and not all(c.isalnum() or c in "._~/-" for c in name):
        message = f"file name {name!r} has characters a URL cannot hold as they are; its links are percent-encoded"
        return Diagnostic(Location(rel), Severity.WARNING, "file-name", message, hint=_RENAME)
    return None


_RENAME = "name goal files with letters, digits and dashes, e.g. my-goal.md"


def read_tree(
    src: Path, config_path: Path | None = None, readme: Path | None = None
) -> tuple[SourceTree, list[Diagnostic]]:
    src = Path(os.path.abspath(src))
    if not src.is_dir():
        raise InputError(f"{src}: not a folder (SLATE's SRC is a period folder such as goals/src/2027)")
    root, book, goals_toml = find_root(src)
    if config_path is not None:
        goals_toml = config_path
    problems: list[Diagnostic] = []
    files: list[SourceFile] = []
    real_src = Path(os.path.realpath(src))
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
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in dirnames:
            folder = Path(dirpath) / name
            if (target := outside_tree(folder, real_src)) is not None:
                problems.append(_outside(Location(folder.relative_to(root).as_posix()), target))
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            # Any file, not only Markdown: an image or a text file linked from outside would reach the PDF.
            if (target := outside_tree(full, real_src)) is not None:
                problems.append(_outside(Location(rel), target))
                continue
            if not name.endswith(".md"):
                continue
            if (problem := _name_problem(full.relative_to(src).as_posix(), rel)) is not None:
                problems.append(problem)
                if problem.is_error:
                    continue
            raw, read_problems = _read_markdown(full, rel)
            problems.extend(read_problems)
            if raw is None:
                continue
            text, decode_problems = decode(raw, rel)
            problems.extend(decode_problems)
            files.append(SourceFile(rel, text))
    src_dir = src.relative_to(root).as_posix()
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


def _read_markdown(full: Path, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of one Markdown file of the period folder (None when it is a dangling link, not a regular file, too
    large, unreadable or binary), and the problems found: the reason it was not read, or a large-file warning."""
    problems: list[Diagnostic] = []
    if full.is_symlink() and not full.exists():
        problems.append(
            Diagnostic(
                Location(rel),
                Severity.ERROR,
                "unreadable",
                f"symbolic link to {os.readlink(full)}, which does not exist",
            )
        )
        return None, problems
    try:
        if not full.is_file():
            problems.append(Diagnostic(Location(rel), Severity.ERROR, "unreadable", "not a regular file; not read"))
            return None, problems
        size = full.stat().st_size
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
            problems.append(file_too_large(rel, size, MAX_FILE_BYTES))
            return None, problems
        raw = full.read_bytes()
    except OSError as exc:
        problems.append(Diagnostic(Location(rel), Severity.ERROR, "unreadable", f"cannot read: {exc.strerror}"))
        return None, problems
    if b"\x00" in raw:
        problems.append(
            Diagnostic(Location(rel), Severity.ERROR, "binary-file", "file holds NUL bytes (a binary file?); not read")
        )
        return None, problems
    return raw, problems
