"""Checks of option values that are the user's mistakes, not the input's: each becomes a usage error (exit 2) with one
line that says what to give instead, before any stage runs.

The value checks are argparse `type=` functions (argparse prefixes the option's name); the checks of places on disk
(`--out`, `-o`) run once the command is known, since they look at the file system.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import tempfile
from pathlib import Path

from rust_goals_slate.errors import UsageError, shown
from rust_goals_slate.pipeline.write import special_kind
from rust_goals_slate.resources import templates_dir


def rfc_number(value: str) -> str:
    """`--rfc-number`: the number of the rust-lang/rfcs pull request, digits only."""
    if re.fullmatch(r"\d+", value):
        return value
    digits = re.fullmatch(r"\s*(?:#|rust-lang/rfcs#|RFC\s*#?)\s*(\d+)\s*", value, flags=re.IGNORECASE)
    if digits:
        raise argparse.ArgumentTypeError(f"give the number alone: --rfc-number {digits.group(1)}")
    raise argparse.ArgumentTypeError(f"expected the rust-lang/rfcs pull request number, e.g. 3935, not {value!r}")


def start_date(value: str) -> str:
    """`--start-date`: a real calendar date, written YYYY-MM-DD."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, e.g. 2027-02-15, not {value!r}")
    import datetime  # only when --start-date is given: a build has no other use for it

    try:
        datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value} is not a date ({exc})") from None
    return value


def template_folder(value: str) -> Path:
    """`--templates`: an existing folder whose `*.j2` files each override a built-in template of the same name.

    A file name that matches no template would be silently ignored by the loader, so it is refused.
    """
    folder = Path(value)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise argparse.ArgumentTypeError(f"{value} {what} (give a folder of *.md.j2 templates)")
    builtin = sorted(p.name for p in templates_dir().glob("*.j2"))
    for name in sorted(p.name for p in folder.glob("*.j2")):
        if name not in builtin:
            close = difflib.get_close_matches(name, builtin, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the templates are {', '.join(builtin)}"
            raise argparse.ArgumentTypeError(f"{folder / name} overrides no template of slate; {hint}")
    return folder


def output_folder(out: Path, option: str = "--out") -> None:
    """A folder that exists or can be made, and where a file can be written; nothing is left behind by the check."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{option} {out}: is a file; name a folder (rfc.md, pr-body.md and rfc.pdf are written in it)")
    for name in ("rfc.md", "pr-body.md", "rfc.pdf"):
        _regular_or_absent(out / name, option)
    _writable(out, option)


def output_file(path: Path, option: str = "-o") -> None:
    """A file that can be written (or replaced); `-` is standard output and needs no check."""
    if str(path) == "-":
        return
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a folder; name the file to write, e.g. {path / 'teams.yaml'}")
    _regular_or_absent(path, option)
    _writable(path.parent, option, shown=path)


def _regular_or_absent(path: Path, option: str) -> None:
    """An output replaces only a regular file: a symlink would send it elsewhere, and a device or FIFO (as root,
    `/dev/null`) would be replaced by a plain file. The writer checks again; this says so before anything is read."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return
    what = special_kind(mode)
    if what:
        raise UsageError(
            f"{option}: {path} is {what}; slate replaces only regular files (remove it, or write elsewhere)"
        )


def _writable(folder: Path, option: str, shown: Path | None = None) -> None:
    """The nearest folder that exists on the way to `folder` accepts a new file (root ignores permission bits, so
    this tries instead of asking `os.access`)."""
    shown = shown or folder
    existing = Path(os.path.abspath(folder))
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{option} {shown}: {existing} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".slate-write-check-", dir=existing)
    except OSError as exc:
        raise UsageError(f"{option} {shown}: cannot write in {existing} ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)


SRC_HELP = (
    "the period folder (src/2027), or a goals repository (its newest period); default: the period folder you are "
    "in, else the newest period of the repository holding the current folder"
)


def existing_file(value: str) -> Path:
    """`--config`, `--readme`: a file that exists (a missing one is the user's typo, not a problem of the slate)."""
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{value} {'is not a file' if path.exists() else 'does not exist'}")
    return path


def team_data(value: str) -> Path:
    """`--teams`: a rust-lang/team checkout (a folder) or a teams.yaml that exists."""
    path = Path(value)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{value} does not exist (give a rust-lang/team checkout or a teams.yaml)")
    return path


def header_text(value: str) -> str:
    """`--feature-name`, `--rust-issue`: one line of the RFC's header, so valid UTF-8 without a line break or another
    control character (a newline would forge a header line of its own)."""
    _one_line_of_text(value)
    return value


def _one_line_of_text(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(f"is not valid UTF-8 ({shown(value)}); give it as UTF-8 text") from None
    if m := re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", value):
        raise argparse.ArgumentTypeError(
            f"holds a line break or another control character ({shown(m.group(), newlines=True)}); give one line"
        )


def site_url(value: str) -> str:
    """`--site-url`: an absolute http(s) URL, the base of every goal-page link."""
    _one_line_of_text(value)
    if not re.fullmatch(r"https?://[^\s/?#]+(?:/[^\s?#]*)?", value):
        raise argparse.ArgumentTypeError(f"expected an http(s) URL such as https://goals.rust-lang.org/, not {value!r}")
    return value


def positive_int(value: str) -> int:
    """`--max-mentions`: a whole number of at least 1."""
    if not re.fullmatch(r"\s*\d+\s*", value) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


def outside_sources(out: Path, src: Path, option: str = "--out") -> None:
    """The output folder is not the period folder or inside it: rfc.md there would be read as a source next time."""
    out_abs, src_abs = Path(os.path.realpath(out)), Path(os.path.realpath(src))
    if out_abs == src_abs or out_abs.is_relative_to(src_abs):
        raise UsageError(
            f"{option} {out}: is inside the period folder {src} (rfc.md would become a source file); "
            "name a folder outside it, e.g. build/"
        )


def pdf_available(engine: str) -> None:
    """`--format pdf`: the `pdf` extra (pandoc, Typst, pikepdf) or the LaTeX engine is installed, checked before
    anything is read or written."""
    import importlib.util
    import shutil

    from rust_goals_slate.pdf.typeset import ENGINES, TYPST
    from rust_goals_slate.resources import DISTRIBUTION

    if engine not in ENGINES:
        raise UsageError(f"--pdf-engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    needed = ["pypandoc"] + (["typst", "pikepdf"] if engine == TYPST else [])  # pikepdf: pdf/compress.py
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(
            f"--format pdf needs the pdf extra ({', '.join(missing)} not installed): "
            f"pip install '{DISTRIBUTION}[pdf]' (pipx: pipx install --force '{DISTRIBUTION}[pdf]')"
        )
    if engine != TYPST and shutil.which(engine) is None:
        raise UsageError(f"--pdf-engine {engine}: {engine} is not installed (no TeX found); leave it out to use Typst")
