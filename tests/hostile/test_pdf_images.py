"""Images on the PDF path (issue 22, item 1): Typst reads only copies of the images the RFC uses, made from regular
files of the source tree; an image is checked (type by its bytes, size by its header) before Typst sees it, and a
refused image is reported at the goal file and line that shows it, never at a generated file."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.errors import Location, ToolError
from rust_goals_slate.pdf import images
from rust_goals_slate.pdf import typeset as pdf
from rust_goals_slate.pdf.typeset import PdfMeta, typeset, write_pdf
from tests.support import ROOT

META = PdfMeta(title="Images", period="2027", rfc_number=None, date=None, goal_count=0)
Capsys = pytest.CaptureFixture[str]


def png(width: int, height: int) -> bytes:
    """A valid PNG header (signature and IHDR chunk) declaring `width` x `height`, with one tiny IDAT."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height if height <= 64 else 1)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def gif(width: int, height: int, frame: tuple[int, int] | None = None) -> bytes:
    """A GIF of one frame (`frame`, else the screen's size), with a two-colour global table."""
    screen = b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    descriptor = b"\x2c" + struct.pack("<HHHH", 0, 0, *(frame or (width, height))) + b"\x00"
    return screen + descriptor + b"\x02\x02\x4c\x01\x00;"


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("big.png", png(30000, 30000), "big.png is 30000x30000 pixels; the PDF takes images of at most 16384"),
        ("wide.png", png(8000, 8000), "wide.png is 8000x8000 pixels"),  # 64 million pixels
        ("bad.png", b"<svg>not a png</svg>", "bad.png is named as a PNG image but is not an image (it starts with"),
        ("photo.png", jpeg(10, 10), "photo.png is named as a PNG image but is a JPEG image"),
        ("cut.png", b"\x89PNG\r\n\x1a\n\x00\x00", "cut.png: the PNG header is cut short or damaged"),
        ("big.jpg", jpeg(20000, 100), "big.jpg is 20000x100 pixels"),
        ("big.gif", gif(65535, 65535), "big.gif is 65535x65535 pixels"),
        ("empty.gif", gif(0, 5), "empty.gif is 0x5 pixels"),
        ("frame.gif", gif(10, 10, (30000, 30000)), "frame.gif has a frame of 30000x30000 pixels"),
        ("cut.gif", gif(10, 10)[:-6], "cut.gif: the GIF blocks are cut short or damaged, or hold no image"),
        ("none.gif", gif(10, 10)[:19] + b";", "none.gif: the GIF blocks are cut short or damaged, or hold no image"),
    ],
)
def test_refused_images(name: str, data: bytes, problem: str) -> None:
    with pytest.raises(images.ImageError) as refused:
        images.check(name, data)
    assert str(refused.value).startswith(problem)


@pytest.mark.parametrize(
    ("name", "data"), [("a.png", png(1200, 800)), ("b.jpeg", jpeg(640, 480)), ("c.gif", gif(16, 16))]
)
def test_accepted_images(name: str, data: bytes) -> None:
    images.check(name, data)


def test_candidates_are_regular_files_reached_without_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png(2, 2))
    tree = tmp_path / "tree"
    (tree / "img").mkdir(parents=True)
    (tree / "img" / "ok.png").write_bytes(png(2, 2))
    (tree / "img" / "notes.txt").write_text("x")
    (tree / "img" / "linked.png").symlink_to(outside / "secret.png")
    (tree / "linked-folder").symlink_to(outside)
    assert images.candidates(tree) == ["img/ok.png"]


class Tools:
    """pandoc faked with a Typst source that uses `used`; Typst faked, recording its root's files."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, used: list[str]) -> None:
        self.root_files: dict[str, bytes] = {}
        self.root: Path | None = None
        self.available: str | None = None
        listed = ", ".join(f'"{path}"' for path in used)
        source = "".join(f'#image("{path}")\n' for path in used) + f"// slate-images: [{listed}]\n"

        def run_pandoc(args: list[str], text: str) -> str:
            pairs = [args[i + 1] for i, arg in enumerate(args) if arg == "--metadata"]
            self.available = dict(pair.split("=", 1) for pair in pairs).get("slate-images")
            return source

        def run_typst(source: str, root: Path, *_: object) -> bytes:
            self.root = root
            self.root_files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
            return b"%PDF-x"

        monkeypatch.setattr(pdf, "run_pandoc", run_pandoc)
        monkeypatch.setattr(pdf, "run_typst", run_typst)


def test_typst_root_holds_only_copies_of_the_images_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "src"
    (tree / "img").mkdir(parents=True)
    (tree / "img" / "used.png").write_bytes(png(3, 3))
    (tree / "img" / "unused.png").write_bytes(png(4, 4))
    (tree / "secret.txt").write_text("SECRET")
    (tree / "goal.md").write_text("![x](img/used.png)")
    tools = Tools(monkeypatch, ["img/used.png", "secret.txt", "../outside.png"])
    assert typeset("x", META, resource_dir=tree) == b"%PDF-x"
    assert tools.available == '["img/unused.png", "img/used.png"]'
    # on main: Typst's root was the source tree itself, every file of it readable
    assert tools.root is not None and tools.root != tree.resolve()
    assert tools.root_files == {"img/used.png": png(3, 3)}


def test_a_refused_image_names_the_goal_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "src"
    tree.mkdir()
    (tree / "huge.png").write_bytes(png(30000, 30000))
    Tools(monkeypatch, ["huge.png"])

    def locate(needle: str) -> Location | None:
        return Location("src/2027/goal.md", 7, 3) if needle == "huge.png" else None

    with pytest.raises(ToolError) as failed:
        typeset("x", META, resource_dir=tree, locate=locate)
    assert str(failed.value).startswith("image huge.png is 30000x30000 pixels")
    assert failed.value.location == Location("src/2027/goal.md", 7, 3)


EXAMPLE = ROOT / "goals"


@pytest.mark.slow
def test_build_reports_a_bad_image_at_its_goal_and_writes_nothing(tmp_path: Path, capsys: Capsys) -> None:
    src = tmp_path / "src" / "2027"
    shutil.copytree(EXAMPLE / "src" / "2027", src)
    goal = src / "README.md"  # its text is the RFC's
    text = goal.read_text(encoding="utf-8").replace("# Motivation\n", "![diagram](bad.png)\n\n# Motivation\n", 1)
    goal.write_text(text, encoding="utf-8")
    line = text.splitlines().index("![diagram](bad.png)") + 1
    (src / "bad.png").write_bytes(b"GIF89a, not a PNG")
    out = tmp_path / "out"
    args = ["build", str(src), "--teams", str(EXAMPLE / "teams.yaml"), "--rfc-number", "1", "--out", str(out)]
    assert main([*args, "--format", "md,pdf"]) == 1
    err = capsys.readouterr().err
    # on main: exit 1 with rfc.md written, an error in __typst_py_bytes__.typ and no summary line
    assert f"src/2027/{goal.name}:{line}:12: error: image bad.png is named as a PNG image but is a GIF image" in err
    assert "__typst_py_bytes__" not in err
    assert "; nothing was written;" in err.splitlines()[-1]
    assert not out.exists() or list(out.iterdir()) == []


needs_poppler = pytest.mark.skipif(not shutil.which("pdfimages"), reason="poppler-utils not installed")


@pytest.mark.slow
@needs_poppler
def test_an_image_symlinked_outside_the_tree_is_not_embedded(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.png").write_bytes(png(6, 6))
    tree = tmp_path / "src"
    tree.mkdir()
    (tree / "logo.png").symlink_to(outside / "private.png")
    (tree / "own.png").write_bytes(png(5, 5))
    out = tmp_path / "rfc.pdf"
    write_pdf("# Images\n\n![logo](logo.png) and ![own](own.png)\n", out, META, resource_dir=tree)
    listed = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, check=True, text=True).stdout
    sizes = {tuple(line.split()[3:5]) for line in listed.splitlines()[2:]}
    assert sizes == {("5", "5")}  # on main: the 6x6 image from outside the tree was embedded too
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True, text=True).stdout
    assert "[image: logo]" in text


def _build_with_readme_line(tmp_path: Path, added: str, files: dict[str, bytes]) -> tuple[int, int, Path]:
    """Build the example with `added` as a paragraph of its README (the RFC's text) and `files` beside it;
    (exit status, line of `added`, output folder)."""
    src = tmp_path / "src" / "2027"
    shutil.copytree(EXAMPLE / "src" / "2027", src)
    for name, data in files.items():
        (src / name).write_bytes(data)
    readme = src / "README.md"
    text = readme.read_text(encoding="utf-8").replace("# Motivation\n", f"{added}\n\n# Motivation\n", 1)
    readme.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", str(src), "--teams", str(EXAMPLE / "teams.yaml"), "--rfc-number", "1", "--out", str(out)]
    return main([*args, "--format", "md,pdf"]), text.splitlines().index(added) + 1, out


@pytest.mark.slow
def test_a_typst_error_is_located_in_the_source_not_in_generated_typst(tmp_path: Path, capsys: Capsys) -> None:
    """An image whose header passes but whose pixel data Typst cannot decode: Typst's error, at the README line."""
    damaged = png(40, 40)[:-30] + b"\x00" * 18  # IDAT cut short
    images.check("damaged.png", damaged)
    added = "See ![the damaged diagram](damaged.png) here."
    status, line, out = _build_with_readme_line(tmp_path, added, {"damaged.png": damaged})
    assert status == 1
    err = capsys.readouterr().err
    assert f"src/2027/README.md:{line}:" in err and "error: typst failed:" in err and "[pdf-failed]" in err
    assert "the RFC as Typst, line " in err and "__typst_py_bytes__" not in err  # on main: a generated file
    assert not out.exists() or list(out.iterdir()) == []
