"""The local images of the PDF: found in the source tree, checked, and copied into Typst's root (docs/security.md).

Typst resolves an image path itself, following symbolic links, so it never sees the source tree: its root is an
empty temporary folder into which the images the RFC uses are copied, after these checks:

- `candidates`: the image files of the tree (PNG, JPEG, GIF by name) that are regular files reached without
  following a symbolic link; the Lua filter keeps a local image only if its path is one of them, else its alt text
  stands in (as for a missing file).
- `check`: the file's first bytes say it is the type its name says, and the size its header declares is at most
  `MAX_SIDE` pixels a side and `MAX_PIXELS` in all (a 30000x30000 PNG is a few KB and decodes to 3.6 GB), and the
  file is at most `MAX_BYTES`.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF"}
MAX_BYTES = 20 * 2**20
MAX_SIDE = 16_384
MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000; 160 MB decoded as RGBA
MAX_FRAMES = 1_000  # of a GIF
MAX_FILES = 10_000  # a walk of the tree looks at no more entries than this


class ImageError(ValueError):
    """An image the PDF cannot use; the message says why."""


def candidates(tree: Path) -> list[str]:
    """The image files under `tree`, as sorted `/`-separated relative paths; symbolic links (to files or folders)
    and anything that is not a regular file are left out."""
    found: list[str] = []
    seen = 0
    for folder, dirs, files in os.walk(tree, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
        for name in files:
            seen += 1
            if seen > MAX_FILES:
                return sorted(found)
            path = os.path.join(folder, name)
            if os.path.splitext(name)[1].lower() in EXTENSIONS and stat.S_ISREG(os.lstat(path).st_mode):
                found.append(Path(os.path.relpath(path, tree)).as_posix())
    return sorted(found)


def read_checked(tree: Path, relative: str) -> bytes:
    """The bytes of the image `relative` (one of `candidates(tree)`), after `check`; raises `ImageError`."""
    path = tree / relative
    if os.path.realpath(path) != os.path.join(os.path.realpath(tree), *relative.split("/")):
        raise ImageError(f"{relative} is reached through a symbolic link")
    try:
        # (O_NOFOLLOW and O_NONBLOCK do not exist on Windows; the realpath check above holds there too)
        flags = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, os.O_RDONLY | flags)
    except OSError as exc:
        raise ImageError(f"{relative} cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ImageError(f"{relative} is not a regular file")
        data = handle.read(MAX_BYTES + 1)
    check(relative, data)
    return data


def check(name: str, data: bytes) -> None:
    """`data` is an image of the type `name`'s extension says, of a size the PDF step can decode."""
    expected = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if expected is None:
        raise ImageError(f"{name} is not a PNG, JPEG or GIF file name")
    if len(data) > MAX_BYTES:
        raise ImageError(f"{name} is larger than {MAX_BYTES // 2**20} MiB")
    kind = kind_of(data)
    if kind != expected:
        found = f"a {kind} image" if kind else f"not an image (it starts with {data[:8]!r})"
        raise ImageError(f"{name} is named as a {expected} image but is {found}")
    size = size_of(kind, data)
    if size is None:
        raise ImageError(f"{name}: the {kind} header is cut short or damaged")
    _check_size(name, *size)
    if kind == "GIF":
        frames = _gif_frames(data)
        if frames is None:
            raise ImageError(f"{name}: the GIF blocks are cut short or damaged, or hold no image")
        if len(frames) > MAX_FRAMES:
            raise ImageError(f"{name} has more than {MAX_FRAMES} frames")
        for width, height in frames:  # a frame may declare a size of its own, larger than the screen's
            _check_size(name, width, height, "has a frame of")


def _check_size(name: str, width: int, height: int, what: str = "is") -> None:
    if width == 0 or height == 0 or width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise ImageError(
            f"{name} {what} {width}x{height} pixels; the PDF takes images of at most {MAX_SIDE} pixels a side "
            f"and {MAX_PIXELS // 1_000_000} million pixels"
        )


def kind_of(data: bytes) -> str | None:
    """The image type by its magic bytes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    return None


def size_of(kind: str, data: bytes) -> tuple[int, int] | None:
    """(width, height) as the header declares it; None when the header is cut short."""
    if kind == "PNG":
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if kind == "GIF":
        if len(data) < 10:
            return None
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    return _jpeg_size(data)


def _gif_frames(data: bytes) -> list[tuple[int, int]] | None:
    """The (width, height) of every frame of a GIF, from its image descriptors; None when a block is cut short."""
    if len(data) < 13:
        return None
    at = 13
    if data[10] & 0x80:  # global colour table
        at += 3 * 2 ** ((data[10] & 7) + 1)
    frames: list[tuple[int, int]] = []
    while at < len(data):
        block = data[at]
        if block == 0x3B:  # trailer
            return frames or None
        if block == 0x21:  # extension: label, then data sub-blocks
            at += 2
        elif block == 0x2C:  # image descriptor: position, size, flags; then the LZW code size and data sub-blocks
            if at + 10 > len(data):
                return None
            width, height = struct.unpack("<HH", data[at + 5 : at + 9])
            frames.append((int(width), int(height)))
            flags = data[at + 9]
            at += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0) + 1
            if len(frames) > MAX_FRAMES:
                return frames
        else:
            return None
        while at < len(data) and data[at] != 0:  # sub-blocks: a length byte, then that many bytes
            at += 1 + data[at]
        at += 1
    return None


# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in _SOF:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return int(width), int(height)
        if length < 2:
            return None
        at += 2 + length
    return None
