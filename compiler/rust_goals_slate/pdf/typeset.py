"""Stage 6 (optional): the RFC as a PDF, through pandoc and Typst (or a LaTeX engine).

The Markdown goes through pandoc (the binary bundled with `pypandoc_binary`) with the Lua filter
`templates/pdf/rfc.lua`, which drops every raw block or inline of the source, draws badges offline and sizes
tables. With the default engine pandoc writes Typst source with the template `templates/pdf/rfc.typ` (title page,
contents, running headers, page numbers) and the `typst` package compiles it with the fonts in
`templates/pdf/fonts` and no system fonts. A LaTeX engine (`--pdf-engine xelatex`, ...) lets pandoc produce the
PDF itself, with its own LaTeX template, where such an engine is installed.

`run_pandoc` and `run_typst` are the only two places that call the tools; tests replace them. Both tools are
imported lazily, so a Markdown-only build never loads them. See docs/pdf.md for the choices made and why.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from rust_goals_slate.errors import Location, ToolError, UsageError
from rust_goals_slate.pdf import images, nesting
from rust_goals_slate.pdf.compress import compress_pdf
from rust_goals_slate.records import record
from rust_goals_slate.resources import templates_dir

PDF_TEMPLATES = templates_dir() / "pdf"
LUA_FILTER = PDF_TEMPLATES / "rfc.lua"
TYPST_TEMPLATE = PDF_TEMPLATES / "rfc.typ"
FONTS = PDF_TEMPLATES / "fonts"

# GitHub-flavoured Markdown as the RFC is written, without YAML metadata blocks (goal text must not be able to set
# template variables). Raw HTML is still parsed, so that the filter can drop it instead of printing it.
# No `smart`: the filter (templates/pdf/typography.lua) makes quotes typographic in prose and table cells alike, and
# dashes and ellipses in prose only; pandoc's extension would also rewrite the cells, past telling apart afterwards.
READER = "gfm-yaml_metadata_block"
TYPST = "typst"
LATEX_ENGINES = ("xelatex", "lualatex", "pdflatex", "latexmk", "tectonic")
ENGINES = (TYPST, *LATEX_ENGINES)
# Limits of the PDF step (docs/security.md): the 2026 RFC takes pandoc 0.3 s and 0.2 GB, Typst 0.6 s and 0.35 GB of
# address space. Past a limit the build stops with an error that names it, instead of hanging or swapping.
PANDOC_TIMEOUT = 120  # seconds, pandoc writing Typst
LATEX_TIMEOUT = 300  # seconds, pandoc running a LaTeX engine: a LaTeX run of a large RFC takes a while
PANDOC_MEMORY = 2 * 2**30  # bytes of pandoc's heap (+RTS -M)
TYPST_TIMEOUT = 120  # seconds, of CPU time and of wall-clock time
TYPST_MEMORY = 2 * 2**30  # bytes of address space
# Stop a LaTeX run from reading or writing files outside its working folder and from running commands.
TEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
AUTHOR = "the Rust Project Goals team"
RFC_PR_URL = "https://github.com/rust-lang/rfcs/pull/{}"
_REVISION = re.compile(r"[0-9a-f]{7,64}")
Locator = Callable[[str], Location | None]
_GENERATED = re.compile(r"\S*__typst_py_bytes__\.typ:(\d+):(\d+)")


@record
class PdfMeta:
    """What the title page and the PDF's metadata show."""

    title: str  # e.g. "Rust Project Goals 2026"
    period: str  # "2026"
    rfc_number: str | None  # "3935", or None before the RFC PR exists
    date: str | None  # start date YYYY-MM-DD
    goal_count: int
    built: datetime | None = None  # aware (UTC); see provenance.pdf_time
    built_is_revision: bool = False  # `built` is the sources' commit date, not the time of a build
    revision: str | None = None  # commit of the source checkout, hexadecimal; see provenance.source_revision


def write_pdf(
    markdown: str,
    out_path: Path,
    meta: PdfMeta,
    *,
    engine: str = TYPST,
    resource_dir: Path | None = None,
) -> None:
    """Render `markdown` (the RFC) into the PDF `out_path`, written atomically (`typeset`, then a temporary file and
    `os.replace`); when pandoc or the engine fails, `out_path` is left as it was."""
    _write_atomic(out_path, typeset(markdown, meta, engine=engine, resource_dir=resource_dir))


def typeset(
    markdown: str,
    meta: PdfMeta,
    *,
    engine: str = TYPST,
    resource_dir: Path | None = None,
    locate: Locator | None = None,
) -> bytes:
    """The PDF of `markdown` (the RFC), as bytes: nothing is written where the outputs go.

    `resource_dir` is the source tree local images are taken from (Typst only: they are checked and copied into
    Typst's otherwise empty root); without it, or with a LaTeX engine, local images are replaced by their alt text.
    `locate` finds where in the sources a piece of the RFC's text was written, for the location of an error.
    Raises `UsageError` for an unknown engine and `ToolError`, quoting the tool, when pandoc or the engine fails.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown PDF engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    deep = nesting.too_deep(markdown)
    if deep is not None:
        number, line = deep
        where = locate(line) if locate is not None else None
        raise ToolError(
            f"this line opens more than {nesting.MAX_DEPTH} nested lists or quotes, which the PDF step refuses "
            f"(pandoc's time and memory grow with the depth): {line[:60]!r}"
            + ("" if where else f" (line {number} of the RFC)"),
            where,
        )
    tree = resource_dir.resolve() if resource_dir is not None and engine == TYPST else None
    args = pandoc_args(meta, images.candidates(tree) if tree is not None else None)
    if engine == TYPST:
        source = run_pandoc([*args, "--to", "typst", "--template", str(TYPST_TEMPLATE)], markdown)
        with tempfile.TemporaryDirectory(prefix="slate-typst-") as folder:
            root = Path(folder)
            if tree is not None:
                _copy_images(source, tree, root, locate)
            try:
                return run_typst(source, root, [FONTS], typst_inputs(meta), _timestamp(meta))
            except ToolError as exc:
                where = _source_of_typst_error(str(exc), source, locate) if exc.location is None else None
                if where is None:
                    raise
                raise ToolError(str(exc), where) from exc
    latex = [
        "--to",
        "latex",
        "--pdf-engine",
        engine,
        "--toc",
        "--toc-depth=3",
        "--variable=papersize:a4",
        "--variable=geometry:margin=2cm",
        "--variable=colorlinks:true",
        "--variable=linkcolor:blue",
        "--variable=urlcolor:blue",
        "--variable=toccolor:black",
    ]
    with tempfile.TemporaryDirectory(prefix="slate-latex-") as folder:
        tmp = Path(folder) / "rfc.pdf"  # ends in .pdf: that is how pandoc knows to run the PDF engine
        run_pandoc([*args, *latex, "--output", str(tmp)], markdown)
        pdf = tmp.read_bytes() if tmp.is_file() else b""
    if not pdf.startswith(b"%PDF-"):
        raise ToolError(f"pandoc ({engine}) reported success but wrote no PDF")
    return pdf


_TYPST_LINE = re.compile(r"the RFC as Typst, line (\d+),")
_TYPST_IMAGE = re.compile(r'image\("((?:[^"\\]|\\.)*)"')
_TYPST_MARKUP = re.compile(r'[#\[\]\\*_"(){}<>$`=@]+|\b(?:strong|emph|strike|link|box|image)\b')
_MIN_QUOTE = 12  # characters of text that a source line is searched for: shorter pieces are found by chance


def _source_of_typst_error(message: str, source: str, locate: Locator | None) -> Location | None:
    """Where the Typst line an error points at was written: the first source file that holds the image it names,
    or the longest piece of its text (at least `_MIN_QUOTE` characters). None when nothing is found."""
    at = _TYPST_LINE.search(message)
    lines = source.split("\n")
    if locate is None or at is None or not 0 < int(at.group(1)) <= len(lines):
        return None
    line = lines[int(at.group(1)) - 1]
    for image in _TYPST_IMAGE.findall(line):
        where = locate(image.replace('\\"', '"').replace("\\\\", "\\"))
        if where is not None:
            return where
    pieces = sorted(
        {p.strip() for p in _TYPST_MARKUP.split(line) if len(p.strip()) >= _MIN_QUOTE}, key=lambda p: (len(p), p)
    )
    for piece in reversed(pieces):
        where = locate(piece)
        if where is not None:
            return where
    return None


def _copy_images(source: str, tree: Path, root: Path, locate: Locator | None) -> None:
    """Copy the images the filter kept (listed in a comment it ends the Typst source with) into `root`, checked."""
    listed = re.findall(r"^// slate-images: (.*)$", source, flags=re.M)
    available = set(images.candidates(tree))
    for relative in json.loads(listed[-1]) if listed else []:
        if not isinstance(relative, str) or relative not in available:
            continue  # not an image of the tree: Typst finds no such file
        try:
            data = images.read_checked(tree, relative)
        except images.ImageError as exc:
            where = locate(relative) if locate is not None else None
            raise ToolError(f"image {exc}", where) from None
        target = root.joinpath(*relative.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def pandoc_args(meta: PdfMeta, images_available: list[str] | None) -> list[str]:
    """The pandoc arguments shared by every engine: reader, sandbox, filter and the title-page metadata."""
    args = [
        "--sandbox",
        f"--data-dir={PDF_TEMPLATES}",  # never read a user's pandoc data folder (init.lua, templates)
        "--from",
        READER,
        "--lua-filter",
        str(LUA_FILTER),
    ]
    for key, value in title_page(meta).items():
        args += ["--metadata", f"{key}={value}"]
    if images_available is not None:
        args += ["--metadata", f"slate-images={json.dumps(images_available)}"]
    return args


def title_page(meta: PdfMeta) -> dict[str, str]:
    """The `slate-*` metadata strings of the title page; the filter turns them into escaped text."""
    fields = {
        "slate-title": meta.title,
        "slate-period": meta.period,
        "slate-rfc": _rfc_label(meta.rfc_number),
        "slate-date": meta.date or "",
        "slate-goals": str(meta.goal_count),
        "slate-built": meta.built.strftime("%Y-%m-%d %H:%M UTC") if meta.built else "",
        "slate-built-label": ("Revision date" if meta.built_is_revision else "Built") if meta.built else "",
        "slate-revision": _revision(meta) or "",
        "slate-author": AUTHOR,
    }
    return {key: " ".join(value.split()) for key, value in fields.items() if value and value.strip()}


def typst_inputs(meta: PdfMeta) -> dict[str, str]:
    """Typst's `sys.inputs`: the PDF's metadata (author, creation date, RFC link, revision) as plain strings."""
    inputs = {"slate-author": AUTHOR}
    if meta.built is not None:
        inputs["slate-built"] = meta.built.strftime("%Y-%m-%dT%H:%M:%SZ")
    number = (meta.rfc_number or "").strip()
    if number.isdigit() and int(number) > 0:
        inputs["slate-rfc-url"] = RFC_PR_URL.format(int(number))
    revision = _revision(meta)
    if revision:
        inputs["slate-revision"] = revision
    return inputs


def _revision(meta: PdfMeta) -> str | None:
    return meta.revision if meta.revision and _REVISION.fullmatch(meta.revision) else None


def _timestamp(meta: PdfMeta) -> int | None:
    """What Typst takes for "now": the build time, so that nothing in the PDF depends on the clock."""
    return int(meta.built.timestamp()) if meta.built is not None else None


def _rfc_label(number: str | None) -> str:
    number = (number or "").strip()
    if not number or (number.isdigit() and int(number) == 0):
        return "not yet assigned"
    return f"#{int(number)}" if number.isdigit() else number


def run_pandoc(args: list[str], input_text: str) -> str:
    """Run the bundled pandoc with `args` on `input_text` (stdin), within `PANDOC_TIMEOUT` seconds (a LaTeX run:
    `LATEX_TIMEOUT`) and a heap of `PANDOC_MEMORY` bytes; return its standard output."""
    try:
        from pypandoc import get_pandoc_path
    except ImportError as exc:  # pragma: no cover - the `pdf` extra is not installed
        raise ToolError("the PDF output needs pandoc: install slate with the `pdf` extra (pypandoc_binary)") from exc
    try:
        exe = get_pandoc_path()
    except OSError as exc:
        raise ToolError(f"pandoc was not found: {exc}") from exc
    # GHCRTS would let the environment change the runtime's limits; pandoc's heap is capped on the command line.
    env = {key: value for key, value in os.environ.items() if key != "GHCRTS"} | TEX_ENV
    timeout = LATEX_TIMEOUT if "--pdf-engine" in args else PANDOC_TIMEOUT
    heap = f"-M{PANDOC_MEMORY // 2**20}m"
    try:
        proc = subprocess.run(
            [exe, "+RTS", heap, "-RTS", *args],
            input=input_text.encode("utf-8"),
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"pandoc did not finish within {timeout} s (the PDF step's time limit)") from exc
    except OSError as exc:
        raise ToolError(f"pandoc could not be started: {exc}") from exc
    if proc.returncode != 0:
        said = proc.stderr.decode("utf-8", "replace").strip() or "(no message)"
        if "heap overflow" in said.lower() or "heap exhausted" in said.lower():
            limit = PANDOC_MEMORY // 2**20
            raise ToolError(f"pandoc needed more than {limit} MiB of memory (the PDF step's memory limit)")
        raise ToolError(f"pandoc failed (exit status {proc.returncode}):\n{_indent(said)}")
    return proc.stdout.decode("utf-8")


def run_typst(
    source: str,
    root: Path,
    font_paths: list[Path],
    inputs: dict[str, str] | None = None,
    timestamp: int | None = None,
) -> bytes:
    """Compile Typst `source` into PDF bytes: files only under `root`, fonts only from `font_paths` (and Typst's
    embedded ones), never the system's; `inputs` become `sys.inputs`, `timestamp` (Unix seconds) Typst's now.
    The PDF comes back with its objects packed and its bookmarks panel open (`compress.compress_pdf`).

    Typst runs in a child process (`typst_child`) with `TYPST_MEMORY` bytes of address space, `TYPST_TIMEOUT`
    seconds of CPU time and of wall-clock time; going over any of them is a `ToolError` that says which."""
    request = {
        "source": source,
        "root": str(root),
        "fonts": [str(p) for p in font_paths],
        "inputs": inputs or {},
        "timestamp": timestamp,
        "memory": TYPST_MEMORY,
        "cpu": TYPST_TIMEOUT,
    }
    # -P: the current folder is not put on the child's import path (a `typst.py` there is never imported).
    command = [sys.executable, "-P", "-m", "rust_goals_slate.pdf.typst_child"]
    # One malloc arena per thread would reserve 64 MiB of address space each, and count against the limit.
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}
    try:
        proc = subprocess.run(
            command,
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            env=env,
            timeout=TYPST_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"typst did not finish within {TYPST_TIMEOUT} s (the PDF step's time limit)") from exc
    except OSError as exc:
        raise ToolError(f"typst could not be started: {exc}") from exc
    # Typst names the source it was given `__typst_py_bytes__.typ`: no file anyone can open, so it is not named.
    said = _GENERATED.sub(r"the RFC as Typst, line \1, column \2", proc.stderr.decode("utf-8", "replace").strip())
    if proc.returncode == 0 and proc.stdout.startswith(b"%PDF-"):
        return compress_pdf(proc.stdout)
    if proc.returncode in (3, -signal.SIGABRT) and ("memory" in said or proc.returncode == 3):
        # Rust aborts when an allocation fails: "memory allocation of N bytes failed"
        raise ToolError(f"typst needed more than {TYPST_MEMORY // 2**20} MiB of memory (the PDF step's memory limit)")
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise ToolError(f"typst did not finish within {TYPST_TIMEOUT} s of CPU time (the PDF step's time limit)")
    if proc.returncode == 2:
        raise ToolError(said)
    raise ToolError(f"typst failed:\n{_indent(said or f'(exit status {proc.returncode}, no message)')}")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


@contextmanager
def _temp_sibling(out_path: Path) -> Iterator[Path]:
    """A temporary path next to `out_path` (so that `os.replace` is atomic), removed if still there at the end."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Ends in .pdf: that is how pandoc knows to run the PDF engine on what it writes.
    fd, name = tempfile.mkstemp(prefix=f".{out_path.stem}.", suffix=".tmp.pdf", dir=out_path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the PDF gets the usual permissions
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_atomic(out_path: Path, data: bytes) -> None:
    with _temp_sibling(out_path) as tmp:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out_path)
